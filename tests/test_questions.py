"""`rankaudit questions`: the due-diligence letter, checked against the audit it is built from."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rankaudit.audit import audit_file
from rankaudit.config import Config
from rankaudit.questions import absent_facts, letter_for, spec_absences
from rankaudit.report.formats import QUESTIONS
from rankaudit.spec.load import load_spec
from rankaudit.wording import blames_publisher

ROOT = Path(__file__).resolve().parent.parent
EIU = ROOT / "specs" / "eiu-liveability-2025.yaml"
PRESS = ROOT / "tests" / "calibration" / "press-only.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rankaudit.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def audited(path: Path):  # type: ignore[no-untyped-def]
    return audit_file(str(path), Config(), replications=0), load_spec(str(path)).spec


def test_every_absent_fact_of_the_eiu_spec_is_asked_once() -> None:
    result, spec = audited(EIU)
    letter = letter_for(result, spec)
    facts = letter.facts
    assert len(facts) == len(set(facts))  # no fact asked twice
    # the audit's absent facts: the paths of its findings that rest on one, plus the spec's explicit values
    from_audit = {f.path for f in result.findings if f.absence is not None and f.status != "blocked"}
    assert from_audit <= set(facts)
    assert set(facts) == set(absent_facts(result, spec))
    explicit = re.findall(r":\s*(?:undisclosed|unknown)\s*$", EIU.read_text(encoding="utf-8"), flags=re.M)
    assert explicit and len(explicit) == len(spec_absences(spec)) and set(spec_absences(spec)) <= set(facts)
    # the count against the audit (18 for the spec as of 2026-12-01, session 4: 17 explicit values + 1 left-out fact)
    assert len(facts) == len(from_audit | set(spec_absences(spec)))
    # each finding about an absent fact, and each rule not met, is cited by exactly one question
    cited = [code for q in letter.questions for code in q.rules]
    assert len(cited) == len(set(cited))
    expected = {f.code for f in result.findings if f.status != "blocked" and (
        f.absence is not None or (f.status == "scored" and f.score is not None and f.score < 2))}
    assert set(cited) == expected
    # root causes are asked once: blocked rules are not asked, their root cause says what it unlocks
    blocked = {f.code for f in result.findings if f.status == "blocked"}
    assert blocked and not blocked & set(cited)
    (root,) = [q for q in letter.questions if "OP12" in q.rules]
    # ordered by cost, then by what it unlocks: the root's facts are unknown, so it costs nothing (OP02 no
    # longer charges again for the indicators OP12 finds unlisted) and follows the questions that cost points
    assert set(root.unlocks) == blocked and root.cost == 0
    section = next(s for s in letter.sections if root in s.questions)
    assert next(q for q in section.questions if q.cost == 0) == root
    # under not_in_sources_read every absent fact is unknown: asked as "please confirm", never as blame
    assert all(q.kind == "confirm" for q in letter.questions if q.facts)
    for q in letter.questions:
        assert not blames_publisher(q.text) and q.why and q.standard


def test_the_letter_is_ordered_by_what_it_costs() -> None:
    result, spec = audited(EIU)
    letter = letter_for(result, spec)
    costs = [s.cost for s in letter.sections]
    assert costs == sorted(costs, reverse=True)
    for s in letter.sections:
        qc = [q.cost for q in s.questions]
        assert qc == sorted(qc, reverse=True)
        assert all(q.dimension == s.dimension for q in s.questions)
    assert [q.number for q in letter.questions] == list(range(1, len(letter.questions) + 1))
    total = sum(q.cost for q in letter.questions)
    assert total == pytest.approx(sum(f.cost for f in result.findings), abs=0.05)


def test_cli_text_has_one_numbered_question_each() -> None:
    result, spec = audited(EIU)
    letter = letter_for(result, spec)
    proc = run("questions", str(EIU))
    assert proc.returncode == 0, proc.stderr
    numbered = re.findall(r"^(\d+)\. ", proc.stdout, flags=re.M)
    assert [int(n) for n in numbered] == list(range(1, len(letter.questions) + 1))
    assert proc.stdout.count("Please confirm:") == sum(q.kind == "confirm" for q in letter.questions)
    assert "Which indicators make up each of the 5 categories 'Stability'" in proc.stdout
    assert proc.stdout.startswith("To: Economist Intelligence Unit (EIU)\nAbout: Global Liveability Index 2025")
    doc = json.loads(run("questions", str(EIU), "-f", "json").stdout)
    assert sum(len(s["questions"]) for s in doc["sections"]) == len(letter.questions) and not doc["all_met"]
    page = run("questions", str(EIU), "-f", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and 'class="rankaudit-questions"' in page
    md = run("questions", str(EIU), "-f", "md").stdout
    assert md.startswith("# Questions for Economist Intelligence Unit (EIU)") and "<https://" in md


def test_undisclosed_facts_are_asked_plainly(tmp_path: Path) -> None:
    # `verified`: a bare `undisclosed` says the publisher's documents were read and are silent
    text = PRESS.read_text(encoding="utf-8").replace("undisclosed_means: not_in_sources_read",
                                                     "undisclosed_means: verified")
    text = text.replace("\nsponsors: unknown", "\nsponsors: undisclosed")
    spec_path = tmp_path / "press.yaml"
    spec_path.write_text(text, encoding="utf-8")
    result, spec = audited(spec_path)
    letter = letter_for(result, spec)
    kinds = {q.kind for q in letter.questions if q.facts}
    assert kinds == {"ask", "confirm"}  # undisclosed: ask; unknown (explicit or left out): please confirm
    (sponsors,) = [q for q in letter.questions if "sponsors" in q.facts]
    assert sponsors.kind == "ask" and not sponsors.text.startswith("Please confirm")
    states = absent_facts(result, spec)
    for q in letter.questions:
        if q.kind == "confirm":
            assert q.facts and all(states[f] == "unknown" for f in q.facts)


def test_a_spec_meeting_every_rule_gets_a_short_letter() -> None:
    result, _spec = audited(ROOT / "tests" / "calibration" / "transparent.yaml")
    met = result.model_copy(update={"findings": [
        f.model_copy(update={"score": 2 if f.score is not None else None, "cost": 0.0, "absence": None,
                             "status": "scored" if f.score is not None else f.status})
        for f in result.findings]})
    letter = letter_for(met)
    assert letter.all_met and letter.questions == []
    for fmt in ("text", "md", "html"):
        out = QUESTIONS.render(fmt, letter)
        assert "we have no questions at this stage" in out and len(out.splitlines()) < 20
    assert json.loads(QUESTIONS.render("json", letter))["all_met"] is True


def test_input_strings_are_sanitised(tmp_path: Path) -> None:
    text = PRESS.read_text(encoding="utf-8")
    name = re.search(r"^  name: (.+)$", text, flags=re.M)
    assert name is not None
    evil = text.replace(name.group(0), '  name: "<b>Evil</b> \\e[2J *Index*"', 1)
    spec_path = tmp_path / "evil.yaml"
    spec_path.write_text(evil, encoding="utf-8")
    term = run("questions", str(spec_path))
    assert term.returncode == 0, term.stderr
    assert "\x1b" not in term.stdout and "\\x1b[2J" in term.stdout
    page = run("questions", str(spec_path), "-f", "html").stdout
    assert "<b>Evil</b>" not in page and "&lt;b&gt;Evil&lt;/b&gt;" in page
    md = run("questions", str(spec_path), "-f", "md").stdout
    assert "\\<b\\>Evil" in md and "\\*Index\\*" in md


def test_errors() -> None:
    missing = run("questions", "no-such-spec.yaml")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    folder = run("questions", str(ROOT / "tests" / "calibration"))
    assert folder.returncode == 2 and "one spec file" in folder.stderr

"""A grade resting on less than half the questions is withheld, and every output says so in words.

Every bundled spec and the three calibration specs are audited once and rendered in every format, one at a
time and all together (the overview tables of Markdown, the GitHub step summary and the terminal). A
withheld grade must read "not graded" with its range, never as a letter, "none" or a dash; a provisional one
must say "provisional"; a full one shows its letter. The engine decides (`grade_status`); renderers only
print it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from rankaudit.audit import audit
from rankaudit.report.formats import REPORTS, RenderOptions
from rankaudit.report.github import step_summary
from rankaudit.result import AuditResult
from rankaudit.scoring import GRADE_WITHHELD_BELOW, PROVISIONAL_BELOW
from rankaudit.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[2]
CALIBRATION = ROOT / "tests" / "calibration"
SPECS = [*sorted((ROOT / "specs").glob("*.yaml")), *sorted(CALIBRATION.glob("*.yaml"))]
# the per-finding CSV carries no grade (the state of each finding instead)
GRADED_FORMATS = [name for name in REPORTS.names() if name != "csv"]
# a letter presented as the grade: 'grade A', 'Grade: B' (not 'grades: A >= 80', the scale's legend)
LETTER_AS_GRADE = re.compile(r"\b[Gg]rade:? [A-E]\b")


@cache
def result_of(path: Path) -> AuditResult:
    return audit(load_spec(str(path.relative_to(ROOT))))


def results() -> list[AuditResult]:
    return [result_of(p) for p in SPECS]


def test_the_engine_decides_the_state_from_the_coverage() -> None:
    for r in results():
        assert r.overall is not None and r.coverage is not None, r.file
        if r.coverage < GRADE_WITHHELD_BELOW:
            assert r.grade_status == "withheld" and r.grade is None, r.file
            assert r.grade_text.startswith("not graded: ") and "(a letter needs 50%)" in r.grade_text
            assert r.grade_range is not None and r.grade_label.startswith("not graded (")
        elif r.coverage < PROVISIONAL_BELOW:
            assert r.grade_status == "provisional" and r.grade is not None and r.grade_label == r.grade, r.file
            assert r.grade_text.startswith(f"{r.grade}, provisional: ")
        else:
            assert r.grade_status == "graded" and r.grade is not None and r.grade_label == r.grade, r.file
        for d in r.dimensions:
            assert (d.grade is None) == (d.grade_status in ("withheld", "not_assessable")), (r.file, d.dimension)
            if d.score is not None and d.coverage is not None and d.coverage < GRADE_WITHHELD_BELOW:
                assert d.grade_status == "withheld", (r.file, d.dimension)


def test_the_library_has_every_state_but_not_assessable() -> None:
    states = {r.grade_status for r in results()}
    # the calibration specs pin 'graded'; the press-only one and most bundled specs are withheld
    assert {"graded", "provisional", "withheld"} <= states, states


def _check(result: AuditResult, name: str, output: str) -> None:
    where = f"{result.file} as {name}"
    if name in ("json", "sarif"):
        data = json.loads(output)
        obj = data[0] if name == "json" else data["runs"][0]["properties"]["specs"][0]
        assert obj["grade"] == result.grade, where
        assert obj["gradeStatus" if name == "sarif" else "grade_status"] == result.grade_status, where
        return
    if name == "junit":
        properties = {p.get("name"): p.get("value") for p in ET.fromstring(output).iter("property")}
        assert properties["grade"] == result.grade_label and properties["grade_status"] == result.grade_status
        assert properties["grade"] != "none", where
        return
    flat = " ".join(output.split())
    if result.grade_status == "withheld":
        assert "not graded" in flat.lower(), where
        assert result.grade_text[len("not graded") :] in flat, where  # its coverage and range, as the engine words them
        assert not LETTER_AS_GRADE.search(flat), (where, LETTER_AS_GRADE.findall(flat))
        for dash in ("grade –", "grade —", "grade none", "Grade none"):
            assert dash not in flat, (where, dash)
    elif result.grade_status == "provisional":
        assert "provisional" in flat and result.grade_text in flat, where
    else:
        assert result.grade_text in flat, where


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_every_format_shows_the_state_of_the_grade(path: Path) -> None:
    result = result_of(path)
    for name in GRADED_FORMATS:
        _check(result, name, REPORTS.get(name).render([result], RenderOptions(width=200)))


@pytest.mark.parametrize("name", GRADED_FORMATS)
def test_the_tables_of_many_specs_say_not_graded(name: str) -> None:
    """Markdown's overview, the GitHub step summary and the terminal's summary table list every spec."""
    everything = results()
    output = REPORTS.get(name).render(everything, RenderOptions(width=250))
    withheld = [r for r in everything if r.grade_status == "withheld"]
    assert withheld
    if name == "terminal":
        table = output[output.index(f"{len(everything)} specs audited") :]
        assert table.count("not graded (") == len(withheld)
        assert table.count("withheld") == len(withheld)
    elif name in ("md", "github"):
        if name == "github":  # one plain line per spec after the annotations; the table is the job summary's
            lines = [line for line in output.splitlines() if line.startswith("rankaudit: ")]
            assert sum(": not graded: " in line for line in lines) == len(withheld)
            output = step_summary(everything)
        rows = [line for line in output.splitlines() if line.startswith("| ") and "| not graded: " in line]
        overall = [line for line in rows if line.startswith("| **Overall** |")]  # each report's score table
        assert len(rows) - len(overall) == len(withheld) == len(overall), name  # and the overview table
    elif name == "html":  # the grade box of each report, and its line in the contents
        assert output.count('<span class="letter words">not graded (') == len(withheld)
        assert not re.search(r'<span class="letter">(none|–|—)?</span>', output)
        assert sum(f"&mdash; {r.grade_text}" in output for r in withheld) == len(withheld)
    elif name == "junit":
        values = [p.get("value") for p in ET.fromstring(output).iter("property") if p.get("name") == "grade"]
        assert sorted(v for v in values if v and v.startswith("not graded")) == sorted(r.grade_label for r in withheld)
    else:
        data = json.loads(output)
        objects = data if name == "json" else data["runs"][0]["properties"]["specs"]
        assert sum(o.get("grade_status", o.get("gradeStatus")) == "withheld" for o in objects) == len(withheld)


def test_the_due_diligence_letter_carries_the_state_of_the_grade() -> None:
    from rankaudit.questions import letter_for

    for path in (CALIBRATION / "press-only.yaml", CALIBRATION / "transparent.yaml"):
        result = result_of(path)
        data = letter_for(result).to_dict()
        assert (data["grade"], data["grade_status"], data["grade_text"]) == (
            result.grade,
            result.grade_status,
            result.grade_text,
        ), path.name
    assert letter_for(result_of(CALIBRATION / "press-only.yaml")).to_dict()["grade_status"] == "withheld"

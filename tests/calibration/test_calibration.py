"""Calibration cases that pin the grade scale (issue 10).

Three synthetic specs: a fully transparent ranking read in the publisher's own methodology (must grade A),
a black box whose paid summary was read and is silent on everything (must grade E, and not be
provisional: every absence is verified), and the transparent ranking described only from two press
articles (must not be graded: most facts are unknown, not undisclosed, and a letter resting on an eighth of
the questions would describe how little was read, not the ranking).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rankaudit.audit import audit
from rankaudit.report.formats import REPORTS, RenderOptions
from rankaudit.result import AuditResult
from rankaudit.rules import all_rules
from rankaudit.scoring import GRADE_WITHHELD_BELOW, PROVISIONAL_BELOW
from rankaudit.spec.load import load_spec

HERE = Path(__file__).resolve().parent
TRANSPARENT = HERE / "transparent.yaml"
BLACK_BOX = HERE / "black-box.yaml"
PRESS_ONLY = HERE / "press-only.yaml"


def audited(path: Path, text: str | None = None) -> AuditResult:
    raw = path.read_bytes() if text is None else text.encode()
    return audit(load_spec(str(path.relative_to(HERE.parents[1])), raw))


def test_a_fully_transparent_ranking_grades_a() -> None:
    result = audited(TRANSPARENT)
    assert result.grade == "A", result.grade_text
    assert result.coverage == 1.0 and not result.provisional
    assert result.grade_text == "A (100% of the questions answered from the sources cited)"
    assert not [f for f in result.findings if f.status in ("not_assessed", "blocked")]
    assert not result.warnings, [w.message for w in result.warnings]


def test_a_black_box_grades_e_and_is_not_provisional() -> None:
    result = audited(BLACK_BOX)
    assert result.grade == "E", result.grade_text
    assert not result.provisional and result.coverage is not None and result.coverage >= PROVISIONAL_BELOW
    assert "provisional" not in result.grade_text
    # every absence was verified in the publisher's own summary: undisclosed, never unknown, but for the cities
    # in its top group: a ranking publishes its ranks, and a list the spec leaves out (it cannot say `list:
    # unknown`) is its transcription's gap, not the publisher's silence
    absences = {f.code: f.absence for f in result.findings if f.absence is not None}
    assert set(absences.values()) == {"undisclosed", "unknown"}, absences
    assert [code for code, absence in absences.items() if absence == "unknown"] == ["OP06"], absences
    assert not result.warnings, [w.message for w in result.warnings]


def test_no_indicator_listed_is_one_root_cause_in_the_black_box() -> None:
    result = audited(BLACK_BOX)
    root = next(f for f in result.findings if f.code == "OP12")
    blocked = [f for f in result.findings if f.blocked_by == "OP12"]
    assert root.score == 0 and root.absence == "undisclosed"
    assert root.blocks == [f.code for f in blocked] and len(blocked) >= 10
    assert all(f.score is None and f.cost == 0 and f.status == "blocked" for f in blocked)
    assert sum("no indicator is listed" in f.message for f in result.findings if f.score is not None) == 1


def test_the_transparent_ranking_read_in_the_press_is_not_graded() -> None:
    result = audited(PRESS_ONLY)
    assert result.provisional and result.coverage is not None and result.coverage < GRADE_WITHHELD_BELOW
    # the score stands (every fact the articles state is the transparent ranking's), the letter does not
    assert result.grade is None and result.grade_status == "withheld" and result.overall is not None
    assert result.grade_text == (
        "not graded: 12% of the questions answered from the sources cited (a letter needs 50%); "
        "E to A as the others are answered"
    )
    assert result.grade_label == "not graded (E-A)"
    assert {d.grade_status for d in result.dimensions if d.score is not None} == {"withheld"}
    assert all(d.grade is None for d in result.dimensions)
    # how far the unanswered questions could move it: from every unknown failing to every one passing
    assert result.overall_range is not None and result.grade_range is not None
    low, high = result.overall_range
    assert result.overall is not None and low <= result.overall <= high
    if result.grade_range[0] != result.grade_range[1]:
        low_grade, high_grade = result.grade_range
        assert result.grade_text.endswith(f"; {low_grade} to {high_grade} as the others are answered")
    assert not [f for f in result.findings if f.absence == "undisclosed"]


@pytest.mark.parametrize("name", REPORTS.names())
def test_every_format_says_not_graded_with_the_coverage(name: str) -> None:
    result = audited(PRESS_ONLY)
    output = REPORTS.get(name).render([result], RenderOptions(width=200))
    if name == "csv":  # one row per finding, no grade: the state of each finding instead
        assert "not_assessed" in output and "not found in the sources cited" in output
        return
    if name == "json":
        data = json.loads(output)
        data = data[0] if isinstance(data, list) else data
        assert data["provisional"] is True and data["coverage"] == result.coverage
        assert data["grade"] is None and data["grade_status"] == "withheld"
        return
    assert "not graded" in output.lower(), name
    if name not in ("sarif",):  # SARIF carries the coverage as a number (checked below)
        flat = " ".join(output.split())
        assert result.grade_text in flat.replace("Not graded", "not graded") or result.grade_text.replace(
            "%", "%25"
        ) in output, name


def test_sarif_carries_coverage_and_the_withheld_grade() -> None:
    result = audited(PRESS_ONLY)
    log = json.loads(REPORTS.get("sarif").render([result], RenderOptions()))
    spec = log["runs"][0]["properties"]["specs"][0]
    assert spec["provisional"] is True and spec["coverage"] == result.coverage
    assert spec["gradeText"] == result.grade_text and spec["grade"] is None
    assert spec["gradeStatus"] == "withheld" and spec["gradeLabel"] == "not graded (E-A)"


@pytest.mark.parametrize("path", [TRANSPARENT, BLACK_BOX])
def test_a_grade_on_every_fact_is_given(path: Path) -> None:
    result = audited(path)
    assert result.grade_status == "graded" and result.grade_label == result.grade
    assert {d.grade_status for d in result.dimensions if d.score is not None} == {"graded"}


def _verified(text: str) -> str:
    """The press-only spec under `undisclosed_means: verified`: the same states, but a bare `undisclosed`
    is then verified, so that one fact can be turned from unknown into undisclosed."""
    assert "undisclosed_means: not_in_sources_read" in text
    return text.replace("undisclosed_means: not_in_sources_read", "undisclosed_means: verified")


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("uncertainty_published", "ranking.uncertainty_published"),
        ("selection_rule", "cities.selection_rule"),
    ],
)
def test_one_fact_from_unknown_to_undisclosed_moves_only_the_rules_reading_it(key: str, field: str) -> None:
    text = _verified(PRESS_ONLY.read_text(encoding="utf-8"))
    before = audited(PRESS_ONLY, text)
    assert [(f.code, f.score, f.status) for f in before.findings] == [
        (f.code, f.score, f.status) for f in audited(PRESS_ONLY).findings
    ], "undisclosed_means: verified must not change a spec without bare `undisclosed`"
    line = f"  {key}: unknown\n"
    assert text.count(line) == 1
    after = audited(PRESS_ONLY, text.replace(line, f"  {key}: undisclosed\n"))
    moved = {
        b.code
        for b, a in zip(before.findings, after.findings, strict=True)
        if (b.score, b.status, b.absence) != (a.score, a.status, a.absence)
    }
    readers = {r.code for r in all_rules() if any(read == field or read.startswith(field + ".") for read in r.reads)}
    assert moved and moved <= readers, (moved, readers)
    for code in moved:
        finding = next(f for f in after.findings if f.code == code)
        assert finding.status == "scored" and finding.score == 0 and finding.absence == "undisclosed"
    assert after.coverage is not None and before.coverage is not None and after.coverage > before.coverage

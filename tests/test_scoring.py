"""Scoring: IREG-style points, core rules double, null for what cannot be assessed, exact contributions."""

from __future__ import annotations

from pathlib import Path

import pytest

from rankaudit.audit import audit
from rankaudit.config import Config
from rankaudit.rules.base import DIMENSIONS
from rankaudit.scoring import (
    DIMENSION_WEIGHTS,
    GRADE_WITHHELD_BELOW,
    PROVISIONAL_BELOW,
    Scored,
    contribution,
    dimension_scores,
    given_grade,
    grade,
    grade_label,
    grade_status,
    grade_text,
    overall_coverage,
    overall_range,
    overall_score,
)
from rankaudit.spec.load import load_spec

ROOT = Path(__file__).resolve().parent.parent
WELL_DOCUMENTED = ROOT / "fixtures" / "specs" / "well-documented.yaml"


def test_core_rules_count_double_and_not_applicable_costs_nothing() -> None:
    findings = [
        Scored("opacity", 2, True),  # 4 of 4
        Scored("opacity", 0, False),  # 0 of 2
        Scored("opacity", 1, False),  # 1 of 2
        Scored("opacity", None, True),  # not applicable
    ]
    scores = dimension_scores(findings)
    # (4 + 0 + 1) / (4 + 2 + 2) = 62.5 %
    assert scores["opacity"].score == 62.5
    assert scores["opacity"].applicable_rules == 3


def test_a_dimension_without_applicable_rules_is_null_with_a_reason() -> None:
    scores = dimension_scores([Scored("opacity", 2, False), Scored("freshness", None, False)])
    assert scores["freshness"].score is None
    assert scores["freshness"].reason == "not assessable: no rule applies"
    assert scores["statistical_robustness"].reason == "not assessable: no indicator data supplied"


def test_overall_is_the_weighted_mean_of_assessable_dimensions() -> None:
    scores = dimension_scores([Scored("opacity", 2, False), Scored("freshness", 0, False)])
    # opacity 100 (weight 25), freshness 0 (weight 15): 100 * 25 / 40
    assert overall_score(scores) == 62.5
    assert overall_score(dimension_scores([])) is None


@pytest.mark.parametrize(
    ("overall", "letter"),
    [(100, "A"), (80, "A"), (79.99, "B"), (65, "B"), (50, "C"), (35, "D"), (34.9, "E"), (None, None)],
)
def test_grade_bands(overall: float | None, letter: str | None) -> None:
    assert grade(overall) == letter


# ---- a letter is withheld below GRADE_WITHHELD_BELOW (the score and its range stand)


def _half_known(extra_unknown: int) -> list[Scored]:
    """Opacity: one core rule met on established facts (4 points), one core rule not assessed (4 points
    unknown), and `extra_unknown` other rules not assessed (2 points unknown each)."""
    findings = [Scored("opacity", 2, True), Scored("opacity", None, True, "unknown")]
    return findings + [Scored("opacity", None, False, "unknown")] * extra_unknown


def test_the_floor_sits_below_the_provisional_threshold() -> None:
    assert GRADE_WITHHELD_BELOW == 0.5 and GRADE_WITHHELD_BELOW < PROVISIONAL_BELOW


def test_exactly_half_the_questions_answered_gets_a_provisional_letter() -> None:
    scores = dimension_scores(_half_known(0))
    coverage, span, score = overall_coverage(scores), overall_range(scores), overall_score(scores)
    assert coverage == GRADE_WITHHELD_BELOW and score == 100 and span == (50.0, 100.0)
    assert grade_status(score, coverage) == "provisional" and given_grade(score, coverage) == "A"
    assert grade_text("A", coverage, span) == (
        "A, provisional: 50% of the questions answered from the sources cited; C to A as the others are answered"
    )
    assert grade_label("A", coverage, span) == "A"


def test_just_under_half_the_questions_answered_gets_no_letter() -> None:
    scores = dimension_scores(_half_known(1))  # 4 established of 10 points
    coverage, span, score = overall_coverage(scores), overall_range(scores), overall_score(scores)
    assert coverage == 0.4 and score == 100 and span == (40.0, 100.0)
    assert grade_status(score, coverage) == "withheld" and given_grade(score, coverage) is None
    assert grade_text(grade(score), coverage, span) == (
        "not graded: 40% of the questions answered from the sources cited (a letter needs 50%); "
        "D to A as the others are answered"
    )
    assert grade_label(grade(score), coverage, span) == "not graded (D-A)"


@pytest.mark.parametrize(
    ("score", "coverage", "status"),
    [
        (90.0, 1.0, "graded"),
        (90.0, PROVISIONAL_BELOW, "graded"),
        (90.0, 0.6999, "provisional"),
        (90.0, 0.5, "provisional"),
        (90.0, 0.4999, "withheld"),
        (90.0, 0.0, "withheld"),
        (None, None, "not_assessable"),
        (None, 0.3, "not_assessable"),
    ],
)
def test_grade_status(score: float | None, coverage: float | None, status: str) -> None:
    assert grade_status(score, coverage) == status
    assert (given_grade(score, coverage) is None) == (status in ("withheld", "not_assessable"))


def test_a_withheld_grade_whose_range_is_one_letter_says_so() -> None:
    # every answer still missing would leave the score in one band: the words say it, the letter stays withheld
    assert grade_label("E", 0.2, (5.0, 30.0)) == "not graded (E either way)"
    assert grade_text("E", 0.2, (5.0, 30.0)).endswith("(a letter needs 50%); E however the others are answered")
    assert grade_text(None, 0.2) == "not assessable (20% of the questions answered from the sources cited)"
    assert grade_label(None, None) == "not assessable"


def test_the_fail_under_gate_reads_the_score_of_a_withheld_grade(tmp_path: Path) -> None:
    from rankaudit.audit import gate

    result = audit(load_spec(str(ROOT / "tests" / "calibration" / "press-only.yaml")))
    assert result.grade_status == "withheld" and result.overall is not None
    assert gate(result, result.overall - 1).passed and not gate(result, result.overall + 1).passed


def test_dimension_weights_cover_every_dimension() -> None:
    assert set(DIMENSION_WEIGHTS) == set(DIMENSIONS)


def _audit_text(text: str, tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return audit(load_spec(str(path)), Config())


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("  methodology: public\n", "  methodology: summary\n"),
        ("  methodology: public\n", "  methodology: undisclosed\n"),
        ("  frequency: annual\n", "  frequency: undisclosed\n"),
        ("  qualitative_component: true\n", "  qualitative_component: undisclosed\n"),
        (
            "  selection_rule: Every functional urban area of the region above 1.5 million inhabitants\n",
            "  selection_rule: undisclosed\n",
        ),
    ],
)
def test_one_disclosure_changes_the_score_by_exactly_that_rules_contribution(
    before: str, after: str, tmp_path: Path
) -> None:
    text = WELL_DOCUMENTED.read_text(encoding="utf-8")
    assert text.count(before) == 1
    disclosed = _audit_text(text, tmp_path, "disclosed.yaml")
    hidden = _audit_text(text.replace(before, after), tmp_path, "hidden.yaml")

    by_code = {f.code: f for f in disclosed.findings}
    changed = [f for f in hidden.findings if f.score != by_code[f.code].score]
    assert len(changed) == 1, [f.code for f in changed]
    finding = changed[0]
    lost = by_code[finding.code].score - finding.score
    scored = [Scored(f.dimension, f.score, f.core) for f in disclosed.findings]
    in_dimension, in_overall = contribution(scored, finding.dimension, finding.core, lost)
    assert disclosed.scores[finding.dimension] - hidden.scores[finding.dimension] == pytest.approx(
        in_dimension, abs=0.011
    )
    assert disclosed.overall - hidden.overall == pytest.approx(in_overall, abs=0.011)
    # the finding itself reports what it costs (against full marks, which the disclosed spec has)
    assert by_code[finding.code].score == 2
    assert finding.cost == pytest.approx(in_overall, abs=0.011)

"""Rule verdicts -> dimension scores, overall score and grade.

The architecture is the IREG Ranking Audit's: every rule scores 0, 1 or 2 points, core rules
count double, and a dimension's score is the share of the points available from its applicable
rules, as a percentage. A rule that does not apply costs nothing; a dimension in which no rule
applies is "not assessable" (null), never a silent 0 or 100.

The overall score is a weighted mean of the assessable dimensions. The dimension weights and the
grade bands are rankaudit's own proposals (research notes, criteria section 8), stated here so
that any score can be recomputed by hand.

Evidence coverage (issue 10) separates what is known from what is not. A rule whose facts are
`unknown` (not found in the sources cited) is "not assessed": no points either way. A rule
"blocked" by a root cause another rule scores (no indicator listed, weights not published...) loses
no points of its own. The coverage of a dimension is the share of its applicable rule points (2 a
rule, 4 a core rule) that rest on established facts: rules scored, and rules blocked by a root cause
that is itself established; rules not assessed, and rules blocked by an unknown root, are not. The
overall coverage weighs the dimensions as the overall score does. Below `PROVISIONAL_BELOW` the
grade is provisional, and every output says so with the coverage. Below `GRADE_WITHHELD_BELOW` there is
no grade at all ("withheld"): the score and its range are kept, the letter is not (`grade_status`).

A rule giving partial credit may rest partly on unknown facts (OP11 with a stated purpose and an unknown
audience): its `unassessed` points are those the unknown facts could still earn. They are left out of the
dimension's score (neither earned nor lost) and counted as unknown for coverage and for the range
(`low`/`high`), exactly as a rule not assessed is, so that an unknown fact never costs a point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, overload

from rankaudit.result import coverage_percent
from rankaudit.rules.base import DIMENSIONS, Dimension

DIMENSION_WEIGHTS: dict[Dimension, float] = {
    "opacity": 25,
    "statistical_robustness": 25,
    "comparability": 20,
    "quantitative_bias": 15,
    "freshness": 15,
}

# Lower bound of each grade, checked from the top.
GRADE_BANDS: tuple[tuple[str, float], ...] = (("A", 80), ("B", 65), ("C", 50), ("D", 35), ("E", 0))

# A grade resting on less than this share of established facts is provisional (rankaudit's cut-off:
# below 70%, more than three questions in ten were answered by nobody, and the grade says so).
PROVISIONAL_BELOW = 0.7

# Below this share of established facts the letter is withheld: the result keeps its score and range, and
# every output says "not graded". rankaudit's proposal: since an unknown fact costs no point, a letter
# resting on an eighth of a spec's questions (the press-only calibration spec grades A at 12%) describes
# how little its author read, not the ranking, and a table or a headline would quote it as a verdict. From
# half the questions answered, the answers found weigh at least as much as those missing, and the letter is
# given (provisional up to PROVISIONAL_BELOW, with its range).
GRADE_WITHHELD_BELOW = 0.5

# The state of a grade, decided once here: graded (coverage at least PROVISIONAL_BELOW), provisional
# (at least GRADE_WITHHELD_BELOW), withheld (below it: no letter), not_assessable (no score at all).
GradeStatus = Literal["graded", "provisional", "withheld", "not_assessable"]

# How a rule's points count for coverage: established (scored, or blocked by an established root),
# unknown (not assessed, or blocked by an unknown root), or none (not applicable).
Evidence = Literal["established", "unknown", "none"]


@dataclass(frozen=True)
class Scored:
    """The scoring-relevant part of a finding. `evidence` defaults to established for a score and to
    none (not applicable) for no score."""

    dimension: Dimension
    score: int | None
    core: bool
    evidence: Evidence | None = None
    blocked_by: str | None = None
    unassessed: int = 0  # points of this rule resting on unknown facts (see the module docstring)

    @property
    def counts_as(self) -> Evidence:
        if self.evidence is not None:
            return self.evidence
        return "established" if self.score is not None else "none"


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    score: float | None
    points: float
    max_points: float
    applicable_rules: int
    reason: str | None = None
    coverage: float | None = None
    established_points: float = 0.0
    unknown_points: float = 0.0
    # the score if every unknown fact turned out to fail (low) or to pass (high) its rules
    low: float | None = None
    high: float | None = None


def dimension_scores(findings: Iterable[Scored]) -> dict[Dimension, DimensionScore]:
    points: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
    maximum: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
    count: dict[Dimension, int] = dict.fromkeys(DIMENSIONS, 0)
    established: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
    unknown: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
    roots: dict[Dimension, list[str]] = {d: [] for d in DIMENSIONS}
    for finding in findings:
        weight = 2 if finding.core else 1
        kind = finding.counts_as
        # a scored rule's unassessed points are unknown evidence, the rest established
        open_points = finding.unassessed if finding.score is not None else 0
        if kind == "established":
            established[finding.dimension] += weight * (2 - open_points)
            unknown[finding.dimension] += weight * open_points
        elif kind == "unknown":
            unknown[finding.dimension] += weight * 2
        if finding.blocked_by and finding.blocked_by not in roots[finding.dimension]:
            roots[finding.dimension].append(finding.blocked_by)
        if finding.score is None:
            continue
        points[finding.dimension] += weight * finding.score
        maximum[finding.dimension] += weight * (2 - open_points)
        count[finding.dimension] += 1
    out: dict[Dimension, DimensionScore] = {}
    for dim in DIMENSIONS:
        evidence = established[dim] + unknown[dim]
        coverage = round(established[dim] / evidence, 4) if evidence else None
        span = maximum[dim] + unknown[dim]
        low = round(100 * points[dim] / span, 2) if span else None
        high = round(100 * (points[dim] + unknown[dim]) / span, 2) if span else None
        if maximum[dim] == 0:
            out[dim] = DimensionScore(
                dim, None, 0.0, 0.0, 0, _not_assessable(dim, roots[dim], unknown[dim] > 0, evidence > 0),
                coverage, established[dim], unknown[dim], low, high,
            )
        else:
            out[dim] = DimensionScore(
                dim, round(100 * points[dim] / maximum[dim], 2), points[dim], maximum[dim], count[dim], None,
                coverage, established[dim], unknown[dim], low, high,
            )
    return out


def _not_assessable(dim: Dimension, roots: list[str], unknown: bool, applicable: bool) -> str:
    """Why a dimension has no score, in the words every output prints."""
    if not applicable:
        if dim == "statistical_robustness":
            return "not assessable: no indicator data supplied"
        return "not assessable: no rule applies"
    parts = []
    if roots:
        parts.append(f"its rules are blocked by {' and '.join(roots)}")
    if unknown:
        parts.append("the facts its rules read are not found in the sources cited")
    return "not assessable: " + "; ".join(parts)


def weighted_mean(
    scores: dict[Dimension, DimensionScore], value: Callable[[DimensionScore], float | None], digits: int = 2
) -> float | None:
    """The mean of one number of the dimensions that have it, weighted as the overall score weighs them."""
    weighed = [(DIMENSION_WEIGHTS[d], v) for d, s in scores.items() if (v := value(s)) is not None]
    if not weighed:
        return None
    total = sum(w for w, _ in weighed)
    return round(sum(w * v for w, v in weighed) / total, digits)


def overall_coverage(scores: dict[Dimension, DimensionScore]) -> float | None:
    """The share of established facts over the dimensions, weighted as the overall score weighs them."""
    return weighted_mean(scores, lambda s: s.coverage, 4)


def overall_range(scores: dict[Dimension, DimensionScore]) -> tuple[float, float] | None:
    """The overall score if every unknown fact failed its rules, and if every one passed: how far the answers
    still missing could move a provisional grade (None when nothing can be scored either way)."""
    low, high = weighted_mean(scores, lambda s: s.low), weighted_mean(scores, lambda s: s.high)
    return None if low is None or high is None else (low, high)


def is_provisional(coverage: float | None) -> bool:
    """The coverage is below PROVISIONAL_BELOW: the grade is provisional, or withheld when below
    GRADE_WITHHELD_BELOW too (the range of a withheld grade is shown as a provisional one's is)."""
    return coverage is not None and coverage < PROVISIONAL_BELOW - 1e-9


def is_withheld(coverage: float | None) -> bool:
    """No letter is given when less than GRADE_WITHHELD_BELOW of the questions rest on established facts.

    The coverage compared is the one every output prints (rounded to 4 digits by `dimension_scores`), so that
    a result shown at 50% is graded and one shown at 49% is not."""
    return coverage is not None and coverage < GRADE_WITHHELD_BELOW - 1e-9


def grade_status(score: float | None, coverage: float | None) -> GradeStatus:
    """graded, provisional, withheld or not_assessable: the one decision every output reads."""
    if score is None:
        return "not_assessable"
    if is_withheld(coverage):
        return "withheld"
    return "provisional" if is_provisional(coverage) else "graded"


def given_grade(score: float | None, coverage: float | None) -> str | None:
    """The letter a result carries: the score's, or None when it is withheld or there is no score."""
    return None if is_withheld(coverage) else grade(score)


def coverage_text(coverage: float | None) -> str:
    """'38% of the questions answered from the sources cited', or '' when nothing applies."""
    if coverage is None:
        return ""
    # rounded down, so that a provisional grade never shows the threshold itself (69.6% -> 69%, not 70%)
    return f"{coverage_percent(coverage)} of the questions answered from the sources cited"


def span_letters(span: tuple[float, float] | None) -> tuple[str, str] | None:
    """The grades of the two ends of a range of scores (None without one): what the unanswered questions
    could still make of a provisional or withheld grade."""
    return None if span is None else (grade(span[0]), grade(span[1]))


def _span_words(span: tuple[float, float] | None) -> str:
    """'; E to A as the others are answered', '; E however the others are answered', or ''."""
    letters = span_letters(span)
    if letters is None:
        return ""
    low, high = letters
    if low == high:
        return f"; {low} however the others are answered"
    return f"; {low} to {high} as the others are answered"


def grade_text(letter: str | None, coverage: float | None, span: tuple[float, float] | None = None) -> str:
    """The grade in the words every output prints, from the letter of the score: 'E, provisional: 58% of the
    questions answered from the sources cited; E to B as the others are answered', 'A (92% of the questions
    answered from the sources cited)', 'not graded: 13% of the questions answered from the sources cited
    (a letter needs 50%); E to A as the others are answered', or 'not assessable'.

    A provisional grade names how far the unanswered questions could move it: the facts a spec's author
    found are not a random sample of the publisher's (what is published is easier to find), so the letter
    alone would overstate what is known. Below GRADE_WITHHELD_BELOW the letter is not printed at all."""
    if letter is None:
        return "not assessable" + (f" ({coverage_text(coverage)})" if coverage is not None else "")
    if is_withheld(coverage):
        needed = coverage_percent(GRADE_WITHHELD_BELOW)
        return f"not graded: {coverage_text(coverage)} (a letter needs {needed}){_span_words(span)}"
    if is_provisional(coverage):
        letters = span_letters(span)
        # a provisional letter that no answer could change needs no range
        return f"{letter}, provisional: {coverage_text(coverage)}" + (
            _span_words(span) if letters is not None and letters[0] != letters[1] else "")
    return f"{letter} ({coverage_text(coverage)})" if coverage is not None else letter


def grade_label(letter: str | None, coverage: float | None, span: tuple[float, float] | None = None) -> str:
    """The grade as a table cell prints it, from the letter of the score: the letter ('B'; tables say
    'provisional' in a column of their own), 'not graded (E-A)' when withheld, or 'not assessable'."""
    if letter is None:
        return "not assessable"
    if is_withheld(coverage):
        letters = span_letters(span)
        if letters is None:
            return "not graded"
        low, high = letters
        return f"not graded ({low}-{high})" if low != high else f"not graded ({low} either way)"
    return letter


def overall_score(scores: dict[Dimension, DimensionScore]) -> float | None:
    return weighted_mean(scores, lambda s: s.score)


@overload
def grade(overall: float) -> str: ...
@overload
def grade(overall: None) -> None: ...
@overload
def grade(overall: float | None) -> str | None: ...
def grade(overall: float | None) -> str | None:
    if overall is None:
        return None
    for letter, lower in GRADE_BANDS:
        if overall >= lower:
            return letter
    return "E"


def assessable_weight(scores: dict[Dimension, DimensionScore]) -> float:
    """The sum of the weights of the dimensions that could be assessed."""
    return sum(DIMENSION_WEIGHTS[d] for d, s in scores.items() if s.score is not None)


def points_worth(
    dimension: Dimension, core: bool, points: float, max_points: float, assessable: float
) -> tuple[float, float]:
    """What `points` points of one rule weigh: in its dimension's score, and in the overall score."""
    if not max_points or not assessable:
        return 0.0, 0.0
    in_dimension = 100 * (2 if core else 1) * points / max_points
    return in_dimension, in_dimension * DIMENSION_WEIGHTS[dimension] / assessable


def contribution(
    findings: Sequence[Scored], dimension: Dimension, core: bool, points: int
) -> tuple[float, float | None]:
    """How much `points` points of one rule weigh: in its dimension's score and in the overall score.

    Used to explain a score ("this finding costs 6.25 points of opacity") and checked by a test
    that compares two specs differing in one disclosure.
    """
    scores = dimension_scores(findings)
    dim = scores[dimension]
    if dim.max_points == 0:
        return 0.0, None
    return points_worth(dimension, core, points, dim.max_points, assessable_weight(scores))

"""Rule verdicts -> dimension scores, overall score and grade.

The architecture is the IREG Ranking Audit's: every rule scores 0, 1 or 2 points, core rules
count double, and a dimension's score is the share of the points available from its applicable
rules, as a percentage. A rule that does not apply costs nothing; a dimension in which no rule
applies is "not assessable" (null), never a silent 0 or 100.

The overall score is a weighted mean of the assessable dimensions. The dimension weights and the
grade bands are rankaudit's own proposals (research notes, criteria section 8), stated here so
that any score can be recomputed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Scored:
    """The scoring-relevant part of a finding."""

    dimension: Dimension
    score: int | None
    core: bool


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    score: float | None
    points: float
    max_points: float
    applicable_rules: int
    reason: str | None = None


def dimension_scores(findings: Iterable[Scored]) -> dict[Dimension, DimensionScore]:
    points: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
    maximum: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
    count: dict[Dimension, int] = dict.fromkeys(DIMENSIONS, 0)
    for finding in findings:
        if finding.score is None:
            continue
        weight = 2 if finding.core else 1
        points[finding.dimension] += weight * finding.score
        maximum[finding.dimension] += weight * 2
        count[finding.dimension] += 1
    out: dict[Dimension, DimensionScore] = {}
    for dim in DIMENSIONS:
        if maximum[dim] == 0:
            reason = (
                "not assessable: no indicator data supplied"
                if dim == "statistical_robustness"
                else "not assessable: no rule applies"
            )
            out[dim] = DimensionScore(dim, None, 0.0, 0.0, 0, reason)
        else:
            out[dim] = DimensionScore(
                dim, round(100 * points[dim] / maximum[dim], 2), points[dim], maximum[dim], count[dim]
            )
    return out


def overall_score(scores: dict[Dimension, DimensionScore]) -> float | None:
    assessable = [(DIMENSION_WEIGHTS[d], s.score) for d, s in scores.items() if s.score is not None]
    if not assessable:
        return None
    total = sum(w for w, _ in assessable)
    return round(sum(w * s for w, s in assessable) / total, 2)  # type: ignore[operator]


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

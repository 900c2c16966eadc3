"""JSON-serialisable results of the statistical audit (pydantic v2).

Every number passes through :func:`clean_number`: NaN and infinities become ``None`` (JSON has no NaN)
and floats are rounded to 6 significant digits so that the JSON output is byte-for-byte deterministic
across platforms and BLAS builds (the last bits of a float sum depend on the summation order); the
values of the P-spline smoothings, less stable across BLAS kernels, to 4 (:data:`SMOOTHED_SIG_DIGITS`).

Conventions used throughout:

* ranks: 1 = best; tied units share the lowest rank ("min" method, like ``rank(ties = "min")`` in R);
* Monte Carlo rank statistics (``median_rank`` ...) are ``None`` when no Monte Carlo ran;
* correlation matrices are ``row_ids`` x ``col_ids`` nested lists, ``None`` where undefined;
* ``*_ci`` are ``[low, high]`` bootstrap percentile intervals at ``StatsParams.ci_level``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

SIG_DIGITS = 6


def clean_number(value: Any, sig_digits: int = SIG_DIGITS) -> float | None:
    """Round to `sig_digits` significant digits; map NaN/inf/None to None."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:  # pragma: no cover - programming error
        raise ValueError(f"not a number: {value!r}") from exc
    if not math.isfinite(x):
        return None
    if x == 0.0:
        return 0.0  # also normalises -0.0
    digits = sig_digits - 1 - math.floor(math.log10(abs(x)))
    return float(round(x, digits))


def _clean_list(value: Any) -> Any:
    if value is None:
        return None
    return [_clean_list(v) if isinstance(v, list | tuple) else clean_number(v) for v in value]


Num = Annotated[float | None, BeforeValidator(clean_number)]
"""A rounded, finite float or None."""

SMOOTHED_SIG_DIGITS = 4
"""Significant digits of what comes from the P-spline smoothings (correlation ratios, and the shares,
ratios and divergence computed from them). These differ by up to 1.7e-9 (relative) between BLAS
kernels (ASEM audit, OpenBLAS SkylakeX vs Prescott), every other statistic by at most 3e-14. At 6
digits, one of the ~150 smoothed values of an audit straddles a rounding boundary, and the JSON
differs between kernels, with a chance of up to about 10 %; at 4 digits, about 0.1 %. Reports show
these values to 2 or 3 digits."""


def _clean_smoothed(value: Any) -> float | None:
    return clean_number(value, SMOOTHED_SIG_DIGITS)


Smoothed = Annotated[float | None, BeforeValidator(_clean_smoothed)]
"""A value from a P-spline smoothing: rounded to the digits that are the same on every BLAS kernel."""
NumList = Annotated[list[float | None], BeforeValidator(_clean_list)]
NumMatrix = Annotated[list[list[float | None]], BeforeValidator(_clean_list)]
Interval = Annotated[list[float | None], BeforeValidator(_clean_list)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitResult(_Model):
    """One ranked unit (city)."""

    id: str
    name: str | None = None
    score: Num = None
    rank: int | None = None
    availability: Num = None
    low_availability: bool = False
    median_rank: Num = None
    q05_rank: Num = None
    q95_rank: Num = None
    mean_rank: Num = None
    scores: dict[str, Num] = Field(default_factory=dict, description="score of every aggregate node")


class IndicatorStats(_Model):
    """Descriptive statistics and flags of one indicator (on the raw, untreated values)."""

    id: str
    name: str | None = None
    parent: str
    direction: int
    n_available: int
    availability: Num
    min: Num = None
    max: Num = None
    mean: Num = None
    median: Num = None
    sd: Num = None
    skew: Num = None
    kurtosis: Num = Field(default=None, description="excess kurtosis, e1071 type 2 / Excel")
    mode_share: Num = Field(default=None, description="share of available units sharing the most common value")
    frac_nonzero: Num = None
    frac_unique: Num = None
    low_availability: bool = False
    outlier: bool = Field(default=False, description="|skew| > 2 and kurtosis > 3.5")
    low_information: bool = Field(default=False, description="more than 50% of units share one value")
    treatment: str | None = Field(default=None, description="outlier treatment applied in the nominal build")
    treated_points: int = 0
    corr_parent: Num = None


class CorrelationMatrix(_Model):
    name: str
    method: Literal["pearson", "spearman"] = "pearson"
    row_ids: list[str]
    col_ids: list[str]
    values: NumMatrix


ComparedBy = Literal["rank", "score"]
FlagKind = Literal["collinear", "negative", "weak_parent", "stronger_other_parent"]


class CorrelationFlag(_Model):
    kind: FlagKind
    group: str | None = None
    a: str
    b: str
    r: Num
    p_value: Num = None
    significant: bool = True
    threshold: Num = None
    other_r: Num = Field(default=None, description="for stronger_other_parent: r with the other aggregate")


class PCAResult(_Model):
    eigenvalues: NumList
    variance_share_pc1: Num
    n_eigen_gt_1: int
    loadings_pc1: dict[str, Num]


class GroupStats(_Model):
    """Internal consistency and dimensionality of one aggregate node's children."""

    id: str
    level: int
    children: list[str]
    n_complete: int
    cronbach_alpha: Num = None
    pca: PCAResult | None = None


class DenominatorCorrelation(_Model):
    indicator: str
    denominator: str
    r: Num
    flagged: bool


class WeightImportance(_Model):
    indicator: str
    nominal_weight: Num = Field(description="weight within the parent, as given")
    effective_weight: Num = Field(description="product of normalised nested weights (sums to 1)")
    correlation_ratio: Smoothed = Field(default=None, description="S_i = V[E(y|x_i)]/V(y), y = index")
    importance_share: Smoothed = Field(default=None, description="S_i / sum(S)")
    ratio: Smoothed = Field(default=None, description="importance_share / effective_weight")


class ImportanceSummary(_Model):
    estimator: str
    divergence: Smoothed = Field(
        description="0.5 * sum |importance_share - effective_weight| (0 = match, 1 = disjoint)"
    )
    items: list[WeightImportance]


class RankDifference(_Model):
    id: str
    published_rank: Num = None
    computed_rank: Num = None
    published_score: Num = None
    computed_score: Num = None


class ReproductionResult(_Model):
    compared_by: ComparedBy
    n_compared: int
    spearman_rho: Num = None
    max_rank_shift: Num = None
    max_score_diff: Num = None
    n_differing: int = 0
    differing_units: list[RankDifference] = Field(default_factory=list)
    mean_score_diff: Num = Field(default=None, description="mean |published - rebuilt score| (scores compared)")
    worst_score_unit: str | None = Field(default=None, description="the unit with the largest score difference")
    exact_rank_share: Num = Field(default=None, description="share of compared units whose rank is reproduced")
    worst_rank_unit: str | None = Field(default=None, description="the unit with the largest rank difference")
    published_score_range: Num = Field(default=None, description="max - min of the published scores")


class SensitivityIndex(_Model):
    assumption: str
    first_order: Num
    total_effect: Num
    first_order_ci: Interval
    total_effect_ci: Interval


class RobustnessSummary(_Model):
    replications: int
    share_nominal_within_2_of_median: Num = Field(description="share of units with |nominal - median rank| <= 2")
    mean_share_runs_within_2_of_median: Num = Field(
        description="average over units of the share of runs ranked within +/-2 of the unit's median rank"
    )
    median_interval_width: Num = Field(description="median over units of (Q95 - Q05 rank)")
    median_interval_width_over_n: Num
    mean_abs_rank_shift: Num = Field(description="mean over runs and units of |rank - nominal rank|")
    dominant_assumption: str | None = None
    distinct_builds: int | None = Field(
        default=None,
        description="how many different indices the replications built: all of them when weights are drawn, "
        "else at most the number of combinations of the discrete alternatives",
    )


class RemoveOneImpact(_Model):
    element: str
    level: int
    mean_abs_rank_shift: Num
    max_abs_rank_shift: Num
    share_of_n: Num = Field(description="mean_abs_rank_shift / number of ranked units")


class StatsParams(_Model):
    replications: int
    seed: int
    sensitivity: bool
    base_sample: int | None = None
    assumptions: list[str] = Field(default_factory=list)
    bootstrap: int = 0
    ci_level: Num = 0.9
    design: dict[str, Any] = Field(default_factory=dict)


class StatsResult(_Model):
    """The complete statistical audit of one index."""

    schema_version: Literal[1] = 1
    index_id: str
    n_units: int
    n_indicators: int
    n_missing: int
    units: list[UnitResult]
    indicators: list[IndicatorStats]
    correlations: list[CorrelationMatrix] = Field(default_factory=list)
    correlation_flags: list[CorrelationFlag] = Field(default_factory=list)
    groups: list[GroupStats] = Field(default_factory=list)
    denominators: list[DenominatorCorrelation] = Field(default_factory=list)
    importance: ImportanceSummary | None = None
    reproduction: ReproductionResult | None = None
    robustness: RobustnessSummary | None = None
    sensitivity: list[SensitivityIndex] = Field(default_factory=list)
    remove_one: list[RemoveOneImpact] = Field(default_factory=list)
    parameters: StatsParams | None = None
    warnings: list[str] = Field(default_factory=list)

"""A plain description of a composite index, independent of the YAML spec.

``IndexModel`` says *how* an index is built (COINr vocabulary in brackets):

1. imputation of missing values (``Impute``), default none = available-case aggregation;
2. outlier treatment on the raw values (``Treat``): Winsorise up to ``winmax`` points while
   |skew| > 2 AND excess kurtosis > 3.5, else fall back to ``log(x - min + 0.01 (max - min))``;
3. normalisation after multiplying each indicator by its direction (``Normalise``);
4. aggregation level by level with weighted means, skipping missing children and re-normalising
   the weights of the present ones (``Aggregate`` with ``a_amean``/``a_gmean``/``a_hmean``).

Levels are numbered as in COINr: level 1 = indicators, level 2 = the first aggregates (pillars) ...
``hierarchy[0]`` holds the level-2 nodes, ``hierarchy[-1]`` the single index node. Every element of
level k must be the child of exactly one node of level k+1 (a strict tree without level skipping).

Weights are relative: a node's child weights are divided by their sum (of the children present).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rankaudit.stats import methods
from rankaudit.stats.methods import ImputationMethod, Method, MethodError, NormalisationMethod

AggMethod = Literal["arithmetic", "geometric", "harmonic"]


class ModelError(MethodError):
    """An inconsistent IndexModel (raised before any computation)."""


def _bind(target: object, lookup: Callable[[str], Method], noun: str, method: str, args: tuple[Any, ...],
          kwargs: dict[str, Any]) -> None:
    """Set ``method`` and its checked ``params`` on a frozen method-with-values (ModelError when invalid)."""
    try:
        kind = lookup(method)
        params = kind.bind(args, kwargs)
    except MethodError as exc:
        raise ModelError(str(exc)) from None
    for problem in kind.problems(dict(params)):
        raise ModelError(f"{method} {noun}: {problem.message}")
    object.__setattr__(target, "method", method)
    object.__setattr__(target, "params", params)


@dataclass(frozen=True, init=False)
class Normalisation:
    """A normalisation of the vocabulary (``rankaudit.stats.methods``) with its parameter values.

    ``Normalisation("minmax", 1, 100)`` or ``Normalisation("zscore", mean=10, sd=2)``: positional
    values follow the method's declared parameters; missing ones take its defaults; every value is
    checked by the method's own declaration (finite numbers, bounds, cross-parameter rules), so an
    invalid normalisation cannot be built. Parameters read as attributes (``norm.lower``).
    """

    method: str
    params: tuple[tuple[str, Any], ...]

    def __init__(self, method: str = "minmax", /, *args: Any, **kwargs: Any) -> None:
        _bind(self, methods.normalisation, "normalisation", method, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        # only called for names that are not fields: the method's parameters
        for key, value in self.__dict__.get("params", ()):
            if key == name:
                return value
        raise AttributeError(name)

    @property
    def kind(self) -> NormalisationMethod:
        return methods.normalisation(self.method)

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)

    def can_yield_nonpositive(self) -> bool:
        return self.kind.can_yield_nonpositive(self.values)

    def label(self) -> str:
        return self.kind.label(self.values)


@dataclass(frozen=True)
class Imputation:
    """Missing-value imputation of the vocabulary. ``none`` keeps NaN (available-case aggregation).

    ``group_mean``/``group_median`` impute within groups of units given by ``group_column`` (e.g.
    ``EurAsia_group``, COINr ``i_mean_grp``); a group with no available value falls back to the
    overall statistic.
    """

    method: str = "none"
    group_column: str | None = None

    def __post_init__(self) -> None:
        try:
            kind = methods.imputation(self.method)
        except MethodError as exc:
            raise ModelError(str(exc)) from None
        if kind.by_group != bool(self.group_column):
            raise ModelError(f"{self.method} imputation needs a group column" if kind.by_group else
                             f"{self.method} imputation takes no group column (use group_{self.method})")

    @property
    def kind(self) -> ImputationMethod:
        return methods.imputation(self.method)

    def label(self) -> str:
        return self.method if self.group_column is None else f"{self.kind.statistic}_by_{self.group_column}"


@dataclass(frozen=True)
class OutlierTreatment:
    """COINr ``Treat`` defaults: winsorise up to ``winmax`` points, else log transform.

    ``log`` log-transforms every flagged indicator directly (COINr ``log_CT``)."""

    method: str = "none"
    winmax: int = 5
    skew_thresh: float = 2.0
    kurt_thresh: float = 3.5
    log_fallback: bool = True

    def __post_init__(self) -> None:
        try:
            methods.outliers("winsorise").bind((), {"winmax": self.winmax})
            methods.outliers(self.method)
        except MethodError as exc:
            raise ModelError(str(exc)) from None


@dataclass(frozen=True)
class ScoreFormula:
    """A formula that turns the index's weighted mean into the published score (``methods.formula``).

    ``ScoreFormula("linear", intercept=100, floor=0)``: with the index's children weighted by
    ``|c_i|``, directed by ``sign(c_i)`` and not normalised, the index is
    ``clip(intercept + sum c_i x_i, floor, ceiling)``.
    """

    method: str
    params: tuple[tuple[str, Any], ...]

    def __init__(self, method: str = "linear", /, **kwargs: Any) -> None:
        _bind(self, methods.score_formula, "formula", method, (), kwargs)

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)

    def label(self) -> str:
        return methods.score_formula(self.method).label(self.values)


@dataclass(frozen=True)
class AggregateNode:
    """One aggregate: ``children`` ids with relative ``weights``, combined with ``method``."""

    id: str
    children: tuple[str, ...]
    weights: tuple[float, ...]
    method: AggMethod = "arithmetic"


@dataclass(frozen=True)
class UncertaintyDesign:
    """The assumptions varied in the Monte Carlo uncertainty/sensitivity analysis.

    Each non-empty entry is one uncertain *assumption* (one factor group of the Sobol design):

    * ``weight_noise``: ``((level, factor), ...)``; every weight of that level (COINr numbering:
      2 = pillar weights inside their sub-index ...) is multiplied by an independent U[1-f, 1+f]
      (COINr ``get_noisy_weights``; f = 0.25 gives the JRC +/-25 %);
    * ``normalisations``, ``aggregations`` (applied to every node), ``winsorisation`` (winmax
      values; 0 = no treatment), ``imputations``: discrete alternatives, uniform over entries;
    * ``leave_one_out``: a level (1 = indicators, 2 = pillars ...); alternatives are "keep all" and
      "drop element e" for each element of that level.

    COINr-compatible options: ``weight_sets = K`` draws K noisy weight vectors once (every level of
    ``weight_noise`` in each; COINr ``get_noisy_weights(Nrep = K)``) and each replication picks one,
    so all weight levels are ONE factor ("weights") as in COINr's designs; ``sobol_estimator =
    "coinr"`` uses COINr's first-order estimator (see ``sensitivity.ESTIMATORS``); ``sobol_bootstrap =
    "coinr"`` bootstraps the confidence intervals as COINr does, each index's terms resampled separately
    with the variance fixed (see ``sensitivity.BOOTSTRAPS``).
    """

    weight_noise: tuple[tuple[int, float], ...] = ()
    normalisations: tuple[Normalisation, ...] = ()
    aggregations: tuple[AggMethod, ...] = ()
    winsorisation: tuple[int, ...] = ()
    imputations: tuple[Imputation, ...] = ()
    leave_one_out: int | None = None
    weight_sets: int | None = None
    sobol_estimator: str = "saltelli2010"
    sobol_bootstrap: str = "joint"

    def is_empty(self) -> bool:
        return not (
            self.weight_noise
            or len(self.normalisations) > 1
            or len(self.aggregations) > 1
            or len(self.winsorisation) > 1
            or len(self.imputations) > 1
            or self.leave_one_out is not None
        )

    def describe(self) -> dict[str, object]:
        return {
            "weight_noise": {str(lvl): f for lvl, f in self.weight_noise},
            "normalisations": [n.label() for n in self.normalisations],
            "aggregations": list(self.aggregations),
            "winsorisation": list(self.winsorisation),
            "imputations": [i.label() for i in self.imputations],
            "leave_one_out": self.leave_one_out,
            # the COINr options appear only when used, so other designs describe themselves as before
            **({"weight_sets": self.weight_sets} if self.weight_sets else {}),
            **({"sobol_estimator": self.sobol_estimator} if self.sobol_estimator != "saltelli2010" else {}),
            **({"sobol_bootstrap": self.sobol_bootstrap} if self.sobol_bootstrap != "joint" else {}),
        }


@dataclass(frozen=True)
class IndexModel:
    """How an index is computed from an indicator table (see module docstring)."""

    indicators: tuple[str, ...]
    directions: tuple[int, ...]
    hierarchy: tuple[tuple[AggregateNode, ...], ...]
    normalisation: Normalisation = field(default_factory=Normalisation)
    imputation: Imputation = field(default_factory=Imputation)
    outliers: OutlierTreatment = field(default_factory=OutlierTreatment)
    availability_threshold: float | None = None
    """Aggregate is missing if the share of available children is below this (COINr dat_thresh)."""
    denominators: tuple[str, ...] = ()
    """Data columns holding size variables (population, GDP ...) for the scale-bias check."""
    uncertainty: UncertaintyDesign = field(default_factory=UncertaintyDesign)
    indicator_names: Mapping[str, str] | None = None
    indicator_normalisations: tuple[Normalisation | None, ...] | None = None
    """Per-indicator overrides of ``normalisation`` in the nominal build (None = the default).
    Normalisation alternatives of the uncertainty design apply to every indicator (COINr global_specs)."""
    unit_coverage_threshold: float | None = None
    """Units with a smaller share of available indicators are not scored (COINr ``Screen``)."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Synthetic pass-through nodes (single child) that level a ragged tree -> the real element
    they stand for. They are hidden from results."""
    formula: ScoreFormula | None = None
    """A published formula applied to the index's weighted mean (a flat index of raw components)."""

    # -- derived helpers -------------------------------------------------------------------------
    @property
    def index_id(self) -> str:
        return self.hierarchy[-1][0].id

    @property
    def n_levels(self) -> int:
        """Number of levels including the indicator level."""
        return len(self.hierarchy) + 1

    def level_elements(self, level: int) -> tuple[str, ...]:
        """Ids of the elements of a level (COINr numbering, 1 = indicators)."""
        if level == 1:
            return self.indicators
        return tuple(n.id for n in self.hierarchy[level - 2])

    def real_id(self, node_id: str) -> str:
        """The element a node stands for (itself unless it is a synthetic pass-through)."""
        return self.aliases.get(node_id, node_id)

    def parent_of(self) -> dict[str, str]:
        return {c: node.id for lvl in self.hierarchy for node in lvl for c in node.children}

    def real_parent_of(self) -> dict[str, str]:
        """Parent of every real element, skipping synthetic pass-through nodes."""
        direct = self.parent_of()
        out = {}
        for child in direct:
            if child in self.aliases:
                continue
            p = direct[child]
            while p in self.aliases:
                p = direct[p]
            out[child] = p
        return out

    def validate(self) -> None:
        """Raise ModelError on structural inconsistencies."""
        ind = self.indicators
        if not ind:
            raise ModelError("the model has no indicators")
        if len(set(ind)) != len(ind):
            dup = sorted({i for i in ind if ind.count(i) > 1})
            raise ModelError(f"duplicate indicator ids: {dup}")
        if len(self.directions) != len(ind):
            raise ModelError(f"{len(self.directions)} directions for {len(ind)} indicators")
        bad = [i for i, d in zip(ind, self.directions, strict=True) if d not in (1, -1)]
        if bad:
            raise ModelError(f"direction must be +1 or -1 (indicators {bad})")
        if not self.hierarchy:
            raise ModelError("the model has no aggregation levels")
        if len(self.hierarchy[-1]) != 1:
            raise ModelError(f"the top level must hold exactly one node, found {len(self.hierarchy[-1])}")
        all_ids = set(ind)
        below: tuple[str, ...] = ind
        for k, lvl in enumerate(self.hierarchy, start=2):
            seen: dict[str, str] = {}
            for node in lvl:
                if node.id in all_ids:
                    raise ModelError(f"id {node.id!r} is used twice")
                all_ids.add(node.id)
                if not node.children:
                    raise ModelError(f"aggregate {node.id!r} has no children")
                if len(node.weights) != len(node.children):
                    raise ModelError(f"aggregate {node.id!r}: {len(node.weights)} weights for "
                                     f"{len(node.children)} children")
                if any(w < 0 for w in node.weights) or sum(node.weights) <= 0:
                    raise ModelError(f"aggregate {node.id!r}: weights must be >= 0 with a positive sum")
                if node.method not in methods.names("aggregation"):
                    raise ModelError(f"aggregate {node.id!r}: unknown method {node.method!r}")
                for c in node.children:
                    if c in seen:
                        raise ModelError(f"{c!r} is a child of both {seen[c]!r} and {node.id!r}")
                    seen[c] = node.id
            missing = [e for e in below if e not in seen]
            below_set = set(below)  # once: a set per child would be quadratic in wide levels
            unknown = [c for c in seen if c not in below_set]
            if unknown:
                raise ModelError(f"level {k} nodes have children {unknown} that are not level-{k - 1} elements")
            if missing:
                raise ModelError(f"level-{k - 1} elements {missing} have no parent at level {k}")
            below = tuple(n.id for n in lvl)
        if self.indicator_normalisations is not None and len(self.indicator_normalisations) != len(ind):
            raise ModelError("indicator_normalisations needs one entry per indicator")
        if self.unit_coverage_threshold is not None and not 0 <= self.unit_coverage_threshold <= 1:
            raise ModelError("unit_coverage_threshold must be within [0, 1]")
        if self.availability_threshold is not None and not 0 <= self.availability_threshold <= 1:
            raise ModelError("availability_threshold must be within [0, 1]")
        # each normalisation checked its own parameters when it was built; what only the model knows:
        overrides = tuple(n for n in (self.indicator_normalisations or ()) if n is not None)
        for norm in (self.normalisation, *self.uncertainty.normalisations, *overrides):
            if norm.method == "distance_to_target" and len(norm.values["targets"] or ()) != len(ind):
                raise ModelError("distance_to_target normalisation needs one target per indicator")
        unknown = [a for a in self.uncertainty.aggregations if a not in methods.names("aggregation")]
        if unknown:
            raise ModelError(f"unknown aggregation alternative {unknown[0]!r}")
        for level, f in self.uncertainty.weight_noise:
            if not 1 <= level < self.n_levels:
                raise ModelError(f"weight noise level {level} must be within 1..{self.n_levels - 1}")
            if not 0 <= f < 1:
                raise ModelError(f"weight noise factor {f} must be within [0, 1)")
        loo = self.uncertainty.leave_one_out
        if loo is not None and not 1 <= loo < self.n_levels:
            raise ModelError(f"leave_one_out level {loo} must be within 1..{self.n_levels - 1}")
        if self.uncertainty.weight_sets is not None and self.uncertainty.weight_sets < 2:
            raise ModelError("weight_sets needs at least 2 weight vectors")
        if self.uncertainty.sobol_estimator not in ("saltelli2010", "coinr"):
            raise ModelError(f"unknown Sobol estimator {self.uncertainty.sobol_estimator!r}")
        if self.uncertainty.sobol_bootstrap not in ("joint", "coinr"):
            raise ModelError(f"unknown Sobol bootstrap {self.uncertainty.sobol_bootstrap!r}")
        if any(w < 0 for w in self.uncertainty.winsorisation):
            raise ModelError("winsorisation alternatives must be >= 0")
        if self.formula is not None and len(self.hierarchy) != 1:
            raise ModelError("a score formula applies to a flat index (the index's children are its terms)")

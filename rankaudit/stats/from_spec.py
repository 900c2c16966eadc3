"""From a ranking spec (rankaudit.spec.models.Spec) to an IndexModel, its data, and the audit.

What the spec leaves open is filled with the JRC/COINr defaults, and each such assumption is
reported in ``StatsResult.warnings`` (undisclosed weights -> equal; aggregation -> arithmetic;
normalisation -> min-max [0, 100]; direction -> higher is better).

A ragged hierarchy (indicators at different depths) is levelled with pass-through nodes of one
child, so that every indicator sits at the deepest level; they carry the element's weight at the
element's own depth (weight-noise levels keep their meaning) and are hidden from results.

Without an ``uncertainty`` section the JRC default design runs (criteria S8): weights +/-25 % at
every group level, min-max [1,100] vs z-score (10, 2), arithmetic vs geometric mean, plus
winsorisation 1-5 when the ranking winsorises and imputation on/off when data are missing.

Error codes (SpecError diagnostics): RA301 values file, RA302 published-results file,
RA303 the spec cannot be turned into a computable model.
"""

from __future__ import annotations

import warnings as warnings_module
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.spec.load import data_diagnostic, data_file_name, divisor_columns, expected_units
from rankaudit.spec.models import Indicator, NormalisationBase, Spec, Structure
from rankaudit.spec.tree import NodeRef, Tree
from rankaudit.spec.yamlsafe import PositionIndex
from rankaudit.stats import methods
from rankaudit.stats.coherence import DEFAULT_THRESHOLDS, Thresholds
from rankaudit.stats.csvfile import read_published
from rankaudit.stats.data import DataError, UnitData, load_values
from rankaudit.stats.methods.denomination import Denomination
from rankaudit.stats.model import (
    AggregateNode,
    Imputation,
    IndexModel,
    ModelError,
    Normalisation,
    OutlierTreatment,
    ScoreFormula,
    UncertaintyDesign,
)
from rankaudit.stats.result import StatsResult
from rankaudit.stats.transform import denominate
from rankaudit.stats.uncertainty import ResourceError

VALUES_ERROR = "RA301"
PUBLISHED_ERROR = "RA302"
MODEL_ERROR = "RA303"

DEFAULT_NOISE = 0.25
DEFAULT_NORMALISATIONS = (Normalisation("minmax", 1, 100), Normalisation("zscore", mean=10, sd=2))


@dataclass
class Mapped:
    """An IndexModel built from a spec, with the assumptions made on the way."""

    model: IndexModel
    columns: tuple[str, ...]  # data column of each indicator
    warnings: list[str] = field(default_factory=list)
    default_design: bool = False
    denominations: tuple[Denomination | None, ...] = ()
    """Per indicator, the size column its raw values are divided by first (empty: no indicator is)."""


class _Fail(Exception):
    def __init__(self, message: str, path: tuple[Any, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


# ------------------------------------------------------------------------------------------------
# spec vocabulary -> model vocabulary
# ------------------------------------------------------------------------------------------------
def _normalisation(spec_norm: NormalisationBase | str | None, targets: tuple[float | None, ...],
                   warnings: list[str], what: str) -> Normalisation:
    """The engine's normalisation for the spec's: the same method object, the same parameter values."""
    if not isinstance(spec_norm, NormalisationBase) or spec_norm.method == "other":
        desc = "is not disclosed" if not isinstance(spec_norm, NormalisationBase) else "is 'other'"
        warnings.append(f"the normalisation of {what} {desc}: min-max [0, 100] assumed")
        return Normalisation("minmax", 0, 100)
    values = spec_norm.values()
    if "targets" in values:  # distance to target: each indicator's own `target`
        values["targets"] = targets
    try:
        return Normalisation(spec_norm.method, **values)
    except ModelError as exc:  # the semantic checks report these located; a bare model_from_spec call lands here
        raise _Fail(str(exc), ("method", "normalisation")) from None


def _aggregation(value: str | None, warnings: list[str], what: str) -> str:
    if value is not None and value in methods.names("aggregation"):
        return value
    absent = value in (None, "undisclosed", "unknown")
    warnings.append(f"the aggregation of {what} is {'not disclosed' if absent else value!r}:"
                    " arithmetic mean assumed")
    return "arithmetic"


def _imputation(value: str | None, group: str | None) -> Imputation | None:
    """The engine's imputation (None: other / undisclosed). Raises _Fail for a group method without groups."""
    if value in (None, "none"):
        return Imputation("none")
    if value not in methods.names("imputation"):
        return None
    if methods.imputation(value).by_group and not group:
        raise _Fail("group imputation needs `group_by` (or data.group_column)", ("method", "missing_data"))
    return Imputation(value, group if methods.imputation(value).by_group else None)


def _index_id(tree: Tree) -> str:
    used = {r.id for r in tree.nodes if r.depth > 0}
    return "index" if "index" not in used else "__index__"


def model_from_spec(spec: Spec) -> Mapped:
    """Map a spec onto an IndexModel. Raises _Fail (message, spec path) when it cannot."""
    tree = Tree(spec)
    warnings: list[str] = []
    if tree.unlisted_groups:
        unlisted = tree.unlisted_groups[0]
        raise _Fail(f"group {unlisted.id!r} does not list its children: the statistical audit needs the whole "
                    "hierarchy", (*unlisted.path, "children"))
    if not spec.structure.complete:
        warnings.append("the spec lists only part of the hierarchy: the rebuilt index covers that part only")
    inds = tree.indicators
    if not inds:
        raise _Fail("the structure has no indicators", ("structure",))
    depth_max = max(i.depth for i in inds)
    index_id = _index_id(tree)

    def rid(ref: NodeRef) -> str:
        return index_id if isinstance(ref.node, Structure) else ref.id

    # indicators, directions, normalisation
    assumed_from = len(warnings)  # what is assumed below about the method does not apply to a published formula
    ids = tuple(i.id for i in inds)
    columns = tuple(i.node.column or i.id for i in inds)
    directions = []
    for i in inds:
        d = i.node.direction
        if d not in ("higher_is_better", "lower_is_better"):
            warnings.append(f"the direction of indicator {i.id!r} is not disclosed: higher is better assumed")
        directions.append(-1 if d == "lower_is_better" else 1)
    targets = tuple(i.node.target for i in inds)
    denominations = _denominations(spec, inds)
    method = spec.method
    default_norm_spec = method.normalisation if method else None
    norm = _normalisation(default_norm_spec, targets, warnings, "the indicators")
    overrides: list[Normalisation | None] = []
    for i in inds:
        own = i.node.normalisation
        overrides.append(None if own is None else _normalisation(own, targets, warnings, f"indicator {i.id!r}"))
    if norm.method == "distance_to_target":
        missing = [i.id for i, t in zip(inds, targets, strict=True) if t is None]
        if missing:
            raise _Fail(f"distance-to-target normalisation needs a `target` for {missing}", ("method", "normalisation"))

    # hierarchy, levelled: hierarchy[k] holds the nodes at depth depth_max - 1 - k
    by_depth: dict[int, list[AggregateNode]] = {d: [] for d in range(depth_max)}
    aliases: dict[str, str] = {}

    def representative(child: NodeRef) -> str:
        """Id standing for ``child`` at its own depth; pads an indicator down to depth_max."""
        if not child.is_indicator or child.depth == depth_max:
            return child.id
        below = child.id
        for d in range(depth_max - 1, child.depth - 1, -1):
            pad = f"{child.id}~{d}"
            aliases[pad] = child.id
            by_depth[d].append(AggregateNode(pad, (below,), (1.0,)))
            below = pad
        return below

    for g in tree.groups:
        kids = tree.children_of(g)
        disclosed = tree.child_weights(g)
        w = [x for x in disclosed if x is not None]
        if len(w) < len(disclosed):
            warnings.append(f"the weights of {'the index' if g.depth == 0 else repr(g.id)}'s children are not "
                            "disclosed: equal weights assumed")
            w = [1.0] * len(kids)
        agg = _aggregation(tree.aggregation(g), warnings, "the index" if g.depth == 0 else f"group {g.id!r}")
        by_depth[g.depth].append(AggregateNode(rid(g), tuple(representative(k) for k in kids),
                                               tuple(float(x) for x in w), agg))  # type: ignore[arg-type]  # agg: a registered aggregation name (_aggregation checks it); AggMethod is their static Literal
    hierarchy = tuple(tuple(by_depth[d]) for d in range(depth_max - 1, -1, -1))
    formula = _formula(spec, ids, index_id)
    if formula is not None:
        del warnings[assumed_from:]
        directions, hierarchy, score_formula = formula
        norm, overrides, aliases, depth_max = Normalisation("none"), [], {}, 1

    # data treatment
    imputation = Imputation("none")
    coverage = None
    group_col = spec.data.group_column if spec.data else None
    md = method.missing_data if method else None
    if md is not None and not isinstance(md, str):  # a string here is `undisclosed` or `unknown`
        imp = _imputation(md.imputation, md.group_by or group_col)
        if imp is None:
            warnings.append("the imputation method is not disclosed: available-case aggregation assumed")
        else:
            imputation = imp
        coverage = md.min_coverage
    outliers = OutlierTreatment()
    out_spec = method.outliers if method else None
    if out_spec is not None and not isinstance(out_spec, str):  # a string here is `undisclosed` or `unknown`
        t = out_spec.treatment
        if t == "winsorise":
            outliers = OutlierTreatment("winsorise", winmax=out_spec.max_points or 5)
        elif t == "log":
            outliers = OutlierTreatment("log")
        elif t != "none":
            warnings.append(f"the outlier treatment is {t!r}: no treatment applied in the rebuild")

    model = IndexModel(
        indicators=ids, directions=tuple(directions), hierarchy=hierarchy, normalisation=norm,
        imputation=imputation, outliers=outliers, denominators=tuple(spec.data.denominators) if spec.data else (),
        indicator_names={i.id: i.name for i in inds},
        indicator_normalisations=tuple(overrides) if any(o is not None for o in overrides) else None,
        unit_coverage_threshold=coverage, aliases=aliases, formula=score_formula if formula is not None else None,
    )
    mapped = Mapped(model, columns, warnings, denominations=denominations)
    design = _design(spec, model, depth_max, targets, warnings, mapped)
    explicit = spec.uncertainty is not None
    mapped.model = replace(model, uncertainty=_with_nominal(design, model, warnings, explicit=explicit))
    return mapped


def _denominations(spec: Spec, inds: list[NodeRef[Indicator]]) -> tuple[Denomination | None, ...]:
    """Each indicator's denomination (COINr ``Denominate``); empty when no indicator names a denominator, so that
    specs without one bind their data exactly as before. Raises _Fail for an undeclared column (the semantic
    checks report it first, located, as RA118; a bare model_from_spec call lands here)."""
    declared = spec.data.denominators if spec.data is not None else []
    out: list[Denomination | None] = []
    for i in inds:
        den = i.node.denominator
        if den is None:
            out.append(None)
            continue
        if den.column not in declared:
            raise _Fail(f"indicator {i.id!r} is divided by {den.column!r}, which is not one of `data.denominators`",
                        (*i.path, "denominator"))
        out.append(Denomination(den.column, **den.values()))
    return tuple(out) if any(d is not None for d in out) else ()


def _formula(spec: Spec, ids: tuple[str, ...], index_id: str
             ) -> tuple[list[int], tuple[tuple[AggregateNode, ...], ...], ScoreFormula] | None:
    """A published linear formula as a flat index: each indicator directed by the sign of its coefficient,
    weighted by its absolute value, not normalised; ScoreFormula turns the mean back into the score."""
    declared = spec.method.formula if spec.method else None
    if declared is None:
        return None
    coefficients = {t.indicator: t.coefficient for t in declared.terms}
    unknown = [t for t in coefficients if t not in ids]
    if unknown:
        raise _Fail(f"the formula names {unknown[0]!r}, which is not a listed indicator", ("method", "formula"))
    signed = [coefficients.get(i, 0.0) for i in ids]
    if not any(signed):
        raise _Fail("every coefficient of the formula is zero", ("method", "formula"))
    directions = [-1 if c < 0 else 1 for c in signed]
    top = AggregateNode(index_id, ids, tuple(abs(c) for c in signed), "arithmetic")
    try:
        score = ScoreFormula("linear", intercept=declared.intercept, floor=declared.floor, ceiling=declared.ceiling)
    except ModelError as exc:
        raise _Fail(str(exc), ("method", "formula")) from None
    return directions, ((top,),), score


def _design(spec: Spec, model: IndexModel, depth_max: int, targets: tuple[float | None, ...],
            warnings: list[str], mapped: Mapped) -> UncertaintyDesign:
    """The uncertainty design: the spec's own, else the JRC default."""
    u = spec.uncertainty
    group_depths = list(range(1, depth_max))  # depths whose elements include groups
    if u is None:
        mapped.default_design = True
        winsor = (1, 2, 3, 4, 5) if model.outliers.method == "winsorise" else ()
        if model.formula is not None:
            # a formula's coefficients are calibrated on raw components: another normalisation or mean would be
            # another index, so only its coefficients vary
            return UncertaintyDesign(weight_noise=((1, DEFAULT_NOISE),), winsorisation=winsor)
        # a flat index has no group level: its only weights, the indicators', are the ones varied
        group_depths = group_depths or [1]
        return UncertaintyDesign(
            weight_noise=tuple(sorted((depth_max + 1 - d, DEFAULT_NOISE) for d in group_depths)),
            normalisations=DEFAULT_NORMALISATIONS, aggregations=("arithmetic", "geometric"), winsorisation=winsor,
        )
    noise: tuple[tuple[int, float], ...] = ()
    if u.weights is not None:
        depths = u.weights.levels or group_depths or [1]
        noise = tuple(sorted((depth_max + 1 - d, u.weights.factor) for d in depths if 1 <= d <= depth_max))
    norms = tuple(_normalisation(n, targets, warnings, "an uncertainty alternative") for n in u.normalisation)
    aggs = tuple(a for a in u.aggregation if a != "other")
    imps = []
    for name in u.imputation:
        imp = _imputation(name, model.imputation.group_column or (spec.data.group_column if spec.data else None))
        if imp is not None:
            imps.append(imp)
    loo = None if u.leave_one_out is None else (1 if u.leave_one_out == "indicators" else 2)
    if loo == 2 and depth_max < 2:
        loo = None
    return UncertaintyDesign(weight_noise=noise, normalisations=norms, aggregations=aggs,  # type: ignore[arg-type]  # aggs: registered names (the spec's Literal checked them), AggMethod their static Literal
                             winsorisation=tuple(u.winsorisation), imputations=tuple(imps), leave_one_out=loo,
                             weight_sets=u.weights.sets if u.weights is not None else None,
                             sobol_estimator=u.sobol_estimator or "saltelli2010",
                             sobol_bootstrap=u.sobol_bootstrap or "joint")


def _with_nominal(design: UncertaintyDesign, model: IndexModel, warnings: list[str], *, explicit: bool
                  ) -> UncertaintyDesign:
    """The default design with the declared method among each list of alternatives: the nominal build is one of
    the builds the Monte Carlo compares (alternatives that all differ from it measure another index). A spec's
    own design is kept as written (its alternatives may be crossed with means that need them, as in COINr's
    examples); a warning says when it leaves the declared method out."""
    methods_used = {n.method for lvl in model.hierarchy for n in lvl}
    declared = {
        "normalisation": ("normalisations", model.normalisation if model.indicator_normalisations is None else None),
        "aggregation": ("aggregations", next(iter(methods_used)) if len(methods_used) == 1 else None),
        "winsorisation": ("winsorisation", model.outliers.winmax if model.outliers.method == "winsorise" else 0),
        "imputation": ("imputations", model.imputation),
    }
    changes: dict[str, Any] = {}
    for what, (name, nominal) in declared.items():
        alternatives = getattr(design, name)
        if not alternatives or nominal is None or nominal in alternatives:
            continue
        if explicit:
            label = nominal if isinstance(nominal, str | int) else nominal.label()
            warnings.append(f"the uncertainty design's {what} alternatives leave out the declared {what} ({label}): "
                            "the nominal build is not one of the builds compared")
        else:
            changes[name] = (nominal, *alternatives)
    return replace(design, **changes) if changes else design


# ------------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------------
def load_spec_data(spec: Spec, spec_dir: Path, mapped: Mapped) -> UnitData:
    assert spec.data is not None
    path = Path(spec_dir) / spec.data.values
    extra_text = [c for c in {mapped.model.imputation.group_column,
                              *(i.group_column for i in mapped.model.uncertainty.imputations)} if c]
    data = load_values(path, mapped.columns, id_column=spec.data.id_column, name_column=spec.data.name_column,
                       numeric_columns=mapped.model.denominators, text_columns=extra_text,
                       expected_units=expected_units(spec), display_path=data_file_name(path),
                       positive_columns=divisor_columns(spec))
    if data.names is None and spec.cities.members:
        by_id = {c.id or c.name: c.name for c in spec.cities.members}
        data = replace(data, names=tuple(by_id.get(u) for u in data.ids))
    data = replace(data, indicators=mapped.model.indicators)
    # the first step of the method, before imputation, treatment and normalisation (COINr's build order);
    # the reader above refused zero or negative sizes at their cells
    return denominate(data, mapped.denominations) if mapped.denominations else data


def load_published(spec: Spec, spec_dir: Path, data: UnitData | None = None
                   ) -> tuple[dict[str, float], dict[str, float], list[str]]:
    """Published scores, ranks and warnings: from data.published (CSV) or else the cities list.

    With ``data``, an id of the published file that is not a unit of the values file is a located
    error; units of the values file without a published row are reported in a warning located at the
    file's id column.
    """
    scores: dict[str, float] = {}
    ranks: dict[str, float] = {}
    for c in spec.cities.members or []:
        key = c.id or c.name
        if c.score is not None:
            scores[key] = float(c.score)
        if c.rank is not None:
            ranks[key] = float(c.rank)
    d = spec.data
    if d is None or not d.published:
        return scores, ranks, []
    path = Path(spec_dir) / d.published
    shown = data_file_name(path)
    pub = read_published(path, id_column=d.published_id_column, score_column=d.published_score_column,
                         rank_column=d.published_rank_column, known_ids=data.ids if data else None,
                         display_path=shown)
    warnings = []
    if pub.missing:
        line, column = pub.id_location
        warnings.append(f"{shown}:{line}:{column}: {len(pub.missing)} units of the values file have no published "
                        f"result: {pub.missing[:10]}")
    return pub.scores, pub.ranks, warnings


# ------------------------------------------------------------------------------------------------
# entry point
# ------------------------------------------------------------------------------------------------
def _spec_diag(message: str, path: tuple[Any, ...], positions: PositionIndex | None) -> Diagnostic:
    if positions is None:
        return Diagnostic(MODEL_ERROR, message, "<spec>")
    return positions.diagnostic(MODEL_ERROR, message, path)


def _drop_failing_geometric(model: IndexModel, data: UnitData, warnings: list[str]) -> IndexModel:
    """Default design only: drop the geometric alternative when a normalisation yields values <= 0."""
    from rankaudit.stats.pipeline import Pipeline

    u = model.uncertainty
    if "geometric" not in u.aggregations:
        return model
    pipe = Pipeline(replace(model, uncertainty=replace(u, aggregations=())), data)
    try:
        for n in u.normalisations or (model.normalisation,):
            for w in u.winsorisation or (None,):
                pipe.check_positive(pipe.prepare(None, w, n), "geometric")
    except ModelError as exc:
        warnings.append(f"the geometric-mean alternative was left out of the default design: {exc}")
        return replace(model, uncertainty=replace(u, aggregations=()))
    return model


@dataclass(frozen=True)
class BoundData:
    """A spec's index model bound to its data files: what the audit and the what-if commands start from."""

    mapped: Mapped
    data: UnitData
    published_scores: dict[str, float]
    published_ranks: dict[str, float]
    warnings: list[str]


def bind_data(spec: Spec, spec_dir: str | Path, positions: PositionIndex | None = None, *,
              no_data: str = "the spec has no `data` section") -> BoundData:
    """Map the spec and load its values and published files, every problem a located SpecError
    (RA301 values, RA302 published, RA303 model)."""
    if spec.data is None:
        raise SpecError([_spec_diag(no_data, (), positions)])
    try:
        mapped = model_from_spec(spec)
    except _Fail as f:
        raise SpecError([_spec_diag(f.message, f.path, positions)]) from None
    try:
        data = load_spec_data(spec, Path(spec_dir), mapped)
    except DataError as e:
        raise SpecError([data_diagnostic(VALUES_ERROR, e)]) from None
    try:
        pub_scores, pub_ranks, pub_warnings = load_published(spec, Path(spec_dir), data)
    except DataError as e:
        raise SpecError([data_diagnostic(PUBLISHED_ERROR, e)]) from None
    warnings = list(mapped.warnings) + pub_warnings
    expected = expected_units(spec)
    if expected:
        absent = [u for u in expected if u not in set(data.ids)]
        if absent:
            warnings.append(f"{len(absent)} cities of the spec have no row in the values file: {absent[:10]}")
    return BoundData(mapped, data, pub_scores, pub_ranks, warnings)


def run_statistical_audit(spec: Spec, spec_dir: str | Path, replications: int = 1000, seed: int = 1,
                          progress: Callable[[int, int], None] | None = None,
                          positions: PositionIndex | None = None, *, n_boot: int = 1000,
                          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> StatsResult:
    """Map the spec, load its data and run the whole statistical audit.

    Raises SpecError with located diagnostics (RA301 values file, RA302 published file, RA303
    model) instead of tracebacks.
    """
    from rankaudit.stats.audit import run_audit

    bound = bind_data(spec, spec_dir, positions)
    mapped, data, warnings = bound.mapped, bound.data, bound.warnings
    pub_scores, pub_ranks = bound.published_scores, bound.published_ranks
    model = mapped.model
    try:
        # degenerate columns (constant, all missing) give NaN that the audit reports as flags; numpy's
        # runtime warnings about them would only clutter the terminal
        with np.errstate(all="ignore"), warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore", RuntimeWarning)
            if mapped.default_design:
                model = _drop_failing_geometric(model, data, warnings)
            result = run_audit(model, data, replications=replications, seed=seed, n_boot=n_boot,
                               published_scores=pub_scores or None, published_ranks=pub_ranks or None,
                               progress=progress, thresholds=thresholds)
    except (ModelError, ValueError) as e:
        # ValueError: a method that cannot be computed on these data (e.g. a reference city not in them)
        where = ("uncertainty",) if spec.uncertainty is not None else ("data",) if isinstance(e, ResourceError) \
            else ("method",)
        raise SpecError([_spec_diag(str(e), where, positions)]) from None
    except DataError as e:
        raise SpecError([data_diagnostic(VALUES_ERROR, e)]) from None
    if all(u.score is None for u in result.units):
        # constant, missing or uncomputable data: an audit of nothing must not look robust
        raise SpecError([_spec_diag(
            "no city could be scored from the data (every indicator is constant, missing, or cannot be "
            "normalised as declared)", ("data", "values"), positions,
        )])
    result.warnings[:0] = warnings
    if mapped.default_design and result.parameters is not None:
        result.parameters.design["uncertainty_source"] = "JRC default (no `uncertainty` section in the spec)"
    if mapped.denominations and result.parameters is not None:  # only when used: other results stay as they were
        result.parameters.design["denomination"] = {
            i: d.label() for i, d in zip(model.indicators, mapped.denominations, strict=True) if d is not None}
    return result


__all__ = ["Mapped", "load_published", "load_spec_data", "model_from_spec", "run_statistical_audit"]

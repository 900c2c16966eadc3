"""Building an index: impute -> treat outliers -> normalise -> aggregate -> rank.

``Pipeline`` holds the compiled hierarchy and caches the prepared (imputed, treated, normalised)
indicator matrix of each combination of data assumptions, so that the Monte Carlo engine only
re-does the cheap, batched aggregation per replication.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from rankaudit.stats import methods as vocabulary
from rankaudit.stats.aggregate import (
    Level,
    LinearPlan,
    SharedValues,
    aggregate_all,
    compile_levels,
    linear_plan,
    linear_top,
)
from rankaudit.stats.data import DataError, UnitData
from rankaudit.stats.model import Imputation, IndexModel, ModelError, Normalisation
from rankaudit.stats.ranking import rank_desc
from rankaudit.stats.transform import Treatment, impute, normalise, treat_outliers


@dataclass(frozen=True)
class Prepared:
    """The indicator matrix after each data step (units x indicators, NaN = missing)."""

    imputed: np.ndarray
    treated: np.ndarray
    treatments: tuple[Treatment, ...]
    normalised: np.ndarray
    label: str
    normalisation: Normalisation
    """The normalisation applied to every indicator (per-indicator overrides aside)."""
    overrides: tuple[Normalisation | None, ...] | None = None
    shared: SharedValues | None = None
    """``normalised`` with the caches every aggregation of it reuses (set by ``Pipeline.prepare``)."""


@dataclass(frozen=True)
class Build:
    """Nominal scores and ranks of every node."""

    prepared: Prepared
    levels: tuple[Level, ...]
    level_scores: tuple[np.ndarray, ...]  # U x P per level
    scores: dict[str, np.ndarray]  # node id -> U
    index: np.ndarray  # U
    ranks: np.ndarray  # U, float (NaN = not ranked)


class Pipeline:
    """A validated model bound to its data."""

    def __init__(self, model: IndexModel, data: UnitData) -> None:
        model.validate()
        if tuple(data.indicators) != tuple(model.indicators):
            missing = [i for i in model.indicators if i not in data.indicators]
            raise DataError(f"data columns do not match the model's indicators (missing: {missing})",
                            data.source)
        self.model = model
        self.data = data
        self.levels = tuple(compile_levels(model))
        self._cache: dict[tuple[object, ...], Prepared] = {}
        coverage = (~np.isnan(data.values)).mean(axis=1)
        thr = model.unit_coverage_threshold
        # units below the coverage threshold are not scored at all (COINr Screen)
        self.screened_out = coverage < thr if thr is not None else np.zeros(len(data.ids), dtype=bool)
        for imp in (model.imputation, *model.uncertainty.imputations):
            if imp.group_column is not None and imp.group_column not in data.text:
                raise DataError(f"imputation group column {imp.group_column!r} is not loaded", data.source)

    # ------------------------------------------------------------------------------------------
    def prepare(self, imputation: Imputation | None = None, winmax: int | None = None,
                normalisation: Normalisation | None = None) -> Prepared:
        """Impute, treat and normalise (cached per combination of assumptions)."""
        imp = imputation or self.model.imputation
        norm = normalisation or self.model.normalisation
        key = (imp, winmax, norm)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        groups = self.data.text.get(imp.group_column) if imp.group_column else None
        x = impute(self.data.values, imp, groups)
        spec = self.model.outliers
        if winmax and spec.method != "winsorise":
            # winsorisation alternatives of the uncertainty design switch treatment on
            spec = replace(spec, method="winsorise")
        t, info = treat_outliers(x, spec, winmax)
        n = normalise(t, self.model.directions, norm, self.data.ids)
        overrides = self.model.indicator_normalisations
        if normalisation is None and overrides is not None:
            # per-indicator methods of the nominal build (alternatives apply to every indicator)
            for ov in {o for o in overrides if o is not None}:
                cols = [j for j, o in enumerate(overrides) if o == ov]
                n[:, cols] = normalise(t, self.model.directions, ov, self.data.ids)[:, cols]
        wm = spec.winmax if winmax is None else winmax
        treat_label = "none" if spec.method == "none" or wm <= 0 else "log" if spec.method == "log" else f"winmax={wm}"
        prep = Prepared(x, t, tuple(info), n, f"{imp.label()}|{treat_label}|{norm.label()}", norm,
                        overrides if normalisation is None else None, SharedValues(n))
        self._cache[key] = prep
        return prep

    def nominal_weights(self) -> list[np.ndarray]:
        return [lv.weights[None, :].copy() for lv in self.levels]

    def check_positive(self, prep: Prepared, method: str) -> None:
        """Geometric/harmonic means need strictly positive normalised values (COINr issue #47)."""
        x = prep.normalised
        bad = np.nanmin(x) if np.isfinite(x).any() else np.nan
        if np.isfinite(bad) and bad <= 0:
            j = int(np.nanargmin(np.nanmin(x, axis=0)))
            norm = (prep.overrides[j] if prep.overrides else None) or prep.normalisation
            raise ModelError(
                f"{method} mean needs strictly positive normalised values, but normalisation "
                f"{norm.label()} gives {bad:.4g} for indicator "
                f"{self.model.indicators[j]!r}; use e.g. minmax with lo > 0 or zscore with a mean of "
                "10 and sd of 2"
            )

    def aggregate(self, x: np.ndarray | SharedValues, weights: Sequence[np.ndarray], method: str | None = None,
                  *, top_only: bool = False) -> list[np.ndarray]:
        out = aggregate_all(x, weights, self.levels, method, self.model.availability_threshold, top_only=top_only)
        formula = self.model.formula
        if formula is not None:
            # the index is the formula's score: intercept + sum |c| x (weighted mean of signed terms), clipped
            kind = vocabulary.score_formula(formula.method)
            top = np.atleast_2d(weights[-1]).sum(axis=1)[:, None, None]
            out[-1] = kind.compute(out[-1], top, formula.values)
        if self.screened_out.any():
            out = [np.where(self.screened_out[:, None], np.nan, lv) for lv in out]
        return out

    def linear_plan(self, x: SharedValues, method: str | None = None) -> LinearPlan | None:
        """The one-GEMM plan of the hierarchy over ``x`` (None when the levels' means differ)."""
        return linear_plan(x, self.levels, method, self.model.availability_threshold)

    def top_scores(self, x: SharedValues, weights: Sequence[np.ndarray], method: str | None = None,
                   *, max_rows: int | None = None) -> np.ndarray:
        """The index scores (R x U, R = the largest batch among the weights) of a batch of weights.

        The same scores as ``aggregate(..., top_only=True)``, to rounding: when every level takes the
        same mean, the hierarchy is one weighted sum per unit (:class:`~rankaudit.stats.aggregate.LinearPlan`).
        Otherwise the levels are aggregated in turn, ``max_rows`` rows at a time (their arrays are R x U x P).
        """
        thr = self.model.availability_threshold
        plan = self.linear_plan(x, method)
        top = None if plan is None else linear_top(plan, weights, method, thr)
        if top is None:
            r = max(np.atleast_2d(w).shape[0] for w in weights)
            step = r if max_rows is None else max(1, max_rows)
            parts = [aggregate_all(x, [w if w.shape[0] == 1 else w[i:i + step] for w in map(np.atleast_2d, weights)],
                                   self.levels, method, thr, top_only=True)[-1][..., 0] for i in range(0, r, step)]
            top = parts[0] if len(parts) == 1 else np.concatenate(parts)
        formula = self.model.formula
        if formula is not None:
            kind = vocabulary.score_formula(formula.method)
            top = kind.compute(top, np.atleast_2d(weights[-1]).sum(axis=1)[:, None], formula.values)
        if self.screened_out.any():
            top[:, self.screened_out] = np.nan
        return top

    def build(self, imputation: Imputation | None = None, winmax: int | None = None,
              normalisation: Normalisation | None = None, method: str | None = None) -> Build:
        """Build the index (nominal unless assumptions are overridden)."""
        prep = self.prepare(imputation, winmax, normalisation)
        methods = {method} if method else {m for lv in self.levels for m in lv.methods}
        for m in sorted(m for m in methods if vocabulary.aggregation(m).needs_positive):
            self.check_positive(prep, m)
        per_level = [s[0] for s in self.aggregate(prep.shared or prep.normalised, self.nominal_weights(), method)]
        scores = {}
        for lv, s in zip(self.levels, per_level, strict=True):
            for p, nid in enumerate(lv.node_ids):
                scores[nid] = s[:, p]
        index = per_level[-1][:, 0]
        return Build(prep, self.levels, tuple(per_level), scores, index, rank_desc(index))


def build_index(model: IndexModel, data: UnitData) -> Build:
    """Nominal build of ``model`` on ``data``."""
    return Pipeline(model, data).build()

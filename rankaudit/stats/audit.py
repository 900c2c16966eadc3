"""The whole statistical audit of one index: coherence + uncertainty + sensitivity -> StatsResult."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rankaudit.stats import coherence as coh
from rankaudit.stats.correlation import pairwise_corr
from rankaudit.stats.data import UnitData
from rankaudit.stats.model import IndexModel
from rankaudit.stats.pipeline import Pipeline
from rankaudit.stats.result import (
    CorrelationFlag,
    CorrelationMatrix,
    DenominatorCorrelation,
    GroupStats,
    ImportanceSummary,
    IndicatorStats,
    PCAResult,
    RankDifference,
    RemoveOneImpact,
    ReproductionResult,
    RobustnessSummary,
    SensitivityIndex,
    StatsParams,
    StatsResult,
    UnitResult,
    WeightImportance,
)
from rankaudit.stats.uncertainty import Progress, check_resources, distinct_builds, run_uncertainty


def _f(x: float | np.floating | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if np.isfinite(x) else None


def _rank(x: float) -> int | None:
    return int(x) if np.isfinite(x) else None


def run_audit(model: IndexModel, data: UnitData, *, replications: int = 1000, seed: int = 1,
              sensitivity: bool = True, n_boot: int = 1000, ci_level: float = 0.9,
              published_scores: Mapping[str, float] | None = None,
              published_ranks: Mapping[str, float] | None = None,
              progress: Progress | None = None, chunk_size: int | None = None,
              thresholds: coh.Thresholds = coh.DEFAULT_THRESHOLDS) -> StatsResult:
    """Run every check of the statistical audit. ``replications = 0`` skips the Monte Carlo.

    A Monte Carlo estimated above ``uncertainty.LIMITS`` is refused (ResourceError) before anything runs.
    ``thresholds`` are the coherence audit's cut-offs (JRC/COINr values by default).
    """
    th = thresholds
    pipe = Pipeline(model, data)
    if replications > 0:
        check_resources(pipe, replications)
    build = pipe.build()
    warnings: list[str] = []
    raw = data.values
    n_units, n_ind = raw.shape

    # --- indicators --------------------------------------------------------------------------
    st = coh.indicator_stats(raw, th)
    parent = model.real_parent_of()
    coherence = coh.correlations(pipe, build, th)
    if coherence.indicator_corr is None:
        warnings.append(f"{n_ind:,} indicators: the indicator correlation matrix is not computed above "
                        f"{th.max_full_correlation:,} (only the correlations within each group are)")
    if coherence.unlisted:
        more = ", ".join(f"{n:,} {kind}" for kind, n in sorted(coherence.unlisted.items()))
        warnings.append(f"correlation flags beyond {th.max_flags:,} of a kind are counted, not listed: {more} more")
    if coherence.skipped:
        warnings.append(f"groups with more than {th.max_full_correlation:,} children get no collinearity check: "
                        f"{coherence.skipped[:10]}")
    apos = {a: k for k, a in enumerate(coherence.agg_ids)}
    const = [model.indicators[j] for j in range(n_ind) if np.all(np.isnan(build.prepared.normalised[:, j]))]
    if const:
        warnings.append(f"indicators without usable variation are left out of the aggregation: {const}")
    indicators = []
    for j, iid in enumerate(model.indicators):
        t = build.prepared.treatments[j]
        treat = None if t.kind == "none" else (
            f"winsorised {t.n_points} point(s) ({t.side})" if t.kind == "winsorised" else "log transform")
        indicators.append(IndicatorStats(
            id=iid, name=(model.indicator_names or {}).get(iid), parent=parent[iid],
            direction=model.directions[j], n_available=int(st["n_available"][j]),
            availability=st["availability"][j], min=st["min"][j], max=st["max"][j], mean=st["mean"][j],
            median=st["median"][j], sd=st["sd"][j], skew=st["skew"][j], kurtosis=st["kurtosis"][j],
            mode_share=st["mode_share"][j], frac_nonzero=st["frac_nonzero"][j],
            frac_unique=st["frac_unique"][j], low_availability=bool(st["low_availability"][j]),
            outlier=bool(st["outlier"][j]), low_information=bool(st["low_information"][j]),
            treatment=treat, treated_points=t.n_points if t.kind != "none" else 0,
            corr_parent=coherence.ind_agg_corr[j, apos[parent[iid]]],
        ))

    # --- correlations ------------------------------------------------------------------------
    ind_ids = list(model.indicators)
    correlations = [
        CorrelationMatrix(name="indicators", row_ids=ind_ids, col_ids=ind_ids,
                          values=coherence.indicator_corr.tolist()) if coherence.indicator_corr is not None
        else CorrelationMatrix(name="indicators", row_ids=[], col_ids=[], values=[]),
        CorrelationMatrix(name="indicators_vs_aggregates", row_ids=ind_ids, col_ids=coherence.agg_ids,
                          values=coherence.ind_agg_corr.tolist()),
        CorrelationMatrix(name="aggregates", row_ids=coherence.agg_ids, col_ids=coherence.agg_ids,
                          values=coherence.agg_corr.tolist()),
    ]
    flags = [CorrelationFlag(kind=f.kind, group=f.group, a=f.a, b=f.b, r=f.r, p_value=_f(f.p_value),
                             significant=bool(np.isfinite(f.p_value) and f.p_value < th.p_value),
                             threshold=f.threshold, other_r=f.other_r) for f in coherence.flags]

    # --- groups ------------------------------------------------------------------------------
    groups = []
    for node, level, kids, vals in coh.group_children(pipe, build):
        p = coh.pca(vals)
        groups.append(GroupStats(
            id=node, level=level, children=kids, n_complete=int((~np.isnan(vals).any(axis=1)).sum()),
            cronbach_alpha=coh.cronbach_alpha(vals),
            pca=None if p is None else PCAResult(
                eigenvalues=p.eigenvalues.tolist(), variance_share_pc1=p.share_pc1, n_eigen_gt_1=p.n_gt_1,
                loadings_pc1={k: float(v) for k, v in zip(kids, p.loadings_pc1, strict=True)}),
        ))

    # --- denominators ------------------------------------------------------------------------
    denominators = []
    dens = [d for d in model.denominators if d in data.numeric]
    for d in model.denominators:
        if d not in data.numeric:
            warnings.append(f"denominator column {d!r} is not in the data")
    if dens:
        r, _ = pairwise_corr(raw, np.column_stack([data.numeric[d] for d in dens]))
        for j, iid in enumerate(model.indicators):
            for k, d in enumerate(dens):
                denominators.append(DenominatorCorrelation(
                    indicator=iid, denominator=d, r=r[j, k],
                    flagged=bool(np.isfinite(r[j, k]) and abs(r[j, k]) > th.denominator)))

    # --- weights vs importance ---------------------------------------------------------------
    eff = coh.effective_weights(model)
    s_i = coh.importance(build.prepared.normalised, build.index)
    tot = np.nansum(s_i)
    share = s_i / tot if tot > 0 else np.full_like(s_i, np.nan)
    nominal_w: dict[str, float] = {}
    for lvl in model.hierarchy:  # bottom-up: the top link of a pass-through chain carries the weight
        for agg in lvl:
            for c, w in zip(agg.children, agg.weights, strict=True):
                nominal_w[model.real_id(c)] = w
    items = [WeightImportance(indicator=iid, nominal_weight=nominal_w[iid], effective_weight=eff[j],
                              correlation_ratio=s_i[j], importance_share=share[j],
                              ratio=share[j] / eff[j] if eff[j] > 0 else None)
             for j, iid in enumerate(model.indicators)]
    importance = ImportanceSummary(estimator="correlation ratio, P-spline regression (GCV)",
                                   divergence=coh.divergence(share, eff), items=items)

    # --- reproduction ------------------------------------------------------------------------
    rep = coh.reproduce(data.ids, build.index, build.ranks, published_scores, published_ranks)
    reproduction = None
    if rep is not None:
        reproduction = ReproductionResult(
            compared_by=rep.compared_by, n_compared=rep.n, spearman_rho=rep.rho,
            max_rank_shift=rep.max_rank_shift, max_score_diff=rep.max_score_diff, n_differing=len(rep.differing),
            differing_units=[RankDifference(id=u, published_rank=a, computed_rank=b, published_score=c,
                                            computed_score=d) for u, a, b, c, d in rep.differing[:200]],
            mean_score_diff=_f(rep.mean_score_diff), worst_score_unit=rep.worst_score_unit,
            exact_rank_share=_f(rep.exact_rank_share), worst_rank_unit=rep.worst_rank_unit,
            published_score_range=_f(rep.published_score_range))
        unknown = [u for u in (published_scores or published_ranks or {}) if u not in set(data.ids)]
        if unknown:
            warnings.append(f"published results name units without data: {unknown[:10]}")

    # --- remove one --------------------------------------------------------------------------
    n_ranked = max(1, int(np.isfinite(build.ranks).sum()))
    remove = [RemoveOneImpact(element=e, level=lvl, mean_abs_rank_shift=m, max_abs_rank_shift=mx,
                              share_of_n=m / n_ranked)
              for e, lvl, m, mx in coh.remove_one(pipe, build)]

    # --- Monte Carlo -------------------------------------------------------------------------
    ua = None
    if replications > 0:
        ua = run_uncertainty(pipe, replications, seed, sensitivity=sensitivity, n_boot=n_boot, ci_level=ci_level,
                             chunk_size=chunk_size, progress=progress, nominal_ranks=build.ranks)
        if ua is None:
            warnings.append("the uncertainty design varies no assumption: no Monte Carlo was run")
        elif sensitivity and ua.sobol is None:
            warnings.append("sensitivity indices need at least two uncertain assumptions and "
                            "2 * (d + 2) replications; only the uncertainty analysis was run")
    robustness = None
    sens: list[SensitivityIndex] = []
    if ua is not None:
        width = ua.interval_width
        robustness = RobustnessSummary(
            replications=ua.n_runs, share_nominal_within_2_of_median=ua.share_nominal_within_2,
            mean_share_runs_within_2_of_median=_f(np.nanmean(ua.share_runs_within_2)),
            median_interval_width=_f(np.nanmedian(width)),
            median_interval_width_over_n=_f(np.nanmedian(width) / n_ranked),
            mean_abs_rank_shift=_f(np.nanmean(ua.y)), dominant_assumption=ua.dominant_assumption(),
            distinct_builds=distinct_builds(pipe, ua.n_runs))
        if ua.sobol is not None:
            sob = ua.sobol
            sens = [SensitivityIndex(assumption=name, first_order=sob.first_order[i], total_effect=sob.total_effect[i],
                                     first_order_ci=sob.first_order_ci[i].tolist(),
                                     total_effect_ci=sob.total_effect_ci[i].tolist())
                    for i, name in enumerate(ua.assumptions)]

    # --- units -------------------------------------------------------------------------------
    avail = coh.unit_availability(raw)
    units = []
    for u, uid in enumerate(data.ids):
        units.append(UnitResult(
            id=uid, name=data.names[u] if data.names else None, score=build.index[u],
            rank=_rank(build.ranks[u]), availability=avail[u], low_availability=bool(avail[u] < th.availability_unit),
            median_rank=None if ua is None else ua.median_rank[u],
            q05_rank=None if ua is None else ua.q05_rank[u], q95_rank=None if ua is None else ua.q95_rank[u],
            mean_rank=None if ua is None else ua.mean_rank[u],
            scores={nid: build.scores[nid][u] for nid in build.scores if nid not in model.aliases},
        ))

    parameters = StatsParams(
        replications=0 if ua is None else ua.n_runs, seed=seed, sensitivity=bool(ua is not None and ua.sobol),
        base_sample=None if ua is None else ua.base_sample,
        assumptions=[] if ua is None else list(ua.assumptions), bootstrap=n_boot if ua and ua.sobol else 0,
        ci_level=ci_level,
        design={
            "normalisation": model.normalisation.label(), "imputation": model.imputation.label(),
            "outliers": {"none": "none", "log": "log transform of flagged indicators"}.get(
                model.outliers.method, f"winsorise(winmax={model.outliers.winmax})"
            ),
            "availability_threshold": model.availability_threshold,
            "uncertainty": model.uncertainty.describe(), "requested_replications": replications,
        },
    )
    return StatsResult(
        index_id=model.index_id, n_units=n_units, n_indicators=n_ind, n_missing=int(np.isnan(raw).sum()),
        units=units, indicators=indicators, correlations=correlations, correlation_flags=flags, groups=groups,
        denominators=denominators, importance=importance, reproduction=reproduction, robustness=robustness,
        sensitivity=sens, remove_one=remove, parameters=parameters, warnings=warnings,
    )

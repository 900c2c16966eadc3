"""Statistical coherence checks (JRC audit pillar 1), thresholds from COINr / {composer}.

Sources (see shared research, criteria.md section 5.3): COINr ``get_stats`` (availability < 0.65,
|skew| > 2 and kurtosis > 3.5, low information), ``screen_units`` (unit availability < 2/3),
{composer} correlation bands (> 0.9 collinear, < -0.4 negative, < 0.3 weak), ``get_denom_corr``
(|r| > 0.7), ``get_cronbach``, ``get_PCA`` (Kaiser rule), ``get_eff_weights``,
``remove_elements``; Paruolo, Saisana & Saltelli (2013) for importance vs weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from rankaudit.stats.correlation import corr_pvalue, correlation_ratios, pairwise_corr, pairwise_cov, spearman
from rankaudit.stats.model import IndexModel
from rankaudit.stats.pipeline import Build, Pipeline
from rankaudit.stats.ranking import rank_desc
from rankaudit.stats.result import ComparedBy, FlagKind
from rankaudit.stats.transform import is_outlier, skew_kurt


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs of the coherence audit, today's JRC/COINr values as defaults (rule options may set them)."""

    availability_indicator: float = 0.65
    """An indicator with a smaller share of available values is flagged (COINr ``get_stats``)."""
    availability_unit: float = 2 / 3
    """A unit with a smaller share of available indicators is flagged (COINr ``screen_units``)."""
    skew: float = 2.0
    """|skewness| above this AND kurtosis above ``kurtosis`` flags an outlier indicator."""
    kurtosis: float = 3.5
    mode_share: float = 0.5
    """An indicator whose most frequent value holds a larger share has low information."""
    collinear: float = 0.9
    """Two children of one node correlated above this are collinear ({composer})."""
    negative: float = -0.4
    """Two children of one node correlated below this run against each other."""
    weak: float = 0.3
    """A child correlated below this with its own parent is weakly linked."""
    denominator: float = 0.7
    """|r| with a size denominator above this flags scale bias (COINr ``get_denom_corr``)."""
    p_value: float = 0.05
    """A correlation flag is significant below this p-value."""
    max_full_correlation: int = 2000
    """Above this many indicators the full indicator correlation matrix (J x J) is not computed: only the
    correlations within each node (of at most this many children) are, which every flag needs."""
    max_flags: int = 1000
    """Correlation flags listed per kind; beyond it they are counted (``Coherence.unlisted``), not listed."""


DEFAULT_THRESHOLDS = Thresholds()


# --------------------------------------------------------------------------------------------
# indicator and unit statistics
# --------------------------------------------------------------------------------------------
def indicator_stats(raw: np.ndarray, th: Thresholds = DEFAULT_THRESHOLDS) -> dict[str, np.ndarray]:
    """Descriptive statistics of each column of the raw (untreated, unimputed) data."""
    ok = ~np.isnan(raw)
    n_avail = ok.sum(axis=0)
    n = raw.shape[0]
    s, k = skew_kurt(raw)
    out: dict[str, np.ndarray] = {"n_available": n_avail, "availability": n_avail / n, "skew": s, "kurtosis": k}
    with np.errstate(invalid="ignore", divide="ignore"):
        has = n_avail > 0
        out["min"] = np.where(has, np.nanmin(np.where(has, raw, 0.0), axis=0), np.nan)
        out["max"] = np.where(has, np.nanmax(np.where(has, raw, 0.0), axis=0), np.nan)
        cols = raw[:, has] if has.any() else raw[:, :0]
        mean = np.full(raw.shape[1], np.nan)
        med = np.full(raw.shape[1], np.nan)
        sd = np.full(raw.shape[1], np.nan)
        mean[has] = np.nanmean(cols, axis=0)
        med[has] = np.nanmedian(cols, axis=0)
        sd[has & (n_avail > 1)] = np.nanstd(raw[:, has & (n_avail > 1)], axis=0, ddof=1)
    out["mean"], out["median"], out["sd"] = mean, med, sd
    mode_share = np.full(raw.shape[1], np.nan)
    frac_unique = np.full(raw.shape[1], np.nan)
    frac_nonzero = np.full(raw.shape[1], np.nan)
    for j in np.flatnonzero(has):
        v = raw[ok[:, j], j]
        _, counts = np.unique(v, return_counts=True)
        mode_share[j] = counts.max() / v.size
        frac_unique[j] = counts.size / v.size
        frac_nonzero[j] = np.mean(v != 0)
    out["mode_share"], out["frac_unique"], out["frac_nonzero"] = mode_share, frac_unique, frac_nonzero
    out["outlier"] = is_outlier(s, k, th.skew, th.kurtosis)
    out["low_availability"] = out["availability"] < th.availability_indicator
    with np.errstate(invalid="ignore"):
        out["low_information"] = mode_share > th.mode_share
    return out


def unit_availability(raw: np.ndarray) -> np.ndarray:
    result: np.ndarray = (~np.isnan(raw)).mean(axis=1)
    return result


# --------------------------------------------------------------------------------------------
# correlations and flags
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    group: str | None
    a: str
    b: str
    r: float
    p_value: float
    threshold: float
    other_r: float | None = None


@dataclass
class Coherence:
    indicator_corr: np.ndarray | None  # J x J; None above Thresholds.max_full_correlation indicators
    ind_agg_corr: np.ndarray  # J x A (all aggregates, hierarchy order)
    agg_corr: np.ndarray  # A x A
    agg_ids: list[str]
    flags: list[Flag] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Nodes with more children than Thresholds.max_full_correlation: no child-child flags."""
    unlisted: dict[str, int] = field(default_factory=dict)
    """Flags beyond Thresholds.max_flags per kind: counted only."""


def visible_groups(pipe: Pipeline) -> list[tuple[str, int, list[str]]]:
    """(node id, level, real child ids) of every real aggregate, hidden pass-through nodes skipped."""
    m = pipe.model
    out = []
    for lv, nodes in zip(pipe.levels, m.hierarchy, strict=True):
        for node in nodes:
            if node.id in m.aliases:
                continue
            out.append((node.id, lv.number, [m.real_id(c) for c in node.children]))  # the spec's order
    return out


def element_values(pipe: Pipeline, build: Build, ids: Sequence[str]) -> np.ndarray:
    """U x len(ids): normalised indicators or aggregate scores."""
    pos = {i: k for k, i in enumerate(pipe.model.indicators)}
    return np.column_stack([build.prepared.normalised[:, pos[i]] if i in pos else build.scores[i] for i in ids])


def correlations(pipe: Pipeline, build: Build, th: Thresholds = DEFAULT_THRESHOLDS) -> Coherence:
    """Correlation matrices on the normalised (direction-adjusted, treated) data and all flags.

    Flags are found with matrix operations per node (the children's correlation block, its upper
    triangle thresholded; p-values for the flagged pairs in one call). Memory stays bounded in the
    indicators: above ``th.max_full_correlation`` of them only each node's own block is computed, and a
    node with more children than that gets no child-child flags (``Coherence.skipped``).
    """
    x = build.prepared.normalised
    groups = visible_groups(pipe)
    agg_ids = [g for g, _, _ in groups]
    aggs = element_values(pipe, build, agg_ids)
    full = x.shape[1] <= th.max_full_correlation
    r_ii, n_ii = pairwise_corr(x) if full else (None, None)
    r_ia, n_ia = pairwise_corr(x, aggs)
    r_aa, n_aa = pairwise_corr(aggs)
    coh = Coherence(r_ii, r_ia, r_aa, agg_ids)
    pos = {i: k for k, i in enumerate(pipe.model.indicators)}
    apos = {a: k for k, a in enumerate(agg_ids)}
    level_of = {g: lvl for g, lvl, _ in groups}
    counts: dict[str, int] = {}  # flags listed per kind

    def listed(kind: str) -> bool:
        """Whether one more flag of this kind is listed (else it is counted in ``unlisted``)."""
        if counts.get(kind, 0) < th.max_flags:
            counts[kind] = counts.get(kind, 0) + 1
            return True
        coh.unlisted[kind] = coh.unlisted.get(kind, 0) + 1
        return False

    def block(kids: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """r and n between the children of one node."""
        if all(k in pos for k in kids):
            idx = np.array([pos[k] for k in kids], dtype=np.intp)
            if r_ii is not None and n_ii is not None:
                return r_ii[np.ix_(idx, idx)], n_ii[np.ix_(idx, idx)]
            return pairwise_corr(x[:, idx])
        if all(k in apos for k in kids):
            idx = np.array([apos[k] for k in kids], dtype=np.intp)
            return r_aa[np.ix_(idx, idx)], n_aa[np.ix_(idx, idx)]
        return pairwise_corr(element_values(pipe, build, kids))  # a mixed node (ragged tree): small

    def with_aggregates(child: str, targets: list[str]) -> tuple[np.ndarray, np.ndarray]:
        cols = np.array([apos[t] for t in targets], dtype=np.intp)
        if child in pos:
            return r_ia[pos[child], cols], n_ia[pos[child], cols]
        return r_aa[apos[child], cols], n_aa[apos[child], cols]

    for node, level, kids in groups:
        # child-child correlations inside each node
        if len(kids) > th.max_full_correlation:
            coh.skipped.append(node)
        else:
            r, n = block(kids)
            with np.errstate(invalid="ignore"):
                hit = np.triu((r > th.collinear) | (r < th.negative), k=1)
            i1, i2 = np.nonzero(hit)  # row-major: the order of the pairs (i1 < i2)
            rv = r[i1, i2]
            keep = np.zeros(rv.size, dtype=bool)
            selections: tuple[tuple[FlagKind, np.ndarray], ...] = (
                ("collinear", rv > th.collinear), ("negative", rv < th.negative))
            for kind, sel in selections:
                room = max(0, th.max_flags - counts.get(kind, 0))
                idx = np.flatnonzero(sel)
                keep[idx[:room]] = True
                counts[kind] = counts.get(kind, 0) + min(room, idx.size)
                if idx.size > room:
                    coh.unlisted[kind] = coh.unlisted.get(kind, 0) + idx.size - room
            i1, i2, rv = i1[keep], i2[keep], rv[keep]
            pv = corr_pvalue(rv, n[i1, i2])
            for a, b, rk, p in zip(i1, i2, rv, pv, strict=True):
                side: FlagKind = "collinear" if rk > th.collinear else "negative"
                cut = th.collinear if rk > th.collinear else th.negative
                coh.flags.append(Flag(side, node, kids[a], kids[b], float(rk), float(p), cut))
        # each child vs its own parent and vs the other aggregates of the parent's level
        peers = [g for g in agg_ids if level_of[g] == level and g != node]
        for child in kids:
            r_all, n_all = with_aggregates(child, [node, *peers])
            r_own = r_all[0]
            if not np.isfinite(r_own):
                continue
            if r_own < th.weak and listed("weak_parent"):
                coh.flags.append(Flag("weak_parent", node, child, node, float(r_own),
                                      float(corr_pvalue(r_own, n_all[0])), th.weak))
            others = [(r_all[k], o) for k, o in enumerate(peers, start=1) if np.isfinite(r_all[k])]
            if others:
                r_other, other = max(others)
                if r_other > r_own and listed("stronger_other_parent"):
                    k = peers.index(other) + 1
                    coh.flags.append(Flag("stronger_other_parent", node, child, other, float(r_own),
                                          float(corr_pvalue(r_other, n_all[k])), float(r_own), float(r_other)))
    return coh


# --------------------------------------------------------------------------------------------
# groups: Cronbach's alpha and PCA
# --------------------------------------------------------------------------------------------
def cronbach_alpha(x: np.ndarray, rows: str = "pairwise") -> float:
    """Cronbach's alpha of the columns of x: ``k/(k-1) (1 - sum var_i / sum of all covariances)``.

    ``rows="pairwise"`` (default) is COINr's ``get_cronbach``: the covariance matrix on
    pairwise-complete rows (``cov(use = "pairwise.complete.obs")``), sums with ``na.rm``, alpha =
    k^2 * mean off-diagonal covariance / sum of all covariances. ``rows="complete"`` drops every row
    with a missing value first (rankaudit before 2026-12; the same on complete data).
    """
    k = x.shape[1]
    if rows == "complete":
        x = x[~np.isnan(x).any(axis=1)]
        if k < 2 or x.shape[0] < 3:
            return float("nan")
        vt = np.var(x.sum(axis=1), ddof=1)
        if vt <= 0:
            return float("nan")
        return float(k / (k - 1) * (1 - np.var(x, axis=0, ddof=1).sum() / vt))
    if k < 2 or (~np.isnan(x)).sum(axis=0).min() < 3:
        return float("nan")
    cov = pairwise_cov(x)
    total = float(np.nansum(cov))
    if not np.isfinite(total) or total <= 0:
        return float("nan")
    return float(k / (k - 1) * (total - float(np.nansum(np.diag(cov)))) / total)


@dataclass(frozen=True)
class PCA:
    eigenvalues: np.ndarray
    share_pc1: float
    n_gt_1: int
    loadings_pc1: np.ndarray


def pca(x: np.ndarray) -> PCA | None:
    """PCA on standardised complete rows (eigenvalues of the correlation matrix).

    Standardising with the sample sd (ddof=1) makes scikit-learn's ``explained_variance_`` (also
    ddof=1) exactly the eigenvalues of the correlation matrix, so the Kaiser rule (> 1) applies.
    """
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2 or n < 3:
        return None
    sd = x.std(axis=0, ddof=1)
    if (sd <= 0).any():
        return None
    from sklearn.decomposition import PCA as SkPCA

    z = (x - x.mean(axis=0)) / sd
    fit = SkPCA(n_components=min(n, k), svd_solver="full").fit(z)
    ev = np.zeros(k)
    ev[: fit.explained_variance_.size] = fit.explained_variance_
    load = fit.components_[0] * np.sqrt(ev[0])
    if load.sum() < 0:  # the sign of a principal component is arbitrary: make it deterministic
        load = -load
    return PCA(ev, float(ev[0] / k), int((ev > 1).sum()), load)


def group_children(pipe: Pipeline, build: Build) -> list[tuple[str, int, list[str], np.ndarray]]:
    """(node id, level, child ids, child values U x C) for every real aggregate node."""
    return [(node, level, kids, element_values(pipe, build, kids)) for node, level, kids in visible_groups(pipe)]


# --------------------------------------------------------------------------------------------
# weights and importance
# --------------------------------------------------------------------------------------------
def effective_weights(model: IndexModel) -> np.ndarray:
    """Index-level weight of each indicator: product of the normalised weights on its path."""
    share: dict[str, float] = {model.index_id: 1.0}
    for lvl in reversed(model.hierarchy):
        for node in lvl:
            tot = sum(node.weights)
            for c, w in zip(node.children, node.weights, strict=True):
                share[c] = share[node.id] * w / tot
    return np.array([share[i] for i in model.indicators])


def importance(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Correlation ratio of the index on each (normalised) indicator (smoothings batched)."""
    return correlation_ratios(x, index)


def divergence(importance_share: np.ndarray, weight_share: np.ndarray) -> float:
    """Total-variation distance 0.5 * sum |s_i - w_i| between two distributions (0 = identical)."""
    ok = np.isfinite(importance_share)
    if not ok.any():
        return float("nan")
    return float(0.5 * np.abs(importance_share[ok] - weight_share[ok]).sum())


# --------------------------------------------------------------------------------------------
# remove-one-element rank impact and reproduction
# --------------------------------------------------------------------------------------------
def remove_one(pipe: Pipeline, build: Build) -> list[tuple[str, int, float, float]]:
    """(element, level, mean |rank shift|, max |rank shift|) when each element's weight is zeroed.

    COINr ``remove_elements``: done for indicators and every aggregate level below the index,
    all elements of a level in one batched aggregation.
    """
    out = []
    nominal = build.ranks
    seen: set[str] = set()
    # a real element's level: where it sits in the padded tree (indicators 1, groups their own)
    level_of = {i: 1 for i in pipe.model.indicators}
    level_of.update({nid: lv.number for lv in pipe.levels for nid in lv.node_ids if nid not in pipe.model.aliases})
    n_units = len(nominal)
    for li, lv in enumerate(pipe.levels):
        elems = lv.child_ids
        # elements in blocks: one weight vector per dropped element, memory bounded in the elements
        block = max(1, 2_000_000 // max(len(elems), n_units * max(len(x.node_ids) for x in pipe.levels)))
        parts = []
        for start in range(0, len(elems), block):
            k = min(block, len(elems) - start)
            w = pipe.nominal_weights()
            batch = np.repeat(w[li], k, axis=0)
            batch[np.arange(k), np.arange(start, start + k)] = 0.0
            w[li] = batch
            top = pipe.aggregate(build.prepared.shared or build.prepared.normalised, w)[-1][..., 0]
            ranks = rank_desc(np.broadcast_to(top, (k, n_units)))
            with np.errstate(invalid="ignore"):
                parts.append(np.abs(ranks - nominal[None, :]))
        d = np.vstack(parts)
        for e, el in enumerate(elems):
            real = pipe.model.real_id(el)
            if real in seen:  # a pass-through chain: dropping any link is dropping the element
                continue
            seen.add(real)
            de = d[e][np.isfinite(d[e])]
            out.append((real, level_of.get(real, lv.number - 1), float(de.mean()) if de.size else float("nan"),
                        float(de.max()) if de.size else float("nan")))
    return out


@dataclass(frozen=True)
class Reproduction:
    compared_by: ComparedBy
    n: int
    rho: float
    max_rank_shift: float
    max_score_diff: float
    differing: list[tuple[str, float, float, float, float]]  # id, pub rank, comp rank, pub score, comp score
    mean_score_diff: float = np.nan
    worst_score_unit: str | None = None  # the unit whose rebuilt score is furthest from the published one
    exact_rank_share: float = np.nan
    worst_rank_unit: str | None = None
    published_score_range: float = np.nan


def reproduce(ids: Sequence[str], scores: np.ndarray, ranks: np.ndarray,
              published_scores: Mapping[str, float] | None = None,
              published_ranks: Mapping[str, float] | None = None) -> Reproduction | None:
    """Compare the rebuilt index with published scores (preferred) or ranks."""
    if not published_scores and not published_ranks:
        return None
    pos = {u: i for i, u in enumerate(ids)}
    if published_scores:
        keys = [u for u in published_scores if u in pos]
        pub_s = np.array([published_scores[u] for u in keys], dtype=float)
        pub_r = rank_desc(pub_s)
        if published_ranks:
            pub_r = np.array([published_ranks.get(u, r) for u, r in zip(keys, pub_r, strict=True)], dtype=float)
        by: ComparedBy = "score"
    else:
        assert published_ranks is not None
        keys = [u for u in published_ranks if u in pos]
        pub_r = np.array([published_ranks[u] for u in keys], dtype=float)
        pub_s = np.full(len(keys), np.nan)
        by = "rank"
    idx = np.array([pos[u] for u in keys], dtype=int)
    comp_s = scores[idx]
    # ranks among the published units only, so a partial table still compares like with like: both sides are
    # re-ranked within the compared units (published ranks are global, e.g. 1, 3 and 6 of 6)
    if len(keys) < len(ids):
        comp_r = rank_desc(comp_s)
        pub_r = rank_desc(-pub_r)
    else:
        comp_r = ranks[idx]
    rho = spearman(pub_s, comp_s) if by == "score" else spearman(-pub_r, -comp_r)
    with np.errstate(invalid="ignore"):
        shift = np.abs(pub_r - comp_r)
        sdiff = np.abs(pub_s - comp_s)
    differing = [(keys[k], float(pub_r[k]), float(comp_r[k]), float(pub_s[k]), float(comp_s[k]))
                 for k in np.flatnonzero(~(shift == 0))]
    scored = np.isfinite(sdiff)
    ranked = np.isfinite(shift)
    return Reproduction(
        by, len(keys), rho, float(np.nanmax(shift)) if ranked.any() else np.nan,
        float(np.nanmax(sdiff)) if scored.any() else np.nan, differing,
        mean_score_diff=float(np.nanmean(sdiff)) if scored.any() else np.nan,
        worst_score_unit=keys[int(np.nanargmax(sdiff))] if scored.any() else None,
        exact_rank_share=float((shift[ranked] == 0).mean()) if ranked.any() else np.nan,
        worst_rank_unit=keys[int(np.nanargmax(shift))] if ranked.any() and np.nanmax(shift) > 0 else None,
        published_score_range=float(np.nanmax(pub_s) - np.nanmin(pub_s)) if np.isfinite(pub_s).any() else np.nan,
    )

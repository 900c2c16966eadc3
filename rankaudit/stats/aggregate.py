"""Batched, available-case weighted aggregation of a hierarchy, by segment sums over each node's children.

For a batch of R weight vectors w (R x C) and child values V (U x C, or R x U x C), the weighted mean
of node p with children S_p is

    y[r, u, p] = finv( sum_{c in S_p} f(V[r,u,c]) m[r,u,c] w[r,c] / sum_{c in S_p} m[r,u,c] w[r,c] )

with m the availability mask (missing children are skipped and the remaining weights re-normalised,
COINr ``a_amean``) and f = identity / log / reciprocal for arithmetic / geometric / harmonic means
(the method object's ``forward``).

Only the children of each node are multiplied: for values shared by the whole batch (the normalised
indicators) each node is one GEMM ``w[:, S_p] @ f(V)[:, S_p].T`` (R x U), so a level costs the same
multiply-adds as one weighted sum of its children; no product by the zeros of a membership matrix.
The denominator is the weight sum of the node (R numbers) for every unit with all children present;
only the units with a missing child in S_p (usually few) get their own, small product. ``f(V)`` and
the missing structure of the shared values are computed once (:class:`SharedValues`) and reused by
every chunk of Monte Carlo replications.

The Monte Carlo goes further when every level takes the same mean (:class:`LinearPlan`): the
whole hierarchy is then one weighted sum per unit in f-space, one GEMM over all indicators per
batch, like a single weighted sum, plus a correction for each (unit, level-1 node) with a missing
child, grouped by missing pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from rankaudit.stats import methods as vocabulary
from rankaudit.stats.model import IndexModel


@dataclass(frozen=True)
class Level:
    """One aggregation step: children -> nodes. ``segments[p]`` holds the child positions of node p."""

    number: int  # COINr level number of the nodes (2 = pillars ...)
    child_ids: tuple[str, ...]
    node_ids: tuple[str, ...]
    segments: tuple[np.ndarray, ...]  # per node: int positions of its children
    weights: np.ndarray  # C, nominal weight of each child within its parent
    methods: tuple[str, ...]  # per node
    n_children: np.ndarray  # P


def compile_levels(model: IndexModel) -> list[Level]:
    """Turn the model's hierarchy into per-node child segments (model must be validated)."""
    levels = []
    below = model.indicators
    for k, lvl in enumerate(model.hierarchy, start=2):
        pos = {c: i for i, c in enumerate(below)}
        weights = np.zeros(len(below))
        segments = []
        for node in lvl:
            seg = np.array([pos[c] for c in node.children], dtype=np.intp)
            weights[seg] = node.weights
            segments.append(seg)
        levels.append(Level(k, tuple(below), tuple(n.id for n in lvl), tuple(segments), weights,
                            tuple(n.method for n in lvl), np.array([len(s) for s in segments], dtype=float)))
        below = tuple(n.id for n in lvl)
    return levels


_INVERSE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "identity": lambda v: v, "log": np.exp, "reciprocal": lambda v: 1.0 / v,
}


def _forward(values: np.ndarray, forward: str, mask: np.ndarray | None) -> np.ndarray:
    """f(values) with missing values set to 0 (they carry no weight); non-positive ones poison (NaN)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if forward == "identity":
            return values if mask is None else np.where(mask, values, 0.0)
        f = np.log if forward == "log" else np.reciprocal
        safe = values if mask is None else np.where(mask, values, 1.0)
        # non-positive inputs poison the node (NaN) instead of silently dropping out
        fv = f(np.where(safe > 0, safe, np.nan))
        return fv if mask is None else np.where(mask, fv, 0.0)


@dataclass
class SharedValues:
    """Values shared by a whole batch (U x C) with what every replication reuses."""

    values: np.ndarray
    mask: np.ndarray = field(init=False)
    any_missing: bool = field(init=False)
    _forward: dict[str, np.ndarray] = field(default_factory=dict, init=False)
    _missing_rows: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, init=False)
    _plans: dict[tuple[str | None, float | None], LinearPlan] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.mask = ~np.isnan(self.values)
        self.any_missing = not bool(self.mask.all())

    def forward(self, name: str) -> np.ndarray:
        hit = self._forward.get(name)
        if hit is None:
            # Fortran order: each node's children are a contiguous block of columns for the GEMM
            hit = np.asfortranarray(_forward(self.values, name, self.mask if self.any_missing else None))
            self._forward[name] = hit
        return hit

    def missing_rows(self, level: Level, p: int) -> tuple[np.ndarray, np.ndarray]:
        """Units with at least one missing child of node p, and their availability (k x rows, float)."""
        key = (level.number, p)
        hit = self._missing_rows.get(key)
        if hit is None:
            seg = level.segments[p]
            rows = np.flatnonzero(~self.mask[:, seg].all(axis=1))
            hit = (rows, np.ascontiguousarray(self.mask[np.ix_(rows, seg)].T, dtype=float))
            self._missing_rows[key] = hit
        return hit


def _shared_node(sv: SharedValues, w: np.ndarray, level: Level, p: int, forward: str, out: np.ndarray) -> None:
    """Node p for shared values, written into ``out`` (R x U, f-space)."""
    seg = level.segments[p]
    ws = w[:, seg]
    wsum = ws.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        # weights normalised first (R x k): the GEMM then gives the mean of every complete unit directly
        wn = ws / np.where(wsum > 0, wsum, np.nan)
        np.matmul(wn, sv.forward(forward)[:, seg].T, out=out)
        if sv.any_missing:
            rows, avail = sv.missing_rows(level, p)
            if rows.size:
                share = wn @ avail  # R x |rows|: the share of the node's weight present
                out[:, rows] /= np.where(share > 0, share, np.nan)


def _batched_node(values: np.ndarray, mask: np.ndarray | None, w: np.ndarray, level: Level, p: int,
                  forward: str, out: np.ndarray, in_forward: bool = False) -> None:
    """Node p for per-replication values (R' x U x C), written into ``out`` (R x U, f-space).

    ``in_forward``: the values are already f(v) (the level below kept them there)."""
    seg = level.segments[p]
    num: np.ndarray | float = 0.0
    den: np.ndarray | float = 0.0
    for c in seg:
        wc = w[:, c, None]
        fv = _forward(values[..., c], "identity" if in_forward else forward, None if mask is None else mask[..., c])
        num = num + fv * wc
        den = den + (wc if mask is None else mask[..., c] * wc)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(num, np.where(np.asarray(den) > 0, den, np.nan), out=out)


def aggregate_level(values: np.ndarray | SharedValues, weights: np.ndarray, level: Level, method: str | None = None,
                    threshold: float | None = None, *, in_forward: bool = False, keep_forward: bool = False
                    ) -> np.ndarray:
    """Aggregate one level for a batch of weight vectors.

    values: U x C (shared by all replications; pass a :class:`SharedValues` to reuse its caches) or
    R' x U x C (R' = 1 or R); weights: R x C. ``method`` overrides the nodes' own methods (uncertainty
    alternatives). Returns R x U x P, NaN where a node has no available child with positive weight or
    availability < ``threshold``. Geometric/harmonic means need positive values: non-positive ones
    give NaN here (the caller validates the normalisation beforehand and reports it).
    ``keep_forward`` returns f(y) instead of y, and ``in_forward`` says the values are f(v) already:
    two geometric levels in a row then skip an exp and a log per element (``aggregate_all``).
    """
    w = np.atleast_2d(weights)
    shared = values if isinstance(values, SharedValues) else SharedValues(values) if values.ndim == 2 else None
    arr = shared.values if shared is not None else values
    assert isinstance(arr, np.ndarray)
    r = max(w.shape[0], arr.shape[0] if arr.ndim == 3 else 1)
    n_units = arr.shape[-2]
    # node-major storage: each node's R x U block is contiguous to write, and contiguous for the next
    # level to read as one child; the caller sees an R x U x P view
    store = np.empty((r, len(level.node_ids), n_units))
    mask = None
    if shared is None:
        m = ~np.isnan(arr)
        mask = None if m.all() else m
    for p in range(len(level.node_ids)):
        kind = vocabulary.aggregation(method or level.methods[p])
        node = store[:, p, :]
        if shared is not None:
            _shared_node(shared, w, level, p, kind.forward, node)
        else:
            _batched_node(arr, mask, w, level, p, kind.forward, node, in_forward)
        if kind.forward != "identity" and not keep_forward:
            with np.errstate(invalid="ignore", over="ignore"):
                node[...] = _INVERSE[kind.forward](node)
    out = store.transpose(0, 2, 1)
    any_missing = shared.any_missing if shared is not None else mask is not None
    if threshold is not None and any_missing:
        avail = shared.mask if shared is not None else mask
        assert avail is not None
        share = np.stack([avail[..., s].mean(axis=-1) for s in level.segments], axis=-1)
        out = np.where(np.broadcast_to(share, out.shape) < threshold, np.nan, out)
    return out


def _level_forward(level: Level, method: str | None) -> str | None:
    """The forward transform shared by every node of a level, or None if they differ."""
    names = {vocabulary.aggregation(method or m).forward for m in level.methods}
    return names.pop() if len(names) == 1 else None


def aggregate_all(x: np.ndarray | SharedValues, weights: Sequence[np.ndarray], levels: Sequence[Level],
                  method: str | None = None, threshold: float | None = None, *, top_only: bool = False
                  ) -> list[np.ndarray]:
    """Aggregate normalised indicators ``x`` (U x J) through every level.

    ``weights[i]`` is an (R|1) x C_i array of child weights for ``levels[i]``. Returns the node
    scores of each level, each (R|1) x U x P_i (R = the largest batch among the weights); with
    ``top_only`` only the top level's, and consecutive levels with the same non-linear mean pass
    f(y) to each other (the Monte Carlo needs no intermediate score).
    """
    out = []
    v: np.ndarray | SharedValues = x
    fw = [_level_forward(lv, method) for lv in levels]
    held = False  # v holds f(y) of the level below
    for i, (lv, w) in enumerate(zip(levels, weights, strict=True)):
        keep = top_only and i + 1 < len(levels) and fw[i] not in (None, "identity") and fw[i] == fw[i + 1]
        v = aggregate_level(v, w, lv, method, threshold, in_forward=held, keep_forward=keep)
        held = keep
        if not top_only or i + 1 == len(levels):
            out.append(v)
    return out


@dataclass(frozen=True)
class _Group:
    """Units of a level-1 node that miss the same children (``pattern`` of the node's patterns)."""

    rows: np.ndarray  # unit positions
    values: np.ndarray  # rows x k: f(v) of the node's children, 0 where missing
    pattern: int


@dataclass(frozen=True)
class _Correction:
    """The units of one level-1 node with a missing child (all of its other levels complete)."""

    node: int
    presence: np.ndarray  # k x patterns: 1.0 where the child is present, one column per pattern
    groups: tuple[_Group, ...]
    rows: np.ndarray  # the units of no group (their patterns are rare): one general correction
    values: np.ndarray  # rows x k, as in _Group
    avail: np.ndarray  # rows x k: 1.0 where the child is present


PATTERN_ROWS = 8
"""Units of a level-1 node that miss the same children, from which they get one correction product."""


@dataclass(frozen=True)
class LinearPlan:
    """The whole hierarchy as one weighted sum per unit, for values shared by a batch.

    When every level takes the same weighted mean (one forward transform f for every node) and a
    unit has every level-1 node present, its top score in f-space is linear in f(v):

        f(top)[r, u] = sum_c W[r, c] f(v)[u, c] / s[r, u, p(c)],    W[r, c] = prod of the normalised
                                                                     weights on the path c -> top

    with s = 1 for a complete (unit, node) pair and otherwise the share of the node's weight present.
    So a batch costs one GEMM (R x J) @ (J x U) over all indicators, like a single weighted sum, plus a
    small product per level-1 node for the units with a missing child of it (``_Correction``). Units
    with a whole level-1 node missing or below the availability threshold, or with a non-finite f(v)
    (their nodes drop out and the upper weights re-normalise per unit), are the ``slow`` units: they
    go through :func:`aggregate_all` on their own rows.
    """

    forward: str
    levels: tuple[Level, ...]
    fx: np.ndarray  # U x J, f(v) with 0 where missing (slow units: anything)
    corrections: tuple[_Correction, ...]
    slow: np.ndarray  # unit positions aggregated the general way
    slow_values: SharedValues | None
    parent: tuple[np.ndarray, ...]  # per level: the node of each child


def linear_plan(sv: SharedValues, levels: Sequence[Level], method: str | None, threshold: float | None
                ) -> LinearPlan | None:
    """The plan of ``levels`` over ``sv`` (cached on ``sv``), or None when the levels' means differ."""
    forward = {vocabulary.aggregation(method or m).forward for lv in levels for m in lv.methods}
    if len(forward) != 1:
        return None
    key = (method, threshold)
    hit = sv._plans.get(key)
    if hit is not None and hit.levels == tuple(levels):
        return hit
    f = forward.pop()
    fx = sv.forward(f)
    first = levels[0]
    with np.errstate(invalid="ignore"):
        bad = sv.mask & ~np.isfinite(fx)  # a present value f cannot take (e.g. log of 0): poisons its node
    slow = bad.any(axis=1)
    for seg in first.segments:
        present = sv.mask[:, seg].sum(axis=1)
        slow |= present == 0
        if threshold is not None:
            slow |= present / len(seg) < threshold
    corrections = []
    if sv.any_missing:
        for p, seg in enumerate(first.segments):
            rows = np.flatnonzero(~slow & ~sv.mask[:, seg].all(axis=1))
            if not rows.size:
                continue
            # units that miss the same children share the node's present weight: one group each
            # (the usual case: one missing child); the rest, one general correction
            patterns, which = np.unique(sv.mask[np.ix_(rows, seg)], axis=0, return_inverse=True)
            which = which.reshape(-1)
            rest = np.zeros(rows.size, dtype=bool)
            groups: list[_Group] = []
            kept: list[np.ndarray] = []
            for g in range(patterns.shape[0]):
                in_g = which == g
                if in_g.sum() < PATTERN_ROWS:
                    rest |= in_g
                    continue
                sub = rows[in_g]
                groups.append(_Group(sub, np.ascontiguousarray(fx[np.ix_(sub, seg)]), len(kept)))
                kept.append(patterns[g])
            sub = rows[rest]
            corrections.append(_Correction(
                p, np.array(kept, dtype=float).reshape(len(kept), len(seg)).T, tuple(groups), sub,
                np.ascontiguousarray(fx[np.ix_(sub, seg)]),
                np.ascontiguousarray(sv.mask[np.ix_(sub, seg)], dtype=float)))
    slow_rows = np.flatnonzero(slow)
    parent = []
    for lv in levels:
        par = np.empty(len(lv.child_ids), dtype=np.intp)
        for p, seg in enumerate(lv.segments):
            par[seg] = p
        parent.append(par)
    # C order: the GEMM U x J @ J x R reads it row by row (about 25 % faster than Fortran order)
    plan = LinearPlan(f, tuple(levels), np.ascontiguousarray(fx), tuple(corrections), slow_rows,
                      SharedValues(sv.values[slow_rows]) if slow_rows.size else None, tuple(parent))
    sv._plans[key] = plan
    return plan


def _normalised(w: np.ndarray, level: Level) -> np.ndarray:
    """Each child's weight divided by the weight sum of its node (R x C)."""
    out = np.empty(w.shape)
    for seg in level.segments:
        ws = w[:, seg]
        out[:, seg] = ws / ws.sum(axis=1, keepdims=True)
    return out


def linear_top(plan: LinearPlan, weights: Sequence[np.ndarray], method: str | None, threshold: float | None
               ) -> np.ndarray | None:
    """Top scores (R x U) of a batch by ``plan``; None when a weight is not positive (a node's weight
    sum or present share could be 0 and the node drop out: the general path handles that).

    The scores are computed units-major (U x R), where the corrections add whole contiguous rows
    (about 6x faster than adding columns of an R x U array); the result is the R x U transposed view,
    which the caller copies into its own (replications-major) array anyway."""
    ws = [np.atleast_2d(w) for w in weights]
    if not all(bool((w > 0).all()) for w in ws):
        return None
    levels = plan.levels
    r = max(w.shape[0] for w in ws)
    # coefficient of each node on its path to the top, from the top down (R x P per level)
    coef = np.ones((r, 1))
    for i in range(len(levels) - 1, 0, -1):
        coef = _normalised(ws[i], levels[i]) * coef[:, plan.parent[i]]
    wn1 = _normalised(ws[0], levels[0])
    g = plan.fx @ (wn1 * coef[:, plan.parent[0]]).T  # U x R: f(top) of the units with complete nodes
    for cor in plan.corrections:
        seg = levels[0].segments[cor.node]
        wp = wn1[:, seg]
        wc = wp * coef[:, cor.node, None]
        # the GEMM gave the node's part num = values @ wc (missing children as 0); it should have
        # been num / share, share = the node's weight present: add num (1 / share - 1)
        if cor.groups:
            factor = 1.0 / (wp @ cor.presence) - 1.0  # R x patterns (1 x patterns: fixed level-1 weights)
            for grp in cor.groups:
                g[grp.rows] += grp.values @ (wc * factor[:, grp.pattern, None]).T
        if cor.rows.size:
            num = cor.values @ wc.T  # rows x R
            fix = num / (cor.avail @ wp.T)  # rows x R (rows x 1 when level-1 weights are fixed)
            fix -= num
            g[cor.rows] += fix
    if plan.forward != "identity":
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            g = _INVERSE[plan.forward](g)
    if plan.slow_values is not None:
        g[plan.slow] = aggregate_all(plan.slow_values, ws, levels, method, threshold, top_only=True)[-1][..., 0].T
    out: np.ndarray = g.T
    return out

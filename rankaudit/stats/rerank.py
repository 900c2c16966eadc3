"""The ranking under one's own weights, and how far the weights must move to change it.

Three questions (issue 14, part 3), each answered by a typed, ``to_dict()``-able result:

1. ``rerank(view, {id: weight})``: ranks under user-given weights, the rank shift of every city
   against the published ranks (when given; else the rebuilt nominal ranks), and for each city the
   contribution of each top-level group to its score change.
2. ``pass_city`` / ``enter_top``: the smallest change of one node's child weights (default: the
   index's children) for a city to pass another city, or to enter the top N; or a statement that
   no valid weights achieve it.
3. ``stability``: the largest change of those weights that leaves the top N unchanged.

**Weights given by the user** (``rerank``) are keyed by element id at any level. With
``mode="share"`` (default) a value is the element's share of its parent (0..1): the siblings not
given keep their nominal proportions and share what is left (1 - the given shares); when every
sibling is given, the values are divided by their sum. With ``mode="relative"`` a value replaces
the element's nominal share as a relative weight and all siblings are then divided by their sum
(the spec's ``relative`` weighting, COINr's convention). Either way a parent's shares sum to 1,
which is what the engine does with any weights (weights are relative within each parent).

**The weight space** of the inverse questions is the simplex of one node's child shares
(non-negative, summing to 1); every other weight stays nominal. Distances are **L1**: ``l1`` =
sum |w - w0|, and ``moved`` = l1 / 2 is the share of weight that must move from some groups to
others ("how many percentage points of weight must move"). L1 is the natural norm on a simplex,
keeps every question a linear programme, and its optimum moves weight between few groups, which
is easy to read.

**Linearity.** With arithmetic means from the node up to the index, a city's index score is
linear in the node's child shares once the children's scores are fixed (they do not depend on
those shares): ``score_u(w) = C[u] . w``. With geometric means all the way up, log(score) is
linear; with harmonic means, -1/score. ``C`` is computed by the engine itself at the simplex's
vertices and checked against the engine at the nominal and central weights; mixed means, and
cities with a missing child at that node (available-case re-weighting makes the score a ratio of
linear forms) are refused with a ``WhatIfError`` saying so.

**Ties.** Ranks are "min" ranks (ties share the best rank). A city *passes* another only with a
strictly higher score: the optimisation asks for a margin ``eps`` (1e-9 of the coefficient scale
for the closed form, 1e-7 for the MILP, whose solver tolerances are coarser), so the returned
weights achieve the target strictly and the distance exceeds the exact infimum by O(eps).
Every answer is verified by recomputing the ranks with the engine at the returned weights.

Algorithms:

* pass city X: one linear constraint d.w >= eps (d = C[t] - C[x]). In L1 on the simplex it has a
  closed form (a fractional knapsack): move weight onto the group with the largest d, taking it
  first from the groups with the smallest d, until the gap is closed; exact, O(K log K), and
  vectorised over many pairs. ``solver="highs"`` solves the same LP with scipy's linprog instead
  (the tests check that both agree).
* enter the top N: a union of polyhedra. Exact pruning first: a city j *strictly dominates* t
  when C[j] > C[t] in every group (it is above t under every weighting). (i) Only cities with
  fewer than N strict dominators can ever be in the top N; if t itself has N or more, no weights
  work; cities above t in any solution are in the top N, so competitors are restricted to that
  candidate set S (exact: if N or more cities were above t, the N best of them would all be in
  S). (ii) Among S, cities t can never pass (max_k d_jk < eps) count as always above - N or more
  of them: no valid weights; cities t passes under every weighting (min_k d_jk >= eps) drop out.
  (iii) The rest get binaries z_j in a MILP (scipy.optimize.milp, HiGHS): d_j.w + M_j z_j >= eps,
  sum z_j <= N - 1 - (always above), min L1. M_j = eps - min_k d_jk is the exact bound of d_j.w on
  the simplex (the minimum of a linear form is at a vertex), so z_j = 1 frees the constraint and
  nothing more. (iv) Lazy constraint generation keeps the MILP small: it starts with the
  competitors t is furthest behind at w0 and adds those the relaxed optimum fails to pass until it
  passes all but the budget (dropping competitors relaxes the problem, so this is exact).
  (v) Valid cuts z_a + z_b >= 1 for pairs t cannot pass together (certified by a combination
  lambda d_a + (1 - lambda) d_b below the margin in every group), and their greedy matching as a
  lower bound on the cities that stay above, prove most impossibilities without branching. The
  MILP stops at a relative gap of 1e-6; the chosen set is then re-solved as a plain LP (tight
  tolerances) for accurate weights.
* stability of the top N: the set changes when some j outside passes or ties some i inside, so
  the radius is the minimum over pairs (i in top N, j in S outside) of the closed-form distance to
  the tie hyperplane (C[j] - C[i]).w = 0 within the simplex; pairs where i strictly dominates j
  never swap and drop out; the same restriction to S is exact (a tie of i with an outsider that
  has N strict dominators means some candidate already passed i at that point). The ordered top N
  also includes the pairs inside the top N. Within the radius (strictly less) the top N is
  unchanged; at the radius, the returned weights make the binding pair tie.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from rankaudit.spec.models import Spec
from rankaudit.spec.yamlsafe import PositionIndex
from rankaudit.stats.whatif_adapter import (
    IndexView,
    Transform,
    WhatIfError,
    apply_transform,
    rank_desc,
    view_from_spec,
)

__all__ = [
    "LinearForm",
    "RerankReport",
    "RerankResult",
    "ShiftRow",
    "StabilityResult",
    "Target",
    "WeightChange",
    "WhatIfError",
    "enter_top",
    "enter_top_all",
    "linear_form",
    "parse_target",
    "pass_city",
    "rerank",
    "rerank_from_spec",
    "rerank_report",
    "resolve_weights",
    "stability",
]

WeightMode = Literal["share", "relative"]
EPS_CLOSED = 1e-9  # margin of the closed form, relative to the coefficient scale
LAZY_START = 8  # competitors of the first MILP beyond the budget
LAZY_ADD = 8  # competitors added per round of lazy constraint generation
MIP_GAP = 1e-6  # relative optimality gap of the MILP (HiGHS), then the chosen set is re-solved as an LP
EPS_MILP = 1e-7  # margin of the MILP, relative to each constraint's scale (HiGHS tolerances ~1e-7..1e-6)


def _f(x: float | np.floating[Any] | None) -> float | None:
    if x is None:
        return None
    v = float(x)
    return v if np.isfinite(v) else None


def _rank(x: float | np.floating[Any]) -> int | None:
    return int(x) if np.isfinite(x) else None


# ------------------------------------------------------------------------------------------------
# 1. ranks under given weights
# ------------------------------------------------------------------------------------------------
def resolve_weights(view: IndexView, given: Mapping[str, float], mode: WeightMode = "share"
                    ) -> dict[str, np.ndarray]:
    """User weights by element id -> the full share vector of every parent node they touch."""
    if mode not in ("share", "relative"):
        raise WhatIfError(f"unknown weight mode {mode!r} (share or relative)")
    by_parent: dict[str, dict[str, float]] = {}
    for eid, value in given.items():
        v = float(value)
        if not np.isfinite(v) or v < 0:
            raise WhatIfError(f"the weight of {eid!r} must be a finite number >= 0, got {value!r}")
        if eid == view.index_id:
            raise WhatIfError(f"{eid!r} is the index itself: it has no weight")
        try:
            node = view.node_of_child(eid)
        except WhatIfError:
            known = sorted({c for n in view.nodes.values() for c in n.children})
            import difflib

            near = difflib.get_close_matches(eid, known, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise WhatIfError(f"{eid!r} is not an element of the index{hint}") from None
        by_parent.setdefault(node.id, {})[eid] = v
    out: dict[str, np.ndarray] = {}
    for nid, vals in by_parent.items():
        node = view.nodes[nid]
        nominal = np.array(node.shares)
        given_mask = np.array([c in vals for c in node.children])
        gv = np.array([vals.get(c, 0.0) for c in node.children])
        if mode == "relative" or given_mask.all():
            w = np.where(given_mask, gv, nominal)
        else:
            taken = gv.sum()
            if taken > 1 + 1e-9:
                raise WhatIfError(f"the shares given for the children of {nid!r} sum to {taken:.4g} > 1 "
                                  "(use mode 'relative' for relative weights)")
            rest = nominal * ~given_mask
            # siblings keep their nominal proportions; equal split if they all had weight 0
            rest = rest / rest.sum() if rest.sum() > 0 else (~given_mask) / (~given_mask).sum()
            w = np.where(given_mask, gv, (1 - taken) * rest)
        if w.sum() <= 0:
            raise WhatIfError(f"the weights of the children of {nid!r} would all be 0")
        out[nid] = w / w.sum()
    return out


@dataclass(frozen=True)
class ShiftRow:
    """One city under the new weights; ``shift`` > 0 = moved up (baseline rank - new rank)."""

    id: str
    name: str | None
    rank: int | None
    baseline_rank: int | None
    shift: int | None
    score: float | None
    nominal_score: float | None
    score_change: float | None
    contributions: dict[str, float]
    """Top-level group -> its part of ``score_change`` (they sum to it; see ``rerank``)."""
    driver: str | None
    big: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "rank": self.rank, "baseline_rank": self.baseline_rank,
                "shift": self.shift, "score": self.score, "nominal_score": self.nominal_score,
                "score_change": self.score_change, "contributions": dict(self.contributions),
                "driver": self.driver, "big": self.big}


@dataclass(frozen=True)
class RerankResult:
    baseline: Literal["published", "nominal"]
    weights: dict[str, dict[str, float]]  # parent node -> child -> share actually used
    nominal_weights: dict[str, dict[str, float]]
    big_shift: int
    rows: tuple[ShiftRow, ...]  # in new rank order (unranked last)

    @property
    def big_shifts(self) -> tuple[ShiftRow, ...]:
        return tuple(r for r in self.rows if r.big)

    def to_dict(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "weights": self.weights, "nominal_weights": self.nominal_weights,
                "big_shift": self.big_shift, "rows": [r.to_dict() for r in self.rows]}


def _contributions(view: IndexView, s0: np.ndarray, s1: np.ndarray, w0: np.ndarray, w1: np.ndarray,
                   delta: np.ndarray) -> np.ndarray:
    """Each top-level group's part of the index change (U x K).

    The top node computes T^-1(sum_k e_k T(s_k)) with e the shares of the children present and T
    the identity (arithmetic), log (geometric) or 1/x (harmonic). Group k's term changes by
    e1_k T(s1_k) - e0_k T(s0_k); the terms sum to the change of T(index), and each group gets
    that fraction of the score change. For arithmetic means this is exact in score points.
    """
    top = view.nodes[view.index_id]
    transforms: dict[str, Transform] = {"arithmetic": "identity", "geometric": "log", "harmonic": "reciprocal"}
    t = transforms[top.method]
    e0 = view.effective_shares(top.id, w0, s0)
    e1 = view.effective_shares(top.id, w1, s1)
    term = np.nan_to_num(e1 * apply_transform(t, s1)) - np.nan_to_num(e0 * apply_transform(t, s0))
    tot = term.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(np.abs(tot) > 1e-15, term / tot, 0.0)
    out: np.ndarray = frac * delta[:, None]
    return out


def rerank(view: IndexView, weights: Mapping[str, float], *, mode: WeightMode = "share",
           published_ranks: Mapping[str, float] | None = None, big_shift: int = 3) -> RerankResult:
    """Ranks under ``weights`` and each city's shift against the published (else nominal) ranks.

    A shift is *big* when |shift| >= ``big_shift`` ranks; ``driver`` is the top-level group whose
    contribution moves the score most in the direction of its change.
    """
    shares = resolve_weights(view, weights, mode)
    top = view.index_id
    idx1, s1 = view.evaluate({k: v[None, :] for k, v in shares.items()}, detail=top)
    _, s0 = view.evaluate({}, detail=top)
    assert s0 is not None and s1 is not None
    new = idx1[0]
    ranks = rank_desc(new)
    nominal = view.nominal_index
    pub = {k: float(v) for k, v in (published_ranks or {}).items()}
    baseline: Literal["published", "nominal"] = "published" if pub else "nominal"
    base = np.array([pub.get(u, np.nan) for u in view.ids]) if pub else view.nominal_ranks
    w_top0 = np.array(view.nodes[top].shares)
    w_top1 = shares.get(top, w_top0)
    delta = new - nominal
    contrib = _contributions(view, s0[0], s1[0], w_top0, w_top1, delta)
    kids = view.nodes[top].children
    rows = []
    for u in np.argsort(np.where(np.isnan(ranks), np.inf, ranks), kind="stable"):
        shift = base[u] - ranks[u]
        c = {k: float(contrib[u, j]) for j, k in enumerate(kids)} if np.isfinite(delta[u]) else {}
        driver = None
        if c and delta[u] != 0:
            sign = np.sign(delta[u])
            k_best = max(c, key=lambda k: c[k] * sign)
            driver = k_best if c[k_best] * sign > 0 else None
        big = bool(np.isfinite(shift) and abs(shift) >= big_shift)
        rows.append(ShiftRow(view.ids[u], view.names[u], _rank(ranks[u]), _rank(base[u]),
                             int(shift) if np.isfinite(shift) else None, _f(new[u]), _f(nominal[u]),
                             _f(delta[u]), c, driver, big))
    used = {nid: dict(zip(view.nodes[nid].children, (float(x) for x in s), strict=True))
            for nid, s in shares.items()}
    nom = {nid: dict(zip(view.nodes[nid].children, view.nodes[nid].shares, strict=True)) for nid in shares}
    return RerankResult(baseline, used, nom, big_shift, tuple(rows))


# ------------------------------------------------------------------------------------------------
# 2. the linear form of the scores in one node's child shares
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearForm:
    """T(index score) of every city = ``coef[u] . w`` for w on the simplex of ``node``'s shares."""

    node: str
    children: tuple[str, ...]
    transform: Transform
    coef: np.ndarray  # U x K (rows of unranked cities are NaN)
    w0: np.ndarray  # K nominal shares
    ids: tuple[str, ...]
    ranked: np.ndarray  # U bool

    @property
    def scale(self) -> float:
        c = self.coef[self.ranked]
        return float(max(1.0, np.abs(c).max())) if c.size else 1.0

    def city(self, key: str) -> int:
        try:
            return self.ids.index(key)
        except ValueError:
            raise WhatIfError(f"unknown city {key!r}") from None


def linear_form(view: IndexView, node: str | None = None) -> LinearForm:
    """Coefficients of the scores in ``node``'s child shares (default: the index's children)."""
    nid = node or view.index_id
    if nid not in view.nodes:
        raise WhatIfError(f"{nid!r} is not an aggregate of the index (known: {', '.join(sorted(view.nodes))})")
    g = view.nodes[nid]
    t = view.path_transform(nid)
    k = len(g.children)
    if k < 2:
        raise WhatIfError(f"{nid!r} has a single child: there is no weight to move")
    idx, _ = view.evaluate({nid: np.eye(k)})
    coef = apply_transform(t, idx).T  # U x K
    ranked = np.isfinite(view.nominal_index)
    bad = ranked & ~np.isfinite(coef).all(axis=1)
    if bad.any():
        names = [view.ids[u] for u in np.flatnonzero(bad)]
        raise WhatIfError(f"cities {names[:10]} miss a child of {nid!r}: their score is not linear in its weights "
                          "(available-case re-weighting); inverse questions need complete scores at that node")
    w0 = np.array(g.shares)
    # the linearity claim, checked against the engine at the nominal and the central weights
    probe = np.vstack([w0, np.full(k, 1 / k)])
    got = apply_transform(t, view.evaluate({nid: probe})[0])
    want = probe @ np.nan_to_num(coef).T
    tol = 1e-9 * max(1.0, float(np.nanmax(np.abs(coef)))) if ranked.any() else 1.0
    if ranked.any() and float(np.nanmax(np.abs(got[:, ranked] - want[:, ranked]))) > tol:
        raise WhatIfError(f"the index is not linear in the weights of {nid!r} on these data")
    coef = np.where(ranked[:, None], coef, np.nan)
    return LinearForm(nid, g.children, t, coef, w0, view.ids, ranked)


# ------------------------------------------------------------------------------------------------
# closed form: L1 distance to the half-space a.w >= b within the simplex
# ------------------------------------------------------------------------------------------------
def _closed_form(a: np.ndarray, w0: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row a_i: min ||w - w0||_1 s.t. a_i.w >= b_i, w in the simplex.

    Returns (l1 distance per row, inf when infeasible; the optimal w per row). Moving mass m from
    group k to the group l* with the largest a raises a.w by m (a_l* - a_k): the best source is the
    smallest a_k, so fill greedily in ascending a (fractional knapsack, exact).
    """
    a = np.atleast_2d(a)
    n, k = a.shape
    gap = b - a @ w0  # how much a.w must rise
    top = np.argmax(a, axis=1)
    amax = a[np.arange(n), top]
    order = np.argsort(a, axis=1, kind="stable")
    a_s = np.take_along_axis(a, order, axis=1)
    cap = w0[order]  # mass available in each source, ascending a
    gain = (amax[:, None] - a_s) * cap
    cum = np.cumsum(gain, axis=1)
    dist = np.full(n, np.inf)
    w = np.tile(w0, (n, 1))
    done = gap <= 0
    dist[done] = 0.0
    feasible = ~done & (cum[:, -1] >= gap - 1e-15 * np.maximum(1.0, np.abs(b)))
    for i in np.flatnonzero(feasible):
        need = gap[i]
        moved = 0.0
        wi = w0.copy()
        for pos in range(k):
            src = order[i, pos]
            if src == top[i] or need <= 0:
                continue
            per = amax[i] - a_s[i, pos]
            if per <= 0:
                break
            m = min(cap[i, pos], need / per)
            wi[src] -= m
            wi[top[i]] += m
            moved += m
            need -= m * per
        w[i] = np.clip(wi, 0.0, 1.0)
        dist[i] = 2 * moved
    return dist, w


def _lp_pass(d: np.ndarray, w0: np.ndarray, eps: float) -> tuple[float, np.ndarray] | None:
    """min ||w - w0||_1 s.t. d.w >= eps on the simplex, by linprog/HiGHS (x = [p, q], w = w0 + p - q)."""
    k = len(w0)
    c = np.ones(2 * k)
    a_ub = np.vstack([np.hstack([-np.eye(k), np.eye(k)]),  # w >= 0
                      np.hstack([-d, d])[None, :]])  # d.w >= eps
    b_ub = np.concatenate([w0, [d @ w0 - eps]])
    a_eq = np.hstack([np.ones(k), -np.ones(k)])[None, :]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[0.0], bounds=(0, 1), method="highs",
                  options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    if res.status == 2:
        return None
    if res.status != 0:
        raise WhatIfError(f"the linear programme failed: {res.message}")
    p, q = res.x[:k], res.x[k:]
    return float(res.fun), np.clip(w0 + p - q, 0.0, 1.0)


@dataclass(frozen=True)
class WeightChange:
    """The smallest weight change for ``city`` to reach ``target`` (or why none exists)."""

    city: str
    target: str  # "top 10" | "pass X"
    node: str
    achievable: bool
    already: bool  # achieved at the nominal weights (distance 0)
    l1: float | None  # sum |w - w0|
    moved: float | None  # l1 / 2: share of weight that moves between groups
    weights: dict[str, float] | None
    nominal_weights: dict[str, float]
    rank_nominal: int | None
    rank_at_weights: int | None
    verified: bool  # ranks recomputed by the engine at ``weights`` achieve the target
    reason: str
    competitors: int = 0  # binaries of the MILP (top N) after pruning

    def to_dict(self) -> dict[str, Any]:
        return {"city": self.city, "target": self.target, "node": self.node, "achievable": self.achievable,
                "already": self.already, "l1": self.l1, "moved": self.moved, "weights": self.weights,
                "nominal_weights": self.nominal_weights, "rank_nominal": self.rank_nominal,
                "rank_at_weights": self.rank_at_weights, "verified": self.verified, "reason": self.reason,
                "competitors": self.competitors}


def _wdict(form: LinearForm, w: np.ndarray | None) -> dict[str, float] | None:
    return None if w is None else {c: float(x) for c, x in zip(form.children, w, strict=True)}


def _verify(view: IndexView, form: LinearForm, ws: np.ndarray) -> np.ndarray:
    """Engine ranks (R x U) at the shares ``ws`` (R x K) of the form's node."""
    idx, _ = view.evaluate({form.node: np.atleast_2d(ws)})
    out: np.ndarray = rank_desc(idx)
    return out


def pass_city(view: IndexView, city: str, other: str, *, node: str | None = None,
              form: LinearForm | None = None, solver: Literal["closed", "highs"] = "closed") -> WeightChange:
    """Smallest L1 change of ``node``'s child shares for ``city`` to score strictly above ``other``."""
    form = form or linear_form(view, node)
    t, x = form.city(city), form.city(other)
    target = f"pass {other}"
    nom = _wdict(form, form.w0) or {}
    r0 = _rank(view.nominal_ranks[t])
    if t == x:
        raise WhatIfError("a city cannot pass itself")
    if not (form.ranked[t] and form.ranked[x]):
        return WeightChange(city, target, form.node, False, False, None, None, None, nom, r0, None, False,
                            "one of the two cities is not ranked (no index score)")
    d = form.coef[t] - form.coef[x]
    eps = EPS_CLOSED * form.scale
    if solver == "highs":
        sol = _lp_pass(d, form.w0, eps)
    else:
        dist, w = _closed_form(d[None, :], form.w0, np.array([eps]))
        sol = None if not np.isfinite(dist[0]) else (float(dist[0]), w[0])
    if sol is None:
        why = (f"{other} scores at least as high as {city} in every group of {form.node!r}: no valid weights "
               f"(non-negative, summing to 1) put {city} ahead")
        return WeightChange(city, target, form.node, False, False, None, None, None, nom, r0, None, True, why)
    l1, w = sol
    already = bool(d @ form.w0 >= eps)
    if already:
        l1, w = 0.0, form.w0.copy()
    ranks = _verify(view, form, w)[0]
    idx, _ = view.evaluate({form.node: w[None, :]})
    ok = bool(idx[0, t] > idx[0, x])
    reason = "already ahead at the nominal weights" if already else (
        f"move {l1 / 2:.2%} of the weight among the children of {form.node!r}")
    return WeightChange(city, target, form.node, True, already, l1, l1 / 2, _wdict(form, w), nom, r0,
                        _rank(ranks[t]), ok, reason)


# ------------------------------------------------------------------------------------------------
# 3. enter the top N
# ------------------------------------------------------------------------------------------------
def _strict_dominators(coef: np.ndarray, ranked: np.ndarray, chunk: int = 256) -> np.ndarray:
    """For each city, how many cities score strictly higher in every group (above it under any weights)."""
    c = np.where(ranked[:, None], coef, -np.inf)
    n = c.shape[0]
    out = np.zeros(n, dtype=np.int64)
    for s in range(0, n, chunk):
        blk = c[s:s + chunk]  # B x K: is row i (all) > blk row j in every k?
        dom = (c[:, None, :] > blk[None, :, :]).all(axis=2)  # U x B
        out[s:s + chunk] = dom.sum(axis=0)
    out[~ranked] = n
    return out


_LAMBDAS = np.linspace(0.0, 1.0, 21)


def _conflicts(d: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """Pairs (a, b) of competitors the city cannot both pass under any valid weights.

    Sound certificate: if for some lambda in [0, 1] every component of lambda d_a + (1 - lambda) d_b
    is below min(eps_a, eps_b), no w on the simplex gives d_a.w >= eps_a and d_b.w >= eps_b (their
    combination would reach the margin). A lambda grid can miss a conflict, never invent one.
    """
    f = d.shape[0]
    if f < 2:
        return np.empty((0, 2), dtype=np.int64)
    a, b = np.triu_indices(f, 1)
    e = np.minimum(eps[a], eps[b])
    hit = np.zeros(len(a), dtype=bool)
    for lam in _LAMBDAS:
        hit |= (lam * d[a] + (1 - lam) * d[b]).max(axis=1) < e
    return np.column_stack([a[hit], b[hit]])


def _matching_bound(pairs: np.ndarray) -> int:
    """Size of a greedy maximal matching of the conflict graph: a lower bound on how many competitors
    must stay above the city (each matched pair needs at least one)."""
    used: set[int] = set()
    m = 0
    for x, y in pairs.tolist():
        if x not in used and y not in used:
            used.update((x, y))
            m += 1
    return m


def _milp_top(d: np.ndarray, w0: np.ndarray, budget: int, eps: np.ndarray
              ) -> tuple[float, np.ndarray, np.ndarray] | None:
    """min L1 s.t. at most ``budget`` of the rows d_j.w >= eps_j may fail (binaries z_j)."""
    f, k = d.shape
    conflicts = _conflicts(d, eps)
    if _matching_bound(conflicts) > budget:
        return None
    bigm = eps - d.min(axis=1)  # exact: d_j.w >= min_k d_jk on the simplex
    bigm = bigm + 1e-9 * np.maximum(1.0, np.abs(bigm))
    n = 2 * k + f
    c = np.concatenate([np.ones(2 * k), np.zeros(f)])
    rows = [
        LinearConstraint(np.concatenate([np.ones(k), -np.ones(k), np.zeros(f)])[None, :], 0.0, 0.0),
        LinearConstraint(np.hstack([-np.eye(k), np.eye(k), np.zeros((k, f))]), -np.inf, w0),
        LinearConstraint(np.hstack([d, -d, np.diag(bigm)]), eps - d @ w0, np.inf),
        LinearConstraint(np.concatenate([np.zeros(2 * k), np.ones(f)])[None, :], -np.inf, float(budget)),
    ]
    if len(conflicts):
        # valid cuts: of two competitors that cannot both be passed, one stays above (z_a + z_b >= 1)
        cut = np.zeros((len(conflicts), n))
        cut[np.arange(len(conflicts)), 2 * k + conflicts[:, 0]] = 1.0
        cut[np.arange(len(conflicts)), 2 * k + conflicts[:, 1]] = 1.0
        rows.append(LinearConstraint(cut, 1.0, np.inf))
    integrality = np.concatenate([np.zeros(2 * k), np.ones(f)])
    res = milp(c, constraints=rows, integrality=integrality, bounds=Bounds(np.zeros(n), np.ones(n)),
               options={"mip_rel_gap": MIP_GAP})
    if res.status == 2 or res.x is None:
        return None
    if res.status != 0:
        raise WhatIfError(f"the mixed-integer programme failed: {res.message}")
    z = res.x[2 * k:] > 0.5
    # polish: the chosen set of cities to pass, as one LP with tight tolerances
    keep = ~z
    a_ub = np.vstack([np.hstack([-np.eye(k), np.eye(k)]), np.hstack([-d[keep], d[keep]])])
    b_ub = np.concatenate([w0, d[keep] @ w0 - eps[keep]])
    lp = linprog(np.ones(2 * k), A_ub=a_ub, b_ub=b_ub, A_eq=np.hstack([np.ones(k), -np.ones(k)])[None, :],
                 b_eq=[0.0], bounds=(0, 1), method="highs",
                 options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    if lp.status == 0:
        x = lp.x
        return float(lp.fun), np.clip(w0 + x[:k] - x[k:], 0.0, 1.0), z
    x = res.x
    return float(x[:2 * k].sum()), np.clip(w0 + x[:k] - x[k:2 * k], 0.0, 1.0), z


@dataclass
class _TopContext:
    form: LinearForm
    n: int
    dominators: np.ndarray
    candidates: np.ndarray  # indices of S
    nominal_rank: np.ndarray
    notes: dict[str, int] = field(default_factory=dict)


def _top_context(view: IndexView, form: LinearForm, n: int) -> _TopContext:
    if n < 1:
        raise WhatIfError("top N needs N >= 1")
    dom = _strict_dominators(form.coef, form.ranked)
    cand = np.flatnonzero(form.ranked & (dom < n))
    return _TopContext(form, n, dom, cand, view.nominal_ranks)


def _enter_top_one(ctx: _TopContext, t: int) -> tuple[WeightChange, np.ndarray | None]:
    form, n = ctx.form, ctx.n
    city = form.ids[t]
    target = f"top {n}"
    nom = _wdict(form, form.w0) or {}
    r0 = _rank(ctx.nominal_rank[t])
    if not form.ranked[t]:
        return WeightChange(city, target, form.node, False, False, None, None, None, nom, r0, None, False,
                            "the city is not ranked (no index score)"), None
    if ctx.dominators[t] >= n:
        why = (f"{int(ctx.dominators[t])} cities score higher than {city} in every group of {form.node!r}: "
               f"no valid weights put it in the top {n}")
        return WeightChange(city, target, form.node, False, False, None, None, None, nom, r0, None, True, why), None
    comp = ctx.candidates[ctx.candidates != t]
    d = form.coef[t][None, :] - form.coef[comp]
    scale = np.maximum(np.abs(d).max(axis=1), 1e-300)
    eps = EPS_MILP * scale
    never = d.max(axis=1) < eps  # t can never pass these
    always = d.min(axis=1) >= eps  # t passes these under every weighting
    free = ~never & ~always
    budget = n - 1 - int(never.sum())
    if budget < 0:
        why = (f"{int(never.sum())} cities that can reach the top {n} score at least as high as {city} in every "
               f"group of {form.node!r}: no valid weights put it in the top {n}")
        return WeightChange(city, target, form.node, False, False, None, None, None, nom, r0, None, True, why), None
    df = d[free]
    ef = eps[free]
    at_nominal = int(((df @ form.w0) < ef).sum())
    if at_nominal <= budget:
        return WeightChange(city, target, form.node, True, True, 0.0, 0.0, nom, nom, r0, None, False,
                            f"already in the top {n} at the nominal weights", int(free.sum())), form.w0.copy()
    if free.sum() <= budget:  # cannot happen after the nominal check, kept for clarity
        return WeightChange(city, target, form.node, True, True, 0.0, 0.0, nom, nom, r0, None, False,
                            f"in the top {n} under any weights", 0), form.w0.copy()
    sol, used = _lazy_top(df, form.w0, budget, ef)
    if sol is None:
        why = f"no valid weights of the children of {form.node!r} put {city} in the top {n}"
        return WeightChange(city, target, form.node, False, False, None, None, None, nom, r0, None, True, why,
                            used), None
    l1, w, _z = sol
    return WeightChange(city, target, form.node, True, False, l1, l1 / 2, _wdict(form, w), nom, r0, None, False,
                        f"move {l1 / 2:.2%} of the weight among the children of {form.node!r}", used), w


def _lazy_top(d: np.ndarray, w0: np.ndarray, budget: int, eps: np.ndarray
              ) -> tuple[tuple[float, np.ndarray, np.ndarray] | None, int]:
    """The top-N MILP by lazy constraint generation (exact).

    Solve with a few competitors only (those the city is furthest behind at the nominal weights);
    dropping competitors relaxes the problem, so an infeasible relaxation proves infeasibility, and
    a relaxed optimum that also beats every other competitor (checked on all of them) is the optimum
    of the whole problem. Otherwise the competitors it fails to beat join and the MILP is solved again.
    Returns (solution or None, number of competitors in the last MILP).
    """
    f = d.shape[0]
    behind = (d @ w0) / np.maximum(np.abs(d).max(axis=1), 1e-300)
    rank_behind = np.argsort(behind, kind="stable")
    # quick proof of impossibility: conflicts among the competitors the city is furthest behind
    pre = rank_behind[:min(f, 96)]
    if _matching_bound(_conflicts(d[pre], eps[pre])) > budget:
        return None, len(pre)
    active = np.zeros(f, dtype=bool)
    active[rank_behind[:min(f, budget + LAZY_START)]] = True
    while True:
        idx = np.flatnonzero(active)
        sol = _milp_top(d[idx], w0, budget, eps[idx])
        if sol is None:
            return None, len(idx)
        w = sol[1]
        # not safely passed (half the margin: the polished LP meets the margin to ~1e-10)
        failing = (d @ w) < 0.5 * eps
        new = failing & ~active
        if failing.sum() <= budget or not new.any():
            return sol, len(idx)
        # the few it fails to pass by most join (small MILPs are far cheaper than big ones)
        add = np.flatnonzero(new)
        add = add[np.argsort((d[add] @ w) / np.maximum(np.abs(d[add]).max(axis=1), 1e-300), kind="stable")]
        active[add[:LAZY_ADD]] = True


def _finish(view: IndexView, form: LinearForm, n: int, items: list[tuple[WeightChange, np.ndarray | None]]
            ) -> list[WeightChange]:
    """Verify every answer with the engine (one batched evaluation) and fill in the ranks reached."""
    rows = [i for i, (_, w) in enumerate(items) if w is not None]
    out = [c for c, _ in items]
    if not rows:
        return out
    ranks = _verify(view, form, np.vstack([w for _, w in items if w is not None]))  # the rows' weights, in order
    for r, i in enumerate(rows):
        c = out[i]
        t = form.ids.index(c.city)
        rk = _rank(ranks[r, t])
        out[i] = WeightChange(c.city, c.target, c.node, c.achievable, c.already, c.l1, c.moved, c.weights,
                              c.nominal_weights, c.rank_nominal, rk, bool(rk is not None and rk <= n), c.reason,
                              c.competitors)
    return out


def enter_top(view: IndexView, city: str, n: int, *, node: str | None = None,
              form: LinearForm | None = None) -> WeightChange:
    """Smallest L1 change of ``node``'s child shares that puts ``city`` in the top ``n`` (see module doc)."""
    form = form or linear_form(view, node)
    ctx = _top_context(view, form, n)
    return _finish(view, form, n, [_enter_top_one(ctx, form.city(city))])[0]


def enter_top_all(view: IndexView, n: int, *, node: str | None = None, cities: Sequence[str] | None = None,
                  form: LinearForm | None = None) -> list[WeightChange]:
    """``enter_top`` for every city (or ``cities``), sharing the pruning and one verification pass."""
    form = form or linear_form(view, node)
    ctx = _top_context(view, form, n)
    which = [form.city(c) for c in cities] if cities is not None else list(range(len(form.ids)))
    return _finish(view, form, n, [_enter_top_one(ctx, t) for t in which])


# ------------------------------------------------------------------------------------------------
# 4. stability of the top N
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StabilityResult:
    """How far ``node``'s child shares can move (L1) before the top N changes."""

    n: int
    node: str
    top: tuple[str, ...]  # the top N whose stability is measured (published or nominal)
    source: Literal["published", "nominal"]
    reproduced: bool  # the rebuild at the nominal weights has this top N
    radius: float | None  # set unchanged for every valid w with ||w - w0||_1 < radius; None = never changes
    pair: tuple[str, str] | None  # (inside, outside) that tie at the radius
    weights: dict[str, float] | None  # the closest weights where they tie
    radius_order: float | None  # same for the order of the top N
    pair_order: tuple[str, str] | None
    weights_order: dict[str, float] | None
    nominal_weights: dict[str, float]
    pairs_checked: int

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "node": self.node, "top": list(self.top), "source": self.source,
                "reproduced": self.reproduced, "radius": self.radius,
                "moved": None if self.radius is None else self.radius / 2,
                "pair": list(self.pair) if self.pair else None, "weights": self.weights,
                "radius_order": self.radius_order,
                "moved_order": None if self.radius_order is None else self.radius_order / 2,
                "pair_order": list(self.pair_order) if self.pair_order else None,
                "weights_order": self.weights_order, "nominal_weights": self.nominal_weights,
                "pairs_checked": self.pairs_checked}


def _min_pair(form: LinearForm, pairs: list[tuple[int, int]]) -> tuple[float | None, tuple[str, str] | None,
                                                                        dict[str, float] | None]:
    if not pairs:
        return None, None, None
    ii = np.array([p[0] for p in pairs])
    jj = np.array([p[1] for p in pairs])
    a = form.coef[jj] - form.coef[ii]  # j ties or passes i when a.w >= 0
    dist, w = _closed_form(a, form.w0, np.zeros(len(pairs)))
    if not np.isfinite(dist).any():
        return None, None, None
    b = int(np.argmin(dist))
    return float(dist[b]), (form.ids[ii[b]], form.ids[jj[b]]), _wdict(form, w[b])


def stability(view: IndexView, n: int, *, node: str | None = None,
              published_ranks: Mapping[str, float] | None = None, form: LinearForm | None = None
              ) -> StabilityResult:
    """The largest L1 radius around the nominal shares within which the top ``n`` does not change.

    The top N is the published one when ``published_ranks`` are given (cities by published rank,
    ties by id order), else the rebuilt nominal one (by score, ties in data order).
    """
    form = form or linear_form(view, node)
    ranked = np.flatnonzero(form.ranked)
    if not 1 <= n < len(ranked):
        raise WhatIfError(f"top N needs 1 <= N < {len(ranked)} (the number of ranked cities)")
    pub = {k: float(v) for k, v in (published_ranks or {}).items() if k in form.ids}
    source: Literal["published", "nominal"] = "published" if pub else "nominal"
    if pub:
        order = sorted(pub, key=lambda k: (pub[k], form.ids.index(k)))
        top = [form.ids.index(k) for k in order[:n]]
    else:
        score = view.nominal_index
        top = [int(u) for u in ranked[np.argsort(-score[ranked], kind="stable")][:n]]
    nominal_top = set(int(u) for u in ranked[np.argsort(-view.nominal_index[ranked], kind="stable")][:n])
    dom = _strict_dominators(form.coef, form.ranked)
    cand = set(int(u) for u in np.flatnonzero(form.ranked & (dom < n)))
    inside = set(top)
    # pairs (i inside, j outside): drop j that i strictly dominates (they never tie)
    pairs = [(i, j) for i in top for j in sorted(cand - inside)
             if not bool((form.coef[i] > form.coef[j]).all())]
    r, pair, w = _min_pair(form, pairs)
    in_pairs = [(top[a], top[b]) for a in range(len(top)) for b in range(a + 1, len(top))
                if not bool((form.coef[top[a]] > form.coef[top[b]]).all())]
    r2, pair2, w2 = _min_pair(form, in_pairs)
    r_ord: float | None = r
    pair_ord, w_ord = pair, w
    if r2 is not None and (r is None or r2 < r):
        r_ord, pair_ord, w_ord = r2, pair2, w2
    return StabilityResult(n, form.node, tuple(form.ids[u] for u in top), source, set(top) == nominal_top,
                           r, pair, w, r_ord, pair_ord, w_ord, _wdict(form, form.w0) or {}, len(pairs) + len(in_pairs))


# ------------------------------------------------------------------------------------------------
# 5. one question from the command line: a spec, weights, a target, a stability check
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A parsed ``--target``: "top N" (``n``) or "pass CITY" (``other``, an id)."""

    kind: Literal["top", "pass"]
    n: int | None = None
    other: str | None = None


def parse_target(text: str, ids: Sequence[str], names: Sequence[str | None]) -> Target:
    """Read "top 10" or "pass Vienna" (id or name, case-insensitive)."""
    import re

    from rankaudit.stats.claims import ClaimError, resolve_city

    t = " ".join(text.strip().split())
    if m := re.fullmatch(r"top\s*-?\s*(\d+)", t, flags=re.IGNORECASE):
        return Target("top", n=int(m.group(1)))
    if m := re.fullmatch(r"(?:pass|overtake|ahead\s+of)\s+(.+)", t, flags=re.IGNORECASE):
        try:
            return Target("pass", other=resolve_city(m.group(1), ids, names))
        except ClaimError as e:
            raise WhatIfError(str(e)) from None
    raise WhatIfError(f"cannot read the target {t!r}: write 'top N' or 'pass <city>'")


@dataclass(frozen=True)
class RerankReport:
    """What ``rankaudit rerank`` answers: any of the three questions, with the names to print them."""

    index: str
    names: dict[str, str | None]  # city id -> name
    rerank: RerankResult | None = None
    changes: tuple[WeightChange, ...] = ()  # the target, for one city or every city
    target: str | None = None
    stability: StabilityResult | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "rerank": None if self.rerank is None else self.rerank.to_dict(),
                "target": self.target, "changes": [c.to_dict() for c in self.changes],
                "stability": None if self.stability is None else self.stability.to_dict(),
                "warnings": list(self.warnings)}


def rerank_report(view: IndexView, published_ranks: Mapping[str, float] | None = None, *,
                  weights: Mapping[str, float] | None = None, mode: WeightMode = "share",
                  target: str | None = None, city: str | None = None, stability_n: int | None = None,
                  node: str | None = None, big_shift: int = 3, warnings: Sequence[str] = ()) -> RerankReport:
    """Answer the questions asked: ranks under ``weights``; the smallest change for ``city`` (or every
    city, for "top N") to reach ``target``; the stability of the top ``stability_n``."""
    from rankaudit.stats.claims import ClaimError, resolve_city

    pub = dict(published_ranks or {})
    res = rerank(view, weights, mode=mode, published_ranks=pub or None, big_shift=big_shift) if weights else None
    changes: list[WeightChange] = []
    who = None
    if city is not None:
        try:
            who = resolve_city(city, view.ids, view.names)
        except ClaimError as e:
            raise WhatIfError(str(e)) from None
    form = linear_form(view, node) if target is not None or stability_n is not None else None
    if target is not None:
        t = parse_target(target, view.ids, view.names)
        if t.kind == "pass":
            if who is None:
                raise WhatIfError("'pass <city>' needs the city that passes: give --city")
            assert t.other is not None
            changes.append(pass_city(view, who, t.other, form=form))
        else:
            assert t.n is not None
            if not 1 <= t.n < len(view.ids):
                raise WhatIfError(f"top N needs 1 <= N < {len(view.ids)} (the number of cities)")
            order = np.argsort(np.where(np.isnan(view.nominal_ranks), np.inf, view.nominal_ranks), kind="stable")
            every = [view.ids[u] for u in order]  # by nominal rank: the answers read down the ranking
            changes = enter_top_all(view, t.n, form=form, cities=every if who is None else [who])
    stab = stability(view, stability_n, published_ranks=pub or None, form=form) if stability_n is not None else None
    return RerankReport(view.index_id, dict(zip(view.ids, view.names, strict=True)), res, tuple(changes),
                        target, stab, tuple(warnings))


def rerank_from_spec(spec: Spec, spec_dir: str | Path, positions: PositionIndex | None = None,
                     **questions: Any) -> RerankReport:
    """``rerank_report`` on a spec's index and data, built as the audit builds it (SpecError without data)."""
    view, published, warnings = view_from_spec(spec, spec_dir, positions)
    return rerank_report(view, published, warnings=warnings, **questions)

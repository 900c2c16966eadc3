"""Batched, available-case weighted aggregation of a hierarchy.

A level with C children and P parent nodes is a 0/1 membership matrix G (C x P). For a batch of R
weight vectors w (R x C) and child values V (U x C, or R x U x C), the weighted mean of node p is

    y[r, u, p] = finv( sum_c f(V[r,u,c]) m[r,u,c] w[r,c] G[c,p] / sum_c m[r,u,c] w[r,c] G[c,p] )

with m the availability mask (missing children are skipped and the remaining weights re-normalised,
COINr ``a_amean``), f = identity / log / reciprocal for arithmetic / geometric / harmonic means.
Both sums are matrix products against the weight tensor W*G (R x C x P), so a whole chunk of
Monte Carlo replications is one BLAS call per level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rankaudit.stats import methods as vocabulary
from rankaudit.stats.model import IndexModel


@dataclass(frozen=True)
class Level:
    """One aggregation step: children (rows of ``member``) -> nodes (columns)."""

    number: int  # COINr level number of the nodes (2 = pillars ...)
    child_ids: tuple[str, ...]
    node_ids: tuple[str, ...]
    member: np.ndarray  # C x P, float 0/1
    weights: np.ndarray  # C, nominal weight of each child within its parent
    methods: tuple[str, ...]  # per node
    n_children: np.ndarray  # P


def compile_levels(model: IndexModel) -> list[Level]:
    """Turn the model's hierarchy into membership matrices (model must be validated)."""
    levels = []
    below = model.indicators
    for k, lvl in enumerate(model.hierarchy, start=2):
        pos = {c: i for i, c in enumerate(below)}
        member = np.zeros((len(below), len(lvl)))
        weights = np.zeros(len(below))
        for p, node in enumerate(lvl):
            for c, w in zip(node.children, node.weights, strict=True):
                member[pos[c], p] = 1.0
                weights[pos[c]] = w
        levels.append(Level(k, tuple(below), tuple(n.id for n in lvl), member, weights,
                            tuple(n.method for n in lvl), member.sum(axis=0)))
        below = tuple(n.id for n in lvl)
    return levels


# the forward transform named by each aggregation method object (rankaudit.stats.methods.builtin)
_F = {
    "identity": (lambda v: v, lambda v: v),
    "log": (np.log, np.exp),
    "reciprocal": (lambda v: 1.0 / v, lambda v: 1.0 / v),
}


def _weighted_sum(v: np.ndarray, wg: np.ndarray) -> np.ndarray:
    """``v @ wg`` for v (U x C) or (R|1 x U x C) and wg (R x C x P) -> (R x U x P)."""
    if v.ndim == 2:
        r, c, p = wg.shape
        # one GEMM for the whole batch: (U x C) @ (C x R*P)
        out = v @ wg.transpose(1, 0, 2).reshape(c, r * p)
        return out.reshape(v.shape[0], r, p).transpose(1, 0, 2)
    return np.matmul(v, wg)


def aggregate_level(values: np.ndarray, weights: np.ndarray, level: Level, method: str | None = None,
                    threshold: float | None = None) -> np.ndarray:
    """Aggregate one level for a batch of weight vectors.

    values: U x C (shared by all replications) or R' x U x C (R' = 1 or R); weights: R x C.
    ``method`` overrides the nodes' own methods (uncertainty alternatives). Returns R x U x P, NaN
    where a node has no available child with positive weight or availability < ``threshold``.
    Geometric/harmonic means need positive values: non-positive ones give NaN here (the caller
    validates the normalisation beforehand and reports it).
    """
    w = np.atleast_2d(weights)
    r = max(w.shape[0], values.shape[0] if values.ndim == 3 else 1)
    methods = (method,) * len(level.node_ids) if method else level.methods
    mask = ~np.isnan(values)
    any_missing = not mask.all()
    out_shape = (r, values.shape[-2], len(level.node_ids))
    out = np.empty(out_shape)
    for m in sorted(set(methods)):
        cols = np.array([i for i, mm in enumerate(methods) if mm == m])
        g = level.member[:, cols]
        wg = w[:, :, None] * g[None, :, :]  # R x C x P_m
        kind = vocabulary.aggregation(m)
        f, finv = _F[kind.forward]
        with np.errstate(invalid="ignore", divide="ignore"):
            if not kind.needs_positive:
                fv = np.where(mask, values, 0.0) if any_missing else values
            elif not any_missing and bool((values > 0).all()):
                fv = f(values)  # the common case: complete, positive data
            else:
                safe = np.where(mask, values, 1.0)
                # non-positive inputs poison the node (NaN) instead of silently dropping out
                fv = np.where(safe > 0, f(np.where(safe > 0, safe, 1.0)), np.nan)
                fv = np.where(mask, fv, 0.0)
            num = _weighted_sum(fv, wg)
            den = _weighted_sum(mask.astype(float), wg) if any_missing else (w @ g)[:, None, :]
            agg = finv(num / np.where(den > 0, den, np.nan))
        out[..., cols] = np.broadcast_to(agg, (r, out_shape[1], len(cols)))
    if threshold is not None and any_missing:
        share = (mask.astype(float) @ level.member) / level.n_children
        out = np.where(np.broadcast_to(share, out.shape) < threshold, np.nan, out)
    return out


def aggregate_all(x: np.ndarray, weights: Sequence[np.ndarray], levels: Sequence[Level],
                  method: str | None = None, threshold: float | None = None) -> list[np.ndarray]:
    """Aggregate normalised indicators ``x`` (U x J) through every level.

    ``weights[i]`` is an (R|1) x C_i array of child weights for ``levels[i]``. Returns the node
    scores of each level, each (R|1) x U x P_i (R = the largest batch among the weights).
    """
    out = []
    v: np.ndarray = x
    for lv, w in zip(levels, weights, strict=True):
        v = aggregate_level(v, w, lv, method, threshold)
        out.append(v)
    return out

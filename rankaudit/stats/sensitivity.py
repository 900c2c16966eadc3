"""Variance-based sensitivity indices (Saltelli/Jansen) and the remove-one-element test.

Design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", CPC 181;
COINr ``SA_sample``/``SA_estimate``): two independent N x D uniform matrices A and B, and for each
factor group i the matrix A_B^i = A with the columns of group i taken from B; N(d+2) model runs in
the order [A; B; A_B^1; ...; A_B^d]. Estimators, with V = Var([y_A; y_B]):

    S_i  = mean((y_B - f0) (y_ABi - y_A)) / V    (first order, Saltelli 2010; f0 = mean of y_A, y_B)
    ST_i = mean((y_A - y_ABi)^2) / (2 V)         (total effect, Jansen 1999)

Confidence intervals, two bootstraps (``BOOTSTRAPS``):

* ``joint`` (default): percentile bootstrap over the N rows (resampling A, B and every A_B^i row
  jointly, so the estimator's correlations are kept), V recomputed in each resample;
* ``coinr``: COINr's ``SA_estimate`` (bluefoxr/COINr ``R/sensitivity.R`` at commit 0889f05, the
  ``## BOOTSTRAP ##`` block of ``SA_estimate``, its lines 27-66 counting the ``SA_estimate <-
  function`` line as 1; the point estimates are its lines 9-20): the per-row terms of each index are formed once,
  ``Sidiffs[, i] = yB * (yABi - yA)`` and ``STdiffs[, i] = yA - yABi``, and in every bootstrap draw
  each factor's column is resampled on its own (``sample(x, replace = TRUE)``), first the d
  first-order columns, then the d total-effect columns:
  ``Si* = mean(sample(Sidiffs[, i])) / varY`` and ``STi* = sum(sample(STdiffs[, i])^2) / (2 N varY)``,
  with varY the full sample's variance, never recomputed; the interval is R's
  ``quantile(probs = 0.05 / 0.95, na.rm = TRUE)`` (type 7, numpy's default ``linear``). With the
  ``saltelli2010`` estimator the first-order terms are centred as in the point estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def saltelli_sample(rng: np.random.Generator, n: int, group_sizes: Sequence[int]) -> np.ndarray:
    """N(d+2) x D uniform design; ``group_sizes`` = number of columns of each of the d factor groups."""
    d_cols = int(sum(group_sizes))
    a = rng.random((n, d_cols))
    b = rng.random((n, d_cols))
    blocks = [a, b]
    start = 0
    for size in group_sizes:
        ab = a.copy()
        ab[:, start:start + size] = b[:, start:start + size]
        blocks.append(ab)
        start += size
    return np.vstack(blocks)


@dataclass(frozen=True)
class SobolIndices:
    first_order: np.ndarray
    total_effect: np.ndarray
    first_order_ci: np.ndarray  # d x 2
    total_effect_ci: np.ndarray  # d x 2
    variance: float


ESTIMATORS = ("saltelli2010", "coinr")
"""First-order estimators: ``saltelli2010`` centres y_B on f0 (rankaudit's default); ``coinr`` is COINr's
``SA_estimate``, ``mean(y_B (y_ABi - y_A)) / V`` without centring (the two agree as N grows)."""


_ESTIMATE_CELLS = 1 << 18  # 2 MiB per temporary


def _estimate(ya: np.ndarray, yb: np.ndarray, yab: np.ndarray, estimator: str = "saltelli2010"
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ya, yb: (..., N); yab: (..., d, N). Returns S, ST (..., d) and V (...)."""
    rows = max(1, _ESTIMATE_CELLS // max(1, yab.shape[-2] * yab.shape[-1])) if yab.ndim == 3 else 0
    if ya.ndim == 2 and rows and ya.shape[0] > rows:
        # a bootstrap block, a few resamples at a time: the temporaries (rows x d x N) stay in cache
        # (about 1.5x faster) and their size does not grow with N; every figure is one resample's
        # own reduction, the same in any grouping
        parts = [_estimate(ya[i:i + rows], yb[i:i + rows], yab[i:i + rows], estimator)
                 for i in range(0, ya.shape[0], rows)]
        s_, st_, v_ = (np.concatenate(x) for x in zip(*parts, strict=True))
        return s_, st_, v_
    both = np.concatenate([ya, yb], axis=-1)
    v = np.var(both, axis=-1, ddof=1)
    # centring y_B does not change the expectation (E[y_ABi] = E[y_A]) but removes the estimator's
    # dependence on the output mean, which otherwise inflates its variance
    f0 = both.mean(axis=-1)[..., None] if estimator == "saltelli2010" else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        vv = np.where(v > 0, v, np.nan)[..., None]
        s = np.mean((yb - f0)[..., None, :] * (yab - ya[..., None, :]), axis=-1) / vv
        st = np.mean((ya[..., None, :] - yab) ** 2, axis=-1) / (2 * vv)
    return s, st, v


BOOTSTRAPS = ("joint", "coinr")
"""Bootstraps of the confidence intervals: ``joint`` resamples whole rows and recomputes V (rankaudit's
default); ``coinr`` resamples each index's terms separately with V fixed, as COINr's ``SA_estimate``."""


def coinr_boot_indices(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """One bootstrap draw of COINr's design: a (2, d, n) array of row indices, [0, i] resampling factor i's
    first-order terms and [1, i] its total-effect terms, drawn in COINr's order (d first-order columns, then
    d total-effect columns; one ``rng.integers`` call per draw, so the stream is the same whatever the block)."""
    return rng.integers(0, n, size=(2, d, n))


def _coinr_bootstrap(ya: np.ndarray, yb: np.ndarray, yab: np.ndarray, v: float, n_boot: int,
                     rng: np.random.Generator, estimator: str) -> tuple[np.ndarray, np.ndarray]:
    """COINr's separate-term bootstrap (module docstring): (n_boot, d) first-order and total-effect draws."""
    d, n = yab.shape
    f0 = float(np.concatenate([ya, yb]).mean()) if estimator == "saltelli2010" else 0.0
    si_terms = (yb - f0)[None, :] * (yab - ya[None, :])  # COINr Sidiffs, one row per factor (d x N)
    st_terms = ya[None, :] - yab  # COINr STdiffs
    rows = np.arange(d)[None, :, None]
    block = max(1, int(2_000_000 // max(1, 2 * d * n)))
    s_b, st_b = [], []
    for start in range(0, n_boot, block):
        k = min(block, n_boot - start)
        idx = np.stack([coinr_boot_indices(rng, n, d) for _ in range(k)])  # k x 2 x d x N
        s_b.append(si_terms[rows, idx[:, 0]].mean(axis=-1) / v)
        st_b.append((st_terms[rows, idx[:, 1]] ** 2).sum(axis=-1) / (2 * n * v))
    return np.concatenate(s_b), np.concatenate(st_b)


def sobol_indices(y: np.ndarray, n: int, d: int, n_boot: int = 1000, rng: np.random.Generator | None = None,
                  ci_level: float = 0.9, estimator: str = "saltelli2010", bootstrap: str = "joint") -> SobolIndices:
    """First-order and total-effect indices from outputs of a :func:`saltelli_sample` design."""
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown Sobol estimator {estimator!r} (known: {', '.join(ESTIMATORS)})")
    if bootstrap not in BOOTSTRAPS:
        raise ValueError(f"unknown Sobol bootstrap {bootstrap!r} (known: {', '.join(BOOTSTRAPS)})")
    y = np.asarray(y, dtype=float)
    if y.shape != (n * (d + 2),):
        raise ValueError(f"expected {n * (d + 2)} outputs, got {y.shape}")
    ya, yb = y[:n], y[n:2 * n]
    yab = y[2 * n:].reshape(d, n)
    s, st, v = _estimate(ya, yb, yab, estimator)
    nan2 = np.full((d, 2), np.nan)
    s_ci, st_ci = nan2.copy(), nan2.copy()
    if n_boot > 0 and np.isfinite(v) and v > 0:
        rng = rng or np.random.default_rng(0)
        lo, hi = (1 - ci_level) / 2, 1 - (1 - ci_level) / 2
        if bootstrap == "coinr":
            sb_all, stb_all = _coinr_bootstrap(ya, yb, yab, float(v), n_boot, rng, estimator)
        else:
            # bootstrap in blocks to bound memory (block x d x N)
            block = max(1, int(2_000_000 // max(1, n * (d + 2))))
            s_b, st_b = [], []
            for start in range(0, n_boot, block):
                k = min(block, n_boot - start)
                idx = rng.integers(0, n, size=(k, n))
                sb, stb, _ = _estimate(ya[idx], yb[idx], np.swapaxes(yab[:, idx], 0, 1), estimator)
                s_b.append(sb)
                st_b.append(stb)
            sb_all = np.concatenate(s_b)
            stb_all = np.concatenate(st_b)
        s_ci = np.stack([np.nanquantile(sb_all, lo, axis=0), np.nanquantile(sb_all, hi, axis=0)], axis=1)
        st_ci = np.stack([np.nanquantile(stb_all, lo, axis=0), np.nanquantile(stb_all, hi, axis=0)], axis=1)
    return SobolIndices(s, st, s_ci, st_ci, float(v))

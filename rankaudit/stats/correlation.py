"""Pairwise-complete Pearson correlations, their p-values, and a correlation-ratio estimator."""

from __future__ import annotations

import numpy as np


def pairwise_corr(a: np.ndarray, b: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pearson r between every column of ``a`` and of ``b`` on pairwise-complete rows.

    Returns (r, n_pairs); r is NaN when fewer than 3 pairs or a constant column. Vectorised with
    masked sums; columns are centred first to avoid cancellation on large raw values.
    """
    b_ = a if b is None else b
    ma = ~np.isnan(a)
    mb = ~np.isnan(b_)
    with np.errstate(invalid="ignore", divide="ignore"):
        a0 = np.where(ma, a - np.nanmean(np.where(ma, a, np.nan), axis=0), 0.0) if ma.any() else np.zeros_like(a)
        b0 = np.where(mb, b_ - np.nanmean(np.where(mb, b_, np.nan), axis=0), 0.0) if mb.any() else np.zeros_like(b_)
    fa, fb = ma.astype(float), mb.astype(float)
    n = fa.T @ fb
    sa = a0.T @ fb
    sb = fa.T @ b0
    sab = a0.T @ b0
    saa = (a0**2).T @ fb
    sbb = fa.T @ (b0**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sab - sa * sb / n
        va = saa - sa**2 / n
        vb = sbb - sb**2 / n
        tiny = 1e-24 * np.maximum(saa, 1e-300) * np.maximum(sbb, 1e-300)
        r = cov / np.sqrt(va * vb)
        r = np.where((n >= 3) & (va * vb > tiny), np.clip(r, -1.0, 1.0), np.nan)
    return r, n.astype(int)


def corr_pvalue(r: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Two-sided p-value of H0: rho = 0 (t test with n - 2 degrees of freedom)."""
    from scipy import stats

    r = np.asarray(r, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = n - 2
        t = r * np.sqrt(df / np.maximum(1 - r**2, 1e-300))
        p = 2 * stats.t.sf(np.abs(t), df)
    return np.where((n > 2) & np.isfinite(r), p, np.nan)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho (average ranks for ties) on complete pairs."""
    from scipy import stats

    ok = ~np.isnan(x) & ~np.isnan(y)
    if ok.sum() < 3:
        return float("nan")
    rx = stats.rankdata(x[ok])
    ry = stats.rankdata(y[ok])
    r, _ = pairwise_corr(rx[:, None], ry[:, None])
    return float(r[0, 0])


def pspline_smooth(x: np.ndarray, y: np.ndarray, n_segments: int = 20, degree: int = 3) -> np.ndarray:
    """Fitted values of a P-spline regression of y on x (Eilers & Marx 1996), penalty by GCV.

    Cubic B-splines on equally spaced knots with a second-order difference penalty; the smoothing
    parameter minimises generalised cross-validation over a log grid. Falls back to the linear fit
    for fewer than 6 points or 4 distinct x values.
    """
    from scipy.interpolate import BSpline

    n = x.size
    xl, xr = float(x.min()), float(x.max())
    n_unique = np.unique(x).size
    if xr <= xl:
        return np.full(n, y.mean())
    if n < 6 or n_unique < 4:
        beta = np.polyfit(x, y, 1)
        return np.polyval(beta, x)
    nseg = int(max(3, min(n_segments, n_unique // 2)))
    dx = (xr - xl) / nseg
    knots = xl + dx * np.arange(-degree, nseg + degree + 1)
    xs = np.clip(x, knots[degree], knots[nseg + degree])
    basis = BSpline.design_matrix(xs, knots, degree).toarray()
    nb = basis.shape[1]
    dmat = np.diff(np.eye(nb), 2, axis=0)
    pen = dmat.T @ dmat
    btb = basis.T @ basis
    bty = basis.T @ y
    best = (np.inf, None)
    for lam in np.logspace(-3, 6, 28):
        a = btb + lam * pen + 1e-10 * np.eye(nb)
        try:
            coef = np.linalg.solve(a, bty)
            tr = float(np.trace(np.linalg.solve(a, btb)))
        except np.linalg.LinAlgError:
            continue
        fit = basis @ coef
        if n - tr <= 1:
            continue
        gcv = n * float(np.sum((y - fit) ** 2)) / (n - tr) ** 2
        if gcv < best[0]:
            best = (gcv, fit)
    if best[1] is None:
        beta = np.polyfit(x, y, 1)
        return np.polyval(beta, x)
    return best[1]


def correlation_ratio(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's correlation ratio (main effect) S = V[E(y|x)] / V(y), E(y|x) by a P-spline.

    Paruolo, Saisana & Saltelli (2013), JRSS-A 176(3):609-634. Complete pairs only; NaN when fewer
    than 3 pairs or y is constant. Bounded to [0, 1].
    """
    ok = ~np.isnan(x) & ~np.isnan(y)
    if ok.sum() < 3:
        return float("nan")
    xo, yo = x[ok], y[ok]
    vy = float(np.var(yo))
    if vy <= 0:
        return float("nan")
    fit = pspline_smooth(xo, yo)
    return float(np.clip(np.var(fit) / vy, 0.0, 1.0))

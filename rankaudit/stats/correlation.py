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


def pairwise_cov(x: np.ndarray) -> np.ndarray:
    """Sample covariances of the columns on pairwise-complete rows: R ``cov(use = "pairwise.complete.obs")``.

    Each pair uses the rows where both are present, with the pair's own means; NaN below 2 rows.
    """
    m = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        # centring by the column means first (any shift leaves a covariance unchanged) avoids cancellation
        x0 = np.where(m, x - np.nanmean(np.where(m, x, np.nan), axis=0), 0.0) if m.any() else np.zeros_like(x)
        f = m.astype(float)
        n = f.T @ f
        sa = x0.T @ f  # sa[i, j]: sum of column i over the rows where j is present too
        cov = (x0.T @ x0 - sa * sa.T / n) / (n - 1)
    return np.where(n >= 2, cov, np.nan)


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
    best: tuple[float, np.ndarray | None] = (np.inf, None)
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


def _pspline_setup(x: np.ndarray, n_segments: int = 20, degree: int = 3) -> tuple[np.ndarray, int] | None:
    """The B-spline basis of :func:`pspline_smooth` for x, or None where it takes a shortcut."""
    from scipy.interpolate import BSpline

    n = x.size
    xl, xr = float(x.min()), float(x.max())
    n_unique = np.unique(x).size
    if xr <= xl or n < 6 or n_unique < 4:
        return None
    nseg = int(max(3, min(n_segments, n_unique // 2)))
    dx = (xr - xl) / nseg
    knots = xl + dx * np.arange(-degree, nseg + degree + 1)
    xs = np.clip(x, knots[degree], knots[nseg + degree])
    return BSpline.design_matrix(xs, knots, degree).toarray(), nseg


_LAMBDAS = np.logspace(-3, 6, 28)
_BATCH_CELLS = 4_000_000  # indicators x points x basis functions held at once (x 28 penalties for the fits)


def _batched_fits(bases: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """GCV-chosen P-spline fits for a stack of bases (m x n x nb) sharing y (n): m x n.

    Every basis and penalty of the grid is solved in one batched call (m x penalties systems, each
    one LU factorisation solving both the coefficients and the hat matrix's trace; the loop in
    :func:`pspline_smooth` factorises twice per penalty), and the penalty is chosen as there: the
    first with the smallest GCV among those leaving more than one residual degree of freedom. None
    if a system is singular (the caller then falls back to the one-by-one loop, which skips that
    penalty).
    """
    m, n, nb = bases.shape
    dmat = np.diff(np.eye(nb), 2, axis=0)
    pen = dmat.T @ dmat
    btb = np.einsum("mni,mnj->mij", bases, bases)
    bty = np.einsum("mni,n->mi", bases, y)
    rhs = np.concatenate([bty[:, :, None], btb], axis=2)  # m x nb x (1 + nb)
    systems = btb[:, None] + _LAMBDAS[None, :, None, None] * pen + 1e-10 * np.eye(nb)  # m x L x nb x nb
    try:
        sol = np.linalg.solve(systems, rhs[:, None])
    except np.linalg.LinAlgError:
        return None
    coef = sol[..., 0]  # m x L x nb
    tr = np.trace(sol[..., 1:], axis1=2, axis2=3)  # m x L
    fits = np.einsum("mni,mli->mln", bases, coef)  # m x L x n
    with np.errstate(invalid="ignore", divide="ignore"):
        gcv = n * ((y[None, None, :] - fits) ** 2).sum(axis=2) / (n - tr) ** 2
    gcv = np.where((n - tr > 1) & ~np.isnan(gcv), gcv, np.inf)
    best = np.argmin(gcv, axis=1)  # the first of equal minima, as the loop's strict comparison keeps
    chosen = fits[np.arange(m), best]
    chosen[~np.isfinite(gcv[np.arange(m), best])] = np.nan  # no admissible penalty at all
    result: np.ndarray = chosen
    return result


def correlation_ratios(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """:func:`correlation_ratio` of y on every column of x, vectorised over the columns.

    Columns with the same complete rows and the same basis size are smoothed together (batched
    solves over the penalty grid, one factorisation per basis and penalty); the rest, and the
    shortcuts (linear fit, constant x), go one by one. Same results as the loop to rounding (1e-9).
    """
    out = np.full(x.shape[1], np.nan)
    groups: dict[tuple[bytes, int], list[tuple[int, np.ndarray]]] = {}
    for j in range(x.shape[1]):
        ok = ~np.isnan(x[:, j]) & ~np.isnan(y)
        if ok.sum() < 3 or float(np.var(y[ok])) <= 0:
            continue
        setup = _pspline_setup(x[ok, j])
        if setup is None:
            out[j] = correlation_ratio(x[:, j], y)
            continue
        basis, _ = setup
        groups.setdefault((np.packbits(ok).tobytes(), basis.shape[1]), []).append((j, basis))
    for (packed, nb), members in groups.items():
        ok = np.unpackbits(np.frombuffer(packed, dtype=np.uint8), count=x.shape[0]).astype(bool)
        yo = y[ok]
        vy = float(np.var(yo))
        step = max(1, _BATCH_CELLS // max(1, ok.sum() * nb))
        for start in range(0, len(members), step):
            part = members[start:start + step]
            fits = _batched_fits(np.stack([b for _, b in part]), yo)
            for k, (j, _) in enumerate(part):
                if fits is None or not np.isfinite(fits[k]).all():
                    out[j] = correlation_ratio(x[:, j], y)  # the loop: linear fallback included
                else:
                    out[j] = float(np.clip(np.var(fits[k]) / vy, 0.0, 1.0))
    return out

"""Column-wise data transformations: denomination, moments, imputation, outlier treatment, normalisation.

All functions take a units x indicators float array with NaN for missing values and never modify
their input. Formulas follow COINr 1.1 (R/treat.R, R/normalise.R, R/impute.R) so that results can be
compared with JRC/COINr audits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from rankaudit.stats.data import UnitData
from rankaudit.stats.methods import NormContext
from rankaudit.stats.methods.denomination import Denomination
from rankaudit.stats.methods.normalisations.rank import min_rank
from rankaudit.stats.model import Imputation, Normalisation, OutlierTreatment

__all__ = ["Denomination", "Treatment", "denominate", "impute", "is_outlier", "log_ct", "min_rank", "normalise",
           "skew_kurt", "treat_outliers"]


# --------------------------------------------------------------------------------------------
# denomination (COINr Denominate: the first step, on the raw table)
# --------------------------------------------------------------------------------------------
def denominate(data: UnitData, denominations: Sequence[Denomination | None]) -> UnitData:
    """The indicator table with each indicator divided by its denominator (None: left as it is).

    ``denominations`` has one entry per indicator of ``data``; each names a column of
    ``data.numeric``. The result is a new UnitData whose values are the denominated table (every later
    step, the coherence audit included, works on it, as COINr's steps work on its "Denominated" data
    set); the side columns are kept, so the scale-bias check (SR07) then tests the divided
    indicators against the sizes. Missing values (NaN) in either column give a missing quotient.
    See ``rankaudit.stats.methods.denomination`` for COINr's formula and its source lines.
    """
    if len(denominations) != len(data.indicators):
        raise ValueError(f"{len(denominations)} denominations for {len(data.indicators)} indicators")
    if all(d is None for d in denominations):
        return data
    values = data.values.copy()
    for j, den in enumerate(denominations):
        if den is None:
            continue
        size = data.numeric.get(den.column)
        if size is None:
            raise ValueError(f"indicator {data.indicators[j]!r} is divided by {den.column!r}, which is not a "
                             "numeric column of the data")
        with np.errstate(invalid="ignore"):
            bad = np.flatnonzero(size <= 0)
        if bad.size:  # from_spec's reader refuses these at their cell; a caller's own table lands here
            raise ValueError(f"denominator {den.column!r} is {size[bad[0]]:g} for unit {data.ids[bad[0]]!r}: the "
                             "indicators divided by it need a positive size")
        values[:, j] = den.compute(data.values[:, j], size)
    return replace(data, values=values)


# --------------------------------------------------------------------------------------------
# moments (e1071 type 2 = Excel SKEW / KURT)
# --------------------------------------------------------------------------------------------
def skew_kurt(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample skewness and excess kurtosis of each column (NaN ignored).

    e1071 type 2 (COINr ``skew``/``kurt``, Excel SKEW/KURT):
    ``G1 = sqrt(n) m3 / m2^1.5 * sqrt(n(n-1))/(n-2)`` and
    ``G2 = ((n+1)(n m4/m2^2 - 3) + 6)(n-1)/((n-2)(n-3))`` with m_k = sum of k-th powers of deviations.
    NaN when n < 3 (skew) / n < 4 (kurtosis) or the column is constant.
    """
    x2 = np.atleast_2d(x.T).T if x.ndim == 1 else x
    ok = ~np.isnan(x2)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, x2, 0.0).sum(axis=0) / n
        d = np.where(ok, x2 - mean, 0.0)
        m2 = (d**2).sum(axis=0)
        m3 = (d**3).sum(axis=0)
        m4 = (d**4).sum(axis=0)
        g1 = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / m2**2
        g2 = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    # a (numerically) constant column has no shape: report NaN rather than round-off noise
    scale = np.nanmax(np.abs(np.where(ok, x2, np.nan)), axis=0, initial=0.0)
    const = m2 <= (1e-12 * np.maximum(scale, 1e-300)) ** 2 * np.maximum(n, 1)
    g1 = np.where((n < 3) | const, np.nan, g1)
    g2 = np.where((n < 4) | const, np.nan, g2)
    if x.ndim == 1:
        return g1[0], g2[0]
    return g1, g2


def is_outlier(skew: np.ndarray | float, kurt: np.ndarray | float, skew_thresh: float = 2.0,
               kurt_thresh: float = 3.5) -> np.ndarray:
    """COINr/JRC rule: |skew| > 2 AND excess kurtosis > 3.5 (NaN moments never flag)."""
    s = np.asarray(skew, dtype=float)
    k = np.asarray(kurt, dtype=float)
    with np.errstate(invalid="ignore"):
        result: np.ndarray = (np.abs(s) > skew_thresh) & (k > kurt_thresh)
        return result


# --------------------------------------------------------------------------------------------
# imputation
# --------------------------------------------------------------------------------------------
def impute(x: np.ndarray, imp: Imputation, groups: Sequence[str] | None = None) -> np.ndarray:
    """Fill NaN with the column mean/median, optionally within groups of units.

    A group without any available value in a column falls back to the overall statistic; a column
    with no value at all stays NaN.
    """
    kind = imp.kind
    if kind.statistic is None or not np.isnan(x).any():
        return x.copy()
    stat = np.nanmean if kind.statistic == "mean" else np.nanmedian
    out = x.copy()
    miss = np.isnan(x)
    all_nan = miss.all(axis=0)
    with np.errstate(invalid="ignore"):
        overall = np.full(x.shape[1], np.nan)
        if (~all_nan).any():
            overall[~all_nan] = stat(x[:, ~all_nan], axis=0)
    if not kind.by_group or imp.group_column is None or groups is None:
        fill = np.broadcast_to(overall, x.shape)
    else:
        g = np.asarray(groups)
        fill = np.empty_like(x)
        for label in np.unique(g):
            rows = g == label
            sub = x[rows]
            has = ~np.isnan(sub).all(axis=0)
            col = overall.copy()
            if has.any():
                col[has] = stat(sub[:, has], axis=0)
            fill[rows] = col
    out[miss] = fill[miss]
    return out


# --------------------------------------------------------------------------------------------
# outlier treatment (COINr Treat: winsorise, else log_CT)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Treatment:
    """What happened to one column."""

    kind: str  # "none" | "winsorised" | "log"
    n_points: int = 0
    side: str | None = None  # "high" | "low" | "both"


def _winsorise_col(x: np.ndarray, winmax: int, skew_thresh: float, kurt_thresh: float
                   ) -> tuple[np.ndarray, int, bool, str | None]:
    """COINr ``winsorise``: repeatedly replace the extreme value(s) on the skewed side by the next one.

    Returns (treated column, points winsorised, passes afterwards, side). As in COINr, the count is
    the size of the tied group at the treated extreme (so ties can exceed ``winmax``).
    """
    x = x.copy()
    avail = ~np.isnan(x)
    s, k = skew_kurt(x)
    passing = not bool(is_outlier(s, k, skew_thresh, kurt_thresh))
    n_hi = n_lo = 0
    nwin = 0
    while not passing and nwin < winmax:
        v = x[avail]
        high = s >= 0  # positive skew: the high outliers are pulled in, else the low ones
        extreme = v.max() if high else v.min()
        at = avail & (x == extreme)
        rest = v[v != extreme]
        if rest.size == 0:
            break
        x[at] = rest.max() if high else rest.min()
        # COINr counts the points of the last pass on each side (its `nwin` bookkeeping), not a running sum
        if high:
            n_hi = int(at.sum())
        else:
            n_lo = int(at.sum())
        nwin = n_hi + n_lo
        s, k = skew_kurt(x)
        passing = not bool(is_outlier(s, k, skew_thresh, kurt_thresh))
    side = "both" if n_hi and n_lo else "high" if n_hi else "low" if n_lo else None
    return x, nwin, passing, side


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr ``log_CT``: ``log(x - min(x) + 0.01 (max(x) - min(x)))`` (NaN kept)."""
    lo = np.nanmin(x)
    hi = np.nanmax(x)
    result: np.ndarray = np.log(x - lo + 0.01 * (hi - lo))
    return result


def treat_outliers(x: np.ndarray, spec: OutlierTreatment, winmax: int | None = None
                   ) -> tuple[np.ndarray, list[Treatment]]:
    """Apply COINr's two-stage treatment to every flagged column of ``x`` (raw values).

    Only columns failing the skew/kurtosis test are touched. Winsorisation comes first; if the
    column still fails after ``winmax`` points, the *original* column is log-transformed (COINr
    ``combine_treat = FALSE``). ``winmax`` overrides ``spec.winmax`` (uncertainty alternatives);
    ``winmax = 0`` means no treatment.
    """
    wm = spec.winmax if winmax is None else winmax
    out = x.copy()
    info = [Treatment("none")] * x.shape[1]
    if spec.method == "none" or wm <= 0:
        return out, info
    s, k = skew_kurt(x)
    flagged = np.flatnonzero(is_outlier(s, k, spec.skew_thresh, spec.kurt_thresh))
    for j in flagged:
        if spec.method == "log":
            out[:, j] = log_ct(x[:, j])
            info[j] = Treatment("log", int((~np.isnan(x[:, j])).sum()))
            continue
        col, nwin, passing, side = _winsorise_col(x[:, j], wm, spec.skew_thresh, spec.kurt_thresh)
        if passing or not spec.log_fallback:
            out[:, j] = col
            info[j] = Treatment("winsorised", nwin, side)
        else:
            out[:, j] = log_ct(x[:, j])
            info[j] = Treatment("log", int((~np.isnan(x[:, j])).sum()))
    return out, info


# --------------------------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------------------------
def normalise(x: np.ndarray, directions: Sequence[int], norm: Normalisation,
              unit_ids: Sequence[str] | None = None) -> np.ndarray:
    """Normalise columns after multiplying them by their direction (COINr ``Normalise``).

    The formula is the method object's (``rankaudit.stats.methods.normalisations``). Constant columns
    give NaN (as in COINr): they carry no information and are skipped by available-case aggregation.
    """
    d = tuple(int(v) for v in directions)
    xd = x * np.asarray(d, dtype=float)
    ctx = NormContext(tuple(unit_ids) if unit_ids is not None else None, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        return norm.kind.compute(xd, norm.values, ctx)

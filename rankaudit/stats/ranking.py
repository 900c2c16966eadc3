"""Ranks (1 = best, ties share the lowest rank) and rank-distribution summaries."""

from __future__ import annotations

import numpy as np


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """Rank each row of ``scores`` (R x U or U) descending: 1 = highest score.

    Ties get the lowest rank of their group ("min", like R ``rank(-x, ties.method = "min")``);
    NaN scores get NaN ranks. Vectorised over rows: one argsort, then (only when there are ties) a
    running maximum carries the rank of the first member of each tie group forward.
    """
    s = np.atleast_2d(np.asarray(scores, dtype=float))
    r, u = s.shape
    if u == 0:
        return s.copy()
    nan = np.isnan(s)
    has_nan = bool(nan.any())
    key = np.where(nan, np.inf, -s) if has_nan else -s  # NaN last
    # any sort will do: members of a tie group get the same rank whatever their order
    order = np.argsort(key, axis=1)
    srt = np.take_along_axis(key, order, axis=1)
    new_group = np.ones((r, u), dtype=bool)
    np.not_equal(srt[:, 1:], srt[:, :-1], out=new_group[:, 1:])
    pos = np.broadcast_to(np.arange(1, u + 1, dtype=float), (r, u))
    # without ties (the usual case with continuous scores) the rank is the sorted position
    rank_sorted = pos if new_group.all() else np.maximum.accumulate(np.where(new_group, pos, 0.0), axis=1)
    out = np.empty((r, u))
    np.put_along_axis(out, order, rank_sorted, axis=1)
    if has_nan:
        out[nan] = np.nan
    return out if np.ndim(scores) == 2 else out[0]


class RankHistogram:
    """Counts of the rank of every unit over Monte Carlo runs (units x ranks).

    Ranks are integers 1..U, so a U x U count table holds their whole distribution in memory that
    does not grow with the number of runs; quantiles are then exact.
    """

    def __init__(self, n_units: int) -> None:
        self.n = n_units
        self.counts = np.zeros((n_units, n_units), dtype=np.int64)
        self.sums = np.zeros(n_units)

    def add(self, ranks: np.ndarray) -> None:
        """Add a batch of runs (R x U float ranks, NaN = unranked in that run)."""
        ok = ~np.isnan(ranks)
        unit = np.broadcast_to(np.arange(self.n), ranks.shape)[ok]
        rk = ranks[ok].astype(np.int64) - 1
        self.counts += np.bincount(unit * self.n + rk, minlength=self.n * self.n).reshape(self.n, self.n)
        self.sums += np.where(ok, ranks, 0.0).sum(axis=0)

    @property
    def n_runs(self) -> np.ndarray:
        return self.counts.sum(axis=1)

    def mean(self) -> np.ndarray:
        n = self.n_runs
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, self.sums / n, np.nan)

    def quantile(self, p: float) -> np.ndarray:
        """Quantile of each unit's ranks, R type 7 (numpy 'linear'): ``x[h]`` interpolated at h=(n-1)p."""
        n = self.n_runs
        cum = np.cumsum(self.counts, axis=1)
        h = (n - 1) * p
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        # value of the k-th (0-based) sorted observation = first rank whose cumulative count > k
        v_lo = (cum > lo[:, None]).argmax(axis=1) + 1.0
        v_hi = (cum > hi[:, None]).argmax(axis=1) + 1.0
        q = v_lo + (h - lo) * (v_hi - v_lo)
        return np.where(n > 0, q, np.nan)

    def share_within(self, centre: np.ndarray, k: float) -> np.ndarray:
        """Share of each unit's runs with |rank - centre| <= k."""
        ranks = np.arange(1, self.n + 1, dtype=float)
        near = np.abs(ranks[None, :] - centre[:, None]) <= k
        n = self.n_runs
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, (self.counts * near).sum(axis=1) / n, np.nan)


class RankStore:
    """Same interface as RankHistogram, storing every run's ranks (float32).

    Used when units x units counts would take more memory than runs x units ranks (many units,
    few runs)."""

    def __init__(self, n_units: int) -> None:
        self.n = n_units
        self._chunks: list[np.ndarray] = []

    def add(self, ranks: np.ndarray) -> None:
        self._chunks.append(np.asarray(ranks, dtype=np.float32))

    @property
    def _all(self) -> np.ndarray:
        if len(self._chunks) != 1:
            self._chunks = [np.concatenate(self._chunks) if self._chunks else np.empty((0, self.n), np.float32)]
        return self._chunks[0]

    @property
    def n_runs(self) -> np.ndarray:
        return (~np.isnan(self._all)).sum(axis=0)

    def mean(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.nanmean(self._all.astype(float), axis=0) if self._all.size else np.full(self.n, np.nan)

    def quantile(self, p: float) -> np.ndarray:
        if not self._all.size:
            return np.full(self.n, np.nan)
        return np.nanquantile(self._all.astype(float), p, axis=0)

    def share_within(self, centre: np.ndarray, k: float) -> np.ndarray:
        a = self._all.astype(float)
        ok = ~np.isnan(a)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (ok & (np.abs(a - centre[None, :]) <= k)).sum(axis=0) / ok.sum(axis=0)


def rank_accumulator(n_units: int, n_runs: int) -> RankHistogram | RankStore:
    """The cheaper exact accumulator: U x U counts (int64) or R x U stored ranks (float32)."""
    return RankHistogram(n_units) if n_units * 8 <= n_runs * 4 or n_units <= 2048 else RankStore(n_units)

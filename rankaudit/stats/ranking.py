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


HISTOGRAM_BYTES = 256 * 1024 * 1024
"""Most memory the rank counts may take. Exact per-unit rank histograms (U x U counts) are kept while
they fit; beyond it (about 11,500 units at <= 65,535 runs, 8,192 units above), ranks are counted in
bins of ``width`` consecutive ranks, and quantiles are exact to within ``width - 1`` ranks."""


def _count_dtype(n_runs: int) -> type:
    return np.uint16 if n_runs <= np.iinfo(np.uint16).max else np.uint32 if n_runs <= np.iinfo(np.uint32).max \
        else np.uint64


class RankHistogram:
    """Counts of the rank of every unit over Monte Carlo runs: memory flat in the number of runs.

    Ranks are integers 1..U. With ``width`` 1 (whenever U x U counts fit ``HISTOGRAM_BYTES``) the
    table holds each unit's whole rank distribution and every statistic is exact. Otherwise (a
    documented sketch) ranks are counted in bins of ``width`` consecutive ranks: a quantile is found
    in its bin and placed by linear interpolation inside it, so it is within ``width - 1`` ranks of
    the exact one (``max_error``); means stay exact (running sums); ``share_within`` counts the
    partly covered end bins pro rata (uniform within a bin).
    """

    def __init__(self, n_units: int, n_runs: int = 2**31, max_bytes: int = HISTOGRAM_BYTES) -> None:
        self.n = n_units
        dtype = _count_dtype(n_runs)
        item = np.dtype(dtype).itemsize
        bins = max(1, min(n_units, max_bytes // max(1, n_units * item)))
        self.width = -(-n_units // bins)  # ceil
        self.bins = -(-n_units // self.width)
        self.counts: np.ndarray = np.zeros((n_units, self.bins), dtype=dtype)
        self.sums = np.zeros(n_units)

    @property
    def max_error(self) -> int:
        """Largest difference between a reported rank quantile and the exact one, in ranks."""
        return self.width - 1

    def add(self, ranks: np.ndarray) -> None:
        """Add a batch of runs (R x U float ranks, NaN = unranked in that run)."""
        ok = ~np.isnan(ranks)
        complete = bool(ok.all())
        rk = (ranks if complete else ranks[ok]).astype(np.int64).ravel() - 1
        if self.width > 1:
            rk //= self.width
        unit = np.broadcast_to(np.arange(self.n), ranks.shape)
        unit = unit.ravel() if complete else unit[ok]
        flat = unit * self.bins + rk
        if self.counts.size <= 4 * flat.size:
            # a dense bincount is cheapest while the table is small next to the batch
            np.add(self.counts, np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape),
                   out=self.counts, casting="unsafe")
        else:  # no table-sized temporary: memory stays that of the counts
            # the increment in the table's own dtype: numpy's fast path of ufunc.at needs no casting
            # (a Python int 1 takes the generic loop, about 25x slower)
            np.add.at(self.counts.reshape(-1), flat, self.counts.dtype.type(1))
        self.sums += ranks.sum(axis=0) if complete else np.where(ok, ranks, 0.0).sum(axis=0)

    @property
    def n_runs(self) -> np.ndarray:
        result: np.ndarray = self.counts.sum(axis=1, dtype=np.int64)
        return result

    def mean(self) -> np.ndarray:
        n = self.n_runs
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, self.sums / n, np.nan)

    def _blocks(self) -> range:
        # summaries go through the units in blocks, so no temporary is table-sized (8 MiB of cells each)
        return range(0, self.n, max(1, (1 << 20) // max(1, self.bins)))

    def _order_stat(self, cum: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Rank of the k-th (0-based) sorted observation of each unit of a block (cum: block x bins)."""
        b = (cum > k[:, None]).argmax(axis=1)
        if self.width == 1:
            result: np.ndarray = b + 1.0
            return result
        rows = np.arange(cum.shape[0])
        before = np.where(b > 0, cum[rows, np.maximum(b - 1, 0)], 0)
        inside = cum[rows, b] - before
        lo = b * self.width + 1.0
        hi = np.minimum(lo + self.width - 1, self.n)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(inside > 1, (k - before) / np.maximum(inside - 1, 1), 0.0)
        interpolated: np.ndarray = lo + frac * (hi - lo)
        return interpolated

    def quantile(self, p: float) -> np.ndarray:
        """Quantile of each unit's ranks, R type 7 (numpy 'linear'): ``x[h]`` interpolated at h=(n-1)p."""
        n = self.n_runs
        out = np.full(self.n, np.nan)
        for start in self._blocks():
            sl = slice(start, start + self._blocks().step)
            cum = np.cumsum(self.counts[sl], axis=1, dtype=np.int64)
            h = (n[sl] - 1) * p
            lo = np.floor(h).astype(np.int64)
            hi = np.minimum(lo + 1, np.maximum(n[sl] - 1, 0))
            v_lo = self._order_stat(cum, lo)
            v_hi = self._order_stat(cum, hi)
            out[sl] = np.where(n[sl] > 0, v_lo + (h - lo) * (v_hi - v_lo), np.nan)
        return out

    def share_within(self, centre: np.ndarray, k: float) -> np.ndarray:
        """Share of each unit's runs with |rank - centre| <= k."""
        lo_rank = np.arange(self.bins) * self.width + 1.0
        hi_rank = np.minimum(lo_rank + self.width - 1, self.n)
        size = (hi_rank - lo_rank + 1)[None, :]
        n = self.n_runs
        out = np.full(self.n, np.nan)
        for start in self._blocks():
            sl = slice(start, start + self._blocks().step)
            c = centre[sl, None]
            # ranks of the bin inside [centre - k, centre + k], as a share of the bin's ranks
            first = np.maximum(lo_rank[None, :], np.ceil(c - k - 1e-9))
            last = np.minimum(hi_rank[None, :], np.floor(c + k + 1e-9))
            cover = np.clip(last - first + 1, 0, None) / size
            with np.errstate(invalid="ignore", divide="ignore"):
                out[sl] = np.where(n[sl] > 0, (self.counts[sl] * cover).sum(axis=1) / n[sl], np.nan)
        return out


def rank_accumulator(n_units: int, n_runs: int) -> RankHistogram:
    """Rank counts for ``n_runs`` runs of ``n_units`` units (exact when they fit HISTOGRAM_BYTES)."""
    return RankHistogram(n_units, n_runs)

"""Ranks (1 = best, ties share the lowest rank) and rank-distribution summaries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

_SIGN = np.uint64(1 << 63)
_CACHED_TABLE = 8 << 20
"""Rank count tables up to this size are counted in sorted order; larger ones unit by unit."""
_MAX_INDEX_BITS = 24
"""Units beyond 2**24 per row would leave too few bits of the score in a packed key: argsort then."""


def _exact_sorted(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(order, rank at each sorted position) of NaN-free rows by an argsort: the reference method."""
    key = np.subtract(0.0, s, order="C")  # descending; 0.0 - x also makes -0.0 and +0.0 one key (equal)
    # any sort will do: members of a tie group get the same rank whatever their order
    order = np.argsort(key, axis=1)
    srt = np.take_along_axis(key, order, axis=1)
    r, u = s.shape
    new_group = np.ones((r, u), dtype=bool)
    np.not_equal(srt[:, 1:], srt[:, :-1], out=new_group[:, 1:])
    pos = np.broadcast_to(np.arange(1, u + 1, dtype=float), (r, u))
    # the rank of the first member of each tie group, carried forward over the group
    rank_at: np.ndarray = np.maximum.accumulate(np.where(new_group, pos, 0.0), axis=1)
    return order, rank_at


def sorted_ranks(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The units of each row of NaN-free ``scores`` (R x U) from best to worst, with their ranks.

    Returns ``(order, rank_at)``: ``order[r, j]`` is the unit at sorted position j (highest score
    first) and ``rank_at[r, j]`` its rank, 1 = best, ties sharing the lowest rank of their group (as
    :func:`rank_desc`); ``rank_at`` is None when no row has a tie (the rank is then j + 1).

    Why not an argsort: numpy sorts 64-bit integers with SIMD, several times faster than it argsorts
    floats. Each score is mapped to a 64-bit integer with the same order (its IEEE bits, sign
    handled), the low k = ceil(log2 U) bits are replaced by the unit's index, and the packed keys
    are sorted; the index comes back from the low bits. The order is exact whenever no two adjacent
    sorted keys share their high 64 - k bits (then those are strictly increasing along the row);
    the rows where two do (a tie, or scores within about 2**(k - 52) of each other) are ranked
    again by an argsort of the scores themselves.
    """
    s = np.asarray(scores, dtype=float)
    r, u = s.shape
    k = max(1, (u - 1).bit_length())
    if u < 2 or k > _MAX_INDEX_BITS:
        order, rank_at = _exact_sorted(s)
        return order, rank_at if u >= 2 else None
    low = np.uint64((1 << k) - 1)
    bits = s.view(np.uint64)
    if s.min() > 0:
        # positive doubles order as their bits: ~bits orders them descending (one pass fewer)
        packed = np.bitwise_or(bits, low, order="C")  # C order: a transposed view is copied in this pass
        np.invert(packed, out=packed)
    else:
        key = np.subtract(0.0, s, order="C")  # descending; -0.0 becomes +0.0 (equal scores, equal keys)
        packed = key.view(np.uint64)
        flip = (key.view(np.int64) >> 63).view(np.uint64)  # all ones for negative keys
        flip |= _SIGN  # ... and the sign bit alone for positive ones: negative keys first, reversed
        packed ^= flip
        packed &= ~low
    packed |= np.arange(u, dtype=np.uint64)
    packed.sort(axis=1)
    same_high = np.bitwise_xor(packed[:, 1:], packed[:, :-1]) <= low
    packed &= low
    order = packed.view(np.intp)
    redo = np.flatnonzero(same_high.any(axis=1))
    if redo.size == 0:
        return order, None
    rank_at = np.broadcast_to(np.arange(1, u + 1, dtype=float), (r, u)).copy()
    order[redo], rank_at[redo] = _exact_sorted(s[redo])
    return order, rank_at


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """Rank each row of ``scores`` (R x U or U) descending: 1 = highest score.

    Ties get the lowest rank of their group ("min", like R ``rank(-x, ties.method = "min")``);
    NaN scores get NaN ranks. Vectorised over rows: :func:`sorted_ranks`, then one scatter of the
    ranks to the units (rows with a NaN: one argsort, NaN last, and a running maximum over ties).
    """
    s = np.atleast_2d(np.asarray(scores, dtype=float))
    r, u = s.shape
    if u == 0:
        return s.copy()
    nan = np.isnan(s)
    out = np.empty((r, u))
    if not nan.any():
        order, rank_at = sorted_ranks(s)
        flat = order + (np.arange(r, dtype=np.intp) * u)[:, None]
        out.reshape(-1)[flat.reshape(-1)] = (
            np.broadcast_to(np.arange(1, u + 1, dtype=float), (r, u)) if rank_at is None else rank_at).reshape(-1)
        return out if np.ndim(scores) == 2 else out[0]
    key = np.where(nan, np.inf, -s)  # NaN last
    order = np.argsort(key, axis=1)
    srt = np.take_along_axis(key, order, axis=1)
    new_group = np.ones((r, u), dtype=bool)
    np.not_equal(srt[:, 1:], srt[:, :-1], out=new_group[:, 1:])
    pos = np.broadcast_to(np.arange(1, u + 1, dtype=float), (r, u))
    # without ties (the usual case with continuous scores) the rank is the sorted position
    rank_sorted = pos if new_group.all() else np.maximum.accumulate(np.where(new_group, pos, 0.0), axis=1)
    np.put_along_axis(out, order, rank_sorted, axis=1)
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
        """Running sums of the ranks, kept only for binned counts (``rank_sums``)."""

    @property
    def max_error(self) -> int:
        """Largest difference between a reported rank quantile and the exact one, in ranks."""
        return self.width - 1

    def _count(self, flat: np.ndarray) -> None:
        """Add one to the table cells at the flat positions ``flat``."""
        if self.counts.size <= 4 * flat.size:
            # a dense bincount is cheapest while the table is small next to the batch
            np.add(self.counts, np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape),
                   out=self.counts, casting="unsafe")
        else:  # no table-sized temporary: memory stays that of the counts
            # the increment in the table's own dtype: numpy's fast path of ufunc.at needs no casting
            # (a Python int 1 takes the generic loop, about 25x slower)
            np.add.at(self.counts.reshape(-1), flat, self.counts.dtype.type(1))

    def add(self, ranks: np.ndarray) -> None:
        """Add a batch of runs (R x U float ranks, NaN = unranked in that run)."""
        ok = ~np.isnan(ranks)
        complete = bool(ok.all())
        rk = (ranks if complete else ranks[ok]).astype(np.int64).ravel() - 1
        if self.width > 1:
            rk //= self.width
        unit = np.broadcast_to(np.arange(self.n), ranks.shape)
        unit = unit.ravel() if complete else unit[ok]
        self._count(unit * self.bins + rk)
        if self.width > 1:  # exact counts (width 1) give the sums themselves
            self.sums += ranks.sum(axis=0) if complete else np.where(ok, ranks, 0.0).sum(axis=0)

    def add_sorted(self, order: np.ndarray, rank_at: np.ndarray | None, units: np.ndarray | None = None) -> None:
        """Add a batch of runs as :func:`sorted_ranks` gives them (no rank to scatter to the units).

        ``order`` (R x V): the unit at each sorted position, an index into ``units`` (the V units
        ranked in this batch, every other one unranked) when given; ``rank_at``: the rank at each
        position, None for position + 1."""
        v = order.shape[1]
        binned = np.arange(v, dtype=np.intp) if rank_at is None else rank_at.astype(np.intp) - 1
        if self.width > 1:
            binned //= self.width
        if self.counts.nbytes <= _CACHED_TABLE:
            # a table that stays in cache: the cells in sorted order, no scatter
            flat = (order if units is None else units[order]) * self.bins
            flat += binned
            self._count(flat.reshape(-1))
        else:
            self._count_by_unit(order, binned, units)
        if self.width > 1:
            unit = order if units is None else units[order]
            ranks = np.broadcast_to(np.arange(1.0, order.shape[1] + 1), order.shape) if rank_at is None else rank_at
            self.sums += np.bincount(unit.reshape(-1), weights=ranks.reshape(-1), minlength=self.n)

    def _count_by_unit(self, order: np.ndarray, binned: np.ndarray, units: np.ndarray | None) -> None:
        """Count a large table's cells unit by unit (see ``add_sorted``)."""
        r, v = order.shape
        # the bin of every run at each unit (a scatter within each run's row), then the cells unit by
        # unit: the increments to one unit's row of the table come together and stay in cache
        by_unit = np.empty((r, v), dtype=np.intp)
        at = order + (np.arange(r, dtype=np.intp) * v)[:, None]
        by_unit.reshape(-1)[at.reshape(-1)] = np.broadcast_to(binned, (r, v)).reshape(-1)
        base = (np.arange(v, dtype=np.intp) if units is None else units.astype(np.intp)) * self.bins
        flat = np.add(by_unit.T, base[:, None], order="C")
        self._count(flat.reshape(-1))

    def rank_sums(self) -> np.ndarray:
        """Sum of each unit's ranks over the runs (exact: integers below 2**53)."""
        if self.width > 1:
            return self.sums
        out = np.empty(self.n)
        ranks = np.arange(1.0, self.bins + 1)
        for start in self._blocks():
            sl = slice(start, start + self._blocks().step)
            out[sl] = self.counts[sl] @ ranks
        return out

    @property
    def n_runs(self) -> np.ndarray:
        result: np.ndarray = self.counts.sum(axis=1, dtype=np.int64)
        return result

    def mean(self) -> np.ndarray:
        n = self.n_runs
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, self.rank_sums() / n, np.nan)

    def _blocks(self) -> range:
        # summaries go through the units in blocks, so no temporary is table-sized (8 MiB of cells each)
        return range(0, self.n, max(1, (1 << 20) // max(1, self.bins)))

    def _cumulative(self) -> Iterator[tuple[slice, np.ndarray, np.ndarray, np.ndarray]]:
        """Per block of units: (units, running count over the block's cells in row order, count
        before each unit's row, each unit's number of runs): one cumulative sum serves every summary."""
        step = self._blocks().step
        # 32-bit running counts when a block's total cannot reach 2**31 (half the memory traffic)
        dtype = np.int32 if step * np.iinfo(self.counts.dtype).max < 2**31 else np.int64
        for start in self._blocks():
            sl = slice(start, start + step)
            flat = np.cumsum(self.counts[sl].reshape(-1), dtype=dtype)
            ends = flat[self.bins - 1::self.bins]
            before = np.concatenate(([0], ends[:-1]))
            yield sl, flat, before, ends - before

    def _order_stat(self, flat: np.ndarray, before: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Rank of the k-th (0-based) sorted observation of each unit of a block (see ``_cumulative``).

        Its bin is the first whose cumulative count exceeds k: one ``searchsorted`` in the block's
        running count (non-decreasing over all its rows) instead of a comparison of every cell."""
        rows = np.arange(before.size)
        at = np.searchsorted(flat, (before + k).astype(flat.dtype), side="right") - rows * self.bins
        b = np.clip(at, 0, self.bins - 1)  # out of range only for units without runs (NaN anyway)
        if self.width == 1:
            result: np.ndarray = b + 1.0
            return result
        base = rows * self.bins
        prev = np.where(b > 0, flat[base + np.maximum(b - 1, 0)] - before, 0)
        inside = flat[base + b] - before - prev
        lo = b * self.width + 1.0
        hi = np.minimum(lo + self.width - 1, self.n)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(inside > 1, (k - prev) / np.maximum(inside - 1, 1), 0.0)
        interpolated: np.ndarray = lo + frac * (hi - lo)
        return interpolated

    def _quantiles_block(self, flat: np.ndarray, before: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
        h = (n - 1) * p
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        v_lo = self._order_stat(flat, before, lo)
        v_hi = self._order_stat(flat, before, hi)
        result: np.ndarray = np.where(n > 0, v_lo + (h - lo) * (v_hi - v_lo), np.nan)
        return result

    def _within_block(self, flat: np.ndarray, before: np.ndarray, n: np.ndarray, c: np.ndarray, k: float
                      ) -> np.ndarray:
        """Exact counts (width 1): the share of runs with a rank in [ceil(c - k), floor(c + k)], from
        the cumulative counts (no pass over the table's cells)."""
        ok = (n > 0) & np.isfinite(c)
        cc = np.where(ok, c, 1.0)
        first = np.maximum(np.ceil(cc - k - 1e-9), 1).astype(np.int64)
        last = np.minimum(np.floor(cc + k + 1e-9), self.n).astype(np.int64)
        base = np.arange(before.size) * self.bins
        upto_last = np.where(last >= 1, flat[base + np.clip(last - 1, 0, self.bins - 1)] - before, 0)
        below_first = np.where(first >= 2, flat[base + np.clip(first - 2, 0, self.bins - 1)] - before, 0)
        count = np.where(last >= first, upto_last - below_first, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            result: np.ndarray = np.where(ok, count / np.maximum(n, 1), np.nan)
            return result

    def quantiles(self, ps: Sequence[float]) -> list[np.ndarray]:
        """Quantiles of each unit's ranks, R type 7 (numpy 'linear'): ``x[h]`` interpolated at h=(n-1)p."""
        return self.summary(ps)[0]

    def summary(self, ps: Sequence[float], centre: np.ndarray | None = None, k: float = 0.0
                ) -> tuple[list[np.ndarray], np.ndarray | None]:
        """The quantiles ``ps`` and (given a ``centre``) ``share_within(centre, k)``, in one pass."""
        out = [np.full(self.n, np.nan) for _ in ps]
        within = np.full(self.n, np.nan) if centre is not None and self.width == 1 else None
        for sl, flat, before, n in self._cumulative():
            for o, p in zip(out, ps, strict=True):
                o[sl] = self._quantiles_block(flat, before, n, p)
            if within is not None and centre is not None:
                within[sl] = self._within_block(flat, before, n, centre[sl], k)
        if centre is not None and within is None:
            within = self.share_within(centre, k)
        return out, within

    def quantile(self, p: float) -> np.ndarray:
        """Quantile of each unit's ranks, R type 7 (numpy 'linear'): ``x[h]`` interpolated at h=(n-1)p."""
        return self.quantiles((p,))[0]

    def share_within(self, centre: np.ndarray, k: float) -> np.ndarray:
        """Share of each unit's runs with |rank - centre| <= k."""
        out = np.full(self.n, np.nan)
        if self.width == 1:
            for sl, flat, before, n in self._cumulative():
                out[sl] = self._within_block(flat, before, n, centre[sl], k)
            return out
        lo_rank = np.arange(self.bins) * self.width + 1.0
        hi_rank = np.minimum(lo_rank + self.width - 1, self.n)
        size = (hi_rank - lo_rank + 1)[None, :]
        n_all = self.n_runs
        for start in self._blocks():
            sl = slice(start, start + self._blocks().step)
            c = centre[sl, None]
            # ranks of the bin inside [centre - k, centre + k], as a share of the bin's ranks
            first_r = np.maximum(lo_rank[None, :], np.ceil(c - k - 1e-9))
            last_r = np.minimum(hi_rank[None, :], np.floor(c + k + 1e-9))
            cover = np.clip(last_r - first_r + 1, 0, None) / size
            with np.errstate(invalid="ignore", divide="ignore"):
                out[sl] = np.where(n_all[sl] > 0, (self.counts[sl] * cover).sum(axis=1) / n_all[sl], np.nan)
        return out


def rank_accumulator(n_units: int, n_runs: int) -> RankHistogram:
    """Rank counts for ``n_runs`` runs of ``n_units`` units (exact when they fit HISTOGRAM_BYTES)."""
    return RankHistogram(n_units, n_runs)

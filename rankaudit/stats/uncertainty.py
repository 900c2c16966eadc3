"""Batched Monte Carlo uncertainty analysis and variance-based sensitivity of the ranks.

COINr rebuilds the whole index per replication. Here, everything that does not depend on the
continuous draws is computed once: each combination of the discrete data assumptions (imputation x
winsorisation x normalisation) gives one cached normalised matrix. A chunk of replications is then
grouped by its discrete combination, and each group is one batch: when every level takes the same
mean, the whole hierarchy is one GEMM over all indicators plus small corrections for the units with
missing values (``aggregate.LinearPlan``), otherwise one product per node and level. Each batch is
ranked in cache-sized blocks by a SIMD sort of packed (score, unit) keys (``ranking.sorted_ranks``),
and the ranks are counted straight from sorted order into a units x ranks table, with the output of
every build (mean |rank - nominal rank|); memory grows with the chunk size, not with the number of
replications.

Each uncertain assumption maps to a block of uniform columns (one per noisy weight, one for a
discrete choice picked by ``floor(u * k)``), so the same decoder serves the plain Monte Carlo sample
(uncertainty analysis) and the Saltelli design (sensitivity analysis, factor groups = assumptions).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from rankaudit.stats import methods as vocabulary
from rankaudit.stats.aggregate import SharedValues
from rankaudit.stats.model import ModelError
from rankaudit.stats.pipeline import Pipeline
from rankaudit.stats.ranking import HISTOGRAM_BYTES, RankHistogram, rank_accumulator, rank_desc, sorted_ranks
from rankaudit.stats.sensitivity import SobolIndices, sobol_indices

Progress = Callable[[int, int], None]
MEMORY_BUDGET = 64 * 1024 * 1024  # bytes for the largest per-chunk array
GIB = 2**30


@dataclass(frozen=True)
class Limits:
    """Documented caps on one statistical audit: a run estimated above any of them is refused before
    it starts, with a message that says why (never a MemoryError half-way)."""

    max_replications: int = 10_000_000
    max_seconds: float = 3600.0
    """Estimated wall time of the Monte Carlo on one core (see ``estimate``)."""
    max_bytes: int = 4 * GIB
    """Estimated peak memory of the Monte Carlo."""


LIMITS = Limits()

# cost model, fitted on the benchmarks (benchmarks/RESULTS.md) with a margin: a build costs about
# 3 ns per unit and aggregated element (indicators + aggregates) plus a sort of the units
_NS_PER_CELL = 3.0
_NS_PER_SORTED = 10.0


class ResourceError(ModelError):
    """A run that would exceed the documented Limits."""


@dataclass(frozen=True)
class Estimate:
    seconds: float
    bytes: int


def estimate(pipe: Pipeline, replications: int) -> Estimate:
    """Time and peak memory of ``replications`` builds, before anything is computed."""
    n_units, n_ind = pipe.data.values.shape
    nodes = sum(len(lv.node_ids) for lv in pipe.levels)
    per_build = n_units * (n_ind + nodes) * _NS_PER_CELL + n_units * np.log2(n_units + 1) * _NS_PER_SORTED
    u = pipe.model.uncertainty
    combos = max(1, len(u.imputations)) * max(1, len(u.winsorisation)) * max(1, len(u.normalisations))
    hist = RankHistogram(1, replications)  # only for its count type
    hist_bytes = min(n_units * n_units * hist.counts.itemsize, HISTOGRAM_BYTES)
    bytes_ = (hist_bytes + 8 * replications  # rank counts, one output per build
              + 3 * MEMORY_BUDGET  # the chunk's arrays
              + combos * n_units * n_ind * 8 * 8)  # prepared matrices of each data combination (8 arrays
              # of U x I float64 a combination: fitted on the peak RSS of benchmarks/bench_uncertainty.py --case
              # scale, 1.67 GiB measured at 100,000 x 100, which 5 arrays underestimated at 1.18 GiB)
    return Estimate(replications * per_build * 1e-9, int(bytes_))


def check_resources(pipe: Pipeline, replications: int, limits: Limits = LIMITS) -> Estimate:
    """Refuse (ResourceError) a Monte Carlo estimated above ``limits``; the estimate otherwise."""
    est = estimate(pipe, replications)
    n_units, n_ind = pipe.data.values.shape
    what = f"{replications:,} replications of {n_units:,} units x {n_ind:,} indicators"
    if replications > limits.max_replications:
        raise ResourceError(f"{what}: more than the {limits.max_replications:,} replications allowed; "
                            "lower --replications (10,000 already gives rank intervals to about 1 %)")
    if est.seconds > limits.max_seconds:
        raise ResourceError(f"{what} would take about {est.seconds / 3600:.1f} h (estimated), more than the "
                            f"{limits.max_seconds / 3600:g} h allowed; lower --replications")
    if est.bytes > limits.max_bytes:
        raise ResourceError(f"{what} would need about {est.bytes / GIB:.1f} GiB (estimated), more than the "
                            f"{limits.max_bytes / GIB:g} GiB allowed; lower --replications")
    return est


@dataclass(frozen=True)
class Assumption:
    """One uncertain assumption = one factor group of the design."""

    name: str
    kind: str  # weights | normalisation | aggregation | winsorisation | imputation | leave_one_out
    n_cols: int
    n_alt: int = 0  # discrete alternatives (0 for weights)
    level: int | None = None
    factor: float = 0.0


def distinct_builds(pipe: Pipeline, replications: int) -> int:
    """How many different indices ``replications`` runs of the design can build: every run when a weight is drawn
    from a continuous distribution, else at most the number of combinations of the discrete alternatives."""
    assumptions = assumptions_of(pipe)
    if any(a.kind == "weights" for a in assumptions):
        return replications
    combinations = 1
    for a in assumptions:
        combinations *= max(1, a.n_alt)
    return min(replications, combinations)


def assumptions_of(pipe: Pipeline) -> list[Assumption]:
    """The active assumptions of the model's uncertainty design, in a fixed order."""
    m = pipe.model
    u = m.uncertainty
    out = []
    noisy = [(lvl, f) for lvl, f in sorted(u.weight_noise) if f > 0]
    if u.weight_sets and noisy:
        # COINr's design: K fixed noisy weight vectors over every noisy level, one discrete factor
        depths = ", ".join(str(m.n_levels - lvl) for lvl, _ in noisy)
        out.append(Assumption(f"weights ({u.weight_sets} sets, levels {depths})", "weight_sets", 1, u.weight_sets))
        noisy = []
    for lvl, f in noisy:
        if f > 0:
            # named by depth from the top (1 = the index's children), as the spec's `levels` count them
            out.append(Assumption(f"weights (level {m.n_levels - lvl}, ±{f:.0%})", "weights",
                                  len(m.level_elements(lvl)), level=lvl, factor=f))
    if len(u.imputations) > 1:
        out.append(Assumption("imputation", "imputation", 1, len(u.imputations)))
    if len(u.winsorisation) > 1:
        out.append(Assumption("winsorisation", "winsorisation", 1, len(u.winsorisation)))
    if len(u.normalisations) > 1:
        out.append(Assumption("normalisation", "normalisation", 1, len(u.normalisations)))
    if len(u.aggregations) > 1:
        out.append(Assumption("aggregation", "aggregation", 1, len(u.aggregations)))
    if u.leave_one_out is not None:
        n = len(m.level_elements(u.leave_one_out))
        # named like the weight assumptions: by depth from the top, as the spec counts levels
        what = "indicator" if u.leave_one_out == 1 else f"element at level {m.n_levels - u.leave_one_out}"
        out.append(Assumption(f"leave one {what} out", "leave_one_out", 1, n + 1,
                              level=u.leave_one_out))
    return out


def _pick(u: np.ndarray, k: int) -> np.ndarray:
    """Floor trick: uniform [0,1) -> index 0..k-1."""
    return np.minimum((u * k).astype(np.int64), k - 1)


class _Decoder:
    """Turns rows of uniforms into weights and discrete choices."""

    def __init__(self, pipe: Pipeline, assumptions: list[Assumption],
                 rng_weights: np.random.Generator | None = None) -> None:
        self.pipe = pipe
        self.assumptions = assumptions
        self.offsets = np.cumsum([0] + [a.n_cols for a in assumptions])
        u = pipe.model.uncertainty
        m = pipe.model
        self.wins: tuple[int | None, ...] = u.winsorisation if u.winsorisation else (None,)
        self.norms = u.normalisations if u.normalisations else (m.normalisation,)
        self.aggs: tuple[str | None, ...] = tuple(u.aggregations) if u.aggregations else (None,)
        # a single listed alternative replaces the nominal choice; two or more are a factor
        self.imps = u.imputations if u.imputations else (m.imputation,)
        # weight_sets: K x C tables of noisy weights per level, drawn once (level order, then set order)
        self.weight_tables: dict[int, np.ndarray] = {}
        if any(a.kind == "weight_sets" for a in assumptions):
            rng = rng_weights or np.random.default_rng(0)
            nominal = pipe.nominal_weights()
            for lvl, f in sorted(u.weight_noise):
                if f > 0:
                    base = nominal[lvl - 1]
                    self.weight_tables[lvl] = base * (1 + f * (2 * rng.random((u.weight_sets or 0, base.shape[1])) - 1))

    def cols(self, a: Assumption, rows: np.ndarray) -> np.ndarray:
        i = self.assumptions.index(a)
        return rows[:, self.offsets[i]:self.offsets[i + 1]]

    def decode(self, rows: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Returns (combination index per row (R x 4: imp, win, norm, agg), weights per level)."""
        r = rows.shape[0]
        combo = np.zeros((r, 4), dtype=np.int64)
        weights: list[np.ndarray] = self.pipe.nominal_weights()  # (1, C) each
        for a in self.assumptions:
            c = self.cols(a, rows)
            if a.kind == "weights":
                assert a.level is not None  # weight and leave-one-out assumptions carry their level
                i = a.level - 1
                weights[i] = weights[i] * (1 + a.factor * (2 * c - 1))
            elif a.kind == "weight_sets":
                k = _pick(c[:, 0], a.n_alt)
                for lvl, table in self.weight_tables.items():
                    weights[lvl - 1] = table[k]
            elif a.kind == "leave_one_out":
                assert a.level is not None
                i = a.level - 1
                k = _pick(c[:, 0], a.n_alt)  # 0 = keep all, e = drop element e-1
                w = np.broadcast_to(weights[i], (r, weights[i].shape[1])).copy()
                drop = k > 0
                w[np.flatnonzero(drop), k[drop] - 1] = 0.0
                weights[i] = w
            else:
                slot = {"imputation": 0, "winsorisation": 1, "normalisation": 2, "aggregation": 3}[a.kind]
                combo[:, slot] = _pick(c[:, 0], a.n_alt)
        return combo, weights

    def combinations(self) -> list[tuple[int, int, int, int]]:
        return list(itertools.product(range(len(self.imps)), range(len(self.wins)), range(len(self.norms)),
                                      range(len(self.aggs))))


@dataclass(frozen=True)
class MonteCarloResult:
    n_runs: int
    hist: RankHistogram
    y: np.ndarray  # per run: mean |rank - nominal rank|


def _chunk_rows(n_units: int, levels_width: int, chunk_size: int | None, *, linear: bool = False) -> int:
    """Rows of the design per chunk: the chunk's largest arrays within MEMORY_BUDGET.

    The general path holds a few R x U x P temporaries; the linear path (one GEMM per batch) only
    R x U ones, and wants many rows per batch: each GEMM reads the whole U x J matrix once (at most
    1,024 rows: more gains nothing measurable and costs memory)."""
    if chunk_size:
        return max(1, chunk_size)
    per_row = 8 * n_units * 2 if linear else 8 * n_units * max(1, levels_width) * 4
    return int(np.clip(MEMORY_BUDGET // per_row, 16, 1024 if linear else 8192))


class SampleStream:
    """The rows of uniforms of a run, produced in blocks with the output position of each row.

    Memory does not grow with N: a block of rows is drawn when it is evaluated. ``saltelli`` gives
    the N(d+2) design [A; B; A_B^1; ...; A_B^d] of :func:`saltelli_sample`, value for value: A and B
    come from the same PCG64 stream (B from a copy advanced by N x D draws), so block-wise drawing
    reproduces the whole-array sample exactly; otherwise ``n_rows`` independent rows.
    """

    def __init__(self, rng: np.random.Generator, n_cols: int, *, n_rows: int | None = None,
                 saltelli: tuple[int, tuple[int, ...]] | None = None) -> None:
        self.rng = rng
        self.n_cols = n_cols
        self.saltelli = saltelli
        if saltelli is not None:
            n, sizes = saltelli
            self.total = n * (len(sizes) + 2)
        else:
            assert n_rows is not None
            self.total = n_rows

    def blocks(self, step: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if self.saltelli is None:
            for start in range(0, self.total, step):
                k = min(step, self.total - start)
                yield np.arange(start, start + k), self.rng.random((k, self.n_cols))
            return
        n, sizes = self.saltelli
        d = len(sizes)
        gen_b = np.random.Generator(type(self.rng.bit_generator)())
        gen_b.bit_generator.state = self.rng.bit_generator.state
        gen_b.bit_generator.advance(n * self.n_cols)  # type: ignore[attr-defined]  # the stub types bit_generator as BitGenerator; PCG64 (the default) jumps ahead
        bounds = np.cumsum([0, *sizes])
        base = max(1, step // (d + 2))
        for j in range(0, n, base):
            k = min(base, n - j)
            a = self.rng.random((k, self.n_cols))
            b = gen_b.random((k, self.n_cols))
            blocks = [a, b]
            for i in range(d):
                ab = a.copy()
                ab[:, bounds[i]:bounds[i + 1]] = b[:, bounds[i]:bounds[i + 1]]
                blocks.append(ab)
            pos = (np.arange(d + 2)[:, None] * n + np.arange(j, j + k)[None, :]).ravel()
            yield pos, np.vstack(blocks)


class _ArraySample:
    """A sample given as one array (tests, callers with their own design)."""

    def __init__(self, sample: np.ndarray) -> None:
        self.sample = sample
        self.total = sample.shape[0]

    def blocks(self, step: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, self.total, step):
            rows = self.sample[start:start + step]
            yield np.arange(start, start + rows.shape[0]), rows


def group_scores(pipe: Pipeline, assumptions: list[Assumption], sample: np.ndarray | SampleStream,
                 chunk_size: int | None = None, rng_weights: np.random.Generator | None = None
                 ) -> Iterator[tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]]:
    """The index scores of every row of ``sample``, chunk by chunk and, within a chunk, by batch:
    yields (row positions of the chunk, [(rows of the chunk, their R x U scores), ...]).

    The one loop over the design (``chunk_scores`` and ``chunk_ranks`` assemble it, ``evaluate``
    ranks each batch as it comes). Chunks come in the stream's order (for a Saltelli design,
    interleaved blocks of A, B and A_B^i; ``positions`` says where each row sits in the whole
    design). A chunk's rows are grouped by their discrete combination; each group is one batch of
    ``Pipeline.top_scores`` (one GEMM over every indicator when the levels share their mean), the
    general level-by-level path in slices of ``_chunk_rows`` (its arrays are R x U x P). The
    scores may be a transposed view (``linear_top``). ``rng_weights`` draws the fixed weight vectors
    of a ``weight_sets`` design."""
    dec = _Decoder(pipe, assumptions, rng_weights)
    n_units = len(pipe.data.ids)
    width = max(len(lv.node_ids) for lv in pipe.levels)
    # precompute (and validate) every discrete combination up front: few, and fail fast
    preps = {}
    linear = True
    for ci, wi, ni, ai in dec.combinations():
        prep = pipe.prepare(dec.imps[ci], dec.wins[wi], dec.norms[ni])
        preps[(ci, wi, ni)] = prep
        agg = dec.aggs[ai]
        methods = {agg} if agg else {m for lv in pipe.levels for m in lv.methods}
        for m in sorted(m for m in methods if vocabulary.aggregation(m).needs_positive):
            pipe.check_positive(prep, m)
        linear = linear and pipe.linear_plan(prep.shared or SharedValues(prep.normalised), agg) is not None
    step = _chunk_rows(n_units, width, chunk_size, linear=linear)
    general_rows = _chunk_rows(n_units, width, chunk_size)
    stream = sample if isinstance(sample, SampleStream) else _ArraySample(sample)
    for at, rows in stream.blocks(step):
        combo, weights = dec.decode(rows)
        code = combo @ np.array([1, 1 << 8, 1 << 16, 1 << 24])
        groups = []
        for key in np.unique(code):
            sel = np.flatnonzero(code == key)
            ci, wi, ni, ai = combo[sel[0]]
            prep = preps[(ci, wi, ni)]
            shared = prep.shared or SharedValues(prep.normalised)
            w_sel = [w if w.shape[0] == 1 else w[sel] for w in weights]
            top = pipe.top_scores(shared, w_sel, dec.aggs[ai], max_rows=general_rows)
            groups.append((sel, np.broadcast_to(top, (len(sel), n_units))))
        yield at, groups


def chunk_scores(pipe: Pipeline, assumptions: list[Assumption], sample: np.ndarray | SampleStream,
                 chunk_size: int | None = None, rng_weights: np.random.Generator | None = None
                 ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The index scores of every row of ``sample``, chunk by chunk: yields (row positions, R x U scores)."""
    for at, groups in group_scores(pipe, assumptions, sample, chunk_size, rng_weights):
        index = np.empty((at.size, len(pipe.data.ids)))
        for sel, top in groups:
            index[sel] = top
        yield at, index


def chunk_ranks(pipe: Pipeline, assumptions: list[Assumption], sample: np.ndarray | SampleStream,
                chunk_size: int | None = None, rng_weights: np.random.Generator | None = None
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The ranks of every row of ``sample``, chunk by chunk: yields (row positions, R x U ranks).

    Callers who need per-replication ranks (``whatif_adapter.replication_ranks``: pairwise claims)
    read the very draws and scores ``evaluate`` uses (``chunk_scores``)."""
    for at, index in chunk_scores(pipe, assumptions, sample, chunk_size, rng_weights):
        yield at, rank_desc(index)


RANK_BLOCK_BYTES = 1 << 20
"""Rows of scores ranked at a time: about 1 MiB, so that the rank passes (keys, sort, counts) run in cache."""


def _y_of_ranks(ranks: np.ndarray, nominal: np.ndarray, complete_nominal: bool) -> np.ndarray:
    """Per run: mean |rank - nominal rank| over the units ranked in both (NaN when none)."""
    dif = np.abs(ranks - nominal[None, :])
    return _mean_shift(dif, complete_nominal and not np.isnan(dif).any())


def _accumulate(hist: RankHistogram, scores: np.ndarray, nominal: np.ndarray, complete_nominal: bool,
                integer_nominal: bool) -> np.ndarray:
    """Count the ranks of a block of runs (R x U scores) into ``hist``; returns y of each run.

    The ranks stay in sorted order (``sorted_ranks``): the counts take (unit, rank) pairs in any
    order, and y sums integers |rank - nominal| (exact in float64, so the same sum in any order)."""
    nan = np.isnan(scores)
    units = None
    if nan.any():
        keep = ~nan.all(axis=0)
        if nan[:, keep].any() or not integer_nominal:
            # units unranked in some runs only: rank in unit order, NaN ranks skipped
            ranks = rank_desc(scores)
            hist.add(ranks)
            return _y_of_ranks(ranks, nominal, complete_nominal)
        units = np.flatnonzero(keep)  # units unranked in every run of the block (screened out) drop out
        scores = scores[:, units]
    elif not integer_nominal:
        ranks = rank_desc(scores)
        hist.add(ranks)
        return _y_of_ranks(ranks, nominal, complete_nominal)
    order, rank_at = sorted_ranks(scores)
    hist.add_sorted(order, rank_at, units)
    nom = nominal if units is None else nominal[units]
    dif = np.take(nom, order)
    if rank_at is None:
        dif -= np.arange(1.0, order.shape[1] + 1)
    else:
        dif -= rank_at
    np.abs(dif, out=dif)
    return _mean_shift(dif, units is None and complete_nominal)


def _mean_shift(dif: np.ndarray, complete: bool) -> np.ndarray:
    """Per run (row): the mean of |rank - nominal rank| over the units with both (NaN marks the others)."""
    if complete:
        result: np.ndarray = dif.mean(axis=1)
        return result
    with np.errstate(invalid="ignore"):
        ok = ~np.isnan(dif)
        yr: np.ndarray = np.where(ok, dif, 0.0).sum(axis=1) / np.maximum(ok.sum(axis=1), 1)
        yr[ok.sum(axis=1) == 0] = np.nan
        return yr


def evaluate(pipe: Pipeline, assumptions: list[Assumption], sample: np.ndarray | SampleStream,
             nominal_ranks: np.ndarray, chunk_size: int | None = None, progress: Progress | None = None,
             rng_weights: np.random.Generator | None = None) -> MonteCarloResult:
    """Run the index for every row of ``sample`` (uniforms, columns per assumption).

    ``rng_weights`` draws the fixed weight vectors of a ``weight_sets`` design."""
    total = sample.total if isinstance(sample, SampleStream) else sample.shape[0]
    n_units = len(pipe.data.ids)
    hist = rank_accumulator(n_units, total)
    nominal = np.asarray(nominal_ranks, dtype=float)
    complete_nominal = not np.isnan(nominal).any()
    ranked = nominal[~np.isnan(nominal)]
    integer_nominal = bool(np.all(ranked == np.round(ranked)) and np.all(np.abs(ranked) < 2**52))
    block = max(1, RANK_BLOCK_BYTES // max(1, 8 * n_units))
    y = np.empty(total)
    done = 0
    for at, groups in group_scores(pipe, assumptions, sample, chunk_size, rng_weights):
        for sel, top in groups:
            pos = at[sel]
            for start in range(0, top.shape[0], block):
                sl = slice(start, start + block)
                y[pos[sl]] = _accumulate(hist, top[sl], nominal, complete_nominal, integer_nominal)
        done += at.size
        if progress is not None:
            progress(done, total)
    return MonteCarloResult(total, hist, y)


@dataclass(frozen=True)
class Draws:
    """The draws of one uncertainty run: what ``run_uncertainty`` samples for a budget and a seed."""

    assumptions: list[Assumption]
    sample: SampleStream
    base_sample: int | None  # N of the Saltelli design; None: independent draws
    rng_boot: np.random.Generator
    rng_weights: np.random.Generator


def draws(pipe: Pipeline, replications: int, seed: int, *, sensitivity: bool = True) -> Draws | None:
    """The draws ``run_uncertainty`` makes (None when the design varies nothing): public so that other
    consumers of the replications (claims) read the audit's very draws from ``chunk_ranks``.

    With ``sensitivity`` and d >= 2 assumptions the budget is spent on a Saltelli design with base
    sample N = replications // (d + 2) (N(d+2) builds); otherwise on ``replications`` draws."""
    if replications < 1:
        raise ModelError("replications must be >= 1")
    assumptions = assumptions_of(pipe)
    if not assumptions:
        return None
    ss = np.random.SeedSequence(seed)
    # a third stream for the fixed weight sets: spawning 3 leaves the first two as they were
    rng_sample, rng_boot, rng_weights = (np.random.default_rng(s) for s in ss.spawn(3))
    d = len(assumptions)
    sizes = [a.n_cols for a in assumptions]
    if sensitivity and d >= 2 and replications // (d + 2) >= 2:
        n = replications // (d + 2)
        return Draws(assumptions, SampleStream(rng_sample, sum(sizes), saltelli=(n, tuple(sizes))), n,
                      rng_boot, rng_weights)
    return Draws(assumptions, SampleStream(rng_sample, sum(sizes), n_rows=replications), None,
                  rng_boot, rng_weights)


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank statistics per unit and sensitivity indices per assumption."""

    n_runs: int
    base_sample: int | None
    assumptions: tuple[str, ...]
    nominal_rank: np.ndarray
    median_rank: np.ndarray
    q05_rank: np.ndarray
    q95_rank: np.ndarray
    mean_rank: np.ndarray
    share_runs_within_2: np.ndarray
    y: np.ndarray
    sobol: SobolIndices | None

    @property
    def share_nominal_within_2(self) -> float:
        ok = ~np.isnan(self.nominal_rank) & ~np.isnan(self.median_rank)
        return float(np.mean(np.abs(self.nominal_rank[ok] - self.median_rank[ok]) <= 2)) if ok.any() else np.nan

    @property
    def interval_width(self) -> np.ndarray:
        result: np.ndarray = self.q95_rank - self.q05_rank
        return result

    def dominant_assumption(self) -> str | None:
        if self.sobol is None or not np.isfinite(self.sobol.total_effect).any():
            return None
        return self.assumptions[int(np.nanargmax(self.sobol.total_effect))]


def run_uncertainty(pipe: Pipeline, replications: int, seed: int, *, sensitivity: bool = True,
                    n_boot: int = 1000, ci_level: float = 0.9, chunk_size: int | None = None,
                    progress: Progress | None = None, nominal_ranks: np.ndarray | None = None
                    ) -> UncertaintyResult | None:
    """Monte Carlo over the model's UncertaintyDesign; None when the design varies nothing.

    ``replications`` is the budget of index builds. With ``sensitivity`` and d >= 2 assumptions,
    it is spent on a Saltelli design with base sample N = replications // (d + 2) (N(d+2) builds);
    otherwise on ``replications`` independent draws. Rank statistics use every build: each row of
    the design, A_B^i included, is a draw from the joint distribution of the assumptions (COINr
    uses only A and B; using all rows is consistent and more precise).
    """
    if replications < 1:
        raise ModelError("replications must be >= 1")
    check_resources(pipe, replications)
    des = draws(pipe, replications, seed, sensitivity=sensitivity)
    if des is None:
        return None
    assumptions, n, d = des.assumptions, des.base_sample, len(des.assumptions)
    if nominal_ranks is None:
        nominal_ranks = pipe.build().ranks
    mc = evaluate(pipe, assumptions, des.sample, nominal_ranks, chunk_size, progress, des.rng_weights)
    estimator = pipe.model.uncertainty.sobol_estimator
    sob = sobol_indices(mc.y, n, d, n_boot, des.rng_boot, ci_level, estimator,
                        pipe.model.uncertainty.sobol_bootstrap) if n else None
    med = mc.hist.quantile(0.5)
    (q05, q95), within = mc.hist.summary((0.05, 0.95), med, 2)  # one pass over the counts for all three
    return UncertaintyResult(
        n_runs=mc.n_runs, base_sample=n, assumptions=tuple(a.name for a in assumptions),
        nominal_rank=nominal_ranks, median_rank=med, q05_rank=q05,
        q95_rank=q95, mean_rank=mc.hist.mean(),
        share_runs_within_2=within if within is not None else mc.hist.share_within(med, 2), y=mc.y, sobol=sob,
    )

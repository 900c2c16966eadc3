"""The batched Monte Carlo engine against a one-build-per-replication reference."""

from __future__ import annotations

import itertools
import warnings
from dataclasses import replace

import numpy as np
import pytest

from rankaudit.stats.audit import run_audit
from rankaudit.stats.model import AggregateNode, Imputation, ModelError, Normalisation, UncertaintyDesign
from rankaudit.stats.pipeline import Pipeline
from rankaudit.stats.ranking import rank_desc
from rankaudit.stats.sensitivity import saltelli_sample, sobol_indices
from rankaudit.stats.uncertainty import _Decoder, assumptions_of, evaluate, run_uncertainty

from .helpers import data_for, ishigami, ishigami_analytic, two_level_model

PILLARS = {"P1": ["a1", "a2", "a3"], "P2": ["b1", "b2"], "P3": ["c1", "c2", "c3"]}
NORMS = (Normalisation("minmax", 1, 100), Normalisation("zscore", mean=10, sd=2), Normalisation("rank"))


def synthetic(n=30, missing=True, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.lognormal(size=(n, 8)) + rng.normal(size=(n, 1)) ** 2
    x[2, 0] = 40.0  # an outlier so that winsorisation alternatives matter
    if missing:
        x[rng.random((n, 8)) < 0.08] = np.nan
    design = UncertaintyDesign(
        weight_noise=((1, 0.25), (2, 0.25)),
        normalisations=NORMS[:2],
        aggregations=("arithmetic", "geometric"),
        winsorisation=(0, 1, 3),
        imputations=(Imputation("none"), Imputation("mean")),
        leave_one_out=2,
    )
    m = two_level_model(PILLARS, directions={"b2": -1}, normalisation=Normalisation("minmax", 1, 100),
                        uncertainty=design)
    return m, data_for(m, x)


def reference_y(pipe: Pipeline, rows: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Rebuild a fresh IndexModel per row and build it the slow, nominal way."""
    m = pipe.model
    assumptions = assumptions_of(pipe)
    dec = _Decoder(pipe, assumptions)
    out = []
    for row in rows:
        combo, weights = dec.decode(row[None, :])
        ci, wi, ni, ai = combo[0]
        # rewrite the hierarchy with this row's weights and method
        levels = []
        for li, lvl in enumerate(m.hierarchy):
            w = np.broadcast_to(weights[li], (1, len(pipe.levels[li].child_ids)))[0]
            pos = {c: k for k, c in enumerate(pipe.levels[li].child_ids)}
            levels.append(tuple(
                AggregateNode(node.id, node.children, tuple(float(w[pos[c]]) for c in node.children),
                              dec.aggs[ai] or node.method) for node in lvl))
        mi = replace(m, hierarchy=tuple(levels), normalisation=dec.norms[ni], imputation=dec.imps[ci])
        b = Pipeline(mi, pipe.data).build(winmax=dec.wins[wi])
        r = b.ranks
        d = np.abs(r - nominal)
        out.append(np.nanmean(d))
    return np.array(out)


def test_batched_engine_matches_one_build_per_row():
    m, d = synthetic()
    pipe = Pipeline(m, d)
    nominal = pipe.build().ranks
    assumptions = assumptions_of(pipe)
    assert [a.kind for a in assumptions] == ["weights", "weights", "imputation", "winsorisation",
                                             "normalisation", "aggregation", "leave_one_out"]
    rng = np.random.default_rng(1)
    rows = rng.random((60, sum(a.n_cols for a in assumptions)))
    mc = evaluate(pipe, assumptions, rows, nominal, chunk_size=7)
    np.testing.assert_allclose(mc.y, reference_y(pipe, rows, nominal), rtol=1e-12, atol=1e-12)


def test_chunking_does_not_change_results():
    m, d = synthetic()
    pipe = Pipeline(m, d)
    a = run_uncertainty(pipe, 900, seed=3, chunk_size=13, n_boot=50)
    b = run_uncertainty(pipe, 900, seed=3, chunk_size=10_000, n_boot=50)
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.median_rank, b.median_rank)
    np.testing.assert_array_equal(a.sobol.total_effect, b.sobol.total_effect)


def test_rank_stats_equal_stored_ranks():
    m, d = synthetic(missing=False)
    m = replace(m, uncertainty=UncertaintyDesign(weight_noise=((2, 0.4),), normalisations=NORMS[:2]))
    pipe = Pipeline(m, d)
    nominal = pipe.build().ranks
    assumptions = assumptions_of(pipe)
    rows = np.random.default_rng(2).random((500, sum(a.n_cols for a in assumptions)))
    mc = evaluate(pipe, assumptions, rows, nominal, chunk_size=64)
    # recompute ranks row by row and compare the histogram statistics with numpy's quantiles
    dec = _Decoder(pipe, assumptions)
    combo, weights = dec.decode(rows)
    ranks = []
    for r in range(rows.shape[0]):
        prep = pipe.prepare(None, None, dec.norms[combo[r, 2]])
        w = [wl if wl.shape[0] == 1 else wl[r:r + 1] for wl in weights]
        ranks.append(rank_desc(pipe.aggregate(prep.normalised, w)[-1][0, :, 0]))
    ranks = np.array(ranks)
    for p in (0.05, 0.5, 0.95):
        np.testing.assert_allclose(mc.hist.quantile(p), np.quantile(ranks, p, axis=0))


def test_seed_determinism():
    m, d = synthetic()
    a = run_audit(m, d, replications=400, seed=9, n_boot=100).model_dump_json()
    b = run_audit(m, d, replications=400, seed=9, n_boot=100).model_dump_json()
    c = run_audit(m, d, replications=400, seed=10, n_boot=100).model_dump_json()
    assert a == b
    assert a != c


def test_progress_callback_and_budget():
    m, d = synthetic()
    calls = []
    res = run_uncertainty(Pipeline(m, d), 1000, seed=1, chunk_size=100, n_boot=0,
                          progress=lambda done, total: calls.append((done, total)))
    d_ = len(res.assumptions)
    assert res.base_sample == 1000 // (d_ + 2)
    assert res.n_runs == res.base_sample * (d_ + 2) <= 1000
    assert calls[-1] == (res.n_runs, res.n_runs)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_uncertainty_only_and_empty_design():
    m, d = synthetic()
    pipe = Pipeline(replace(m, uncertainty=UncertaintyDesign(weight_noise=((2, 0.25),))), d)
    ua = run_uncertainty(pipe, 300, seed=1)
    assert ua.sobol is None and ua.n_runs == 300
    assert run_uncertainty(Pipeline(replace(m, uncertainty=UncertaintyDesign()), d), 300, seed=1) is None


def test_geometric_with_nonpositive_normalisation_is_refused():
    m, d = synthetic(missing=False)
    bad = replace(m, uncertainty=UncertaintyDesign(
        normalisations=(Normalisation("minmax", 0, 100), Normalisation("zscore")),
        aggregations=("arithmetic", "geometric")))
    with pytest.raises(ModelError, match="strictly positive"):
        run_uncertainty(Pipeline(bad, d), 100, seed=1)


@pytest.mark.parametrize("n", [2**13])
def test_ishigami_indices(n):
    rng = np.random.default_rng(12345)
    x = saltelli_sample(rng, n, [1, 1, 1])
    y = ishigami(x * 2 * np.pi - np.pi)
    res = sobol_indices(y, n, 3, n_boot=300, rng=np.random.default_rng(1))
    s1, st = ishigami_analytic()
    # analytical: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-3)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=1e-3)
    np.testing.assert_allclose(res.first_order, s1, atol=0.04)
    np.testing.assert_allclose(res.total_effect, st, atol=0.03)
    assert (res.first_order_ci[:, 0] <= res.first_order_ci[:, 1]).all()
    # the total effects' 90 % intervals are narrow and (here) cover the truth
    assert ((res.total_effect_ci[:, 0] - 0.01 <= st) & (st <= res.total_effect_ci[:, 1] + 0.01)).all()


def test_grouped_factors_follow_the_design():
    # y = x1 + x2 + x3 with groups {x1, x2} and {x3}: S_group1 = 2/3, S_group2 = 1/3 (additive)
    rng = np.random.default_rng(0)
    n = 4096
    x = saltelli_sample(rng, n, [2, 1])
    res = sobol_indices(x.sum(axis=1), n, 2, n_boot=0)
    np.testing.assert_allclose(res.first_order, [2 / 3, 1 / 3], atol=0.03)
    np.testing.assert_allclose(res.total_effect, [2 / 3, 1 / 3], atol=0.03)


@pytest.mark.parametrize("step", [1, 7, 64, 10_000])
def test_the_streamed_saltelli_design_is_the_whole_array_value_for_value(step):
    from rankaudit.stats.uncertainty import SampleStream

    sizes = (3, 1, 2)
    whole = saltelli_sample(np.random.default_rng(11), 50, sizes)
    stream = SampleStream(np.random.default_rng(11), sum(sizes), saltelli=(50, sizes))
    got = np.full_like(whole, np.nan)
    for pos, rows in stream.blocks(step):
        got[pos] = rows
    np.testing.assert_array_equal(got, whole)
    plain = SampleStream(np.random.default_rng(3), 4, n_rows=33)
    np.testing.assert_array_equal(np.vstack([r for _, r in plain.blocks(step)]),
                                  np.random.default_rng(3).random((33, 4)))


def test_runs_above_the_documented_limits_are_refused_before_they_start(tmp_path):
    from rankaudit.diagnostics import SpecError
    from rankaudit.stats.from_spec import run_statistical_audit
    from rankaudit.stats.uncertainty import Limits, ResourceError, check_resources, estimate

    from .test_from_spec import RAGGED_CSV, ragged_doc, write_spec

    loaded = write_spec(tmp_path, ragged_doc(), RAGGED_CSV)
    for n in (100_000_000, 10**12):
        with pytest.raises(SpecError) as caught:
            run_statistical_audit(loaded.spec, loaded.spec_dir, replications=n, seed=1, positions=loaded.positions)
        [d] = caught.value.diagnostics
        assert d.code == "RA303" and "more than the 10,000,000 replications allowed" in d.message
        assert d.line is not None
    pipe = Pipeline(*synthetic())
    est = estimate(pipe, 1_000_000)
    assert 0 < est.seconds < 60 and 0 < est.bytes < 2**30
    assert estimate(pipe, 2_000_000).seconds == pytest.approx(2 * est.seconds)
    with pytest.raises(ResourceError, match=r"would take about .* h \(estimated\)"):
        check_resources(pipe, 1_000_000, Limits(max_seconds=0.001))
    with pytest.raises(ResourceError, match=r"would need about .* GiB \(estimated\)"):
        check_resources(pipe, 1_000_000, Limits(max_bytes=1))


def test_coinr_first_order_estimator_is_coinrs_formula():
    # COINr SA_estimate (R/sensitivity.R, see ../shared/research/coinr-parity.md item 5):
    # Si = mean(yB * (yABi - yA)) / V and STi = mean((yA - yABi)^2) / (2 V), V = var(c(yA, yB))
    rng = np.random.default_rng(8)
    n, d = 400, 3
    x = saltelli_sample(rng, n, [1, 1, 1])
    y = ishigami(x * 2 * np.pi - np.pi) + 10.0  # a large mean: where the two estimators differ most
    ya, yb, yab = y[:n], y[n:2 * n], y[2 * n:].reshape(d, n)
    v = np.var(np.r_[ya, yb], ddof=1)
    coinr = sobol_indices(y, n, d, n_boot=0, estimator="coinr")
    np.testing.assert_allclose(coinr.first_order, [np.mean(yb * (yab[i] - ya)) / v for i in range(d)], rtol=1e-12)
    np.testing.assert_allclose(coinr.total_effect, [np.mean((ya - yab[i]) ** 2) / (2 * v) for i in range(d)],
                               rtol=1e-12)
    ours = sobol_indices(y, n, d, n_boot=0)
    np.testing.assert_allclose(ours.total_effect, coinr.total_effect)
    assert not np.allclose(ours.first_order, coinr.first_order)
    with pytest.raises(ValueError, match="unknown Sobol estimator"):
        sobol_indices(y, n, d, estimator="jansen")


def test_weight_sets_group_every_weight_level_into_one_factor_of_k_fixed_vectors():
    m, data = synthetic()
    design = replace(m.uncertainty, weight_sets=7, sobol_estimator="coinr", leave_one_out=None)
    pipe = Pipeline(replace(m, uncertainty=design), data)
    a = assumptions_of(pipe)
    names = [x.name for x in a]
    assert names[0] == "weights (7 sets, levels 2, 1)" and not any(n.startswith("weights (level") for n in names)
    assert a[0].n_cols == 1 and a[0].n_alt == 7
    dec = _Decoder(pipe, a, np.random.default_rng(3))
    rows = np.random.default_rng(4).random((50, sum(x.n_cols for x in a)))
    _, weights = dec.decode(rows)
    for lvl, table in dec.weight_tables.items():
        assert table.shape[0] == 7
        nominal = pipe.nominal_weights()[lvl - 1][0]
        assert np.all(np.abs(table / nominal - 1) <= 0.25)
        # every replication uses one of the 7 fixed vectors, the same one at every level
        got = weights[lvl - 1]
        assert all(any(np.array_equal(w, t) for t in table) for w in got)
    picks = [[int(np.flatnonzero((t == w).all(axis=1))[0]) for w in weights[lvl - 1]]
             for lvl, t in dec.weight_tables.items()]
    assert picks[0] == picks[1]
    res = run_uncertainty(pipe, 600, seed=2, n_boot=50)
    again = run_uncertainty(pipe, 600, seed=2, n_boot=50)
    assert res is not None and again is not None and res.assumptions[0].startswith("weights (7 sets")
    np.testing.assert_array_equal(res.median_rank, again.median_rank)
    assert pipe.model.uncertainty.describe()["weight_sets"] == 7


# ---------------------------------------------------------------------------------------------
# the Monte Carlo kernels against their references: ranks (scipy), the one-GEMM hierarchy
# (aggregate_all), counting in sorted order (RankHistogram.add), the cumulative summaries


def _scipy_min_ranks(s: np.ndarray) -> np.ndarray:
    from scipy import stats

    out = np.full(s.shape, np.nan)
    for i, row in enumerate(s):
        ok = ~np.isnan(row)
        out[i, ok] = stats.rankdata(-row[ok], method="min")
    return out


def _rank_cases():
    rng = np.random.default_rng(20261201)
    for trial in range(240):
        r, u = int(rng.integers(1, 12)), int(rng.integers(1, 260))
        kind = trial % 6
        if kind == 0:
            s = rng.random((r, u)) * 100  # positive: the packed bits path
        elif kind == 1:
            s = rng.integers(-3, 4, (r, u)).astype(float)  # many ties
        elif kind == 2:
            s = rng.normal(size=(r, u))
            s[rng.random((r, u)) < 0.1] = 0.0
            s[rng.random((r, u)) < 0.05] = -0.0  # equal to 0.0: one tie group
        elif kind == 3:
            s = rng.random((r, u))
            s[rng.random((r, u)) < 0.1] = np.nan
        elif kind == 4:
            s = 1 + rng.random((r, u)) * 1e-13  # closer than the packed keys can tell apart
        else:
            s = rng.choice([np.inf, -np.inf, 1.0, 2.0, -5.0, 1e300, -1e-300, 5e-324], size=(r, u))
        yield s


def test_rank_desc_and_sorted_ranks_equal_scipy_min_ranks_with_ties_nan_zeros_and_infinities():
    from rankaudit.stats.ranking import sorted_ranks

    for s in _rank_cases():
        ref = _scipy_min_ranks(s)
        np.testing.assert_array_equal(rank_desc(s), ref)
        np.testing.assert_array_equal(rank_desc(np.asfortranarray(s)), ref)  # transposed views too
        if np.isnan(s).any():
            continue
        order, rank_at = sorted_ranks(s)
        rows = np.arange(s.shape[0])[:, None]
        at = np.broadcast_to(np.arange(1.0, s.shape[1] + 1), s.shape) if rank_at is None else rank_at
        # every unit once per row, at its rank, best first
        np.testing.assert_array_equal(np.sort(order, axis=1), np.broadcast_to(np.arange(s.shape[1]), s.shape))
        np.testing.assert_array_equal(ref[rows, order], at)
        assert (np.diff(at, axis=1) >= 0).all()


def test_sorted_ranks_reports_no_ties_only_when_there_are_none():
    from rankaudit.stats.ranking import sorted_ranks

    s = np.random.default_rng(1).random((50, 300))
    _, rank_at = sorted_ranks(s)
    assert rank_at is None
    s[7, 10] = s[7, 20]
    _, rank_at = sorted_ranks(s)
    assert rank_at is not None and np.unique(rank_at[7]).size == 299  # two units share a rank
    assert (rank_at[np.arange(50) != 7] == np.arange(1, 301)).all()


def _linear_cases():
    """Models where every level takes one mean: missing values, whole pillars missing, thresholds;
    at 400 units, units missing the same children form correction groups (``PATTERN_ROWS``)."""
    rng = np.random.default_rng(4)
    pillars = {"P1": ["a1", "a2", "a3"], "P2": ["b1", "b2"], "P3": ["c1", "c2", "c3", "c4"]}
    for method, threshold, n in itertools.product(("arithmetic", "geometric", "harmonic"), (None, 0.5), (60, 400)):
        x = rng.lognormal(size=(n, 9)) + 0.1
        x[rng.random(x.shape) < 0.15] = np.nan
        x[3, 3:5] = np.nan  # a whole pillar missing: a unit of the general path
        x[5, :] = np.nan  # no data at all
        m = two_level_model(pillars, method=method, normalisation=Normalisation("minmax", 1, 100),
                            availability_threshold=threshold)
        yield method, threshold, Pipeline(m, data_for(m, x))


def test_linear_plan_scores_equal_the_level_by_level_aggregation():
    from rankaudit.stats.aggregate import aggregate_all

    rng = np.random.default_rng(5)
    for method, threshold, pipe in _linear_cases():
        prep = pipe.prepare()
        plan = pipe.linear_plan(prep.shared)
        assert plan is not None and plan.slow.size >= 2  # units 3 and 5
        assert any(c.rows.size for c in plan.corrections)  # units of rare patterns: the general correction
        assert any(c.groups for c in plan.corrections) or pipe.data.values.shape[0] < 400  # groups at 400
        for noisy in ((True, True), (False, True), (True, False)):
            ws = [w * (1 + 0.5 * (2 * rng.random((17, w.shape[1])) - 1)) if n else w
                  for w, n in zip(pipe.nominal_weights(), noisy, strict=True)]
            got = pipe.top_scores(prep.shared, ws)
            ref = aggregate_all(prep.normalised, ws, pipe.levels, None, threshold, top_only=True)[-1][..., 0]
            np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12, err_msg=f"{method} {threshold} {noisy}")
            np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
        # a zero weight (leave-one-out) leaves the linear path: same scores by the general one
        ws = [np.atleast_2d(w).copy() for w in pipe.nominal_weights()]
        ws[0][0, 3] = 0.0
        got = pipe.top_scores(prep.shared, ws)
        ref = aggregate_all(prep.normalised, ws, pipe.levels, None, threshold, top_only=True)[-1][..., 0]
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


def test_mixed_means_have_no_linear_plan_and_keep_the_general_path():
    m, d = synthetic(missing=True)
    nodes = tuple(replace(n, method="geometric" if n.id == "P2" else "arithmetic") for n in m.hierarchy[0])
    pipe = Pipeline(replace(m, hierarchy=(nodes, m.hierarchy[1])), d)
    prep = pipe.prepare()
    assert pipe.linear_plan(prep.shared) is None
    assert pipe.linear_plan(prep.shared, "arithmetic") is not None  # an override gives every level one mean
    ws = pipe.nominal_weights()
    np.testing.assert_allclose(pipe.top_scores(prep.shared, ws), pipe.aggregate(prep.normalised, ws)[-1][..., 0],
                               rtol=1e-12)


@pytest.mark.parametrize("cached", [True, False])
def test_counting_in_sorted_order_equals_counting_ranks(cached, monkeypatch):
    from rankaudit.stats import ranking
    from rankaudit.stats.ranking import RankHistogram, sorted_ranks

    if not cached:  # the unit-by-unit path of tables too large for the cache
        monkeypatch.setattr(ranking, "_CACHED_TABLE", 0)
    rng = np.random.default_rng(6)
    for n, max_bytes in ((40, 2**20), (40, 40 * 2 * 7)):  # exact, and binned (width 6)
        s = rng.integers(0, 25, size=(300, n)).astype(float)  # ties in every row
        s[::3] += rng.random((100, n))  # and rows without
        a, b = RankHistogram(n, 300, max_bytes), RankHistogram(n, 300, max_bytes)
        a.add(rank_desc(s))
        for part in (s[:123], s[123:]):
            b.add_sorted(*sorted_ranks(part))
        np.testing.assert_array_equal(a.counts, b.counts)
        np.testing.assert_array_equal(a.mean(), b.mean())
        # a block where some units are unranked throughout (screened out): counted by position
        keep = np.array([u % 5 != 0 for u in range(n)])
        c, d = RankHistogram(n, 300, max_bytes), RankHistogram(n, 300, max_bytes)
        masked = np.where(keep, s, np.nan)
        c.add(rank_desc(masked))
        units = np.flatnonzero(keep)
        d.add_sorted(*sorted_ranks(s[:, units]), units)
        np.testing.assert_array_equal(c.counts, d.counts)
        np.testing.assert_array_equal(c.mean(), d.mean())


def test_cumulative_summaries_equal_the_cell_by_cell_ones():
    from rankaudit.stats.ranking import RankHistogram

    rng = np.random.default_rng(7)
    n = 30
    ranks = np.argsort(np.argsort(rng.normal(size=(400, n)) + np.linspace(0, 4, n), axis=1), axis=1) + 1.0
    ranks[:, 4] = np.nan  # a unit never ranked
    ranks[::7, 9] = np.nan
    h = RankHistogram(n, 400)
    h.add(ranks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's references for the unit without runs
        for p in (0.0, 0.05, 0.5, 0.95, 1.0):
            np.testing.assert_array_equal(h.quantile(p), np.nanquantile(ranks, p, axis=0))
    got = h.quantiles((0.05, 0.95))
    np.testing.assert_array_equal(got[0], h.quantile(0.05))
    np.testing.assert_array_equal(got[1], h.quantile(0.95))
    med = h.quantile(0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        truth = np.nanmean(np.where(np.isnan(ranks), np.nan, np.abs(ranks - med) <= 2), axis=0)
    np.testing.assert_array_equal(h.share_within(med, 2), truth)  # unit 4: NaN (no runs)
    assert np.isnan(h.share_within(med, 2)[4])


def test_linear_engine_matches_one_build_per_row_with_missing_values():
    # the default design's path (every level one mean per build, weights > 0): the batched one-GEMM
    # engine against a fresh model built per row
    m, d = synthetic()
    design = replace(m.uncertainty, leave_one_out=None, imputations=(), winsorisation=())
    pipe = Pipeline(replace(m, uncertainty=design), d)
    nominal = pipe.build().ranks
    assumptions = assumptions_of(pipe)
    rows = np.random.default_rng(8).random((80, sum(a.n_cols for a in assumptions)))
    mc = evaluate(pipe, assumptions, rows, nominal, chunk_size=9)
    np.testing.assert_allclose(mc.y, reference_y(pipe, rows, nominal), rtol=1e-12, atol=1e-12)

"""The coherence audit: typed thresholds, and correlation analysis bounded in the indicators."""

from __future__ import annotations

import time

import numpy as np

from rankaudit.stats.audit import run_audit
from rankaudit.stats.coherence import DEFAULT_THRESHOLDS, Thresholds, correlations
from rankaudit.stats.pipeline import Pipeline

from .helpers import data_for, two_level_model

PILLARS = {"P1": ["a1", "a2", "a3", "a4"], "P2": ["b1", "b2", "b3"], "P3": ["c1", "c2"]}


def _pipe(seed: int = 2) -> Pipeline:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(40, 1))
    x = base + 0.3 * rng.normal(size=(40, 9))
    x[:, 3] = -x[:, 0] + 0.1 * rng.normal(size=40)  # a4 runs against a1
    x[:, 8] = rng.normal(size=40)  # c2 unrelated
    x[rng.random(x.shape) < 0.05] = np.nan
    m = two_level_model(PILLARS)
    return Pipeline(m, data_for(m, x))


def test_defaults_are_todays_values_and_thresholds_reach_the_flags() -> None:
    th = DEFAULT_THRESHOLDS
    assert (th.skew, th.kurtosis, th.collinear, th.negative, th.weak, th.denominator, th.p_value) == \
        (2.0, 3.5, 0.9, -0.4, 0.3, 0.7, 0.05)
    assert (th.availability_indicator, th.availability_unit, th.mode_share) == (0.65, 2 / 3, 0.5)
    pipe = _pipe()
    default = run_audit(pipe.model, pipe.data, replications=0)
    strict = run_audit(pipe.model, pipe.data, replications=0, thresholds=Thresholds(collinear=0.5, weak=0.99))
    kinds = {f.kind for f in default.correlation_flags}
    assert "negative" in kinds
    assert sum(f.kind == "collinear" for f in strict.correlation_flags) > \
        sum(f.kind == "collinear" for f in default.correlation_flags)
    assert all(f.threshold == 0.99 for f in strict.correlation_flags if f.kind == "weak_parent")


def test_flags_without_the_full_matrix_are_the_same() -> None:
    pipe = _pipe()
    build = pipe.build()
    full = correlations(pipe, build)
    capped = correlations(pipe, build, Thresholds(max_full_correlation=4))
    assert full.indicator_corr is not None and capped.indicator_corr is None
    assert capped.skipped == []
    assert len(full.flags) == len(capped.flags) > 0
    for a, b in zip(full.flags, capped.flags, strict=True):
        assert (a.kind, a.group, a.a, a.b) == (b.kind, b.group, b.a, b.b)
        np.testing.assert_allclose([a.r, a.p_value], [b.r, b.p_value], rtol=1e-12)
    tiny = correlations(pipe, build, Thresholds(max_full_correlation=3))
    assert tiny.skipped == ["P1"]


def test_20000_indicators_by_6_cities_stays_small_and_quick() -> None:
    rng = np.random.default_rng(0)
    inds = [f"i{j}" for j in range(20_000)]
    m = two_level_model({"P1": inds[:10_000], "P2": inds[10_000:]})
    pipe = Pipeline(m, data_for(m, rng.normal(size=(6, 20_000))))
    t0 = time.perf_counter()
    res = run_audit(pipe.model, pipe.data, replications=0)
    assert time.perf_counter() - t0 < 60
    ind = next(c for c in res.correlations if c.name == "indicators")
    assert ind.values == [] and any("not computed above 2,000" in w for w in res.warnings)
    assert any("no collinearity check" in w for w in res.warnings)


def test_batched_smoothings_give_the_loops_correlation_ratios() -> None:
    from rankaudit.stats.correlation import correlation_ratio, correlation_ratios

    rng = np.random.default_rng(4)
    x = rng.normal(size=(120, 30))
    y = np.sin(x[:, 0]) + x[:, 1] ** 2 + 0.1 * rng.normal(size=120)
    x[rng.random(x.shape) < 0.03] = np.nan  # some columns get their own complete rows
    x[:, 5] = 1.0  # constant
    x[:, 6] = np.round(x[:, 6])  # few distinct values: a smaller basis
    x[3:, 7] = np.nan  # 3 points
    x[:, 8] = np.repeat([0.0, 1.0, 2.0], 40)  # linear fallback
    loop = np.array([correlation_ratio(x[:, j], y) for j in range(x.shape[1])])
    np.testing.assert_allclose(correlation_ratios(x, y), loop, rtol=0, atol=1e-9)
    assert np.isnan(loop[5]) or loop[5] >= 0


def _coinr_cronbach(x: np.ndarray) -> float:
    """COINr 1.1.14 ``get_cronbach`` (R/analysis.R) transcribed: R's cov(use = "pairwise.complete.obs"),
    ``sigall <- sum(cvtrix, na.rm = TRUE)``, ``sigav <- (sigall - sum(diag(cvtrix), na.rm = TRUE))/(k*(k-1))``,
    ``(k^2 * sigav)/sigall``; R's pairwise cov written out pair by pair."""
    k = x.shape[1]
    cov = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(k):
            ok = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            if ok.sum() >= 2:
                a, b = x[ok, i], x[ok, j]
                cov[i, j] = ((a - a.mean()) * (b - b.mean())).sum() / (ok.sum() - 1)
    sigall = np.nansum(cov)
    sigav = (sigall - np.nansum(np.diag(cov))) / (k * (k - 1))
    return float(k**2 * sigav / sigall)


def test_cronbach_alpha_uses_pairwise_covariances_like_coinr(asem) -> None:
    from rankaudit.stats.coherence import cronbach_alpha

    model, data = asem
    diffs = []
    for node in model.hierarchy[0]:  # the ASEM pillars on the raw data, with their missing values
        cols = [model.indicators.index(c) for c in node.children]
        x = data.values[:, cols]
        got = cronbach_alpha(x)
        np.testing.assert_allclose(got, _coinr_cronbach(x), rtol=0, atol=1e-12)
        diffs.append(abs(got - cronbach_alpha(x, rows="complete")))
        if not np.isnan(x).any():
            np.testing.assert_allclose(got, cronbach_alpha(x, rows="complete"), atol=1e-12)
    assert max(diffs) > 1e-4  # missing values: the two conventions differ, as the parity study found

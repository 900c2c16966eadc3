from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from rankaudit.stats.model import Imputation, Normalisation, OutlierTreatment
from rankaudit.stats.ranking import RankHistogram, rank_desc
from rankaudit.stats.transform import impute, is_outlier, log_ct, normalise, skew_kurt, treat_outliers


def test_skew_kurt_match_excel_type2():
    rng = np.random.default_rng(3)
    x = rng.lognormal(size=(40, 3))
    x[5, 1] = np.nan
    s, k = skew_kurt(x)
    for j in range(3):
        col = x[~np.isnan(x[:, j]), j]
        # scipy's bias-corrected estimators are the e1071 type 2 / Excel SKEW and KURT
        assert s[j] == pytest.approx(stats.skew(col, bias=False))
        assert k[j] == pytest.approx(stats.kurtosis(col, bias=False))


def test_skew_kurt_small_hand_example():
    # x = 1, 2, 3, 10: mean 4, deviations -3 -2 -1 6; m2 = 50, m3 = 180, m4 = 1394
    s, k = skew_kurt(np.array([1.0, 2, 3, 10]))
    n = 4
    assert s == pytest.approx(np.sqrt(n) * 180 / 50**1.5 * np.sqrt(n * (n - 1)) / (n - 2))
    r = n * 1394 / 50**2
    assert k == pytest.approx(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def test_constant_column_has_no_moments():
    s, k = skew_kurt(np.ones((10, 1)))
    assert np.isnan(s[0]) and np.isnan(k[0])
    assert not is_outlier(s, k)[0]


def test_outlier_rule_needs_both_conditions():
    assert is_outlier(2.5, 4.0)
    assert not is_outlier(2.5, 3.0)
    assert not is_outlier(1.5, 10.0)
    assert is_outlier(-2.5, 4.0)


def test_winsorise_like_coinr_example():
    # COINr ?Treat example: 1..10 plus two outliers 30 and 100
    x = np.array([*range(1, 11), 30.0, 100.0])[:, None]
    out, info = treat_outliers(x, OutlierTreatment("winsorise", winmax=5))
    assert info[0].kind == "winsorised" and info[0].side == "high"
    s, k = skew_kurt(out[:, 0])
    assert not is_outlier(s, k)
    # the largest point is replaced by the next largest, only as many times as needed
    assert out[:, 0].max() < 100
    assert info[0].n_points >= 1
    assert np.array_equal(out[:10, 0], x[:10, 0])


def test_winsorise_falls_back_to_log():
    # a long geometric tail cannot be fixed with one point
    x = (2.0 ** np.arange(30))[:, None]
    out, info = treat_outliers(x, OutlierTreatment("winsorise", winmax=1))
    assert info[0].kind == "log"
    np.testing.assert_allclose(out[:, 0], log_ct(x[:, 0]))
    lo, hi = x.min(), x.max()
    assert out[0, 0] == pytest.approx(np.log(0.01 * (hi - lo)))


def test_treatment_leaves_good_columns_alone_and_winmax_zero_is_off():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2))
    x[0, 1] = 40
    out, info = treat_outliers(x, OutlierTreatment("winsorise"))
    assert np.array_equal(out[:, 0], x[:, 0]) and info[0].kind == "none"
    assert info[1].kind == "winsorised"
    out0, info0 = treat_outliers(x, OutlierTreatment("winsorise"), winmax=0)
    assert np.array_equal(out0, x) and all(i.kind == "none" for i in info0)


def test_impute_mean_median_and_groups():
    x = np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0], [10.0, 6.0]])
    m = impute(x, Imputation("mean"))
    assert m[2, 0] == pytest.approx(14 / 3) and m[0, 1] == pytest.approx(6.0)
    md = impute(x, Imputation("median"))
    assert md[2, 0] == 3.0 and md[0, 1] == 6.0
    g = impute(x, Imputation("group_mean", "grp"), groups=["a", "a", "b", "b"])
    assert g[2, 0] == 10.0  # group b mean of column 0
    assert g[0, 1] == 4.0  # group a mean of column 1
    # a group with no value falls back to the overall statistic
    g2 = impute(x, Imputation("group_mean", "grp"), groups=["a", "b", "b", "a"])
    assert g2[2, 0] == pytest.approx(3.0)  # group b column 0: only 3.0
    assert not np.isnan(g2).any()
    assert np.isnan(impute(x, Imputation("none"))).sum() == 2


def test_normalisations():
    x = np.array([[1.0, 10], [2, 30], [4, 20], [np.nan, 40]])
    mm = normalise(x, [1, -1], Normalisation("minmax", 0, 1))
    np.testing.assert_allclose(mm[:3, 0], [0, 1 / 3, 1])
    np.testing.assert_allclose(mm[:, 1], [1, 1 / 3, 2 / 3, 0])
    assert np.isnan(mm[3, 0])
    rk = normalise(np.array([[5.0], [1], [5], [3]]), [1], Normalisation("rank"))
    np.testing.assert_allclose(rk[:, 0], [2 / 3, 0, 2 / 3, 1 / 3])  # (min rank - 1)/(n - 1)
    ref = normalise(x, [1, 1], Normalisation("distance_to_reference", reference="b"), unit_ids=["a", "b", "c", "d"])
    np.testing.assert_allclose(ref[:3, 0], [0, 1, 3])  # 1 - (2 - x)/(2 - 1)
    capped = normalise(x, [1, 1], Normalisation("distance_to_reference", reference="b", cap=True),
                       unit_ids=["a", "b", "c", "d"])
    assert capped[2, 0] == 1
    tg = normalise(x, [1, -1], Normalisation("distance_to_target", targets=(3.0, 10.0)))
    np.testing.assert_allclose(tg[:3, 0], [0, 0.5, 1.5])  # 1 - (3 - x)/(3 - 1)
    # direction -1: target -10 and min -40 -> 1 - (-10 + x)/(-10 + 40)
    np.testing.assert_allclose(tg[:, 1], [1, 1 - 20 / 30, 1 - 10 / 30, 0])
    const = normalise(np.ones((3, 1)), [1], Normalisation("minmax"))
    assert np.isnan(const).all()


def test_rank_desc_min_ties_and_nan():
    s = np.array([[3.0, 1.0, 3.0, np.nan, 2.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    r = rank_desc(s)
    np.testing.assert_array_equal(r[0], [1, 4, 1, np.nan, 3])
    np.testing.assert_array_equal(r[1], [5, 4, 3, 2, 1])
    ref = stats.rankdata(-s[1], method="min")
    np.testing.assert_array_equal(r[1], ref)


def test_rank_histogram_quantiles_match_numpy():
    rng = np.random.default_rng(5)
    ranks = rng.integers(1, 8, size=(301, 7)).astype(float)
    ranks[::17, 2] = np.nan
    h = RankHistogram(7)
    h.add(ranks[:100])
    h.add(ranks[100:])
    for p in (0.05, 0.5, 0.95):
        np.testing.assert_allclose(h.quantile(p), np.nanquantile(ranks, p, axis=0))
    np.testing.assert_allclose(h.mean(), np.nanmean(ranks, axis=0))


def test_binned_rank_histogram_is_within_its_stated_error():
    rng = np.random.default_rng(9)
    n = 40
    ranks = np.argsort(np.argsort(rng.normal(size=(500, n)) + np.linspace(0, 3, n), axis=1), axis=1) + 1.0
    ranks[3, 1] = np.nan
    exact = RankHistogram(n)
    binned = RankHistogram(n, 500, max_bytes=n * 2 * 7)  # 7 bins of 6 ranks
    assert binned.width == 6 and binned.max_error == 5 and exact.max_error == 0
    for part in (ranks[:200], ranks[200:]):
        exact.add(part)
        binned.add(part)
    for p in (0.05, 0.5, 0.95):
        truth = np.nanquantile(ranks, p, axis=0)
        np.testing.assert_allclose(exact.quantile(p), truth)
        assert np.all(np.abs(binned.quantile(p) - truth) <= binned.max_error)
    np.testing.assert_allclose(binned.mean(), np.nanmean(ranks, axis=0))
    np.testing.assert_array_equal(binned.n_runs, exact.n_runs)
    med = exact.quantile(0.5)
    truth = np.nanmean(np.abs(ranks - med) <= 2, axis=0) * 500 / exact.n_runs
    np.testing.assert_allclose(exact.share_within(med, 2), truth)
    assert np.all(np.abs(binned.share_within(med, 2) - truth) <= 0.5)


def test_large_tables_use_add_at_without_a_table_sized_temporary():
    h = RankHistogram(3000, 100)  # 9e6 counts > 4 x a 2 x 3000 batch: the add.at path
    ranks = np.vstack([np.arange(1.0, 3001), np.arange(3000.0, 0, -1)])
    h.add(ranks)
    assert h.counts.dtype == np.uint16 and h.counts[0, 0] == 1 and h.counts[0, -1] == 1
    np.testing.assert_array_equal(h.quantile(0.0), np.minimum(ranks[0], ranks[1]))


def test_log_treatment_only_touches_flagged_columns():
    x = np.column_stack([np.r_[np.arange(1.0, 12), 100.0], np.arange(12.0)])
    out, info = treat_outliers(x, OutlierTreatment("log"))
    assert info[0].kind == "log" and info[1].kind == "none"
    np.testing.assert_allclose(out[:, 0], log_ct(x[:, 0]))
    np.testing.assert_array_equal(out[:, 1], x[:, 1])

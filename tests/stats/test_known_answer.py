"""Hand-computed 4-city index: min-max, arithmetic and geometric means, ranks, remove-one.

Data (i4 is "lower is better"):

    city  i1  i2  i3  i4
    A     10   1   5  40
    B     20   3   3  20
    C     30   2   1  30
    D     40   4   4  10

Hierarchy: P1 = {i1 (weight 2), i2 (weight 1)}, P2 = {i3, i4} equal; Index = mean(P1, P2).
"""

from __future__ import annotations

import numpy as np
import pytest

from rankaudit.stats.coherence import effective_weights, remove_one
from rankaudit.stats.model import Normalisation
from rankaudit.stats.pipeline import Pipeline, build_index

from .helpers import data_for, two_level_model

X = np.array([
    [10, 1, 5, 40],
    [20, 3, 3, 20],
    [30, 2, 1, 30],
    [40, 4, 4, 10],
], dtype=float)
IDS = ["A", "B", "C", "D"]
PILLARS = {"P1": ["i1", "i2"], "P2": ["i3", "i4"]}


def model(**kw):
    return two_level_model(PILLARS, directions={"i4": -1}, weights={"i1": 2.0}, **kw)


def test_minmax_arithmetic_by_hand():
    b = build_index(model(), data_for(model(), X, IDS))
    # min-max [0, 100], i4 flipped (-x: -40 -20 -30 -10 -> min -40, max -10)
    expected_norm = np.array([
        [0, 0, 100, 0],
        [100 / 3, 200 / 3, 50, 200 / 3],
        [200 / 3, 100 / 3, 0, 100 / 3],
        [100, 100, 75, 100],
    ])
    np.testing.assert_allclose(b.prepared.normalised, expected_norm, atol=1e-12)
    # P1 = (2 i1 + i2) / 3: A 0, B (66.667 + 66.667)/3 = 44.444, C (133.333 + 33.333)/3 = 55.556, D 100
    np.testing.assert_allclose(b.scores["P1"], [0, 400 / 9, 500 / 9, 100], atol=1e-12)
    # P2 = (i3 + i4) / 2: A 50, B (50 + 66.667)/2 = 58.333, C 16.667, D 87.5
    np.testing.assert_allclose(b.scores["P2"], [50, 175 / 3, 50 / 3, 87.5], atol=1e-12)
    # Index = (P1 + P2)/2: A 25, B 51.389, C 36.111, D 93.75
    np.testing.assert_allclose(b.index, [25, (400 / 9 + 175 / 3) / 2, (500 / 9 + 50 / 3) / 2, 93.75], atol=1e-12)
    assert b.ranks.tolist() == [4, 2, 3, 1]


def test_geometric_by_hand():
    m = model(method="geometric", normalisation=Normalisation("minmax", 1, 100))
    b = build_index(m, data_for(m, X, IDS))
    # min-max [1, 100]: 1 + 99 * fraction
    i1 = [1, 34, 67, 100]
    i2 = [1, 67, 34, 100]
    i3 = [100, 50.5, 1, 75.25]
    i4 = [1, 67, 34, 100]
    p1 = [(a * a * c) ** (1 / 3) for a, c in zip(i1, i2, strict=True)]  # weights 2:1
    p2 = [(a * c) ** 0.5 for a, c in zip(i3, i4, strict=True)]
    idx = [(a * c) ** 0.5 for a, c in zip(p1, p2, strict=True)]
    np.testing.assert_allclose(b.scores["P1"], p1, rtol=1e-12)
    np.testing.assert_allclose(b.scores["P2"], p2, rtol=1e-12)
    np.testing.assert_allclose(b.index, idx, rtol=1e-12)
    # A 3.162, B 49.79, C 17.65, D 93.14
    np.testing.assert_allclose(b.index, [3.1623, 49.793, 17.652, 93.139], rtol=1e-4)
    assert b.ranks.tolist() == [4, 2, 3, 1]


def test_harmonic_by_hand():
    m = model(method="harmonic", normalisation=Normalisation("minmax", 1, 100))
    b = build_index(m, data_for(m, X, IDS))
    # B: P1 = 3 / (2/34 + 1/67)
    assert b.scores["P1"][1] == pytest.approx(3 / (2 / 34 + 1 / 67))


def test_available_case_with_missing_value():
    x = X.copy()
    x[2, 1] = np.nan  # C has no i2; i2 still spans 1..4 on A, B, D
    b = build_index(model(), data_for(model(), x, IDS))
    # C: P1 = i1 alone = 66.667 (weight 2 re-normalised to 1); Index = (66.667 + 16.667)/2 = 41.667
    assert b.scores["P1"][2] == pytest.approx(200 / 3)
    assert b.index[2] == pytest.approx(125 / 3)
    assert b.ranks.tolist() == [4, 2, 3, 1]


def test_availability_threshold_makes_aggregate_missing():
    x = X.copy()
    x[2, 1] = np.nan
    m = model(availability_threshold=0.75)  # C has 1 of 2 children in P1 -> 0.5 < 0.75
    b = build_index(m, data_for(m, x, IDS))
    assert np.isnan(b.scores["P1"][2])
    # the Index then averages the available pillar only (its own availability 1/2 < 0.75 too -> NaN)
    assert np.isnan(b.index[2])
    assert np.isnan(b.ranks[2]) and sorted(b.ranks[[0, 1, 3]].tolist()) == [1, 2, 3]


def test_zscore_by_hand():
    m = model(normalisation=Normalisation("zscore"))
    b = build_index(m, data_for(m, X, IDS))
    sd = np.sqrt((15**2 + 5**2 + 5**2 + 15**2) / 3)  # sample sd of 10, 20, 30, 40
    np.testing.assert_allclose(b.prepared.normalised[:, 0], np.array([-15, -5, 5, 15]) / sd)


def test_ties_share_lowest_rank():
    x = np.vstack([X, X[1]])  # E = copy of B
    b = build_index(model(), data_for(model(), x, [*IDS, "E"]))
    assert b.ranks.tolist() == [5, 2, 4, 1, 2]


def test_effective_weights_and_remove_one():
    m = model()
    assert effective_weights(m) == pytest.approx([1 / 3, 1 / 6, 1 / 4, 1 / 4])
    pipe = Pipeline(m, data_for(m, X, IDS))
    b = pipe.build()
    res = {(e, lvl): (mean, mx) for e, lvl, mean, mx in remove_one(pipe, b)}
    # without P2 the index is P1: ranks D1 C2 B3 A4 vs nominal D1 B2 C3 A4 -> shifts 0,1,1,0
    assert res[("P2", 2)] == (0.5, 1.0)
    # without P1 the index is P2: D 87.5, B 58.3, A 50, C 16.7 -> ranks A3 B2 C4 D1: shifts 1,0,1,0
    assert res[("P1", 2)] == (0.5, 1.0)
    # without i3: P2 = i4 -> A 0, B 66.7, C 33.3, D 100; index A 0, B 55.6, C 44.4, D 100 -> same ranks
    assert res[("i3", 1)] == (0.0, 0.0)


def test_unit_coverage_threshold_leaves_sparse_units_unranked():
    x = X.copy()
    x[0, :3] = np.nan  # A keeps 1 of 4 indicators
    m = model(unit_coverage_threshold=0.5)
    b = build_index(m, data_for(m, x, IDS))
    assert np.isnan(b.index[0]) and np.isnan(b.ranks[0])
    assert b.ranks[1:].tolist() == [2, 3, 1]


def test_per_indicator_normalisation_override():
    m = model(indicator_normalisations=(None, None, Normalisation("minmax", 0, 1), None))
    b = build_index(m, data_for(m, X, IDS))
    np.testing.assert_allclose(b.prepared.normalised[:, 2], [1, 0.5, 0, 0.75])
    np.testing.assert_allclose(b.prepared.normalised[:, 0], [0, 100 / 3, 200 / 3, 100])


def test_reproduction_of_a_partial_rank_table_compares_like_with_like() -> None:
    """Published ranks 1, 3 and 6 of 6 cities, reproduced exactly, must show no difference."""
    from rankaudit.stats.coherence import reproduce
    from rankaudit.stats.ranking import rank_desc

    ids = ["a", "b", "c", "d", "e", "f"]
    scores = np.array([90.0, 80.0, 70.0, 60.0, 50.0, 40.0])
    ranks = rank_desc(scores)
    result = reproduce(ids, scores, ranks, published_ranks={"a": 1, "c": 3, "f": 6})
    assert result is not None
    assert result.n == 3
    assert result.differing == []
    assert result.max_rank_shift == 0
    assert result.rho == 1.0

"""Synthetic indices with planted defects: each must be flagged by the audit."""

from __future__ import annotations

import numpy as np
import pytest

from rankaudit.stats.audit import run_audit
from rankaudit.stats.model import Normalisation, UncertaintyDesign

from .helpers import data_for, two_level_model

N = 80
PILLARS = {
    "P1": ["a1", "a2", "a3", "a4"],
    "P2": ["b1", "b2", "b3", "b4"],
    "P3": ["c1", "c2", "c3", "c4"],
}


def planted():
    rng = np.random.default_rng(2024)
    lat = rng.normal(size=(N, 3))
    pop = rng.lognormal(mean=13, sigma=1.0, size=N)
    cols = {}
    for p, kids in enumerate(PILLARS.values()):
        for k in kids:
            cols[k] = lat[:, p] + 0.6 * rng.normal(size=N)
    # a4: outlier indicator (two extreme cities)
    cols["a4"] = cols["a4"].copy()
    cols["a4"][[3, 40]] = [25.0, 30.0]
    # a2: size-driven (a count, not a rate): follows population
    cols["a2"] = pop / 1e5 * (1 + 0.1 * rng.normal(size=N))
    # b2: a near copy of b1 (double counting)
    cols["b2"] = cols["b1"] + 0.05 * rng.normal(size=N)
    # b4: low availability (half missing)
    cols["b4"] = np.where(rng.random(N) < 0.5, np.nan, cols["b4"])
    # c3: oriented the wrong way (negatively correlated with its pillar mates)
    cols["c3"] = -lat[:, 2] + 0.4 * rng.normal(size=N)
    # c4: low information: 70 % of the cities share the value 0
    cols["c4"] = np.where(np.arange(N) < 56, 0.0, cols["c4"] + 3)
    x = np.column_stack([cols[k] for kids in PILLARS.values() for k in kids])
    # city 7: mostly missing
    x[7, :9] = np.nan
    m = two_level_model(PILLARS, denominators=("Population",))
    return m, data_for(m, x, numeric={"Population": pop})


@pytest.fixture(scope="module")
def audit():
    m, d = planted()
    return run_audit(m, d, replications=0)


def _flags(res, kind):
    return {(f.a, f.b) for f in res.correlation_flags if f.kind == kind}


def test_outlier_indicator_flagged(audit):
    ind = {i.id: i for i in audit.indicators}
    assert ind["a4"].outlier
    assert ind["a4"].skew > 2 and ind["a4"].kurtosis > 3.5
    assert not ind["a1"].outlier


def test_double_counting_flagged(audit):
    assert ("b1", "b2") in _flags(audit, "collinear")
    assert all(f.significant for f in audit.correlation_flags if f.kind == "collinear")


def test_negative_correlation_flagged(audit):
    neg = _flags(audit, "negative")
    assert ("c1", "c3") in neg and ("c2", "c3") in neg
    weak = {a for a, _ in _flags(audit, "weak_parent")}
    assert "c3" in weak


def test_scale_bias_flagged(audit):
    flagged = {(d.indicator, d.denominator) for d in audit.denominators if d.flagged}
    assert flagged == {("a2", "Population")}


def test_availability_flags(audit):
    ind = {i.id: i for i in audit.indicators}
    assert ind["b4"].low_availability and ind["b4"].availability < 0.65
    assert not ind["a1"].low_availability
    units = {u.id: u for u in audit.units}
    assert units["c007"].low_availability and units["c007"].availability < 2 / 3
    assert sum(u.low_availability for u in audit.units) == 1


def test_low_information_flagged(audit):
    ind = {i.id: i for i in audit.indicators}
    assert ind["c4"].low_information and ind["c4"].mode_share == pytest.approx(56 / 80)
    assert not ind["c1"].low_information


def test_pca_and_cronbach_see_the_negative_indicator(audit):
    g = {x.id: x for x in audit.groups}
    # P3 mixes c3 (reversed) with the others: alpha drops well below the clean pillar P1's
    assert g["P3"].cronbach_alpha < g["P2"].cronbach_alpha
    assert g["P2"].pca.n_eigen_gt_1 == 1
    assert g["P2"].pca.variance_share_pc1 > 0.6


def test_rank_flip_city_has_wide_interval():
    # 41 balanced cities spread evenly, plus one city that is top in P1 and bottom in P2
    n = 41
    base = np.linspace(0, 100, n)
    x = np.column_stack([base, base, base, base])
    flip = np.array([[100.0, 100.0, 0.0, 0.0]])
    x = np.vstack([x, flip])
    pillars = {"P1": ["x1", "x2"], "P2": ["y1", "y2"]}
    m = two_level_model(pillars, normalisation=Normalisation("none"),
                        uncertainty=UncertaintyDesign(weight_noise=((2, 0.25),)))
    res = run_audit(m, data_for(m, x), replications=2000, seed=11)
    u = {r.id: r for r in res.units}
    flip_u = u[f"c{n:03d}"]
    # index = 100 w1/(w1 + w2), w ~ U[0.75, 1.25]: between 37.5 and 62.5 -> crosses ~10 cities
    assert flip_u.q95_rank - flip_u.q05_rank >= 6
    others = [r for r in res.units if r.id != flip_u.id]
    assert max(r.q95_rank - r.q05_rank for r in others) <= 1
    assert res.robustness is not None
    assert res.robustness.share_nominal_within_2_of_median > 0.9


def test_sensitivity_names_the_driver():
    rng = np.random.default_rng(8)
    n = 40
    x = rng.uniform(size=(n, 4)) * 100
    x[:, 2:] = 100 - x[:, :2] + rng.normal(size=(n, 2))  # P2 opposes P1: weights matter a lot
    pillars = {"P1": ["x1", "x2"], "P2": ["y1", "y2"]}
    m = two_level_model(pillars, normalisation=Normalisation("minmax", 1, 100), uncertainty=UncertaintyDesign(
        weight_noise=((2, 0.25),),
        # both alternatives are affine maps of each other: no effect on arithmetic ranks
        normalisations=(Normalisation("minmax", 1, 100), Normalisation("minmax", 0, 10)),
    ))
    res = run_audit(m, data_for(m, x), replications=3000, seed=5, n_boot=200)
    s = {r.assumption: r for r in res.sensitivity}
    assert res.robustness.dominant_assumption.startswith("weights")
    w = next(v for k, v in s.items() if k.startswith("weights"))
    assert w.total_effect > 0.9
    assert abs(s["normalisation"].total_effect) < 0.02
    assert w.total_effect_ci[0] <= w.total_effect <= w.total_effect_ci[1]

"""claims: verdicts on constructed cases, shares against stored replications, ASEM against the audit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import yaml

from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import load_spec
from rankaudit.stats import claims as claims_mod
from rankaudit.stats.claims import Claim, ClaimError, city_claims, claims_from_spec, parse_claim
from rankaudit.stats.from_spec import run_statistical_audit
from rankaudit.stats.model import Normalisation, UncertaintyDesign
from rankaudit.stats.whatif_adapter import IndexView, replication_ranks
from tests.test_loader import yaml_backend  # noqa: F401  (every test of this module under both YAML back ends)

from .conftest import ROOT
from .helpers import data_for, two_level_model

PILLARS = {"P1": ["a1", "a2"], "P2": ["b1", "b2"], "P3": ["c1", "c2"]}
IDS = ["A", "B", "C", "D", "E", "F"]
NAMES = ["Aachen", "Bern", "Vienna", "Dublin", "Essen", "Faro"]


def constructed(design: UncertaintyDesign | None = None) -> IndexView:
    """A is best on every indicator (first in every variant); B and C are close and trade places
    with the weights (B strong on P1, C on P2); D, E, F are far behind."""
    x = np.array([
        [100, 100, 100, 100, 100, 100],
        [80, 80, 60, 60, 70, 70],
        [60, 60, 80, 80, 70, 70],
        [30, 32, 31, 30, 33, 30],
        [20, 22, 21, 25, 20, 20],
        [10, 12, 11, 10, 13, 10],
    ], dtype=float)
    design = design or UncertaintyDesign(
        weight_noise=((2, 0.25),),
        normalisations=(Normalisation("minmax", 1, 100), Normalisation("zscore", mean=10, sd=2)))
    m = two_level_model(PILLARS, normalisation=Normalisation("minmax", 1, 100), uncertainty=design)
    d = data_for(m, x, ids=IDS)
    return IndexView(m, replace(d, names=tuple(NAMES)))


def stored_ranks(view: IndexView, reps: int, seed: int) -> np.ndarray:
    return np.vstack(list(replication_ranks(view, reps, seed, chunk_size=97)))


def test_constructed_verdicts():
    v = constructed()
    res = city_claims(v, replications=2000, seed=7, claims=["top 3", "ahead of Vienna", "rank 2"])
    assert res.n_runs == 2000 and res.threshold == 0.9
    a = res.city("A")
    assert a.nominal_rank == 1 and (a.q05_rank, a.median_rank, a.q95_rank) == (1.0, 1.0, 1.0)
    verdict = {x.claim: x for x in a.verdicts}
    assert verdict["top 3"].share == 1.0 and verdict["top 3"].holds
    assert verdict["rank 1"].share == 1.0 and verdict["ahead of Vienna"].share == 1.0
    assert verdict["rank 2"].share == 0.0 and not verdict["rank 2"].holds
    assert "holds: true in 100.0% of the 2,000 plausible variants" in verdict["top 3"].sentence
    assert a.best_top_n == 1 and a.indistinguishable == ()
    # B and C trade places: both always top 3, neither can claim to be ahead of the other
    b, c = res.city("B"), res.city("C")
    for city in (b, c):
        vd = {x.claim: x for x in city.verdicts}
        assert vd["top 3"].share == 1.0 and vd["top 3"].holds
        assert city.best_top_n == 3
    vb = {x.claim: x for x in b.verdicts}
    assert 0.1 < vb["ahead of Vienna"].share < 0.9 and not vb["ahead of Vienna"].holds
    assert "C" in b.indistinguishable and "B" in c.indistinguishable and "A" not in b.indistinguishable
    # C's own claims do not include "ahead of itself"
    assert all(x.claim != "ahead of Vienna" for x in c.verdicts)
    # D is 4th in every variant: far from E and F
    d = res.city("D")
    assert d.indistinguishable == () and {x.claim: x.share for x in d.verdicts}["rank 4"] == 1.0
    doc = res.to_dict()
    assert doc["cities"][0]["id"] == "A" and doc["overlap_rule"].startswith("5-95%")


def test_shares_equal_the_stored_replications_and_threshold_is_configurable():
    v = constructed()
    reps, seed = 1500, 3
    ranks = stored_ranks(v, reps, seed)
    assert ranks.shape == (reps, 6)
    res = city_claims(v, replications=reps, seed=seed, claims=["top 2", "ahead of C"], pairwise=True)
    for u, cid in enumerate(IDS):
        cc = res.city(cid)
        # reported with the audit's significant digits (stats.result.clean_number)
        np.testing.assert_allclose([cc.q05_rank, cc.median_rank, cc.q95_rank],
                                   np.quantile(ranks[:, u], [0.05, 0.5, 0.95]), rtol=1e-11)
        shares = {x.claim: x.share for x in cc.verdicts}
        assert shares["top 2"] == np.mean(ranks[:, u] <= 2)
        if cid != "C":
            assert shares["ahead of Vienna"] == np.mean(ranks[:, u] < ranks[:, 2])
    full = (ranks[:, :, None] < ranks[:, None, :]).sum(axis=0)
    np.testing.assert_array_equal(res.ahead, full)
    assert res.ahead_share("B", "C") == pytest.approx(np.mean(ranks[:, 1] < ranks[:, 2]))
    share = res.ahead_share("B", "C")
    lo = city_claims(v, replications=reps, seed=seed, claims=["ahead of C"], cities=["B"],
                     threshold=max(share - 0.01, 0.01), defaults=False)
    hi = city_claims(v, replications=reps, seed=seed, claims=["ahead of C"], cities=["B"],
                     threshold=min(share + 0.01, 1.0), defaults=False)
    assert lo.cities[0].verdicts[0].holds and not hi.cities[0].verdicts[0].holds
    assert len(lo.cities) == 1 and len(lo.cities[0].verdicts) == 1


def test_chunking_does_not_change_claims():
    v = constructed()
    a = city_claims(v, replications=800, seed=2, chunk_size=13)
    b = city_claims(v, replications=800, seed=2, chunk_size=5000)
    assert a.to_dict() == b.to_dict()


def test_refusals(monkeypatch):
    v = constructed()
    with pytest.raises(ClaimError, match="threshold"):
        city_claims(v, threshold=1.5)
    monkeypatch.setattr(claims_mod, "PAIRWISE_CAP", 5)
    with pytest.raises(ClaimError, match="the cap is 5 cities"):
        city_claims(v, replications=100, pairwise=True)
    empty = constructed(UncertaintyDesign())
    with pytest.raises(ClaimError, match="varies no assumption"):
        city_claims(empty)
    with pytest.raises(ClaimError, match="near matches: Vienna"):
        city_claims(v, replications=100, claims=["ahead of Viena"])


def test_parse_claim():
    ids, names = IDS, NAMES
    assert parse_claim("top 3", ids, names) == Claim("top", 3)
    assert parse_claim("  Top   5 ", ids, names) == Claim("top", 5)
    assert parse_claim("rank 3", ids, names) == Claim("rank", 3)
    assert parse_claim("3rd", ids, names) == Claim("rank", 3)
    assert parse_claim("#2", ids, names) == Claim("rank", 2)
    assert parse_claim("ahead of Vienna", ids, names) == Claim("ahead", other="C")
    assert parse_claim("ahead of vienna", ids, names) == Claim("ahead", other="C")
    assert parse_claim("better than d", ids, names) == Claim("ahead", other="D")
    with pytest.raises(ClaimError, match=r"unknown city 'Wien'"):
        parse_claim("ahead of Wien", ids, names)
    with pytest.raises(ClaimError, match="near matches: Dublin"):
        parse_claim("above Dublinn", ids, names)
    with pytest.raises(ClaimError, match=r"within 1\.\.6"):
        parse_claim("top 7", ids, names)
    with pytest.raises(ClaimError, match="cannot read the claim"):
        parse_claim("best city", ids, names)


def test_asem_intervals_equal_the_audit():
    loaded = load_spec(str(ROOT / "fixtures" / "asem" / "asem.yaml"))
    reps, seed = 1200, 5
    audit = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=reps, seed=seed, n_boot=10)
    res = claims_from_spec(loaded.spec, loaded.spec_dir, replications=reps, seed=seed, claims=["top 10"])
    assert res.n_runs == audit.parameters.replications
    by_id = {c.id: c for c in res.cities}
    assert len(by_id) == len(audit.units) == 51
    for u in audit.units:
        c = by_id[u.id]
        assert (c.nominal_rank, c.q05_rank, c.median_rank, c.q95_rank) == (
            u.rank, u.q05_rank, u.median_rank, u.q95_rank), u.id
    assert res.assumptions == tuple(audit.parameters.assumptions)


def test_spec_without_data_says_what_it_needs(tmp_path):
    doc = {"spec_version": 1, "ranking": {"name": "No data", "edition": "2024"}, "publisher": {"name": "P"},
           "cities": {"count": 2, "list": [{"name": "Alpha", "id": "A"}, {"name": "Beta", "id": "B"}]},
           "structure": {"children": [{"id": "x", "name": "X"}]}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    loaded = load_spec(str(path))
    with pytest.raises(SpecError) as exc:
        claims_from_spec(loaded.spec, loaded.spec_dir)
    assert "data.values" in str(exc.value.diagnostics[0].message)

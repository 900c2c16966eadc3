"""ASEM (COINr example data): nominal build against a literal transcription of COINr's steps."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import replace

import numpy as np
from scipy import stats

from rankaudit.stats.audit import run_audit
from rankaudit.stats.model import Normalisation, UncertaintyDesign
from rankaudit.stats.pipeline import build_index
from tests.stats.coinr import coinr_aggregate

from .conftest import ASEM_DATA, ASEM_META


def coinr_reference():
    """Scores per COINr 1.1 semantics, written with plain Python loops.

    Normalise.numeric: x * direction, then n_minmax (min/max with na.rm) onto [0, 100];
    Aggregate: a_amean drops NA children and re-normalises their weights (w/sum(w)).
    """
    with open(ASEM_META, encoding="utf-8") as fh:
        meta = list(csv.DictReader(fh))
    with open(ASEM_DATA, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    inds = [m for m in meta if m["Type"] == "Indicator"]
    val = {}
    for m in inds:
        col = [float(r[m["iCode"]]) * int(m["Direction"]) if r[m["iCode"]] not in ("", "NA") else None
               for r in rows]
        present = [v for v in col if v is not None]
        lo, hi = min(present), max(present)
        val[m["iCode"]] = [None if v is None else (v - lo) / (hi - lo) * 100 for v in col]
    coinr_aggregate(meta, len(rows), val)
    return [r["uCode"] for r in rows], val


def test_asem_nominal_matches_coinr_semantics(asem):
    model, data = asem
    assert data.values.shape == (51, 49)
    assert int(np.isnan(data.values).sum()) == 63
    assert len(model.hierarchy[0]) == 8 and len(model.hierarchy[1]) == 2
    assert sum(d == -1 for d in model.directions) == 14
    b = build_index(model, data)
    ids, ref = coinr_reference()
    assert list(data.ids) == ids
    for node in ("Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social", "SusEcFin",
                 "Conn", "Sust", "Index"):
        np.testing.assert_allclose(b.scores[node], np.array(ref[node], dtype=float), rtol=1e-12, atol=1e-10)
    assert np.isfinite(b.index).all()
    expected_rank = stats.rankdata(-np.array(ref["Index"]), method="min")
    np.testing.assert_array_equal(b.ranks, expected_rank)
    assert sorted(b.ranks.astype(int).tolist()) == list(range(1, 52))
    assert 0 < b.index.min() < b.index.max() < 100


def test_asem_full_audit_json(asem):
    model, data = asem
    model = replace(model, normalisation=Normalisation("minmax", 1, 100), uncertainty=UncertaintyDesign(
        weight_noise=((2, 0.25), (3, 0.25)),
        normalisations=(Normalisation("minmax", 1, 100), Normalisation("zscore", mean=10, sd=2)),
        aggregations=("arithmetic", "geometric"),
    ))
    res = run_audit(model, data, replications=1200, seed=42, n_boot=200)
    doc = json.loads(res.model_dump_json())
    assert doc["n_units"] == 51 and doc["n_indicators"] == 49 and doc["n_missing"] == 63

    def finite(o):
        if isinstance(o, float):
            return math.isfinite(o)
        if isinstance(o, dict):
            return all(finite(v) for v in o.values())
        if isinstance(o, list):
            return all(finite(v) for v in o)
        return True

    assert finite(doc)
    assert "NaN" not in res.model_dump_json()
    assert len(doc["sensitivity"]) == 4
    assert {s["assumption"] for s in doc["sensitivity"]} >= {"normalisation", "aggregation"}
    units = doc["units"]
    assert all(u["q05_rank"] <= u["median_rank"] <= u["q95_rank"] for u in units)
    assert {u["rank"] for u in units} <= set(range(1, 52))
    rob = doc["robustness"]
    assert 0 <= rob["share_nominal_within_2_of_median"] <= 1
    assert rob["dominant_assumption"] in {s["assumption"] for s in doc["sensitivity"]}
    # correlation matrices are complete and symmetric where they should be
    ind = next(c for c in doc["correlations"] if c["name"] == "indicators")
    assert len(ind["values"]) == 49 and ind["values"][0][0] == 1.0
    # known structure of ASEM: TBTs runs against its Institutional pillar mates
    neg = {(f["a"], f["b"]) for f in doc["correlation_flags"] if f["kind"] == "negative"}
    assert ("TBTs", "RTAs") in neg
    assert doc["importance"]["divergence"] > 0
    assert len(doc["remove_one"]) == 49 + 8 + 2

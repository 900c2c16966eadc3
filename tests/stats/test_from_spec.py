"""Spec -> IndexModel mapping and the run_statistical_audit entry point."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import load_spec
from rankaudit.stats.from_spec import model_from_spec, run_statistical_audit
from rankaudit.stats.pipeline import build_index
from tests.test_loader import yaml_backend  # noqa: F401  (every test of this module under both YAML back ends)

from .conftest import ROOT


def write_spec(folder, doc, csv_text=None, published=None):
    if csv_text is not None:
        (folder / "values.csv").write_text(csv_text, encoding="utf-8")
    if published is not None:
        (folder / "published.csv").write_text(published, encoding="utf-8")
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return load_spec(str(path))


def ragged_doc(**extra):
    doc = {
        "spec_version": 1,
        "ranking": {"name": "Ragged", "edition": "2024"},
        "publisher": {"name": "P"},
        "cities": {"count": 4, "list": [{"name": "Alpha", "id": "A"}, {"name": "Beta", "id": "B"},
                                         {"name": "Gamma", "id": "C"}, {"name": "Delta", "id": "D"}]},
        "method": {"normalisation": "minmax", "aggregation": "arithmetic", "weighting": "relative"},
        "structure": {"children": [
            {"id": "safety", "name": "Safety", "weight": 2},  # an indicator directly under the index
            {"id": "econ", "name": "Economy", "weight": 1, "children": [
                {"id": "inc", "name": "Income", "children": [
                    {"id": "gdp", "name": "GDP", "weight": 2},
                    {"id": "wage", "name": "Wages", "weight": 1},
                ]},
                {"id": "jobs", "name": "Jobs", "direction": "higher"},
            ]},
        ]},
        "data": {"values": "values.csv"},
    }
    doc.update(extra)
    return doc


RAGGED_CSV = "id,safety,gdp,wage,jobs\nA,10,1,5,40\nB,20,3,3,20\nC,30,2,1,30\nD,40,4,4,10\n"


def test_ragged_tree_is_levelled_with_hidden_pass_through_nodes(tmp_path):
    loaded = write_spec(tmp_path, ragged_doc(), RAGGED_CSV)
    mapped = model_from_spec(loaded.spec)
    m = mapped.model
    assert m.indicators == ("safety", "gdp", "wage", "jobs")
    assert m.n_levels == 4  # indicators, inc (+pads), econ (+pad), index
    assert set(m.aliases.values()) == {"safety", "jobs"}
    assert any("direction of indicator 'safety'" in w for w in mapped.warnings)
    data_res = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=0, seed=1)
    # hand computation with min-max [0, 100]:
    # safety 0 33.3 66.7 100; gdp 0 66.7 33.3 100; wage 100 50 0 75; jobs 100 33.3 66.7 0
    # inc = (2 gdp + wage)/3; econ = (inc + jobs)/2; index = (2 safety + econ)/3
    safety = np.array([0, 100 / 3, 200 / 3, 100])
    inc = (2 * np.array([0, 200 / 3, 100 / 3, 100]) + np.array([100, 50, 0, 75])) / 3
    econ = (inc + np.array([100, 100 / 3, 200 / 3, 0])) / 2
    index = (2 * safety + econ) / 3
    got = {u.id: u for u in data_res.units}
    np.testing.assert_allclose([got[k].score for k in "ABCD"], index, rtol=1e-5)
    assert [got[k].name for k in "ABCD"] == ["Alpha", "Beta", "Gamma", "Delta"]
    # hidden nodes never reach the results
    assert all("~" not in k for u in data_res.units for k in u.scores)
    assert all("~" not in g.id for g in data_res.groups)
    assert {r.element for r in data_res.remove_one} == {"safety", "gdp", "wage", "jobs", "inc", "econ"}
    assert {i.id: i.parent for i in data_res.indicators}["safety"] == "index"
    econ_group = next(g for g in data_res.groups if g.id == "econ")
    assert econ_group.children == ["inc", "jobs"]
    w = {i.indicator: i.effective_weight for i in data_res.importance.items}
    assert w["safety"] == pytest.approx(2 / 3) and w["gdp"] == pytest.approx(1 / 3 * 1 / 2 * 2 / 3)


def test_weight_noise_depths_map_to_levels(tmp_path):
    doc = ragged_doc(uncertainty={"weights": {"factor": 0.2, "levels": [1, 3]}})
    m = model_from_spec(write_spec(tmp_path, doc, RAGGED_CSV).spec).model
    # depth 1 (index children) = level 3, depth 3 (gdp, wage) = level 1 of a 4-level model
    assert m.uncertainty.weight_noise == ((1, 0.2), (3, 0.2))


def test_default_design_is_jrc(tmp_path):
    mapped = model_from_spec(write_spec(tmp_path, ragged_doc(), RAGGED_CSV).spec)
    u = mapped.model.uncertainty
    assert mapped.default_design
    assert u.weight_noise == ((2, 0.25), (3, 0.25))
    # the declared normalisation (here the assumed min-max [0, 100]) is one of the alternatives (issue 11)
    assert [n.label() for n in u.normalisations] == ["minmax[0,100]", "minmax[1,100]", "zscore(mean=10,sd=2)"]
    assert u.aggregations == ("arithmetic", "geometric")


def test_asem_spec_matches_direct_build(asem):
    loaded = load_spec(str(ROOT / "fixtures" / "asem" / "asem.yaml"))
    res = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=300, seed=2, positions=loaded.positions,
                                n_boot=50)
    model, data = asem
    b = build_index(model, data)
    np.testing.assert_allclose([u.score for u in res.units], np.round(b.index, 3), rtol=1e-5, atol=1e-3)
    assert [u.rank for u in res.units] == b.ranks.astype(int).tolist()
    assert res.parameters.assumptions == ["weights (level 2, ±25%)", "weights (level 1, ±25%)", "normalisation",
                                          "aggregation"]
    # COINr's ASEM design varies min-max [1, 100] and z-scores, not the nominal min-max [0, 100]: said, not changed
    assert res.warnings == ["the uncertainty design's normalisation alternatives leave out the declared "
                            "normalisation (minmax[0,100]): the nominal build is not one of the builds compared"]


def test_reproduction_from_published_file(tmp_path):
    pub = "id,score,rank\nA,1,4\nB,2,2\nC,3,3\nD,4,1\n"
    doc = ragged_doc()
    doc["data"] = {"values": "values.csv", "published": "published.csv"}
    loaded = write_spec(tmp_path, doc, RAGGED_CSV, pub)
    res = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=0, seed=1)
    assert res.reproduction is not None and res.reproduction.compared_by == "score"
    assert res.reproduction.n_compared == 4


@pytest.mark.parametrize(("csv_text", "code", "line", "column", "text"), [
    ("id,safety,gdp,wage,jobs\nA,10,1,5,40\nB,x,3,3,20\n", "RA301", 3, 2, "non-numeric value 'x'"),
    ("id,safety,gdp,wage\nA,10,1,5\n", "RA301", 1, None, "missing indicator column 'jobs'"),
    ("id,safety,gdp,wage,jobs\nZ,10,1,5,40\n", "RA301", 2, 1, "unknown unit id 'Z'"),
])
def test_data_errors_become_located_diagnostics(tmp_path, csv_text, code, line, column, text):
    loaded = write_spec(tmp_path, ragged_doc(), csv_text)
    with pytest.raises(SpecError) as exc:
        run_statistical_audit(loaded.spec, loaded.spec_dir, replications=0, seed=1)
    d = exc.value.diagnostics[0]
    assert (d.code, d.line, d.column) == (code, line, column)
    assert text in d.message and d.file.endswith("values.csv")


def test_unlisted_children_are_a_located_model_error(tmp_path):
    doc = ragged_doc()
    doc["structure"]["children"][1]["children"] = "undisclosed"
    loaded = write_spec(tmp_path, doc, RAGGED_CSV)
    with pytest.raises(SpecError) as exc:
        run_statistical_audit(loaded.spec, loaded.spec_dir, replications=0, seed=1, positions=loaded.positions)
    d = exc.value.diagnostics[0]
    assert d.code == "RA303" and "does not list its children" in d.message
    assert d.file.endswith("spec.yaml") and d.line is not None


def test_coinr_design_options_reach_the_engine_from_the_spec(tmp_path):
    doc = ragged_doc(uncertainty={"weights": {"factor": 0.25, "sets": 20}, "sobol_estimator": "coinr",
                                  "normalisation": ["minmax", "zscore"]})
    loaded = write_spec(tmp_path, doc, RAGGED_CSV)
    design = model_from_spec(loaded.spec).model.uncertainty
    assert design.weight_sets == 20 and design.sobol_estimator == "coinr"
    res = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=200, seed=1, n_boot=20)
    assert res.parameters.assumptions[0].startswith("weights (20 sets, levels")
    assert res.parameters.design["uncertainty"]["sobol_estimator"] == "coinr"

"""Denomination (COINr ``Denominate``): indicators divided by a size column before any other step.

Known answers come from ``tests.stats.coinr.coinr_denominate``, COINr's formula written out with plain
loops (bluefoxr/COINr R/denominate.R, commit 035364d: ``Denominate.coin`` l. 85-91 takes iMeta's
Denominator column, ``Denominate.data.frame`` l. 186-190 and 233-241 computes
``x / (denominator / ScaleFactor)`` with ScaleFactor 1 by default).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml

from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import check_data_files, load_spec
from rankaudit.stats.from_spec import bind_data, model_from_spec, run_statistical_audit
from rankaudit.stats.methods import MethodError
from rankaudit.stats.methods.denomination import Denomination
from rankaudit.stats.model import Imputation, Normalisation, OutlierTreatment
from rankaudit.stats.pipeline import build_index
from rankaudit.stats.transform import denominate
from tests.stats.coinr import coinr_aggregate, coinr_denominate, model_from_imeta, read_idata, read_imeta
from tests.test_loader import yaml_backend  # noqa: F401  (every test of this module under both YAML back ends)

from .conftest import ASEM_DATA, ASEM_META, ROOT

FULL = ROOT / "fixtures" / "asem" / "asem-full.yaml"
SIMPLE = ROOT / "fixtures" / "asem" / "asem.yaml"


@pytest.fixture(scope="module")
def full():
    loaded = load_spec(str(FULL))
    return bind_data(loaded.spec, loaded.spec_dir)


def _as_array(cols: dict[str, list[float | None]], order: tuple[str, ...]) -> np.ndarray:
    return np.array([[math.nan if v is None else v for v in cols[c]] for c in order], dtype=float).T


def _raw_values(order: tuple[str, ...]) -> np.ndarray:
    rows = read_idata(ASEM_DATA)
    return _as_array({c: [None if r[c] in ("", "NA") else float(r[c]) for r in rows] for c in order}, order)


def test_asem_denominated_table_equals_coinr_formula(full):
    meta = read_imeta(ASEM_META)
    ref = _as_array(coinr_denominate(read_idata(ASEM_DATA), meta), full.data.indicators)
    got = full.data.values
    assert got.shape == (51, 49)
    # the same missing cells: the raw table's 63, plus LAO's Elec and Gas (its Energy is NA: NA quotient, as in R)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    assert int(np.isnan(got).sum()) == 65
    lao = full.data.ids.index("LAO")
    assert np.isnan(full.data.numeric["Energy"][lao])
    assert [full.data.indicators[j] for j in np.flatnonzero(np.isnan(got[lao]) & ~np.isnan(
        _raw_values(full.data.indicators)[lao]))] == ["Elec", "Gas"]
    ok = ~np.isnan(ref)
    assert float(np.max(np.abs(got[ok] - ref[ok]))) <= 1e-12
    # the same operation in the same order: the quotients are bit for bit COINr's
    np.testing.assert_array_equal(got[ok], ref[ok])
    # 17 indicators were divided, the other 32 are the raw values
    divided = [i for i, d in zip(full.data.indicators, full.mapped.denominations, strict=True) if d is not None]
    assert len(divided) == 17 == sum(1 for m in meta if m["Type"] == "Indicator" and m["Denominator"])
    assert {d.column for d in full.mapped.denominations if d is not None} == {"Area", "Energy", "GDP", "Population"}
    flights = full.data.indicators.index("Flights")
    aut = full.data.ids.index("AUT")
    assert got[aut, flights] == 29.01725 / 8735.453  # iData: Flights 29.01725, Population 8735.453


def test_coinr_tables_denominated_through_the_api_equal_the_spec_route(full):
    from tests.stats.coinr import load_coinr

    _, data = load_coinr(ASEM_DATA, ASEM_META, denominate=True)
    assert data.indicators == full.data.indicators and data.ids == full.data.ids
    np.testing.assert_array_equal(data.values, full.data.values)


def test_scale_factor_is_applied_as_coinr_does():
    meta = [m | {"Denominator": "Population"} if m["iCode"] == "Flights" else m | {"Denominator": ""}
            for m in read_imeta(ASEM_META)]
    ref = coinr_denominate(read_idata(ASEM_DATA), meta, scale={"Flights": 1000.0})["Flights"]
    model = model_from_imeta(read_imeta(ASEM_META))
    from rankaudit.stats.data import load_values

    data = load_values(ASEM_DATA, model.indicators, id_column="uCode", numeric_columns=("Population",))
    dens = [Denomination("Population", scale=1000) if i == "Flights" else None for i in model.indicators]
    out = denominate(data, dens)
    j = model.indicators.index("Flights")
    np.testing.assert_array_equal(out.values[:, j], np.array(ref, dtype=float))
    untouched = [k for k in range(len(model.indicators)) if k != j]
    np.testing.assert_array_equal(out.values[:, untouched], data.values[:, untouched])
    assert Denomination("Population", 1000).label() == "divide (scale 1000) by Population"
    with pytest.raises(MethodError, match="above 0"):
        Denomination("Population", scale=0)
    with pytest.raises(MethodError, match="finite"):
        Denomination("Population", scale=math.inf)


def _coinr_full_without_treatment(full) -> tuple[list[str], dict[str, list[float | None]]]:
    """COINr's build from the raw table up to aggregation, with loops: Denominate (as above), Impute with
    i_mean_grp by EurAsia_group (a missing value takes the mean of its group's available values), n_minmax
    [0, 100] after multiplying by the direction, a_amean over the available children."""
    meta = read_imeta(ASEM_META)
    rows = read_idata(ASEM_DATA)
    val = coinr_denominate(rows, meta)
    groups = [r["EurAsia_group"] for r in rows]
    inds = [m for m in meta if m["Type"] == "Indicator"]
    for m in inds:
        col = val[m["iCode"]]
        means = {}
        for g in set(groups):
            present = [v for v, gg in zip(col, groups, strict=True) if gg == g and v is not None]
            assert present, "every EurAsia group has data for every indicator (i_mean_grp never falls back)"
            means[g] = sum(present) / len(present)
        col = [means[g] if v is None else v for v, g in zip(col, groups, strict=True)]
        col = [v * int(m["Direction"]) for v in col]
        lo, hi = min(col), max(col)
        val[m["iCode"]] = [(v - lo) / (hi - lo) * 100 for v in col]
    coinr_aggregate(meta, len(rows), val)
    return [r["uCode"] for r in rows], val


def test_full_build_from_raw_data_matches_coinr_loops(full):
    model = replace(full.mapped.model, outliers=OutlierTreatment())  # Treat is checked against COINr elsewhere
    assert model.imputation == Imputation("group_mean", "EurAsia_group")
    assert model.normalisation == Normalisation("minmax", 0, 100)
    b = build_index(model, full.data)
    ids, ref = _coinr_full_without_treatment(full)
    assert list(full.data.ids) == ids
    worst = 0.0
    for node in ("Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social", "SusEcFin",
                 "Conn", "Sust"):
        np.testing.assert_allclose(b.scores[node], np.array(ref[node], dtype=float), rtol=1e-12, atol=1e-10)
        worst = max(worst, float(np.max(np.abs(b.scores[node] - np.array(ref[node], dtype=float)))))
    (index_id,) = (n.id for n in model.hierarchy[-1])
    np.testing.assert_allclose(b.scores[index_id], np.array(ref["Index"], dtype=float), rtol=1e-12, atol=1e-10)
    assert worst < 1e-10


def test_raw_data_route_equals_the_denominated_table_route(full):
    """The full build (with winsorisation) from the raw table and the denomination step gives the same scores
    and ranks as the same method fed COINr's denominated table directly (the route the COINr parity run
    checked: all aggregates within 4e-13 of COINr)."""
    meta = read_imeta(ASEM_META)
    table = _as_array(coinr_denominate(read_idata(ASEM_DATA), meta), full.data.indicators)
    pre = replace(full.data, values=table)
    model = full.mapped.model
    a, b = build_index(model, full.data), build_index(model, pre)
    np.testing.assert_array_equal(a.index, b.index)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    assert any(t.kind == "winsorised" for t in a.prepared.treatments)
    # and the full build is another index than the simple one: denomination moves ranks
    simple = load_spec(str(SIMPLE))
    s = build_index(model_from_spec(simple.spec).model, bind_data(simple.spec, simple.spec_dir).data)
    assert int(np.sum(s.ranks != a.ranks)) > 20


def test_scale_bias_check_reads_the_denominated_indicators(full):
    res = run_statistical_audit(*_loaded(FULL), replications=0, seed=1)
    pairs = {(d.indicator, d.denominator): d for d in res.denominators}
    assert len(pairs) == 49 * 4
    goods = full.data.indicators.index("Goods")
    x, gdp = full.data.values[:, goods], full.data.numeric["GDP"]
    ok = ~np.isnan(x) & ~np.isnan(gdp)
    r = float(np.corrcoef(x[ok], gdp[ok])[0, 1])
    assert pairs[("Goods", "GDP")].r == pytest.approx(r, abs=1e-6)  # results carry 6 digits
    raw = load_spec(str(SIMPLE))
    raw_res = run_statistical_audit(raw.spec, raw.spec_dir, replications=0, seed=1)
    raw_pairs = {(d.indicator, d.denominator): d for d in raw_res.denominators}
    # trade in goods grows with GDP (r = 0.80, flagged); trade per unit of GDP does not (r = -0.38)
    assert raw_pairs[("Goods", "GDP")].flagged and not pairs[("Goods", "GDP")].flagged
    assert sum(d.flagged for d in raw_res.denominators) == 10
    assert sum(d.flagged for d in res.denominators) == 0
    assert res.parameters is not None and res.parameters.design["denomination"]["Goods"] == "divide by GDP"
    assert raw_res.parameters is not None and "denomination" not in raw_res.parameters.design


def test_sr07_rule_on_the_raw_and_the_denominated_builds():
    from rankaudit.audit import audit_file
    from rankaudit.config import Config

    verdicts = {}
    for path in (SIMPLE, FULL):
        result = audit_file(str(path), Config(), replications=0)
        sr07 = next(f for f in result.findings if f.code == "SR07")
        verdicts[path.name] = (sr07.score, len(sr07.evidence.get("pairs", [])))
    assert verdicts == {"asem.yaml": (0, 10), "asem-full.yaml": (2, 0)}


def _loaded(path: Path):
    loaded = load_spec(str(path))
    return loaded.spec, loaded.spec_dir


# ------------------------------------------------------------------------------------------------
# located errors
# ------------------------------------------------------------------------------------------------
def _doc(**indicator_extra: object) -> dict:
    return {
        "spec_version": 1,
        "ranking": {"name": "D", "edition": "2024"},
        "publisher": {"name": "P"},
        "cities": {"count": 3, "list": [{"name": "A", "id": "a"}, {"name": "B", "id": "b"},
                                         {"name": "C", "id": "c"}]},
        "method": {"normalisation": "minmax", "aggregation": "arithmetic"},
        "structure": {"children": [
            {"id": "flights", "name": "Flights", **indicator_extra},
            {"id": "safety", "name": "Safety"},
        ]},
        "data": {"values": "values.csv", "denominators": ["pop"]},
    }


def _write(folder: Path, doc: dict, csv_text: str) -> Path:
    (folder / "values.csv").write_text(csv_text, encoding="utf-8")
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


CSV = "id,flights,safety,pop\na,10,1,5\nb,20,3,4\nc,30,2,NA\n"


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_a_missing_denominator_leaves_the_quotient_missing(tmp_path):
    loaded = load_spec(str(_write(tmp_path, _doc(denominator="pop"), CSV)))
    bound = bind_data(loaded.spec, loaded.spec_dir)
    np.testing.assert_array_equal(bound.data.values[:, 0], [2.0, 5.0, np.nan])
    np.testing.assert_array_equal(bound.data.values[:, 1], [1.0, 3.0, 2.0])


def test_scale_in_the_spec(tmp_path):
    loaded = load_spec(str(_write(tmp_path, _doc(denominator={"column": "pop", "scale": 1000}), CSV)))
    bound = bind_data(loaded.spec, loaded.spec_dir)
    np.testing.assert_array_equal(bound.data.values[:2, 0], [10 / (5 / 1000), 20 / (4 / 1000)])


def test_undeclared_denominator_is_located(tmp_path):
    path = _write(tmp_path, _doc(denominator="people"), CSV)
    with pytest.raises(SpecError) as exc:
        load_spec(str(path))
    (d,) = exc.value.diagnostics
    assert d.code == "RA118" and "'people'" in d.message and "pop" in d.message
    assert d.line == _line_of(path, "denominator: people")
    doc = _doc(denominator="pop")
    del doc["data"]
    with pytest.raises(SpecError) as exc:
        load_spec(str(_write(tmp_path, doc, CSV)))
    assert [x.code for x in exc.value.diagnostics] == ["RA118"]
    assert "none declared" in exc.value.diagnostics[0].message


def test_model_from_spec_refuses_an_undeclared_denominator():
    """A Spec built in Python skips the semantic checks: the mapping itself refuses, with the spec path."""
    from rankaudit.spec.models import Spec
    from rankaudit.stats.from_spec import _Fail

    spec = Spec.model_validate(_doc(denominator="people"))
    with pytest.raises(_Fail) as exc:
        model_from_spec(spec)
    assert exc.value.path == ("structure", "children", 0, "denominator")
    assert "'people'" in exc.value.message


def test_no_undeclared_denominator_error_when_the_data_section_itself_is_invalid(tmp_path):
    """`data.denominators: 5` is the error to report; the denominator it would have declared is not undeclared."""
    doc = _doc(denominator="pop")
    doc["data"]["denominators"] = 5
    with pytest.raises(SpecError) as exc:
        load_spec(str(_write(tmp_path, doc, CSV)))
    assert [d.code for d in exc.value.diagnostics] == ["RA103"]


@pytest.mark.parametrize("scale", [0, -2, ".inf", "x"])
def test_bad_scale_is_a_located_schema_error(tmp_path, scale):
    path = _write(tmp_path, _doc(denominator={"column": "pop", "scale": scale}), CSV)
    if scale == ".inf":
        path.write_text(path.read_text().replace("'.inf'", ".inf"))
    with pytest.raises(SpecError) as exc:
        load_spec(str(path))
    (d,) = exc.value.diagnostics
    assert d.code == "RA103" and d.line == _line_of(path, "scale:")


@pytest.mark.parametrize(("cell", "line"), [("0", 3), ("-4", 3), ("0.0", 3)])
def test_zero_or_negative_denominator_is_located_at_its_cell(tmp_path, cell, line):
    csv_text = f"id,flights,safety,pop\na,10,1,5\nb,20,3,{cell}\nc,30,2,3\n"
    path = _write(tmp_path, _doc(denominator="pop"), csv_text)
    loaded = load_spec(str(path))
    (v,) = check_data_files(loaded.spec, loaded.spec_dir)  # validate
    with pytest.raises(SpecError) as exc:  # audit
        run_statistical_audit(loaded.spec, loaded.spec_dir, replications=0, seed=1)
    (a,) = exc.value.diagnostics
    for d in (v, a):
        assert (d.code, d.line, d.column) == ("RA301", line, 4)
        assert f"denominator '{cell}' in column 'pop' is not above zero" in d.message
        assert d.file.endswith("values.csv")


def test_zero_size_is_fine_when_nothing_is_divided_by_it(tmp_path):
    csv_text = "id,flights,safety,pop\na,10,1,0\nb,20,3,4\nc,30,2,3\n"
    loaded = load_spec(str(_write(tmp_path, _doc(), csv_text)))  # pop declared for SR07 only
    assert check_data_files(loaded.spec, loaded.spec_dir) == []
    bound = bind_data(loaded.spec, loaded.spec_dir)
    assert bound.mapped.denominations == ()
    np.testing.assert_array_equal(bound.data.values[:, 0], [10, 20, 30])


def test_denominator_column_missing_from_the_file_is_located(tmp_path):
    path = _write(tmp_path, _doc(denominator="pop"), "id,flights,safety\na,10,1\nb,20,3\nc,30,2\n")
    loaded = load_spec(str(path))
    (d,) = check_data_files(loaded.spec, loaded.spec_dir)
    assert (d.code, d.line) == ("RA301", 1) and "'pop'" in d.message


def test_cli_reports_a_zero_denominator_located_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from rankaudit.cli import app

    path = _write(tmp_path, _doc(denominator="pop"), "id,flights,safety,pop\na,10,1,5\nb,20,3,0\nc,30,2,3\n")
    bad_cell = tmp_path / "other"
    bad_cell.mkdir()
    other = _write(bad_cell, _doc(denominator="pop"), "id,flights,safety,pop\na,10,1,5\nb,x,3,4\nc,30,2,3\n")
    for command in (["validate"], ["audit", "--replications", "0"]):
        result = CliRunner().invoke(app, [*command, str(path)])
        # the exit code of every other data error (a non-numeric cell), whatever the command's convention is
        assert result.exit_code == CliRunner().invoke(app, [*command, str(other)]).exit_code != 0, result.output
        assert "values.csv:3:4" in result.output and "RA301" in result.output
        assert "Traceback" not in result.output


def test_engine_refuses_a_non_positive_size_in_a_callers_table():
    from rankaudit.stats.data import UnitData

    data = UnitData(ids=("a", "b"), values=np.array([[1.0], [2.0]]), indicators=("x",),
                    numeric={"pop": np.array([2.0, -1.0])})
    with pytest.raises(ValueError, match="'pop' is -1 for unit 'b'"):
        denominate(data, [Denomination("pop")])
    with pytest.raises(ValueError, match="not a numeric column"):
        denominate(data, [Denomination("gdp")])

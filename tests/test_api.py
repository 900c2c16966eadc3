"""The Python API as a notebook uses it: `import rankaudit`, load, audit, tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import rankaudit
from rankaudit.report.formats import REPORTS

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "mori-gpci-2024.yaml"
ASEM = ROOT / "fixtures" / "asem" / "asem.yaml"


def test_import_rankaudit_is_light_and_names_resolve_lazily() -> None:
    probe = (
        "import sys, rankaudit\n"
        "print(sorted(m for m in ('pydantic', 'numpy', 'pandas', 'yaml', 'rankaudit.api') if m in sys.modules))\n"
        "rankaudit.load_spec\n"
        "print('numpy' in sys.modules, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.stdout.splitlines() == ["[]", "False False"], out.stderr


def test_every_public_name_is_importable_from_the_package() -> None:
    for name in rankaudit.__all__:
        assert getattr(rankaudit, name) is not None, name
    with pytest.raises(AttributeError):
        _ = rankaudit.no_such_name  # type: ignore[attr-defined]


def test_audit_is_callable_and_the_engine_module_still_works() -> None:
    import rankaudit.audit as engine  # importing the submodule must not hide the API function

    assert callable(rankaudit.audit)
    assert rankaudit.audit.audit_file is engine.audit_file
    from rankaudit import audit

    assert audit(SPEC, replications=0).overall == engine.audit_file(str(SPEC), replications=0).overall


def test_load_then_audit_gives_what_the_command_line_gives() -> None:
    loaded = rankaudit.load_spec(SPEC)
    assert loaded.spec.ranking.name and loaded.file == str(SPEC)
    result = rankaudit.audit(loaded, replications=0, config=rankaudit.Config())
    assert isinstance(result, rankaudit.AuditResult)
    as_json = json.loads(REPORTS.render("json", [result]))
    assert result.to_dict() == (as_json[0] if isinstance(as_json, list) else as_json["results"][0])


def test_findings_and_scores_frames() -> None:
    result = rankaudit.audit(SPEC, replications=0, config=rankaudit.Config())
    findings = result.findings_frame()
    assert isinstance(findings, pd.DataFrame)
    assert list(findings["code"]) == [f.code for f in result.findings]
    assert {"level", "score", "cost", "line", "column", "path"} <= set(findings.columns)
    assert str(findings["line"].dtype) == "Int64"
    scores = result.scores_frame()
    assert list(scores.index) == [d.dimension for d in result.dimensions] + ["overall"]
    assert scores.loc["overall", "score"] == result.overall and scores.loc["overall", "grade"] == result.grade
    ranks = result.ranks_frame()  # no data: empty, with its columns
    assert ranks.empty and list(ranks.columns) == ["name", "score", "rank", "median_rank", "q05_rank", "q95_rank"]


def test_select_and_ignore_layer_on_the_configuration() -> None:
    only_op = rankaudit.audit(SPEC, replications=0, config=rankaudit.Config(), select=["op"], ignore=["OP01"])
    codes = {f.code for f in only_op.findings}
    assert codes and all(c.startswith("OP") for c in codes) and "OP01" not in codes
    with pytest.raises(ValueError, match=r"unknown rule '0P01'; did you mean OP01\?"):
        rankaudit.with_rules(rankaudit.Config(), select=["0P01"])


def test_a_broken_spec_raises_spec_error_with_locations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ranking: [\n", encoding="utf-8")
    with pytest.raises(rankaudit.SpecError) as caught:
        rankaudit.load_spec(bad)
    assert caught.value.diagnostics[0].line is not None


def test_data_from_a_path_or_a_dataframe_gives_the_same_audit() -> None:
    loaded = rankaudit.load_spec(ASEM)  # the fixture as it is: data next to the spec
    nominal = rankaudit.audit(loaded, replications=20, seed=3, config=rankaudit.Config())
    frame = pd.read_csv(ASEM.parent / "asem.csv").set_index("uCode")
    from_frame = rankaudit.audit(ASEM, data=frame, replications=20, seed=3, config=rankaudit.Config())
    from_path = rankaudit.audit(ASEM, data=ASEM.parent / "asem.csv", replications=20, seed=3, config=rankaudit.Config())
    ranks = nominal.ranks_frame()
    assert len(ranks) == 51 and ranks["rank"].notna().all()
    pd.testing.assert_frame_equal(from_frame.ranks_frame(), ranks)
    pd.testing.assert_frame_equal(from_path.ranks_frame(), ranks)
    assert from_frame.overall == nominal.overall


def test_data_problems_in_a_dataframe_are_located_errors() -> None:
    frame = pd.read_csv(ASEM.parent / "asem.csv")
    frame["LPI"] = frame["LPI"].astype(object)
    frame.loc[2, "LPI"] = "lots"
    with pytest.raises(rankaudit.SpecError) as caught:
        rankaudit.audit(ASEM, data=frame, replications=0, config=rankaudit.Config())
    (error,) = caught.value.diagnostics
    assert error.code == "RA301" and error.line == 4 and "non-numeric value 'lots'" in error.message

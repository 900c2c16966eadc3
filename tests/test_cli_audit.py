"""`rankaudit audit`, `rules` and `compare` as a user meets them: real processes, exit codes, stable JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from rankaudit.report.formats import COMPARISONS

ROOT = Path(__file__).resolve().parent.parent
WELL_DOCUMENTED = ROOT / "fixtures" / "specs" / "well-documented.yaml"
ASEM = ROOT / "fixtures" / "asem" / "asem.yaml"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rankaudit.cli", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def test_json_has_the_documented_shape() -> None:
    result = run("audit", str(WELL_DOCUMENTED), "--format", "json")
    assert result.returncode == 0, result.stderr
    [audit] = json.loads(result.stdout)
    assert {"file", "ranking", "scores", "overall", "grade", "findings", "units", "sensitivity"} <= set(audit)
    assert set(audit["ranking"]) == {"name", "edition"}
    assert set(audit["scores"]) == {
        "opacity",
        "freshness",
        "comparability",
        "quantitative_bias",
        "statistical_robustness",
    }
    assert audit["scores"]["statistical_robustness"] is None and audit["units"] is None
    for finding in audit["findings"]:
        assert {"code", "dimension", "score", "core", "message", "file", "line", "column"} <= set(finding)
        assert finding["score"] in (0, 1, 2, None)
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)


def test_invalid_spec_exits_1_with_validate_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("spec_version: 1\nranking: {name: X, edition: 1, colour: red}\n", encoding="utf-8")
    terminal = run("audit", str(bad))
    assert terminal.returncode == 1
    assert f"{bad}:2:32: RA101 unknown key 'colour'" in terminal.stdout
    machine = run("audit", str(bad), str(WELL_DOCUMENTED), "--format", "json")
    assert machine.returncode == 1
    assert f"{bad}:2:32: RA101" in machine.stderr
    entries = json.loads(machine.stdout)  # stdout stays parseable, and lists the failed spec too
    assert [a["file"] for a in entries] == [str(WELL_DOCUMENTED), str(bad)]
    assert entries[1]["valid"] is False and entries[1]["errors"][0]["code"] == "RA101"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("audit", str(tmp_path / "nothing.yaml")).returncode == 2
    assert run("audit", str(WELL_DOCUMENTED), "--format", "pdf").returncode == 2
    assert run("audit", str(WELL_DOCUMENTED), "--replications", "-1").returncode == 2
    assert run("rules", "XX99").returncode == 2


def test_statistical_audit_with_data_is_seeded() -> None:
    first = run("audit", str(ASEM), "--replications", "300", "--seed", "7", "--format", "json")
    again = run("audit", str(ASEM), "--replications", "300", "--seed", "7", "--format", "json")
    other = run("audit", str(ASEM), "--replications", "300", "--seed", "8", "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    [audit] = json.loads(first.stdout)
    assert audit["scores"]["statistical_robustness"] is not None
    units = audit["units"]
    assert len(units) == 51
    assert sorted(u["rank"] for u in units)[0] == 1
    for unit in units:
        assert unit["q05_rank"] <= unit["median_rank"] <= unit["q95_rank"]
    assert {s["assumption"] for s in audit["sensitivity"]} >= {"normalisation", "aggregation"}
    assert any(f["code"].startswith("SR") and f["score"] is not None for f in audit["findings"])


def test_zero_replications_skip_the_monte_carlo() -> None:
    result = run("audit", str(ASEM), "--replications", "0", "--format", "json")
    [audit] = json.loads(result.stdout)
    assert all(u["median_rank"] is None and u["q05_rank"] is None for u in audit["units"])
    assert audit["sensitivity"] == []


def test_rules_catalogue() -> None:
    listing = json.loads(run("rules", "--format", "json").stdout)
    assert len(listing) >= 40
    per_prefix = Counter(rule["code"][:2] for rule in listing)
    for prefix in ("OP", "FR", "CM", "QB"):
        assert per_prefix[prefix] >= 10, prefix
    assert all(rule["source"] for rule in listing)
    explained = run("rules", "op02")
    assert explained.returncode == 0
    for part in ("OP02", "Source:", "Scoring:", "PASS", "FAIL"):
        assert part in explained.stdout


@pytest.mark.parametrize("fmt", COMPARISONS.names())
def test_compare_renders_every_format(fmt: str) -> None:
    result = run("compare", "specs/", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "Global Power City Index" in result.stdout


def test_data_no_city_can_be_scored_from_is_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "spec_version: 1\nranking: {name: T, edition: 2024}\npublisher: {name: P}\ncities: {count: 3}\n"
        "method: {normalisation: minmax, aggregation: arithmetic, weighting: equal}\n"
        "data: {values: v.csv}\n"
        "structure:\n  children:\n    - {id: a, name: A}\n    - {id: b, name: B}\n",
        encoding="utf-8",
    )
    (tmp_path / "v.csv").write_text("id,a,b\nx,1,2\ny,1,2\nz,1,2\n", encoding="utf-8")
    result = run("audit", str(spec), "-n", "10", cwd=tmp_path)
    assert result.returncode == 1
    assert "RA303 no city could be scored" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr

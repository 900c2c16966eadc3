"""Issue 15, data loss (and issue 13's "every problem in every machine format" for audit).

A failed run never shortens or empties an existing report; every spec named on the command line
appears in every machine format, with its located error if it failed; stale temporary files are
cleaned up; odd outputs and encodings give a located message, never an internal error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rankaudit.report.formats import REPORTS
from rankaudit.report.write import remove_stale_temporaries, write_output
from tests.report.conftest import DATA, ROOT

BROKEN = "spec_version: 1\nrankng: {}\n"  # RA101 at 2:1 ("did you mean 'ranking'?"), RA102 at 1:1
DATA_FAILS = (  # validates, then fails on its data (RA303: no city can be scored)
    "spec_version: 1\nranking: {name: T, edition: 2024}\npublisher: {name: P}\ncities: {count: 3}\n"
    "method: {normalisation: minmax, aggregation: arithmetic, weighting: equal}\n"
    "data: {values: v.csv}\n"
    "structure:\n  children:\n    - {id: a, name: A}\n    - {id: b, name: B}\n"
)


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rankaudit.cli", *args],
        capture_output=True,
        text=True,
        errors="replace",  # the narrow-encoding tests read latin-1 output
        timeout=300,
        cwd=cwd,
        env=environment,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "good.yaml").write_text((DATA / "small.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "data.yaml").write_text(DATA_FAILS, encoding="utf-8")
    (tmp_path / "v.csv").write_text("id,a,b\nx,1,2\ny,1,2\nz,1,2\n", encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------------------------- nothing audited


@pytest.mark.parametrize("fmt", ["json", "sarif", "html"])
def test_a_run_that_audits_nothing_keeps_the_previous_report(folder: Path, fmt: str) -> None:
    target = folder / f"report.{fmt}"
    good = run("audit", "good.yaml", "-n", "0", "-f", fmt, "-o", target.name, cwd=folder)
    assert good.returncode == 0, good.stderr
    before = target.read_bytes()
    failed = run("audit", "bad.yaml", "-n", "0", "-f", fmt, "-o", target.name, cwd=folder)
    assert failed.returncode == 1
    assert target.read_bytes() == before
    assert "no spec could be audited" in failed.stderr and "keeps its previous content" in failed.stderr
    assert "internal error" not in failed.stderr


def test_allow_empty_writes_the_errors_anyway(folder: Path) -> None:
    target = folder / "report.sarif"
    target.write_text("previous", encoding="utf-8")
    result = run("audit", "bad.yaml", "-n", "0", "-f", "sarif", "-o", target.name, "--allow-empty", cwd=folder)
    assert result.returncode == 1
    log = json.loads(target.read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"RA101", "RA102"}


# --------------------------------------------------------------------------------------------- every spec appears


def _machine(folder: Path, fmt: str) -> str:
    result = run("audit", "good.yaml", "bad.yaml", "data.yaml", "-n", "0", "-f", fmt, cwd=folder)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_json_lists_every_spec(folder: Path) -> None:
    entries = json.loads(_machine(folder, "json"))
    assert [e["file"] for e in entries] == ["good.yaml", "bad.yaml", "data.yaml"]
    bad = entries[1]
    assert bad["valid"] is False
    assert any((e["code"], e["line"], e["column"]) == ("RA101", 2, 1) for e in bad["errors"])
    assert any(e["code"] == "RA303" for e in entries[2]["errors"])


def test_json_with_failures_matches_the_schema(folder: Path) -> None:
    import jsonschema

    schema = json.loads((ROOT / "schema" / "rankaudit-result.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(_machine(folder, "json")), schema)


def test_sarif_has_a_located_result_for_each_failed_spec(folder: Path) -> None:
    run_ = json.loads(_machine(folder, "sarif"))["runs"][0]
    located = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"),
        )
        for r in run_["results"]
    }
    assert ("RA101", "bad.yaml", 2) in located
    assert any(code == "RA303" for code, _, _ in located)  # validated, then failed on its data
    assert {r["properties"].get("spec") for r in run_["results"]} >= {"bad.yaml", "data.yaml"}
    rule_ids = {d["id"] for d in run_["tool"]["driver"]["rules"]}
    assert all(r["ruleId"] in rule_ids for r in run_["results"])
    assert run_["properties"]["invalidSpecs"] == ["bad.yaml", "data.yaml"]


def test_junit_has_a_failure_for_each_failed_spec(folder: Path) -> None:
    root = ET.fromstring(_machine(folder, "junit"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"good.yaml", "bad.yaml", "data.yaml"}
    failures = [f.get("message", "") for f in suites["bad.yaml"].iter("failure")]
    assert any(m.startswith("bad.yaml:2:1: RA101") for m in failures)


def test_github_annotates_the_line_of_each_error(folder: Path) -> None:
    lines = _machine(folder, "github").splitlines()
    assert any(
        line.startswith("::error file=bad.yaml,line=2,col=1,") and "did you mean 'ranking'?" in line for line in lines
    )
    assert "rankaudit: bad.yaml: could not be audited, 5 errors" in lines
    assert any(line.startswith("rankaudit: data.yaml: could not be audited") for line in lines)


def test_csv_has_a_row_for_each_error(folder: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_machine(folder, "csv"))))
    assert {r["file"] for r in rows} == {"good.yaml", "bad.yaml", "data.yaml"}
    assert any(r["file"] == "bad.yaml" and r["code"] == "RA101" and r["line"] == "2" for r in rows)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_for_people_name_the_failed_specs(folder: Path, fmt: str) -> None:
    text = _machine(folder, fmt)
    assert "Specs that could not be audited" in text and "RA101" in text


def test_every_machine_format_is_covered() -> None:
    tested = {"json", "sarif", "junit", "github", "csv"}
    assert {f.name for f in REPORTS if f.machine} == tested


# --------------------------------------------------------------------------------------------- files


def test_stale_temporaries_are_removed_on_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    stale = [tmp_path / ".r.json.abcd1234.tmp", tmp_path / ".r.json.zz_9yy8x.tmp"]
    for path in stale:
        path.write_bytes(b"")  # what kill -9 at creation leaves
    unrelated = [tmp_path / ".other.json.abcd1234.tmp", tmp_path / ".r.json.notes", tmp_path / "r.json.abcd1234.tmp"]
    for path in unrelated:
        path.write_text("keep", encoding="utf-8")
    write_output(target, "[]\n")
    assert target.read_text(encoding="utf-8") == "[]\n"
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in unrelated)


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks")
def test_a_live_writers_temporary_is_kept(tmp_path: Path) -> None:
    import fcntl

    live = tmp_path / ".r.json.live1234.tmp"
    live.write_text("being written", encoding="utf-8")
    with live.open("r+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert remove_stale_temporaries(tmp_path / "r.json") == []
    assert live.exists()
    assert remove_stale_temporaries(tmp_path / "r.json") == [live]


def test_a_symlink_loop_is_a_located_error(folder: Path) -> None:
    (folder / "loop1").symlink_to("loop2")
    (folder / "loop2").symlink_to("loop1")
    result = run("audit", "good.yaml", "-n", "0", "-f", "json", "-o", "loop1", cwd=folder)
    assert result.returncode == 1
    assert "cannot write loop1" in result.stderr and "symbolic links" in result.stderr
    assert "internal error" not in result.stderr


# --------------------------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"}, {"LC_ALL": "C", "PYTHONUTF8": "0"}],
    ids=["ascii", "latin-1", "C locale"],
)
@pytest.mark.parametrize("args", [("audit",), ("audit", "-f", "md"), ("compare",), ("validate",)])
def test_narrow_encodings_never_fail(folder: Path, env: dict[str, str], args: tuple[str, ...]) -> None:
    result = run(*args, "good.yaml", "bad.yaml", *(("-n", "0") if args[0] != "validate" else ()), cwd=folder, env=env)
    assert result.returncode == 1  # bad.yaml is invalid; nothing else fails
    assert "UnicodeEncodeError" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout or result.stderr

"""`rankaudit validate` and `rankaudit schema` as a user meets them: real processes, exit codes, output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from rankaudit.spec.load import load_spec
from rankaudit.spec.schema import COMMITTED_PATH, spec_schema, spec_schema_text
from tests.test_loader import MALFORMED, yaml_backend  # noqa: F401  (every test under both YAML back ends)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "specs").glob("*.yaml")) + sorted((ROOT / "fixtures").rglob("*.yaml"))
VALID = ROOT / "rankaudit" / "rules" / "cases" / "_base.yaml"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rankaudit.cli", *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd or ROOT,
    )


def test_bundled_specs_are_valid() -> None:
    result = run("validate", "specs/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all valid" in result.stderr


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_file_exits_1_with_location_and_no_traceback(name: str, tmp_path: Path) -> None:
    raw, code, (line, column), _ = MALFORMED[name]
    spec = tmp_path / "bad.yaml"
    spec.write_bytes(raw)
    result = run("validate", str(spec))
    assert result.returncode == 1
    assert f"{spec}:{line}:{column}: {code} " in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_exit_codes_distinguish_usage_errors(tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "missing.yaml")).returncode == 2
    assert run("validate", "--no-such-option", str(VALID)).returncode == 2
    assert run("validate").returncode == 2
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    assert run("validate", str(empty)).returncode == 2
    assert run("validate", str(VALID)).returncode == 0


def test_stdin_and_folders(tmp_path: Path) -> None:
    result = run("validate", "-", stdin=VALID.read_bytes())
    assert result.returncode == 0
    bad = tmp_path / "nested" / "bad.yml"
    bad.parent.mkdir()
    bad.write_text("spec_version: 1\n", encoding="utf-8")
    (tmp_path / "good.yaml").write_bytes(VALID.read_bytes())
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    assert f"{bad}:1:1: RA102 missing required key 'ranking'" in result.stdout
    assert "2 specs checked: 1 invalid" in result.stderr


def test_json_format(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("spec_version: 1\nrankng: {}\n", encoding="utf-8")
    result = run("validate", "--format", "json", str(VALID), str(bad))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [r["valid"] for r in report] == [True, False]
    first = next(e for e in report[1]["errors"] if e["code"] == "RA101")
    assert {"code", "message", "line", "column"} <= set(first)  # Diagnostic.to_dict() also gives severity and ends
    assert (first["code"], first["line"], first["column"]) == ("RA101", 2, 1)
    assert "did you mean 'ranking'?" in first["message"]


def test_many_files_are_checked_in_order_with_the_same_output_as_one_by_one(tmp_path: Path) -> None:
    # enough files for the process pool; a broken one in the middle keeps its place and location
    for i in range(60):
        (tmp_path / f"s{i:02d}.yaml").write_bytes(VALID.read_bytes())
    (tmp_path / "s30.yaml").write_text("spec_version: 1\nrankng: {}\n", encoding="utf-8")
    report = json.loads(run("validate", "--format", "json", str(tmp_path)).stdout)
    assert [Path(r["file"]).name for r in report] == [f"s{i:02d}.yaml" for i in range(60)]
    assert [r["valid"] for r in report].count(False) == 1 and not report[30]["valid"]
    assert ("RA101", 2) in [(e["code"], e["line"]) for e in report[30]["errors"]]


def test_validate_does_not_import_heavy_libraries() -> None:
    probe = (
        "import sys\n"
        "from rankaudit.cli import main\n"
        f"sys.argv = ['rankaudit', 'validate', {str(VALID)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'sklearn', 'matplotlib', 'scipy', 'numpy') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "HEAVY []" in result.stderr, result.stderr


def test_semantic_errors_are_located(tmp_path: Path) -> None:
    spec = tmp_path / "weights.yaml"
    spec.write_text(
        VALID.read_text(encoding="utf-8")
        .replace(
            "    - id: economy\n      name: Economy\n",
            "    - id: economy\n      name: Economy\n      weighting: explicit\n",
        )
        .replace(
            "        - id: gdp\n          name: GDP per capita\n",
            "        - id: gdp\n          name: GDP per capita\n          weight: 0.8\n",
        )
        .replace(
            "        - id: jobs\n          name: Employment rate\n",
            "        - id: jobs\n          name: Employment rate\n          weight: 0.5\n",
        ),
        encoding="utf-8",
    )
    result = run("validate", str(spec))
    assert result.returncode == 1
    assert f"{spec}:17:18: RA104 weights under 'economy' sum to 1.30; expected 1 (or declare them relative)" in (
        result.stdout
    )


# ----------------------------------------------------------------------------------------- schema


def test_schema_command_prints_the_committed_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    committed = (ROOT / COMMITTED_PATH).read_text(encoding="utf-8")
    assert committed == spec_schema_text(), (
        "schema is stale: run `rankaudit schema > schema/rankaudit-spec.schema.json`"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(spec_schema())


def _as_json(value: object) -> object:
    # YAML dates are the only non-JSON scalars the loader produces
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("path", BUNDLED, ids=[str(p.relative_to(ROOT)) for p in BUNDLED])
def test_schema_accepts_every_bundled_spec(path: Path) -> None:
    from rankaudit.spec.yamlsafe import load_yaml

    document = load_yaml(path.read_bytes(), str(path)).data
    if "spec_version" not in document:
        pytest.skip("not a spec")
    load_spec(str(path))
    jsonschema.Draft202012Validator(spec_schema()).validate(_as_json(document))


def test_bundled_specs_carry_the_schema_modeline() -> None:
    for path in sorted((ROOT / "specs").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/rankaudit-spec.schema.json", path


# --------------------------------------------------------------------------------------------- data files

ASEM = ROOT / "fixtures" / "asem"


def _asem_copy(tmp_path: Path, csv_edit: object = None, published: str | None = None) -> Path:
    """The ASEM fixture in a temporary folder, its CSV edited by `csv_edit(lines) -> lines`."""
    lines = (ASEM / "asem.csv").read_text(encoding="utf-8").splitlines()
    if callable(csv_edit):
        lines = csv_edit(lines)
    (tmp_path / "asem.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = (ASEM / "asem.yaml").read_text(encoding="utf-8")
    if published is not None:
        (tmp_path / "published.csv").write_text(published, encoding="utf-8")
        spec = spec.replace(
            "  values: asem.csv\n", "  values: asem.csv\n  published: published.csv\n  published_id_column: uCode\n"
        )
    (tmp_path / "asem.yaml").write_text(spec, encoding="utf-8")
    return tmp_path / "asem.yaml"


def _set_cell(line: int, column: int, value: str) -> object:
    def edit(lines: list[str]) -> list[str]:
        cells = lines[line - 1].split(",")
        cells[column - 1] = value
        lines[line - 1] = ",".join(cells)
        return lines

    return edit


def test_validate_reads_the_data_files_as_the_audit_does(tmp_path: Path) -> None:
    """A non-numeric cell: validate fails with the audit's own located RA301."""
    spec = _asem_copy(tmp_path, _set_cell(4, 12, "n.a."))
    checked = run("validate", str(spec))
    assert checked.returncode == 1, checked.stderr
    first = checked.stdout.splitlines()[0]
    assert ":4:12: RA301 non-numeric value 'n.a.' in column 'LPI'; expected a decimal number" in first
    audited = run("audit", "-n", "0", str(spec))
    assert first in audited.stdout + audited.stderr


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        (_set_cell(3, 2, "XXX"), ":3:2:", "unknown unit id 'XXX'"),
        (lambda lines: [lines[0].replace('"LPI"', '"LPI_2018"'), *lines[1:]], ":1:", "missing indicator column 'LPI'"),
        (lambda lines: [*lines, lines[1]], ":53:2:", "duplicate unit id 'AUT'"),
        (lambda lines: [lines[0], lines[1] + ",1"], ":2:", "row has"),
    ],
)
def test_validate_locates_each_kind_of_data_problem(tmp_path: Path, edit: object, where: str, message: str) -> None:
    checked = run("validate", str(_asem_copy(tmp_path, edit)))
    assert checked.returncode == 1
    assert where in checked.stdout and message in checked.stdout and "RA301" in checked.stdout, checked.stdout


def test_validate_checks_the_published_results_against_the_values_file(tmp_path: Path) -> None:
    spec = _asem_copy(tmp_path, published="uCode,score,rank\nAUT,71.5,1\nZZZ,60,2\n")
    checked = run("validate", "--format", "json", str(spec))
    assert checked.returncode == 1
    (entry,) = json.loads(checked.stdout)
    (error,) = entry["errors"]
    assert error["code"] == "RA302" and error["line"] == 3 and error["column"] == 1
    assert "unknown unit id 'ZZZ'" in error["message"]


def test_validate_of_a_spec_with_data_imports_no_numpy(tmp_path: Path) -> None:
    spec = _asem_copy(tmp_path, _set_cell(5, 12, "x"))
    probe = (
        "import sys\n"
        "from rankaudit.cli import main\n"
        f"sys.argv = ['rankaudit', 'validate', {str(spec)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'numpy', 'scipy') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "HEAVY []" in result.stderr and "RA301" in result.stdout, result.stderr


def test_csv_reader_is_standard_library_only() -> None:
    """validate shares the audit's reader only as long as that reader imports nothing heavy."""
    import ast

    tree = ast.parse((ROOT / "rankaudit" / "stats" / "csvfile.py").read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


# --------------------------------------------------------------------------------------------- start-up
# `main()` builds the group with the one command named first on the command line (issue 16: typer
# builds every command's parameters before parsing). What that command prints must not change.

COMMAND_NAMES = ["validate", "schema", "rules", "audit", "report", "compare", "migrate", "claims", "rerank",
                 "questions"]  # fmt: skip


def test_the_command_named_first_is_the_only_one_built() -> None:
    from rankaudit.cli import _app_for, _command_name, app

    everything = [_command_name(c) for c in app.registered_commands]
    assert sorted(everything) == sorted(COMMAND_NAMES)
    narrowed = _app_for(["validate", "x.yaml"], environ={})
    assert [_command_name(c) for c in narrowed.registered_commands] == ["validate"]
    assert narrowed.registered_callback is app.registered_callback
    assert [_command_name(c) for c in app.registered_commands] == everything  # the app itself is unchanged


@pytest.mark.parametrize(
    ("args", "environ"),
    [
        ([], {}),
        (["--help"], {}),
        (["-q", "validate", "x.yaml"], {}),  # an option first: the group parses it, with every command
        (["valdate", "x.yaml"], {}),  # misspelt: the error suggests the commands that exist
        (["Validate"], {}),
        (["validate"], {"_RANKAUDIT_COMPLETE": "bash_complete"}),  # completion lists the commands
    ],
)
def test_anything_but_a_command_name_first_gets_the_whole_app(args: list[str], environ: dict[str, str]) -> None:
    from rankaudit.cli import _app_for, app

    assert _app_for(args, environ=environ) is app


@pytest.mark.parametrize("name", COMMAND_NAMES)
@pytest.mark.parametrize("tail", [["--help"], ["--no-such-option"], []])
def test_a_command_prints_the_same_from_the_narrowed_app(name: str, tail: list[str]) -> None:
    from typer.testing import CliRunner

    from rankaudit.cli import _app_for, app

    args = [name, *tail]  # with no more arguments: a usage error, or (schema, rules) the whole output
    runner = CliRunner()
    full, narrowed = runner.invoke(app, args), runner.invoke(_app_for(args, environ={}), args)
    assert (narrowed.exit_code, narrowed.output) == (full.exit_code, full.output)

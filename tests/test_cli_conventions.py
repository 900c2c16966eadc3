"""The command-line conventions of the README's table, one test (or a few) per row, against ruff's habits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rankaudit import __version__
from rankaudit.cli import COMPARE_FORMATS, REPORT_FORMATS, VALIDATE_FORMATS, ColorChoice, app, use_color

ROOT = Path(__file__).resolve().parent.parent
SPEC = str(ROOT / "fixtures" / "specs" / "well-documented.yaml")
COMMANDS = ["validate", "schema", "rules", "audit", "report", "compare"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The installed command as a user runs it: prog name `rankaudit`, a real process, no tty."""
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv[0] = 'rankaudit'; from rankaudit.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def invoke(*args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": None, "FORCE_COLOR": None, **(env or {})})


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.yaml"
    bad.write_text("spec_version: 1\nranking: {name: X, edition: 1, colour: red}\n", encoding="utf-8")
    return bad


# --------------------------------------------------------------------------------------------- help, version, usage


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=lambda c: c[0] if c else "root")
def test_short_and_long_help_are_the_same(command: list[str]) -> None:
    short, long = invoke(*command, "-h"), invoke(*command, "--help")
    assert short.exit_code == long.exit_code == 0  # type: ignore[attr-defined]
    assert short.output == long.output and "Usage: " in short.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_lines_read_like_ruffs(command: str) -> None:
    text = invoke(command, "-h").output  # type: ignore[attr-defined]
    usage = text.splitlines()[0]
    assert "{" not in usage and "<list" not in text and "list[str]" not in text, usage
    if command in ("validate", "audit", "compare"):
        assert usage.endswith("[OPTIONS] PATH..."), usage


def test_version_long_and_short() -> None:
    assert cli("--version").stdout == cli("-V").stdout == f"rankaudit {__version__}\n"


# --------------------------------------------------------------------------------------------- quiet and verbose


def test_quiet_drops_the_summary_and_keeps_the_diagnostics(broken: Path) -> None:
    loud, quiet = cli("validate", str(broken), SPEC), cli("validate", "-q", str(broken), SPEC)
    assert "2 specs checked: 1 invalid" in loud.stderr and quiet.stderr == ""
    assert loud.stdout == quiet.stdout and "RA101" in quiet.stdout
    before = cli("-q", "validate", str(broken))  # as a global option, before the command, too
    assert before.stderr == "" and before.returncode == 1


def test_quiet_drops_the_wrote_message(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    assert cli("report", SPEC, "-n", "0", "-o", str(target)).stderr == f"wrote {target}\n"
    assert cli("report", SPEC, "-n", "0", "-o", str(target), "-q").stderr == ""


def test_verbose_says_which_configuration_and_how_long(tmp_path: Path) -> None:
    (tmp_path / ".rankaudit.yaml").write_text("ignore: [QB09]\n", encoding="utf-8")
    done = cli("audit", SPEC, "-n", "0", "-v", "-f", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"rankaudit: configuration: {tmp_path / '.rankaudit.yaml'}" in done.stderr
    assert "ignore ['QB09']" in done.stderr and re.search(r"well-documented\.yaml: \d+\.\d\d s", done.stderr)
    json.loads(done.stdout)  # stdout stays the report


def test_quiet_and_verbose_together_is_a_usage_error() -> None:
    done = cli("validate", "-q", "-v", SPEC)
    assert done.returncode == 2 and "--quiet and --verbose" in done.stderr


# --------------------------------------------------------------------------------------------- colour


@pytest.mark.parametrize(
    ("choice", "tty", "env", "expected"),
    [
        (ColorChoice.auto, True, {}, True),
        (ColorChoice.auto, False, {}, False),
        (ColorChoice.auto, True, {"NO_COLOR": "1"}, False),
        (ColorChoice.auto, True, {"NO_COLOR": ""}, True),  # no-color.org: set *and not empty*
        (ColorChoice.auto, False, {"FORCE_COLOR": "1"}, True),
        (ColorChoice.auto, False, {"FORCE_COLOR": "0"}, False),
        (ColorChoice.auto, True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        (ColorChoice.auto, True, {"TERM": "dumb"}, False),
        (ColorChoice.always, False, {"NO_COLOR": "1"}, True),  # the command line beats the environment
        (ColorChoice.never, True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_decision(choice: ColorChoice, tty: bool, env: dict[str, str], expected: bool) -> None:
    assert use_color(choice, tty, env) is expected


def test_colour_reaches_the_output(broken: Path) -> None:
    assert not ANSI.search(cli("validate", str(broken)).stdout)  # a pipe: no colour
    coloured = cli("validate", "--color", "always", str(broken), env={"NO_COLOR": "1"})
    assert ANSI.search(coloured.stdout) and ANSI.sub("", coloured.stdout) == cli("validate", str(broken)).stdout
    assert ANSI.search(cli("validate", str(broken), env={"FORCE_COLOR": "1"}).stdout)
    assert not ANSI.search(cli("validate", str(broken), "--color", "never", env={"FORCE_COLOR": "1"}).stdout)
    assert ANSI.search(cli("audit", SPEC, "-n", "0", "--color", "always").stdout)
    assert not ANSI.search(cli("--color", "never", "audit", SPEC, "-n", "0", env={"FORCE_COLOR": "1"}).stdout)


def test_bad_colour_value_is_a_usage_error() -> None:
    assert cli("validate", "--color", "sometimes", SPEC).returncode == 2


# --------------------------------------------------------------------------------------------- select, ignore, config


def _codes(*args: str, cwd: Path = ROOT) -> set[str]:
    done = cli("audit", SPEC, "-n", "0", "-f", "json", *args, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return {f["code"] for f in json.loads(done.stdout)[0]["findings"]}


def test_select_and_ignore_on_the_command_line(tmp_path: Path) -> None:
    every = _codes(cwd=tmp_path)
    assert {c for c in every if c.startswith(("OP", "FR"))} == _codes("--select", "OP,fr", cwd=tmp_path)
    assert _codes("--select", "OP", "--select", "FR", cwd=tmp_path) == _codes("--select", "OP,FR", cwd=tmp_path)
    assert _codes("--ignore", "OP01", cwd=tmp_path) == every - {"OP01"}


def test_the_command_line_wins_over_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / ".rankaudit.yaml").write_text("select: [OP]\nignore: [OP01]\n", encoding="utf-8")
    from_file = _codes(cwd=tmp_path)
    assert from_file and all(c.startswith("OP") for c in from_file) and "OP01" not in from_file
    # --select replaces the file's select and its ignore, as in ruff
    assert {c[:2] for c in _codes("--select", "FR", cwd=tmp_path)} == {"FR"}
    assert "OP01" in _codes("--select", "OP01", cwd=tmp_path)
    # --ignore adds to the file's ignore
    assert _codes("--ignore", "OP02", cwd=tmp_path) == from_file - {"OP02"}
    # --config names another file
    other = tmp_path / "other.toml"
    other.write_text('[tool.rankaudit]\nselect = ["CM"]\n', encoding="utf-8")
    assert {c[:2] for c in _codes("--config", str(other), cwd=tmp_path)} == {"CM"}


@pytest.mark.parametrize("command", ["audit", "report", "compare"])
def test_unknown_rule_code_is_a_usage_error_with_a_hint(command: str) -> None:
    done = cli(command, SPEC, "-n", "0", "--select", "0P01")
    assert done.returncode == 2
    assert "rankaudit: error: --select names unknown rule '0P01'; did you mean OP01?" in done.stderr
    assert cli(command, SPEC, "-n", "0", "--ignore", "ZZ").returncode == 2


# --------------------------------------------------------------------------------------------- exit-zero


def test_exit_zero(broken: Path) -> None:
    assert cli("validate", str(broken)).returncode == 1
    assert cli("validate", "--exit-zero", str(broken)).returncode == 0
    assert cli("audit", "--exit-zero", "-n", "0", str(broken)).returncode == 0
    assert cli("audit", SPEC, "-n", "0", "--fail-under", "100").returncode == 1
    assert cli("audit", SPEC, "-n", "0", "--fail-under", "100", "--exit-zero").returncode == 0
    assert cli("report", str(broken), "--exit-zero").returncode == 0
    assert cli("compare", str(broken), SPEC, "--exit-zero").returncode == 0
    # a usage error is still one
    assert cli("validate", "--exit-zero", "no-such-file.yaml").returncode == 2


# --------------------------------------------------------------------------------------------- output and formats


@pytest.mark.parametrize(
    ("args", "suffix", "check"),
    [
        (["validate"], ".sarif", lambda t: json.loads(t)["version"] == "2.1.0"),
        (["validate"], ".json", lambda t: json.loads(t)[0]["valid"] is False),
        (["validate"], ".xml", lambda t: t.startswith("<?xml")),
        (["validate"], ".txt", lambda t: "RA101" in t),
        (["audit", "-n", "0"], ".html", lambda t: t.lstrip().lower().startswith("<!doctype html")),
        (["audit", "-n", "0"], ".csv", lambda t: t.splitlines()[0].startswith("file,")),
        (["report", "-n", "0"], ".md", lambda t: t.startswith("#")),
        (["compare"], ".json", lambda t: isinstance(json.loads(t), list | dict)),
        (["compare"], ".csv", lambda t: "," in t.splitlines()[0]),
    ],
)
def test_output_suffix_sets_the_format(
    args: list[str], suffix: str, check: object, broken: Path, tmp_path: Path
) -> None:
    target = tmp_path / f"out{suffix}"
    spec = str(broken) if args[0] == "validate" else SPEC
    done = cli(*args, spec, "-o", str(target))
    assert done.returncode in (0, 1), done.stderr
    assert callable(check) and check(target.read_text(encoding="utf-8")), target.read_text(encoding="utf-8")[:300]


def test_rules_and_schema_write_files(tmp_path: Path) -> None:
    assert cli("rules", "-o", str(tmp_path / "rules.md")).returncode == 0
    assert (tmp_path / "rules.md").read_text(encoding="utf-8").startswith(("#", "|"))
    assert cli("rules", "OP01", "-o", str(tmp_path / "op01.json")).returncode == 0
    assert json.loads((tmp_path / "op01.json").read_text(encoding="utf-8"))["code"] == "OP01"
    assert cli("schema", "-o", str(tmp_path / "schema.json")).returncode == 0
    assert json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize("command", ["validate", "audit", "report", "compare", "rules"])
def test_an_unknown_suffix_without_format_is_a_usage_error(command: str, tmp_path: Path) -> None:
    args = [command] if command == "rules" else [command, SPEC, "-n", "0"] if command != "validate" else [command, SPEC]
    done = cli(*args, "-o", str(tmp_path / "out.pdf"))
    assert done.returncode == 2 and "cannot tell the format" in done.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_one_vocabulary_of_format_names() -> None:
    assert set(VALIDATE_FORMATS) <= set(REPORT_FORMATS) and set(COMPARE_FORMATS) <= set(REPORT_FORMATS)
    for command in ["validate", "audit", "report", "compare", "rules"]:
        help_text = invoke(command, "-h").output  # type: ignore[attr-defined]
        assert "terminal" in help_text and "|text" not in help_text, command


@pytest.mark.parametrize(
    ("args", "alias", "name"),
    [(["validate", SPEC], "text", "terminal"), (["rules"], "text", "terminal"), (["rules"], "markdown", "md")],
)
def test_old_format_names_stay_accepted(args: list[str], alias: str, name: str) -> None:
    assert cli(*args, "-f", alias).stdout == cli(*args, "-f", name).stdout


def test_a_misspelt_format_gets_a_hint() -> None:
    done = cli("audit", SPEC, "-f", "sarf")
    assert done.returncode == 2 and "did you mean 'sarif'?" in done.stderr


# --------------------------------------------------------------------------------------------- completion


def test_shell_completion_script_and_completions() -> None:
    script = cli("--show-completion", "bash")
    assert script.returncode == 0 and "_RANKAUDIT_COMPLETE=complete_bash" in script.stdout
    completed = cli(env={"_RANKAUDIT_COMPLETE": "complete_bash", "COMP_WORDS": "rankaudit au", "COMP_CWORD": "1"})
    assert completed.stdout.split() == ["audit"]


def test_rules_explains_one_rule_or_suggests_one() -> None:
    done = cli("rules", "0P01")
    assert done.returncode == 2 and done.stderr == "rankaudit: error: no rule '0P01'; did you mean OP01?\n"

"""Configuration, ruff-style: select/ignore/fail-under/per-rule options; unknown keys located."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rankaudit.config import Config, find_config, load_config
from rankaudit.diagnostics import SpecError
from rankaudit.rules.base import Option, Rule, Verdict

ROOT = Path(__file__).resolve().parent.parent
WELL_DOCUMENTED = ROOT / "fixtures" / "specs" / "well-documented.yaml"


def _rule(code: str, options: dict[str, Option] | None = None) -> Rule:
    return Rule(
        code=code,
        title=code,
        core=False,
        source="s",
        source_url=None,
        reads=("x",),
        scoring="s",
        rationale="r.",
        options=options or {},
        check=lambda ctx, opts: Verdict(None, ""),
    )


RULES = [_rule("OP01"), _rule("OP02"), _rule("FR03", {"stale-after-years": Option(4, "age")}), _rule("QB09")]


def test_select_and_ignore_by_code_and_prefix() -> None:
    config = Config(select=["OP", "FR03"], ignore=["OP02"])
    assert config.enabled("OP01") and config.enabled("FR03")
    assert not config.enabled("OP02") and not config.enabled("QB09")
    assert Config().enabled("QB09")


def test_pyproject_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "x"\n\n[tool.rankaudit]\nselect = ["OP", "FR"]\nignore = ["OP02"]\nfail-under = 55\n\n'
        "[tool.rankaudit.rules.FR03]\nstale-after-years = 6\n",
        encoding="utf-8",
    )
    config = load_config(path, RULES)
    assert config.select == ["OP", "FR"] and config.ignore == ["OP02"] and config.fail_under == 55
    assert config.options_for(RULES[2]) == {"stale-after-years": 6}
    assert find_config(tmp_path / "deeper") is None or find_config(tmp_path) == path


def test_yaml_file_and_located_errors(tmp_path: Path) -> None:
    path = tmp_path / ".rankaudit.yaml"
    path.write_text("select: [OP]\nfail_under: 50\nrules:\n  FR03:\n    stale-after: 2\n  ZZ99: {}\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_config(path, RULES)
    found = [(d.line, d.column, d.message) for d in caught.value.diagnostics]
    assert (2, 1, "unknown option 'fail_under'; did you mean 'fail-under'?") in found
    assert any(line == 5 and col == 5 and "no option 'stale-after'" in msg for line, col, msg in found)
    assert any(line == 6 and "unknown rule 'ZZ99'" in msg for line, _, msg in found)


def test_toml_errors_are_located_by_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.rankaudit]\nselect = ["XX"]\n\n[tool.rankaudit.rules.FR03]\nstale-after-years = "old"\n')
    with pytest.raises(SpecError) as caught:
        load_config(path, RULES)
    found = [(d.line, d.message) for d in caught.value.diagnostics]
    assert (2, "'select' names unknown rule 'XX'") in found
    assert (5, "FR03.stale-after-years: expected a number, got 'old'") in found


def test_bad_values(tmp_path: Path) -> None:
    path = tmp_path / ".rankaudit.yaml"
    path.write_text("fail-under: 150\nselect: OP\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_config(path, RULES)
    assert len(caught.value.diagnostics) == 2


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rankaudit.cli", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_fail_under_on_the_command_line_and_in_configuration(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(WELL_DOCUMENTED.read_bytes())
    assert _cli("audit", str(spec), "--fail-under", "0", cwd=tmp_path).returncode == 0
    assert _cli("audit", str(spec), "--fail-under", "100.1", cwd=tmp_path).returncode == 2  # out of range
    (tmp_path / ".rankaudit.yaml").write_text("fail-under: 100\nignore: []\n", encoding="utf-8")
    strict = _cli("audit", str(spec), "--format", "json", cwd=tmp_path)
    overall = json.loads(strict.stdout)[0]["overall"]
    # the threshold comes from the configuration file: only a perfect spec passes 100
    assert strict.returncode == (0 if overall == 100 else 1)
    lenient = _cli("audit", str(spec), "--fail-under", "0", cwd=tmp_path)
    assert lenient.returncode == 0  # the command line overrides the file
    (tmp_path / ".rankaudit.yaml").write_text("fail-under: 100\nbogus: 1\n", encoding="utf-8")
    broken = _cli("audit", str(spec), cwd=tmp_path)
    assert broken.returncode == 2
    assert ".rankaudit.yaml:2:1: RA201 unknown option 'bogus'" in broken.stderr


# ------------------------------------------------------------------ every spelling of the table (issue 15)

SPELLINGS = {
    "table": "[tool.rankaudit]\nfail-under = 99\n",
    "dotted key under [tool]": "[tool]\nrankaudit.fail-under = 99\n",
    "top-level dotted key": "tool.rankaudit.fail-under = 99\n",
    "quoted table name": '[tool."rankaudit"]\nfail-under = 99\n',
    "spaced table header": "[ tool.rankaudit ]\nfail-under = 99\n",
    "inline table": "[tool]\nrankaudit = { fail-under = 99 }\n",
}


@pytest.mark.parametrize("name", list(SPELLINGS))
def test_every_spelling_of_the_table_is_found_and_read(name: str, tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    # a top-level dotted key must come before any table header, so the table goes first
    path.write_text(SPELLINGS[name] + '\n[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    assert find_config(tmp_path / "sub") == path
    assert load_config(path, RULES).fail_under == 99


@pytest.mark.parametrize("name", list(SPELLINGS))
def test_errors_are_located_whatever_the_spelling(name: str, tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(SPELLINGS[name].replace("fail-under = 99", "fail-undr = 99") + '\n[project]\nname = "x"\n')
    with pytest.raises(SpecError) as caught:
        load_config(path, RULES)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "RA201" and "did you mean 'fail-under'?" in diagnostic.message
    expected_line = 2 if SPELLINGS[name].startswith("[") else 1
    assert diagnostic.line == expected_line


def test_a_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["rankaudit"]\n')
    assert find_config(tmp_path) is None


def test_a_table_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n[tool]\nrankaudit = "strict"\n', encoding="utf-8")
    assert find_config(tmp_path) == path
    with pytest.raises(SpecError) as caught:
        load_config(path, RULES)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("RA201", 4, 1)
    assert "must be a table" in diagnostic.message


def test_broken_toml_that_mentions_rankaudit_is_an_error_not_silence(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.rankaudit]\nfail-under = = 99\n", encoding="utf-8")
    assert find_config(tmp_path) == path
    with pytest.raises(SpecError) as caught:
        load_config(path, RULES)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("RA201", 2)
    assert diagnostic.message.startswith("invalid TOML")


def test_deeply_nested_toml_is_refused_with_a_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.rankaudit]\nfail-under = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:  # tomllib alone raises RecursionError
        load_config(path, RULES)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("RA201", 3)
    assert "nesting deeper than 32" in diagnostic.message


def test_huge_numbers_are_refused_with_a_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.rankaudit.rules.FR03]\nstale-after-years = 1" + "0" * 400 + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:  # float() of it raised OverflowError
        load_config(path, RULES)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("RA201", 2) and "too large" in diagnostic.message
    path.write_text("[tool.rankaudit]\nfail-under = 1" + "0" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:  # tomllib lets int()'s digit-limit ValueError escape
        load_config(path, RULES)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("RA201", 2) and "too long" in diagnostic.message


def test_config_files_are_capped_and_report_their_real_size(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    with path.open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.write(b"[tool.rankaudit]\nfail-under = 1\n")
        handle.truncate(3 * 1024**3)
    assert find_config(tmp_path) == path  # too large to check is not silently skipped
    with pytest.raises(SpecError) as caught:
        load_config(path, RULES)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "RA003"
    assert diagnostic.message == f"file is {3 * 1024**3:,} bytes; the limit is 2,097,152"


def test_dotted_key_gate_fails_the_audit(tmp_path: Path) -> None:
    # issue 15's reproducer: the CI gate switched itself off (exit 0 instead of 1)
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(WELL_DOCUMENTED.read_bytes())
    (tmp_path / "pyproject.toml").write_text("[tool]\nrankaudit.fail-under = 100\n", encoding="utf-8")
    result = _cli("audit", str(spec), "--format", "json", cwd=tmp_path)
    overall = json.loads(result.stdout)[0]["overall"]
    assert result.returncode == (0 if overall == 100 else 1)
    assert overall < 100

"""Issue 15, "input errors reported as output errors": the reproducers no other test covered.

A values or published file that cannot be read at all (no permission, a folder or a FIFO swapped in
after validation, an I/O error) is the input's fault: the diagnostic names the file and points at
the spec line that names it (`data.values` / `data.published`), never "cannot write output".
The other reproducers of the issue have their tests beside the code they exercise (the table is in
this folder's __init__ docstring).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import rankaudit.audit as audit_module
import rankaudit.stats.csvfile as csvfile
from rankaudit.cli import app

ROOT = Path(__file__).resolve().parents[2]
ASEM = ROOT / "fixtures" / "asem"


def _line_of(spec: Path, key: str) -> int:
    """1-based line of `  key:` in the spec (the data section's field)."""
    for number, text in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith(f"  {key}:"):
            return number
    raise AssertionError(f"no {key} in {spec}")


@pytest.fixture
def asem(tmp_path: Path) -> Path:
    for name in ("asem.yaml", "asem.csv"):
        shutil.copy(ASEM / name, tmp_path / name)
    return tmp_path / "asem.yaml"


def _audit(spec: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", str(spec), "-n", "0", *extra])
    return result.exit_code, result.output


def _assert_blamed_on_the_spec(spec: Path, code: int, output: str, why: str) -> None:
    assert code == 1, output
    assert "cannot write output" not in output and "internal error" not in output, output
    line = _line_of(spec, "values")
    assert f"{spec}:{line}:" in output, output  # at the spec line that names the file
    assert "asem.csv" in output and "RA301" in output and why in output, output


def _swap_after_validation(monkeypatch: pytest.MonkeyPatch, swap: Callable[[Path], None]) -> None:
    """Replace the data file between validation and the statistical audit (a race an attacker can win)."""
    real = audit_module.load_spec

    def load_then_swap(path: str, *args: object, **kwargs: object) -> object:
        loaded = real(path, *args, **kwargs)  # type: ignore[arg-type]
        swap(Path(path).parent / "asem.csv")
        return loaded

    monkeypatch.setattr(audit_module, "load_spec", load_then_swap)


def _to_folder(csv: Path) -> None:
    csv.unlink()
    csv.mkdir()


def _to_fifo(csv: Path) -> None:
    csv.unlink()
    os.mkfifo(csv)


@pytest.mark.parametrize(("swap", "why"), [(_to_folder, "not a regular file"), (_to_fifo, "not a regular file")],
                         ids=["folder", "fifo"])
def test_a_data_file_swapped_after_validation_is_blamed_on_its_spec_line(
        asem: Path, monkeypatch: pytest.MonkeyPatch, swap: Callable[[Path], None], why: str) -> None:
    _swap_after_validation(monkeypatch, swap)
    code, output = _audit(asem)  # a FIFO would block a plain open(): the reader must not
    _assert_blamed_on_the_spec(asem, code, output, why)


@pytest.fixture
def failing_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CSV reader's os.read fails with EIO (a dying disk, a network file system that went away)."""
    proxy = types.ModuleType("os")
    proxy.__dict__.update(os.__dict__)

    def read(fd: int, n: int) -> bytes:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    proxy.read = read  # type: ignore[attr-defined]
    monkeypatch.setattr(csvfile, "os", proxy)
    yield


@pytest.mark.usefixtures("failing_reads")
@pytest.mark.parametrize("fmt", ["text", "github", "sarif"])
def test_an_io_error_is_an_input_error_at_the_spec_line(asem: Path, fmt: str) -> None:
    code, output = _audit(asem, "-f", fmt) if fmt != "text" else _audit(asem)
    assert code == 1, output
    assert "cannot write output" not in output and "internal error" not in output
    assert os.strerror(errno.EIO) in output and "asem.csv" in output
    line = _line_of(asem, "values")
    expected = {"text": f"{asem}:{line}:", "github": f"line={line},", "sarif": f'"startLine": {line}'}[fmt]
    assert expected in output, output


def test_an_os_error_below_the_reader_still_names_an_input(asem: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rankaudit.stats.from_spec as from_spec

    def broken(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "asem.csv")

    monkeypatch.setattr(from_spec, "load_spec_data", broken)
    code, output = _audit(asem)
    assert code == 1 and "cannot write output" not in output and "internal error" not in output, output
    assert "cannot read input 'asem.csv'" in output and f"{asem}:" in output


def _without_root_bypass() -> list[str]:
    """A command prefix under which file modes hold: root reads any file whatever its mode.

    setpriv drops the two capabilities that bypass read permission (the process stays root, so
    the interpreter under /root stays reachable); the mode is then checked by the kernel itself.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a file mode cannot make a file unreadable")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_values_file_without_read_permission_is_located_at_its_spec_line(asem: Path) -> None:
    (asem.parent / "asem.csv").chmod(0)
    result = subprocess.run(
        [*_without_root_bypass(), sys.executable, "-m", "rankaudit.cli", "audit", "asem.yaml", "-n", "0"],
        cwd=asem.parent, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "cannot write output" not in output and "internal error" not in output, output
    line = _line_of(asem, "values")
    assert f"asem.yaml:{line}:" in output and "asem.csv" in output, output
    assert os.strerror(errno.EACCES) in output, output


# ---------------------------------------------------------------------------------- found by the property test


def test_a_carriage_return_in_a_name_cannot_start_a_formula_cell() -> None:
    import csv
    import io

    from rankaudit.report.common import csv_cell

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([csv_cell("Index\r=HYPERLINK(\"x\")"), csv_cell("\r\n@SUM(A1)")])
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert len(rows) == 1  # the CR no longer ends the row...
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[0])  # ...nor starts a formula
    # the CR is a control character: shown escaped, as on the terminal, rather than turned into a newline
    assert rows[0] == ['Index\\x0d=HYPERLINK("x")', "\\x0d\n@SUM(A1)"]


@pytest.mark.parametrize("name", ["Index\n::error::pwned", "::warning file=a,line=1::x", "a ##[error]b", "##[group]x"])
def test_terminal_output_starts_no_workflow_command_in_a_ci_log(tmp_path: Path, name: str) -> None:
    """The default (terminal) format is what a CI log shows: the runner must find no command in it."""
    import yaml

    doc = yaml.safe_load((ROOT / "tests" / "report" / "data" / "small.yaml").read_text(encoding="utf-8"))
    doc["ranking"]["name"] = doc["publisher"]["name"] = name
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, output = _audit(spec)
    assert code == 0, output
    for line in output.splitlines():
        assert not line.strip().startswith("::") and "##[" not in line, line
    assert "\\x3a:" in output or "##\\x5b" in output  # shown, escaped


# ---------------------------------------------------------------------------------- resource limits, at the CLI


@pytest.mark.parametrize(("replications", "exit_code"), [("100000000", 1), ("1000000000000", 1), ("1e12", 2)])
def test_huge_replications_are_refused_before_the_run_starts(asem: Path, replications: str, exit_code: int) -> None:
    """The engine's limit (tests/stats/test_uncertainty.py) reaches the user as a located refusal, before any run."""
    result = CliRunner().invoke(app, ["audit", str(asem), "-n", replications])
    assert result.exit_code == exit_code, result.output
    assert "internal error" not in result.output and "MemoryError" not in result.output
    if exit_code == 1:
        assert "RA303" in result.output and "replications allowed" in result.output
        assert re.search(rf"{re.escape(str(asem))}:\d+:\d+: RA303", result.output), result.output

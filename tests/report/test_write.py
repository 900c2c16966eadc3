"""Writing reports: atomic (an interrupted write keeps the old report), clear errors, same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rankaudit.report import write_output
from tests.report.conftest import ROOT, SMALL


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rankaudit.cli", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    write_output(target, "new report\n")
    assert target.read_text(encoding="utf-8") == "new report\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("stage", ["replace", "fsync", "interrupt"])
def test_an_interrupted_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    target = tmp_path / "report.html"
    target.write_text("the previous, complete report", encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        if stage == "interrupt":
            raise KeyboardInterrupt
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace" if stage == "replace" else "fsync", fail)
    with pytest.raises(KeyboardInterrupt if stage == "interrupt" else OSError):
        write_output(target, "x" * 100_000)
    assert target.read_text(encoding="utf-8") == "the previous, complete report"
    assert leftovers(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_unwritable_target_is_a_clear_error_and_exit_1(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "x.html"
    done = run("report", SMALL, "-o", str(missing), "-n", "0")
    assert done.returncode == 1, done.stderr
    assert f"cannot write {missing}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not missing.parent.exists()

    done = run("report", SMALL, "-o", "/nonexistent-dir/x.html", "-n", "0")
    assert done.returncode == 1
    assert "rankaudit: error: cannot write /nonexistent-dir/x.html" in done.stderr


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [("html", "html"), ("md", "md"), ("json", "json"), ("sarif", "sarif"), ("xml", "junit"), ("txt", "github")],
)
def test_same_input_and_seed_give_the_same_bytes(tmp_path: Path, suffix: str, fmt: str) -> None:
    outputs = []
    for name in ("first", "second"):
        target = tmp_path / f"{name}.{suffix}"
        done = run("report", SMALL, "-o", str(target), "-f", fmt, "--seed", "7", "-n", "0")
        assert done.returncode == 0, done.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0]


def test_audit_to_stdout_is_deterministic() -> None:
    first = run("audit", SMALL, "--format", "sarif", "-n", "0")
    second = run("audit", SMALL, "--format", "sarif", "-n", "0")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


def test_new_reports_follow_the_umask_and_old_ones_keep_their_mode(tmp_path) -> None:
    import os
    import stat

    from rankaudit.report.write import write_output

    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.html"
        write_output(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        fresh.chmod(0o640)
        write_output(fresh, "y")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_links_and_devices_are_written_through_not_replaced(tmp_path) -> None:
    import os
    import stat

    from rankaudit.report.write import write_output

    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_output(link, "{}")
    assert link.is_symlink() and real.read_text() == "{}"
    write_output(Path(os.devnull), "discarded")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)

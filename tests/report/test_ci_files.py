"""The pre-commit hook manifest and the GitHub Actions example in docs/ci.md: they must work."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.report.conftest import DATA, ROOT


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rankaudit.cli", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A user's repository with one valid spec under specs/."""
    (tmp_path / "specs").mkdir()
    shutil.copy(DATA / "small.yaml", tmp_path / "specs" / "egci-2024.yaml")
    return tmp_path


def test_pre_commit_hooks(repo: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["rankaudit-validate", "rankaudit-audit"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is True
        files = re.compile(hook["files"])
        assert files.search("specs/a.yaml") and files.search("specs/sub/b.yml")
        assert not files.search("tests/a.yaml") and not files.search("specs/data.csv")
        command = shlex.split(hook["entry"])
        assert command[0] == "rankaudit"
        done = run([*command[1:], *hook.get("args", []), "specs/egci-2024.yaml"], cwd=repo)
        assert done.returncode == 0, done.stderr


def workflow() -> dict:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.github/workflows/.*?)```", text, re.S)
    assert block, "docs/ci.md has no workflow block"
    return yaml.safe_load(block.group(1))


def test_workflow_uploads_the_sarif_it_writes(repo: Path) -> None:
    flow = workflow()
    job = flow["jobs"]["audit"]
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    commands = [shlex.split(s["run"], comments=True) for s in steps if str(s.get("run", "")).startswith("rankaudit ")]
    assert any(c[1] == "validate" for c in commands)
    sarif_step = next(c for c in commands if "sarif" in c)
    assert sarif_step[sarif_step.index("--output") + 1] == upload["with"]["sarif_file"]
    assert any("--fail-under" in c for c in commands)
    # every rankaudit command of the workflow runs as written (on a small spec): exit 0 or 1, never 2
    for command in commands:
        done = run([*command[1:], "-n", "0"] if command[1] == "audit" else command[1:], cwd=repo)
        assert done.returncode in (0, 1), (command, done.stderr)
        if "--fail-under" in command:
            assert done.returncode == 1  # the made-up spec scores below 50: the gate closes
    assert (repo / upload["with"]["sarif_file"]).exists()

"""The type checker passes: mypy, strict on rankaudit/ (configured in pyproject.toml's [tool.mypy]).

It runs as a test so that the README's test command, which `.ci/run` runs, enforces it. mypy is in the
`test` extra; the test is skipped only where it is not installed.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None,
                    reason="mypy is not installed (it is in the test extra: pip install -e '.[test]')")
def test_mypy_strict_passes() -> None:
    # the default cache (.mypy_cache, git-ignored) keeps a second run to a few seconds
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"mypy found type errors:\n{run.stdout}{run.stderr}"

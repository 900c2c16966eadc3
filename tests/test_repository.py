"""Repository hygiene that CI enforces: lint clean, generated README sections fresh."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check_is_clean() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is part of the test extra; install with pip install -e '.[test]'")
    result = subprocess.run([ruff, "check", "--no-cache", "."], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_generated_sections_are_fresh() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/update_readme.py", "--check"], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stderr

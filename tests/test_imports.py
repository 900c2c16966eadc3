"""What `rankaudit validate` imports and builds (issue 16: one spec within 2x a bare import of typer,
pydantic and PyYAML). Speed itself is measured by benchmarks/bench_validate.py; these tests pin the
structure that keeps it: each runs the command in a fresh interpreter and reads its `sys.modules`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "specs" / "kearney-gci-2014.yaml"

# Libraries validate never needs: the statistics stack, the HTML and terminal renderers' libraries.
HEAVY = ("numpy", "pandas", "scipy", "sklearn", "matplotlib", "jinja2", "rich")
# The engine: rules, scoring, the audit's result models, the statistical engine beyond the method
# vocabulary and the CSV reader that validate shares with it, the renderers.
ENGINE = (
    "rankaudit.api",
    "rankaudit.audit",
    "rankaudit.config",
    "rankaudit.result",
    "rankaudit.rules",
    "rankaudit.scoring",
    "rankaudit.questions",
    "rankaudit.compare",
)
STATS_SHARED = ("rankaudit.stats.methods", "rankaudit.stats.csvfile")

_PROBE = """
import json, sys
from rankaudit.cli import main
sys.argv = ['rankaudit', 'validate', *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
from rankaudit.spec import models
from pydantic import BaseModel
built = sorted(
    name for name, value in vars(models).items()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == models.__name__
    and value.__pydantic_complete__
)
print(json.dumps({"code": code, "modules": sorted(sys.modules), "built": built}), file=sys.stderr)
"""


def _validate(*args: str, stdin: str | None = None) -> dict[str, object]:
    """Run `rankaudit validate ARGS` in a fresh interpreter; its exit code, modules and built models."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    report: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    return report


def _engine_modules(modules: list[str]) -> list[str]:
    def engine(name: str) -> bool:
        if any(name == m or name.startswith(m + ".") for m in ENGINE):
            return True
        if name.startswith("rankaudit.stats."):
            return not any(name == m or name.startswith(m + ".") for m in STATS_SHARED)
        return name.startswith("rankaudit.report.") and name not in (
            "rankaudit.report.formats", "rankaudit.report.sanitise", "rankaudit.report.write"
        )  # fmt: skip

    return [name for name in modules if engine(name)]


@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_validate_of_a_valid_spec_imports_neither_heavy_libraries_nor_the_engine(fmt: str) -> None:
    report = _validate(str(VALID), "--format", fmt)
    modules = report["modules"]
    assert isinstance(modules, list)
    assert report["code"] == 0
    assert [m for m in HEAVY if m in modules] == []
    assert _engine_modules(modules) == []
    # one file is checked in this process: no worker pool is started
    assert "multiprocessing" not in modules


@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_an_invalid_spec_is_reported_without_the_engine(fmt: str) -> None:
    """Only the report formats (sarif, github, junit...) render the engine's Problem objects."""
    report = _validate("-", "--format", fmt, stdin="spec_version: 1\nranking: {name: x}\n")
    modules = report["modules"]
    assert isinstance(modules, list)
    assert report["code"] == 1
    assert _engine_modules(modules) == []


def test_a_report_format_still_gets_the_problems() -> None:
    report = _validate("-", "--format", "sarif", stdin="spec_version: 1\nranking: {name: x}\n")
    modules = report["modules"]
    assert isinstance(modules, list)
    assert report["code"] == 1 and "rankaudit.audit" in modules


def test_only_the_spec_model_is_built() -> None:
    """The spec models build on first use (`defer_build`): validating builds the Spec validator once,
    with its nested models inline, instead of one validator per model at import."""
    assert _validate(str(VALID))["built"] == ["Spec"]


def test_importing_the_models_builds_none() -> None:
    probe = (
        "from pydantic import BaseModel\n"
        "from rankaudit.spec import models\n"
        "print(sorted(n for n, v in vars(models).items() if isinstance(v, type) and issubclass(v, BaseModel)\n"
        "             and v.__pydantic_complete__))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr


def test_a_model_used_directly_still_validates_on_first_use() -> None:
    from pydantic import ValidationError

    from rankaudit.spec.models import About, Citation

    assert About.model_validate({"about": 160}).about == 160
    with pytest.raises(ValidationError, match="extra"):
        Citation.model_validate({"url": "https://example.org", "page": 1, "bogus": 1})

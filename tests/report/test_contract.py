"""The result is the renderers' only interface: decisions and rounding are the engine's.

Renderers import neither the rule registry nor the statistics engine; the fail-under gate compares
the number it prints; every output shows the same rounded score.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rankaudit.audit import gate
from rankaudit.report import render
from rankaudit.report.terminal import scorecards_text
from rankaudit.result import AuditResult, number, rounded
from tests.report.conftest import ROOT

REPORT = ROOT / "rankaudit" / "report"


def test_renderers_import_no_engine_module() -> None:
    renderers = sorted(f"rankaudit.report.{p.stem}" for p in REPORT.glob("*.py") if p.stem != "__init__")
    modules = [*renderers, "rankaudit.report", "rankaudit.compare"]
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('rankaudit'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded = set(done.stdout.split())
    forbidden = {
        m
        for m in loaded
        if m.startswith(("rankaudit.rules", "rankaudit.scoring", "rankaudit.audit", "rankaudit.spec"))
        or (m.startswith("rankaudit.stats.") and m != "rankaudit.stats.result")
    }
    assert not forbidden, f"renderers pull in engine modules: {sorted(forbidden)}"


def test_no_renderer_reads_statistics_by_string_key() -> None:
    reads = [
        f"{p.name}:{n}"
        for p in REPORT.rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.get\(\"", line) and "environ" not in line and ".tool.get" not in line
    ]
    assert not reads


def _with_overall(result: AuditResult, overall: float) -> AuditResult:
    return result.model_copy(update={"overall": overall})


@pytest.mark.parametrize(
    ("overall", "threshold", "passed", "message"),
    [
        (39.93, 40, False, "overall score 39.9 is below 40"),
        (39.96, 40, True, None),  # shown as 40: a gate of 40 must not fail what prints as 40
        (40.0, 40, True, None),
        (16.5, 16.5, True, None),
        (16.44, 16.5, False, "overall score 16.4 is below 16.5"),
    ],
)
def test_gate_compares_the_number_it_prints(
    small: AuditResult, overall: float, threshold: float, passed: bool, message: str | None
) -> None:
    decision = gate(_with_overall(small, overall), threshold)
    assert decision.passed is passed
    if message is None:
        assert decision.message is None
    else:
        assert decision.message is not None and decision.message.endswith(message)
        shown = re.search(r"score ([\d.]+) is below", decision.message)
        assert shown is not None and float(shown.group(1)) == rounded(overall) < threshold


def test_gate_without_a_threshold_or_a_score(small: AuditResult) -> None:
    assert gate(small, None).passed
    unscored = small.model_copy(update={"overall": None})
    decision = gate(unscored, 10)
    assert not decision.passed and decision.message and "no overall score" in decision.message


def test_every_output_shows_the_same_overall_score(small: AuditResult) -> None:
    result = _with_overall(small, 16.5)
    shown = number(result.overall)
    assert shown == "16.5"
    terminal = scorecards_text([result])
    assert re.search(r"Overall 16\.5\s", terminal)
    assert f"{shown} of 100" in render([result], "md")
    assert f"{shown} of 100" in render([result], "github")
    assert f"{shown} out of 100" in render([result], "html")


def test_dimension_grades_come_from_the_engine(small: AuditResult) -> None:
    for dim in small.dimensions:
        if dim.score is None:
            assert dim.grade is None
        else:
            band = next(b for b in small.grade_bands if dim.score >= b.lower)
            assert dim.grade == band.grade


def test_duplicated_members_are_derived(small_with_stats: AuditResult) -> None:
    data = json.loads(render([small_with_stats], "json"))[0]
    assert data["scores"] == {d["dimension"]: d["score"] for d in data["dimensions"]}
    assert data["ranking"] == {"name": data["profile"]["name"], "edition": data["profile"]["edition"]}
    assert [u["id"] for u in data["units"]] == [u["id"] for u in data["statistics"]["units"]]
    assert data["settings"] == data["statistics"]["parameters"]
    assert list(data)[:4] == ["file", "tool", "ranking", "profile"]  # the documented order is kept


def test_findings_carry_the_rule_metadata_renderers_show(small: AuditResult) -> None:
    for f in small.findings:
        assert f.title and f.source and f.rationale and f.scoring
    assert Path(REPORT / "sarif.py").read_text(encoding="utf-8").count("rankaudit.rules") == 0

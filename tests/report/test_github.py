"""GitHub Actions annotations (workflow commands) and the job summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rankaudit.report.github import append_step_summary, render_github, step_summary
from rankaudit.report.sanitise import github_data as escape_data
from rankaudit.report.sanitise import github_property as escape_property
from rankaudit.result import AuditResult
from tests.report.conftest import HOSTILE, SMALL

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(p.split("=", 1) for p in match.group(2).split(","))
    return match.group(1), {k: unescape(v) for k, v in props.items()}, unescape(match.group(3))


def test_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("a:b,c") == "a:b,c"


def test_one_annotation_per_failing_finding_with_location(small: AuditResult) -> None:
    lines = render_github([small]).splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    failing = small.failing()
    assert len(annotations) == len(failing)
    for line, finding in zip(annotations, failing, strict=True):
        command, props, message = parse(line)
        expected = {0: "error" if finding.core else "warning", 1: "warning" if finding.core else "notice"}
        assert command == expected[finding.score]
        assert props["file"] == SMALL
        assert props["line"] == str(finding.line)
        assert props["col"] == str(finding.column)
        if finding.end_line == finding.line:
            assert props["endLine"] == str(finding.line)
            assert props["endColumn"] == str(finding.end_column)
        else:  # GitHub refuses a column range across lines
            assert "endColumn" not in props and "endLine" not in props
        assert props["title"] == f"rankaudit {finding.code}: {finding.title}"
        assert message.startswith(finding.message)
    assert lines[-1].startswith(f"rankaudit: {SMALL}: ")


def test_most_costly_first(small: AuditResult, hostile: AuditResult) -> None:
    annotations = [line for line in render_github([small, hostile]).splitlines() if line.startswith("::")]
    costs = [float(re.search(r"costs ([0-9.]+) of 100", parse(a)[2]).group(1)) for a in annotations]
    assert costs == sorted(costs, reverse=True)


def test_spec_text_cannot_inject_commands(hostile: AuditResult) -> None:
    output = render_github([hostile])
    for line in output.splitlines():
        assert COMMAND.match(line) or line.startswith("rankaudit: "), line
        if line.startswith("::"):
            _, props, _ = parse(line)
            assert props["file"] == HOSTILE
    assert "\r" not in output


def test_step_summary_lists_every_finding(small: AuditResult, hostile: AuditResult) -> None:
    summary = step_summary([small, hostile])
    assert summary.startswith("# rankaudit")
    for result in (small, hostile):
        for finding in result.failing():
            assert f"| {finding.level} | {finding.code} " in summary
    assert "<script>" not in summary


def test_append_step_summary(tmp_path: Path, small: AuditResult) -> None:
    assert append_step_summary([small], environ={}) is None
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    assert append_step_summary([small], environ={"GITHUB_STEP_SUMMARY": str(target)}) == target
    text = target.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n# rankaudit")
    assert text.endswith(step_summary([small]))


def test_cli_appends_the_step_summary(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from rankaudit import cli
    from tests.report.conftest import ROOT

    if "append_step_summary" not in Path(cli.__file__).read_text(encoding="utf-8"):
        pytest.skip("rankaudit.cli does not call append_step_summary yet")
    summary = tmp_path / "step-summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run(
        [sys.executable, "-m", "rankaudit.cli", "audit", SMALL, "--format", "github", "-n", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("::")
    assert summary.read_text(encoding="utf-8").startswith("# rankaudit")

"""GitHub Actions: workflow-command annotations, and a Markdown job summary.

`render_github` is pure: one `::error`/`::warning`/`::notice` line per failing finding, most
costly first (GitHub shows at most 10 annotations of each kind per step, so the costliest come
first), then one plain line per spec. Levels follow the SARIF mapping (rankaudit.report.sarif):
error = core rule not met; warning = other rule not met, or core rule partly met; notice = other
rule partly met.

Escaping follows the workflow-command syntax (`escapeData` / `escapeProperty` of @actions/core):
in the message `%` -> %25, CR -> %0D, LF -> %0A; in properties also `:` -> %3A and `,` -> %2C.
Plain lines start with "rankaudit:" so that no spec text can begin a line with `::` and be read as
a command. Columns are sent only for one-line regions: GitHub refuses a column range that spans
lines, so a multi-line region keeps its first line and start column.

Because of the cap, the full list belongs in the job summary: `step_summary(results)` returns
it as Markdown, and `append_step_summary(results)` appends it to the file named by
`$GITHUB_STEP_SUMMARY` (the CLI calls it after printing the annotations).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from rankaudit.report.common import artifact_path, display_name, grade_phrase, number, one_line
from rankaudit.report.formats import RenderOptions
from rankaudit.report.markdown import report_markdown
from rankaudit.report.sanitise import github_data, github_property, md_text
from rankaudit.result import AuditResult, Finding, LocatedError

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
# GitHub keeps 1 MiB of summary per step; stay well below it.
SUMMARY_LIMIT = 900_000


def annotation(finding: Finding) -> str:
    props = [("file", artifact_path(finding.file))]
    if finding.line is not None:
        props.append(("line", str(finding.line)))
        one_line_region = finding.end_line is None or finding.end_line == finding.line
        if finding.column is not None:
            props.append(("col", str(finding.column)))
        if one_line_region:
            props.append(("endLine", str(finding.line)))
            if finding.column is not None and finding.end_column is not None and finding.end_column > finding.column:
                props.append(("endColumn", str(finding.end_column)))
    props.append(("title", f"rankaudit {finding.code}: {one_line(finding.title)}"))
    absence = f" ({finding.absence_text})" if finding.absence_text else ""  # the engine's words
    message = (
        f"{one_line(finding.message)}\n"
        f"Scores {finding.score} of 2 points{absence}; costs {number(finding.cost, 2)} of 100 points.\n"
        f"Source: {one_line(finding.source)}"
    )
    properties = ",".join(f"{key}={github_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.level]} {properties}::{github_data(message)}"


def problem_annotation(error: LocatedError) -> str:
    """An error that stopped the audit of a spec, on the line it names (spec or data file)."""
    props = [("file", artifact_path(error.file))]
    if error.line is not None:
        props.append(("line", str(error.line)))
        if error.column is not None:
            props.append(("col", str(error.column)))
    props.append(("title", f"rankaudit {error.code}: the spec could not be audited"))
    properties = ",".join(f"{key}={github_property(value)}" for key, value in props)
    command = "error" if error.severity == "error" else "warning"
    return f"::{command} {properties}::{github_data(one_line(error.message))}"


def render_github(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    problems = (options or RenderOptions()).problems
    findings = sorted(
        (f for r in results for f in r.failing()),
        key=lambda f: (-f.cost, artifact_path(f.file), f.code),
    )
    # errors that stop an audit come first: GitHub shows only the first few annotations of a kind
    lines = [problem_annotation(e) for p in problems for e in p.errors]
    lines += [annotation(f) for f in findings]
    for r in results:
        # the line starts with rankaudit's own words and the input in it is escaped as data, so no
        # file or ranking name (a newline, `::error::`, `##[error]`) can start a line of the log
        lines.append(
            f"rankaudit: {github_data(artifact_path(r.file))}: {github_data(one_line(display_name(r)))}: "
            f"{grade_phrase(r)}, {number(r.overall)} of 100, {len(r.failing())} findings"
        )
    for p in problems:
        errors = sum(1 for e in p.errors if e.severity == "error")
        lines.append(f"rankaudit: {github_data(artifact_path(p.file))}: could not be audited, {errors} errors")
    return "\n".join(lines) + "\n"


def step_summary(results: list[AuditResult]) -> str:
    """The job summary (GitHub-flavoured Markdown): every failing finding, not capped."""
    parts = ["# rankaudit", ""]
    if len(results) > 1:
        parts += ["| Ranking | Grade | Overall | Findings | Spec |", "|---|---|--:|--:|---|"]
        for r in results:
            parts.append(
                f"| {md_text(display_name(r))} | {md_text(r.grade_text or r.grade_label)} | {number(r.overall)} | "
                f"{len(r.failing())} | {md_text(artifact_path(r.file))} |"
            )
        parts.append("")
    text = "\n".join(parts)
    for r in results:
        section = report_markdown(r, level=2, full=False) + "\n"
        if len(text) + len(section) > SUMMARY_LIMIT:
            text += (
                "\n_The summary stops here: GitHub keeps 1 MiB per step. "
                "Write a Markdown or HTML report for the rest._\n"
            )
            break
        text += section
    return text


def append_step_summary(results: list[AuditResult], environ: Mapping[str, str] | None = None) -> Path | None:
    """Append `step_summary(results)` to `$GITHUB_STEP_SUMMARY` when it is set; return the file."""
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8", newline="\n") as stream:
        stream.write(step_summary(results))
    return path

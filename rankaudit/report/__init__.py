"""Renderers: one module per format. They read AuditResults and never compute."""

from __future__ import annotations

from pathlib import Path

from rankaudit.report.write import write_output
from rankaudit.result import AuditResult

SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
}


def format_for_suffix(output: str) -> str | None:
    if output == "-":
        return "json"
    name = output.lower()
    if name.endswith(".sarif.json"):
        return "sarif"
    return SUFFIXES.get(Path(name).suffix)


def render(results: list[AuditResult], fmt: str) -> str:
    """Render audit results in one of: json, md, html, sarif, github, junit."""
    if fmt == "json":
        from rankaudit.report.json_report import render_json

        return render_json(results)
    if fmt == "md":
        from rankaudit.report.markdown import render_markdown

        return render_markdown(results)
    if fmt == "html":
        from rankaudit.report.html import render_html

        return render_html(results)
    if fmt == "sarif":
        from rankaudit.report.sarif import render_sarif

        return render_sarif(results)
    if fmt == "github":
        from rankaudit.report.github import render_github

        return render_github(results)
    if fmt == "junit":
        from rankaudit.report.junit import render_junit

        return render_junit(results)
    raise ValueError(f"unknown report format {fmt!r}")


__all__ = ["format_for_suffix", "render", "write_output"]

"""The Markdown report: GitHub-flavoured, escaped, located, deterministic."""

from __future__ import annotations

import re

from rankaudit.report.common import artifact_path
from rankaudit.report.markdown import md_link, md_text, render_markdown
from rankaudit.report.plain import plain_summary
from rankaudit.result import AuditResult

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_rows(markdown: str) -> list[list[str]]:
    """The tables of a document, each a list of its lines."""
    tables: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def test_text_is_escaped() -> None:
    assert md_text("a | b") == r"a \| b"
    assert md_text("`code`") == r"\`code\`"
    assert md_text("<script>x</script>") == r"\<script\>x\</script\>"
    assert md_text("[x](javascript:y)") == r"\[x\](javascript:y)"
    assert md_text("two\nlines") == "two lines"
    assert md_text("*a* _b_ ~c~ !d &e #f") == r"\*a\* \_b\_ \~c\~ \!d \&e \#f"


def test_links_only_for_http() -> None:
    assert (
        md_link("doc", "https://example.org/a b")
        == r"doc https\://example\.org/a b (not linked: not an http(s) address)"  # escaped: no linkifier links it
    )
    assert md_link("doc", "javascript:alert(1)") == "doc javascript:alert(1) (not linked: not an http(s) address)"
    assert md_link("doc", "https://example.org/x_(y)|z") == "[doc](https://example.org/x_%28y%29%7Cz)"


def test_tables_keep_their_columns(small_with_stats: AuditResult, hostile_with_stats: AuditResult) -> None:
    for result in (small_with_stats, hostile_with_stats):
        markdown = render_markdown([result])
        tables = table_rows(markdown)
        assert len(tables) >= 4
        for table in tables:
            widths = {len(UNESCAPED_PIPE.findall(row)) for row in table}
            assert len(widths) == 1, table


def test_hostile_strings_are_inert(hostile_with_stats: AuditResult) -> None:
    markdown = render_markdown([hostile_with_stats])
    # no raw tag, no link to anything but http(s), no unescaped backtick
    assert not re.search(r"(?<!\\)<[a-zA-Z/]", markdown)
    for target in re.findall(r"(?<!\\)\]\(([^)]*)\)", markdown):
        assert target.startswith(("http://", "https://")), target
    assert not re.search(r"(?<!\\)`", markdown)
    assert r"\<script\>alert(1)\</script\>" in markdown
    assert r"\<svg onload=alert(10)\>" in markdown  # a city name in the rank table


def test_findings_table_locates_each_finding(small: AuditResult) -> None:
    markdown = render_markdown([small])
    findings_table = next(t for t in table_rows(markdown) if t[0].startswith("| Level | Rule"))
    failing = small.failing()
    assert len(findings_table) == 2 + len(failing)
    for row, finding in zip(findings_table[2:], failing, strict=True):
        assert f"| {md_text(artifact_path(finding.file))}:{finding.line}:{finding.column} |" in row
        assert row.startswith(f"| {finding.level} | {finding.code} ")
    first = failing[0]
    assert md_text(f"tests/report/data/small.yaml:{first.line}:{first.column}") in markdown


def test_summary_and_sources_are_included(small: AuditResult) -> None:
    markdown = render_markdown([small])
    summary = plain_summary(small)
    assert "What this ranking can and cannot tell you" in markdown
    assert md_text(summary.verdict) in markdown
    for citation in small.profile.citations:
        assert f"]({citation.url})" in markdown


def test_statistics_are_summarised(small_with_stats: AuditResult) -> None:
    markdown = render_markdown([small_with_stats])
    assert "Statistical audit of the data" in markdown
    assert "| Zeta-on-Sea | 6 | 6 | 6-6 |" in markdown


def test_several_specs_and_determinism(small: AuditResult, hostile: AuditResult) -> None:
    markdown = render_markdown([small, hostile])
    assert markdown.startswith("# Methodology audit of 2 rankings")
    assert markdown.count("## Methodology audit: ") == 2
    assert markdown == render_markdown([small, hostile])
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")

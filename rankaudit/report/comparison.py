"""Renderers of the comparison table (`rankaudit compare`): markdown, CSV, JSON and the terminal.

They format a `rankaudit.compare.Comparison` and compute nothing; `rankaudit.report.formats.COMPARISONS`
lists them. A missing value prints as "—" in
the terminal and markdown, as an empty cell in CSV and as null in JSON, never as 0.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from rankaudit.report.common import csv_cell, text_console
from rankaudit.report.formats import RenderOptions
from rankaudit.report.sanitise import md_code, md_text, terminal_text
from rankaudit.result import number

if TYPE_CHECKING:
    from rich.console import Console

    from rankaudit.compare import Comparison, EditionDiff, Row

MISSING = "—"
SHORT_TITLES = {
    "opacity": "Opac.",
    "freshness": "Fresh.",
    "comparability": "Comp.",
    "quantitative_bias": "Bias",
    "statistical_robustness": "Stat.",
}


# --------------------------------------------------------------------------------------------- helpers


def _score(value: float | None) -> str:
    """Dimension and overall scores, rounded as every other output rounds them."""
    return MISSING if value is None else number(value)


def _count(value: int | None) -> str:
    return MISSING if value is None else str(value)


# The helpers below are shared by the terminal and Markdown: they neutralise terminal controls
# (Markdown escapes its own markup on top, in md_text).


def _text(value: str | None) -> str:
    return MISSING if value is None or value == "" else terminal_text(value)


def _grade(row: Row) -> str:
    """The grade, with 'provisional', the coverage and the range when it is provisional (issue 10)."""
    if row.grade is None or not row.provisional:
        return _text(row.grade)
    coverage = "" if row.coverage is None else f" {number(row.coverage * 100, 0)}%"
    span = f", {'-'.join(dict.fromkeys(row.grade_range))}" if row.grade_range else ""
    return terminal_text(f"{row.grade} provisional{coverage}{span}")


def _publisher(row: Row) -> str:
    return terminal_text(f"{row.publisher} ({row.publisher_type})" if row.publisher_type else row.publisher)


def _finding(row: Row) -> str:
    worst = row.most_serious
    return MISSING if worst is None else terminal_text(f"{worst.code} {worst.message}")


def _title(row: Row) -> str:
    return terminal_text(f"{row.ranking} {row.edition}")


# --------------------------------------------------------------------------------------------- markdown


def render_markdown(comparison: Comparison, options: RenderOptions | None = None) -> str:
    if not comparison.rows:
        return "No spec could be audited (see the messages on standard error).\n"
    header = ["Ranking", "Edition", "Publisher (type)", "Cities", "Indicators"]
    header += [d.title for d in comparison.dimensions]
    header += ["Overall", "Grade", "Most serious finding", "Spec"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in comparison.rows:
        cells = [row.ranking, row.edition, _publisher(row), _count(row.cities), _count(row.indicators)]
        cells += [_score(row.scores.get(d.key)) for d in comparison.dimensions]
        cells += [_score(row.overall), _grade(row), _finding(row)]
        spec = md_code(row.file) if row.file else MISSING
        lines.append("| " + " | ".join([*(md_text(c) for c in cells), spec]) + " |")
    diffs = comparison.edition_diffs
    if diffs:
        lines += ["", "### Changes between editions", ""]
        for row in diffs:
            lines += _md_diff(row, row.previous)  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def _md_diff(row: Row, diff: EditionDiff) -> list[str]:
    out = [
        f"**{md_text(row.ranking)} {md_text(diff.previous_edition)} → {md_text(row.edition)}**: "
        f"ranks comparable year on year: {diff.comparability}.",
        "",
    ]
    if diff.statement:
        out += [f"> {md_text(diff.statement)}", ""]
    items = [f"- {md_text(c)}" for c in diff.changes] + [f"- {md_text(d)} (from the two audits)" for d in diff.derived]
    out += items or ["- no change listed"]
    out.append("")
    return out


# --------------------------------------------------------------------------------------------- CSV


def csv_header(comparison: Comparison) -> list[str]:
    return [
        "ranking",
        "short_name",
        "edition",
        "publisher",
        "publisher_type",
        "cities",
        "indicators",
        *[d.key for d in comparison.dimensions],
        "overall",
        "grade",
        "most_serious_code",
        "most_serious_finding",
        "compared_with_edition",
        "comparable_year_on_year",
        "methodology_changes",
        "file",
    ]


def render_csv(comparison: Comparison, options: RenderOptions | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header(comparison))
    for row in comparison.rows:
        diff = row.previous
        worst = row.most_serious
        values: list[Any] = [
            row.ranking,
            row.short_name,
            row.edition,
            row.publisher,
            row.publisher_type,
            row.cities,
            row.indicators,
            *[row.scores.get(d.key) for d in comparison.dimensions],
            row.overall,
            row.grade,
            worst.code if worst else None,
            worst.message if worst else None,
            diff.previous_edition if diff else None,
            diff.comparability if diff else None,
            "; ".join([*diff.changes, *diff.derived]) if diff else None,
            row.file,
        ]
        writer.writerow([csv_cell(v) for v in values])
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------- JSON


def render_json(comparison: Comparison, options: RenderOptions | None = None) -> str:
    return json.dumps([row.model_dump(mode="json") for row in comparison.rows], indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------- terminal


def render_terminal(comparison: Comparison, options: RenderOptions | None = None) -> str:
    """The comparison for people: with ANSI colours when `options.color`, plain otherwise."""
    console, buffer = text_console(options or RenderOptions())
    print_comparison(comparison, console)
    return buffer.getvalue()


def print_comparison(comparison: Comparison, console: Console | None = None) -> None:
    """Print the comparison table (and edition changes) with rich; all text goes in as plain Text."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    table = Table(
        show_header=True,
        header_style="bold",
        title="Rankings compared",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("Ranking, edition / publisher (type)", overflow="fold", min_width=18)
    table.add_column("Cities", justify="right", no_wrap=True)
    table.add_column("Ind.", justify="right", no_wrap=True)
    for dim in comparison.dimensions:
        table.add_column(SHORT_TITLES.get(dim.key, dim.title), justify="right", no_wrap=True)
    table.add_column("All", justify="right", style="bold", no_wrap=True)
    table.add_column("Gr.", justify="center", no_wrap=True)
    for row in comparison.rows:
        table.add_row(
            Text.assemble(_title(row), "\n", (_publisher(row), "dim")),
            _count(row.cities),
            _count(row.indicators),
            *[_score(row.scores.get(d.key)) for d in comparison.dimensions],
            _score(row.overall),
            Text(_grade(row)),
        )
    console.print(table)
    legend = ", ".join(f"{SHORT_TITLES[d.key]} = {d.title}" for d in comparison.dimensions if d.key in SHORT_TITLES)
    console.print(Text(f"Ind. = indicators; {legend}; All = overall score; Gr. = grade", style="dim"))
    if comparison.rows:
        console.print()
        console.print(Text("Most serious finding of each ranking", style="bold"))
        for row in comparison.rows:
            console.print(Text.assemble(f"  {_title(row)}: ", (_finding(row), "yellow" if row.most_serious else "dim")))
    for row in comparison.edition_diffs:
        diff = row.previous
        assert diff is not None
        console.print()
        console.print(
            Text.assemble(
                (terminal_text(f"{row.ranking} {diff.previous_edition} → {row.edition}"), "bold"),
                f"  ranks comparable year on year: {diff.comparability}",
            )
        )
        if diff.statement:
            console.print(Text(f"  “{terminal_text(diff.statement)}”", style="italic"))
        for change in diff.changes:
            console.print(Text(f"  • {terminal_text(change)}"))
        for derived in diff.derived:
            console.print(Text(f"  • {terminal_text(derived)} (from the two audits)", style="dim"))
        if not diff.changes and not diff.derived:
            console.print(Text("  • no change listed", style="dim"))
    if not comparison.rows:
        console.print(Text("no rankings to compare", style="dim"))


__all__ = ["print_comparison", "render_csv", "render_json", "render_markdown", "render_terminal"]

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
from rankaudit.result import coverage_percent, number

if TYPE_CHECKING:
    from rich.console import Console

    from rankaudit.compare import Comparison, EditionDiff, Row, Series, SharedName

MISSING = "—"


def _coverage_note(comparison: Comparison) -> str:
    return (
        "Percentages are evidence coverage: the share of a score's rule points that rest on facts established "
        f"from the sources cited. A grade is provisional below {number(comparison.provisional_below * 100, 0)}% "
        f"coverage, and not given below {number(comparison.withheld_below * 100, 0)}% (not graded); the range is "
        "how far the unanswered questions could move it."
    )
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


def _coverage(value: float | None) -> str:
    """An evidence coverage (0-1) as a whole percentage, rounded down as in the grade's words; '' when there is
    none (no rule applies)."""
    return coverage_percent(value)


def _scored(value: float | None, coverage: float | None) -> str:
    """A score with its evidence coverage beside it: '62.5 (40%)'; the bare score when no coverage."""
    text = _score(value)
    cov = _coverage(coverage)
    return f"{text} ({cov})" if value is not None and cov else text


def _provisional(row: Row) -> str:
    """'yes' with the range of grades the unanswered questions allow, 'no', or 'withheld' (no letter at all)."""
    if row.grade_status == "withheld":
        return "withheld"
    if row.grade is None:
        return MISSING
    if not row.provisional:
        return "no"
    span = "-".join(dict.fromkeys(row.grade_range)) if row.grade_range else ""
    return f"yes ({span})" if span else "yes"


def _count(value: str | None) -> str:
    """A count as the engine words it (`Profile.cities_text`: 'about 2500' keeps the publisher's rounding)."""
    return MISSING if value is None else value


# The helpers below are shared by the terminal and Markdown: they neutralise terminal controls
# (Markdown escapes its own markup on top, in md_text).


def _text(value: str | None) -> str:
    return MISSING if value is None or value == "" else terminal_text(value)


def _grade_cell(row: Row) -> str:
    """The Grade column: the letter, or the withheld state in words ('not graded (E-A)'), never a bare
    dash for a grade withheld (the dash is for a ranking that could not be assessed at all)."""
    if row.grade_status == "withheld":
        return terminal_text(row.grade_label)
    return _text(row.grade)


def _grade(row: Row) -> str:
    """The grade, with 'provisional', the coverage and the range when it is provisional (issue 10), or
    'not graded', the coverage and the range when it is withheld."""
    coverage = "" if row.coverage is None else f" {coverage_percent(row.coverage)}"
    if row.grade_status == "withheld":
        span = f", {'-'.join(dict.fromkeys(row.grade_range))}" if row.grade_range else ""
        return terminal_text(f"not graded{coverage}{span}")
    if row.grade is None or not row.provisional:
        return _text(row.grade)
    span = f", {'-'.join(dict.fromkeys(row.grade_range))}" if row.grade_range else ""
    return terminal_text(f"{row.grade} provisional{coverage}{span}")


def _publisher(row: Row) -> str:
    return terminal_text(f"{row.publisher} ({row.publisher_type})" if row.publisher_type else row.publisher)


def _finding(row: Row) -> str:
    worst = row.most_serious
    return MISSING if worst is None else terminal_text(f"{worst.code} {worst.message}")


def _series_words(series: Series) -> str:
    """'Global Cities Index, Kearney: editions 2023, 2024' (every name the series' specs use)."""
    count = len(series.editions)
    editions = f"edition{'s' if count != 1 else ''} {', '.join(series.editions)}"
    return f"{' / '.join(series.rankings)}, {' / '.join(series.publishers)}: {editions}"


def _shared_words(shared: SharedName) -> str:
    series = ", ".join(shared.series)
    return (
        f"“{shared.name}” is the name of {len(shared.series)} different series ({series}): "
        "their editions are not compared with each other."
    )


def _title(row: Row) -> str:
    return terminal_text(f"{row.ranking} {row.edition}{_which(row)}")


def _which(row: Row) -> str:
    """' (series id)' when another series compared shares the ranking's name, so that a title is unambiguous."""
    return f" ({row.series})" if row.shares_name_with else ""


# --------------------------------------------------------------------------------------------- markdown


def render_markdown(comparison: Comparison, options: RenderOptions | None = None) -> str:
    if not comparison.rows:
        return "No spec could be audited (see the messages on standard error).\n"
    header = ["Ranking", "Edition", "Publisher (type)", "Cities", "Indicators"]
    header += [d.title for d in comparison.dimensions]
    header += ["Overall", "Coverage", "Grade", "Provisional", "Most serious finding", "Spec"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in comparison.rows:
        cells = [row.ranking, row.edition, _publisher(row), _count(row.cities_text), _count(row.indicators_text)]
        cells += [_scored(row.scores.get(d.key), row.coverages.get(d.key)) for d in comparison.dimensions]
        cells += [_score(row.overall), _coverage(row.coverage) or MISSING, _grade_cell(row), _provisional(row)]
        cells.append(_finding(row))
        spec = md_code(row.file) if row.file else MISSING
        lines.append("| " + " | ".join([*(md_text(c) for c in cells), spec]) + " |")
    lines += ["", _coverage_note(comparison)]
    lines += _md_series(comparison)
    diffs = comparison.edition_diffs
    if diffs:
        lines += ["", "### Changes between editions", ""]
        for row in diffs:
            if row.previous is not None:  # edition_diffs holds only rows with a previous edition
                lines += _md_diff(row, row.previous)
    return "\n".join(lines) + "\n"


def _md_series(comparison: Comparison) -> list[str]:
    if not comparison.series:
        return []
    out = ["", "### Series", ""]
    for series in comparison.series:
        out.append(f"- {md_code(series.id)}: {md_text(_series_words(series))}")
    for shared in comparison.shared_names:
        out += ["", md_text(_shared_words(shared))]
    return out


def _md_which(row: Row) -> str:
    return f" ({md_code(row.series)})" if row.shares_name_with else ""


def _md_diff(row: Row, diff: EditionDiff) -> list[str]:
    out = [
        f"**{md_text(row.ranking)} {md_text(diff.previous_edition)} → {md_text(row.edition)}{_md_which(row)}**: "
        f"ranks comparable year on year: {diff.comparability}.",
        "",
    ]
    if diff.statement:
        out += [f"> {md_text(diff.statement)}", ""]
    items = [f"- {md_text(c)}" for c in diff.changes]
    items += [f"- {md_text(diff.publisher_change)}"] if diff.publisher_change else []
    items += [f"- {md_text(d)} (from the two audits)" for d in diff.derived]
    out += items or ["- no change listed"]
    out.append("")
    return out


# --------------------------------------------------------------------------------------------- CSV


def csv_header(comparison: Comparison) -> list[str]:
    return [
        "ranking",
        "short_name",
        "edition",
        "series",
        "publisher",
        "publisher_type",
        "cities",
        "indicators",
        *[column for d in comparison.dimensions for column in (d.key, f"{d.key}_coverage")],
        "overall",
        "coverage",
        "grade",
        "grade_status",
        "provisional",
        "grade_range",
        "most_serious_code",
        "most_serious_finding",
        "compared_with_edition",
        "comparable_year_on_year",
        "methodology_changes",
        "shares_name_with",
        "file",
    ]


def render_csv(comparison: Comparison, options: RenderOptions | None = None) -> str:
    """One line per spec; coverages are shares (0-1) like the JSON's, beside the score they qualify."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header(comparison))
    for row in comparison.rows:
        diff = row.previous
        worst = row.most_serious
        changes = (
            [*diff.changes, *([diff.publisher_change] if diff.publisher_change else []), *diff.derived] if diff else []
        )
        values: list[Any] = [
            row.ranking,
            row.short_name,
            row.edition,
            row.series,
            row.publisher,
            row.publisher_type,
            row.cities,
            row.indicators,
            *[value for d in comparison.dimensions for value in (row.scores.get(d.key), row.coverages.get(d.key))],
            row.overall,
            row.coverage,
            row.grade,
            row.grade_status,
            row.provisional if row.grade_status != "not_assessable" else None,
            "-".join(row.grade_range) if row.grade_range else None,
            worst.code if worst else None,
            worst.message if worst else None,
            diff.previous_edition if diff else None,
            diff.comparability if diff else None,
            "; ".join(changes) if diff else None,
            " ".join(row.shares_name_with) or None,
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

    def scored(value: float | None, coverage: float | None) -> Text:
        # the score, and under it (dim) the share of its points resting on established facts
        cov = _coverage(coverage) if value is not None else ""
        return Text.assemble(_score(value), *(("\n", (cov, "dim")) if cov else ()))

    for row in comparison.rows:
        if row.grade_status == "withheld":  # in words, with the range under it: never a bare dash
            span = "-".join(dict.fromkeys(row.grade_range)) if row.grade_range else ""
            grade = Text.assemble("not graded", *(("\n", (span, "dim")) if span else ()))
        else:
            grade = Text(_text(row.grade))
        if row.grade_status == "provisional":
            grade.append("\nprov.", style="dim")
        table.add_row(
            Text.assemble(_title(row), "\n", (_publisher(row), "dim")),
            _count(row.cities_text),
            _count(row.indicators_text),
            *[scored(row.scores.get(d.key), row.coverages.get(d.key)) for d in comparison.dimensions],
            scored(row.overall, row.coverage),
            grade,
        )
    console.print(table)
    legend = ", ".join(f"{SHORT_TITLES[d.key]} = {d.title}" for d in comparison.dimensions if d.key in SHORT_TITLES)
    words = f"Ind. = indicators; {legend}; All = overall score; Gr. = grade; prov. = provisional."
    console.print(Text(f"{words} {_coverage_note(comparison)}", style="dim"))
    if comparison.rows:
        console.print()
        console.print(Text("Provisional grades and the range their unanswered questions allow", style="bold"))
        provisional = [row for row in comparison.rows if row.provisional and row.grade is not None]
        for row in provisional:
            console.print(Text(f"  {_title(row)}: {_grade(row)}"))
        if not provisional:
            console.print(Text("  none", style="dim"))
        withheld = [row for row in comparison.rows if row.grade_status == "withheld"]
        if withheld:
            console.print()
            console.print(Text("Not graded (too few questions answered) and the range they allow", style="bold"))
            for row in withheld:
                console.print(Text(f"  {_title(row)}: {_grade(row)}"))
    if comparison.series:
        console.print()
        console.print(Text("Series (editions are compared only within a series)", style="bold"))
        for series in comparison.series:
            console.print(
                Text.assemble("  ", (terminal_text(series.id), "cyan"), f"  {terminal_text(_series_words(series))}")
            )
        for shared in comparison.shared_names:
            console.print(Text(f"  {terminal_text(_shared_words(shared))}", style="yellow"))
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
                (terminal_text(f"{row.ranking} {diff.previous_edition} → {row.edition}{_which(row)}"), "bold"),
                f"  ranks comparable year on year: {diff.comparability}",
            )
        )
        if diff.statement:
            console.print(Text(f"  “{terminal_text(diff.statement)}”", style="italic"))
        for change in diff.changes:
            console.print(Text(f"  • {terminal_text(change)}"))
        if diff.publisher_change:
            console.print(Text(f"  • {terminal_text(diff.publisher_change)}"))
        for derived in diff.derived:
            console.print(Text(f"  • {terminal_text(derived)} (from the two audits)", style="dim"))
        if not diff.changes and not diff.derived and not diff.publisher_change:
            console.print(Text("  • no change listed", style="dim"))
    if not comparison.rows:
        console.print(Text("no rankings to compare", style="dim"))


__all__ = ["print_comparison", "render_csv", "render_json", "render_markdown", "render_terminal"]

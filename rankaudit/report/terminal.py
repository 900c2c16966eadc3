"""The terminal scorecard (rich): dimension scores, overall score and grade, findings by dimension."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rankaudit.report.common import display_name, grade_phrase, problem_location, text_console
from rankaudit.report.formats import RenderOptions
from rankaudit.report.plain import SOURCES_READ_CAVEAT, shows_sources_read_caveat
from rankaudit.report.sanitise import terminal_text
from rankaudit.result import AuditResult, DimensionResult, Finding, Gate, coverage_percent, number

GRADE_STYLE = {"A": "bold green", "B": "green", "C": "yellow", "D": "red", "E": "bold red"}
LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan", "pass": "green", "not_applicable": "dim"}
LEVEL_MARK = {"error": "✗", "warning": "!", "note": "·", "pass": "✓", "not_applicable": "–"}


def _bar(dim: DimensionResult, width: int = 20) -> Text:
    if dim.score is None:
        return Text("not assessable", style="dim")
    filled = round(dim.score / 100 * width)
    # the bar takes the colour of the dimension's grade; a withheld grade has no colour to lend
    style = GRADE_STYLE.get(dim.grade, "bold red") if dim.grade is not None else "white"
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def _line(finding: Finding) -> str:
    """The finding's line:column in the spec (the file is named in the card's header)."""
    return "" if finding.line is None else f"{finding.line}:{finding.column}"


def scorecard(result: AuditResult, *, show_passes: bool = False) -> Group:
    profile = result.profile
    title = Text(terminal_text(display_name(result)), style="bold")
    kind = f" ({profile.publisher.type})" if profile.publisher.type else ""
    who = terminal_text(f"{profile.publisher.name}{kind}")
    header = Text.assemble(title, "  ", (who, "dim"), "  ", (terminal_text(result.file), "dim"))
    if shows_sources_read_caveat(result):
        header.append(f"\n{SOURCES_READ_CAVEAT}", style="italic dim")
    # the grade, its coverage and what weighs most on it come first, before any table
    grade_style = GRADE_STYLE.get(result.grade or "", "bold")
    if result.grade_status == "withheld":  # 'not graded: ...' stands alone: 'Grade not graded' reads as a letter
        opening = Text(terminal_text(grade_phrase(result, start=True)), "bold")
    else:
        opening = Text.assemble(("Grade ", "bold"), (terminal_text(result.grade_text), grade_style))
    for cause in result.root_causes:
        opening.append("\n  • ")
        opening.append(terminal_text(cause))

    scores = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    scores.add_column("Dimension")
    scores.add_column("Score", justify="right")
    scores.add_column("")
    scores.add_column("Rules", justify="right", style="dim")
    for dim in result.dimensions:
        scores.add_row(
            dim.title, number(dim.score), _bar(dim), str(dim.applicable_rules) if dim.score is not None else ""
        )
    overall = Text.assemble(
        ("Overall ", "bold"),
        (number(result.overall), "bold"),
        "  " if result.grade_status == "withheld" else "  grade ",
        (terminal_text(result.grade_label), GRADE_STYLE.get(result.grade or "", "bold")),
    )

    tables = []
    for dim in result.dimensions:
        rows = sorted(
            (
                f
                for f in result.findings
                if f.dimension == dim.dimension and (show_passes or f.level in ("error", "warning", "note"))
            ),
            key=lambda f: (-f.cost, f.code),
        )
        if not rows:
            continue
        table = Table(
            title=dim.title, title_justify="left", title_style="bold", show_header=False, box=None, pad_edge=False
        )
        table.add_column("", width=1)
        table.add_column("Code", no_wrap=True)
        table.add_column("Finding", overflow="fold", ratio=1)
        table.add_column("Cost", justify="right", style="dim", no_wrap=True)
        table.add_column("Line", style="dim", no_wrap=True)
        for finding in rows:
            style = LEVEL_STYLE[finding.level]
            table.add_row(
                Text(LEVEL_MARK[finding.level], style=style),
                Text(terminal_text(finding.code), style=style),
                # Text, not str: rich would read [markup] in a str; the absence in the engine's words
                Text(terminal_text(finding.message + (f" ({finding.absence_text})" if finding.absence_text else ""))),
                f"-{number(finding.cost, 2)}" if finding.cost else "",
                _line(finding),
            )
        tables.append(table)
    passed = sum(1 for f in result.findings if f.level == "pass")
    skipped = sum(1 for f in result.findings if f.status == "not_applicable")
    unassessed = sum(1 for f in result.findings if f.status == "not_assessed")
    blocked = sum(1 for f in result.findings if f.status == "blocked")
    footer = Text(
        f"{passed} rules met, {unassessed} not assessed (facts not found in the sources cited), {blocked} blocked by "
        f"a root cause, {skipped} not applicable",
        style="dim",
    )
    parts: list[RenderableType] = [header, "", opening, "", scores, "", overall, ""]
    for table in tables:
        parts += [table, ""]
    parts.append(footer)
    for warning in result.warnings:
        where = f"{warning.line}:{warning.column} " if warning.line is not None else ""
        parts.append(Text(terminal_text(f"warning {warning.code} {where}{warning.message}"), style="yellow"))
    stats_warnings = result.statistics.warnings if result.statistics is not None else []
    for message in stats_warnings[:5]:
        parts.append(Text(f"data: {terminal_text(message)}", style="yellow"))
    if len(stats_warnings) > 5:
        parts.append(Text(f"data: {len(stats_warnings) - 5} more notes in the JSON report", style="dim"))
    if result.units:
        parts += ["", _units_table(result)]
    if result.sensitivity:
        parts += ["", _sensitivity_table(result)]
    return Group(*parts)


def _rank(value: float | None) -> str:
    return "–" if value is None else number(value)


def _units_table(result: AuditResult, limit: int = 15) -> Table:
    units = sorted(result.units or [], key=lambda u: (u.rank is None, u.rank or 0))
    table = Table(title="Rank uncertainty (Monte Carlo)", title_justify="left", box=None, header_style="bold")
    for column in ("Rank", "City", "Score", "Median", "5%–95%"):
        table.add_column(column, justify="left" if column == "City" else "right")
    for unit in units[:limit]:
        interval = "–" if unit.q05_rank is None else f"{_rank(unit.q05_rank)}–{_rank(unit.q95_rank)}"
        score = "–" if unit.score is None else number(unit.score)
        table.add_row(_rank(unit.rank), Text(terminal_text(unit.name)), score, _rank(unit.median_rank), interval)
    if len(units) > limit:
        table.caption = f"{len(units) - limit} more in the JSON or HTML report"
    return table


def _sensitivity_table(result: AuditResult) -> Table:
    table = Table(title="What drives rank changes (sensitivity)", title_justify="left", box=None, header_style="bold")
    table.add_column("Assumption")
    table.add_column("First order", justify="right")
    table.add_column("Total effect", justify="right")
    for item in sorted(result.sensitivity or [], key=lambda s: -(s.total_effect or 0)):
        table.add_row(
            Text(terminal_text(item.assumption)),
            "–" if item.first_order is None else number(item.first_order, 2),
            "–" if item.total_effect is None else number(item.total_effect, 2),
        )
    return table


def print_scorecards(
    results: list[AuditResult], *, gates: list[Gate] | None = None, console: Console | None = None
) -> None:
    """Print one card per result; `gates` are the engine's --fail-under decisions, one per result."""
    console = console or Console(highlight=False)
    decided = {id(r): g for r, g in zip(results, gates or [], strict=False)}
    for result in results:
        console.print(Panel(scorecard(result), expand=False, border_style="dim"))
        decision = decided.get(id(result))
        if decision is not None and decision.message:
            console.print(Text(terminal_text(decision.message), "bold red"))
    if len(results) > 1:
        console.print(_summary_table(results, decided))


# The summary table's Provisional column: a withheld grade is not a provisional one (it has no letter)
_PROVISIONAL_CELL = {"provisional": "provisional", "withheld": "withheld"}


def _summary_table(results: list[AuditResult], decided: dict[int, Gate]) -> Table:
    """One line per spec after the cards, so that a folder's audit ends with its overview."""
    table = Table(title=f"{len(results)} specs audited", title_justify="left", header_style="bold", box=None)
    table.add_column("Spec", overflow="fold")
    table.add_column("Overall", justify="right")
    table.add_column("Grade")
    table.add_column("Coverage", justify="right")
    table.add_column("Provisional")
    table.add_column("Could be", style="dim")
    threshold = next((g.threshold for g in decided.values() if g.threshold is not None), None)
    if threshold is not None:
        table.add_column(f"≥ {number(threshold, 2)}")
    for result in results:
        row: list[str | Text] = [
            Text(terminal_text(result.file)),
            number(result.overall),
            Text(terminal_text(result.grade_label), GRADE_STYLE.get(result.grade or "", "")),
            coverage_percent(result.coverage) or "–",
            Text(_PROVISIONAL_CELL.get(result.grade_status, ""), "yellow"),
            "–".join(dict.fromkeys(result.grade_range)) if result.grade_range else "",
        ]
        if threshold is not None:
            passed = decided[id(result)].passed
            row.append(Text("pass" if passed else "FAIL", "green" if passed else "bold red"))
        table.add_row(*row)
    return table


def render_terminal(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    """The scorecards as text: with ANSI colours when `options.color`, plain otherwise (files)."""
    options = options or RenderOptions()
    console, buffer = text_console(options)
    print_scorecards(results, gates=options.gates, console=console)
    for problem in options.problems:
        for e in problem.errors:
            console.print(Text(terminal_text(f"{problem_location(e)}: {e.code} {e.message}"), "bold red"))
    return buffer.getvalue()


def scorecards_text(results: list[AuditResult], *, gates: list[Gate] | None = None, width: int = 100) -> str:
    """The scorecards as plain text, for `audit -o FILE` in the terminal format."""
    return render_terminal(results, RenderOptions(gates=gates, width=width))

"""Markdown (GitHub-flavoured): to paste into an article, an issue or a pull-request comment.

Every string that comes from a spec goes through `rankaudit.report.sanitise.md_text`: Markdown
punctuation is backslash-escaped (so a name cannot open a link, an emphasis, a code span or an HTML
tag), `|` is escaped in table cells, line breaks become spaces, and what a linkifier would turn into
a link is broken up. Only http(s) addresses become links, and only where rankaudit makes them.
"""

from __future__ import annotations

from urllib.parse import quote

from rankaudit.report.common import (
    artifact_path,
    display_name,
    grade_phrase,
    location,
    number,
    one_line,
    problem_location,
    safe_url,
    severity_label,
    value_marks,
)
from rankaudit.report.formats import RenderOptions
from rankaudit.report.plain import Point, plain_summary
from rankaudit.report.sanitise import md_text
from rankaudit.result import AuditResult, Finding, Problem, coverage_percent
from rankaudit.stats.result import StatsResult


def md_link(text: str, url: str | None) -> str:
    """A link when the address is http(s), else the text followed by the address as plain text."""
    safe = safe_url(url)
    if safe is None:
        if not url:
            return md_text(text)
        shown = f"{md_text(text)} " if text and text != url else ""
        return f"{shown}{md_text(url)} (not linked: not an http(s) address)"
    # percent-encode what could end the destination or split a table row
    destination = quote(safe, safe="/:?#[]@!$&'*+,;=%~-._")
    destination = destination.replace("(", "%28").replace(")", "%29")
    return f"[{md_text(text or safe)}]({destination})"


def render_markdown(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    parts: list[str] = []
    if len(results) != 1:
        parts.append(f"# Methodology audit of {len(results)} rankings\n")
        parts.append(overview_table(results))
        level = 2
    else:
        level = 1
    parts += problems_markdown((options or RenderOptions()).problems, "#" * (level + 1))
    for result in results:
        parts.append(report_markdown(result, level=level))
    return "\n".join(parts).rstrip("\n") + "\n"


def problems_markdown(problems: list[Problem], h: str) -> list[str]:
    """The specs that could not be audited, each error at its location."""
    if not problems:
        return []
    out = [f"{h} Specs that could not be audited", ""]
    for p in problems:
        out += [f"- {md_text(problem_location(e))}: {md_text(e.code)} {md_text(e.message)}" for e in p.errors]
    return [*out, ""]


def overview_table(results: list[AuditResult]) -> str:
    rows = ["| Ranking | Grade | Overall | Coverage | Findings | Spec |", "|---|---|--:|--:|--:|---|"]
    for r in results:
        coverage = coverage_percent(r.coverage) or "n/a"
        rows.append(
            f"| {md_text(display_name(r))} | {md_text(r.grade_text or r.grade_label)} | {number(r.overall)} | "
            f"{coverage} | {len(r.failing())} | {md_text(artifact_path(r.file))} |"
        )
    return "\n".join(rows) + "\n"


def report_markdown(result: AuditResult, *, level: int = 1, full: bool = True) -> str:
    """One spec's report. `full=False` leaves out the profile, sources and statistics (step summary)."""
    h = "#" * level
    summary = plain_summary(result)
    out = [f"{h} Methodology audit: {md_text(display_name(result))}", ""]
    out.append(
        f"**{md_text(grade_phrase(result, start=True))}**, {number(result.overall)} of 100 · "
        f"spec {md_text(artifact_path(result.file))} · rankaudit {md_text(result.tool.get('version', ''))}"
    )
    if result.root_causes:  # before any table: what weighs most on the grade
        out += ["", "What weighs most on the grade:", ""]
        out += [f"{i}. {md_text(cause)}" for i, cause in enumerate(result.root_causes, 1)]
    out += ["", f"> {md_text(summary.verdict)}", ""]
    if full:
        out += _profile(result, h)
    out += [f"{h}# Scores by dimension", "", "| Dimension | Score | Points | Rules applied |", "|---|--:|--:|--:|"]
    for d in result.dimensions:
        score = number(d.score) if d.score is not None else md_text(d.reason or "not assessable")
        out.append(
            f"| {md_text(d.title)} | {score} | {number(d.points)} / {number(d.max_points)} | {d.applicable_rules} |"
        )
    out.append(f"| **Overall** | **{number(result.overall)}** | | {md_text(grade_phrase(result))} |")
    out.append("")
    out += findings_table(result.failing(), h)
    if full:
        if result.statistics is not None:
            out += _statistics(result.statistics, h)
        out += [f"{h}# What this ranking can and cannot tell you", ""]
        for title, points in (
            ("It can tell you", summary.can),
            ("It cannot tell you", summary.cannot),
            ("Not checked by this audit", summary.not_checked),
        ):
            if points:
                out += [f"**{title}**", "", *_points(points), ""]
        out += _sources(result, h)
    return "\n".join(out).rstrip("\n") + "\n"


def findings_table(failing: list[Finding], h: str) -> list[str]:
    out = [f"{h}# Findings, most costly first", ""]
    if not failing:
        return [*out, "No rule lost points.", ""]
    out += ["| Level | Rule | Finding | Where | Points lost |", "|---|---|---|---|--:|"]
    for f in failing:
        rule = f"{md_text(f.code)} {md_text(f.title)}" + (" (core)" if f.core else "")
        finding = f"{md_text(severity_label(f))}: {md_text(f.message)}"
        source = md_link("source", f.source_url) if safe_url(f.source_url) else ""
        out.append(
            f"| {f.level} | {rule}{' · ' + source if source else ''} | {finding} | "
            f"{md_text(location(f))} | {number(f.cost, 2)} |"
        )
    return [*out, ""]


def _profile(result: AuditResult, h: str) -> list[str]:
    p = result.profile

    def absent(name: str) -> str:
        """The engine's words for an absent fact (`Profile.absent`)."""
        return p.absent.get(name, "not stated")

    def read(name: str, value: str) -> str:
        """A value with its marks (`value_marks`)."""
        marks = value_marks(p, name)
        return f"{value} ({'; '.join(marks)})" if marks else value

    out = [f"{h}# What it claims to measure, and for whom", ""]
    if p.headline_claim:
        out += [f"> “{md_text(p.headline_claim)}”", ""]
    rows = [
        ("Publisher", p.publisher.name + (f" ({'; '.join([p.publisher.type, *value_marks(p, 'publisher_type')])})"
                                          if p.publisher.type else "")),
        ("Published", read("published", p.published) if p.published else absent("published")),
        ("Purpose", read("purpose", p.purpose) if p.purpose else absent("purpose")),
        ("Intended audience", read("audience", ", ".join(p.audience)) if p.audience else absent("audience")),
        ("Viewpoint", read("perspective", ", ".join(p.perspective)) if p.perspective else absent("perspective")),
        (p.cities_label, read("cities", p.cities_text) if p.cities_text else absent("cities")),
        *([("Cities ranked, by measure", read("cities_by_measure", "; ".join(p.cities_by_measure)))]
          if p.cities_by_measure else []),
        ("Indicators", (read("indicators", p.indicators_text) if p.indicators_text else absent("indicators"))
         + (f" ({p.indicators_listed} listed in the spec)"
            if p.indicators_listed and p.indicators_listed != p.indicators else "")),
        ("Methodology", read("methodology_access", p.methodology_access) if p.methodology_access
         else absent("methodology_access")),
        ("Data", read("data_access", p.data_access.replace("_", " ")) if p.data_access else absent("data_access")),
    ]
    out += ["| | |", "|---|---|"]
    out += [f"| {md_text(k)} | {md_text(v)} |" for k, v in rows]
    if p.methodology_url:
        out.append(f"| Methodology document | {md_link(p.methodology_url, p.methodology_url)} |")
    if p.report_url:
        out.append(f"| Report | {md_link(p.report_url, p.report_url)} |")
    return [*out, ""]


def _statistics(stats: StatsResult, h: str) -> list[str]:
    out = [f"{h}# Statistical audit of the data", ""]
    robustness = stats.robustness
    facts: list[tuple[str, object]] = [
        ("Cities in the data", stats.n_units),
        ("Indicators in the data", stats.n_indicators),
        ("Monte Carlo replications", robustness.replications if robustness else None),
        (
            "Median width of the 5th-95th percentile rank interval",
            robustness.median_interval_width if robustness else None,
        ),
        ("Assumption that moves ranks most", robustness.dominant_assumption if robustness else None),
    ]
    if stats.importance is not None and stats.importance.divergence is not None:
        facts.append(
            ("Divergence of effective from nominal weights (0 = none, 1 = complete)", stats.importance.divergence)
        )
    out += ["| | |", "|---|---|"]
    out += [
        f"| {md_text(k)} | {md_text(number(v, 3) if isinstance(v, float) else v)} |" for k, v in facts if v is not None
    ]
    out.append("")
    units = [u for u in stats.units if u.q05_rank is not None]
    if units:
        out += [
            "**Rank uncertainty by city** (nominal rank, median rank and 5th-95th percentile of the Monte Carlo ranks)",
            "",
            "| City | Rank | Median | 5th-95th percentile |",
            "|---|--:|--:|--:|",
        ]
        for u in sorted(units, key=lambda u: (u.rank is None, u.rank or 0, u.id)):
            out.append(
                f"| {md_text(u.name or u.id)} | {number(u.rank)} | {number(u.median_rank)} | "
                f"{number(u.q05_rank)}-{number(u.q95_rank)} |"
            )
        out.append("")
    return out


def _points(points: list[Point]) -> list[str]:
    out = []
    for point in points:
        out.append(f"- {md_text(point.text)}")
        out += [f"  - {md_text(d)}" for d in point.details]
        if point.more:
            out.append(f"  - and {point.more} more (see the findings)")
    return out


def _sources(result: AuditResult, h: str) -> list[str]:
    citations = result.profile.citations
    out = [f"{h}# Where the spec's facts come from", ""]
    if not citations:
        return [*out, "The spec cites no source for its facts.", ""]
    for c in citations:
        label = one_line(c.title or c.url or "")
        where = f"{c.path}" + (f", line {c.line}" if c.line else "")
        extra = "".join(
            [
                f", {md_text(c.section)}" if c.section else "",
                f", p. {md_text(c.page)}" if c.page else "",
                " (second-hand)" if c.second_hand else "",
            ]
        )
        out.append(f"- {md_text(where)}: {md_link(label, c.url)}{extra}")
    return [*out, ""]

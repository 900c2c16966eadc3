"""HTML: one self-contained page that works offline and as an e-mail attachment.

No script, no external font, style sheet or image: the style sheet is inlined and charts are
inline SVG (rankaudit.report.charts). Every template goes through one Jinja Environment with
`autoescape=True` (not `select_autoescape`, whose extension matching silently turns escaping off
for `*.html.j2`), and a Content-Security-Policy forbids scripts and every network request as a
second line of defence. Only absolute http(s) addresses become links.

The output is byte-for-byte the same for the same AuditResults: no time stamp, no random id.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from rankaudit.report import charts
from rankaudit.report.common import (
    artifact_path,
    display_name,
    grade_phrase,
    location,
    number,
    one_line,
    problem_location,
    safe_url,
    sentence,
    status_word,
    value_marks,
)
from rankaudit.report.formats import RenderOptions
from rankaudit.report.plain import PlainSummary, plain_summary
from rankaudit.result import AuditResult, Finding, LocatedError, Problem, Profile, coverage_percent
from rankaudit.stats.result import (
    CorrelationFlag,
    RankDifference,
    ReproductionResult,
    SensitivityIndex,
    StatsResult,
)
from rankaudit.wording import value_text


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rankaudit.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["num"] = number
    env.filters["fact"] = fact
    env.filters["one_line"] = one_line
    env.filters["sentence"] = sentence
    env.filters["percent"] = percent
    env.filters["status_word"] = status_word
    env.filters["grade_phrase"] = grade_phrase
    env.filters["coverage"] = lambda value: coverage_percent(value) or "n/a"
    env.globals["read_mark"] = read_mark
    return env


def read_mark(profile: Profile, name: str) -> Markup:
    """The marks of a profile value (`value_marks`), muted, in brackets."""
    marks = value_marks(profile, name)
    if not marks:
        return Markup("")
    return Markup(' <span class="muted">({})</span>').format("; ".join(marks))


@cache
def stylesheet() -> str:
    return files("rankaudit.report").joinpath("templates", "report.css").read_text(encoding="utf-8")


def render_html(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    css = stylesheet()
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    views = [report_view(r, f"r{i}") for i, r in enumerate(results)]
    # the scoring scheme is the engine's; every result carries it (the first one speaks for all)
    first = results[0] if results else None
    if len(results) == 1:
        title = f"Methodology audit: {display_name(results[0])}"
    else:
        title = f"Methodology audit of {len(results)} rankings"
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            reports=views,
            problems=problem_rows((options or RenderOptions()).problems),
            css=Markup(css),
            style_hash=f"sha256-{digest}",
            dimension_weights={d.dimension: _weight(d.weight) for d in first.dimensions} if first else {},
            grade_bands=[(b.grade, _weight(b.lower)) for b in first.grade_bands] if first else [],
        )
    )


def _weight(value: float) -> int | float:
    """A weight or band limit as the scheme states it: 25, not 25.0."""
    return int(value) if float(value).is_integer() else value


# --------------------------------------------------------------------------------------------- view


def fact(value: Any, undisclosed_means: str = "publisher_silent", absent: str | None = None) -> str:
    """A profile value for people: None -> the engine's words for its absence (`Profile.absent`, else 'not
    stated'); `undisclosed`, `unknown` and `not_applicable` in the engine's words for the spec's
    `undisclosed_means` (rankaudit.wording.value_text)."""
    if value is None:
        return absent or "not stated"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(fact(v, undisclosed_means) for v in value) if value else "none"
    text = one_line(str(value))
    worded = value_text(text, undisclosed_means)
    if worded is not None:
        return worded
    return text.replace("_", " ") if text.isidentifier() else text


def percent(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


@dataclass
class FindingView:
    finding: Finding
    label: str
    rationale: str | None
    scoring: str | None
    location: str
    evidence: list[tuple[str, str]]


@dataclass(frozen=True)
class FlagView:
    flag: CorrelationFlag
    a_label: str
    b_label: str


@dataclass(frozen=True)
class DifferenceView:
    difference: RankDifference
    label: str


@dataclass(frozen=True)
class ReproductionView:
    reproduction: ReproductionResult
    differing: list[DifferenceView]


@dataclass(frozen=True)
class WeightView:
    id: str
    name: str
    nominal: float | None
    effective: float | None
    importance: float | None
    ratio: float | None


@dataclass(frozen=True)
class GroupView:
    id: str
    level: int
    children: int
    alpha: float | None
    pc1: float | None
    eigen: int | None


@dataclass(frozen=True)
class RemoveOneView:
    label: str
    level: int
    mean_abs_rank_shift: float | None
    max_abs_rank_shift: float | None


@dataclass(frozen=True)
class HeatmapView:
    title: str
    desc: str
    chart: Markup
    pairs: list[tuple[str, str, str]]
    """(row, column, r) of every cell the chart draws, as text: what a phone or paper cannot hover."""
    more: int
    """Cells beyond MAX_MATRIX_ROWS, left to the JSON output."""


MAX_MATRIX_ROWS = 2_500
"""Largest value table after a heatmap (a 71 x 71 triangle); a larger matrix is in the JSON output."""


def _matrix_pairs(
    row_ids: list[str], col_ids: list[str], values: list[list[float | None]], names: dict[str, str]
) -> tuple[list[tuple[str, str, str]], int]:
    """The cells of a correlation matrix as (row, column, r) rows: the lower triangle of a symmetric
    one (the chart's cells), every cell otherwise."""
    triangle = row_ids == col_ids
    cells = [(i, j) for i in range(len(row_ids)) for j in range(len(col_ids)) if not triangle or j < i]
    rows = []
    for i, j in cells[:MAX_MATRIX_ROWS]:
        v = values[i][j] if i < len(values) and j < len(values[i]) else None
        rows.append((_label(row_ids[i], names), _label(col_ids[j], names), number(v, 2)))
    return rows, max(0, len(cells) - MAX_MATRIX_ROWS)


@dataclass
class StatsView:
    facts: list[tuple[str, str]]
    rank_chart: Markup | None
    rank_rows: list[charts.RankRow]
    ranks_note: str | None
    robustness: list[tuple[str, str]]
    sensitivity: list[SensitivityIndex]
    heatmaps: list[HeatmapView]
    flags: list[FlagView]
    weights_chart: Markup | None
    weights: list[WeightView]
    divergence: float | None
    importance_estimator: str | None
    groups: list[GroupView]
    indicator_flags: list[tuple[str, str]]
    remove_one: list[RemoveOneView]
    reproduction: ReproductionView | None
    warnings: list[str]


@dataclass
class ReportView:
    id: str
    result: AuditResult
    name: str
    file: str
    summary: PlainSummary
    score_chart: Markup
    failing: list[FindingView]
    passed: list[Finding]
    not_applicable: list[Finding]
    citations: list[dict[str, Any]]
    stats: StatsView | None
    links: list[tuple[str, str | None]] = field(default_factory=list)


def problem_rows(problems: list[Problem]) -> list[tuple[str, LocatedError]]:
    """(file:line:col, error) for every error of the specs that could not be audited."""
    return [(problem_location(e), e) for p in problems for e in p.errors]


def report_view(result: AuditResult, prefix: str) -> ReportView:
    failing = [
        FindingView(
            finding=f,
            label=status_word(f),  # short, for the badge; the absence is printed in full below the message
            rationale=one_line(f.rationale) or None,
            scoring=one_line(f.scoring) or None,
            location=location(f),
            evidence=_evidence(f.evidence),
        )
        for f in result.failing()
    ]
    by_code = sorted(result.findings, key=lambda f: f.code)
    return ReportView(
        id=prefix,
        result=result,
        name=display_name(result),
        file=artifact_path(result.file),
        summary=plain_summary(result),
        score_chart=_score_chart(result, prefix),
        failing=failing,
        passed=[f for f in by_code if f.score == 2],
        not_applicable=[f for f in by_code if f.score is None],
        citations=[
            {
                "citation": c,
                "url": safe_url(c.url),
                "label": one_line(c.title or c.url or ""),
            }
            for c in result.profile.citations
        ],
        stats=_stats_view(result.statistics, prefix) if result.statistics is not None else None,
    )


def _evidence(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in evidence.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        shown = one_line(shown)
        out.append((key.replace("_", " "), shown if len(shown) <= 240 else shown[:239] + "…"))
    return out


def _score_chart(result: AuditResult, prefix: str) -> Markup:
    bars = [charts.Bar("Overall", result.overall, "not assessable", strong=True)]
    bars += [charts.Bar(d.title, d.score, (d.reason or "not assessable")) for d in result.dimensions]
    assessed = ", ".join(f"{d.title} {number(d.score)}" for d in result.dimensions if d.score is not None)
    missing = ", ".join(d.title for d in result.dimensions if d.score is None)
    desc = f"Scores out of 100. Overall {number(result.overall)}, {grade_phrase(result)}."
    if assessed:
        desc += f" {assessed}."
    if missing:
        desc += f" Not assessable: {missing}."
    return charts.score_bars(f"{prefix}-scores", bars, title="Scores by dimension, out of 100", desc=desc)


# --------------------------------------------------------------------------------------------- stats


def _stats_view(stats: StatsResult, prefix: str) -> StatsView:
    params = stats.parameters
    design = params.design if params is not None else {}
    replications = str(params.replications) if params is not None else "none"
    unit_names = {u.id: u.name or u.id for u in stats.units}
    indicator_names = {i.id: i.name or i.id for i in stats.indicators}
    names = {**unit_names, **indicator_names}

    facts = [
        ("Cities in the data", str(stats.n_units)),
        ("Indicators in the data", str(stats.n_indicators)),
        ("Missing values", str(stats.n_missing)),
        ("Monte Carlo replications", replications),
        ("Random seed", str(params.seed) if params is not None else "n/a"),
    ]
    for key in ("normalisation", "imputation", "outliers"):
        if design.get(key) is not None:  # design: the engine's free-form description of the nominal build
            facts.append((f"Nominal {key}", fact(design[key])))
    if params is not None and params.assumptions:
        facts.append(("Assumptions varied", ", ".join(one_line(a) for a in params.assumptions)))

    units = sorted(stats.units, key=lambda u: (u.rank is None, u.rank or 0, u.id))
    rows = [
        charts.RankRow(
            label=one_line(unit_names.get(u.id, u.id)),
            rank=u.rank,
            median=u.median_rank,
            low=u.q05_rank,
            high=u.q95_rank,
        )
        for u in units
    ]
    has_intervals = any(r.low is not None and r.high is not None for r in rows)
    rank_chart = None
    ranks_note = None
    replications_in_words = str(params.replications) if params is not None else "the"
    if rows and has_intervals:
        rank_chart = charts.rank_intervals(
            f"{prefix}-ranks",
            rows,
            int(stats.n_units or len(rows)),
            title="Rank uncertainty: nominal rank, median rank and 5th-95th percentile interval",
            desc=(
                f"One row per city ({len(rows)}), in the order of the nominal ranking. For each city, the band shows "
                f"the range of ranks between the 5th and 95th percentile of {replications_in_words} "
                "Monte Carlo runs, the diamond the median rank, the dot the nominal rank. The table below gives the "
                "same numbers."
            ),
        )
    elif rows:
        ranks_note = "No Monte Carlo ran (no assumption was varied, or replications were 0), so no rank intervals."

    robustness = stats.robustness
    robust_rows = []
    if robustness is not None:
        robust_rows = [
            ("Replications", str(robustness.replications)),
            (
                "Cities whose nominal rank is within 2 places of their median rank",
                percent(robustness.share_nominal_within_2_of_median),
            ),
            (
                "Average share of runs that rank a city within 2 places of its median rank",
                percent(robustness.mean_share_runs_within_2_of_median),
            ),
            ("Median width of the 5th-95th percentile rank interval", number(robustness.median_interval_width)),
            ("Mean shift of a city's rank across runs", number(robustness.mean_abs_rank_shift, 2)),
            ("Assumption that moves ranks most", fact(robustness.dominant_assumption)),
        ]

    heatmaps = []
    for k, matrix in enumerate(stats.correlations):
        rows_ids, cols_ids = matrix.row_ids, matrix.col_ids
        if not rows_ids or not cols_ids:
            continue
        name = one_line(matrix.name).replace("_", " ")
        method = "Spearman" if matrix.method == "spearman" else "Pearson"
        title = f"{method} correlations: {name}"
        desc = (
            f"{method} correlation between {len(rows_ids)} rows and {len(cols_ids)} columns ({name}); "
            "red cells are negative, blue cells positive, white near zero. Cells large enough print their r; "
            "the table after the chart lists every value, and the pairs the audit flags follow."
        )
        chart = charts.heatmap(f"{prefix}-corr{k}", rows_ids, cols_ids, matrix.values, names, title=title, desc=desc)
        pairs, more = _matrix_pairs(rows_ids, cols_ids, matrix.values, names)
        heatmaps.append(HeatmapView(title, desc, chart, pairs, more))

    importance = stats.importance
    weights = [
        WeightView(
            id=i.indicator,
            name=indicator_names.get(i.indicator, i.indicator),
            nominal=i.nominal_weight,
            effective=i.effective_weight,
            importance=i.importance_share,
            ratio=i.ratio,
        )
        for i in (importance.items if importance is not None else [])
    ]
    weights_chart = None
    if weights:
        estimator = one_line(importance.estimator if importance is not None else "") or "correlation ratio"
        weights_chart = charts.paired_bars(
            f"{prefix}-weights",
            [charts.PairRow(one_line(w.name), w.effective, w.importance) for w in weights],
            first_label="nominal weight",
            second_label="effective weight (share of variance explained)",
            title="Nominal versus effective weights of the indicators",
            desc=(
                f"For each of {len(weights)} indicators, the blue bar is the share of the index its weights give it; "
                "the orange bar is its share of the index's variance it explains in the data "
                f"({estimator}). Equal bars mean the indicator "
                "counts as much as its weight says. The table below gives the numbers."
            ),
        )

    groups = [
        GroupView(
            id=g.id,
            level=g.level,
            children=len(g.children),
            alpha=g.cronbach_alpha,
            pc1=g.pca.variance_share_pc1 if g.pca is not None else None,
            eigen=g.pca.n_eigen_gt_1 if g.pca is not None else None,
        )
        for g in stats.groups
    ]
    indicator_flags = []
    for ind in stats.indicators:
        notes = []
        if ind.low_availability:
            notes.append(f"low data availability ({percent(ind.availability)})")
        if ind.outlier:
            notes.append(f"skewed, with outliers (skew {number(ind.skew, 2)}, kurtosis {number(ind.kurtosis, 2)})")
        if ind.low_information:
            notes.append(f"little information ({percent(ind.mode_share)} of cities share one value)")
        if ind.treatment:
            notes.append(f"treated: {one_line(ind.treatment)}")
        if notes:
            indicator_flags.append((_label(ind.id, indicator_names), "; ".join(notes)))

    remove_one = [
        RemoveOneView(
            label=_label(r.element, names),
            level=r.level,
            mean_abs_rank_shift=r.mean_abs_rank_shift,
            max_abs_rank_shift=r.max_abs_rank_shift,
        )
        for r in sorted(stats.remove_one, key=lambda r: (-(r.mean_abs_rank_shift or 0), r.element))[:15]
    ]
    flags = [FlagView(f, _label(f.a, names), _label(f.b, names)) for f in stats.correlation_flags]
    reproduction = None
    if stats.reproduction is not None:
        reproduction = ReproductionView(
            stats.reproduction,
            [DifferenceView(d, _label(d.id, unit_names)) for d in stats.reproduction.differing_units[:25]],
        )

    return StatsView(
        facts=facts,
        rank_chart=rank_chart,
        rank_rows=rows,
        ranks_note=ranks_note,
        robustness=robust_rows,
        sensitivity=list(stats.sensitivity),
        heatmaps=heatmaps,
        flags=flags,
        weights_chart=weights_chart,
        weights=weights,
        divergence=importance.divergence if importance is not None else None,
        importance_estimator=importance.estimator if importance is not None else None,
        groups=groups,
        indicator_flags=indicator_flags,
        remove_one=remove_one,
        reproduction=reproduction,
        warnings=[one_line(w) for w in stats.warnings],
    )


def _label(identifier: str, names: dict[str, str]) -> str:
    name = one_line(names.get(identifier) or "")
    return f"{name} ({identifier})" if name and name != identifier else identifier

"""Data freshness (FR): how old are the data behind the ranks, and does the reader know?

Lags are counted in whole years from the publication year (`ranking.published`) to an indicator's
reference year. An indicator whose cities have data from different years (`reference_year: [first,
last]`) is dated by its most recent year for lags (FR02, FR03, FR10, FR11); how far back its
oldest city data go is FR04's question. Projections (`projection: true`) are not data and are left
out of lags. Per-indicator rules compute over the listed indicators and score at most 1 when some
are not listed (see the opacity module's docstring).
"""

from __future__ import annotations

import statistics
from typing import Any

from rankaudit.rules.base import (
    Option,
    Verdict,
    disclosure,
    is_stated,
    met,
    not_applicable,
    not_met,
    partly,
    rule,
    undisclosed,
)
from rankaudit.rules.context import AuditContext
from rankaudit.rules.helpers import (
    cap_for_gap,
    few,
    field_path,
    first_edition,
    graded,
    is_survey,
    listed_share_verdict,
    listing_gap,
    plural,
)
from rankaudit.rules.opacity import SHARE_FOR_1, SHARE_FOR_2
from rankaudit.spec.models import Indicator, IndicatorSource, Structure, Survey, YearRange, year_of
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path

LEFF_PETERSEN = (
    "Leff & Petersen, Beyond the Scorecard: Understanding Global City Rankings, Chicago Council on Global Affairs "
    "(2015), executive summary: 'the routine presence of lagging indicators'; cities should use 'the most recent "
    "available data'"
)
LEFF_PETERSEN_URL = "https://www.thechicagocouncil.org/publication/beyond-scorecard-understanding-global-city-rankings"
GII_YEARS = (
    "WIPO, Global Innovation Index 2023, which reports the share of its data points from each year "
    "(3.8% from 2023, 34.7% from 2022 ... 4.2% older than 2018)"
)
GII_YEARS_URL = (
    "https://fliphtml5.com/hspgv/oyls/"
    "wipo-pub-2000-2023-en-main-report-global-innovation-index-2023-16th-edition_%281%29/213"
)
EIS = (
    "European Innovation Scoreboard, technical annex: each indicator uses one reference year, the one with data "
    "available for at least 75% of countries"
)
EIS_URL = "http://www.proinno-europe.eu/page/technical-annex"
GPCI = (
    "Mori Memorial Foundation, Global Power City Index 2015: updated every year since 2008, and adding "
    "'quantitative data to indicators previously obtained through surveys alone'"
)
GPCI_URL = "https://deploy.doczz.net/doc/947443/global-power-city-index-2015-5"
GII_2012 = "WIPO/INSEAD, Global Innovation Index 2012: statisticians 'discourage the use of an index within an index'"
GII_2012_URL = "https://www.yumpu.com/en/document/view/14357740/the-global-innovation-index-2012/452"
IREG_PUBLICATION = (
    "IREG Observatory, IREG Ranking Audit Manual (2011), criteria group 2.3 Publication and Presentation of Results"
)
IREG_URL = "https://123doc.top/document/1102475-ireg-ranking-audit-manual-pdf.htm"
COINR_WEIGHTS = "W. Becker, COINr (R package, formerly JRC-COIN), R/weights.R: `get_eff_weights`, effective weights"
COINR_URL = "https://github.com/bluefoxr/COINr"

CADENCE_YEARS = {"quarterly": 0.25, "semiannual": 0.5, "annual": 1, "biennial": 2, "triennial": 3}


# --------------------------------------------------------------------------------------------
# Helpers


def _years(ref: NodeRef) -> YearRange | None:
    node = ref.node
    assert isinstance(node, Indicator | Structure)
    return node.reference_year if isinstance(node.reference_year, YearRange) else None


def _is_projection(ref: NodeRef) -> bool:
    return bool(getattr(ref.node, "projection", False))


def _observed(ctx: AuditContext) -> list[NodeRef]:
    """Listed indicators that are observed data, not projections."""
    return [r for r in ctx.indicators if not _is_projection(r)]


def _dated(ctx: AuditContext) -> list[tuple[NodeRef, YearRange]]:
    """Observed listed indicators with a disclosed reference year.

    When none has one but the publisher states data years for the whole index
    (`structure.reference_year`), the index stands in as a single dated item, so that lags can still be
    measured; the per-indicator rule FR01 gives such an index-wide statement at most 1 point.
    """
    out = []
    for ref in _observed(ctx):
        years = _years(ref)
        if years is not None:
            out.append((ref, years))
    index_years = _years(ctx.tree.root)
    if not out and index_years is not None:
        out.append((ctx.tree.root, index_years))
    return out


def _years_text(count: float) -> str:
    return f"{count:g} year" if count == 1 else f"{count:g} years"


def _span(years: YearRange) -> str:
    return str(years)


def _no_publication_year(ctx: AuditContext) -> Verdict:
    state = disclosure(ctx.spec.ranking.published)
    said = "undisclosed" if state == "undisclosed" else "not stated"
    return undisclosed(f"the publication date is {said}, so data lags cannot be measured", ("ranking", "published"))


def _no_dated(ctx: AuditContext, what: str) -> Verdict:
    observed = _observed(ctx)
    if not ctx.indicators:
        return undisclosed(f"no indicator is listed, so {what} cannot be measured", ("structure",))
    if not observed:
        return not_applicable(f"every listed indicator is a projection; {what} does not arise", ("structure",))
    return undisclosed(
        f"none of the {plural(len(observed), 'observed indicator')} states a reference year, so {what} cannot be "
        "measured",
        field_path(observed[0], "reference_year"),
    )


def _months(date: str) -> tuple[int, bool]:
    """Months since year 0 of a partial date, and whether the month is known."""
    year = int(date[:4])
    if len(date) >= 7:
        return year * 12 + int(date[5:7]) - 1, True
    return year * 12, False


# --------------------------------------------------------------------------------------------
# The rules


@rule(
    "FR01",
    "Reference year disclosed per indicator",
    core=True,
    source=f"{GII_YEARS}; {LEFF_PETERSEN}",
    source_url=GII_YEARS_URL,
    reads=("structure.children[].reference_year", "structure.reference_year"),
    scoring="Share of listed indicators with a reference year: 2 = at least 95%; 1 = at least 50%; 0 = less "
    "(rankaudit's cut-offs). At most 1 when some indicators are not listed (`structure.complete: false` or "
    "`children: undisclosed`). 1 when only index-wide data years are stated (`structure.reference_year`).",
    options={"share-for-2": SHARE_FOR_2, "share-for-1": SHARE_FOR_1},
)
def reference_years_disclosed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A ranking published this year may rest on data several years old, and only the reference year of each
    indicator tells the reader. The Global Innovation Index shows that a composite index can report the vintage
    of its data in detail."""
    indicators = ctx.indicators
    index_years = _years(ctx.tree.root)
    if index_years is not None and not any(_years(r) for r in indicators):
        return partly(
            f"only index-wide data years are stated ({_span(index_years)}), none per indicator",
            ("structure", "reference_year"),
        )
    offenders = [(r, "") for r in indicators if _years(r) is None]
    return listed_share_verdict(ctx, options, offenders, "state a reference year", "reference_year")


@rule(
    "FR02",
    "Median data lag",
    core=True,
    source=LEFF_PETERSEN,
    source_url=LEFF_PETERSEN_URL,
    reads=("ranking.published", "structure.children[].reference_year", "structure.children[].projection"),
    scoring="Median, over the listed observed indicators with a reference year, of the publication year minus "
    "the indicator's latest reference year: 2 = at most 2 years; 1 = at most 3 years; 0 = more (rankaudit's "
    "cut-offs). 0 when the publication date or every reference year is missing. At most 1 when some indicators "
    "are not listed.",
    options={
        "lag-for-2": Option(2, "largest median lag in years that scores 2 (rankaudit's cut-off)"),
        "lag-for-1": Option(3, "largest median lag in years that scores 1 (rankaudit's cut-off)"),
    },
)
def median_lag(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Lagging indicators are a routine weakness of city rankings according to the Chicago Council's review, which
    advises cities to rely on the most recent data available. The median lag says how old the typical data point
    is when the ranking appears."""
    year = ctx.publication_year
    if year is None:
        return _no_publication_year(ctx)
    dated = _dated(ctx)
    if not dated:
        return _no_dated(ctx, "the data lag")
    lags = sorted(((year - ys.last, ref, ys) for ref, ys in dated), key=lambda t: -t[0])
    median = statistics.median(lag for lag, _, _ in lags)
    oldest = few([f"{ref.id} ({_span(ys)})" for _, ref, ys in lags])
    head = (
        f"median data lag {_years_text(median)} over {plural(len(dated), 'dated indicator')} "
        f"(published {year}); oldest: {oldest}"
    )
    evidence = {"median_lag": median, "dated": len(dated), "publication_year": year}
    where = field_path(lags[0][1], "reference_year")
    return graded(
        median, options["lag-for-2"], options["lag-for-1"], head, where,
        higher_is_better=False, gap=listing_gap(ctx), **evidence,
    )


@rule(
    "FR03",
    "Few stale indicators",
    source=f"{LEFF_PETERSEN}; {GII_YEARS}",
    source_url=LEFF_PETERSEN_URL,
    reads=("ranking.published", "structure.children[].reference_year", "structure.children[].projection"),
    scoring="Share of the listed observed indicators with a reference year whose latest reference year is more than "
    "`stale-after-years` (4) years before publication: 2 = at most 10%; 1 = at most 25%; 0 = more (rankaudit's "
    "cut-offs). 0 when the publication date or every reference year is missing. At most 1 when some indicators "
    "are not listed.",
    options={
        "stale-after-years": Option(4, "an indicator older than this many years is stale (rankaudit's cut-off)"),
        "share-for-2": Option(0.10, "largest share of stale indicators that scores 2 (rankaudit's cut-off)"),
        "share-for-1": Option(0.25, "largest share of stale indicators that scores 1 (rankaudit's cut-off)"),
    },
)
def stale_share(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A handful of very old indicators can anchor a city's rank to a situation that no longer exists, even when
    the typical data point is recent. The Global Innovation Index reports how many of its data points are older
    than five years, which shows the count can be made and published."""
    year = ctx.publication_year
    if year is None:
        return _no_publication_year(ctx)
    dated = _dated(ctx)
    if not dated:
        return _no_dated(ctx, "staleness")
    limit = options["stale-after-years"]
    stale = sorted(((ref, ys) for ref, ys in dated if year - ys.last > limit), key=lambda t: t[1].last)
    share = len(stale) / len(dated)
    head = (
        f"{len(stale)} of {plural(len(dated), 'dated indicator')} ({share:.0%}) are more than {limit:g} years old "
        f"at publication ({year})"
    )
    evidence = {"share": round(share, 4), "stale": [r.id for r, _ in stale], "dated": len(dated)}
    if stale:
        head += f": {few([f'{r.id} ({_span(ys)})' for r, ys in stale])}"
        where = field_path(stale[0][0], "reference_year")
    else:
        where = ("structure",)
    return graded(
        share, options["share-for-2"], options["share-for-1"], head, where,
        higher_is_better=False, gap=listing_gap(ctx), **evidence,
    )


@rule(
    "FR04",
    "Reference years aligned across cities",
    source=f"{EIS}; Leff & Petersen (2015), executive summary: 'lack of reliable and internationally comparable data'",
    source_url=EIS_URL,
    reads=("structure.children[].reference_year",),
    scoring="For each listed indicator with a reference year, the spread between the oldest and newest year used "
    "across cities (`reference_year: [first, last]`): 2 = every spread is at most 1 year; 1 = every spread is at "
    "most 3 years; 0 = some indicator spreads wider (rankaudit's cut-offs), or no reference year is stated. At "
    "most 1 when some indicators are not listed.",
    options={
        "spread-for-2": Option(1, "largest spread in years, for every indicator, that scores 2 (rankaudit's cut-off)"),
        "spread-for-1": Option(3, "largest spread in years, for every indicator, that scores 1 (rankaudit's cut-off)"),
    },
)
def years_aligned(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """When one city's value is from this year and another's from five years ago, the indicator compares
    different moments, not different cities. The European Innovation Scoreboard fixes one reference year per
    indicator for this reason, and the Chicago Council names the lack of comparable data as a common flaw."""
    # an index-wide range of years says nothing about the spread across cities within one indicator
    dated = [(ref, years) for ref, years in _dated(ctx) if ref.is_indicator]
    if not dated:
        return _no_dated(ctx, "the spread of reference years")
    spreads = sorted(((ys.last - ys.first, ref, ys) for ref, ys in dated), key=lambda t: -t[0])
    worst, worst_ref, _ = spreads[0]
    wide = [(s, r, ys) for s, r, ys in spreads if s > options["spread-for-2"]]
    evidence = {"max_spread": worst, "wide": [r.id for _, r, _ in wide], "dated": len(dated)}
    if not wide:
        if worst == 0:
            head = f"each of the {plural(len(dated), 'dated indicator')} uses one reference year for every city"
        else:
            head = (
                f"cities' reference years are at most {_years_text(worst)} apart within every dated indicator "
                f"({len(dated)})"
            )
        return cap_for_gap(met(head, ("structure",), **evidence), listing_gap(ctx))
    worst_named = few([f"{r.id} ({_span(ys)})" for _, r, ys in wide])
    head = (
        f"{len(wide)} of {plural(len(dated), 'dated indicator')} mix cities' reference years more than "
        f"{_years_text(options['spread-for-2'])} apart: {worst_named}"
    )
    where = field_path(worst_ref, "reference_year")
    if worst <= options["spread-for-1"]:
        return partly(head, where, **evidence)
    return not_met(head, where, **evidence)


def _is_survey(ref: NodeRef) -> bool:
    node = ref.node
    assert isinstance(node, Indicator)
    return is_survey(node)


@rule(
    "FR05",
    "Survey fieldwork dates and sample sizes disclosed",
    source=GPCI,
    source_url=GPCI_URL,
    reads=(
        "structure.children[].source.type",
        "structure.children[].survey.fieldwork",
        "structure.children[].survey.sample_size",
        "structure.children[].survey.sample_per_city",
    ),
    scoring="Only for indicators whose source type is `resident_survey` or `expert_survey` (or that carry a "
    "`survey` block); not applicable when no listed indicator is a survey. 2 = every survey indicator states its "
    "fieldwork dates and a sample size (total or per city); 1 = some of these facts are given; 0 = none is. At "
    "most 1 when some indicators are not listed.",
)
def survey_disclosed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An opinion survey's date and size decide whether its answers still describe a city and whether they are
    more than noise. The Global Power City Index moved away from indicators that rested on surveys alone, which
    shows how much weight such indicators can carry."""
    surveys = [r for r in ctx.indicators if _is_survey(r)]
    gap = listing_gap(ctx)
    if not surveys:
        tail = f" ({gap})" if gap else ""
        return not_applicable(f"no listed indicator comes from a survey{tail}", ("structure",))
    lacking: list[tuple[NodeRef, list[str]]] = []
    facts = 0
    for ref in surveys:
        survey = ref.node.survey  # type: ignore[union-attr]
        block = survey if isinstance(survey, Survey) else None
        missing = []
        if block is None or not is_stated(block.fieldwork):
            missing.append("fieldwork dates")
        if block is None or not (is_stated(block.sample_size) or is_stated(block.sample_per_city)):
            missing.append("sample size")
        facts += 2 - len(missing)
        if missing:
            lacking.append((ref, missing))
    evidence = {"survey_indicators": len(surveys), "incomplete": [r.id for r, _ in lacking]}
    if not lacking:
        head = f"every survey indicator ({len(surveys)}) states its fieldwork dates and sample size"
        return cap_for_gap(met(head, ("structure",), **evidence), gap)
    names = few([f"{r.id} (no {' or '.join(m)})" for r, m in lacking])
    head = f"survey facts missing for {len(lacking)} of {plural(len(surveys), 'survey indicator')}: {names}"
    where = field_path(lacking[0][0], "survey")
    if facts:
        return partly(head, where, **evidence)
    return undisclosed(head, where, **evidence)


@rule(
    "FR06",
    "Release cadence declared and kept",
    source=f"{GPCI} (rankaudit's scoring)",
    source_url=GPCI_URL,
    reads=("ranking.frequency", "ranking.published", "ranking.previous_published", "ranking.previous_edition"),
    scoring="Not applicable to a one-off ranking. 2 = a regular cadence (quarterly to triennial) is declared and this "
    "edition appeared within one cadence (plus `grace-months`, 6) of the previous one, or this is a first edition "
    "(`previous_edition: not_applicable`); 1 = the cadence is "
    "irregular, or an edition was skipped (within two cadences), or the gap cannot be checked (no previous or "
    "current publication date); 0 = the cadence is undisclosed, or the gap exceeds two cadences (rankaudit's "
    "cut-offs). Dates known only to the year are compared by year.",
    options={"grace-months": Option(6, "months of delay tolerated beyond the declared cadence (rankaudit's cut-off)")},
)
def cadence_kept(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A reader who knows a ranking appears every year can tell whether an edition is current, and a promised
    cadence that slips means older data than the label suggests. The Global Power City Index, for instance, has
    been updated every year since 2008."""
    ranking = ctx.spec.ranking
    frequency = ranking.frequency
    where: Path = ("ranking", "frequency")
    if frequency == "one_off":
        return not_applicable("a one-off ranking has no release cadence", where)
    if not is_stated(frequency):
        said = "undisclosed" if frequency is not None else "not stated"
        return undisclosed(f"the release cadence is {said} (ranking.frequency)", where if frequency else ("ranking",))
    if frequency == "irregular":
        return partly("the ranking appears irregularly, with no declared cadence", where)
    assert isinstance(frequency, str)
    cadence = CADENCE_YEARS[frequency]
    published, previous = ranking.published, ranking.previous_published
    if not is_stated(published):
        return partly(
            f"{'an' if frequency == 'annual' else 'a'} {frequency} cadence is declared, but this edition's "
            "publication date is not, so it cannot be checked",
            ("ranking", "published"),
        )
    if previous is None and first_edition(ctx):
        return met(
            f"an {frequency} cadence is declared for this first edition"
            if frequency == "annual"
            else f"a {frequency} cadence is declared for this first edition",
            where,
        )
    if previous is None:
        return partly(
            f"{'an' if frequency == 'annual' else 'a'} {frequency} cadence is declared, but the previous edition's "
            "date is not stated, "
            "so whether it is kept cannot be checked",
            ("ranking", "previous_published"),
        )
    assert isinstance(published, str)
    now, now_month = _months(published)
    then, then_month = _months(previous)
    grace = options["grace-months"]
    if now_month and then_month:
        gap = now - then
        said = f"{gap} months"
    else:
        gap = (year_of(published) or 0) * 12 - (year_of(previous) or 0) * 12
        said = _years_text(gap // 12)
    if gap <= 0:
        return partly(
            f"the previous edition ({previous}) is dated on or after this one ({published}); the cadence cannot be "
            "checked",
            ("ranking", "previous_published"),
        )
    head = f"{frequency} cadence declared; this edition appeared {said} after the previous one ({previous})"
    evidence = {"gap_months": gap, "cadence_years": cadence}
    path: Path = ("ranking", "previous_published")
    if gap <= 12 * cadence + grace:
        return met(head, path, **evidence)
    if gap <= 24 * cadence + grace:
        return partly(f"{head}: later than the cadence allows", path, **evidence)
    return not_met(f"{head}: far behind the declared cadence", path, **evidence)


@rule(
    "FR07",
    "Projections labelled and kept apart",
    source="Leff & Petersen (2015), executive summary: cities should 'consult forward-looking indexes to gauge their "
    "city's future prospects'",
    source_url=LEFF_PETERSEN_URL,
    reads=("structure.children[].projection", "structure.children[].reference_year", "structure.children[].source"),
    scoring="Not applicable when no listed indicator is a projection (`projection: true`). 2 = every projection "
    "states its horizon (reference year) and its forecaster (source), and sits in a group holding only projections "
    "(or the whole index is forward-looking); 1 = projections are mixed with observed data in the same group, or "
    "some lack a horizon or forecaster; 0 = projections are mixed with observed data and none states its horizon.",
)
def projections_labelled(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Forecasts are useful, and the Chicago Council recommends forward-looking indexes, but a forecast averaged
    together with measurements passes a guess off as a fact. A projection should be recognisable as one: dated
    to its horizon, attributed to its forecaster, and scored apart from observed data."""
    tree = ctx.tree
    projections = [r for r in ctx.indicators if _is_projection(r)]
    if not projections:
        return not_applicable("no listed indicator is a projection", ("structure",))
    mixed = []
    unlabelled = []
    for ref in projections:
        parent = ref.parent
        assert parent is not None
        siblings = tree.indicators_under(parent)
        # an unlisted subgroup under the same parent may hold observed data
        hidden = any(parent in tree.ancestors(g) for g in tree.unlisted_groups)
        if not all(_is_projection(s) for s in siblings) or hidden:
            mixed.append(ref)
        node = ref.node
        assert isinstance(node, Indicator)
        source = node.source
        missing = []
        if _years(ref) is None:
            missing.append("horizon")
        if not (isinstance(source, IndicatorSource) and is_stated(source.name)):
            missing.append("forecaster")
        if missing:
            unlabelled.append((ref, missing))
    evidence = {
        "projections": len(projections),
        "mixed": [r.id for r in mixed],
        "unlabelled": [r.id for r, _ in unlabelled],
    }
    n = plural(len(projections), "projection")
    if not mixed and not unlabelled:
        return met(f"{n} with horizon and forecaster, scored apart from observed data", projections[0].path, **evidence)
    parts = []
    if mixed:
        parts.append(f"{len(mixed)} mixed with observed data ({few([r.id for r in mixed])})")
    if unlabelled:
        lacking = few([f"{r.id} (no {' or '.join(m)})" for r, m in unlabelled])
        parts.append(f"{len(unlabelled)} incompletely labelled: {lacking}")
    head = f"{n} listed: {'; '.join(parts)}"
    no_horizon = [r for r, m in unlabelled if "horizon" in m]
    if mixed and len(no_horizon) == len(projections):
        return not_met(head, field_path(mixed[0], "projection"), **evidence)
    where = field_path(mixed[0], "projection") if mixed else field_path(unlabelled[0][0], "reference_year")
    return partly(head, where, **evidence)


@rule(
    "FR08",
    "Composite inputs carry their edition",
    source=GII_2012,
    source_url=GII_2012_URL,
    reads=("structure.children[].source.type", "structure.children[].source.edition"),
    scoring="Only for indicators whose source type is `composite_index`; not applicable when there is none. "
    "2 = every such input names the edition used; 1 = some do; 0 = none does.",
)
def composite_editions(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An index used as an input carries the data vintage of its own edition, which can be years older than its
    label. The Global Innovation Index notes statisticians' reluctance about an index within an index; when one
    is used, naming the edition at least dates it."""
    inputs = []
    for ref in ctx.indicators:
        source = ref.node.source  # type: ignore[union-attr]
        if isinstance(source, IndicatorSource) and source.type == "composite_index":
            inputs.append((ref, source))
    if not inputs:
        gap = listing_gap(ctx)
        tail = f" ({gap})" if gap else ""
        return not_applicable(f"no listed indicator uses a composite index as input{tail}", ("structure",))
    missing = [(ref, s) for ref, s in inputs if not is_stated(s.edition)]
    evidence = {"composite_inputs": len(inputs), "without_edition": [r.id for r, _ in missing]}
    n = plural(len(inputs), "composite-index input")
    if not missing:
        named = few([f"{s.name if is_stated(s.name) else r.id} {s.edition}" for r, s in inputs])
        return cap_for_gap(met(f"{n}, each with its edition: {named}", ("structure",), **evidence), listing_gap(ctx))
    head = f"no edition named for {len(missing)} of {n}: {few([r.id for r, _ in missing])}"
    where = (*missing[0][0].path, "source", "edition")
    if len(missing) < len(inputs):
        return partly(head, where, **evidence)
    return undisclosed(head, where, **evidence)


@rule(
    "FR09",
    "Publication date stated",
    source=f"{IREG_PUBLICATION}; {LEFF_PETERSEN}",
    source_url=IREG_URL,
    reads=("ranking.published",),
    scoring="2 = the publication date is stated to the month or day; 1 = to the year only; 0 = undisclosed or "
    "not stated.",
)
def publication_dated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Every judgement of data age starts from the date the ranking appeared, and a year alone leaves up to twelve
    months of doubt. The IREG audit has a criteria group on how results are published and presented."""
    published = ctx.spec.ranking.published
    where: Path = ("ranking", "published")
    if not is_stated(published):
        said = "undisclosed" if published is not None else "not stated"
        return undisclosed(f"the publication date is {said}", where if published else ("ranking",))
    assert isinstance(published, str)
    if len(published) >= 7:
        return met(f"published {published}", where)
    return partly(f"only the publication year ({published}) is stated", where)


@rule(
    "FR10",
    "Data vintages consistent across indicators",
    source=f"{GII_YEARS}; {LEFF_PETERSEN}",
    source_url=GII_YEARS_URL,
    reads=("structure.children[].reference_year", "structure.children[].projection"),
    scoring="The span between the oldest and newest latest-reference-year over the listed observed indicators: "
    "2 = at most 2 years; 1 = at most 4 years; 0 = more, or no reference year stated (rankaudit's cut-offs). At "
    "most 1 when some indicators are not listed.",
    options={
        "span-for-2": Option(2, "largest span in years between indicator vintages that scores 2 (rankaudit's cut-off)"),
        "span-for-1": Option(4, "largest span in years between indicator vintages that scores 1 (rankaudit's cut-off)"),
    },
)
def vintages_consistent(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An index that adds this year's transport data to air quality from six years ago describes no single moment
    in a city's life. The Global Innovation Index publishes the spread of its data years, which lets a reader see
    how much its vintages differ."""
    dated = _dated(ctx)
    if not dated:
        return _no_dated(ctx, "the span of data vintages")
    ordered = sorted(dated, key=lambda t: t[1].last)
    oldest_ref, oldest = ordered[0]
    newest_ref, newest = ordered[-1]
    span = newest.last - oldest.last
    old = [r.id for r, ys in ordered if newest.last - ys.last > options["span-for-2"]]
    if span == 0:
        head = f"all {plural(len(dated), 'dated indicator')} share the latest reference year {newest.last}"
    else:
        head = (
            f"indicator vintages span {_years_text(span)}, from {oldest.last} ({oldest_ref.id}) to {newest.last} "
            f"({newest_ref.id}), over {plural(len(dated), 'dated indicator')}"
        )
    evidence = {"span": span, "oldest": oldest.last, "newest": newest.last, "behind": old}
    if old:
        head += f"; trailing: {few(old)}"
    where = field_path(oldest_ref, "reference_year")
    return graded(
        span, options["span-for-2"], options["span-for-1"], head, where,
        higher_is_better=False, gap=listing_gap(ctx), met_path=("structure",), **evidence,
    )


@rule(
    "FR11",
    "Little weight on stale data",
    source=f"{LEFF_PETERSEN}; {COINR_WEIGHTS}",
    source_url=LEFF_PETERSEN_URL,
    reads=(
        "ranking.published",
        "structure.children[].reference_year",
        "structure.children[].weight",
        "structure.weighting",
    ),
    scoring="Share of the index's effective weight, over listed observed indicators with a reference year and a "
    "known weight, carried by indicators more than `stale-after-years` (4) years old: 2 = at most 10%; 1 = at most "
    "25%; 0 = more (rankaudit's cut-offs). Not applicable when no dated indicator has a known effective weight "
    "(undisclosed weights are OP02's concern); 0 when the publication date is missing. At most 1 when some "
    "indicators are not listed.",
    options={
        "stale-after-years": Option(4, "an indicator older than this many years is stale (rankaudit's cut-off)"),
        "share-for-2": Option(0.10, "largest weight share on stale indicators that scores 2 (rankaudit's cut-off)"),
        "share-for-1": Option(0.25, "largest weight share on stale indicators that scores 1 (rankaudit's cut-off)"),
    },
)
def stale_weight(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """One old indicator alone in a pillar can carry a large part of the final score, while many old indicators
    with small weights barely move it. Counting stale data by effective weight, as COINr computes it from nested
    weights, shows how much of a city's rank rests on out-of-date facts."""
    year = ctx.publication_year
    if year is None:
        return _no_publication_year(ctx)
    dated = _dated(ctx)
    if not dated:
        return _no_dated(ctx, "the weight on stale data")
    weighted = [(ref, ys, ctx.tree.effective_weight(ref)) for ref, ys in dated]
    known = [(ref, ys, w) for ref, ys, w in weighted if w is not None]
    total = sum(w for _, _, w in known)
    if not known or total <= 0:
        return not_applicable("no dated indicator has a disclosed effective weight", ("structure",))
    limit = options["stale-after-years"]
    stale = sorted(((r, ys, w) for r, ys, w in known if year - ys.last > limit), key=lambda t: -t[2])
    share = sum(w for _, _, w in stale) / total
    unweighted = len(weighted) - len(known)
    head = (
        f"{share:.0%} of the weight of {plural(len(known), 'dated, weighted indicator')} rests on data more than "
        f"{limit:g} years old"
    )
    if stale:
        head += f": {few([f'{r.id} ({w:.1%}, {_span(ys)})' for r, ys, w in stale])}"
    if unweighted:
        head += f" ({unweighted} dated indicator(s) without a known weight left out)"
    evidence = {"stale_weight_share": round(share, 4), "stale": [r.id for r, _, _ in stale]}
    where = field_path(stale[0][0], "reference_year") if stale else ("structure",)
    gap = listing_gap(ctx) or (f"{unweighted} dated indicator(s) have no known weight" if unweighted else None)
    return graded(
        share, options["share-for-2"], options["share-for-1"], head, where,
        higher_is_better=False, gap=gap, **evidence,
    )

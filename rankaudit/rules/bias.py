"""Quantitative bias (QB): whose view does the ranking take, and what does its construction favour?

Share-based rules weigh indicators by their effective weight (`Tree.effective_weight`). When
weights are not disclosed at every level they fall back to indicator counts, say so in the
message, and cap the score at 1. Unknown and unlisted indicators follow the policy documented in
`comparability.py` (`share_of`).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from typing import Any

from rankaudit.rules.base import (
    Option,
    Verdict,
    is_stated,
    met,
    not_applicable,
    not_met,
    partly,
    rule,
    undisclosed,
)
from rankaudit.rules.comparability import (
    CCCM,
    CCCM_URL,
    CWTS,
    CWTS_URL,
    JRC_10_STEPS,
    LEFF_PETERSEN,
    nothing_known,
    share_of,
)
from rankaudit.rules.context import AuditContext
from rankaudit.rules.helpers import band, few, is_survey, pct, plural, quote, verdict_for
from rankaudit.spec.models import (
    OPINION_TYPES,
    SCRAPED_TYPES,
    Group,
    Indicator,
    IndicatorSource,
    Structure,
    Survey,
)
from rankaudit.spec.yamlsafe import Path

LEFF_PETERSEN_PERSPECTIVE = (
    "Leff & Petersen, Beyond the Scorecard (Chicago Council on Global Affairs, 2015), executive summary: "
    "biases include 'the author's perspective'"
)
LEFF_PETERSEN_URL = "https://www.thechicagocouncil.org/publication/beyond-scorecard-understanding-global-city-rankings"
GFMAG = (
    "Global Finance, 'Best cities to live': EIU and Mercer rate liveability from the narrow perspective of "
    "well-paid expatriates"
)
BERLIN_A2 = (
    "Berlin Principles on Ranking of Higher Education Institutions (IREG, 2006), principle 2: indicators built for "
    "one target group 'may not be adequate for different purposes or target groups'"
)
BERLIN_A1 = "Berlin Principles (IREG, 2006), principle 1: assessment of 'inputs, processes, and outputs'"
BERLIN_URL = "https://iqaa-ranking.kz/en/berlin-principles"
GPCI_2015 = (
    "Mori Memorial Foundation, Global Power City Index 2015: quantitative data added to indicators 'previously "
    "obtained through surveys alone'"
)
GPCI_2015_URL = "https://deploy.doczz.net/doc/947443/global-power-city-index-2015-5"
GII_2023_TYPES = (
    "WIPO, Global Innovation Index 2023, report: indicators split into hard data, composite indicators and "
    "survey/qualitative data"
)
GII_2012_INDEX = (
    "Cornell, INSEAD & WIPO, The Global Innovation Index 2012, technical notes: statisticians discourage an "
    "'index within an index'"
)
GII_2012_URL = "https://www.yumpu.com/en/document/view/14357740/the-global-innovation-index-2012/452"
INORMS_MORE = "INORMS Research Evaluation Group, More Than Our Rank (2022): context beyond a single rank"
WUCKER = "Michele Wucker (Chicago Council), on Beyond the Scorecard: 'too many rankings and not enough context'"
COINR_AGGREGATE = (
    "COINr (W. Becker), vignette 'Aggregation': the arithmetic mean has perfect compensability, (0, 10) scores "
    "like (5, 5)"
)
COINR_AGGREGATE_URL = "https://github.com/bluefoxr/COINr/blob/master/vignettes/aggregate.Rmd"
COINR_WEIGHTS = "COINr (W. Becker), R/weights.R, get_eff_weights: the index-level weight of each indicator"
COINR_WEIGHTS_URL = "https://github.com/bluefoxr/COINr/blob/master/R/weights.R"
PARUOLO = (
    "Paruolo, Saisana & Saltelli, 'Ratings and rankings: voodoo or science?', JRSS-A 176(3), 2013: nominal "
    "weights 'hardly ever' match the importance of indicators"
)
JRC_STEP_1 = (
    "JRC Competence Centre on Composite Indicators, 10-step guide, step 1 Theoretical framework ('clear "
    "understanding and definition of the multidimensional phenomenon')"
)
BERLIN_A3 = "Berlin Principles (IREG, 2006), principle 3: recognise the diversity of those ranked"
HOT_SPOTS = (
    "EIU, Hot Spots: benchmarking global city competitiveness (2012, commissioned by Citigroup), as described "
    "by knoema: 31 indicators plus interviews with 10 experts"
)


def _text(value: str) -> str:
    """Lower case, curly quotes straightened, accents removed."""
    value = value.replace("\u2019", "'").replace("\u2018", "'")
    value = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in value if not unicodedata.combining(ch)).lower()


# --------------------------------------------------------------------------------------------
# QB01 perspective vs headline claim

NARROW = ("expatriate", "investor", "firm", "visitor", "talent")
BROAD = ("resident", "general")
SCOPE_WORDS: dict[str, tuple[str, ...]] = {
    "expatriate": ("expat", "assignee", "international employee", "foreign staff", "mobile employee"),
    "investor": ("invest", "business"),
    "firm": ("business", "compan", "corporate", "employer", "firms", "invest"),
    "visitor": ("visitor", "tourist", "travel"),
    "talent": ("talent", "skilled", "professionals", "graduates"),
    "resident": ("resident", "citizen", "locals", "inhabitant"),
}
GENERIC_CLAIMS = (
    "best city,best cities,most liveable,most livable,world's best,best place to live,best places to live,"
    "greatest city,best overall"
)


def _perspectives(ctx: AuditContext) -> list[str] | None:
    value = ctx.spec.ranking.perspective
    if isinstance(value, list):
        return list(value)
    return [value] if is_stated(value) else None  # type: ignore[list-item]


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@rule(
    "QB01",
    "Declared perspective matches the headline claim",
    core=True,
    source=f"{LEFF_PETERSEN_PERSPECTIVE}; {GFMAG}; {BERLIN_A2}; {CWTS}, principle 1",
    source_url=LEFF_PETERSEN_URL,
    reads=("ranking.perspective", "ranking.headline_claim"),
    scoring="2 = a perspective is declared and the headline claim stays within it (a narrow perspective such "
    "as expatriate, investor, firm, visitor or talent must be named in a generic claim); 1 = declared but "
    "the claim is not recorded, names another audience, or a `general` perspective makes a generic "
    "'best city' claim; 0 = a narrow perspective sold with an unscoped generic claim ('best city', 'most "
    "liveable', 'world's best'...); 0 (undisclosed) = no perspective declared. The phrase list is "
    "configurable.",
    options={"generic-claims": Option(GENERIC_CLAIMS, "comma-separated phrases that make a claim generic")},
)
def perspective_claim(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A cost-of-living table built for companies posting expatriates says little about life for the
    people who already live in a city, yet it is often sold as a verdict on the 'best city'. The
    perspective a ranking measures from should be declared, and its headline should not claim more."""
    perspectives = _perspectives(ctx)
    claim = ctx.spec.ranking.headline_claim
    phrases = [p.strip() for p in _text(options["generic-claims"]).split(",") if p.strip()]
    text = _text(claim) if claim else ""
    generic = next((p for p in phrases if p in text), None)
    if perspectives is None:
        extra = f", and the headline claims '{generic}'" if generic else ""
        return undisclosed(f"the ranking declares no perspective{extra}", ("ranking", "perspective"))
    declared = "/".join(perspectives)
    if claim is None:
        return partly(
            f"the {declared} perspective is declared but no headline claim is recorded to check it against",
            ("ranking", "perspective"),
        )
    addressed = {p for p, words in SCOPE_WORDS.items() if any(w in text for w in words)}
    path = ("ranking", "headline_claim")
    if addressed and not addressed & set(perspectives):
        return partly(
            f"the headline addresses {'/'.join(sorted(addressed))} but the declared perspective is {declared}", path
        )
    broad = [p for p in perspectives if p in BROAD]
    if not broad:
        if addressed & set(perspectives):
            return met(f"the headline claim is scoped to the declared {declared} perspective", path)
        if generic:
            sold = f"{_article(declared)} {declared} perspective is sold as '{generic}'"
            return not_met(f"{sold} without saying for whom", path)
        return met(f"the headline claim does not reach beyond the declared {declared} perspective", path)
    if generic and broad == ["general"] and len(perspectives) == 1:
        return partly(f"a generic perspective makes a generic '{generic}' claim", path)
    return met(f"the {declared} perspective supports the headline claim", path)


# --------------------------------------------------------------------------------------------
# Shares of the index by source type, kind


def _source_type(ind: Indicator) -> str | None:
    source = ind.source
    if isinstance(source, IndicatorSource) and is_stated(source.type):
        return source.type  # type: ignore[return-value]
    return None


def _type_share_rule(
    ctx: AuditContext,
    options: dict[str, Any],
    types: frozenset[str],
    label: str,
) -> Verdict:
    """Score the effective-weight share of indicators whose source type is in `types`."""
    def of_type(source: IndicatorSource) -> bool | None:
        return source.type in types if is_stated(source.type) else None

    share = share_of(
        ctx,
        lambda ind: None if _source_type(ind) is None else _source_type(ind) in types,
        by_weight=True,
        classify_source=of_type,
    )
    if share.share is None:
        return undisclosed(nothing_known(share, "source type"), ("structure",))
    full, partial = options["max-share-full"], options["max-share-partial"]
    score = band(share.share, full, partial, higher_is_better=False)
    capped = []
    if not share.by_weight and score == 2:
        capped.append("counted without weights")
    if share.mostly_unknown and score == 2:
        capped.append("most of the index is of unknown source type")
    if capped:
        score = 1
    message = f"{label} carry {pct(share.share)} of the index {share.basis('source type')}"
    if share.hits:
        message += f": {share.offenders()}"
    if capped:
        message += f"; capped at 1 ({', '.join(capped)})"
    worst = share.hits[0][0] if share.hits else (share.unknown_listed[0] if share.unknown_listed else None)
    path: Path = (*worst.path, "source") if worst is not None else ("structure",)
    return verdict_for(score, message, path, share=share.share, by_weight=share.by_weight)


SHARE_SCORING = (
    "Share of the index carried by {what}, by effective weight over the indicators stating their source type: "
    "<= {full} -> 2, <= {partial} -> 1, else 0 (rankaudit's cut-offs, configurable). When weights are not "
    "disclosed at every level, indicators count equally and the score is capped at 1; it is also capped "
    "at 1 when indicators of unknown source type (not stated, or not listed in the spec) carry more than "
    "half the index. 0 (undisclosed) when no indicator states its source type."
)


@rule(
    "QB02",
    "Weight on surveys and analyst ratings",
    source=f"{GPCI_2015}; {GII_2023_TYPES}",
    source_url=GPCI_2015_URL,
    reads=("structure.children[].source.type", "structure.children[].weight"),
    scoring=SHARE_SCORING.format(
        what="resident surveys, expert surveys and analyst ratings (`resident_survey`, `expert_survey`, "
        "`analyst_rating`)",
        full="25%",
        partial="50%",
    ),
    options={
        "max-share-full": Option(0.25, "largest opinion-based share of the index for 2 points"),
        "max-share-partial": Option(0.5, "largest opinion-based share of the index for 1 point"),
    },
)
def opinion_weight(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Perceptions of executives, experts or a publisher's own analysts are opinions: they reflect who
    was asked, their familiarity with each city and the city's reputation. An index driven mostly by
    them measures image more than conditions, and its ranks can echo last year's ranks."""
    return _type_share_rule(ctx, options, OPINION_TYPES, "surveys and analyst ratings")


@rule(
    "QB03",
    "Weight on crowdsourced and web-scraped data",
    source=f"{LEFF_PETERSEN}; {GII_2023_TYPES}",
    source_url=LEFF_PETERSEN_URL,
    reads=("structure.children[].source.type", "structure.children[].weight"),
    scoring=SHARE_SCORING.format(
        what="crowdsourced and web-scraped data (`crowdsourced`, `web_scraped`)", full="25%", partial="50%"
    ),
    options={
        "max-share-full": Option(0.25, "largest crowdsourced/scraped share of the index for 2 points"),
        "max-share-partial": Option(0.5, "largest crowdsourced/scraped share of the index for 1 point"),
    },
)
def scraped_weight(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """User-submitted prices, reviews and online mentions come from self-selected contributors, so their
    volume and slant vary with a city's tourism, language and internet use. They can enrich an index, but
    a ranking resting mainly on them measures online visibility as much as the city."""
    return _type_share_rule(ctx, options, SCRAPED_TYPES, "crowdsourced and web-scraped data")


@rule(
    "QB04",
    "Composite indices used as inputs",
    source=GII_2012_INDEX,
    source_url=GII_2012_URL,
    reads=("structure.children[].source.type", "structure.children[].source.name", "structure.children[].weight"),
    scoring=SHARE_SCORING.format(what="other composite indices (`composite_index`)", full="10%", partial="25%"),
    options={
        "max-share-full": Option(0.1, "largest share of the index from composite indices for 2 points"),
        "max-share-partial": Option(0.25, "largest share of the index from composite indices for 1 point"),
    },
)
def composite_inputs(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An index that feeds on other indices inherits their weights, gaps and choices without showing them,
    and the same underlying data may enter twice. Each such input is a ranking within the ranking that a
    reader cannot open."""
    return _type_share_rule(ctx, options, frozenset({"composite_index"}), "composite indices used as inputs")


@rule(
    "QB05",
    "Qualitative context published with the ranks",
    source=f"{CCCM}; {INORMS_MORE}; {WUCKER}",
    source_url=CCCM_URL,
    reads=("ranking.qualitative_component",),
    scoring="2 = city profiles, narratives or other qualitative context are published with the ranks; "
    "0 = ranks and scores only; 0 (undisclosed) = not stated.",
)
def qualitative_component(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Much of what ties people to a place does not reduce to a number, and a bare rank invites readers
    to stop at the top line. Profiles or narratives beside the table put each position in context."""
    value = ctx.spec.ranking.qualitative_component
    path = ("ranking", "qualitative_component")
    if value is True:
        return met("qualitative context (profiles or narratives) is published alongside the ranks", path)
    if value is False:
        return not_met("the ranking publishes ranks and scores with no qualitative context", path)
    return undisclosed("whether qualitative context accompanies the ranks is not stated", path)


@rule(
    "QB06",
    "Outcomes rather than inputs",
    source=f"{BERLIN_A1}; {JRC_STEP_1}",
    source_url=BERLIN_URL,
    reads=("structure.children[].kind", "structure.children[].weight"),
    scoring="Share of the index carried by output and outcome indicators (`kind: output` or `outcome`), by "
    "effective weight over the indicators stating `kind`: >= 50% -> 2, >= 25% -> 1, else 0 (rankaudit's "
    "cut-offs, configurable). Without disclosed weights indicators count equally and the score is capped "
    "at 1; also capped at 1 when indicators of unknown kind carry more than half the index. 0 "
    "(undisclosed) when no indicator states its kind.",
    options={
        "min-share-full": Option(0.5, "smallest output/outcome share of the index for 2 points"),
        "min-share-partial": Option(0.25, "smallest output/outcome share of the index for 1 point"),
    },
)
def outcome_share(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Counting hospital beds, budgets or policies rewards what a city spends or promises, not what its
    residents get. An index that claims to measure how well cities do should rest mostly on results:
    health, employment, clean air."""

    def classify(ind: Indicator) -> bool | None:
        return None if ind.kind is None else ind.kind in ("output", "outcome")

    share = share_of(ctx, classify, by_weight=True)
    if share.share is None:
        return undisclosed(nothing_known(share, "kind (input or outcome)"), ("structure",))
    score = band(share.share, options["min-share-full"], options["min-share-partial"], higher_is_better=True)
    capped = []
    if not share.by_weight and score == 2:
        capped.append("counted without weights")
    if share.mostly_unknown and score == 2:
        capped.append("most of the index is of unknown kind")
    if capped:
        score = 1
    inputs = [r for r in share.known if r.node.kind in ("input", "process")]  # type: ignore[union-attr]
    message = f"outputs and outcomes carry {pct(share.share)} of the index {share.basis('kind')}"
    if inputs and score < 2:
        message += f"; inputs/processes include {few([r.id for r in inputs])}"
    if capped:
        message += f"; capped at 1 ({', '.join(capped)})"
    worst = inputs[0] if inputs else (share.unknown_listed[0] if share.unknown_listed else share.known[0])
    return verdict_for(score, message, (*worst.path, "kind"), share=share.share, by_weight=share.by_weight)


@rule(
    "QB07",
    "Compensatory aggregation acknowledged",
    source=COINR_AGGREGATE,
    source_url=COINR_AGGREGATE_URL,
    reads=("method.aggregation", "structure.aggregation", "structure.children[].aggregation", "method.compensability"),
    scoring="2 = the publisher states why its aggregation may or may not compensate (`method.compensability`), "
    "or every level uses a less compensatory mean (geometric, harmonic); 1 = an arithmetic (or other) mean "
    "is used, or some levels' method is unknown, with no statement; 0 (undisclosed) = the aggregation "
    "method is not stated anywhere.",
)
def compensability(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """With an arithmetic mean a city's strength in one pillar buys off failure in another: top marks on
    business and none on safety equal middling marks on both. That is a value judgement the publisher
    should own and explain."""
    tree = ctx.tree
    # a level aggregates when it has two or more children (listed, or stated for an unlisted group)
    levels = [
        g
        for g in tree.groups
        if len(tree.children_of(g)) > 1 or (isinstance(g.node, Group) and g.node.children == "undisclosed"
                                           and g.node.indicator_count != 1)
    ]
    methods = {id(g): tree.aggregation(g) for g in levels}
    known = [g for g in levels if is_stated(methods[id(g)])]
    statement = ctx.spec.method.compensability if ctx.spec.method else None
    if not levels:
        return not_applicable("no level combines two or more elements, so nothing can compensate", ("structure",))
    if statement:
        quoted = quote(statement, 70)
        return met(f"the publisher addresses compensability: '{quoted}'", ("method", "compensability"))
    if not known:
        return undisclosed("the aggregation method is not stated", ("method", "aggregation"))
    compensatory = [g for g in known if methods[id(g)] in ("arithmetic", "other")]
    unknown = len(levels) - len(known)

    def where(g: Any) -> Path:
        node = g.node
        assert isinstance(node, Group | Structure)
        return (*g.path, "aggregation") if node.aggregation else ("method", "aggregation")

    if compensatory:
        kinds = sorted({str(methods[id(g)]) for g in compensatory})
        return partly(
            f"{'/'.join(kinds)} aggregation at {len(compensatory)} of {len(levels)} levels lets strengths offset "
            "weaknesses, and compensability is not discussed",
            where(compensatory[0]),
            levels=[g.id for g in compensatory],
        )
    if unknown:
        gap = next(g for g in levels if not is_stated(methods[id(g)]))
        return partly(
            f"the aggregation of {unknown} of {len(levels)} levels ({gap.id} first) is not stated, and compensability "
            "is not discussed",
            (*gap.path, "aggregation"),
        )
    kinds = sorted({str(methods[id(g)]) for g in known})
    return met(f"every level uses a less compensatory {'/'.join(kinds)} mean", where(known[0]))


@rule(
    "QB08",
    "Geographic balance of a 'global' city sample",
    source=f"{BERLIN_A3}; {JRC_10_STEPS}",
    source_url=BERLIN_URL,
    reads=("ranking.geographic_claim", "cities.list[].region", "cities.count"),
    scoring="For a ranking that claims to be global, over the listed cities with a region: 2 = no world "
    "region holds more than 50% of cities and at least 3 regions appear; 1 = the largest region holds at "
    "most 70%; 0 = more (rankaudit's cut-offs, configurable). Capped at 1 when more than half the listed "
    "cities have no region; 0 (undisclosed) when none has. n.a. when the claim is not global, or the spec "
    "lists no cities or fewer than 80% of `cities.count` (a top-N excerpt says little about the sample), or "
    "the count is not stated.",
    options={
        "max-region-share-full": Option(0.5, "largest share of cities from one region for 2 points"),
        "max-region-share-partial": Option(0.7, "largest share of cities from one region for 1 point"),
        "min-regions": Option(3, "fewest world regions represented for 2 points"),
        "min-listed-share": Option(
            0.8, "share of the ranked cities the spec must list for the check to run (a top-10 excerpt is skewed)"
        ),
    },
)
def geographic_balance(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A 'global' ranking drawn mostly from one continent will crown that continent's cities and leave
    most of the world's urban population out. The claim should be matched by the spread of the sample."""
    claim = ctx.spec.ranking.geographic_claim
    if claim != "global":
        return not_applicable(f"the ranking does not claim global coverage ({claim or 'no claim recorded'})",
                              ("ranking",))
    members = ctx.spec.cities.members
    if not members:
        return not_applicable("the spec lists no cities", ("cities",))
    count = ctx.spec.cities.count
    if not isinstance(count, int):
        return not_applicable(
            f"the spec lists {len(members)} cities but not how many are ranked, so the list may be an excerpt",
            ("cities", "count"),
        )
    if len(members) < options["min-listed-share"] * count:
        return not_applicable(
            f"the spec lists {len(members)} of {count} ranked cities, too few to judge the sample "
            "(list them all to run this check)",
            ("cities", "list"),
        )
    regions = Counter(c.region for c in members if c.region)
    with_region = sum(regions.values())
    if not with_region:
        return undisclosed(f"none of the {len(members)} listed cities has a region", ("cities", "list"))
    top, top_n = regions.most_common(1)[0]
    top_share = top_n / with_region
    score = band(top_share, options["max-region-share-full"], options["max-region-share-partial"],
                 higher_is_better=False)
    notes = []
    if score == 2 and len(regions) < options["min-regions"]:
        score = 1
        notes.append(f"only {len(regions)} regions appear")
    if score == 2 and with_region < len(members) / 2:
        score = 1
        notes.append(f"only {with_region} of {len(members)} listed cities have a region")
    scope = f"{with_region} cities with a region"
    if count > len(members):
        scope += f", from {len(members)} listed of {count} ranked"
    region = top.replace("_", " ").title()
    message = f"{region} holds {pct(top_share)} of the sample ({top_n} of {scope}); {plural(len(regions), 'region')}"
    if notes:
        message += "; " + "; ".join(notes)
    first = next(i for i, c in enumerate(members) if c.region == top)
    return verdict_for(score, message, ("cities", "list", first, "region"), regions=dict(regions))


@rule(
    "QB09",
    "Effective weights close to equal shares",
    source=f"{COINR_WEIGHTS}; {PARUOLO}",
    source_url=COINR_WEIGHTS_URL,
    reads=("structure.children[].weight", "structure.weighting", "structure.children[].indicator_count"),
    scoring="Each indicator's effective weight (product of normalised weights down the tree) is compared "
    "with the equal share 1/n; an indicator below half or above twice it is flagged: 2 = none flagged; "
    "1 = at most 25% of indicators flagged; 0 = more (rankaudit's cut-offs, configurable). With groups "
    "not listed, n counts their stated `indicator_count`; if a count is missing, the comparison is made "
    "among the listed indicators only. 0 (undisclosed) when weights are not disclosed at every level; "
    "n.a. for a flat index (every indicator weighted directly, so effective equals nominal) or a single "
    "indicator.",
    options={
        "low-factor": Option(0.5, "flag indicators whose effective weight is below this multiple of 1/n"),
        "high-factor": Option(2.0, "flag indicators whose effective weight is above this multiple of 1/n"),
        "max-flagged-share": Option(0.25, "largest share of flagged indicators for 1 point"),
    },
)
def effective_weights(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Equal weights on pillars of unequal size are not equal weights on indicators: one indicator alone
    in its pillar can count ten times as much as one of ten in another. Readers see the nominal weights,
    while the ranks follow the effective ones."""
    tree = ctx.tree
    listed = ctx.indicators
    if len(listed) < 2:
        return not_applicable(
            "the spec lists no indicators" if not listed else "the spec lists a single indicator", ("structure",)
        )
    unlisted = tree.unlisted_groups
    if not unlisted and all(r.depth == 1 for r in listed):
        return not_applicable("every indicator is weighted directly, so effective and nominal weights coincide",
                              ("structure",))
    weights = [ctx.tree.effective_weight(r) for r in listed]
    if any(w is None for w in weights):
        gaps = [
            g
            for g in tree.groups
            if tree.children_of(g) and None in tree.child_weights(g)
        ]
        return undisclosed(
            f"effective weights are unknown: weights are not disclosed under {few([g.name for g in gaps])}",
            gaps[0].path if gaps else ("structure",),
        )
    effective = [float(w) for w in weights]  # type: ignore[arg-type]
    counts = [g.node.indicator_count for g in unlisted]
    note = ""
    if unlisted and all(isinstance(c, int) for c in counts):
        n = len(listed) + sum(counts)  # type: ignore[arg-type]
        note = f" ({n} indicators, {n - len(listed)} in unlisted groups)"
    else:
        total = sum(effective)
        if total <= 0:
            return undisclosed("the listed indicators carry no weight", ("structure",))
        effective = [w / total for w in effective]
        n = len(listed)
        if unlisted or not ctx.spec.structure.complete:
            note = " (among the listed indicators only: the spec does not list them all)"
    equal = 1 / n
    low, high = options["low-factor"], options["high-factor"]
    flagged = sorted(
        ((r, w / equal) for r, w in zip(listed, effective, strict=True) if w < low * equal or w > high * equal),
        key=lambda item: -abs(math.log(max(item[1], 1e-9))),
    )
    share = len(flagged) / len(listed)
    evidence = {"equal_share": equal, "flagged": {r.id: round(f, 3) for r, f in flagged}}
    if not flagged:
        return met(
            f"every effective weight lies within {low:g}x-{high:g}x the equal share of {pct(equal)}{note}",
            ("structure",),
            **evidence,
        )
    detail = few([f"{r.id} {pct(f * equal)} ({f:.1f}x)" for r, f in flagged])
    message = (
        f"{len(flagged)} of {len(listed)} indicators ({pct(share)}) have an effective weight outside "
        f"{low:g}x-{high:g}x the equal share of {pct(equal)}{note}: {detail}"
    )
    score = 1 if share <= options["max-flagged-share"] + 1e-9 else 0
    worst = flagged[0][0]
    return verdict_for(score, message, worst.parent.path if worst.parent else ("structure",), **evidence)


@rule(
    "QB10",
    "Rank uncertainty acknowledged by the publisher",
    source=f"{CWTS}, principle 6 ('uncertainty in ... rankings should be acknowledged')",
    source_url=CWTS_URL,
    reads=("ranking.uncertainty_published",),
    scoring="2 = the publisher reports rank intervals or a sensitivity analysis; 0 = it does not; "
    "0 (undisclosed) = not stated.",
)
def uncertainty_published(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Every weight, normalisation and imputation choice could have been made otherwise, and adjacent ranks
    are often separated by less than that uncertainty. A publisher that shows rank intervals or a
    sensitivity analysis tells readers which differences are real."""
    value = ctx.spec.ranking.uncertainty_published
    path = ("ranking", "uncertainty_published")
    if value is True:
        return met("the publisher reports rank uncertainty or a sensitivity analysis", path)
    if value is False:
        return not_met("the publisher presents single ranks with no uncertainty or sensitivity analysis", path)
    return undisclosed("whether the publisher reports rank uncertainty is not stated", path)


RESPONDENT_WORDS: dict[str, tuple[str, ...]] = {
    "resident": ("resident", "citizen", "household", "inhabitant", "general public", "locals", "population"),
    "expatriate": ("expat", "assignee", "foreign employee", "foreign staff"),
    "firm": ("executive", "business", "manager", "employer", "compan", "firm", "investor", "ceo", "leader"),
    "visitor": ("visitor", "tourist", "traveller", "traveler"),
    "talent": ("professional", "worker", "employee", "student", "graduate", "talent"),
    "expert": ("expert", "analyst", "academic", "specialist", "correspondent", "staff"),
}
# which respondent groups speak for each perspective (experts are proxies for any of them)
SPEAKS_FOR: dict[str, frozenset[str]] = {
    "resident": frozenset({"resident"}),
    "expatriate": frozenset({"expatriate"}),
    "investor": frozenset({"firm"}),
    "firm": frozenset({"firm"}),
    "visitor": frozenset({"visitor"}),
    "talent": frozenset({"talent", "expatriate"}),
    "general": frozenset({"resident", "expatriate", "firm", "visitor", "talent"}),
}


def _respondents(ind: Indicator) -> tuple[set[str], str | None]:
    """The respondent groups of a survey indicator, and the words they were read from."""
    survey = ind.survey
    words = survey.respondents if isinstance(survey, Survey) and survey.respondents else None
    if words:
        text = _text(words)
        return {g for g, keys in RESPONDENT_WORDS.items() if any(k in text for k in keys)}, words
    kind = _source_type(ind)
    if kind == "resident_survey":
        return {"resident"}, "residents"
    if kind == "expert_survey":
        return {"expert"}, "experts"
    return set(), None


@rule(
    "QB11",
    "Survey respondents match the declared perspective",
    source=f"{LEFF_PETERSEN_PERSPECTIVE}; {HOT_SPOTS}; {BERLIN_A2}",
    source_url=LEFF_PETERSEN_URL,
    reads=(
        "structure.children[].survey.respondents",
        "structure.children[].source.type",
        "ranking.perspective",
    ),
    scoring="Over the survey indicators (source type `resident_survey` or `expert_survey`, or a `survey` block): "
    "2 = every one asks the group whose perspective the ranking declares (residents for a resident "
    "ranking...); 1 = some ask experts as proxies, or do not say who was asked, or a minority ask another "
    "group; 0 = more than half ask another group (executives for a resident ranking...). 0 (undisclosed) "
    "when no perspective is declared or no survey says who was asked. n.a. without survey indicators. "
    "Respondents are read from keywords in `survey.respondents` (rankaudit's heuristic).",
)
def survey_respondents(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Asking business executives how pleasant a city is to live in records a business view, however the
    ranking is labelled. The people surveyed should be the people whose perspective the ranking claims to
    take, or the substitution should at least be visible."""
    surveys = [
        r
        for r in ctx.indicators
        if is_survey(r.node)  # type: ignore[arg-type]
    ]
    if not surveys:
        return not_applicable("no indicator comes from a survey", ("structure",))
    perspectives = _perspectives(ctx)
    if perspectives is None:
        return undisclosed(
            f"no perspective is declared to judge who answers the {len(surveys)} survey indicators",
            ("ranking", "perspective"),
        )
    wanted = frozenset().union(*(SPEAKS_FOR[p] for p in perspectives))
    match, proxy, other, unknown = [], [], [], []
    asked: dict[str, str] = {}
    for ref in surveys:
        groups, words = _respondents(ref.node)  # type: ignore[arg-type]
        if words:
            asked[ref.id] = words
        if groups & wanted:
            match.append(ref)
        elif groups == {"expert"}:
            proxy.append(ref)
        elif groups:
            other.append(ref)
        else:
            unknown.append(ref)
    n = len(surveys)
    declared = "/".join(perspectives)
    path = lambda ref: (*ref.path, "survey")  # noqa: E731
    some = plural(n, "survey indicator")
    if len(unknown) == n:
        return undisclosed(f"who was asked is not stated for {'the' if n == 1 else 'any of the'} {some}",
                           path(unknown[0]))
    if len(match) == n:
        return met(f"{'the' if n == 1 else 'all'} {some} ask{'s' if n == 1 else ''} respondents who hold the "
                   f"declared {declared} perspective", path(surveys[0]))

    def verb(k: int, one: str, many: str) -> str:
        return f"{k} {one if k == 1 else many}"

    parts = []
    if other:
        who = few([f"{r.id}: {asked[r.id]}" for r in other], 2)
        parts.append(f"{verb(len(other), 'asks', 'ask')} another group ({who})")
    if proxy:
        parts.append(f"{verb(len(proxy), 'asks', 'ask')} experts as proxies ({few([r.id for r in proxy])})")
    if unknown:
        parts.append(f"{verb(len(unknown), 'does', 'do')} not say who was asked")
    message = f"of {some} in a {declared}-perspective ranking, " + "; ".join(parts)
    score = 0 if len(other) > n / 2 else 1
    return verdict_for(score, message, path((other or proxy or unknown)[0]), other=[r.id for r in other])

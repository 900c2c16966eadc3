"""Comparability (CM): are the cities, indicators and editions measured on the same footing?

Several rules here and in `bias.py` ask "what share of the index has property X". They share
one helper, `share_of`, and one documented policy for facts the spec does not give:

- shares are taken over the indicators whose property is known (stated in the spec);
- indicators the spec does not list (`structure.complete: false`, groups with
  `children: undisclosed`) and listed indicators that leave the property out count as unknown,
  and the message says how much is unknown;
- when unknown indicators carry more than half of the index, the score is capped at 1;
- nothing known at all -> `undisclosed`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
from rankaudit.rules.context import AuditContext
from rankaudit.rules.helpers import band, few, field_path, first_edition, pct, plural, quote, verdict_for
from rankaudit.spec.models import CityDefinition, Indicator, IndicatorSource, Monetary
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path

# --------------------------------------------------------------------------------------------
# Sources (all tagged [V] or [P] in the research notes)

URBAN_INSTITUTE = (
    "Urban Institute, 'What defines a city?' (Urban Wire): EIU Hot Spots uses the urban agglomeration or "
    "metropolitan area, PwC Cities of Opportunity strict administrative borders"
)
URBAN_INSTITUTE_URL = "https://www.urban.org/urban-wire/what-defines-city"
CITYMETRIC = (
    "CityMetric, 'What is a city, anyway?': London and Paris swap places by population depending on the "
    "boundary used (administrative, built-up area, Eurostat metro)"
)
CITYMETRIC_URL = "http://www.citymetric.com/what-city-anyway"
DEGURBA = (
    "Eurostat / EC, FAO, UN-Habitat, OECD, World Bank, Degree of Urbanisation methodology "
    "(endorsed by the UN Statistical Commission, March 2020)"
)
DEGURBA_URL = "http://ec.europa.eu/eurostat/web/degree-of-urbanisation/methodology"
FUA = (
    "Dijkstra, Poelman & Veneri, The EU-OECD definition of a functional urban area (2019): national "
    "administrative boundaries bias comparisons (modifiable areal unit problem)"
)
CWTS = "CWTS Leiden, 10 principles for responsible use of university rankings (2017)"
CWTS_URL = "https://www.leidenranking.com/information/responsibleuse"
CITYLAB_2011 = (
    "CityLab, 'Ranking cities is a tricky business' (October 2011): national data may be too coarse for cities"
)
CITYLAB_2011_URL = "https://www.citylab.com/equity/2011/10/ranking-cities-tricky-business/236/"
GII_2012 = (
    "Cornell, INSEAD & WIPO, The Global Innovation Index 2012, technical notes: count variables are scaled by "
    "GDP or population because raw counts would bias results"
)
GII_2012_URL = "https://www.yumpu.com/en/document/view/14357740/the-global-innovation-index-2012/452"
COINR_ANALYSIS = (
    "COINr (W. Becker), vignette 'Analysis', get_denom_corr: flags indicators correlated with a size denominator"
)
JRC_10_STEPS = (
    "JRC Competence Centre on Composite Indicators, 10-step guide, step 2 Data selection "
    "('analytical soundness, measurability, country coverage, and relevance')"
)
JRC_10_STEPS_URL = (
    "https://knowledge4policy.ec.europa.eu/composite-indicators/toolkit_en/navigation-page/10-step-guide_en"
)
LEFF_PETERSEN = (
    "Leff & Petersen, Beyond the Scorecard: Understanding Global City Rankings, Chicago Council on Global "
    "Affairs (2015), executive summary: 'lack of reliable and internationally comparable data'"
)
LEFF_PETERSEN_URL = "https://www.thechicagocouncil.org/publication/beyond-scorecard-understanding-global-city-rankings"
ISO_37120 = (
    "ISO 37120:2018 Sustainable cities and communities, indicators measured 'in a comparable and verifiable manner'"
)
ISO_37120_URL = (
    "https://www.resiliencefirst.org/our-work/resources/"
    "iso-371202018-sustainable-cities-and-communities-indicators-city-services-and"
)
CCCM = (
    "JRC, Cultural and Creative Cities Monitor: about 1,000 Urban Audit cities of 50,000+ inhabitants narrowed "
    "to 190 by three published criteria"
)
CCCM_URL = "https://composite-indicators.jrc.ec.europa.eu/cultural-creative-cities-monitor/"
BERLIN_A3 = (
    "Berlin Principles on Ranking of Higher Education Institutions (IREG, 2006), principle 3 (diversity of those "
    "ranked)"
)
GII_COMPARABILITY = (
    "WIPO, Global Innovation Index 2024, economy profiles: rankings 'are not directly comparable between one "
    "year and another'"
)
GII_COMPARABILITY_URL = (
    "https://wipo.int/web-publications/global-innovation-index-2024/en/gii-2024-economy-profiles.html"
)
IREG_8 = (
    "IREG Ranking Audit Manual (2011), criterion 8: changes in weights over time 'should be limited and due to "
    "methodological or conception-related considerations'"
)
IREG_URL = "https://123doc.top/document/1102475-ireg-ranking-audit-manual-pdf.htm"
IREG_23 = "IREG Ranking Audit Manual (2011), criteria group 2.3 Publication and Presentation of Results"
COINR_SCREEN = (
    "COINr (W. Becker), R/screen_units.R: units with less than 2/3 data availability are screened out (dat_thresh)"
)
COINR_SCREEN_URL = "https://github.com/bluefoxr/COINr/blob/master/R/screen_units.R"
COMPOSER = "{composer} (finddx), screening documentation: the 'less than 66 %' rule of thumb"


# --------------------------------------------------------------------------------------------
# Shared helpers (also used by bias.py)


def unlisted_indicator_count(ctx: AuditContext) -> int | None:
    """How many of the publisher's indicators the spec does not list: 0, a number, or None if unknown."""
    listed = len(ctx.indicators)
    stated = ctx.spec.structure.indicator_count
    if isinstance(stated, int):
        return max(0, stated - listed)
    unlisted = ctx.tree.unlisted_groups
    if not unlisted and ctx.spec.structure.complete:
        return 0
    counts = [g.node.indicator_count for g in unlisted]
    if unlisted and all(isinstance(c, int) for c in counts) and ctx.spec.structure.complete:
        return sum(counts)  # type: ignore[arg-type]
    return None


Classify = Callable[[Indicator], bool | None]


@dataclass
class Share:
    """The share of the index (by effective weight or by count) in a class of indicators."""

    by_weight: bool
    listed: int
    known: list[NodeRef]
    hits: list[tuple[NodeRef, float]]  # (indicator, its share of the known part), largest first
    unknown_listed: list[NodeRef]
    unknown_fraction: float  # share of the whole index whose class is unknown (unlisted included)
    share: float | None  # hits / known; None when nothing is known
    notes: list[str] = field(default_factory=list)

    def basis(self, what: str) -> str:
        """Where the share was taken: '(by effective weight, over 10 indicators stating the X; notes...)'."""
        # groups whose indicators are not listed may stand in for them (a source declared on the group)
        noun = "indicator" if all(r.is_indicator for r in self.known) else "element"
        if self.by_weight:
            text = f"by effective weight, over {plural(len(self.known), noun)} stating the {what}"
        else:
            text = f"by count, over {plural(len(self.known), noun)} stating the {what}"
        return "(" + "; ".join([text, *self.notes]) + ")"

    def offenders(self, limit: int = 3) -> str:
        return few([f"{ref.id} {pct(w)}" for ref, w in self.hits], limit)

    @property
    def mostly_unknown(self) -> bool:
        return self.unknown_fraction > 0.5


def declared_source(ref: NodeRef) -> IndicatorSource | None:
    """The source a group (or the index) declares for all its indicators: the nearest one up the tree."""
    probe: NodeRef | None = ref
    while probe is not None:
        source = getattr(probe.node, "source", None)
        if isinstance(source, IndicatorSource) and not isinstance(probe.node, Indicator):
            return source
        probe = probe.parent
    return None


def share_of(
    ctx: AuditContext,
    classify: Classify,
    *,
    by_weight: bool,
    classify_source: Callable[[IndicatorSource], bool | None] | None = None,
) -> Share:
    """Share of the listed indicators (known class only) for which `classify` is True.

    With `by_weight`, indicators count by their effective weight (`effective_weight`) when
    every weight is disclosed; otherwise by count (and `Share.by_weight` is False).

    With `classify_source`, a source declared on a group or on the index (`source:` on the group,
    for indicators it does not list) classifies the indicators that state none, and the group's
    unlisted indicators count with the group's weight.
    """
    tree = ctx.tree
    listed = ctx.indicators
    sourced_groups: list[NodeRef] = []
    if classify_source is not None:
        sourced_groups = [g for g in tree.unlisted_groups if declared_source(g) is not None]
    notes: list[str] = []
    weights: dict[NodeRef, float] = {}
    unlisted_weight = 0.0
    use_weight = False
    if by_weight and (listed or sourced_groups):
        effective = [ctx.tree.effective_weight(r) for r in listed]
        group_weights = [ctx.tree.effective_weight(g) for g in tree.unlisted_groups]
        if all(w is not None for w in effective) and all(w is not None for w in group_weights):
            use_weight = True
            weights = {r: float(w) for r, w in zip(listed, effective, strict=True)}  # type: ignore[arg-type]
            weights |= {g: float(ctx.tree.effective_weight(g) or 0.0) for g in sourced_groups}
            group_weights = [w for g, w in zip(tree.unlisted_groups, group_weights, strict=True) if g not in weights]
            unlisted_weight = float(sum(group_weights))  # type: ignore[arg-type]
            if unlisted_weight > 0:
                notes.append(f"{pct(unlisted_weight)} of the index weight is in groups whose indicators are not listed")
            if not ctx.spec.structure.complete:
                notes.append("the spec marks its structure incomplete")
        else:
            notes.append("weights not disclosed at every level, so indicators count equally")
    if not use_weight:
        weights = {r: 1.0 for r in listed}
        for group in sourced_groups:
            count = group.node.indicator_count  # type: ignore[union-attr]
            weights[group] = float(count) if isinstance(count, int) and count > 0 else 1.0
        if sourced_groups and not all(isinstance(g.node.indicator_count, int) for g in sourced_groups):  # type: ignore[union-attr]
            notes.append("groups whose indicators are not listed count as one indicator each")
        missing = unlisted_indicator_count(ctx)
        if missing is None and not sourced_groups:
            notes.append("the spec lists only part of the indicators, how many is not stated")
        elif missing:
            counted = sum(weights[g] for g in sourced_groups)
            notes.append(f"the spec lists {len(listed)} of {len(listed) + missing} indicators")
            unlisted_weight = max(0.0, float(missing) - counted)
    verdicts: dict[NodeRef, bool | None] = {}
    for ref in listed:
        verdict = classify(ref.node)  # type: ignore[arg-type]
        if verdict is None and classify_source is not None:
            inherited = declared_source(ref.parent) if ref.parent is not None else None
            verdict = classify_source(inherited) if inherited is not None else None
        verdicts[ref] = verdict
    for group in sourced_groups:
        verdicts[group] = classify_source(declared_source(group))  # type: ignore[misc, arg-type]
    if sourced_groups:
        one = len(sourced_groups) == 1
        notes.append(
            f"{plural(len(sourced_groups), 'group')} of unlisted indicators "
            f"count{'s' if one else ''} by the source declared for {'it' if one else 'them'}"
        )
    known = [r for r in verdicts if verdicts[r] is not None]
    unknown_listed = [r for r in listed if verdicts[r] is None]
    # a declared group whose source leaves the class open is unknown weight, not a listed unknown
    unlisted_weight += sum(weights[g] for g in sourced_groups if verdicts[g] is None)
    if unknown_listed:
        n = len(unknown_listed)
        notes.append(f"{plural(n, 'listed indicator')} {'does' if n == 1 else 'do'} not state it")
    known_weight = sum(weights[r] for r in known)
    total = sum(weights.values()) + unlisted_weight
    hits = sorted(
        ((r, weights[r] / known_weight) for r in known if verdicts[r]) if known_weight > 0 else [],
        key=lambda item: -item[1],
    )
    share = sum(w for _, w in hits) if known_weight > 0 else None
    unknown_fraction = (total - known_weight) / total if total > 0 else 1.0
    return Share(use_weight, len(listed), known, hits, unknown_listed, unknown_fraction, share, notes)


def nothing_known(share: Share, what: str) -> str:
    """The message when no listed indicator states the property."""
    if share.listed == 0:
        return f"the spec lists no indicators, so their {what} is unknown"
    return f"none of the {plural(share.listed, 'listed indicator')} states its {what}"


def cap_unknown(score: int, message: str, share: Share, what: str) -> tuple[int, str]:
    """Cap a score at 1 when indicators of unknown `what` carry more than half the index."""
    if share.mostly_unknown and score == 2:
        return 1, f"{message}; capped at 1: the {what} of {pct(share.unknown_fraction)} of the index is unknown"
    return score, message


# --------------------------------------------------------------------------------------------
# The rules

_DEFINITION_SCORES = {
    "urban_centre": 2,
    "functional_urban_area": 2,
    "administrative": 1,
    "metropolitan_area": 1,
    "agglomeration": 1,
    "mixed": 0,
    "unspecified": 0,
}
_DEFINITION_WORDS = {
    "urban_centre": "the Degree of Urbanisation urban centre",
    "functional_urban_area": "the EU-OECD functional urban area",
    "administrative": "administrative boundaries",
    "metropolitan_area": "metropolitan areas by national definitions",
    "agglomeration": "urban agglomerations",
    "mixed": "a mix of definitions",
    "unspecified": "no particular definition",
}


def _definition(ctx: AuditContext) -> tuple[CityDefinition | None, Path]:
    """The city definition and where it sits (or should sit)."""
    definition = ctx.spec.cities.definition
    if isinstance(definition, CityDefinition):
        return definition, ("cities", "definition")
    return None, ("cities", "definition") if definition else ("cities",)


@rule(
    "CM01",
    "City unit of analysis declared and standard",
    core=True,
    source=f"{URBAN_INSTITUTE}; {DEGURBA}; {FUA}; {CWTS}, principle 3",
    source_url=URBAN_INSTITUTE_URL,
    reads=("cities.definition.type",),
    scoring="2 = a harmonised international definition (urban_centre per the Degree of Urbanisation, or "
    "functional_urban_area per EU-OECD); 1 = a declared but national or ad hoc unit (administrative, "
    "metropolitan_area, agglomeration); 0 = mixed or unspecified; 0 (undisclosed) = not stated.",
)
def city_definition_standard(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Whether 'Paris' means the 20 arrondissements or a region of twelve million people changes every
    per-capita figure and many ranks. Only the grid-based Degree of Urbanisation and the EU-OECD
    functional urban area draw city boundaries the same way in every country."""
    definition, path = _definition(ctx)
    if definition is None or not is_stated(definition.type):
        return undisclosed("the ranking does not say what area a 'city' covers", path)
    kind = definition.type
    score = _DEFINITION_SCORES[kind]
    words = _DEFINITION_WORDS[kind]
    if score == 2:
        message = f"cities are delimited by {words}, a definition applied alike in every country"
    elif score == 1:
        message = f"cities are delimited by {words}, which differ from country to country"
    elif kind == "mixed":
        message = "cities are delimited by a mix of definitions: ranked units are not drawn the same way"
    else:
        message = "the ranking names no particular city definition (`unspecified`): units may differ from city to city"
    return verdict_for(score, message, (*path, "type"), definition=kind)


@rule(
    "CM02",
    "City definition applied consistently",
    core=True,
    source=f"{CITYMETRIC}; {CWTS}, principle 3 (units 'defined in a consistent way')",
    source_url=CITYMETRIC_URL,
    reads=("cities.definition.consistent", "cities.definition.type"),
    scoring="2 = the same definition is applied to every city, and it is named; 1 = said to be consistent "
    "but the definition itself is unspecified or undisclosed; 0 = not consistent, or type `mixed`; "
    "0 (undisclosed) = not stated.",
)
def city_definition_consistent(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A ranking that takes the metropolitan area for one city and the administrative core for another
    compares unlike things, and the order of two cities can flip on that choice alone. The boundary
    must be the same for every city, not merely declared."""
    definition, path = _definition(ctx)
    if definition is None:
        return undisclosed("no city definition is given, so its consistency cannot be judged", path)
    consistent = definition.consistent
    if definition.type == "mixed":
        return not_met("the city definition is declared `mixed`: different units for different cities", (*path, "type"))
    if consistent is False:
        return not_met("the city definition is not applied the same way to every city", (*path, "consistent"))
    if consistent is True:
        if definition.type in ("unspecified", "undisclosed"):
            return partly(
                "one definition is said to apply to every city, but which one is not stated", (*path, "consistent")
            )
        return met(f"every city is delimited the same way ({definition.type})", (*path, "consistent"))
    return undisclosed("whether every city is delimited the same way is not stated", path)


GEO_CITY = frozenset({"city", "metro"})


@rule(
    "CM03",
    "Indicators measured at the city's own scale",
    source=f"{CITYLAB_2011}; {LEFF_PETERSEN}",
    source_url=CITYLAB_2011_URL,
    reads=("structure.children[].geo_level",),
    scoring="Share of indicators (by count) measured at city or metro level, over the indicators stating "
    "`geo_level`: >= 80% -> 2, >= 50% -> 1, else 0 (rankaudit's cut-offs, configurable). Region, country "
    "and mixed levels count against and are named. Capped at 1 when indicators of unknown level (not "
    "stated, or not listed in the spec) are more than half; 0 (undisclosed) when no indicator states it.",
    options={
        "min-share-full": Option(0.8, "share of city/metro-level indicators needed for 2 points"),
        "min-share-partial": Option(0.5, "share of city/metro-level indicators needed for 1 point"),
    },
)
def indicator_geography(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A national figure copied to every city of a country tells nothing about the city and gives
    its cities identical scores. Rankings built for cities should measure them at the city or
    metropolitan scale, and a reader needs to know which indicators are national proxies."""

    def classify(ind: Indicator) -> bool | None:
        return ind.geo_level in GEO_CITY if is_stated(ind.geo_level) else None

    share = share_of(ctx, classify, by_weight=False)
    if share.share is None:
        return undisclosed(nothing_known(share, "geographic level"), ("structure",))
    proxies = [r for r in share.known if not classify(r.node)]  # type: ignore[arg-type]
    country = [r for r in proxies if r.node.geo_level == "country"]  # type: ignore[union-attr]
    score = band(share.share, options["min-share-full"], options["min-share-partial"], higher_is_better=True)
    message = f"{pct(share.share)} of indicators are measured at city or metro level {share.basis('level')}"
    if proxies:
        kinds = ", ".join(
            f"{sum(1 for r in proxies if r.node.geo_level == lvl)} {lvl}"  # type: ignore[union-attr]
            for lvl in ("country", "region", "mixed")
            if any(r.node.geo_level == lvl for r in proxies)  # type: ignore[union-attr]
        )
        ordered = country + [r for r in proxies if r not in country]
        message += f"; coarser proxies ({kinds}): {few([r.id for r in ordered])}"
    score, message = cap_unknown(score, message, share, "level")
    worst = (country or proxies or share.unknown_listed or [None])[0]
    path = field_path(worst, "geo_level") if worst is not None else ("structure",)
    return verdict_for(score, message, path, share=share.share, proxies=[r.id for r in proxies])


@rule(
    "CM04",
    "Size-dependent counts scaled",
    source=f"{CWTS}, principle 2 (size-dependent vs size-independent indicators); {GII_2012}; {COINR_ANALYSIS}",
    source_url=CWTS_URL,
    reads=("structure.children[].scaling",),
    scoring="Share of indicators (by count) that are absolute counts or totals (`scaling: absolute`), over "
    "the indicators stating `scaling`: <= 20% -> 2, <= 50% -> 1, else 0 (rankaudit's cut-offs, "
    "configurable). Capped at 1 when indicators of unknown scaling (not stated, or not listed) are more "
    "than half; 0 (undisclosed) when no indicator states it.",
    options={
        "max-share-full": Option(0.2, "largest share of absolute (unscaled) indicators for 2 points"),
        "max-share-partial": Option(0.5, "largest share of absolute (unscaled) indicators for 1 point"),
    },
)
def size_scaling(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Raw totals (number of headquarters, passengers, museums) grow with a city's size, so a ranking
    built on them mostly rewards being big, and the answer also depends on where the boundary is drawn.
    Dividing by population, output or area makes a large and a small city comparable."""

    def classify(ind: Indicator) -> bool | None:
        return ind.scaling == "absolute" if is_stated(ind.scaling) else None

    share = share_of(ctx, classify, by_weight=False)
    if share.share is None:
        return undisclosed(nothing_known(share, "scaling"), ("structure",))
    score = band(share.share, options["max-share-full"], options["max-share-partial"], higher_is_better=False)
    message = f"{pct(share.share)} of indicators are unscaled absolute counts {share.basis('scaling')}"
    if share.hits:
        message += f": {few([r.id for r, _ in share.hits])}"
    score, message = cap_unknown(score, message, share, "scaling")
    worst = share.hits[0][0] if share.hits else (share.unknown_listed[0] if share.unknown_listed else None)
    path = field_path(worst, "scaling") if worst is not None else ("structure",)
    return verdict_for(score, message, path, share=share.share, absolute=[r.id for r, _ in share.hits])


@rule(
    "CM05",
    "Monetary indicators on a common basis",
    source=f"{JRC_10_STEPS}; {LEFF_PETERSEN}",
    source_url=JRC_10_STEPS_URL,
    reads=(
        "structure.children[].monetary.basis",
        "structure.children[].monetary.currency",
        "structure.children[].monetary.price_year",
    ),
    scoring="Over the indicators with a `monetary` block: 2 = every one states its currency, a price year, "
    "and PPP or constant prices; 1 = every one states currency and basis, but some use market exchange "
    "rates or nominal values, or give no price year; 0 = some lack the basis or the currency (scored as "
    "undisclosed when none states either). n.a. when no indicator is monetary. rankaudit's scale.",
)
def monetary_basis(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Salaries, rents and output measured in local currency at market rates move with exchange rates
    and price levels, not with the cities themselves. Comparing money across countries needs a stated
    currency, purchasing power parities or constant prices, and a price year."""
    monetary = [r for r in ctx.indicators if isinstance(r.node.monetary, Monetary)]  # type: ignore[union-attr]
    if not monetary:
        return not_applicable("no indicator is declared monetary", ("structure",))
    blank: list[NodeRef] = []
    weak: list[tuple[NodeRef, str]] = []
    for ref in monetary:
        money = ref.node.monetary
        assert isinstance(money, Monetary)
        has_basis, has_currency = is_stated(money.basis), is_stated(money.currency)
        if not (has_basis and has_currency):
            blank.append(ref)
        elif money.basis in ("market_exchange_rate", "nominal"):
            weak.append((ref, str(money.basis).replace("_", " ")))
        elif money.price_year is None:
            weak.append((ref, "no price year"))
    n = len(monetary)
    if blank:
        message = (
            f"{len(blank)} of {plural(n, 'monetary indicator')} {'does' if len(blank) == 1 else 'do'} not state "
            f"both currency and basis: {few([r.id for r in blank])}"
        )
        path = field_path(blank[0], "monetary")
        if len(blank) == n and all(
            not is_stated(r.node.monetary.basis) and not is_stated(r.node.monetary.currency)  # type: ignore[union-attr]
            for r in blank
        ):
            return undisclosed(message, path)
        return not_met(message, path, missing=[r.id for r in blank])
    if weak:
        return partly(
            f"{len(weak)} of {plural(n, 'monetary indicator')} {'is' if len(weak) == 1 else 'are'} not on PPP or "
            "constant prices with a price year: " + few([f"{r.id} ({why})" for r, why in weak]),
            field_path(weak[0][0], "monetary"),
            weak=[r.id for r, _ in weak],
        )
    bases = sorted({str(r.node.monetary.basis) for r in monetary})  # type: ignore[union-attr]
    return met(
        f"{'the' if n == 1 else 'all ' + str(n)} {plural(n, 'monetary indicator')[len(str(n)) + 1 :]} state"
        f"{'s' if n == 1 else ''} currency, price year and basis ({', '.join(bases)})",
        field_path(monetary[0], "monetary"),
    )


_HARMONY_SCORE = {"single": 2, "mixed_documented": 1, "mixed_undocumented": 0}


@rule(
    "CM06",
    "One harmonised source per indicator",
    source=f"{ISO_37120}; {LEFF_PETERSEN}",
    source_url=ISO_37120_URL,
    reads=("structure.children[].source.harmonised",),
    scoring="2 = every indicator stating `source.harmonised` draws on one harmonised source for all cities; "
    "1 = some mix sources across cities but document the mix; 0 = some mix sources without documenting "
    "it. Capped at 1 when indicators of unknown provenance (not stated, or not listed) are more than "
    "half; 0 (undisclosed) when no indicator states it.",
)
def harmonised_sources(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """When the crime rate of one city comes from its police and that of another from a national survey,
    a gap between them may be a gap between sources. One harmonised source per indicator, or at least a
    documented mapping between sources, is what makes a city-to-city comparison meaningful."""

    def level(ind: Indicator) -> str | None:
        source = ind.source
        if isinstance(source, IndicatorSource) and is_stated(source.harmonised):
            return source.harmonised  # type: ignore[return-value]
        return None

    share = share_of(ctx, lambda ind: None if level(ind) is None else level(ind) != "single", by_weight=False)
    if share.share is None:
        return undisclosed(nothing_known(share, "source harmonisation"), ("structure",))
    mixed = [r for r, _ in share.hits]
    undocumented = [r for r in mixed if level(r.node) == "mixed_undocumented"]  # type: ignore[arg-type]
    documented = [r for r in mixed if level(r.node) == "mixed_documented"]  # type: ignore[arg-type]
    score = min(_HARMONY_SCORE[level(r.node)] for r in share.known)  # type: ignore[arg-type,index]
    k = len(share.known)
    if undocumented:
        message = (
            f"{len(undocumented)} of {k} indicators {'mixes' if len(undocumented) == 1 else 'mix'} sources across "
            "cities without documenting it: "
            f"{few([r.id for r in undocumented])}"
        )
    elif documented:
        verb = "mixes" if len(documented) == 1 else "mix"
        message = f"{len(documented)} of {k} indicators {verb} documented sources: {few([r.id for r in documented])}"
    else:
        message = "every indicator stating its provenance draws on one harmonised source for all cities"
    message += " " + share.basis("provenance")
    score, message = cap_unknown(score, message, share, "provenance")
    worst = (undocumented or documented or share.unknown_listed or share.known)[0]
    return verdict_for(score, message, (*worst.path, "source"), mixed=[r.id for r in mixed])


THRESHOLD_WORDS = re.compile(
    r"more than|at least|no fewer than|greater than|larger than|over\s|above|exceed|minimum|threshold|or more|"
    r"largest|biggest|top\s|[>\u2265]",
    re.IGNORECASE,
)


@rule(
    "CM07",
    "City selection rule published",
    source=f"{CCCM}; {BERLIN_A3}",
    source_url=CCCM_URL,
    reads=("cities.selection_rule",),
    scoring="2 = a selection rule is stated with a measurable threshold (a number together with 'more than', "
    "'at least', 'over', 'largest', 'top', 'minimum'... as in 'urban areas of more than 1 million'); 1 = a "
    "rule in words, or a bare count of cities ('30 capitals of finance'); 0 (undisclosed) = not stated. The "
    "threshold test is rankaudit's heuristic.",
)
def selection_rule(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Which cities enter the table shapes the table: leave out a region and its cities can never rank.
    A published, checkable entry rule (a population threshold, a list of urban areas) lets a reader see
    who could have been ranked and was not."""
    rule_text = ctx.spec.cities.selection_rule
    path = ("cities", "selection_rule")
    if not is_stated(rule_text):
        return undisclosed("the spec gives no rule for which cities were included", path)
    assert isinstance(rule_text, str)
    quoted = quote(rule_text)
    if re.search(r"\d", rule_text) and THRESHOLD_WORDS.search(rule_text):
        return met(f"cities are selected by a measurable rule: '{quoted}'", path)
    return partly(f"the selection rule states no measurable threshold: '{quoted}'", path)


@rule(
    "CM08",
    "Comparability with the previous edition stated",
    source=f"{GII_COMPARABILITY}; {IREG_8}",
    source_url=GII_COMPARABILITY_URL,
    reads=(
        "history.comparable_with_previous",
        "history.statement",
        "history.changes",
        "ranking.previous_edition",
        "ranking.previous_published",
        "ranking.frequency",
    ),
    scoring="2 = the publisher says whether ranks are comparable with the previous edition, and a claim of "
    "comparability despite method changes listed for this edition comes with a statement; 1 = a statement "
    "is quoted but does not settle whether ranks are comparable; 0 = comparability claimed despite listed "
    "changes, with no statement; 0 (undisclosed) = not stated. n.a. for a one-off ranking or a first edition "
    "(`previous_edition: not_applicable` or `history.comparable_with_previous: not_applicable`), as in OP10.",
)
def comparable_with_previous(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Readers and city officials read a move from 12th to 8th as progress, yet it may only reflect new
    indicators or weights. A publisher that changes its method should say whether this year's ranks
    can be set beside last year's."""
    reason = first_edition(ctx)
    if reason:
        return not_applicable(f"{reason} to compare with", ("ranking",))
    history = ctx.spec.history
    edition = ctx.spec.ranking.edition
    changes = [c for c in history.changes if c.edition == edition] if history else []
    comparable = history.comparable_with_previous if history else None
    statement = history.statement if history else None
    changed = f"{plural(len(changes), 'method change')} listed for {edition}" if changes else "no method change listed"
    if comparable is True and changes and not statement:
        return not_met(
            f"ranks are presented as comparable with the previous edition despite {changed}, without a statement",
            ("history", "comparable_with_previous"),
        )
    if comparable is False:
        return met(
            f"the publisher warns that ranks are not comparable with the previous edition ({changed})",
            ("history", "comparable_with_previous"),
        )
    if comparable is True:
        return met(
            f"ranks are stated comparable with the previous edition ({changed})",
            ("history", "comparable_with_previous"),
        )
    if statement:
        return partly(
            f"a comparability statement is quoted but does not say whether ranks are comparable ({changed})",
            ("history", "statement"),
        )
    return undisclosed(
        f"nothing is said about comparability with the previous edition ({changed})",
        ("history", "comparable_with_previous"),
    )


@rule(
    "CM09",
    "Number of ranked cities stated",
    source=f"{JRC_10_STEPS}; {IREG_23}",
    source_url=JRC_10_STEPS_URL,
    reads=("cities.count", "cities.list"),
    scoring="2 = the number of ranked cities is stated; 1 = not stated, but the spec lists the cities; "
    "0 (undisclosed) = neither.",
)
def city_count(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A rank means little without the size of the field: 10th of 30 and 10th of 1,000 are different
    results. The number of cities ranked is also the first check that editions cover the same ground."""
    cities = ctx.spec.cities
    if isinstance(cities.count, int):
        listed = f"; the spec lists {len(cities.members)}" if cities.members else ""
        return met(f"{cities.count} cities are ranked{listed}", ("cities", "count"))
    if cities.members:
        return partly(f"the number of cities is not stated; the spec lists {len(cities.members)}", ("cities", "count"))
    return undisclosed("the number of cities ranked is not stated", ("cities", "count"))


@rule(
    "CM10",
    "Listed cities identified by country and region",
    source=f"{CWTS}, principles 3 and 5; {URBAN_INSTITUTE}",
    source_url=CWTS_URL,
    reads=("cities.list[].country", "cities.list[].region"),
    scoring="Over the cities listed in the spec: 2 = every city has a country and a world region; 1 = at "
    "least half have a country; 0 = fewer than half have a country (scored as undisclosed). n.a. when the "
    "spec lists no cities.",
)
def cities_located(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A bare name is ambiguous (there are several Birminghams and Portlands) and hides where the sample
    comes from. Country and region make each unit identifiable and let a reader check the geographic
    spread of the ranking."""
    members = ctx.spec.cities.members
    if not members:
        return not_applicable("the spec lists no cities", ("cities",))
    n = len(members)
    no_country = [i for i, c in enumerate(members) if not c.country]
    no_region = [i for i, c in enumerate(members) if not c.region]
    if not no_country and not no_region:
        every = "the listed city has" if n == 1 else f"all {n} listed cities have"
        return met(f"{every} a country and a region", ("cities", "list"))
    lacking = [f"{len(no_country)} lack a country"] if no_country else []
    lacking += [f"{len(no_region)} a region" if no_country else f"{len(no_region)} lack a region"] if no_region else []
    gaps = f"of {plural(n, 'listed city', 'listed cities')}, {' and '.join(lacking)}"
    first = (no_country or no_region)[0]
    example = few([members[i].name for i in (no_country or no_region)])
    if n - len(no_country) >= n / 2:
        return partly(f"{gaps}: {example}", ("cities", "list", first))
    return undisclosed(f"{gaps}: {example}", ("cities", "list", first))


@rule(
    "CM11",
    "Minimum data coverage per city declared",
    source=f"{COINR_SCREEN}; {COMPOSER}; {JRC_10_STEPS}",
    source_url=COINR_SCREEN_URL,
    reads=("method.missing_data.min_coverage",),
    scoring="2 = the publisher requires each city to have data for at least 66% of indicators; 1 = a lower "
    "threshold of at least 50% (rankaudit's cut-off); 0 = a threshold below that; 0 (undisclosed) = "
    "no threshold stated. Both thresholds are configurable.",
    options={
        "min-coverage-full": Option(0.66, "declared coverage threshold needed for 2 points"),
        "min-coverage-partial": Option(0.5, "declared coverage threshold needed for 1 point"),
    },
)
def coverage_threshold(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A city scored on a third of the indicators is ranked mostly on imputed values, and it is not
    comparable with a city measured on all of them. A published minimum share of data per city is the
    guard against this."""
    method = ctx.spec.method
    missing = method.missing_data if method else None
    if missing is None or not is_stated(missing):
        return undisclosed("no minimum data coverage per city is stated", ("method", "missing_data"))
    threshold = missing.min_coverage  # type: ignore[union-attr]
    path = ("method", "missing_data", "min_coverage")
    if threshold is None:
        return undisclosed("the missing-data policy sets no minimum data coverage per city", path)
    score = band(threshold, options["min-coverage-full"], options["min-coverage-partial"], higher_is_better=True)
    return verdict_for(
        score, f"a city needs data for at least {pct(threshold)} of indicators to be ranked", path, threshold=threshold
    )

"""Opacity (OP): can a reader see how the ranking is made, by whom, and check it?

Rules that judge something per indicator (a share of the indicators, a statistic over them) can
only see the indicators a spec lists. Two things hide indicators: `structure.complete: false`
(the spec's author transcribed part of the hierarchy) and a group with `children: undisclosed`
(the publisher does not list them). Such rules compute over the listed indicators, say so in their
message, and score at most 1 when the hierarchy is incomplete: a full score would certify
indicators nobody has seen. The helpers for this (`listing_gap`, `cap_for_gap`) are shared with
the freshness rules.
"""

from __future__ import annotations

import unicodedata
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
    first_edition,
    listed_share_verdict,
    listing_gap,
    only_second_hand,
    plural,
)
from rankaudit.spec.models import (
    Group,
    Indicator,
    IndicatorSource,
    MissingData,
    Normalisation,
    Organisation,
)
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path

IREG_MANUAL = "IREG Observatory, IREG Ranking Audit Manual (2011), criteria groups 2.2 Methodology and 2.4 Transparency"
IREG_URL = "https://123doc.top/document/1102475-ireg-ranking-audit-manual-pdf.htm"
IREG_WEIGHTS = (
    "IREG Observatory, IREG Ranking Audit Manual (2011), criterion 8: 'If rankings are using composite indicators "
    "the weights of the individual indicators have to be published.'"
)
IREG_CHANGES = (
    "IREG Observatory, IREG Ranking Audit Manual (2011), criterion 8: 'Changes in weights over time should be "
    "limited and due to methodological or conception-related considerations.'"
)
LEFF_PETERSEN = (
    "Leff & Petersen, Beyond the Scorecard: Understanding Global City Rankings, Chicago Council on Global Affairs "
    "(2015), as summarised by CityLab: rankings 'arbitrarily or opaquely slapped together'"
)
LEFF_PETERSEN_URL = "https://www.thechicagocouncil.org/publication/beyond-scorecard-understanding-global-city-rankings"
INORMS = "INORMS Research Evaluation Group, 'Rating the Rankers' (2020-2022), findings as reported by NARMA"
INORMS_URL = "https://narma.no/samarbeid/rating-the-rankers"
JRC_GUIDE = "JRC Competence Centre on Composite Indicators, 10 Step Guide"
JRC_GUIDE_URL = "https://knowledge4policy.ec.europa.eu/composite-indicators/toolkit_en/navigation-page/10-step-guide_en"
ISO_37120 = (
    "ISO 37120 Sustainable cities and communities: Indicators for city services and quality of life (2014, rev. "
    "2018), for cities measuring performance 'in a comparable and verifiable manner'"
)
ISO_37120_URL = (
    "https://www.resiliencefirst.org/our-work/resources/"
    "iso-371202018-sustainable-cities-and-communities-indicators-city-services-and"
)
CWTS = "CWTS, 10 principles for responsible use of university rankings (2017)"
CWTS_URL = "https://www.leidenranking.com/information/responsibleuse"
BERLIN_A2 = (
    "IREG, Berlin Principles on Ranking of Higher Education Institutions (2006), principle 2: 'Be clear about "
    "their purpose and their target groups'"
)
BERLIN_URL = "https://iqaa-ranking.kz/en/berlin-principles"
GII_COMPARABILITY = (
    "WIPO, Global Innovation Index 2024, economy profiles: rankings 'are not directly comparable between one year "
    "and another'"
)
GII_COMPARABILITY_URL = (
    "https://wipo.int/web-publications/global-innovation-index-2024/en/gii-2024-economy-profiles.html"
)
COINR = (
    "W. Becker, COINr (R package, formerly JRC-COIN), R/screen_units.R: units below `dat_thresh = 2/3` data "
    "availability are screened out"
)
COINR_URL = "https://github.com/bluefoxr/COINr"

SHARE_FOR_2 = Option(0.95, "share of listed indicators that must comply for 2 points (rankaudit's cut-off)")
SHARE_FOR_1 = Option(0.5, "share of listed indicators that must comply for 1 point (rankaudit's cut-off)")


# --------------------------------------------------------------------------------------------
# Helpers shared with the freshness rules


# --------------------------------------------------------------------------------------------
# The rules


@rule(
    "OP01",
    "Methodology document public",
    core=True,
    source=f"{IREG_MANUAL}; {LEFF_PETERSEN}",
    source_url=IREG_URL,
    reads=("access.methodology", "ranking.methodology_url"),
    scoring="2 = a full methodology document is public at a stated address; 1 = a full document is said to be "
    "public but no address is given, or only a summary is public; 0 = none, or undisclosed.",
)
def methodology_public(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A ranking whose method cannot be read cannot be checked. The IREG audit devotes whole criteria
    groups to methodology and transparency, and the Chicago Council's review of city rankings found
    many of them opaquely put together."""
    access = ctx.spec.access
    level = access.methodology if access else None
    url = ctx.spec.ranking.methodology_url
    if level == "public" and disclosure(url) == "stated":
        return met(f"the methodology is public at {url}", ("ranking", "methodology_url"))
    if level == "public":
        return partly("the methodology is said to be public but the spec gives no address", ("access", "methodology"))
    if level == "summary":
        return partly("only a summary of the methodology is public", ("access", "methodology"))
    if level == "none":
        return not_met("the publisher publishes no methodology", ("access", "methodology"))
    where = ("access", "methodology") if access else ("access",)
    state = "undisclosed" if level is not None else "not stated"
    return undisclosed(f"whether the methodology is public is {state} (access.methodology)", where)


@rule(
    "OP02",
    "Weights published at every level",
    core=True,
    source=IREG_WEIGHTS,
    source_url=IREG_URL,
    reads=(
        "structure.weighting",
        "method.weighting",
        "structure.children[].weight",
        "structure.children[].weighting",
        "structure.children[].children",
    ),
    scoring="2 = every aggregate (the index and each group) has disclosed weights for all its children, or declares "
    "equal weighting, and the whole hierarchy is listed; 1 = the index's own children (pillars) have disclosed "
    "weights but some lower level does not (undisclosed or implicit weights, or `children: undisclosed`), or the "
    "spec lists only part of the hierarchy; 0 = the top-level weights are undisclosed, implicit or not stated.",
)
def weights_published(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A composite score is only as meaningful as the weights that combine its parts, and a reader who
    cannot see them cannot tell what a rank rewards. The IREG audit makes the publication of indicator
    weights an explicit criterion; equal weighting is a disclosed choice and counts as published."""
    tree = ctx.tree
    gaps: list[tuple[NodeRef, str, Path, bool]] = []  # group, why, where, undisclosed (vs disclosed bad practice)
    groups = tree.groups
    for group in groups:
        node = group.node
        if isinstance(node, Group) and not isinstance(node.children, list):
            gaps.append((group, "children not listed", (*group.path, "children"), True))
            continue
        mode = tree.weighting(group)
        if getattr(node, "weighting", None):
            anchor: Path = (*group.path, "weighting")
        elif ctx.spec.method is not None and ctx.spec.method.weighting:
            anchor = ("method", "weighting")
        else:
            anchor = group.path
        if mode == "equal":
            continue
        if mode == "implicit":
            gaps.append((group, "implicit weights", anchor, False))
            continue
        kids = tree.children_of(group)
        if None not in tree.child_weights(group):
            continue  # every child's share is known (a sole child carries its parent's whole weight)
        missing = [k for k in kids if not isinstance(k.node.weight, int | float)]
        if not missing:
            continue
        why = "weights undisclosed" if mode == "undisclosed" else f"{len(missing)} of {len(kids)} weights not stated"
        where = anchor if mode == "undisclosed" else (*missing[0].path, "weight")
        gaps.append((group, why, where, True))
    ok = len(groups) - len(gaps)
    evidence = {"aggregates": len(groups), "disclosed": ok, "gaps": [g.id for g, _, _, _ in gaps]}
    if not gaps:
        verdict = met(f"weights are disclosed for all {len(groups)} aggregates", ("structure",), **evidence)
        gap = None if ctx.spec.structure.complete else "the spec lists only part of the hierarchy"
        return cap_for_gap(verdict, gap)
    detail = few([f"{g.id} ({why})" for g, why, _, _ in gaps])
    head = f"weights are disclosed for {ok} of {len(groups)} aggregates; missing: {detail}"
    top = next((g for g in gaps if g[0].depth == 0), None)
    if top is not None:
        _, why, where, hidden = top
        message = (
            f"the index's top-level weights are not published ({why}); {ok} of {len(groups)} aggregates have "
            f"disclosed weights; missing under {few([g.id for g, _, _, _ in gaps])}"
        )
        return undisclosed(message, where, **evidence) if hidden else not_met(message, where, **evidence)
    return partly(head, gaps[0][2], **evidence)


@rule(
    "OP03",
    "Indicators defined, with unit and direction",
    core=True,
    source=f"{JRC_GUIDE}, steps 1 (theoretical framework) and 2 (data selection); {ISO_37120}",
    source_url=JRC_GUIDE_URL,
    reads=("structure.children[].definition", "structure.children[].unit", "structure.children[].direction"),
    scoring="Share of listed indicators with a definition, a unit (`not_applicable` counts) and a direction: "
    "2 = at least 95%; 1 = at least 50%; 0 = less (rankaudit's cut-offs). At most 1 when some indicators are "
    "not listed (`structure.complete: false` or `children: undisclosed`).",
    options={"share-for-2": SHARE_FOR_2, "share-for-1": SHARE_FOR_1},
)
def indicators_defined(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An indicator name such as 'congestion' or 'safety' can hide very different measurements; without its
    definition, unit and the direction in which it counts, a reader cannot reproduce or question it. The JRC
    guide asks for a clear framework and defined data, and ISO 37120 rests on verifiable indicator definitions."""
    offenders = []
    for ref in ctx.indicators:
        node = ref.node
        assert isinstance(node, Indicator)
        lacking = [
            name
            for name, value, ok_na in (
                ("definition", node.definition, False),
                ("unit", node.unit, True),
                ("direction", node.direction, False),
            )
            if not (is_stated(value) or (ok_na and disclosure(value) == "not_applicable"))
        ]
        if lacking:
            offenders.append((ref, "no " + "/".join(lacking), lacking[0]))
    first_field = offenders[0][2] if offenders else "definition"
    return listed_share_verdict(
        ctx, options, [(r, why) for r, why, _ in offenders], "have a definition, unit and direction", first_field
    )


@rule(
    "OP04",
    "Source named for each indicator",
    source=f"{INORMS}: transparency claims 'not necessarily borne out by others' ability to replicate the data'",
    source_url=INORMS_URL,
    reads=("structure.children[].source",),
    scoring="Share of listed indicators whose source is named: 2 = at least 95%; 1 = at least 50%; 0 = less "
    "(rankaudit's cut-offs). At most 1 when some indicators are not listed.",
    options={"share-for-2": SHARE_FOR_2, "share-for-1": SHARE_FOR_1},
)
def sources_named(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A value whose origin is unknown cannot be checked or updated by anyone but the publisher. The INORMS
    review of rankings found that stated transparency often did not let others replicate the data, and naming
    the source of every indicator is the first step towards replication."""
    offenders = []
    for ref in ctx.indicators:
        source = ref.node.source  # type: ignore[union-attr]
        if not (isinstance(source, IndicatorSource) and is_stated(source.name)):
            offenders.append((ref, "undisclosed" if disclosure(source) == "undisclosed" else ""))
    return listed_share_verdict(ctx, options, offenders, "name their source", "source")


@rule(
    "OP05",
    "Publisher, sponsors and conflicts of interest disclosed",
    core=True,
    source=f"{INORMS}: 'clear weaknesses in terms of declaring conflicts of interest'; EIU, Hot Spots 2012, "
    "'commissioned by Citigroup' (knoema.com)",
    source_url=INORMS_URL,
    reads=("publisher.name", "publisher.type", "sponsors", "sponsors[].role", "conflict_of_interest"),
    scoring="2 = the publisher's type, the sponsors, commissioners and partners (or a statement that there are "
    "none, `sponsors: []`) and a conflict-of-interest statement are all disclosed; 1 = sponsorship or the "
    "conflict-of-interest statement is disclosed but not everything (a sponsor known only from secondary sources "
    "does not count as disclosed); 0 = neither sponsorship nor a conflict-of-interest statement is disclosed.",
)
def funders_disclosed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """City rankings are often paid for by firms, business lobbies or city agencies with a stake in the
    result, and a reader weighs a ranking differently once the payer is known. INORMS found conflict-of-interest
    declarations to be a clear weakness of rankings; the EIU's Hot Spots index, for example, was commissioned
    by a bank."""
    spec = ctx.spec
    sponsors = spec.sponsors
    missing: list[tuple[str, Path]] = []
    if not is_stated(spec.publisher.type):
        missing.append(("the publisher's type", ("publisher", "type")))
    sponsors_ok = isinstance(sponsors, list)
    hearsay = [s for s in sponsors if only_second_hand(ctx, s)] if isinstance(sponsors, list) else []
    if not sponsors_ok:
        missing.append(("sponsors and commissioners", ("sponsors",)))
    elif hearsay:
        names = few([s.name for s in hearsay])
        missing.append((f"sponsorship by {names} (known only from secondary sources)", ("sponsors",)))
    coi_ok = is_stated(spec.conflict_of_interest)
    if not coi_ok:
        missing.append(("a conflict-of-interest statement", ("conflict_of_interest",)))
    if isinstance(sponsors, list):
        listed = ", ".join(f"{s.name} ({s.role})" for s in sponsors[:3]) or "none"
    else:
        listed = "not disclosed"
    evidence = {"sponsors": len(sponsors) if isinstance(sponsors, list) else None, "coi_statement": coi_ok}
    if not missing:
        return met(
            f"{spec.publisher.name} ({spec.publisher.type}) discloses its sponsors ({listed}) and a "
            "conflict-of-interest statement",
            ("conflict_of_interest",),
            **evidence,
        )
    gaps = "; ".join(what for what, _ in missing)
    if (sponsors_ok and not hearsay) or coi_ok:
        return partly(f"not disclosed: {gaps}", missing[0][1], **evidence)
    return undisclosed(
        f"neither sponsorship nor a conflict-of-interest statement is disclosed; missing: {gaps}",
        missing[0][1],
        **evidence,
    )


def _city_key(name: str) -> str:
    """Case- and accent-insensitive city name; 'Tokyo, Japan' matches 'Tokyo'."""
    plain = unicodedata.normalize("NFKD", name.split(",")[0])
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("-", " ").split())


@rule(
    "OP06",
    "No undeclared home-city advantage",
    core=True,
    source=f"{INORMS}: weak declaration of conflicts of interest; PwC & Partnership for New York City, Cities of "
    "Opportunity, which 'names New York the global champion' (firstbusinessnews.net)",
    source_url="https://firstbusinessnews.net/economix-what-rankings-show-about-cities/",
    reads=(
        "publisher.home_city",
        "sponsors[].home_city",
        "sponsors[].cite",
        "conflict_of_interest",
        "cities.list[].rank",
    ),
    scoring="Not applicable when no ranks are listed in `cities.list`, or when the listed ranks do not cover the "
    "whole top group and none of them is a home city. 2 = no home city of the publisher, a sponsor, "
    "commissioner or partner sits in the top 10, and all of them are known; 1 = one does, the tie is disclosed by "
    "the publisher and a conflict-of-interest statement is given; 0 = one does without a conflict-of-interest "
    "statement, or the sponsor is known only from secondary sources, or sponsors or home cities are not disclosed "
    "so the question cannot be settled. Cities match by name or id, ignoring case, accents and a ', country' suffix.",
    options={"top-n": Option(10, "size of the top group checked for home cities")},
)
def home_city_advantage(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """When the organisation that makes or pays for a ranking finds its own city near the top, readers deserve to
    know of the tie and to see it declared. PwC's Cities of Opportunity, made with the Partnership for New York
    City, named New York the overall leader; INORMS found conflict-of-interest declarations weak across rankings."""
    spec = ctx.spec
    top_n = options["top-n"]
    members = spec.cities.members or []
    ranked = [c for c in members if c.rank is not None]
    if not ranked:
        return not_applicable("no city ranks are listed in cities.list, so the top 10 is unknown", ("cities",))
    top: dict[str, Any] = {}
    for city in ranked:
        if city.rank is not None and city.rank <= top_n:
            for label in (city.name, city.id):
                if label:
                    top.setdefault(_city_key(label), city)
    orgs: list[tuple[str, Organisation, Path]] = [("publisher", spec.publisher, ("publisher",))]
    if isinstance(spec.sponsors, list):
        orgs += [(s.role, s, ("sponsors", i)) for i, s in enumerate(spec.sponsors)]
    hits = []
    unknown = []
    for role, org, path in orgs:
        home = org.home_city
        if not is_stated(home):
            unknown.append((role, org, path))
            continue
        assert isinstance(home, str)
        city = top.get(_city_key(home))
        if city is not None:
            hits.append((role, org, path, city))
    evidence = {"top_n": top_n, "ties": [org.name for _, org, _, _ in hits]}
    if hits:
        role, org, path, city = hits[0]
        more = f" (and {plural(len(hits) - 1, 'other organisation')})" if len(hits) > 1 else ""
        tie = f"{org.name} ({role}) is based in {org.home_city}, ranked {city.rank}{more}"
        where = (*path, "home_city")
        hidden = [h for h in hits if h[0] != "publisher" and only_second_hand(ctx, h[1])]
        if hidden:
            return undisclosed(
                f"{tie}; {hidden[0][1].name}'s role is known only from secondary sources",
                (*hidden[0][2], "cite"),
                **evidence,
            )
        if is_stated(spec.conflict_of_interest):
            return partly(f"{tie}; the tie is disclosed with a conflict-of-interest statement", where, **evidence)
        return undisclosed(f"{tie}, with no conflict-of-interest statement", ("conflict_of_interest",), **evidence)
    if not isinstance(spec.sponsors, list):
        return undisclosed(
            f"no known home city is among the listed top {top_n}, but sponsors are not disclosed, so the check is "
            "incomplete",
            ("sponsors",),
            **evidence,
        )
    if unknown:
        names = few([f"{org.name} ({role})" for role, org, _ in unknown])
        return undisclosed(
            f"the home city of {names} is not stated, so a top-{top_n} tie cannot be ruled out",
            (*unknown[0][2], "home_city"),
            **evidence,
        )
    count = spec.cities.count
    expected = min(top_n, count) if isinstance(count, int) else top_n
    listed_top = sum(1 for c in ranked if c.rank is not None and c.rank <= top_n)
    if listed_top < expected:
        # an unlisted part of the top group may hold a home city: no verdict either way
        return not_applicable(
            f"only {listed_top} of the top {expected} cities are listed, and none is a home city of the "
            "organisations behind the ranking; the rest of the top group is unknown",
            ("cities", "list"),
            **evidence,
        )
    homes = ", ".join(f"{org.home_city} ({role})" for role, org, _ in orgs)
    return met(
        f"no home city of the organisations behind the ranking ({homes}) is in the top {top_n}",
        ("cities", "list"),
        **evidence,
    )


def _coverage(items: list[tuple[NodeRef, bool]]) -> tuple[str, list[NodeRef]]:
    """'all', 'some' or 'none' of the items stated, with the ones that are not."""
    missing = [ref for ref, ok in items if not ok]
    if not missing:
        return "all", []
    return ("none" if len(missing) == len(items) else "some"), missing


@rule(
    "OP07",
    "Normalisation and aggregation stated",
    source=f"{JRC_GUIDE}, steps 5 (normalisation), 6 (weighting) and 7 (aggregating indicators)",
    source_url=JRC_GUIDE_URL,
    reads=(
        "method.normalisation",
        "structure.children[].normalisation",
        "method.aggregation",
        "structure.aggregation",
        "structure.children[].aggregation",
    ),
    scoring="2 = a normalisation applies to every listed indicator and an aggregation to every aggregate; "
    "0 = neither is stated anywhere; 1 = anything in between. At most 1 when some indicators are not listed and "
    "the method-level defaults (`method.normalisation`, `method.aggregation`) do not cover them.",
)
def method_stated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """The same indicator values give different ranks under min-max or z-scores, and under arithmetic or
    geometric means. The JRC guide treats normalisation and aggregation as distinct steps of building an index,
    and a reader needs both to reproduce or question the scores."""
    tree = ctx.tree
    method = ctx.spec.method
    if ctx.indicators:
        norm_items = [(r, isinstance(tree.normalisation(r), Normalisation)) for r in ctx.indicators]
    else:
        norm_items = [(tree.root, method is not None and isinstance(method.normalisation, Normalisation))]
    agg_items = [(g, is_stated(tree.aggregation(g))) for g in tree.groups]
    norm, norm_missing = _coverage(norm_items)
    agg, agg_missing = _coverage(agg_items)
    evidence = {"normalisation": norm, "aggregation": agg}
    parts = []
    if norm_missing and not ctx.indicators:
        parts.append("no indicator is listed and method.normalisation is not stated")
    elif norm_missing:
        parts.append(
            f"normalisation missing for {plural(len(norm_missing), 'indicator')} ({few([r.id for r in norm_missing])})"
        )
    if agg_missing:
        parts.append(
            f"aggregation missing for {plural(len(agg_missing), 'aggregate')} ({few([g.id for g in agg_missing])})"
        )
    if norm == "all" and agg == "all":
        defaults = method is not None and is_stated(method.normalisation) and is_stated(method.aggregation)
        gap = None if defaults else listing_gap(ctx)
        return cap_for_gap(met("normalisation and aggregation are stated throughout", ("method",), **evidence), gap)
    where = ("method", "normalisation") if norm_missing else ("method", "aggregation")
    if norm == "none" and agg == "none":
        return undisclosed("neither the normalisation nor the aggregation is stated", where, **evidence)
    return partly("; ".join(parts), where, **evidence)


@rule(
    "OP08",
    "Missing-data policy stated",
    source=f"{JRC_GUIDE}, step 3 (imputation of missing data); {COINR}",
    source_url=JRC_GUIDE_URL,
    reads=("method.missing_data.rule", "method.missing_data.min_coverage", "method.missing_data.imputation"),
    scoring="2 = both a rule (in words, or a minimum data coverage per city) and the imputation method (`none` "
    "counts) are stated; 1 = one of the two; 0 = neither, or `missing_data: undisclosed`.",
)
def missing_data_stated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Cities rarely have every indicator, and whether a gap is filled with a regional mean, skipped or counted as
    zero can move a city by many places. The JRC guide makes imputation a step of its own, and COINr screens out
    units with too little data before aggregating."""
    method = ctx.spec.method
    md = method.missing_data if method else None
    where: Path = ("method", "missing_data")
    if not isinstance(md, MissingData):
        state = "undisclosed" if md is not None else "not stated"
        return undisclosed(f"the treatment of missing data is {state}", where if method else ("method",))
    has_rule = is_stated(md.rule) or md.min_coverage is not None
    has_method = is_stated(md.imputation)
    if has_rule and has_method:
        coverage = f", minimum coverage {md.min_coverage:.0%}" if md.min_coverage is not None else ""
        return met(f"missing data: imputation '{md.imputation}'{coverage}, with a stated rule", where)
    if has_rule:
        return partly("a missing-data rule is stated but not the imputation method", (*where, "imputation"))
    if has_method:
        return partly(
            f"the imputation method ('{md.imputation}') is stated but not the rule for when it applies",
            (*where, "rule"),
        )
    return undisclosed("neither a missing-data rule nor an imputation method is stated", where)


@rule(
    "OP09",
    "Indicator-level data open",
    source=f"{CWTS}, principle 7: look at 'the values of the underlying indicators'; {INORMS}: 'data availability'",
    source_url=CWTS_URL,
    reads=("access.data",),
    scoring="2 = indicator values are free to download (`open`); 1 = they are sold (`paid`) or only pillar scores "
    "are public (`scores`); 0 = nothing beyond ranks (`ranks_only`), or undisclosed.",
)
def data_open(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A rank alone says nothing about how far apart cities are or why; the values behind it do. The CWTS
    principles ask users to look at the underlying indicators, and the Leiden Ranking's open edition shows that
    a ranking can publish its data in full."""
    access = ctx.spec.access
    level = access.data if access else None
    where: Path = ("access", "data")
    if level == "open":
        return met("indicator values are openly published", where)
    if level == "paid":
        return partly("indicator values are available only for a fee", where)
    if level == "scores":
        return partly("only pillar or sub-index scores are published, not indicator values", where)
    if level == "ranks_only":
        return not_met("nothing beyond the ranks is published", where)
    state = "undisclosed" if level is not None else "not stated"
    return undisclosed(f"what data the publisher releases is {state} (access.data)", where if access else ("access",))


@rule(
    "OP10",
    "Change log between editions",
    source=f"{IREG_CHANGES}; {GII_COMPARABILITY}",
    source_url=IREG_URL,
    reads=(
        "history.changes",
        "history.comparable_with_previous",
        "ranking.edition",
        "ranking.previous_edition",
        "ranking.previous_published",
        "ranking.frequency",
    ),
    scoring="Not applicable to a first or one-off edition (`ranking.frequency: one_off` or "
    "`ranking.previous_edition: not_applicable`). 2 = every change of this edition is listed with its "
    "rationale, or the publisher states ranks are comparable (`comparable_with_previous: true`) and no change is "
    "listed; 1 = changes are listed "
    "without rationale, or the publisher says editions are not comparable without listing what changed; 0 = no "
    "change log and no comparability statement.",
)
def change_log(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Readers compare a city's rank with last year's, and a move caused by a new indicator or weight looks
    the same as a real change. The IREG audit asks that weight changes be limited and justified, and the Global
    Innovation Index warns that its editions are not directly comparable."""
    ranking = ctx.spec.ranking
    history = ctx.spec.history
    if first_edition(ctx):
        return not_applicable("this is a first or one-off edition, with nothing to compare against", ("ranking",))
    previous = ranking.previous_edition or ranking.previous_published or "the previous edition"
    listed = history.changes if history else []
    changes = [(i, c) for i, c in enumerate(listed) if c.edition == ranking.edition]
    comparable = history.comparable_with_previous if history else None
    evidence = {"changes": len(changes), "previous": previous}
    if changes:
        bare = [i for i, c in changes if not c.rationale]
        head = f"{plural(len(changes), 'change')} since {previous} listed"
        if not bare:
            return met(f"{head}, each with a rationale", ("history", "changes"), **evidence)
        where: Path = ("history", "changes", bare[0], "rationale")
        return partly(f"{head}, {len(bare)} without a rationale", where, **evidence)
    if comparable is True:
        return met(
            f"the publisher states ranks are comparable with {previous} and no change is listed",
            ("history", "comparable_with_previous"),
            **evidence,
        )
    if comparable is False:
        return partly(
            f"the publisher says this edition is not comparable with {previous} but lists no changes",
            ("history", "changes"),
            **evidence,
        )
    older = f" ({plural(len(listed), 'change')} listed for other editions only)" if listed else ""
    return undisclosed(
        f"no change log and no comparability statement against {previous}{older}", ("history",), **evidence
    )


@rule(
    "OP11",
    "Purpose, audience and perspective declared",
    source=f"{BERLIN_A2}; {INORMS}: rankings fail 'to tailor their offer to different audiences'; "
    "Leff & Petersen (2015), executive summary: bias from 'the author's perspective'",
    source_url=BERLIN_URL,
    reads=("ranking.purpose", "ranking.audience", "ranking.perspective"),
    scoring="2 = purpose, audience and perspective are all declared; 1 = one or two of them; 0 = none.",
)
def purpose_declared(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A city that is best for an expatriate executive may not be best for a resident family, so a ranking
    that does not say what it is for and from whose point of view invites misuse. The Berlin Principles ask
    rankings to be clear about purpose and target groups, and the Chicago Council names the author's perspective
    as a common bias of city indexes."""
    ranking = ctx.spec.ranking
    fields = {"purpose": ranking.purpose, "audience": ranking.audience, "perspective": ranking.perspective}
    stated = [name for name, value in fields.items() if is_stated(value) and value != []]
    missing = [name for name in fields if name not in stated]
    if not missing:
        perspective = ranking.perspective
        persp = ", ".join(perspective) if isinstance(perspective, list) else perspective
        return met(f"purpose, audience and perspective ({persp}) are declared", ("ranking", "perspective"))
    where: Path = ("ranking", missing[0])
    if stated:
        return partly(f"declared: {', '.join(stated)}; not declared: {', '.join(missing)}", where)
    return undisclosed("the ranking declares neither purpose, audience nor perspective", where)


@rule(
    "OP12",
    "Every indicator listed",
    source=f"{IREG_WEIGHTS}; {LEFF_PETERSEN}",
    source_url=IREG_URL,
    reads=("structure.children[].children", "structure.children[].indicator_count", "structure.indicator_count"),
    scoring="2 = every group lists its indicators; 1 = some groups do not (`children: undisclosed`); 0 = no "
    "indicator is listed at all. A spec that transcribes only part of a published hierarchy "
    "(`structure.complete: false`) is not held against the publisher here.",
)
def indicators_listed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Some rankings name their pillars but not the indicators inside them, which leaves a reader unable to say
    what is measured at all. Publishing the full list of indicators is a precondition for publishing their
    weights, as the IREG audit requires, and its absence is a plain case of the opacity the Chicago Council
    criticised."""
    unlisted = ctx.tree.unlisted_groups
    listed = len(ctx.indicators)
    evidence = {"listed": listed, "unlisted_groups": [g.id for g in unlisted]}
    if not unlisted:
        note = " (the spec itself transcribes only part of them)" if not ctx.spec.structure.complete else ""
        return met(f"every indicator is listed ({listed}){note}", ("structure",), **evidence)
    counts = [g.node.indicator_count for g in unlisted]  # type: ignore[union-attr]
    hidden = sum(c for c in counts if isinstance(c, int))
    counted = f", holding at least {plural(hidden, 'indicator')} by the publisher's count" if hidden else ""
    where = (*unlisted[0].path, "children")
    verb = "does not list its" if len(unlisted) == 1 else "do not list their"
    head = f"{plural(len(unlisted), 'group')} ({few([g.id for g in unlisted])}) {verb} indicators{counted}"
    if listed == 0:
        return undisclosed(f"no indicator is listed: {head}", where, **evidence)
    return partly(f"{head}; {plural(listed, 'indicator')} listed elsewhere", where, **evidence)

"""QB11 (quantitative bias): Survey respondents match the declared perspective."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.evidence import absence_at, absence_of_value
from rankaudit.rules.base import Verdict, met, not_applicable, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    article,
    declared_perspectives,
    declared_source,
    few,
    is_survey,
    open_listing_facts,
    part,
    parts_verdict,
    plain_text,
    plural,
    source_type_fact,
    source_types,
    survey_weightings,
    unlisted_indicator_count,
)
from rankaudit.spec.models import Group, Indicator, Structure, Survey
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path
from rankaudit.wording import ABSENCE_WORD

RESPONDENT_WORDS: dict[str, tuple[str, ...]] = {
    "resident": ("resident", "citizen", "household", "inhabitant", "general public", "locals", "population"),
    "expatriate": ("expat", "assignee", "foreign employee", "foreign staff"),
    "firm": ("executive", "business", "manager", "employer", "compan", "firm", "investor", "ceo", "leader"),
    "visitor": ("visitor", "tourist", "traveller", "traveler"),
    "talent": ("professional", "worker", "employee", "student", "graduate", "talent"),
    "expert": ("expert", "analyst", "academic", "specialist", "correspondent", "staff"),
}


# respondent groups who live in the rated city, among whom a survey of its residents may have asked
LIVE_THERE = frozenset({"expatriate", "talent"})


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


def _respondents(ind: Indicator | Group | Structure) -> tuple[set[str], str | None]:
    """The respondent groups of a survey indicator (or of the survey that set a group's weights), and the words
    they were read from."""
    if not isinstance(ind, Indicator):
        setter = ind.weights_set_by
        assert setter is not None
        said = setter.respondents or ("residents" if setter.method == "resident_survey" else "the general public")
        text = plain_text(said)
        return {g for g, keys in RESPONDENT_WORDS.items() if any(k in text for k in keys)}, said
    survey = ind.survey
    words = survey.respondents if isinstance(survey, Survey) and survey.respondents else None
    if words:
        text = plain_text(words)
        return {g for g, keys in RESPONDENT_WORDS.items() if any(k in text for k in keys)}, words
    kinds = source_types(ind)
    groups = {g for t, g in (("resident_survey", "resident"), ("expert_survey", "expert")) if t in kinds}
    plurals = {"resident": "residents", "expert": "experts"}
    return groups, " and ".join(plurals[g] for g in sorted(groups, reverse=True)) if groups else None


@rule(
    "QB11",
    "Survey respondents match the declared perspective",
    sources=(
        "leff-petersen-2015#perspective",
        Cite("eiu-hot-spots-2012", ": 31 indicators plus interviews with 10 experts"),
        "berlin-principles-2006#target-groups",
    ),
    reads=(
        "structure.weights_set_by",
        "structure.children[].survey.respondents",
        "structure.children[].source.type",
        "ranking.perspective",
    ),
    scoring="Over the survey indicators (source type `resident_survey`, `public_survey` or `expert_survey`, or a "
    "`survey` block) "
    "and the surveys that set weights (`weights_set_by: public_survey / resident_survey`): "
    "2 = every one asks the group whose perspective the ranking declares (residents for a resident "
    "ranking...); 1 = some ask experts as proxies, or do not say who was asked, or a minority ask another "
    "group; 0 = more than half ask another group (executives for a resident ranking...). 0 (undisclosed) "
    "when no perspective is declared or no survey says who was asked. n.a. without survey indicators. Who was "
    "asked, when not found in the sources cited, costs nothing (its points are not assessed). "
    "Respondents are read from keywords in `survey.respondents` (rankaudit's heuristic); respondents stated in words "
    "it cannot place count as proxies (at most 1), never as unstated; so do residents read from a `resident_survey` "
    "type alone in a ranking of expatriates' or talent's perspective, who may be those residents.",
)
def survey_respondents(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Asking business executives how pleasant a city is to live in records a business view, however the
    ranking is labelled. The people surveyed should be the people whose perspective the ranking claims to
    take, or the substitution should at least be visible."""
    surveys: list[NodeRef] = [
        r
        for r in ctx.indicators
        if is_survey(r.node)
    ] + [g for g, _ in survey_weightings(ctx)]  # a survey that set the weights speaks for someone too
    if not surveys:
        open_facts = _survey_open(ctx)
        if open_facts:
            # none known to be a survey, but the source type of some is not found: whether the rule applies is
            # itself unknown, so it is not assessed rather than not applicable
            return undisclosed("no listed indicator is known to come from a survey, but the source type of some "
                               f"indicators is {ABSENCE_WORD['unknown']}", ("structure",), facts=open_facts)
        return not_applicable("no indicator comes from a survey", ("structure",))
    perspectives = declared_perspectives(ctx)
    if perspectives is None:
        return undisclosed(
            f"no perspective is declared to judge who answers the {len(surveys)} survey indicators",
            ("ranking", "perspective"),
        )
    wanted = frozenset().union(*(SPEAKS_FOR[p] for p in perspectives))
    match, proxy, other, unknown = [], [], [], []
    unplaced: list[NodeRef] = []
    asked: dict[str, str] = {}
    for ref in surveys:
        groups, words = _respondents(ref.node)
        if words:
            asked[ref.id] = words
        if groups & wanted:
            match.append(ref)
        elif groups == {"expert"}:
            proxy.append(ref)
        elif groups == {"resident"} and wanted & LIVE_THERE and _by_type_only(ref.node):
            # "residents" read from the source type alone, for a perspective of people who live in the city
            # (expatriates, talent): residents may be those people, so the type places them in no other group
            asked[ref.id] = f"{words}, as the source type says, which says no more"
            unplaced.append(ref)
        elif groups:
            other.append(ref)
        elif words:
            # stated, but in words rankaudit's keywords do not place: neither a match nor silence
            unplaced.append(ref)
        else:
            unknown.append(ref)
    n = len(surveys)
    declared = "/".join(perspectives)

    def path(ref: NodeRef) -> Path:
        return (*ref.path, "survey" if ref.is_indicator else "weights_set_by")

    # the surveys that set weights are surveys too, but not indicators: count them as surveys
    some = plural(n, "survey indicator" if all(r.is_indicator for r in surveys) else "survey")
    # who was asked, per survey that does not say: a fact not found in the sources read costs nothing
    parts = [part(ctx, ref.id, (*path(ref), "respondents"), _said(ref), False) for ref in unknown]
    silent = [ref for ref, p in zip(unknown, parts, strict=True) if p.missing]

    def scale(asked: Sequence[bool]) -> int:
        """2 = every survey asks the declared group; 0 = none says who was asked, or most ask another group;
        else 1."""
        if not any(asked) and not (match or proxy or other or unplaced):
            return 0
        if all(asked) and not proxy and not other and not unplaced:
            return 2
        return 0 if len(other) > n / 2 else 1

    if len(unknown) == n:
        said = f"who was asked is not stated for {'the' if n == 1 else 'any of the'} {some}" if silent else ""
        return parts_verdict(parts, scale, said, path((silent or unknown)[0]))
    if len(match) == n:
        return met(f"{'the' if n == 1 else 'all'} {some} ask{'s' if n == 1 else ''} respondents who hold the "
                   f"declared {declared} perspective", path(surveys[0]))

    def verb(k: int, one: str, many: str) -> str:
        return f"{k} {one if k == 1 else many}"

    found: list[str] = []
    if other:
        who = few([f"{r.id}: {asked[r.id]}" for r in other], 2)
        found.append(f"{verb(len(other), 'asks', 'ask')} another group ({who})")
    if proxy:
        found.append(f"{verb(len(proxy), 'asks', 'ask')} experts as proxies ({few([r.id for r in proxy])})")
    if unplaced:
        who = few([f"{r.id}: {asked[r.id]}" for r in unplaced], 2)
        found.append(f"{verb(len(unplaced), 'asks', 'ask')} respondents rankaudit cannot place in any perspective "
                     f"({who})")
    if silent:
        found.append(f"{verb(len(silent), 'does', 'do')} not say who was asked")
    message = f"of {some} in {article(declared)} {declared}-perspective ranking, " + "; ".join(found)
    return parts_verdict(parts, scale, message, path((other or proxy or unplaced or silent or unknown)[0]),
                         premise=True, other=[r.id for r in other])


def _survey_open(ctx: AuditContext) -> list[Path]:
    """Where a survey may hide: listed indicators whose source type is not found in the sources cited (none
    stated on them or up the tree), and indicators the spec does not list when no source is declared for them."""
    facts: list[Path] = []
    for ref in ctx.indicators:
        if source_types(ref.node) or (ref.parent is not None and declared_source(ref.parent) is not None):
            continue
        if absence_of_value(source_type_fact(ref.node), ctx.spec) == "unknown":
            facts.append((*ref.path, "source", "type"))
    if declared_source(ctx.tree.root) is None and unlisted_indicator_count(ctx) != 0:
        facts += [f for f in open_listing_facts(ctx) if absence_at(ctx.spec, f) == "unknown"]
    return facts


def _by_type_only(node: Indicator | Group | Structure) -> bool:
    """Whether a survey indicator's respondents are read from its source type alone (no `survey.respondents`)."""
    if not isinstance(node, Indicator):
        return False
    survey = node.survey
    return not (isinstance(survey, Survey) and survey.respondents)


def _said(ref: NodeRef) -> object:
    """The recorded respondents of a survey that names none: its `survey.respondents` (None when left out)."""
    survey = getattr(ref.node, "survey", None)
    return survey.respondents if isinstance(survey, Survey) else None

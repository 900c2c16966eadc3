"""OP06 (opacity): No undeclared home-city advantage."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import OPEN_BACKERS, UNLISTED_PLACES, absence_word
from rankaudit.rules.base import (
    Option,
    Verdict,
    is_stated,
    met,
    not_applicable,
    partly,
    resting_on,
    rule,
    undisclosed,
)
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import data_partners_only, few, only_second_hand, plural, without_accents
from rankaudit.spec.models import City, Organisation
from rankaudit.spec.yamlsafe import Path


def _role(role: str) -> str:
    """A role in words ('data partner')."""
    return role.replace("_", " ")


def _city_key(name: str) -> str:
    """Case- and accent-insensitive city name; 'Tokyo, Japan' matches 'Tokyo', and 'New York City' matches
    'New York' (a trailing 'City' is how lists often name the city a publisher gives as its home)."""
    plain = without_accents(name.split(",")[0])
    words = plain.casefold().replace("-", " ").split()
    if len(words) > 1 and words[-1] == "city":
        words = words[:-1]
    return " ".join(words)


@rule(
    "OP06",
    "No undeclared home-city advantage",
    core=True,
    sources=(
        Cite("pwc-cities-of-opportunity", "which 'names New York the global champion' (firstbusinessnews.net)"),
        Cite("inorms-rating-the-rankers", ": weak declaration of conflicts of interest"),
    ),
    reads=(
        "publisher.home_city",
        "sponsors[].home_city",
        "sponsors[].cite",
        "conflict_of_interest",
        "cities.list[].rank",
        "ranking.order",
        "cities.count",
    ),
    scoring="Not applicable to a classification that lists no ranks. Not assessed when no ranks are listed in "
    "`cities.list`, or when the listed ranks do not cover the whole top group and none of them is a home city: "
    "the cities in the rest of it are not known. In a list that ranks the worst first (`ranking.order: "
    "worst_first`: the most congested first) the top group is the last {top-n} places, where a home city would "
    "gain, which the number of cities ranked must locate. 2 = no home city of the publisher, a sponsor, "
    "commissioner, shareholder or partner sits in the top {top-n}, and all of them are known; 1 = one does, the tie is "
    "disclosed by the publisher and a conflict-of-interest statement is given; 0 = one does without a "
    "conflict-of-interest statement, or the sponsor is known only from secondary sources, or sponsors or "
    "home cities are not disclosed so the question cannot be settled. Cities match by name or id, ignoring "
    "case, accents and a ', country' suffix.",
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
        if spec.ranking.kind == "classification":
            # the question does not arise because of the kind: a reading of the kind is what the finding rests on
            # (and only this finding: the rule reads the kind to tell a classification, not to judge a ranking)
            return resting_on(not_applicable(
                "a classification sorts cities into classes and ranks none above another, so it has no top 10",
                ("cities",)), "ranking.kind")
        # a ranking whose ranks the spec does not list has a top group all the same: which cities hold it is
        # unknown, whether the spec lists its cities without their ranks or lists none. A ranking publishes its
        # ranks, so a list the spec leaves out is its transcription's gap, never the publisher's silence (CM09
        # judges whether the number of cities is stated), even in a publisher_silent spec
        return undisclosed(
            f"no city ranks are listed in cities.list, so the cities in the top {top_n} are "
            f"{absence_word('unknown', spec)}", ("cities",), facts=[UNLISTED_PLACES],
        )
    count = spec.cities.count
    # the favoured place of each listed city: its rank, or, in a list that ranks the worst first (the most
    # congested), its place counted from the other end, where a home city would gain
    worst_first = spec.ranking.order == "worst_first"
    if worst_first and not isinstance(count, int):
        # the count is a fact like any other: without it the favoured end cannot be found, which is a gap, not a
        # question that does not arise
        return undisclosed(
            "rank 1 is the least favoured city (the list ranks the worst first) and how many cities are ranked is "
            f"{absence_word(count, spec)}, so the favoured end of the list, where a home city would gain, cannot be "
            "located", ("cities", "count"),
        )

    def favour(city: City) -> int:
        assert city.rank is not None  # ranked cities only
        if not worst_first:
            return city.rank
        assert isinstance(count, int)  # a worst-first list without a count was not assessed above
        return count + 1 - city.rank

    def group(n: int) -> str:
        """The favoured group of `n` cities, in words."""
        return f"{n} most favoured cities (the last {n} of {count}: rank 1 is the least favoured)" if worst_first \
            else f"top {n}"
    top: dict[str, City] = {}
    for city in ranked:
        if favour(city) <= top_n:
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
        ranked_home = top.get(_city_key(home))
        if ranked_home is not None:
            hits.append((role, org, path, ranked_home))
    evidence = {"top_n": top_n, "ties": [org.name for _, org, _, _ in hits]}
    if hits:
        role, org, path, city = hits[0]
        more = f" (and {plural(len(hits) - 1, 'other organisation')})" if len(hits) > 1 else ""
        of_count = f" of {count}" if worst_first else ""
        tie = f"{org.name} ({_role(role)}) is based in {org.home_city}, ranked {city.rank}{of_count}{more}"
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
        state = absence_word(spec.conflict_of_interest, spec)  # 'undisclosed' only for a verified silence
        return undisclosed(f"{tie}; a conflict-of-interest statement is {state}", ("conflict_of_interest",),
                           **evidence)
    expected = min(top_n, count) if isinstance(count, int) else top_n
    listed_top = sum(1 for c in ranked if favour(c) <= top_n)
    listed = f"the {group(top_n)}" if listed_top >= expected else (
        f"the {listed_top} listed of the {group(expected)}" if listed_top else
        f"the {group(expected)}, none of which is listed")
    if not isinstance(spec.sponsors, list) or data_partners_only(spec.sponsors):
        # a list naming only data partners leaves the backers open (the fact resolves as not found)
        said = f"are {absence_word(spec.sponsors, spec)}" if not isinstance(spec.sponsors, list) else \
            f"other than data partners are {absence_word('unknown', spec)}"
        return undisclosed(
            f"no known home city is among {listed}, but sponsors {said}, so the check is incomplete",
            ("sponsors",),
            facts=[("sponsors",) if not isinstance(spec.sponsors, list) else OPEN_BACKERS],
            **evidence,
        )
    if unknown:
        names = few([f"{org.name} ({_role(role)})" for role, org, _ in unknown])
        return undisclosed(
            f"the home city of {names} is {absence_word(unknown[0][1].home_city, spec)}, so a tie in the "
            f"{group(top_n)} cannot be ruled out",
            (*unknown[0][2], "home_city"),
            **evidence,
        )
    if listed_top < expected:
        # an unlisted part of the top group may hold a home city: a gap in what is known, not a question that
        # does not arise, as the count of a worst-first list is
        return undisclosed(
            f"only {listed_top} of the {group(expected)} are listed, and none is a home city of the "
            f"organisations behind the ranking; the cities in the rest of the top group are "
            f"{absence_word('unknown', spec)}",
            ("cities", "list"),
            facts=[UNLISTED_PLACES],
            **evidence,
        )
    homes = ", ".join(f"{org.home_city} ({_role(role)})" for role, org, _ in orgs)
    return met(
        f"no home city of the organisations behind the ranking ({homes}) is in the {group(top_n)}",
        ("cities", "list"),
        **evidence,
    )

"""CM01 (comparability): City unit of analysis declared and standard."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import city_definition, verdict_for

_DEFINITION_SCORES = {
    "urban_centre": 2,
    "functional_urban_area": 2,
    "administrative": 1,
    "metropolitan_area": 1,
    "agglomeration": 1,
    "mixed": 0,
    "unspecified": 0,
    "fixed_radius": 1,
}


_DEFINITION_WORDS = {
    "urban_centre": "the Degree of Urbanisation urban centre",
    "functional_urban_area": "the EU-OECD functional urban area",
    "administrative": "administrative boundaries",
    "metropolitan_area": "metropolitan areas",
    "agglomeration": "urban agglomerations",
    "mixed": "a mix of definitions",
    "unspecified": "no particular definition",
    "fixed_radius": "a fixed radius around each city's centre",
}


@rule(
    "CM01",
    "City unit of analysis declared and standard",
    core=True,
    sources=(
        "urban-institute-city#definitions",
        "degurba-2020",
        Cite(
            "dijkstra-fua-2019", ": national administrative boundaries bias comparisons (modifiable areal unit problem)"
        ),
        Cite("cwts-10-principles-2017", "principle 3"),
    ),
    reads=("cities.definition.type", "ranking.geographic_claim", "cities.list[].country"),
    scoring="2 = a harmonised international definition (urban_centre per the Degree of Urbanisation, or "
    "functional_urban_area per EU-OECD); 1 = a declared but national or ad hoc unit (administrative, "
    "metropolitan_area, agglomeration, fixed_radius); 0 = mixed or unspecified; 0 (undisclosed) = not stated. "
    "A national "
    "ranking (`geographic_claim: national`, or every listed city in one country) is judged within its country: "
    "metropolitan areas by the national definition score 2 there.",
)
def city_definition_standard(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Whether 'Paris' means the 20 arrondissements or a region of twelve million people changes every
    per-capita figure and many ranks. Only the grid-based Degree of Urbanisation and the EU-OECD
    functional urban area draw city boundaries the same way in every country."""
    definition, path = city_definition(ctx)
    if definition is None or not is_stated(definition.type):
        fact = definition.type if definition is not None else ctx.spec.cities.definition
        return undisclosed(f"what area a 'city' covers is {absence_word(fact, ctx.spec)}", path)
    kind = definition.type
    score = _DEFINITION_SCORES[kind]
    words = _DEFINITION_WORDS[kind]
    country = _single_country(ctx)
    if country is not None and kind in ("metropolitan_area", "administrative", "agglomeration"):
        # one country, one national definition: the cross-country objection does not arise
        if kind == "metropolitan_area":
            # the unit is judged within the country; whether each city is drawn by the same national definition
            # (which of a country's kinds of metropolitan area, for instance) is CM02's question, not said here
            return met(f"cities are delimited by {words}, all in one country ({country}), so one national "
                       "definition can draw them alike; whether each is drawn by it is a separate question (CM02)",
                       (*path, "type"), definition=kind)
        return partly(f"cities are delimited by {words}: one country's units, but they cover more or less of each "
                      f"urban area of {country}", (*path, "type"), definition=kind)
    if score == 2:
        message = f"cities are delimited by {words}, a definition applied alike in every country"
    elif kind == "fixed_radius":
        message = (f"cities are delimited by {words}: drawn alike everywhere, but covering more or less of each "
                   "urban area")
    elif score == 1:
        # the unit is declared; no harmonised international definition of it exists, so its boundaries may be
        # drawn differently from one country to the next (the spec need not say how the publisher drew them)
        message = (f"cities are delimited by {words}, a unit with no harmonised international definition: how each "
                   "is drawn may differ from country to country")
    elif kind == "mixed":
        message = "cities are delimited by a mix of definitions: ranked units are not drawn the same way"
    else:
        message = "the ranking names no particular city definition (`unspecified`): units may differ from city to city"
    return verdict_for(score, message, (*path, "type"), definition=kind)


def _single_country(ctx: AuditContext) -> str | None:
    """The one country of a national ranking ('its country' when the cities' countries are not listed)."""
    countries = {c.country for c in ctx.spec.cities.members or [] if c.country}
    if ctx.spec.ranking.geographic_claim == "national" or (len(countries) == 1 and ctx.spec.ranking.geographic_claim
                                                           is None):
        return next(iter(countries)) if len(countries) == 1 else "its country"
    return None

"""CM02 (comparability): City definition applied consistently."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, met, not_met, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import city_definition, part, parts_verdict


@rule(
    "CM02",
    "City definition applied consistently",
    core=True,
    sources=(
        Cite(
            "citymetric-city",
            ": London and Paris swap places by population depending on the boundary used (administrative, built-up "
            "area, Eurostat metro)",
        ),
        Cite("cwts-10-principles-2017", "principle 3 (units 'defined in a consistent way')"),
    ),
    reads=("cities.definition.consistent", "cities.definition.type"),
    scoring="2 = the same definition is applied to every city, and it is named; 1 = said to be consistent "
    "but the definition itself is unspecified or undisclosed; 0 = not consistent, or type `mixed`; "
    "0 (undisclosed) = not stated. A definition not found in the sources cited costs nothing (its point is not "
    "assessed).",
)
def city_definition_consistent(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A ranking that takes the metropolitan area for one city and the administrative core for another
    compares unlike things, and the order of two cities can flip on that choice alone. The boundary
    must be the same for every city, not merely declared."""
    definition, path = city_definition(ctx)
    if definition is None:
        state = absence_word(ctx.spec.cities.definition, ctx.spec)
        return undisclosed(f"the city definition is {state}, so its consistency cannot be judged", path)
    consistent = definition.consistent
    if definition.type == "mixed":
        return not_met("the city definition is declared `mixed`: different units for different cities", (*path, "type"))
    if consistent is False:
        return not_met("cities are not all delimited the same way: the definition differs from city to city",
                       (*path, "consistent"))
    if consistent is True:
        if definition.type in ("unspecified", "undisclosed", "unknown"):
            # which definition: a fact not found in the sources read costs nothing (CM01 asks which one it is)
            which = part(ctx, "which definition", (*path, "type"), definition.type, False)
            said = "one definition is said to apply to every city" + (
                ", but which one is not stated" if which.missing else ""
            )
            return parts_verdict([which], lambda ok: 2 if all(ok) else 1, said, (*path, "consistent"), premise=True)
        within = " within one country" if ctx.spec.ranking.geographic_claim == "national" else ""
        return met(f"every city is delimited the same way{within} ({definition.type})", (*path, "consistent"))
    state = absence_word(consistent, ctx.spec)
    return undisclosed(f"whether every city is delimited the same way is {state}", path)

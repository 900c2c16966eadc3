"""CM10 (comparability): Listed cities identified by country and region."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, met, not_applicable, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, plural


@rule(
    "CM10",
    "Listed cities identified by country and region",
    sources=(Cite("cwts-10-principles-2017", "principles 3 and 5"), "urban-institute-city#definitions"),
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

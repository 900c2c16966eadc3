"""CM10 (comparability): Listed cities identified by country and region."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Verdict, met, not_applicable, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, part, parts_verdict, plural


@rule(
    "CM10",
    "Listed cities identified by country and region",
    sources=(Cite("cwts-10-principles-2017", "principles 3 and 5"), "urban-institute-city#definitions"),
    reads=("cities.list[].country", "cities.list[].region"),
    scoring="Over the cities listed in the spec: 2 = every city has a country and a world region; 1 = at "
    "least half have a country; 0 = fewer than half have a country (scored as undisclosed). n.a. when the "
    "spec lists no cities. A country or region not found in the sources cited costs nothing (its points are not "
    "assessed).",
)
def cities_located(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A bare name is ambiguous (there are several Birminghams and Portlands) and hides where the sample
    comes from. Country and region make each unit identifiable and let a reader check the geographic
    spread of the ranking."""
    members = ctx.spec.cities.members
    if not members:
        return not_applicable("the spec lists no cities", ("cities",))
    n = len(members)
    # a country and a region per city, judged on those found: one not found in the sources read costs nothing
    parts = [part(ctx, f"{c.name} country", ("cities", "list", i, "country"), c.country, bool(c.country))
             for i, c in enumerate(members)]
    parts += [part(ctx, f"{c.name} region", ("cities", "list", i, "region"), c.region, bool(c.region))
              for i, c in enumerate(members)]
    if all(p.met for p in parts):
        every = "the listed city has" if n == 1 else f"all {n} listed cities have"
        return met(f"{every} a country and a region", ("cities", "list"))
    no_country = [i for i in range(n) if parts[i].missing]
    no_region = [i for i in range(n) if parts[n + i].missing]
    lacking = [f"{len(no_country)} lack a country"] if no_country else []
    lacking += [f"{len(no_region)} a region" if no_country else f"{len(no_region)} lack a region"] if no_region else []
    said = ""
    if lacking:
        gaps = f"of {plural(n, 'listed city', 'listed cities')}, {' and '.join(lacking)}"
        said = f"{gaps}: {few([members[i].name for i in (no_country or no_region)])}"
    first = (no_country or no_region or [next(i for i, p in enumerate(parts) if p.unknown) % n])[0]

    def scale(stated: Sequence[bool]) -> int:
        """2 = every city has both; 1 = at least half have a country; 0 = fewer."""
        return 2 if all(stated) else 1 if sum(stated[:n]) >= n / 2 else 0

    return parts_verdict(parts, scale, said, ("cities", "list", first))

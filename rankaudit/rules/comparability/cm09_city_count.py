"""CM09 (comparability): Number of ranked cities stated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Verdict, met, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import part, parts_verdict


@rule(
    "CM09",
    "Number of ranked cities stated",
    sources=("jrc-10-step-guide#data-selection", "ireg-audit-manual-2011#publication"),
    reads=("cities.count", "cities.list"),
    scoring="2 = the number of ranked cities is stated; 1 = not stated, but the spec lists the cities; "
    "0 (undisclosed) = neither. A count or list not found in the sources cited costs nothing (its points are not "
    "assessed).",
)
def city_count(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A rank means little without the size of the field: 10th of 30 and 10th of 1,000 are different
    results. The number of cities ranked is also the first check that editions cover the same ground."""
    cities = ctx.spec.cities
    if isinstance(cities.count, int):
        listed = f"; the spec lists {len(cities.members)}" if cities.members else ""
        about = "about " if cities.count_approximate else ""
        # a classification grades its cities into classes; it does not rank them
        verb = "classified" if ctx.spec.ranking.kind == "classification" else "ranked"
        # separate rankings may each rank a different number of cities: the count is the recorded list's
        where = " in the list the spec records" if ctx.spec.ranking.kind == "separate_rankings" else ""
        return met(f"{about}{cities.count} cities are {verb}{where}{listed}", ("cities", "count"))
    count = part(ctx, "the number of cities ranked", ("cities", "count"), cities.count, False)
    listing = part(ctx, "the list of cities", ("cities", "list"), cities.members, bool(cities.members))
    said = []
    if count.missing:
        said.append("the number of cities ranked is not stated")
    if listing.met:
        said.append(f"the spec lists {len(cities.members or [])}")
    elif listing.missing and count.missing:
        said = ["the number of cities ranked is not stated, and the spec lists no cities"]
    return parts_verdict([count, listing], _scale, "; ".join(said), ("cities", "count"))


def _scale(stated: Sequence[bool]) -> int:
    """2 = the count is stated; 1 = only the cities are listed; 0 = neither."""
    count, listing = stated
    return 2 if count else 1 if listing else 0

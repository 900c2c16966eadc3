"""CM09 (comparability): Number of ranked cities stated."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, met, partly, rule, undisclosed
from rankaudit.rules.context import AuditContext


@rule(
    "CM09",
    "Number of ranked cities stated",
    sources=("jrc-10-step-guide#data-selection", "ireg-audit-manual-2011#publication"),
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
        about = "about " if cities.count_approximate else ""
        return met(f"{about}{cities.count} cities are ranked{listed}", ("cities", "count"))
    if cities.members:
        return partly(f"the number of cities is not stated; the spec lists {len(cities.members)}", ("cities", "count"))
    return undisclosed("the number of cities ranked is not stated", ("cities", "count"))

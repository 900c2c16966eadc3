"""Opacity (OP): can a reader see how the ranking is made, by whom, and check it?"""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, disclosure, met, not_met, partly, rule, undisclosed
from rankaudit.rules.context import AuditContext

IREG_MANUAL = "IREG Observatory, IREG Ranking Audit Manual (2011), criteria groups 2.2 Methodology and 2.4 Transparency"
IREG_URL = "https://123doc.top/document/1102475-ireg-ranking-audit-manual-pdf.htm"
LEFF_PETERSEN = (
    "Leff & Petersen, Beyond the Scorecard: Understanding Global City Rankings, Chicago Council on Global Affairs "
    "(2015), as summarised by CityLab: rankings 'arbitrarily or opaquely slapped together'"
)


@rule(
    "OP01",
    "Methodology document public",
    core=True,
    source=f"{IREG_MANUAL}; {LEFF_PETERSEN}",
    source_url=IREG_URL,
    reads=("access.methodology", "ranking.methodology_url"),
    scoring="2 = a full methodology document is public at a stated address; 1 = only a summary is public; "
    "0 = none, or undisclosed.",
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
    where = ("access", "methodology") if access else ()
    return undisclosed("whether the methodology is public is not stated", where)

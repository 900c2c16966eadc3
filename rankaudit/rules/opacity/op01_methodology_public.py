"""OP01 (opacity): Methodology document public."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, disclosure, met, not_met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import part, parts_verdict


@rule(
    "OP01",
    "Methodology document public",
    core=True,
    sources=(
        Cite("ireg-audit-manual-2011", "criteria groups 2.2 Methodology and 2.4 Transparency"),
        "leff-petersen-2015#opaque",
    ),
    reads=("access.methodology", "ranking.methodology_url"),
    scoring="2 = a full methodology document is public at a stated address; 1 = a full document is said to be "
    "public but no address is given, or only a summary is public; 0 = none, or undisclosed. An address not found in "
    "the sources cited costs nothing (its point is not assessed).",
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
        # the address is a fact like any other: one not found in the sources read costs nothing
        address = part(ctx, "the methodology's address", ("ranking", "methodology_url"), url, False)
        said = "the methodology is said to be public but the spec gives no address" if address.missing else \
            "the methodology is said to be public"
        return parts_verdict([address], lambda ok: 2 if all(ok) else 1, said, ("access", "methodology"), premise=True)
    if level == "summary":
        return partly("only a summary of the methodology is public", ("access", "methodology"))
    if level == "none":
        return not_met("the publisher publishes no methodology", ("access", "methodology"))
    where = ("access", "methodology") if access else ("access",)
    state = absence_word(level, ctx.spec)
    return undisclosed(f"whether the methodology is public is {state} (access.methodology)", where)

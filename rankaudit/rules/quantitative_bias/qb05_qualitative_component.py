"""QB05 (quantitative bias): Qualitative context published with the ranks."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import flag_verdict


@rule(
    "QB05",
    "Qualitative context published with the ranks",
    sources=(
        "jrc-cccm#selection",
        Cite("inorms-more-than-our-rank", ": context beyond a single rank"),
        Cite("wucker-2015", ": 'too many rankings and not enough context'"),
    ),
    reads=("ranking.qualitative_component",),
    scoring="2 = city profiles, narratives or other qualitative context are published with the ranks; "
    "0 = ranks and scores only; 0 (undisclosed) = not stated.",
)
def qualitative_component(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Much of what ties people to a place does not reduce to a number, and a bare rank invites readers
    to stop at the top line. Profiles or narratives beside the table put each position in context."""
    return flag_verdict(
        ctx,
        ctx.spec.ranking.qualitative_component,
        ("ranking", "qualitative_component"),
        true="qualitative context (profiles or narratives) is published alongside the ranks",
        false="the ranking publishes ranks and scores with no qualitative context",
        unknown="whether qualitative context accompanies the ranks",
    )

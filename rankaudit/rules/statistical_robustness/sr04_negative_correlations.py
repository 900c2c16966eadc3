"""SR04 (statistical robustness): No negative correlations within groups."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import pair_verdict


@rule(
    "SR04",
    "No negative correlations within groups",
    sources=("composer#correlations",),
    reads=("data.values", "structure", "structure.children.direction"),
    needs_data=True,
    scoring="2 = no pair in a group correlates below -{negative-r} after directions are applied (pairs "
    "significant at p < "
    "0.05); 1 = up to {pairs-for-1} pairs; 0 = more.",
    options={
        "pairs-for-1": Option(2, "most negative pairs that still score 1 (proposal)"),
        "negative-r": Option(0.4, "two members of a group correlated below minus this run against each other (JRC)"),
    },
)
def negative_correlations(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Indicators of one group that run against each other cancel out in an average: a city gains on one what
    it loses on the other, and the group score means little. JRC-COIN audits flag within-group correlations below
    -0.4, which often reveal a wrong direction."""
    below = f"correlates below -{options['negative-r']:g}"
    return pair_verdict(ctx, options, "negative", "negatively correlated pair", below)

"""SR03 (statistical robustness): No double counting."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import pair_verdict


@rule(
    "SR03",
    "No double counting",
    sources=("composer#correlations",),
    reads=("data.values", "structure"),
    needs_data=True,
    scoring="2 = no pair of indicators (or groups) in the same group correlates above {collinear-r} (pairs "
    "significant at p "
    "< 0.05); 1 = up to {pairs-for-1} pairs; 0 = more.",
    options={
        "pairs-for-1": Option(2, "most collinear pairs that still score 1 (proposal)"),
        "collinear-r": Option(0.9, "two members of a group correlated above this are collinear (JRC)"),
    },
)
def double_counting(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Two indicators that move together above r = 0.9 measure the same thing twice, so their concept weighs
    double. JRC-COIN audits flag such pairs within a group as collinear."""
    return pair_verdict(ctx, options, "collinear", "collinear pair", f"correlates above {options['collinear-r']:g}")

"""QB09 (quantitative bias): Effective weights close to equal shares."""

from __future__ import annotations

import math
from typing import Any

from rankaudit.rules.base import Option, Verdict, blocked, met, not_applicable, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, no_indicator_listed, pct, verdict_for


@rule(
    "QB09",
    "Effective weights close to equal shares",
    sources=(
        Cite("coinr#effective-weights", url="https://github.com/bluefoxr/COINr/blob/master/R/weights.R"),
        Cite("paruolo-2013", ": nominal weights 'hardly ever' match the importance of indicators"),
    ),
    reads=("structure.children[].weight", "structure.weighting", "structure.children[].indicator_count"),
    scoring="Each indicator's effective weight (product of normalised weights down the tree) is compared with the "
    "equal share 1/n; an indicator below {low-factor:times} or above {high-factor:times} it is flagged: 2 "
    "= none flagged; 1 = at most {max-flagged-share:%} of indicators flagged; 0 = more (rankaudit's "
    "cut-offs, configurable). With groups not listed, n counts their stated `indicator_count`; if a count "
    "is missing, the comparison is made among the listed indicators only. Not assessable (see OP02) when "
    "weights are not disclosed at every level, and (see OP12) when no indicator is listed; n.a. for a flat "
    "index (every indicator weighted directly, so effective "
    "equals nominal) or a single indicator.",
    options={
        "low-factor": Option(0.5, "flag indicators whose effective weight is below this multiple of 1/n"),
        "high-factor": Option(2.0, "flag indicators whose effective weight is above this multiple of 1/n"),
        "max-flagged-share": Option(0.25, "largest share of flagged indicators for 1 point"),
    },
)
def effective_weights(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Equal weights on pillars of unequal size are not equal weights on indicators: one indicator alone
    in its pillar can count ten times as much as one of ten in another. Readers see the nominal weights,
    while the ranks follow the effective ones."""
    tree = ctx.tree
    listed = ctx.indicators
    if not listed:
        return no_indicator_listed("effective weights cannot be computed")
    if len(listed) < 2:
        return not_applicable("the spec lists a single indicator", ("structure",))
    unlisted = tree.unlisted_groups
    if not unlisted and all(r.depth == 1 for r in listed):
        return not_applicable("every indicator is weighted directly, so effective and nominal weights coincide",
                              ("structure",))
    weights = [ctx.tree.effective_weight(r) for r in listed]
    if any(w is None for w in weights):
        gaps = [
            g
            for g in tree.groups
            if tree.children_of(g) and None in tree.child_weights(g)
        ]
        # OP02 scores the unpublished weights: counted once there, pointed at here
        return blocked(
            "OP02",
            f"effective weights are unknown: weights are not disclosed under {few([g.name for g in gaps])}",
            gaps[0].path if gaps else ("structure",),
        )
    effective = [float(w) for w in weights]  # type: ignore[arg-type]
    counts = [g.node.indicator_count for g in unlisted]
    note = ""
    if unlisted and all(isinstance(c, int) for c in counts):
        n = len(listed) + sum(counts)  # type: ignore[arg-type]
        note = f" ({n} indicators, {n - len(listed)} in unlisted groups)"
    else:
        total = sum(effective)
        if total <= 0:
            return undisclosed("the listed indicators carry no weight", ("structure",))
        effective = [w / total for w in effective]
        n = len(listed)
        if unlisted or not ctx.spec.structure.complete:
            note = " (among the listed indicators only: the spec does not list them all)"
    equal = 1 / n
    low, high = options["low-factor"], options["high-factor"]
    flagged = sorted(
        ((r, w / equal) for r, w in zip(listed, effective, strict=True) if w < low * equal or w > high * equal),
        key=lambda item: -abs(math.log(max(item[1], 1e-9))),
    )
    share = len(flagged) / len(listed)
    evidence = {"equal_share": equal, "flagged": {r.id: round(f, 3) for r, f in flagged}}
    if not flagged:
        return met(
            f"every effective weight lies within {low:g}x-{high:g}x the equal share of {pct(equal)}{note}",
            ("structure",),
            **evidence,
        )
    detail = few([f"{r.id} {pct(f * equal)} ({f:.1f}x)" for r, f in flagged])
    message = (
        f"{len(flagged)} of {len(listed)} indicators ({pct(share)}) have an effective weight outside "
        f"{low:g}x-{high:g}x the equal share of {pct(equal)}{note}: {detail}"
    )
    score = 1 if share <= options["max-flagged-share"] + 1e-9 else 0
    worst = flagged[0][0]
    return verdict_for(score, message, worst.parent.path if worst.parent else ("structure",), **evidence)

"""OP12 (opacity): Every indicator listed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.evidence import PARTIAL_LISTING
from rankaudit.rules.base import Evidence, Verdict, met, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import capped_verdict, few, part, parts_verdict, plural
from rankaudit.wording import ABSENCE_WORD


@rule(
    "OP12",
    "Every indicator listed",
    sources=("ireg-audit-manual-2011#weights", "leff-petersen-2015#opaque"),
    reads=("structure.children[].children", "structure.children[].indicator_count", "structure.indicator_count",
           "structure.complete", "structure.children[].complete"),
    scoring="2 = every group lists its indicators; 1 = some groups do not (`children: undisclosed`); 0 = no "
    "indicator is listed at all. A spec that transcribes only part of a published hierarchy "
    "(`structure.complete: false`) is not held against the publisher: the indicators it lists earn 1 point and "
    "the other is not assessed, unless the listing reaches the publisher's stated `indicator_count`.",
)
def indicators_listed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Some rankings name their pillars but not the indicators inside them, which leaves a reader unable to say
    what is measured at all. Publishing the full list of indicators is a precondition for publishing their
    weights, as the IREG audit requires, and its absence is a plain case of the opacity the Chicago Council
    criticised."""
    unlisted = ctx.tree.unlisted_groups
    listed = len(ctx.indicators)
    evidence: Evidence = {"listed": listed, "unlisted_groups": [g.id for g in unlisted]}
    if not unlisted:
        stated = ctx.spec.structure.indicator_count
        if ctx.spec.structure.complete or (isinstance(stated, int) and listed >= stated):
            return met(f"every indicator is listed ({listed})", ("structure",), **evidence)
        # the spec transcribes only part of the hierarchy: the publisher lists at least these (1 point), and
        # whether it lists the rest was not found in the sources cited, which costs nothing (not assessed)
        return capped_verdict(
            1, 1, f"{plural(listed, 'indicator')} listed; whether the publisher lists the others is "
            f"{ABSENCE_WORD['unknown']} (the spec transcribes only part of the hierarchy: structure.complete: false)",
            PARTIAL_LISTING, **evidence)
    counts = [g.node.indicator_count for g in unlisted]
    hidden = sum(c for c in counts if isinstance(c, int))
    counted = f", holding at least {plural(hidden, 'indicator')} by the publisher's count" if hidden else ""
    where = (*unlisted[0].path, "children")
    verb = "does not list its" if len(unlisted) == 1 else "do not list their"
    head = f"{plural(len(unlisted), 'group')} ({few([g.id for g in unlisted])}) {verb} indicators{counted}"
    # each unlisted group is one fact: children not found in the sources read cost nothing
    parts = [part(ctx, f"the indicators of {g.id}", (*g.path, "children"), g.node.children, False) for g in unlisted]
    hidden_groups = [g for g, p in zip(unlisted, parts, strict=True) if p.missing]
    if hidden_groups and len(hidden_groups) < len(unlisted):
        verb = "does not list its" if len(hidden_groups) == 1 else "do not list their"
        head = f"{plural(len(hidden_groups), 'group')} ({few([g.id for g in hidden_groups])}) {verb} indicators"
    elif not hidden_groups:
        head = ""
    where = (*(hidden_groups or unlisted)[0].path, "children")

    def scale(shown: Sequence[bool]) -> int:
        """2 = every group lists its indicators; 1 = some indicators are listed; 0 = none is."""
        return 2 if all(shown) else 1 if listed or any(shown) else 0

    said = [head] if head else []
    if listed:
        said.append(f"{plural(listed, 'indicator')} listed elsewhere")
    else:
        # the one wording of this root cause, which the rules it blocks point to
        said = [f"no indicator is listed: {head}" if head else "no indicator is listed"]
    return parts_verdict(parts, scale, "; ".join(said), where, premise=listed > 0, **evidence)

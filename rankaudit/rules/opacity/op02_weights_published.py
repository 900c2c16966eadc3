"""OP02 (opacity): Weights published at every level."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, met, not_met, partly, rule, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import cap_for_gap, few
from rankaudit.spec.models import ABSENT, Group
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path


@rule(
    "OP02",
    "Weights published at every level",
    core=True,
    sources=("ireg-audit-manual-2011#weights",),
    reads=(
        "structure.weighting",
        "method.weighting",
        "structure.children[].weight",
        "structure.children[].weighting",
        "structure.children[].children",
    ),
    scoring="2 = every aggregate (the index and each group) has disclosed weights for all its children, or declares "
    "equal weighting, and the whole hierarchy is listed; 1 = the index's own children (pillars) have disclosed "
    "weights but some lower level does not (undisclosed or implicit weights, or `children: undisclosed`), or the "
    "spec lists only part of the hierarchy; 0 = the top-level weights are undisclosed, implicit or not stated.",
)
def weights_published(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A composite score is only as meaningful as the weights that combine its parts, and a reader who
    cannot see them cannot tell what a rank rewards. The IREG audit makes the publication of indicator
    weights an explicit criterion; equal weighting is a disclosed choice and counts as published."""
    tree = ctx.tree
    gaps: list[tuple[NodeRef, str, Path, bool]] = []  # group, why, where, undisclosed (vs disclosed bad practice)
    groups = tree.groups
    for group in groups:
        node = group.node
        if isinstance(node, Group) and not isinstance(node.children, list):
            gaps.append((group, "children not listed", (*group.path, "children"), True))
            continue
        mode = tree.weighting(group)
        if getattr(node, "weighting", None):
            anchor: Path = (*group.path, "weighting")
        elif ctx.spec.method is not None and ctx.spec.method.weighting:
            anchor = ("method", "weighting")
        else:
            anchor = group.path
        if mode == "equal":
            continue
        if mode == "implicit":
            gaps.append((group, "implicit weights", anchor, False))
            continue
        kids = tree.children_of(group)
        if None not in tree.child_weights(group):
            continue  # every child's share is known (a sole child carries its parent's whole weight)
        missing = [k for k in kids if not isinstance(k.node.weight, int | float)]
        if not missing:
            continue
        absent = mode in ABSENT
        why = "weights undisclosed" if absent else f"{len(missing)} of {len(kids)} weights not stated"
        where = anchor if absent else (*missing[0].path, "weight")
        gaps.append((group, why, where, True))
    ok = len(groups) - len(gaps)
    evidence = {"aggregates": len(groups), "disclosed": ok, "gaps": [g.id for g, _, _, _ in gaps]}
    if not gaps:
        verdict = met(f"weights are disclosed for all {len(groups)} aggregates", ("structure",), **evidence)
        gap = None if ctx.spec.structure.complete else "the spec lists only part of the hierarchy"
        return cap_for_gap(verdict, gap)
    detail = few([f"{g.id} ({why})" for g, why, _, _ in gaps])
    head = f"weights are disclosed for {ok} of {len(groups)} aggregates; missing: {detail}"
    top = next((g for g in gaps if g[0].depth == 0), None)
    if top is not None:
        group, why, where, hidden = top
        message = (
            f"the index's top-level weights are not published ({why}); {ok} of {len(groups)} aggregates have "
            f"disclosed weights; missing under {few([g.id for g, _, _, _ in gaps])}"
        )
        # an inferred weighting rests on the children's own weights: those are the facts to resolve
        facts = [(*k.path, "weight") for k in tree.children_of(group)] if where == group.path else [where]
        return undisclosed(message, where, facts=facts, **evidence) if hidden else not_met(message, where, **evidence)
    return partly(head, gaps[0][2], **evidence)

"""OP02 (opacity): Weights published at every level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rankaudit.rules.base import Verdict, blocked, met, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    Gap,
    Part,
    cap_for_gap,
    few,
    formula_of,
    part,
    parts_verdict,
    pct,
    plural,
    weight_setters,
    weights_set_by_text,
)
from rankaudit.spec.models import ABSENT, Group, Structure
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
        "method.formula",
        "structure.children[].weight",
        "structure.children[].weighting",
        "structure.children[].children",
        "structure.joint_weights",
        "structure.weights_set_by",
    ),
    composite_only="weights to publish",
    scoring="2 = every aggregate (the index and each group) has disclosed weights for all its children (alone or "
    "jointly, `joint_weights`), or declares equal weighting, and the whole hierarchy is listed; or the index is a "
    "published formula with a coefficient for each term; 1 = the index's own children (pillars) have disclosed "
    "weights but some lower level does not (undisclosed or implicit weights), or the "
    "spec lists only part of the hierarchy, or only some top-level weights are published (the message gives "
    "their share of the index); 0 = the top-level weights are undisclosed, implicit or not stated. Who set the "
    "weights (`weights_set_by`) is reported. n.a. for a ranking that combines nothing (`ranking.kind`). A group "
    "whose indicators the publisher does not list (`children: undisclosed`) is OP12's finding and costs nothing "
    "here; weights or children not found in the sources cited cost nothing either (their points are not "
    "assessed)." + CAP_NOTE,
)
def weights_published(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A composite score is only as meaningful as the weights that combine its parts, and a reader who
    cannot see them cannot tell what a rank rewards. The IREG audit makes the publication of indicator
    weights an explicit criterion; equal weighting is a disclosed choice and counts as published."""
    tree = ctx.tree
    setters = weight_setters(ctx)
    provenance = (
        "; weights set by " + few([f"{weights_set_by_text(w)} ({g.id})" for g, w in setters]) if setters else ""
    )
    formula = formula_of(ctx)
    if formula is not None:
        return met(
            f"the index is a published formula with a coefficient for each of its {plural(len(formula.terms), 'term')}"
            f"{provenance}",
            ("method", "formula"),
        )
    # group, why, where, the gap as a part (missing: an established gap; unknown: not found in the sources read)
    gaps: list[tuple[NodeRef[Group | Structure], str, Path, Part]] = []
    left_to_op12: list[NodeRef[Group | Structure]] = []
    groups = tree.groups
    for group in groups:
        node = group.node
        if tree.weighting(group) == "equal":
            continue  # equal shares are published weights, whether or not the children are listed
        if isinstance(node, Group) and not isinstance(node.children, list):
            where_kids: Path = (*group.path, "children")
            listing = part(ctx, f"the children of {group.id}", where_kids, node.children, False)
            if listing.unknown:
                gaps.append((group, "children not found in the sources cited", where_kids, listing))
            else:
                # the publisher does not list them: OP12 scores that root cause; counting it here again would
                # charge twice for one gap
                left_to_op12.append(group)
            continue
        mode = tree.weighting(group)
        if getattr(node, "weighting", None):
            anchor: Path = (*group.path, "weighting")
        elif ctx.spec.method is not None and ctx.spec.method.weighting:
            anchor = ("method", "weighting")
        else:
            anchor = group.path
        if mode == "implicit":
            gaps.append((group, "implicit weights", anchor, Part("implicit weights", anchor, "missing")))
            continue
        kids = tree.children_of(group)
        if None not in tree.child_weights(group):
            continue  # every child's share is known (a sole child carries its parent's whole weight)
        joint = tree.joint_members(group)
        missing = [k for k in kids if not isinstance(k.node.weight, int | float) and k.id not in joint]
        if not missing:
            continue
        absent = mode in ABSENT
        if absent and anchor != group.path:
            gap = part(ctx, f"the weights under {group.id}", anchor, mode, False)
        else:
            # the group's gap is established when one missing weight is; unknown when every one is unknown
            weights = [part(ctx, k.id, (*k.path, "weight"), k.node.weight, False) for k in missing]
            gap = next((w for w in weights if w.missing), weights[0])
            gap = Part(f"the weights under {group.id}", gap.path, gap.state, gap.absent)
        if gap.unknown:
            why = "weights not found in the sources cited"
        else:
            why = "weights undisclosed" if absent else f"{len(missing)} of {len(kids)} weights not stated"
        where = anchor if absent else (*missing[0].path, "weight")
        gaps.append((group, why, where, gap))
    parts = [gap for _, _, _, gap in gaps]
    complete = ctx.spec.structure.complete
    root = tree.root
    share = tree.published_share(root)
    some_top = share is not None and share > 0
    # a partial transcription is the spec's gap, not the publisher's: the capped point is not assessed
    transcribed = None if complete else Gap(unknown=("the spec lists only part of the hierarchy",))

    def scale(closed: Sequence[bool]) -> int:
        """2 = no gap (1 when the spec lists only part of the hierarchy); 1 = gaps below the index, or some
        top-level weights published; 0 = the top-level weights are not published."""
        top_ok = all(ok for (g, _, _, _), ok in zip(gaps, closed, strict=True) if g.depth == 0)
        if all(closed):
            return 2  # capped below for a partial transcription, on an established 2 only
        return 1 if top_ok or some_top else 0

    ok = len(groups) - len(gaps) - len(left_to_op12)
    op12 = (
        f"; weights under {few([g.id for g in left_to_op12])} are not judged here: see OP12 (the publisher does not "
        "list the indicators)"
        if left_to_op12
        else ""
    )
    judged = len(groups) - len(left_to_op12)
    evidence = {
        "aggregates": len(groups), "disclosed": ok, "gaps": [g.id for g, _, _, _ in gaps],
        "left_to_op12": [g.id for g in left_to_op12],
    }
    weighed = [g for g in groups if g not in left_to_op12 and len(tree.children_of(g)) > 1]
    if not gaps and left_to_op12 and not weighed:
        # every weight to publish sits under groups whose indicators are not listed: OP12's root cause alone
        return blocked(
            "OP12",
            f"{few([g.id for g in left_to_op12])} {'does' if len(left_to_op12) == 1 else 'do'} not list "
            f"{'its' if len(left_to_op12) == 1 else 'their'} indicators, so their weights cannot be published",
            (*left_to_op12[0].path, "children"),
            **evidence,
        )
    if not gaps:
        verdict = met(f"weights are disclosed for all {judged} aggregates{op12}{provenance}", ("structure",),
                      **evidence)
        return cap_for_gap(verdict, transcribed)
    known = [(g, why) for g, why, _, gap in gaps if not gap.unknown]
    detail = few([f"{g.id} ({why})" for g, why in known])
    if known:
        head = f"weights are disclosed for {ok} of {judged} aggregates; missing: {detail}{op12}{provenance}"
    else:
        head = f"weights are disclosed for {ok} of {judged} aggregates{op12}{provenance}"
    top = next((g for g in gaps if g[0].depth == 0), None)
    if top is not None and not top[3].unknown:
        group, why, where, gap = top
        if some_top:
            # some top-level weights are published: the reader sees that share of what the index rewards
            assert share is not None
            kids = tree.children_of(root)
            joint = tree.joint_members(root)
            shown = [k for k in kids if isinstance(k.node.weight, int | float) or k.id in joint]
            message = (
                f"{len(shown)} of {len(kids)} top-level weights are published ({pct(share)} of the index); "
                f"{ok} of {judged} aggregates have all their weights disclosed; missing under "
                f"{few([g.id for g, _ in known])}{op12}{provenance}"
            )
            return parts_verdict(parts, scale, message, where, premise=bool(ok), published_share=share, **evidence)
        message = (
            f"the index's top-level weights are not published ({why}); {ok} of {judged} aggregates have "
            f"disclosed weights; missing under {few([g.id for g, _ in known])}{op12}{provenance}"
        )
        if where == group.path and gap.absent:
            # an inferred weighting rests on the children's own weights: those are the facts to resolve
            facts = tuple((*k.path, "weight") for k in tree.children_of(group))
            verdict = parts_verdict(parts, scale, message, where, premise=bool(ok), **evidence)
            return replace(verdict, facts=facts) if verdict.undisclosed and not verdict.unassessed else verdict
        return parts_verdict(parts, scale, message, where, premise=bool(ok), **evidence)
    first = next((g for g in gaps if g[3].missing), gaps[0])
    return cap_for_gap(parts_verdict(parts, scale, head, first[2], premise=bool(ok), **evidence), transcribed)

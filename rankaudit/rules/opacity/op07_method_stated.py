"""OP07 (opacity): Normalisation and aggregation stated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import (
    NOT_COMPOSITE,
    Evidence,
    Verdict,
    is_stated,
    met,
    not_applicable,
    not_composite,
    rule,
)
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import CAP_NOTE, Part, cap_for_gap, few, listing_gap, part, parts_verdict, plural
from rankaudit.spec.models import Normalisation
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path


def _coverage(items: Sequence[tuple[NodeRef, bool]]) -> tuple[str, list[NodeRef]]:
    """'all', 'some' or 'none' of the items stated, with the ones that are not."""
    missing = [ref for ref, ok in items if not ok]
    if not missing:
        return "all", []
    return ("none" if len(missing) == len(items) else "some"), missing


@rule(
    "OP07",
    "Normalisation and aggregation stated",
    sources=(Cite("jrc-10-step-guide", "steps 5 (normalisation), 6 (weighting) and 7 (aggregating indicators)"),),
    reads=(
        "method.normalisation",
        "structure.children[].normalisation",
        "method.aggregation",
        "structure.aggregation",
        "structure.children[].aggregation",
        "method.formula",
        "ranking.kind",
    ),
    scoring="2 = a normalisation applies to every listed indicator and an aggregation to every aggregate; "
    "0 = neither is stated anywhere; 1 = anything in between. At most 1 when some indicators are not listed and "
    "the method-level defaults (`method.normalisation`, `method.aggregation`) do not cover them. A published "
    "formula (`method.formula`) states both; a ranking that combines nothing (`ranking.kind`) is judged on its "
    "normalisation only. Judged on the facts found: a normalisation or aggregation not found in the sources cited "
    "costs nothing (its points are not assessed)." + CAP_NOTE,
)
def method_stated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """The same indicator values give different ranks under min-max or z-scores, and under arithmetic or
    geometric means. The JRC guide treats normalisation and aggregation as distinct steps of building an index,
    and a reader needs both to reproduce or question the scores."""
    tree = ctx.tree
    method = ctx.spec.method
    if method is not None and method.formula is not None:
        return met("the index is a published formula: its terms, coefficients and bounds say how raw components "
                   "combine, with no normalisation", ("method", "formula"))
    # each item (a listed indicator's normalisation, an aggregate's aggregation) reads one fact: its own, or the
    # method's default it inherits; items sharing a fact are one part, so that an unknown default counts once
    facts: dict[Path, Part] = {}
    norm_items: list[tuple[NodeRef, Path]] = []
    if ctx.indicators:
        for ref in ctx.indicators:
            own = getattr(ref.node, "normalisation", None) is not None
            path: Path = (*ref.path, "normalisation") if own else ("method", "normalisation")
            value = tree.normalisation(ref)
            facts.setdefault(path, part(ctx, ref.id if own else "method.normalisation", path, value,
                                        isinstance(value, Normalisation)))
            norm_items.append((ref, path))
    else:
        value = method.normalisation if method is not None else None
        facts[("method", "normalisation")] = part(ctx, "method.normalisation", ("method", "normalisation"), value,
                                                  isinstance(value, Normalisation))
        norm_items.append((tree.root, ("method", "normalisation")))
    # a ranking that combines nothing (ranking.kind) has no aggregation to state, and may rank raw values
    alone = not_composite(ctx, "aggregation")
    if alone is not None and not any(isinstance(tree.normalisation(r), Normalisation) for r in ctx.indicators):
        return not_applicable(f"{NOT_COMPOSITE[ctx.spec.ranking.kind]} and ranks its measures as "
                              "published: there is nothing to normalise or aggregate", ("ranking", "kind"))
    agg_items: list[tuple[NodeRef, Path]] = []
    for group in [] if alone else tree.groups:
        own = bool(getattr(group.node, "aggregation", None))
        path = (*group.path, "aggregation") if own else ("method", "aggregation")
        value = tree.aggregation(group)
        label = f"aggregation of {group.id}" if own else "method.aggregation"
        facts.setdefault(path, part(ctx, label, path, value, is_stated(value)))
        agg_items.append((group, path))
    keys = list(facts)
    parts = [facts[k] for k in keys]
    defaults = method is not None and is_stated(method.normalisation) and is_stated(method.aggregation)
    gap = None if defaults else listing_gap(ctx)

    def scale(stated: Sequence[bool]) -> int:
        """2 = every item stated, 0 = none, else 1. The cap for unlisted indicators applies to an established
        2 only (below), so that it never turns facts not found in the sources read into a lost point."""
        ok = dict(zip(keys, stated, strict=True))
        items = [ok[path] for _, path in norm_items + agg_items]
        return 2 if all(items) else 0 if not any(items) else 1

    def missing_of(items: list[tuple[NodeRef, Path]]) -> list[NodeRef]:
        return [ref for ref, path in items if facts[path].missing]

    norm_missing, agg_missing = missing_of(norm_items), missing_of(agg_items)
    norm, _ = _coverage([(r, facts[p].met) for r, p in norm_items])
    agg, _ = _coverage([(g, facts[p].met) for g, p in agg_items])
    evidence: Evidence = {"normalisation": norm, "aggregation": agg}
    if all(p.met for p in parts):
        # a ranking that combines nothing has only its normalisation to state
        stated = "normalisation and aggregation are stated throughout" if agg_items else "the normalisation is stated"
        return cap_for_gap(met(stated, ("method",), **evidence), gap)
    said = []
    if norm_missing and not ctx.indicators:
        said.append("method.normalisation is not stated, and no listed indicator states its own (see OP12)")
    elif norm_missing:
        said.append(
            f"normalisation missing for {plural(len(norm_missing), 'indicator')} ({few([r.id for r in norm_missing])})"
        )
    if agg_missing:
        said.append(
            f"aggregation missing for {plural(len(agg_missing), 'aggregate')} ({few([g.id for g in agg_missing])})"
        )
    first = next((p for p in parts if p.missing), None) or next(p for p in parts if not p.met)
    where: Path = first.path
    if norm == "none" and agg == "none" and not [p for p in parts if p.unknown]:
        said = ["neither the normalisation nor the aggregation is stated"]
    return cap_for_gap(parts_verdict(parts, scale, "; ".join(said), where, **evidence), gap)

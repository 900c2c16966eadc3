"""OP07 (opacity): Normalisation and aggregation stated."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import cap_for_gap, few, listing_gap, plural
from rankaudit.spec.models import Normalisation
from rankaudit.spec.tree import NodeRef


def _coverage(items: list[tuple[NodeRef, bool]]) -> tuple[str, list[NodeRef]]:
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
    ),
    scoring="2 = a normalisation applies to every listed indicator and an aggregation to every aggregate; "
    "0 = neither is stated anywhere; 1 = anything in between. At most 1 when some indicators are not listed and "
    "the method-level defaults (`method.normalisation`, `method.aggregation`) do not cover them.",
)
def method_stated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """The same indicator values give different ranks under min-max or z-scores, and under arithmetic or
    geometric means. The JRC guide treats normalisation and aggregation as distinct steps of building an index,
    and a reader needs both to reproduce or question the scores."""
    tree = ctx.tree
    method = ctx.spec.method
    if ctx.indicators:
        norm_items = [(r, isinstance(tree.normalisation(r), Normalisation)) for r in ctx.indicators]
    else:
        norm_items = [(tree.root, method is not None and isinstance(method.normalisation, Normalisation))]
    agg_items = [(g, is_stated(tree.aggregation(g))) for g in tree.groups]
    norm, norm_missing = _coverage(norm_items)
    agg, agg_missing = _coverage(agg_items)
    evidence = {"normalisation": norm, "aggregation": agg}
    parts = []
    if norm_missing and not ctx.indicators:
        parts.append("method.normalisation is not stated, and no listed indicator states its own (see OP12)")
    elif norm_missing:
        parts.append(
            f"normalisation missing for {plural(len(norm_missing), 'indicator')} ({few([r.id for r in norm_missing])})"
        )
    if agg_missing:
        parts.append(
            f"aggregation missing for {plural(len(agg_missing), 'aggregate')} ({few([g.id for g in agg_missing])})"
        )
    if norm == "all" and agg == "all":
        defaults = method is not None and is_stated(method.normalisation) and is_stated(method.aggregation)
        gap = None if defaults else listing_gap(ctx)
        return cap_for_gap(met("normalisation and aggregation are stated throughout", ("method",), **evidence), gap)
    where = ("method", "normalisation") if norm_missing else ("method", "aggregation")
    if norm == "none" and agg == "none":
        return undisclosed(
            "neither the normalisation nor the aggregation is stated",
            where,
            facts=[("method", "normalisation"), ("method", "aggregation"), ("structure", "aggregation")],
            **evidence,
        )
    return partly("; ".join(parts), where, **evidence)

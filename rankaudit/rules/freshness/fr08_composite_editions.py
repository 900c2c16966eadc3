"""FR08 (freshness): Composite inputs carry their edition."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Evidence, Verdict, is_stated, met, not_applicable, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    cap_for_gap,
    few,
    labels,
    listing_gap,
    part,
    parts_verdict,
    plural,
    source_types,
    sources_of,
)
from rankaudit.spec.models import IndicatorSource
from rankaudit.spec.tree import NodeRef


@rule(
    "FR08",
    "Composite inputs carry their edition",
    sources=(Cite("gii-2012", ": statisticians 'discourage the use of an index within an index'"),),
    reads=("structure.children[].source.type", "structure.children[].source.edition"),
    scoring="Only for indicators whose source type is `composite_index`; not applicable when there is none. "
    "2 = every such input names the edition used; 1 = some do; 0 = none does." + CAP_NOTE,
)
def composite_editions(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An index used as an input carries the data vintage of its own edition, which can be years older than its
    label. The Global Innovation Index notes statisticians' reluctance about an index within an index; when one
    is used, naming the edition at least dates it."""
    inputs: list[tuple[NodeRef, IndicatorSource]] = []
    for ref in ctx.indicators:
        # a list of sources counts each source typed composite_index (alone or among other types)
        inputs.extend((ref, source) for source in sources_of(ref.node) if "composite_index" in source_types(source))
    if not inputs:
        gap = listing_gap(ctx)
        tail = f" ({gap})" if gap else ""
        return not_applicable(f"no listed indicator uses a composite index as input{tail}", ("structure",))
    missing = [(ref, s) for ref, s in inputs if not is_stated(s.edition)]
    evidence: Evidence = {"composite_inputs": len(inputs), "without_edition": [r.id for r, _ in missing]}
    n = plural(len(inputs), "composite-index input")
    if not missing:
        named = few([f"{s.name if is_stated(s.name) else r.id} {s.edition}" for r, s in inputs])
        return cap_for_gap(met(f"{n}, each with its edition: {named}", ("structure",), **evidence), listing_gap(ctx))
    # each input's edition is one fact: one not found in the sources read costs nothing
    parts = [part(ctx, r.id, (*r.path, "source", "edition"), s.edition, is_stated(s.edition)) for r, s in inputs]
    unnamed = [p for p in parts if p.missing]
    head = f"no edition named for {len(unnamed)} of {n}: {labels(unnamed)}" if unnamed else n
    gap = listing_gap(ctx)

    def scale(named: Sequence[bool]) -> int:
        """2 = every input names its edition; 1 = some do; 0 = none (capped below, on an established 2 only)."""
        return 2 if all(named) else 1 if any(named) else 0

    where = (unnamed or [p for p in parts if p.unknown])[0].path
    return cap_for_gap(parts_verdict(parts, scale, head, where, **evidence), gap)

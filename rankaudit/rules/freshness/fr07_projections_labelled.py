"""FR07 (freshness): Projections labelled and kept apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Verdict, is_stated, met, not_applicable, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    Part,
    few,
    field_path,
    part,
    parts_verdict,
    plural,
    ranks_forecasts,
    reference_years,
    sources_of,
)
from rankaudit.rules.policy import is_projection as projection_flag
from rankaudit.spec.models import Indicator
from rankaudit.spec.tree import NodeRef


@rule(
    "FR07",
    "Projections labelled and kept apart",
    sources=(
        Cite(
            "leff-petersen-2015",
            "executive summary: cities should 'consult forward-looking indexes to gauge their city's future prospects'",
        ),
    ),
    reads=("structure.children[].projection", "structure.children[].reference_year", "structure.children[].source"),
    scoring="Not applicable when no listed indicator is a projection (`projection: true`, or every indicator of an "
    "edition that ranks forecasts, `ranking.forecast: true`). 2 = every projection "
    "states its horizon (reference year) and its forecaster (source), and sits in a group holding only projections "
    "(or the whole index is forward-looking); 1 = projections are mixed with observed data in the same group, or "
    "some lack a horizon or forecaster; 0 = projections are mixed with observed data and none states its horizon. "
    "A horizon or forecaster not found in the sources cited costs nothing (its points are not assessed).",
)
def projections_labelled(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Forecasts are useful, and the Chicago Council recommends forward-looking indexes, but a forecast averaged
    together with measurements passes a guess off as a fact. A projection should be recognisable as one: dated
    to its horizon, attributed to its forecaster, and scored apart from observed data."""
    tree = ctx.tree
    forecast = ranks_forecasts(ctx)  # an edition that ranks forecasts labels every indicator as one, at once

    def is_projection(ref: NodeRef) -> bool:
        return forecast or projection_flag(ref)

    projections = [r for r in ctx.indicators if is_projection(r)]
    if not projections:
        return not_applicable("no listed indicator is a projection", ("structure",))
    mixed = []
    unlabelled = []
    parts: list[Part] = []
    for ref in projections:
        parent = ref.parent
        assert parent is not None
        siblings = tree.indicators_under(parent)
        # an unlisted subgroup under the same parent may hold observed data
        hidden = any(parent in tree.ancestors(g) for g in tree.unlisted_groups)
        if not all(is_projection(s) for s in siblings) or hidden:
            mixed.append(ref)
        node = ref.node
        assert isinstance(node, Indicator)
        # horizon and forecaster, judged on those found: one not found in the sources read costs nothing
        source = node.source if not isinstance(node.source, list) else None
        named = any(is_stated(s.name) for s in sources_of(node))
        labels_of = [
            part(ctx, f"{ref.id} horizon", (*ref.path, "reference_year"), node.reference_year,
                 reference_years(ref) is not None),
            part(ctx, f"{ref.id} forecaster", (*ref.path, "source"),
                 getattr(source, "name", source) if not named else None, named),
        ]
        parts += labels_of
        missing = [what for what, p in zip(("horizon", "forecaster"), labels_of, strict=True) if p.missing]
        if missing:
            unlabelled.append((ref, missing))
    evidence = {
        "projections": len(projections),
        "mixed": [r.id for r in mixed],
        "unlabelled": [r.id for r, _ in unlabelled],
    }
    n = plural(len(projections), "projection")
    if not mixed and all(p.met for p in parts):
        return met(f"{n} with horizon and forecaster, scored apart from observed data", projections[0].path, **evidence)
    said = []
    if mixed:
        said.append(f"{len(mixed)} mixed with observed data ({few([r.id for r in mixed])})")
    if unlabelled:
        lacking = few([f"{r.id} (no {' or '.join(m)})" for r, m in unlabelled])
        said.append(f"{len(unlabelled)} incompletely labelled: {lacking}")
    head = f"{n} listed: {'; '.join(said)}" if said else f"{n} listed"

    def scale(labelled: Sequence[bool]) -> int:
        """0 = mixed with observed data and no projection dated; 1 = mixed, or labels missing; 2 = neither."""
        if mixed and not any(labelled[0::2]):
            return 0
        return 1 if mixed or not all(labelled) else 2

    if mixed:
        where = field_path(mixed[0], "projection")
    elif unlabelled:
        where = field_path(unlabelled[0][0], "reference_year")
    else:
        where = next(p.path for p in parts if p.unknown)
    return parts_verdict(parts, scale, head, where, premise=True, **evidence)

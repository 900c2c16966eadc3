"""QB07 (quantitative bias): Compensatory aggregation acknowledged."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, is_absent, is_stated, met, not_applicable, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import quote
from rankaudit.spec.models import Group, Structure
from rankaudit.spec.yamlsafe import Path


@rule(
    "QB07",
    "Compensatory aggregation acknowledged",
    sources=(
        Cite(
            "coinr",
            "vignette 'Aggregation': the arithmetic mean has perfect compensability, (0, 10) scores like (5, 5)",
            url="https://github.com/bluefoxr/COINr/blob/master/vignettes/aggregate.Rmd",
        ),
    ),
    reads=("method.aggregation", "structure.aggregation", "structure.children[].aggregation", "method.compensability"),
    scoring="2 = the publisher states why its aggregation may or may not compensate (`method.compensability`), "
    "or every level uses a less compensatory mean (geometric, harmonic); 1 = an arithmetic (or other) mean "
    "is used, or some levels' method is unknown, with no statement; 0 (undisclosed) = the aggregation "
    "method is not stated anywhere.",
)
def compensability(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """With an arithmetic mean a city's strength in one pillar buys off failure in another: top marks on
    business and none on safety equal middling marks on both. That is a value judgement the publisher
    should own and explain."""
    tree = ctx.tree
    # a level aggregates when it has two or more children (listed, or stated for an unlisted group)
    levels = [
        g
        for g in tree.groups
        if len(tree.children_of(g)) > 1 or (isinstance(g.node, Group) and is_absent(g.node.children)
                                           and g.node.indicator_count != 1)
    ]
    methods = {id(g): tree.aggregation(g) for g in levels}
    known = [g for g in levels if is_stated(methods[id(g)])]
    statement = ctx.spec.method.compensability if ctx.spec.method else None
    if not levels:
        return not_applicable("no level combines two or more elements, so nothing can compensate", ("structure",))
    if statement:
        quoted = quote(statement, 70)
        return met(f"the publisher addresses compensability: '{quoted}'", ("method", "compensability"))
    if not known:
        return undisclosed("the aggregation method is not stated", ("method", "aggregation"))
    compensatory = [g for g in known if methods[id(g)] in ("arithmetic", "other")]
    unknown = len(levels) - len(known)

    def where(g: Any) -> Path:
        node = g.node
        assert isinstance(node, Group | Structure)
        return (*g.path, "aggregation") if node.aggregation else ("method", "aggregation")

    if compensatory:
        kinds = sorted({str(methods[id(g)]) for g in compensatory})
        return partly(
            f"{'/'.join(kinds)} aggregation at {len(compensatory)} of {len(levels)} levels lets strengths offset "
            "weaknesses, and compensability is not discussed",
            where(compensatory[0]),
            levels=[g.id for g in compensatory],
        )
    if unknown:
        gap = next(g for g in levels if not is_stated(methods[id(g)]))
        return partly(
            f"the aggregation of {unknown} of {len(levels)} levels ({gap.id} first) is not stated, and compensability "
            "is not discussed",
            (*gap.path, "aggregation"),
        )
    kinds = sorted({str(methods[id(g)]) for g in known})
    return met(f"every level uses a less compensatory {'/'.join(kinds)} mean", where(known[0]))

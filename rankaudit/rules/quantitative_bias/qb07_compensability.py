"""QB07 (quantitative bias): Compensatory aggregation acknowledged."""

from __future__ import annotations

from typing import Any

from rankaudit import evidence as _evidence
from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_absent, is_stated, met, not_applicable, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import capped_verdict, part, parts_verdict, quote
from rankaudit.spec.models import Group, Structure
from rankaudit.spec.yamlsafe import Path
from rankaudit.wording import ABSENCE_WORD


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
    reads=("method.aggregation", "structure.aggregation", "structure.children[].aggregation", "method.compensability",
           "method.formula"),
    composite_only="aggregation whose strengths could offset weaknesses",
    scoring="2 = the publisher states why its aggregation may or may not compensate (`method.compensability`), "
    "or every level uses a less compensatory mean (geometric, harmonic); 1 = an arithmetic (or other) mean "
    "is used (a published linear formula is one), or some levels' method is unknown, with no statement; "
    "0 (undisclosed) = the aggregation method is not stated anywhere. n.a. for a ranking that combines nothing.",
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
    # a statement on compensability not found in the sources cited costs nothing: the point it would decide is
    # not assessed; only the publisher's verified silence (or a spec that says left-out facts are unstated) loses it
    silence = _evidence.absence_of_value(statement, ctx.spec)

    def without_statement(message: str, path: Path, **evidence: Any) -> Verdict:
        if silence == "unknown":
            return capped_verdict(1, 1, f"{message}; a statement on compensability is {ABSENCE_WORD['unknown']}, so "
                                  "1 point of 2 is not assessed", path, **evidence)
        return partly(f"{message}, and compensability is not discussed", path, **evidence)

    if ctx.spec.method is not None and ctx.spec.method.formula is not None:
        return without_statement("the published linear formula lets strengths offset weaknesses (a term's loss is "
                                 "made up by another's gain)", ("method", "formula"))
    if not known:
        state = absence_word(ctx.spec.method.aggregation if ctx.spec.method is not None else None, ctx.spec)
        return undisclosed(f"the aggregation method is {state}", ("method", "aggregation"))
    compensatory = [g for g in known if methods[id(g)] in ("arithmetic", "other")]
    unknown = len(levels) - len(known)

    def where(g: Any) -> Path:
        node = g.node
        assert isinstance(node, Group | Structure)
        return (*g.path, "aggregation") if node.aggregation else ("method", "aggregation")

    if compensatory:
        kinds = sorted({str(methods[id(g)]) for g in compensatory})
        return without_statement(
            f"{'/'.join(kinds)} aggregation at {len(compensatory)} of {len(levels)} levels lets strengths offset "
            "weaknesses",
            where(compensatory[0]),
            levels=[g.id for g in compensatory],
        )
    if unknown:
        # judged on the levels whose aggregation is established: one not found in the sources read costs nothing
        open_levels = [g for g in levels if not is_stated(methods[id(g)])]
        parts = [part(ctx, g.id, where(g), methods[id(g)], False) for g in open_levels]
        unstated = [g for g, p in zip(open_levels, parts, strict=True) if p.missing]
        said = ("compensability is not discussed" if silence != "unknown"
                else f"compensability: a statement on it {ABSENCE_WORD['unknown']}")
        if unstated:
            said = (f"the aggregation of {len(unstated)} of {len(levels)} levels ({unstated[0].id} first) is not "
                    f"stated; {said}")
        path = (*(unstated or open_levels)[0].path, "aggregation")
        return parts_verdict(parts, lambda ok: 2 if all(ok) else 1, said, path, premise=True)
    kinds = sorted({str(methods[id(g)]) for g in known})
    return met(f"every level uses a less compensatory {'/'.join(kinds)} mean", where(known[0]))

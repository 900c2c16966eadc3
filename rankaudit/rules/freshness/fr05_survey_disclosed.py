"""FR05 (freshness): Survey fieldwork dates and sample sizes disclosed."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Evidence, Verdict, is_stated, met, not_applicable, partly, rule, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import cap_for_gap, few, field_path, is_survey, listing_gap, plural, survey_weightings
from rankaudit.spec.models import Indicator, Survey
from rankaudit.spec.tree import NodeRef


def _is_survey(ref: NodeRef) -> bool:
    node = ref.node
    assert isinstance(node, Indicator)
    return is_survey(node)


@rule(
    "FR05",
    "Survey fieldwork dates and sample sizes disclosed",
    sources=("gpci-2015#updates",),
    reads=(
        "structure.children[].source.type",
        "structure.children[].survey.fieldwork",
        "structure.children[].survey.sample_size",
        "structure.children[].survey.sample_per_city",
    ),
    scoring="Only for indicators whose source type is `resident_survey` or `expert_survey` (or that carry a "
    "`survey` block), and for a survey that set the weights (`weights_set_by`: fieldwork and size); not applicable "
    "when there is no survey. 2 = every survey indicator states its "
    "fieldwork dates and a sample size (total or per city); 1 = some of these facts are given; 0 = none is. At "
    "most 1 when some indicators are not listed.",
)
def survey_disclosed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An opinion survey's date and size decide whether its answers still describe a city and whether they are
    more than noise. The Global Power City Index moved away from indicators that rested on surveys alone, which
    shows how much weight such indicators can carry."""
    surveys = [r for r in ctx.indicators if _is_survey(r)]
    weightings = survey_weightings(ctx)  # a survey that set the weights is a survey too
    gap = listing_gap(ctx)
    if not surveys and not weightings:
        tail = f" ({gap})" if gap else ""
        return not_applicable(f"no listed indicator comes from a survey{tail}", ("structure",))
    lacking: list[tuple[NodeRef, list[str]]] = []
    facts = 0
    for ref in surveys:
        survey = ref.node.survey
        block = survey if isinstance(survey, Survey) else None
        missing = []
        if block is None or not is_stated(block.fieldwork):
            missing.append("fieldwork dates")
        if block is None or not (is_stated(block.sample_size) or is_stated(block.sample_per_city)):
            missing.append("sample size")
        facts += 2 - len(missing)
        if missing:
            lacking.append((ref, missing))
    for group, setter in weightings:
        missing = [what for what, given in (("fieldwork dates", setter.fieldwork), ("sample size", setter.size))
                   if given is None]
        facts += 2 - len(missing)
        if missing:
            lacking.append((group, missing))
    every: list[NodeRef] = [*surveys, *(g for g, _ in weightings)]
    evidence: Evidence = {"survey_indicators": len(every), "incomplete": [r.id for r, _ in lacking]}
    if not lacking:
        head = f"every survey indicator ({len(every)}) states its fieldwork dates and sample size"
        return cap_for_gap(met(head, ("structure",), **evidence), gap)
    names = few([f"{r.id} (no {' or '.join(m)})" for r, m in lacking])
    head = f"survey facts missing for {len(lacking)} of {plural(len(every), 'survey indicator')}: {names}"
    where = field_path(lacking[0][0], "survey" if lacking[0][0].is_indicator else "weights_set_by")
    if facts:
        return partly(head, where, **evidence)
    return undisclosed(head, where, **evidence)

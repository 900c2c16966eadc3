"""FR05 (freshness): Survey fieldwork dates and sample sizes disclosed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Evidence, Verdict, is_stated, met, not_applicable, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    Part,
    cap_for_gap,
    few,
    field_path,
    is_survey,
    listing_gap,
    part,
    parts_verdict,
    plural,
    survey_weightings,
)
from rankaudit.spec.models import Indicator, Survey, count_text
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path


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
    scoring="Only for indicators whose source type is `resident_survey`, `public_survey` or `expert_survey` (or "
    "that carry a `survey` block), and for a survey that set the weights (`weights_set_by`: fieldwork and size); "
    "not applicable when there is no survey. 2 = every survey indicator states its "
    "fieldwork dates and a sample size (total or per city); 1 = some of these facts are given; 0 = none is. At "
    "most 1 when some indicators are not listed. A fact not found in the sources cited costs nothing (its points "
    "are not assessed)." + CAP_NOTE,
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
    # two facts per survey (fieldwork dates, a sample size), judged on those found: one not found in the sources
    # read costs nothing
    parts: list[Part] = []
    owners: list[NodeRef] = []
    stated_sizes: list[str] = []  # in words ('over 15,000'): a lower bound discloses a sample's size too
    for ref in surveys:
        survey = ref.node.survey
        block = survey if isinstance(survey, Survey) else None
        where: Path = (*ref.path, "survey")
        fieldwork = block.fieldwork if block is not None else None
        sizes = [block.sample_size, block.sample_per_city] if block is not None else []
        sized = any(is_stated(v) for v in sizes)
        size = next((v for v in sizes if v is not None), None)
        stated_sizes += [f"{count_text(v)}{' per city' if k else ''}" for k, v in enumerate(sizes) if is_stated(v)]
        parts += [
            part(ctx, "fieldwork dates", (*where, "fieldwork") if block else where, fieldwork, is_stated(fieldwork)),
            part(ctx, "sample size", (*where, "sample_size") if block else where, size, sized),
        ]
        owners += [ref, ref]
    for group, setter in weightings:
        where = (*group.path, "weights_set_by")
        parts += [
            part(ctx, "fieldwork dates", (*where, "fieldwork"), setter.fieldwork, setter.fieldwork is not None),
            part(ctx, "sample size", (*where, "size"), setter.size, setter.size is not None),
        ]
        if setter.size is not None:
            stated_sizes.append(count_text(setter.size))
        owners += [group, group]
    every: list[NodeRef] = [*surveys, *(g for g, _ in weightings)]
    lacking: list[tuple[NodeRef, list[str]]] = []
    for item in every:
        missing = [p.label for p, owner in zip(parts, owners, strict=True) if owner is item and p.missing]
        if missing:
            lacking.append((item, missing))
    evidence: Evidence = {"survey_indicators": len(every), "incomplete": [r.id for r, _ in lacking]}
    sizes_said = list(dict.fromkeys(stated_sizes))  # one survey shared by many indicators is named once
    sized_note = f" (sample size: {few(sizes_said)})" if sizes_said else ""
    if sizes_said:
        evidence["sample_sizes"] = sizes_said
    if all(p.met for p in parts):
        head = f"every survey indicator ({len(every)}) states its fieldwork dates and sample size{sized_note}"
        return cap_for_gap(met(head, ("structure",), **evidence), gap)
    unknown = [f"{owner.id} {p.label}" for p, owner in zip(parts, owners, strict=True) if p.unknown]
    for index, found in enumerate(parts):
        if found.unknown:  # worded by owner in the message: '<id> fieldwork dates: not found in the sources cited'
            parts[index] = Part(unknown.pop(0), found.path, found.state, found.absent)
    head = ""
    if lacking:
        names = few([f"{r.id} (no {' or '.join(m)})" for r, m in lacking])
        head = f"survey facts missing for {len(lacking)} of {plural(len(every), 'survey indicator')}: {names}"
    if sizes_said:
        head = "; ".join(filter(None, [head, f"sample size stated: {few(sizes_said)}"]))
    first = lacking[0][0] if lacking else next(o for p, o in zip(parts, owners, strict=True) if p.unknown)
    at = field_path(first, "survey" if first.is_indicator else "weights_set_by")

    def scale(stated: Sequence[bool]) -> int:
        """2 = every survey states both facts; 1 = some facts are given; 0 = none (capped below, on an
        established 2 only)."""
        return 2 if all(stated) else 1 if any(stated) else 0

    return cap_for_gap(parts_verdict(parts, scale, head, at, **evidence), gap)

"""OP08 (opacity): Missing-data policy stated."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import part, parts_verdict
from rankaudit.spec.models import MissingData
from rankaudit.spec.yamlsafe import Path


@rule(
    "OP08",
    "Missing-data policy stated",
    sources=(Cite("jrc-10-step-guide", "step 3 (imputation of missing data)"), "coinr#screen-units"),
    reads=("method.missing_data.rule", "method.missing_data.min_coverage", "method.missing_data.imputation"),
    scoring="2 = both a rule (in words, or a minimum data coverage per city) and the imputation method (`none` "
    "counts) are stated; 1 = one of the two; 0 = neither, or `missing_data: undisclosed`. One not found in the "
    "sources cited costs nothing (its point is not assessed).",
)
def missing_data_stated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Cities rarely have every indicator, and whether a gap is filled with a regional mean, skipped or counted as
    zero can move a city by many places. The JRC guide makes imputation a step of its own, and COINr screens out
    units with too little data before aggregating."""
    method = ctx.spec.method
    md = method.missing_data if method else None
    where: Path = ("method", "missing_data")
    if not isinstance(md, MissingData):
        state = absence_word(md, ctx.spec)
        return undisclosed(f"the treatment of missing data is {state}", where if method else ("method",))
    has_rule = is_stated(md.rule) or md.min_coverage is not None
    has_method = is_stated(md.imputation)
    parts = [
        part(ctx, "the missing-data rule", (*where, "rule"), md.rule, has_rule),
        part(ctx, "the imputation method", (*where, "imputation"), md.imputation, has_method),
    ]
    if any(p.unknown for p in parts):
        # judged on the facts found: a rule or method not found in the sources read costs nothing
        said = [f"{p.label} is {'stated' if p.met else 'not stated'}" for p in parts if not p.unknown]
        first = next((p for p in parts if p.missing), parts[0] if parts[0].unknown else parts[1])
        return parts_verdict(parts, sum, "; ".join(said), first.path if first.missing else where)
    if has_rule and has_method:
        coverage = f", minimum coverage {md.min_coverage:.0%}" if md.min_coverage is not None else ""
        return met(f"missing data: imputation '{md.imputation}'{coverage}, with a stated rule", where)
    if has_rule:
        return partly("a missing-data rule is stated but not the imputation method", (*where, "imputation"))
    if has_method:
        return partly(
            f"the imputation method ('{md.imputation}') is stated but not the rule for when it applies",
            (*where, "rule"),
        )
    return undisclosed("neither a missing-data rule nor an imputation method is stated", where)

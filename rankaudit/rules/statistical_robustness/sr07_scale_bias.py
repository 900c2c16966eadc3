"""SR07 (statistical robustness): No scale bias."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_applicable, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, indicator_path, plural, stats_of


@rule(
    "SR07",
    "No scale bias",
    sources=(
        Cite("coinr", "get_denom_corr (vignettes/analysis.Rmd, |r| > 0.7 suggests per-capita scaling)"),
        "gii-2012#count-scaling",
    ),
    reads=("data.denominators", "data.values"),
    needs_data=True,
    scoring="2 = no indicator correlates with a size variable beyond |r| = {size-r}; 1 = at most {indicators-for-1} "
    "indicator(s) do; 0 = more.",
    options={
        "indicators-for-1": Option(1, "most size-following indicators that still score 1 (proposal)"),
        "size-r": Option(0.7, "an indicator correlated with a size variable beyond this |r| follows size (COINr)"),
    },
)
def scale_bias(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An indicator that tracks population or GDP rewards big cities for being big. COINr flags indicators whose
    correlation with a denominator exceeds 0.7 as candidates for per-capita scaling."""
    s = stats_of(ctx)
    if not s.denominators:
        return not_applicable("no size variable (data.denominators) was given", ("data",))
    hits = [d for d in s.denominators if d.flagged]
    inds = sorted({d.indicator for d in hits})
    if not inds:
        return met(f"no indicator correlates with a size variable beyond |r| = {options['size-r']:g}",
                   ("data", "denominators"))
    verb = "follows" if len(inds) == 1 else "follow"
    msg = f"{plural(len(inds), 'indicator')} {verb} city size: " + few(
        [f"{d.indicator}~{d.denominator} (r = {d.r:.2f})" for d in hits])
    ev = {"pairs": [[d.indicator, d.denominator] for d in hits]}
    if len(inds) <= options["indicators-for-1"]:
        return partly(msg, indicator_path(ctx, inds[0]), **ev)
    return not_met(msg, indicator_path(ctx, inds[0]), **ev)

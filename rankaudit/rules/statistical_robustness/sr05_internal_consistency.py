"""SR05 (statistical robustness): Internal consistency of groups."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_applicable, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, group_path, groups_below_index, plural, stats_of


@rule(
    "SR05",
    "Internal consistency of groups",
    sources=(Cite("coinr", "get_cronbach (vignettes/analysis.Rmd); Cronbach's alpha >= 0.7 convention"),),
    reads=("data.values", "structure"),
    needs_data=True,
    scoring="2 = Cronbach's alpha >= {alpha-for-2} in every group of two or more members; 1 = all >= "
    "{alpha-for-1}; 0 = a group below {alpha-for-1}.",
    options={"alpha-for-2": Option(0.7, "lowest alpha that scores 2 (convention)"),
             "alpha-for-1": Option(0.6, "lowest alpha that scores 1 (proposal)")},
)
def internal_consistency(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A group score summarises its members only if they measure a common thing. Cronbach's alpha, computed per
    group as in COINr, is conventionally acceptable from 0.7."""
    groups = [g for g in groups_below_index(stats_of(ctx)) if g.cronbach_alpha is not None]
    if not groups:
        return not_applicable("no group below the index has two or more members with complete data", ("structure",))
    worst = min(groups, key=lambda g: g.cronbach_alpha)
    low = [f"{g.id} ({g.cronbach_alpha:.2f})" for g in groups if g.cronbach_alpha < options["alpha-for-2"]]
    evidence = {"alpha": {g.id: g.cronbach_alpha for g in groups}}
    if worst.cronbach_alpha >= options["alpha-for-2"]:
        return met(f"Cronbach's alpha is at least {options['alpha-for-2']} in all {plural(len(groups), 'group')}",
                   ("structure",), **evidence)
    msg = f"Cronbach's alpha below {options['alpha-for-2']} in {few(low)}"
    if worst.cronbach_alpha >= options["alpha-for-1"]:
        return partly(msg, group_path(ctx, worst.id), **evidence)
    return not_met(msg, group_path(ctx, worst.id), **evidence)

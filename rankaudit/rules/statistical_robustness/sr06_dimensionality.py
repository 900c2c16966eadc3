"""SR06 (statistical robustness): One dimension per group."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_applicable, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, group_path, groups_below_index, plural, stats_of


@rule(
    "SR06",
    "One dimension per group",
    sources=(Cite("coinr", "get_PCA (vignettes/analysis.Rmd); Kaiser rule (retain eigenvalues > 1)"),),
    reads=("data.values", "structure"),
    needs_data=True,
    scoring="2 = every group has one eigenvalue above 1 (PCA on standardised members); 1 = at most {eigen-for-1}; "
    "0 = a group with more.",
    options={"eigen-for-1": Option(2, "most eigenvalues above 1 in a group that still scores 1 (proposal)")},
)
def dimensionality(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A group that aggregates several independent dimensions hides which one drives a city's score. Principal
    components per group with the Kaiser rule (eigenvalues above 1) show how many dimensions a group holds."""
    groups = [g for g in groups_below_index(stats_of(ctx)) if g.pca is not None]
    if not groups:
        return not_applicable("no group below the index has two or more members with complete data", ("structure",))
    multi = [g for g in groups if g.pca.n_eigen_gt_1 > 1]
    evidence = {"eigenvalues_gt_1": {g.id: g.pca.n_eigen_gt_1 for g in groups}}
    if not multi:
        return met(f"each of the {plural(len(groups), 'group')} has one principal component with eigenvalue > 1",
                   ("structure",), **evidence)
    worst = max(multi, key=lambda g: g.pca.n_eigen_gt_1)
    msg = (f"{plural(len(multi), 'group')} with more than one eigenvalue above 1: "
           f"{few([f'{g.id} ({g.pca.n_eigen_gt_1})' for g in multi])}")
    if worst.pca.n_eigen_gt_1 <= options["eigen-for-1"]:
        return partly(msg, group_path(ctx, worst.id), **evidence)
    return not_met(msg, group_path(ctx, worst.id), **evidence)

"""SR08 (statistical robustness): Weights deliver the stated importance."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Evidence, Option, Verdict, not_applicable, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, graded, indicator_path, stats_of


@rule(
    "SR08",
    "Weights deliver the stated importance",
    sources=(Cite("paruolo-2013", "(main effects vs nominal weights)"),),
    reads=("data.values", "structure"),
    needs_data=True,
    composite_only="weights whose importance could be checked",
    scoring="2 = divergence between normalised main effects and effective weights <= {divergence-for-2}; 1 = <= "
    "{divergence-for-1}; 0 = more (rankaudit's cut-offs).",
    options={"divergence-for-2": Option(0.2, "largest divergence that scores 2 (proposal)"),
             "divergence-for-1": Option(0.35, "largest divergence that scores 1 (proposal)")},
)
def weights_vs_importance(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Nominal weights are not the influence an indicator has on the index: correlations between indicators
    shift it. Paruolo, Saisana and Saltelli measure influence by the correlation ratio (main effect) and found that
    nominal weights are hardly ever matched."""
    s = stats_of(ctx)
    imp = s.importance
    if imp is None or imp.divergence is None:
        return not_applicable("importance could not be estimated", ("structure",))
    div = imp.divergence
    under = [i.indicator for i in imp.items if i.ratio is not None and i.ratio < 0.5]
    over = [i.indicator for i in imp.items if i.ratio is not None and i.ratio > 2]
    detail = ""
    if under:
        detail += f"; under half their weight: {few(under)}"
    if over:
        detail += f"; over twice their weight: {few(over)}"
    msg = f"divergence between main effects and weights is {div:.2f} (0 = match, 1 = disjoint){detail}"
    ev: Evidence = {"divergence": div, "under": under, "over": over}
    path = indicator_path(ctx, under[0]) if under else ("structure",)
    return graded(
        div, options["divergence-for-2"], options["divergence-for-1"], msg, path,
        higher_is_better=False, met_path=("structure",), **ev,
    )

"""QB06 (quantitative bias): Outcomes rather than inputs."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    JUDGED_SHARE_NOTE,
    band,
    few,
    judged_share,
    nothing_known_verdict,
    pct,
    share_of,
)
from rankaudit.spec.models import Indicator


@rule(
    "QB06",
    "Outcomes rather than inputs",
    sources=(
        Cite("berlin-principles-2006", "principle 1: assessment of 'inputs, processes, and outputs'"),
        Cite(
            "jrc-10-step-guide",
            "step 1 Theoretical framework ('clear understanding and definition of the multidimensional phenomenon')",
        ),
    ),
    reads=("structure.children[].kind", "structure.children[].weight", "ranking.kind"),
    scoring="Share of the index carried by output and outcome indicators (`kind: output` or `outcome`), by "
    "effective weight over the indicators stating `kind`: >= {min-share-full:%} -> 2, >= "
    "{min-share-partial:%} -> 1, else 0 (rankaudit's cut-offs, configurable). Without disclosed weights "
    "indicators count equally and the score is capped at 1; also capped at 1 when indicators of unknown "
    "kind carry more than half the index. 0 (undisclosed) when no indicator states its kind."
    + CAP_NOTE + JUDGED_SHARE_NOTE,
    options={
        "min-share-full": Option(0.5, "smallest output/outcome share of the index for 2 points"),
        "min-share-partial": Option(0.25, "smallest output/outcome share of the index for 1 point"),
    },
)
def outcome_share(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Counting hospital beds, budgets or policies rewards what a city spends or promises, not what its
    residents get. An index that claims to measure how well cities do should rest mostly on results:
    health, employment, clean air."""

    def classify(ind: Indicator) -> bool | None:
        return None if ind.kind is None else ind.kind in ("output", "outcome")

    share = share_of(ctx, classify, by_weight=True, fact=lambda ind: ind.kind)
    if share.share is None:
        return nothing_known_verdict(share, "kind (input or outcome)", ("kind",))
    full, partial = options["min-share-full"], options["min-share-partial"]
    inputs = [r for r in share.known_indicators if r.node.kind in ("input", "process")]
    message = f"outputs and outcomes carry {pct(share.share)} of {share.whole('kind')} {share.basis('kind')}"
    if inputs and band(share.share, full, partial, higher_is_better=True) < 2:
        message += f"; inputs/processes include {few([r.id for r in inputs])}"
    worst = inputs[0] if inputs else (share.unknown_listed[0] if share.unknown_listed else share.known[0])
    return judged_share(ctx, share, full, partial, higher_is_better=True, message=message,
                        path=(*worst.path, "kind"), what="kind", field=("kind",), weighed=True)

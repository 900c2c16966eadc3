"""CM06 (comparability): One harmonised source per indicator."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, is_stated, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import cap_unknown, few, nothing_known_verdict, share_of, verdict_for
from rankaudit.spec.models import Indicator, IndicatorSource

_HARMONY_SCORE = {"single": 2, "mixed_documented": 1, "mixed_undocumented": 0}


@rule(
    "CM06",
    "One harmonised source per indicator",
    sources=("iso-37120#verifiable", "leff-petersen-2015#data"),
    reads=("structure.children[].source.harmonised",),
    scoring="2 = every indicator stating `source.harmonised` draws on one harmonised source for all cities; "
    "1 = some mix sources across cities but document the mix; 0 = some mix sources without documenting "
    "it. Capped at 1 when indicators of unknown provenance (not stated, or not listed) are more than "
    "half; 0 (undisclosed) when no indicator states it.",
)
def harmonised_sources(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """When the crime rate of one city comes from its police and that of another from a national survey,
    a gap between them may be a gap between sources. One harmonised source per indicator, or at least a
    documented mapping between sources, is what makes a city-to-city comparison meaningful."""

    def level(ind: Indicator) -> str | None:
        source = ind.source
        if isinstance(source, IndicatorSource) and is_stated(source.harmonised):
            return source.harmonised  # type: ignore[return-value]
        return None

    share = share_of(ctx, lambda ind: None if level(ind) is None else level(ind) != "single", by_weight=False)
    if share.share is None:
        return nothing_known_verdict(share, "source harmonisation", ("source", "harmonised"))
    mixed = [r for r, _ in share.hits]
    undocumented = [r for r in mixed if level(r.node) == "mixed_undocumented"]  # type: ignore[arg-type]
    documented = [r for r in mixed if level(r.node) == "mixed_documented"]  # type: ignore[arg-type]
    score = min(_HARMONY_SCORE[level(r.node)] for r in share.known)  # type: ignore[arg-type,index]
    k = len(share.known)
    if undocumented:
        message = (
            f"{len(undocumented)} of {k} indicators {'mixes' if len(undocumented) == 1 else 'mix'} sources across "
            "cities without documenting it: "
            f"{few([r.id for r in undocumented])}"
        )
    elif documented:
        verb = "mixes" if len(documented) == 1 else "mix"
        message = f"{len(documented)} of {k} indicators {verb} documented sources: {few([r.id for r in documented])}"
    else:
        message = "every indicator stating its provenance draws on one harmonised source for all cities"
    message += " " + share.basis("provenance")
    score, message = cap_unknown(score, message, share, "provenance")
    worst = (undocumented or documented or share.unknown_listed or share.known)[0]
    return verdict_for(score, message, (*worst.path, "source"), mixed=[r.id for r in mixed])

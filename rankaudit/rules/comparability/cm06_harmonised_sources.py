"""CM06 (comparability): One harmonised source per indicator."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, is_stated, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    cap_for_gap,
    cap_unknown,
    capped_verdict,
    declared_source,
    few,
    nothing_known_verdict,
    open_ends_verdict,
    pct,
    share_of,
    sources_of,
    unaccounted_gap,
)
from rankaudit.spec.models import Indicator, IndicatorSource
from rankaudit.spec.tree import NodeRef

_HARMONY_SCORE = {"single": 2, "mixed_documented": 1, "mixed_undocumented": 0}


@rule(
    "CM06",
    "One harmonised source per indicator",
    sources=("iso-37120#verifiable", "leff-petersen-2015#data"),
    reads=("structure.children[].source.harmonised", "ranking.kind"),
    scoring="2 = every indicator stating `source.harmonised` draws on one harmonised source for all cities; "
    "1 = some mix sources across cities but document the mix; 0 = some mix sources without documenting "
    "it. Capped at 1 when indicators of undisclosed provenance are more than half; 0 (undisclosed) when no "
    "indicator states it. Indicators of unknown provenance (not found in the sources cited, or not listed) may be "
    "the undocumented mix that scores 0: the rule earns 0 and the points the known indicators would add are not "
    "assessed, the whole rule when they are 2. An indicator with several sources is as harmonised as "
    "its least harmonised one, and open while one of them does not state it." + CAP_NOTE,
)
def harmonised_sources(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """When the crime rate of one city comes from its police and that of another from a national survey,
    a gap between them may be a gap between sources. One harmonised source per indicator, or at least a
    documented mapping between sources, is what makes a city-to-city comparison meaningful."""

    def level_of(sources: list[IndicatorSource]) -> str | None:
        """An indicator drawing on several sources is as harmonised as its least harmonised one: one
        undocumented mix settles it; otherwise a source whose harmonisation is not stated leaves it open."""
        stated = [str(s.harmonised) for s in sources if is_stated(s.harmonised)]
        if not stated:
            return None
        worst = min(stated, key=lambda h: _HARMONY_SCORE[h])
        if _HARMONY_SCORE[worst] > 0 and len(stated) < len(sources):
            return None
        return worst

    def harmonised_fact(ind: Indicator) -> object:
        sources = sources_of(ind)
        return sources[0].harmonised if sources else ind.source

    def mixed_sources(sources: list[IndicatorSource]) -> bool | None:
        found = level_of(sources)
        return None if found is None else found != "single"

    # a source declared on a group or on the index classifies the indicators that state none (listed or not)
    share = share_of(ctx, lambda ind: mixed_sources(sources_of(ind)), by_weight=False,
                     classify_source=mixed_sources, fact=harmonised_fact)
    if share.share is None:
        return nothing_known_verdict(share, "source harmonisation", ("source", "harmonised"))

    def level_at(ref: NodeRef) -> str | None:
        """The level of a listed indicator by its own sources, else (and for a group or the index) by the
        source declared up the tree, as `share_of` classified it."""
        own = sources_of(ref.node) if isinstance(ref.node, Indicator) else []
        return level_of(own or declared_source(ref) or [])

    mixed = [r for r, _ in share.hits]
    undocumented = [r for r in mixed if level_at(r) == "mixed_undocumented"]
    documented = [r for r in mixed if level_at(r) == "mixed_documented"]
    score = min(_HARMONY_SCORE[known] for r in share.known if (known := level_at(r)) is not None)
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
    score, message, unassessed = cap_unknown(score, message, share, "provenance")
    worst = (undocumented or documented or share.unknown_listed or share.known)[0]
    path = (*worst.path, "source")
    # judged at both ends: the score is the least harmonised indicator's, so any indicator whose provenance is
    # not found in the sources cited may be the undocumented mix that scores 0. The rule earns that 0; the points
    # the known indicators would add are not assessed, and the whole rule is when they are 2.
    open_part = max(0.0, share.unknown_fraction - share.established_fraction)
    if open_part and score > 0:
        message += (f"; an indicator of unknown provenance ({pct(open_part)} of the {share.noun}) may mix sources "
                    "without documenting it")
        return share.judged(open_ends_verdict(ctx, share, 0, score + unassessed, message, path,
                                              ("source", "harmonised"), mixed=[r.id for r in mixed]))
    return share.judged(cap_for_gap(capped_verdict(score, unassessed, message, path, mixed=[r.id for r in mixed]),
                                    unaccounted_gap(share)))

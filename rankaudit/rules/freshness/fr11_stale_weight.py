"""FR11 (freshness): Little weight on stale data."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Evidence, Option, Verdict, not_applicable, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    Gap,
    dated_at_publication,
    few,
    field_path,
    graded,
    join_gaps,
    listing_gap,
    plural,
    span_text,
    weights_rest_on_unknown,
)


@rule(
    "FR11",
    "Little weight on stale data",
    sources=("leff-petersen-2015#lagging", "coinr#effective-weights"),
    reads=(
        "ranking.published",
        "structure.children[].reference_year",
        "structure.reference_year",
        "structure.children[].weight",
        "structure.weighting",
    ),
    composite_only="weights to put on stale data",
    scoring="Share of the index's effective weight, over listed observed indicators with a reference year and a "
    "known weight, carried by indicators more than `stale-after-years` ({stale-after-years}) years old: 2 "
    "= at most {share-for-2:%}; 1 = at most {share-for-1:%}; 0 = more (rankaudit's cut-offs). Not "
    "applicable when no dated indicator has a known effective weight (undisclosed weights are OP02's "
    "concern); not assessable (see FR09, FR01, OP12) when the publication date, every reference year or every "
    "indicator is missing. At most 1 when some indicators are not listed or some dated indicators have no known "
    "weight; when that gap rests only on facts not found in the sources cited (or on the spec's partial "
    "transcription), the capped point is not assessed instead of lost." + CAP_NOTE,
    options={
        "stale-after-years": Option(4, "an indicator older than this many years is stale (rankaudit's cut-off)"),
        "share-for-2": Option(0.10, "largest weight share on stale indicators that scores 2 (rankaudit's cut-off)"),
        "share-for-1": Option(0.25, "largest weight share on stale indicators that scores 1 (rankaudit's cut-off)"),
    },
)
def stale_weight(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """One old indicator alone in a pillar can carry a large part of the final score, while many old indicators
    with small weights barely move it. Counting stale data by effective weight, as COINr computes it from nested
    weights, shows how much of a city's rank rests on out-of-date facts."""
    inputs = dated_at_publication(ctx, "the weight on stale data")
    if isinstance(inputs, Verdict):
        return inputs
    year, dated = inputs
    weighted = [(ref, ys, ctx.tree.effective_weight(ref)) for ref, ys in dated]
    known = [(ref, ys, w) for ref, ys, w in weighted if w is not None]
    total = sum(w for _, _, w in known)
    if not known or total <= 0:
        return not_applicable("no dated indicator has a disclosed effective weight", ("structure",))
    limit = options["stale-after-years"]
    stale = sorted(((r, ys, w) for r, ys, w in known if year - ys.last > limit), key=lambda t: -t[2])
    share = sum(w for _, _, w in stale) / total
    unweighted = len(weighted) - len(known)
    head = (
        f"{share:.0%} of the weight of {plural(len(known), 'dated, weighted indicator')} rests on data more than "
        f"{limit:g} years old"
    )
    if stale:
        head += f": {few([f'{r.id} ({w:.1%}, {span_text(ys)})' for r, ys, w in stale])}"
    if unweighted:
        head += f" ({unweighted} dated indicator(s) without a known weight left out)"
    evidence: Evidence = {"stale_weight_share": round(share, 4), "stale": [r.id for r, _, _ in stale]}
    where = field_path(stale[0][0], "reference_year") if stale else ("structure",)
    weightless: Gap | None = None
    if unweighted:
        # weights not found in the sources cited make the capped point not assessed; undisclosed ones cost it
        reason = (f"{unweighted} dated indicator(s) have no known weight",)
        unknown = weights_rest_on_unknown(ctx, [r for r, _, w in weighted if w is None])
        weightless = Gap(unknown=reason) if unknown else Gap(established=reason)
    gap = join_gaps(listing_gap(ctx), weightless)
    return graded(
        share, options["share-for-2"], options["share-for-1"], head, where,
        higher_is_better=False, gap=gap, **evidence,
    )

"""FR03 (freshness): Few stale indicators."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Evidence, Option, Verdict, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    dated_at_publication,
    few,
    field_path,
    graded,
    listing_gap,
    plural,
    span_text,
)


@rule(
    "FR03",
    "Few stale indicators",
    sources=("leff-petersen-2015#lagging", "gii-2023#years"),
    reads=("ranking.published", "structure.children[].reference_year", "structure.reference_year",
           "structure.children[].projection"),
    scoring="Share of the listed observed indicators with a reference year whose latest reference year is more "
    "than `stale-after-years` ({stale-after-years}) years before publication: 2 = at most {share-for-2:%}; "
    "1 = at most {share-for-1:%}; 0 = more (rankaudit's cut-offs). Not assessable (see FR09, FR01, OP12) when "
    "the publication date, every reference year or every indicator is missing. At most 1 when some "
    "indicators are not listed." + CAP_NOTE,
    options={
        "stale-after-years": Option(4, "an indicator older than this many years is stale (rankaudit's cut-off)"),
        "share-for-2": Option(0.10, "largest share of stale indicators that scores 2 (rankaudit's cut-off)"),
        "share-for-1": Option(0.25, "largest share of stale indicators that scores 1 (rankaudit's cut-off)"),
    },
)
def stale_share(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A handful of very old indicators can anchor a city's rank to a situation that no longer exists, even when
    the typical data point is recent. The Global Innovation Index reports how many of its data points are older
    than five years, which shows the count can be made and published."""
    inputs = dated_at_publication(ctx, "staleness")
    if isinstance(inputs, Verdict):
        return inputs
    year, dated = inputs
    limit = options["stale-after-years"]
    stale = sorted(((ref, ys) for ref, ys in dated if year - ys.last > limit), key=lambda t: t[1].last)
    share = len(stale) / len(dated)
    head = (
        f"{len(stale)} of {plural(len(dated), 'dated indicator')} ({share:.0%}) are more than {limit:g} years old "
        f"at publication ({year})"
    )
    evidence: Evidence = {"share": round(share, 4), "stale": [r.id for r, _ in stale], "dated": len(dated)}
    if stale:
        head += f": {few([f'{r.id} ({span_text(ys)})' for r, ys in stale])}"
        where = field_path(stale[0][0], "reference_year")
    else:
        where = ("structure",)
    return graded(
        share, options["share-for-2"], options["share-for-1"], head, where,
        higher_is_better=False, gap=listing_gap(ctx), **evidence,
    )

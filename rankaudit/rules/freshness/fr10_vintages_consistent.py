"""FR10 (freshness): Data vintages consistent across indicators."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Evidence, Option, Verdict, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    dated_indicators,
    few,
    field_path,
    graded,
    listing_gap,
    no_dated,
    plural,
    years_text,
)


@rule(
    "FR10",
    "Data vintages consistent across indicators",
    sources=("gii-2023#years", "leff-petersen-2015#lagging"),
    reads=("structure.children[].reference_year", "structure.reference_year", "structure.children[].projection"),
    scoring="The span between the oldest and newest latest-reference-year over the listed observed indicators: 2 = "
    "at most {span-for-2:years}; 1 = at most {span-for-1:years}; 0 = more (rankaudit's cut-offs). Not "
    "assessable (see FR01, OP12) when no reference year or no indicator is stated. At most 1 when some "
    "indicators are not listed." + CAP_NOTE,
    options={
        "span-for-2": Option(2, "largest span in years between indicator vintages that scores 2 (rankaudit's cut-off)"),
        "span-for-1": Option(4, "largest span in years between indicator vintages that scores 1 (rankaudit's cut-off)"),
    },
)
def vintages_consistent(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An index that adds this year's transport data to air quality from six years ago describes no single moment
    in a city's life. The Global Innovation Index publishes the spread of its data years, which lets a reader see
    how much its vintages differ."""
    dated = dated_indicators(ctx)
    if not dated:
        return no_dated(ctx, "the span of data vintages")
    ordered = sorted(dated, key=lambda t: t[1].last)
    oldest_ref, oldest = ordered[0]
    newest_ref, newest = ordered[-1]
    span = newest.last - oldest.last
    old = [r.id for r, ys in ordered if newest.last - ys.last > options["span-for-2"]]
    if span == 0:
        head = f"all {plural(len(dated), 'dated indicator')} share the latest reference year {newest.last}"
    else:
        head = (
            f"indicator vintages span {years_text(span)}, from {oldest.last} ({oldest_ref.id}) to {newest.last} "
            f"({newest_ref.id}), over {plural(len(dated), 'dated indicator')}"
        )
    evidence: Evidence = {"span": span, "oldest": oldest.last, "newest": newest.last, "behind": old}
    if old:
        head += f"; trailing: {few(old)}"
    where = field_path(oldest_ref, "reference_year")
    return graded(
        span, options["span-for-2"], options["span-for-1"], head, where,
        higher_is_better=False, gap=listing_gap(ctx), met_path=("structure",), **evidence,
    )

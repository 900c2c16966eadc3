"""FR02 (freshness): Median data lag."""

from __future__ import annotations

import statistics
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
    years_text,
)


@rule(
    "FR02",
    "Median data lag",
    core=True,
    sources=("leff-petersen-2015#lagging",),
    reads=("ranking.published", "structure.children[].reference_year", "structure.reference_year",
           "structure.children[].projection"),
    scoring="Median, over the listed observed indicators with a reference year, of the publication year minus the "
    "indicator's latest reference year: 2 = at most {lag-for-2:years}; 1 = at most {lag-for-1:years}; 0 = "
    "more (rankaudit's cut-offs). Not assessable (see FR09, FR01, OP12) when the publication date, every "
    "reference year or every indicator is missing: those rules score the gap. At most "
    "1 when some indicators are not listed." + CAP_NOTE,
    options={
        "lag-for-2": Option(2, "largest median lag in years that scores 2 (rankaudit's cut-off)"),
        "lag-for-1": Option(3, "largest median lag in years that scores 1 (rankaudit's cut-off)"),
    },
)
def median_lag(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Lagging indicators are a routine weakness of city rankings according to the Chicago Council's review, which
    advises cities to rely on the most recent data available. The median lag says how old the typical data point
    is when the ranking appears."""
    inputs = dated_at_publication(ctx, "the data lag")
    if isinstance(inputs, Verdict):
        return inputs
    year, dated = inputs
    lags = sorted(((year - ys.last, ref, ys) for ref, ys in dated), key=lambda t: -t[0])
    median = statistics.median(lag for lag, _, _ in lags)
    oldest = few([f"{ref.id} ({span_text(ys)})" for _, ref, ys in lags])
    head = (
        f"median data lag {years_text(median)} over {plural(len(dated), 'dated indicator')} "
        f"(published {year}); oldest: {oldest}"
    )
    evidence: Evidence = {"median_lag": median, "dated": len(dated), "publication_year": year}
    where = field_path(lags[0][1], "reference_year")
    return graded(
        median, options["lag-for-2"], options["lag-for-1"], head, where,
        higher_is_better=False, gap=listing_gap(ctx), **evidence,
    )

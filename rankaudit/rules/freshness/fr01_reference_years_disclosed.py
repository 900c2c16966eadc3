"""FR01 (freshness): Reference year disclosed per indicator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Verdict, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    SHARE_FOR_1,
    SHARE_FOR_2,
    band,
    cap_for_gap,
    field_path,
    listed_share_verdict,
    listing_gap,
    part,
    parts_verdict,
    reference_years,
    span_text,
)


@rule(
    "FR01",
    "Reference year disclosed per indicator",
    core=True,
    sources=("gii-2023#years", "leff-petersen-2015#lagging"),
    reads=("structure.children[].reference_year", "structure.reference_year"),
    scoring="Share of listed indicators with a reference year: 2 = at least {share-for-2:%}; 1 = at least "
    "{share-for-1:%}; 0 = less (rankaudit's cut-offs). At most 1 when some indicators are not listed "
    "(`structure.complete: false` or `children: undisclosed`). 1 when only index-wide data years are "
    "stated (`structure.reference_year`)." + CAP_NOTE,
    options={"share-for-2": SHARE_FOR_2, "share-for-1": SHARE_FOR_1},
)
def reference_years_disclosed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A ranking published this year may rest on data several years old, and only the reference year of each
    indicator tells the reader. The Global Innovation Index shows that a composite index can report the vintage
    of its data in detail."""
    indicators = ctx.indicators
    index_years = reference_years(ctx.tree.root)
    if index_years is not None and not any(reference_years(r) for r in indicators):
        # the per-indicator years, judged on those found: years not found in the sources read cost nothing
        parts = [part(ctx, r.id, field_path(r, "reference_year"), getattr(r.node, "reference_year", None), False)
                 for r in indicators]
        stated = f"only index-wide data years are stated ({span_text(index_years)})"
        said = stated + (", none per indicator" if parts and all(p.missing for p in parts) else "")
        gap = listing_gap(ctx)

        def scale(dated: Sequence[bool]) -> int:
            """The index-wide years earn 1; per-indicator years as the share cut-offs say (capped below, on an
            established 2 only)."""
            share = sum(dated) / len(dated) if dated else 0.0
            return max(1, band(share, options["share-for-2"], options["share-for-1"], higher_is_better=True))

        return cap_for_gap(parts_verdict(parts, scale, said, ("structure", "reference_year"), premise=True), gap)
    offenders = [(r, "") for r in indicators if reference_years(r) is None]
    return listed_share_verdict(ctx, options, offenders, "state a reference year", "reference_year")

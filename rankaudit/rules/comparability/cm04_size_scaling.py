"""CM04 (comparability): Size-dependent counts scaled."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, is_stated, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    JUDGED_SHARE_NOTE,
    few,
    field_path,
    judged_share,
    nothing_known_verdict,
    pct,
    share_of,
)
from rankaudit.spec.models import Indicator


@rule(
    "CM04",
    "Size-dependent counts scaled",
    sources=(
        Cite("cwts-10-principles-2017", "principle 2 (size-dependent vs size-independent indicators)"),
        "gii-2012#count-scaling",
        Cite("coinr", "vignette 'Analysis', get_denom_corr: flags indicators correlated with a size denominator"),
    ),
    reads=("structure.children[].scaling", "ranking.kind"),
    scoring="Share of indicators (by count) that are absolute counts or totals (`scaling: absolute`), over the "
    "indicators stating `scaling`: <= {max-share-full:%} -> 2, <= {max-share-partial:%} -> 1, else 0 "
    "(rankaudit's cut-offs, configurable). Capped at 1 when indicators of unknown scaling (not stated, or "
    "not listed) are more than half; 0 (undisclosed) when no indicator states it." + CAP_NOTE + JUDGED_SHARE_NOTE,
    options={
        "max-share-full": Option(0.2, "largest share of absolute (unscaled) indicators for 2 points"),
        "max-share-partial": Option(0.5, "largest share of absolute (unscaled) indicators for 1 point"),
    },
    # a ranking on one total (most visitors, most millionaires) ranks that quantity itself: scaling it would
    # answer another question; the bias CM04 guards against is a total mixed into a composite
    composite_only="indicators combined whose size could outweigh the rest",
)
def size_scaling(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Raw totals (number of headquarters, passengers, museums) grow with a city's size, so a ranking
    built on them mostly rewards being big, and the answer also depends on where the boundary is drawn.
    Dividing by population, output or area makes a large and a small city comparable."""

    def classify(ind: Indicator) -> bool | None:
        return ind.scaling == "absolute" if is_stated(ind.scaling) else None

    share = share_of(ctx, classify, by_weight=False, fact=lambda ind: ind.scaling)
    if share.share is None:
        return nothing_known_verdict(share, "scaling", ("scaling",))
    message = f"{pct(share.share)} of indicators are unscaled absolute counts {share.basis('scaling')}"
    if share.hits:
        message += f": {few([r.id for r, _ in share.hits])}"
    worst = share.hits[0][0] if share.hits else (share.unknown_listed[0] if share.unknown_listed else None)
    path = field_path(worst, "scaling") if worst is not None else ("structure",)
    return judged_share(ctx, share, options["max-share-full"], options["max-share-partial"], higher_is_better=False,
                        message=message, path=path, what="scaling", field=("scaling",), weighed=False,
                        absolute=[r.id for r, _ in share.hits])

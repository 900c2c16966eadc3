"""CM03 (comparability): Indicators measured at the city's own scale."""

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

# a part of the city standing for it (the most polluted county of a metropolitan area) is the city's own data,
# not a national or regional proxy: it counts with the city, and is named so that a reader sees it
GEO_CITY = frozenset({"city", "metro", "sub_city"})


@rule(
    "CM03",
    "Indicators measured at the city's own scale",
    sources=(Cite("citylab-2011", ": national data may be too coarse for cities"), "leff-petersen-2015#data"),
    reads=("structure.children[].geo_level", "ranking.kind"),
    scoring="Share of indicators (by count) measured at city or metro level (or in a part of the city that stands "
    "for it, `sub_city`: the most polluted county of a metropolitan area), over the indicators stating "
    "`geo_level`: >= {min-share-full:%} -> 2, >= {min-share-partial:%} -> 1, else 0 (rankaudit's cut-offs, "
    "configurable). Region, country and mixed levels count against and are named. Capped at 1 when "
    "indicators of unknown level (not stated, or not listed in the spec) are more than half; 0 "
    "(undisclosed) when no indicator states it." + CAP_NOTE + JUDGED_SHARE_NOTE,
    options={
        "min-share-full": Option(0.8, "share of city/metro-level indicators needed for 2 points"),
        "min-share-partial": Option(0.5, "share of city/metro-level indicators needed for 1 point"),
    },
)
def indicator_geography(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A national figure copied to every city of a country tells nothing about the city and gives
    its cities identical scores. Rankings built for cities should measure them at the city or
    metropolitan scale, and a reader needs to know which indicators are national proxies."""

    def classify(ind: Indicator) -> bool | None:
        return ind.geo_level in GEO_CITY if is_stated(ind.geo_level) else None

    share = share_of(ctx, classify, by_weight=False, fact=lambda ind: ind.geo_level)
    if share.share is None:
        return nothing_known_verdict(share, "geographic level", ("geo_level",))
    proxies = [r for r in share.known_indicators if not classify(r.node)]
    country = [r for r in proxies if r.node.geo_level == "country"]
    parts = [r for r in share.known_indicators if r.node.geo_level == "sub_city"]
    scale = "at city or metro level, or in a part of the city standing for it" if parts else \
        "at city or metro level"
    message = f"{pct(share.share)} of indicators are measured {scale} {share.basis('level')}"
    if parts:
        message += f"; in a part of the city: {few([r.id for r in parts])}"
    if proxies:
        kinds = ", ".join(
            f"{sum(1 for r in proxies if r.node.geo_level == lvl)} {lvl}"
            for lvl in ("country", "region", "mixed")
            if any(r.node.geo_level == lvl for r in proxies)
        )
        ordered = country + [r for r in proxies if r not in country]
        message += f"; coarser proxies ({kinds}): {few([r.id for r in ordered])}"
    worst = next(iter(country or proxies or share.unknown_listed), None)
    path = field_path(worst, "geo_level") if worst is not None else ("structure",)
    return judged_share(ctx, share, options["min-share-full"], options["min-share-partial"], higher_is_better=True,
                        message=message, path=path, what="level", field=("geo_level",), weighed=False,
                        proxies=[r.id for r in proxies])

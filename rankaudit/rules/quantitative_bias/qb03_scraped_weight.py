"""QB03 (quantitative bias): Weight on crowdsourced and web-scraped data."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import source_type_share_scoring, source_type_share_verdict
from rankaudit.spec.models import SCRAPED_TYPES


@rule(
    "QB03",
    "Weight on crowdsourced and web-scraped data",
    sources=("leff-petersen-2015#data", "gii-2023#types"),
    reads=("structure.children[].source.type", "structure.children[].weight", "ranking.kind"),
    scoring=source_type_share_scoring(
        "crowdsourced and web-scraped data (`crowdsourced`, `web_scraped`)"
    ),
    options={
        "max-share-full": Option(0.25, "largest crowdsourced/scraped share of the index for 2 points"),
        "max-share-partial": Option(0.5, "largest crowdsourced/scraped share of the index for 1 point"),
    },
)
def scraped_weight(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """User-submitted prices, reviews and online mentions come from self-selected contributors, so their
    volume and slant vary with a city's tourism, language and internet use. They can enrich an index, but
    a ranking resting mainly on them measures online visibility as much as the city."""
    return source_type_share_verdict(ctx, options, SCRAPED_TYPES, "crowdsourced and web-scraped data")

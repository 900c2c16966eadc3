"""FR09 (freshness): Publication date stated."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.spec.yamlsafe import Path


@rule(
    "FR09",
    "Publication date stated",
    sources=("ireg-audit-manual-2011#publication", "leff-petersen-2015#lagging"),
    reads=("ranking.published",),
    scoring="2 = the publication date is stated to the month or day; 1 = to the year only; 0 = undisclosed or "
    "not stated.",
)
def publication_dated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Every judgement of data age starts from the date the ranking appeared, and a year alone leaves up to twelve
    months of doubt. The IREG audit has a criteria group on how results are published and presented."""
    published = ctx.spec.ranking.published
    where: Path = ("ranking", "published")
    if not is_stated(published):
        said = absence_word(published, ctx.spec)
        return undisclosed(f"the publication date is {said}", where if published else ("ranking",))
    assert isinstance(published, str)
    if len(published) >= 7:
        return met(f"published {published}", where)
    return partly(f"only the publication year ({published}) is stated", where)

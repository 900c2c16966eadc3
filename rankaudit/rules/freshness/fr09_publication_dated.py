"""FR09 (freshness): Publication date stated."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_stated, met, partly, resting_on, rule, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.spec.yamlsafe import Path


@rule(
    "FR09",
    "Publication date stated",
    sources=("ireg-audit-manual-2011#publication", "leff-petersen-2015#lagging"),
    reads=("ranking.published", "ranking.snapshot", "ranking.kind"),
    scoring="2 = the publication date is stated to the month or day; 1 = to the year only; 0 = undisclosed or "
    "not stated. A continuously updated site (`kind: continuous`) is dated by its `snapshot` (the day its "
    "figures were retrieved) when it states no publication date.",
)
def publication_dated(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Every judgement of data age starts from the date the ranking appeared, and a year alone leaves up to twelve
    months of doubt. The IREG audit has a criteria group on how results are published and presented."""
    published = ctx.spec.ranking.published
    where: Path = ("ranking", "published")
    snapshot = ctx.spec.ranking.snapshot
    if not is_stated(published) and ctx.spec.ranking.kind == "continuous" and snapshot is not None:
        # a site updated continuously has no publication; the snapshot's date identifies the figures audited
        where = ("ranking", "snapshot")
        if len(snapshot) >= 7:
            return met(f"a continuously updated site, figures retrieved on {snapshot}", where)
        return partly(f"a continuously updated site, figures retrieved in {snapshot} (year only)", where)
    if not is_stated(published):
        said = absence_word(published, ctx.spec)
        return undisclosed(f"the publication date is {said}", where if published else ("ranking",))
    assert isinstance(published, str)
    # a stated date is judged on itself alone: the kind matters only to a site with no publication date
    if len(published) >= 7:
        return resting_on(met(f"published {published}", where), "ranking.published")
    return resting_on(partly(f"only the publication year ({published}) is stated", where), "ranking.published")

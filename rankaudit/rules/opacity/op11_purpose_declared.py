"""OP11 (opacity): Purpose, audience and perspective declared."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.spec.yamlsafe import Path


@rule(
    "OP11",
    "Purpose, audience and perspective declared",
    sources=(
        Cite("berlin-principles-2006", "principle 2: 'Be clear about their purpose and their target groups'"),
        Cite("inorms-rating-the-rankers", ": rankings fail 'to tailor their offer to different audiences'"),
        "leff-petersen-2015#perspective",
    ),
    reads=("ranking.purpose", "ranking.audience", "ranking.perspective"),
    scoring="2 = purpose, audience and perspective are all declared; 1 = one or two of them; 0 = none.",
)
def purpose_declared(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A city that is best for an expatriate executive may not be best for a resident family, so a ranking
    that does not say what it is for and from whose point of view invites misuse. The Berlin Principles ask
    rankings to be clear about purpose and target groups, and the Chicago Council names the author's perspective
    as a common bias of city indexes."""
    ranking = ctx.spec.ranking
    fields = {"purpose": ranking.purpose, "audience": ranking.audience, "perspective": ranking.perspective}
    stated = [name for name, value in fields.items() if is_stated(value) and value != []]
    missing = [name for name in fields if name not in stated]
    if not missing:
        perspective = ranking.perspective
        persp = ", ".join(perspective) if isinstance(perspective, list) else perspective
        return met(f"purpose, audience and perspective ({persp}) are declared", ("ranking", "perspective"))
    where: Path = ("ranking", missing[0])
    if stated:
        return partly(f"declared: {', '.join(stated)}; not declared: {', '.join(missing)}", where)
    return undisclosed(
        "the ranking declares neither purpose, audience nor perspective", where, facts=[("ranking", m) for m in missing]
    )

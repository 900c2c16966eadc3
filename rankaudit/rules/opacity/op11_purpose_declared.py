"""OP11 (opacity): Purpose, audience and perspective declared."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Verdict, is_stated, met, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import labels, part, parts_verdict
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
    scoring="2 = purpose, audience and perspective are all declared; 1 = one or two of them; 0 = none. Judged on "
    "the facts found: one not found in the sources cited costs nothing (its points are not assessed).",
)
def purpose_declared(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A city that is best for an expatriate executive may not be best for a resident family, so a ranking
    that does not say what it is for and from whose point of view invites misuse. The Berlin Principles ask
    rankings to be clear about purpose and target groups, and the Chicago Council names the author's perspective
    as a common bias of city indexes."""
    ranking = ctx.spec.ranking
    fields = {"purpose": ranking.purpose, "audience": ranking.audience, "perspective": ranking.perspective}
    parts = [
        part(ctx, name, ("ranking", name), value, is_stated(value) and value != []) for name, value in fields.items()
    ]
    stated = [p for p in parts if p.met]
    missing = [p for p in parts if p.missing]
    if not missing and not [p for p in parts if p.unknown]:
        perspective = ranking.perspective
        persp = ", ".join(perspective) if isinstance(perspective, list) else perspective
        return met(f"purpose, audience and perspective ({persp}) are declared", ("ranking", "perspective"))
    where: Path = (missing or [p for p in parts if p.unknown])[0].path
    if stated:
        said = f"declared: {labels(stated)}" + (f"; not declared: {labels(missing)}" if missing else "")
    elif missing:
        said = f"the ranking declares none of {labels(missing)}"
    else:
        said = ""
    return parts_verdict(parts, _scale, said, where)


def _scale(declared: Sequence[bool]) -> int:
    """2 = all three declared, 1 = one or two, 0 = none."""
    return 2 if all(declared) else 1 if any(declared) else 0

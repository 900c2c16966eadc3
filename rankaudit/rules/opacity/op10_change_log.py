"""OP10 (opacity): Change log between editions."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_stated, met, not_applicable, partly, rule, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import first_edition, part, parts_verdict, plural
from rankaudit.spec.yamlsafe import Path


@rule(
    "OP10",
    "Change log between editions",
    sources=("ireg-audit-manual-2011#changes", "gii-2024-profiles#not-comparable"),
    reads=(
        # each change listed: a reading of one (a change the spec infers) is what the verdict rests on
        "history.changes[].edition",
        "history.changes[].description",
        "history.changes[].rationale",
        "history.comparable_with_previous",
        "ranking.edition",
        "ranking.previous_edition",
        "ranking.previous_published",
        "ranking.frequency",
    ),
    scoring="Not applicable to a first or one-off edition (`ranking.frequency: one_off` or "
    "`ranking.previous_edition: not_applicable`). 2 = every change of this edition is listed with its "
    "rationale, or the publisher states ranks are comparable (`comparable_with_previous: true`) and no change is "
    "listed; 1 = changes are listed "
    "without rationale, or the publisher says editions are not comparable without listing what changed; 0 = no "
    "change log and no comparability statement.",
)
def change_log(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Readers compare a city's rank with last year's, and a move caused by a new indicator or weight looks
    the same as a real change. The IREG audit asks that weight changes be limited and justified, and the Global
    Innovation Index warns that its editions are not directly comparable."""
    ranking = ctx.spec.ranking
    history = ctx.spec.history
    if first_edition(ctx):
        return not_applicable("this is a first or one-off edition, with nothing to compare against", ("ranking",))
    previous = next((str(v) for v in (ranking.previous_edition, ranking.previous_published) if is_stated(v)),
                    "the previous edition")
    listed = history.changes if history else []
    changes = [(i, c) for i, c in enumerate(listed) if c.edition == ranking.edition]
    comparable = history.comparable_with_previous if history else None
    evidence = {"changes": len(changes), "previous": previous}
    if changes:
        head = f"{plural(len(changes), 'change')} since {previous} listed"
        # each change's rationale is one fact: one not found in the sources read costs nothing
        parts = [part(ctx, f"the rationale of change {i + 1}", ("history", "changes", i, "rationale"), c.rationale,
                      is_stated(c.rationale)) for i, c in changes]
        bare = [p for p in parts if p.missing]
        if all(p.met for p in parts):
            return met(f"{head}, each with a rationale", ("history", "changes"), **evidence)
        said = f"{head}, {len(bare)} without a rationale" if bare else head
        where: Path = (bare or [p for p in parts if p.unknown])[0].path
        return parts_verdict(parts, lambda ok: 2 if all(ok) else 1, said, where, premise=True, **evidence)
    if comparable is True:
        return met(
            f"the publisher states ranks are comparable with {previous} and no change is listed",
            ("history", "comparable_with_previous"),
            **evidence,
        )
    if comparable is False:
        return partly(
            f"the publisher says this edition is not comparable with {previous} but lists no changes",
            ("history", "changes"),
            **evidence,
        )
    older = f" ({plural(len(listed), 'change')} listed for other editions only)" if listed else ""
    state = absence_word(comparable, ctx.spec)
    return undisclosed(
        f"a change log and a comparability statement against {previous} are {state}{older}",
        ("history",),
        facts=[("history", "comparable_with_previous")],  # `unknown` there: nobody found out what changed
        **evidence,
    )

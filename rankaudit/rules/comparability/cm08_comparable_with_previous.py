"""CM08 (comparability): Comparability with the previous edition stated."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_stated, met, not_applicable, not_met, rule, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import first_edition, part, parts_verdict, plural


@rule(
    "CM08",
    "Comparability with the previous edition stated",
    sources=("gii-2024-profiles#not-comparable", "ireg-audit-manual-2011#changes"),
    reads=(
        "history.comparable_with_previous",
        "history.statement",
        # the changes listed for this edition: a reading of one is what the verdict rests on
        "history.changes[].edition",
        "history.changes[].description",
        "ranking.previous_edition",
        "ranking.previous_published",
        "ranking.frequency",
    ),
    scoring="2 = the publisher says whether ranks are comparable with the previous edition, and a claim of "
    "comparability despite method changes listed for this edition comes with a statement; 1 = a statement "
    "is quoted but does not settle whether ranks are comparable; 0 = comparability claimed despite listed "
    "changes, with no statement; 0 (undisclosed) = not stated. n.a. for a one-off ranking or a first edition "
    "(`previous_edition: not_applicable` or `history.comparable_with_previous: not_applicable`), as in OP10.",
)
def comparable_with_previous(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Readers and city officials read a move from 12th to 8th as progress, yet it may only reflect new
    indicators or weights. A publisher that changes its method should say whether this year's ranks
    can be set beside last year's."""
    reason = first_edition(ctx)
    if reason:
        return not_applicable(f"{reason} to compare with", ("ranking",))
    history = ctx.spec.history
    edition = ctx.spec.ranking.edition
    changes = [c for c in history.changes if c.edition == edition] if history else []
    comparable = history.comparable_with_previous if history else None
    statement = history.statement if history else None
    changed = f"{plural(len(changes), 'change')} listed for {edition}" if changes else "no change listed"
    if comparable is True and changes and not is_stated(statement):
        return not_met(
            f"ranks are presented as comparable with the previous edition despite {changed}, without a statement",
            ("history", "comparable_with_previous"),
        )
    if isinstance(comparable, bool):
        said = "ranks are stated comparable" if comparable else "the publisher warns that ranks are not comparable"
        return met(f"{said} with the previous edition ({changed})", ("history", "comparable_with_previous"))
    if is_stated(statement):
        # whether the publisher says so elsewhere: a verdict not found in the sources read costs nothing
        settled = part(ctx, "whether ranks are comparable", ("history", "comparable_with_previous"), comparable, False)
        text = "a comparability statement is quoted" + (
            f" but does not say whether ranks are comparable ({changed})" if settled.missing else f" ({changed})"
        )
        return parts_verdict([settled], lambda ok: 2 if all(ok) else 1, text, ("history", "statement"), premise=True)
    state = absence_word(comparable, ctx.spec)  # 'undisclosed' only for a verified silence
    return undisclosed(
        f"whether ranks are comparable with the previous edition is {state} ({changed})",
        ("history", "comparable_with_previous"),
    )

"""Small helpers the rules share: wording of messages, score bands, listing gaps, editions.

One place for each, so that every rule phrases counts, offenders and shares alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rankaudit.rules.base import Verdict, met, not_met, partly, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.spec.models import NOT_APPLICABLE, SURVEY_TYPES, Indicator, IndicatorSource, Organisation, Survey
from rankaudit.spec.tree import NodeRef
from rankaudit.spec.yamlsafe import Path


def few(ids: Sequence[str], limit: int = 3) -> str:
    """'a, b, c and 4 more': the first offenders by name, for one-line messages."""
    shown = ", ".join(ids[:limit])
    rest = len(ids) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 indicator', '3 indicators'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def pct(x: float) -> str:
    """A share as a whole percentage ('38%'), with '<1%' for small non-zero shares."""
    if 0 < x < 0.005:
        return "<1%"
    return f"{round(x * 100)}%"


def quote(text: str, limit: int = 80) -> str:
    """The publisher's words, cut to fit a one-line message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_path(ref: NodeRef, name: str) -> Path:
    """The document path of one field of a node, for locating a finding."""
    return (*ref.path, name)


def band(value: float, full: float, partial: float, *, higher_is_better: bool) -> int:
    """0, 1 or 2 for a value against two cut-offs."""
    if higher_is_better:
        return 2 if value >= full - 1e-9 else 1 if value >= partial - 1e-9 else 0
    return 2 if value <= full + 1e-9 else 1 if value <= partial + 1e-9 else 0


def verdict_for(score: int, message: str, path: Path, **evidence: Any) -> Verdict:
    return [not_met, partly, met][score](message, path, **evidence)


def graded(
    value: float,
    full: float,
    partial: float,
    message: str,
    path: Path,
    *,
    higher_is_better: bool,
    gap: str | None = None,
    zero: Callable[..., Verdict] = not_met,
    met_path: Path | None = None,
    **evidence: Any,
) -> Verdict:
    """A value against two cut-offs: met (at most partly when `gap` says indicators are unlisted), partly, or
    `zero` (not_met, or undisclosed for a disclosure share)."""
    score = band(value, full, partial, higher_is_better=higher_is_better)
    if score == 2:
        return cap_for_gap(met(message, met_path or path, **evidence), gap)
    if score == 1:
        return partly(message, path, **evidence)
    return zero(message, path, **evidence)


def listing_gap(ctx: AuditContext) -> str | None:
    """Why the listed indicators may not be all of them, or None when the hierarchy is complete."""
    reasons = []
    unlisted = ctx.tree.unlisted_groups
    if unlisted:
        reasons.append(
            f"{plural(len(unlisted), 'group')} ({few([g.id for g in unlisted])}) "
            f"{'does' if len(unlisted) == 1 else 'do'} not list {'its' if len(unlisted) == 1 else 'their'} indicators"
        )
    if not ctx.spec.structure.complete:
        reasons.append("the spec lists only part of the hierarchy (structure.complete: false)")
    stated = ctx.spec.structure.indicator_count
    listed = len(ctx.indicators)
    if isinstance(stated, int) and stated > listed and not reasons:
        reasons.append(f"the publisher states {stated} indicators but {listed} are listed")
    return "; ".join(reasons) or None


def cap_for_gap(verdict: Verdict, gap: str | None) -> Verdict:
    """At most 1 point when some indicators are not listed: nobody has seen them."""
    if gap is None or verdict.score != 2:
        return verdict
    return partly(f"{verdict.message}; at most 1 point because {gap}", verdict.path, **verdict.evidence)


def first_edition(ctx: AuditContext) -> str | None:
    """Why there is no previous edition to compare with, or None. One convention for every rule.

    Only an explicit statement counts: `frequency: one_off`, `previous_edition: not_applicable` or
    `history.comparable_with_previous: not_applicable`. A spec that simply records no previous edition is
    not taken for a first edition: a fact left out is scored like an undisclosed one.
    """
    ranking = ctx.spec.ranking
    if ranking.frequency == "one_off":
        return "a one-off ranking has no previous edition"
    history = ctx.spec.history
    if ranking.previous_edition == NOT_APPLICABLE or (
        history is not None and history.comparable_with_previous == NOT_APPLICABLE
    ):
        return "this is the first edition"
    return None


def only_second_hand(ctx: AuditContext, org: Organisation) -> bool:
    """True when every citation backing an organisation is a secondary source (press, blog...)."""
    cites = org.cite or []
    if not cites:
        return False
    for cite in cites:
        registered = ctx.spec.sources.get(cite.source) if cite.source else None
        if not (cite.second_hand or (registered is not None and registered.second_hand)):
            return False
    return True


def listed_share_verdict(
    ctx: AuditContext,
    options: dict[str, Any],
    offenders: list[tuple[NodeRef, str]],
    what: str,
    field: str,
) -> Verdict:
    """A per-indicator disclosure share scored against the share options, capped for unlisted indicators."""
    total = len(ctx.indicators)
    gap = listing_gap(ctx)
    if total == 0:
        return undisclosed("no indicator is listed, so none can be checked", ("structure",))
    good = total - len(offenders)
    share = good / total
    over = "listed indicators" if gap else "indicators"
    head = f"{good} of {total} {over} ({share:.0%}) {what}"
    evidence = {"share": round(share, 4), "compliant": good, "listed": total}
    if not offenders:
        return cap_for_gap(met(head, ("structure",), **evidence), gap)
    names = few([f"{ref.id} ({why})" if why else ref.id for ref, why in offenders])
    message = f"{head}; lacking: {names}"
    path = field_path(offenders[0][0], field)
    evidence["offenders"] = [ref.id for ref, _ in offenders]
    return graded(
        share, options["share-for-2"], options["share-for-1"], message, path,
        higher_is_better=True, gap=gap, zero=undisclosed, **evidence,
    )


def is_survey(node: Indicator) -> bool:
    """An indicator drawn from a survey: a survey source type, or a `survey` block."""
    source = node.source
    typed = isinstance(source, IndicatorSource) and source.type in SURVEY_TYPES
    return typed or isinstance(node.survey, Survey)

"""FR06 (freshness): Release cadence declared and kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Option, Verdict, is_stated, met, not_applicable, not_met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import first_edition, labels, part, parts_verdict, years_text
from rankaudit.spec.models import year_of
from rankaudit.spec.yamlsafe import Path

CADENCE_YEARS = {"quarterly": 0.25, "semiannual": 0.5, "annual": 1, "biennial": 2, "triennial": 3}


def _months(date: str) -> tuple[int, bool]:
    """Months since year 0 of a partial date, and whether the month is known."""
    year = int(date[:4])
    if len(date) >= 7:
        return year * 12 + int(date[5:7]) - 1, True
    return year * 12, False


def _checked(dates: Sequence[bool]) -> int:
    """A declared cadence: 2 when both dates are known (the gap then decides), 1 when it cannot be checked."""
    return 2 if all(dates) else 1


@rule(
    "FR06",
    "Release cadence declared and kept",
    sources=(Cite("gpci-2015#updates", "(rankaudit's scoring)"),),
    reads=("ranking.frequency", "ranking.published", "ranking.previous_published", "ranking.previous_edition"),
    scoring="Not applicable to a one-off ranking. 2 = a regular cadence (quarterly to triennial) is declared and "
    "this edition appeared within one cadence (plus `grace-months`, {grace-months}) of the previous one, "
    "or this is a first edition (`previous_edition: not_applicable`); 1 = the cadence is irregular, or an "
    "edition was skipped (within two cadences), or the gap cannot be checked (no previous or current "
    "publication date); 0 = the cadence is undisclosed, or the gap exceeds two cadences (rankaudit's "
    "cut-offs). Dates known only to the year are compared by year. A date not found in the sources cited costs "
    "nothing: the declared cadence earns its 1 and the other point is not assessed.",
    options={"grace-months": Option(6, "months of delay tolerated beyond the declared cadence (rankaudit's cut-off)")},
)
def cadence_kept(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A reader who knows a ranking appears every year can tell whether an edition is current, and a promised
    cadence that slips means older data than the label suggests. The Global Power City Index, for instance, has
    been updated every year since 2008."""
    ranking = ctx.spec.ranking
    frequency = ranking.frequency
    where: Path = ("ranking", "frequency")
    if frequency == "one_off":
        return not_applicable("a one-off ranking has no release cadence", where)
    if not is_stated(frequency):
        said = absence_word(frequency, ctx.spec)
        return undisclosed(f"the release cadence is {said} (ranking.frequency)", where if frequency else ("ranking",))
    if frequency == "irregular":
        return partly("the ranking appears irregularly, with no declared cadence", where)
    assert isinstance(frequency, str)
    cadence = CADENCE_YEARS[frequency]
    published, previous = ranking.published, ranking.previous_published
    article = "an" if frequency == "annual" else "a"
    dates = [
        part(ctx, "this edition's publication date", ("ranking", "published"), published, is_stated(published)),
        part(ctx, "the previous edition's date", ("ranking", "previous_published"), previous,
             is_stated(previous) or bool(first_edition(ctx))),
    ]
    if not all(d.met for d in dates):
        # a declared cadence that cannot be checked earns 1; a date not found in the sources read costs nothing
        missing = [d for d in dates if d.missing]
        said = f"{article} {frequency} cadence is declared"
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            said += f", but {labels(missing)} {verb} not stated, so whether it is kept cannot be checked"
        where_date = (missing or [d for d in dates if d.unknown])[0].path
        return parts_verdict(dates, _checked, said, where_date, premise=True)
    if not is_stated(previous):
        return met(
            f"an {frequency} cadence is declared for this first edition"
            if frequency == "annual"
            else f"a {frequency} cadence is declared for this first edition",
            where,
        )
    assert isinstance(published, str) and isinstance(previous, str)
    now, now_month = _months(published)
    then, then_month = _months(previous)
    grace = options["grace-months"]
    if now_month and then_month:
        gap = now - then
        said = f"{gap} months"
    else:
        gap = (year_of(published) or 0) * 12 - (year_of(previous) or 0) * 12
        said = years_text(gap // 12)
    if gap == 0 and not (now_month and then_month):
        # one date known to the year only: the two editions share a year, which is no sign of a wrong date
        return partly(
            f"this edition ({published}) and the previous one ({previous}) fall in the same year; whether the "
            f"{frequency} cadence is kept cannot be checked without both months",
            ("ranking", "published") if not now_month else ("ranking", "previous_published"),
        )
    if gap <= 0:
        return partly(
            f"the previous edition ({previous}) is dated on or after this one ({published}); the cadence cannot be "
            "checked",
            ("ranking", "previous_published"),
        )
    head = f"{frequency} cadence declared; this edition appeared {said} after the previous one ({previous})"
    evidence = {"gap_months": gap, "cadence_years": cadence}
    path: Path = ("ranking", "previous_published")
    if gap <= 12 * cadence + grace:
        return met(head, path, **evidence)
    if gap <= 24 * cadence + grace:
        return partly(f"{head}: later than the cadence allows", path, **evidence)
    return not_met(f"{head}: far behind the declared cadence", path, **evidence)

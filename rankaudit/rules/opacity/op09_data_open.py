"""OP09 (opacity): Indicator-level data open."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, met, not_met, partly, resting_on, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import capped_verdict
from rankaudit.spec.yamlsafe import Path
from rankaudit.wording import ABSENCE_WORD


@rule(
    "OP09",
    "Indicator-level data open",
    sources=(
        Cite("cwts-10-principles-2017", "principle 7: look at 'the values of the underlying indicators'"),
        Cite("inorms-rating-the-rankers", ": 'data availability'"),
    ),
    reads=("access.data", "ranking.kind"),
    scoring="2 = indicator values are free to download (`open`); 1 = they are sold (`paid`) or only pillar scores "
    "are public (`scores`; for a ranking on one listed measure, or on measures ranked separately, the scores are "
    "the indicator values: 2; `scores_at_least`, scores published and indicator values not found in the sources "
    "cited: 1, the other point not assessed); 0 = nothing beyond ranks (`ranks_only`), or undisclosed.",
)
def data_open(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A rank alone says nothing about how far apart cities are or why; the values behind it do. The CWTS
    principles ask users to look at the underlying indicators, and the Leiden Ranking's open edition shows that
    a ranking can publish its data in full."""
    access = ctx.spec.access
    level = access.data if access else None
    where: Path = ("access", "data")
    if level in ("scores", "scores_at_least") and _scores_are_the_measures(ctx):
        return met("the measure's values are published: the ranking combines nothing, so its scores are the "
                   "indicator values", where)
    # only the verdict above rests on the ranking's kind: a reading of the kind is not what the others rest on
    return resting_on(_by_level(ctx, level, where), "access.data")


def _by_level(ctx: AuditContext, level: object, where: Path) -> Verdict:
    """The verdict on what the publisher releases, whatever the ranking's kind."""
    access = ctx.spec.access
    if level == "open":
        return met("indicator values are openly published", where)
    if level == "paid":
        return partly("indicator values are available only for a fee", where)
    if level == "scores":
        return partly("only pillar or sub-index scores are published, not indicator values", where)
    if level == "scores_at_least":
        # the scores are established; whether the indicator values behind them are published is not found in the
        # sources cited, which costs nothing: that point is not assessed
        return capped_verdict(1, 1, "scores are published; whether the indicator values are published is "
                              f"{ABSENCE_WORD['unknown']}, so 1 point of 2 is not assessed", where)
    if level == "ranks_only":
        return not_met("nothing beyond the ranks is published", where)
    state = absence_word(level, ctx.spec)
    return undisclosed(f"what data the publisher releases is {state} (access.data)", where if access else ("access",))


def _scores_are_the_measures(ctx: AuditContext) -> bool:
    """A ranking on one measure (the one indicator listed) or measures ranked separately combines nothing: the
    scores it publishes are the values of its indicators, not sub-index scores hiding them."""
    kind = ctx.spec.ranking.kind
    return kind == "separate_rankings" or (kind == "single_measure" and len(ctx.indicators) == 1)

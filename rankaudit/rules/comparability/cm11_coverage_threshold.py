"""CM11 (comparability): Minimum data coverage per city declared."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Option, Verdict, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import band, pct, verdict_for


@rule(
    "CM11",
    "Minimum data coverage per city declared",
    sources=(
        Cite("coinr#screen-units", url="https://github.com/bluefoxr/COINr/blob/master/R/screen_units.R"),
        Cite("composer", "screening documentation: the 'less than 66 %' rule of thumb"),
        "jrc-10-step-guide#data-selection",
    ),
    reads=("method.missing_data.min_coverage",),
    scoring="2 = the publisher requires each city to have data for at least {min-coverage-full:%} of indicators; 1 "
    "= a lower threshold of at least {min-coverage-partial:%} (rankaudit's cut-off); 0 = a threshold below "
    "that; 0 (undisclosed) = no threshold stated. Both thresholds are configurable.",
    options={
        "min-coverage-full": Option(0.66, "declared coverage threshold needed for 2 points"),
        "min-coverage-partial": Option(0.5, "declared coverage threshold needed for 1 point"),
    },
)
def coverage_threshold(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A city scored on a third of the indicators is ranked mostly on imputed values, and it is not
    comparable with a city measured on all of them. A published minimum share of data per city is the
    guard against this."""
    method = ctx.spec.method
    missing = method.missing_data if method else None
    if missing is None or isinstance(missing, str):  # a string here is `undisclosed` or `unknown`
        state = absence_word(missing, ctx.spec)
        return undisclosed(f"a minimum data coverage per city is {state}", ("method", "missing_data"))
    threshold = missing.min_coverage
    path = ("method", "missing_data", "min_coverage")
    if threshold is None:
        state = absence_word(threshold, ctx.spec)
        return undisclosed(f"a minimum data coverage per city is {state} (the missing-data policy is stated)", path)
    score = band(threshold, options["min-coverage-full"], options["min-coverage-partial"], higher_is_better=True)
    return verdict_for(
        score, f"a city needs data for at least {pct(threshold)} of indicators to be ranked", path, threshold=threshold
    )

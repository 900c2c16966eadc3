"""FR04 (freshness): Reference years aligned across cities."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    cap_for_gap,
    dated_indicators,
    few,
    field_path,
    listing_gap,
    no_dated,
    plural,
    span_text,
    years_text,
)


@rule(
    "FR04",
    "Reference years aligned across cities",
    sources=(
        Cite(
            "eis-technical-annex",
            ": each indicator uses one reference year, the one with data available for at least 75% of countries",
        ),
        "leff-petersen-2015#data",
    ),
    reads=("structure.children[].reference_year", "structure.reference_year",
           "structure.children[].reference_period"),
    scoring="For each listed indicator with a reference year, the spread between the oldest and newest year used "
    "across cities (`reference_year: [first, last]`; none for a period every city's figure covers, "
    "`reference_period: true`): 2 = every spread is at most {spread-for-2:years}; 1 "
    "= every spread is at most {spread-for-1:years}; 0 = some indicator spreads wider (rankaudit's "
    "cut-offs). Not assessable (see FR01, OP12) when no reference year or no indicator is stated. At most 1 "
    "when some indicators are not listed." + CAP_NOTE,
    options={
        "spread-for-2": Option(1, "largest spread in years, for every indicator, that scores 2 (rankaudit's cut-off)"),
        "spread-for-1": Option(3, "largest spread in years, for every indicator, that scores 1 (rankaudit's cut-off)"),
    },
)
def years_aligned(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """When one city's value is from this year and another's from five years ago, the indicator compares
    different moments, not different cities. The European Innovation Scoreboard fixes one reference year per
    indicator for this reason, and the Chicago Council names the lack of comparable data as a common flaw."""
    # an index-wide range of years says nothing about the spread across cities within one indicator
    dated = [(ref, years) for ref, years in dated_indicators(ctx) if ref.is_indicator]
    if not dated:
        return no_dated(ctx, "the spread of reference years")
    # a period every city's figure covers (net migration over five years) is one vintage for all cities
    spreads = sorted(((0 if getattr(ref.node, "reference_period", False) else ys.last - ys.first, ref, ys)
                      for ref, ys in dated), key=lambda t: -t[0])
    worst, worst_ref, _ = spreads[0]
    wide = [(s, r, ys) for s, r, ys in spreads if s > options["spread-for-2"]]
    evidence = {"max_spread": worst, "wide": [r.id for _, r, _ in wide], "dated": len(dated)}
    if not wide:
        if worst == 0:
            periods = any(getattr(r.node, "reference_period", False) for r, _ in dated)
            head = (f"each of the {plural(len(dated), 'dated indicator')} uses one reference year "
                    f"{'(or one period) ' if periods else ''}for every city")
        else:
            head = (
                f"cities' reference years are at most {years_text(worst)} apart within every dated indicator "
                f"({len(dated)})"
            )
        return cap_for_gap(met(head, ("structure",), **evidence), listing_gap(ctx))
    worst_named = few([f"{r.id} ({span_text(ys)})" for _, r, ys in wide])
    head = (
        f"{len(wide)} of {plural(len(dated), 'dated indicator')} mix cities' reference years more than "
        f"{years_text(options['spread-for-2'])} apart: {worst_named}"
    )
    where = field_path(worst_ref, "reference_year")
    if worst <= options["spread-for-1"]:
        return partly(head, where, **evidence)
    return not_met(head, where, **evidence)

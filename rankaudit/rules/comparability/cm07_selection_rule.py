"""CM07 (comparability): City selection rule published."""

from __future__ import annotations

import re
from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import quote

# A measurable threshold is a comparative phrase next to a number ("more than 1.5 million", "at least 50
# respondents", "the largest 1,000", "above 100,000"), or a number followed by one ("five or more mentions", "the
# 125 largest metro areas"). A digit and a comparative word anywhere in the text are not enough: "no threshold is
# stated; 60 cities" states none, "the top 100 cities" is a count that does not say top by what, and "over 625
# cities reported" counts the cities without setting a bar for them.
_NUMBER = (r"(?:\d[\d,.\u00a0\u202f']*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"fifteen|twenty|thirty|forty|fifty|hundred|thousand|million)")
_COMPARE = (r"(?:more than|at least|no fewer than|not less than|greater than|larger than|over|above|exceed(?:s|ing)?|"
            r"[>\u2265])")
_SIZE = r"(?:minimum|threshold|largest|biggest|most[ -]popul(?:ous|ated))"
# "over 625 cities reported" counts the cities, it sets no bar for them; "the largest 1,000 cities" does
# (the whole number: "over 1,000 cities" is not "over 1," before a count of "000 cities")
_COUNTED = (r"(?![\d,.\u00a0\u202f']*\d)(?!\s+(?:cities|city|metropolitan areas|metro areas|metros|urban areas"
            r"|municipalities|counties|countries|places|locations)\b)")
_AFTER = (r"(?:or more|and above|or above|or larger|or over|or higher|and higher|or greater|and over|largest|biggest|"
          r"most[ -]popul(?:ous|ated))")
_UNIT = r"(?:k|m|mn|bn)?\b"  # "1m", "500k"
_SPAN = r"\s*(?:years?|months?|decades?)\b"  # "over 2 years of study" is a duration, not a threshold
_GAP = r"(?:\W+[^\W\d]+){0,3}?\W*"  # up to three words between the comparative and the number
MEASURABLE = re.compile(
    rf"(?<![\w]){_COMPARE}{_GAP}{_NUMBER}{_UNIT}(?!{_SPAN}){_COUNTED}|(?<![\w]){_SIZE}{_GAP}{_NUMBER}{_UNIT}(?!{_SPAN})"
    rf"|(?<![\w]){_NUMBER}{_UNIT}{_GAP}{_AFTER}\b",
    re.IGNORECASE,
)
# Two more checkable rules: a whole set counted ("all 107 Italian provinces", "every one of the 81 cities": a census
# of a named set leaves nobody out at will), and a cut on a stated measure ("the top 50 cities by number of
# resident millionaires": unlike a bare "top 100", it says top by what).
CENSUS = re.compile(rf"(?<![\w])(?:all|every one of|each of)(?:\s+the)?\s+{_NUMBER}\b", re.IGNORECASE)
TOP_BY = re.compile(rf"(?<![\w])(?:top|first|leading)\s+{_NUMBER}\b[^.;:]{{0,60}}?\b(?:by|ranked on|measured by)\b"
                    rf"|(?<![\w]){_NUMBER}\b[^.;:]{{0,30}}?\bwith the (?:most|largest|highest|greatest)\b",
                    re.IGNORECASE)
NEGATED = re.compile(r"\b(?:no|not|without|nor)\s+(?:\w+\s+)?$", re.IGNORECASE)


def measurable_threshold(text: str) -> bool:
    """Whether the text states an entry threshold a reader can check (rankaudit's heuristic, see above)."""
    return any(not NEGATED.search(text[: m.start()])
               for pattern in (MEASURABLE, CENSUS, TOP_BY) for m in pattern.finditer(text))


@rule(
    "CM07",
    "City selection rule published",
    sources=("jrc-cccm#selection", Cite("berlin-principles-2006", "principle 3 (diversity of those ranked)")),
    reads=("cities.selection_rule",),
    scoring="2 = a selection rule is stated with a measurable threshold (a number next to 'more than', 'at least', "
    "'over', 'minimum', 'largest', or followed by 'or more', 'largest'..., as in 'urban areas of more than 1 "
    "million'; not negated, not a span of years), a whole set counted ('all 107 Italian provinces') or a cut on a "
    "named measure ('the top 50 cities by resident millionaires'); 1 = a rule in words, or a bare count of cities "
    "('30 capitals of finance', 'the top 100 cities'); 0 (undisclosed) = not stated. The "
    "threshold test is rankaudit's heuristic.",
)
def selection_rule(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Which cities enter the table shapes the table: leave out a region and its cities can never rank.
    A published, checkable entry rule (a population threshold, a list of urban areas) lets a reader see
    who could have been ranked and was not."""
    rule_text = ctx.spec.cities.selection_rule
    path = ("cities", "selection_rule")
    if not is_stated(rule_text):
        state = absence_word(rule_text, ctx.spec)
        return undisclosed(f"the rule for which cities were included is {state}", path)
    assert isinstance(rule_text, str)
    quoted = quote(rule_text)
    if measurable_threshold(rule_text):
        return met(f"cities are selected by a measurable rule: '{quoted}'", path)
    return partly(f"the selection rule states no measurable threshold: '{quoted}'", path)

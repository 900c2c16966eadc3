"""CM07 (comparability): City selection rule published."""

from __future__ import annotations

import re
from typing import Any

from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import quote

THRESHOLD_WORDS = re.compile(
    r"more than|at least|no fewer than|greater than|larger than|over\s|above|exceed|minimum|threshold|or more|"
    r"largest|biggest|top\s|[>\u2265]",
    re.IGNORECASE,
)


@rule(
    "CM07",
    "City selection rule published",
    sources=("jrc-cccm#selection", Cite("berlin-principles-2006", "principle 3 (diversity of those ranked)")),
    reads=("cities.selection_rule",),
    scoring="2 = a selection rule is stated with a measurable threshold (a number together with 'more than', "
    "'at least', 'over', 'largest', 'top', 'minimum'... as in 'urban areas of more than 1 million'); 1 = a "
    "rule in words, or a bare count of cities ('30 capitals of finance'); 0 (undisclosed) = not stated. The "
    "threshold test is rankaudit's heuristic.",
)
def selection_rule(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Which cities enter the table shapes the table: leave out a region and its cities can never rank.
    A published, checkable entry rule (a population threshold, a list of urban areas) lets a reader see
    who could have been ranked and was not."""
    rule_text = ctx.spec.cities.selection_rule
    path = ("cities", "selection_rule")
    if not is_stated(rule_text):
        return undisclosed("the spec gives no rule for which cities were included", path)
    assert isinstance(rule_text, str)
    quoted = quote(rule_text)
    if re.search(r"\d", rule_text) and THRESHOLD_WORDS.search(rule_text):
        return met(f"cities are selected by a measurable rule: '{quoted}'", path)
    return partly(f"the selection rule states no measurable threshold: '{quoted}'", path)

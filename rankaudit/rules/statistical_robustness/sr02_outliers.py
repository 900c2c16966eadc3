"""SR02 (statistical robustness): Outliers treated."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, indicator_path, plural, stats_of


@rule(
    "SR02",
    "Outliers treated",
    sources=(
        "coinr#stats",
        Cite("composer", "app_documentation/stats.qmd"),
        Cite("coinr", "R/treat.R (|skew| > 2 and kurtosis > 3.5, winsorise up to 5 points, else log)"),
    ),
    reads=("data.values", "method.outliers"),
    needs_data=True,
    scoring="2 = no indicator has |skew| > {skew} and kurtosis > {kurtosis}, or every one that does is treated "
    "by the declared "
    "method; 1 = a few untreated (at most {share-for-1:%} of the indicators); 0 = more.",
    options={
        "share-for-1": Option(0.10, "largest share of untreated outlier indicators that scores 1 (proposal)"),
        "skew": Option(2.0, "an indicator is an outlier case above this |skewness| (JRC, COINr) ..."),
        "kurtosis": Option(3.5, "... and above this (excess) kurtosis (JRC, COINr)"),
    },
)
def outliers(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A few extreme values stretch a min-max or z-score scale and compress everybody else.
    The JRC flags an indicator when its absolute skewness exceeds 2 and its kurtosis 3.5, and treats it by
    winsorisation or a log transform."""
    s = stats_of(ctx)
    test = f"|skew| > {options['skew']:g} and kurtosis > {options['kurtosis']:g}"
    flagged = [i for i in s.indicators if i.outlier]
    untreated = [i.id for i in flagged if not i.treatment]
    if not flagged:
        return met(f"no indicator has {test}", ("data", "values"))
    if not untreated:
        return met(f"all {plural(len(flagged), 'indicator')} with outliers are treated by the declared method",
                   ("method", "outliers"), treated=[i.id for i in flagged])
    msg = (f"{plural(len(untreated), 'indicator')} with {test} left untreated: "
           f"{few(untreated)}")
    if len(untreated) / max(1, s.n_indicators) <= options["share-for-1"]:
        return partly(msg, indicator_path(ctx, untreated[0]), untreated=untreated)
    return not_met(msg, indicator_path(ctx, untreated[0]), untreated=untreated)

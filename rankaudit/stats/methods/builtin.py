"""The fixed vocabularies: aggregations, imputations and outlier treatments (COINr names in brackets)."""

from __future__ import annotations

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import AggregationMethod, ImputationMethod, OutlierMethod, Param

# weighted means over the children present, weights re-normalised (COINr a_amean / a_gmean / a_hmean)
register(AggregationMethod("arithmetic", order=10))
register(AggregationMethod("geometric", order=20, needs_positive=True, forward="log"))
register(AggregationMethod("harmonic", order=30, needs_positive=True, forward="reciprocal"))

_GROUP = Param("group_column", str, None, "data column of the groups within which values are imputed")
register(ImputationMethod("none", order=10))
register(ImputationMethod("mean", order=20, statistic="mean"))
register(ImputationMethod("median", order=30, statistic="median"))
# COINr i_mean_grp / i_median_grp: a group with no available value falls back to the overall statistic
register(ImputationMethod("group_mean", (_GROUP,), order=40, statistic="mean", by_group=True))
register(ImputationMethod("group_median", (_GROUP,), order=50, statistic="median", by_group=True))

_WINMAX = Param("winmax", int, 5, "most points winsorised per indicator", minimum=0)
register(OutlierMethod("none", order=10))
# COINr Treat: winsorise up to winmax points while |skew| > 2 and kurtosis > 3.5, else log_CT
register(OutlierMethod("winsorise", (_WINMAX,), order=20))
register(OutlierMethod("log", order=30))

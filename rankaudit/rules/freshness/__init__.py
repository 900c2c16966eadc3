"""Data freshness (FR): how old are the data behind the ranks, and does the reader know?

One rule per module, named after its code `fr01_reference_years_disclosed.py`;
importing this package registers them all.
How lags are measured (reference years, projections, the index-wide stand-in) is shared
policy: see rankaudit/rules/policy.py.
"""

from rankaudit.rules.base import register_package

register_package(__name__, __path__)

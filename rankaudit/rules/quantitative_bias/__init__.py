"""Quantitative bias (QB): whose view does the ranking take, and what does its construction favour?

One rule per module, named after its code `qb01_perspective_claim.py`;
importing this package registers them all.
Share-based rules weigh indicators by their effective weight, fall back to counts (capped at 1)
when weights are not disclosed at every level, and follow `policy.share_of` for unknown and
unlisted indicators.
"""

from rankaudit.rules.base import register_package

register_package(__name__, __path__)

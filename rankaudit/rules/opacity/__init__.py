"""Opacity (OP): can a reader see how the ranking is made, by whom, and check it?

One rule per module, named after its code `op01_methodology_public.py`;
importing this package registers them all.
Per-indicator rules compute over the listed indicators and score at most 1 when some are not
listed (the policy is in rankaudit/rules/policy.py).
"""

from rankaudit.rules.base import register_package

register_package(__name__, __path__)

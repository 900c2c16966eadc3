"""Comparability (CM): are the cities, indicators and editions measured on the same footing?

One rule per module, named after its code `cm01_city_definition_standard.py`;
importing this package registers them all.
Rules that ask "what share of the index has property X" use `policy.share_of`, and its one
documented policy for facts the spec does not give.
"""

from rankaudit.rules.base import register_package

register_package(__name__, __path__)

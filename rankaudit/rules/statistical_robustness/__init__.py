"""Statistical robustness (SR): what the indicator data say about the index (the JRC statistical audit).

One rule per module, named after its code `sr01_data_availability.py`;
importing this package registers them all.
These rules only read the StatsResult computed by rankaudit.stats from the spec's `data` section
(no heavy import here); without data they are not applicable. Thresholds are the COINr / JRC-COIN
defaults where those exist (criteria catalogue, section 8.5); the others are rankaudit's proposals,
marked as such in the options and adjustable in configuration. Some thresholds are still applied
by rankaudit.stats (stats/coherence.py) and are not options yet.
"""

from rankaudit.rules.base import register_package

register_package(__name__, __path__)

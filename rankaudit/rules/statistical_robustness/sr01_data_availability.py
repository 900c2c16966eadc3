"""SR01 (statistical robustness): Data availability."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, indicator_path, plural, share_text, stats_of
from rankaudit.spec.yamlsafe import Path


def _first_path(ctx: AuditContext, ids: Sequence[str], default: Path = ("data",)) -> Path:
    return indicator_path(ctx, ids[0]) if ids else default


@rule(
    "SR01",
    "Data availability",
    core=True,
    sources=(
        "coinr#stats",
        Cite("composer", "app_documentation/stats.qmd (indicator availability < 0.65)"),
        Cite("coinr", "R/screen_units.R (units < 2/3)"),
    ),
    reads=("data.values",),
    needs_data=True,
    scoring="2 = no indicator below {indicator-availability:%} availability and no city below "
    "{city-availability:%} of its data; 1 = some, at most {share-for-1:%} of the indicators or of the cities; "
    "0 = more.",
    options={
        "share-for-1": Option(0.10, "largest share of flagged indicators or cities that scores 1 (proposal)"),
        "indicator-availability": Option(0.65, "an indicator with a smaller share of cities is flagged (COINr)"),
        "city-availability": Option(2 / 3, "a city with a smaller share of its data is flagged (JRC, COINr)"),
    },
)
def data_availability(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Indicators missing for many cities are carried by imputation or by re-weighting, not by data.
    COINr flags indicators with less than 65 % availability and the JRC rule of thumb drops cities with less than
    two thirds of their data."""
    s = stats_of(ctx)
    low_i = [i.id for i in s.indicators if i.low_availability]
    low_u = [u.id for u in s.units if u.low_availability]
    evidence = {"indicators": low_i, "cities": low_u}
    if not low_i and not low_u:
        return met(f"every indicator has at least {share_text(options['indicator-availability'])} of cities and "
                   f"every city at least {share_text(options['city-availability'])} of its data",
                   ("data", "values"))
    share = max(len(low_i) / max(1, s.n_indicators), len(low_u) / max(1, s.n_units))
    parts = []
    if low_i:
        cut = share_text(options["indicator-availability"])
        parts.append(f"{plural(len(low_i), 'indicator')} below {cut} availability ({few(low_i)})")
    if low_u:
        cut = share_text(options["city-availability"])
        parts.append(f"{plural(len(low_u), 'city', 'cities')} below {cut} of their data ({few(low_u)})")
    msg = "; ".join(parts)
    path = _first_path(ctx, low_i, ("data", "values"))
    if share <= options["share-for-1"]:
        return partly(msg, path, **evidence)
    return not_met(msg, path, **evidence)

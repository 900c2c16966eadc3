"""Min-max: ``(x - min) / (max - min) * (upper - lower) + lower`` (COINr ``n_minmax``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import NormalisationMethod, NormContext, Param, Problem

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class MinMax(NormalisationMethod):
    def problems(self, values: Mapping[str, Any]) -> list[Problem]:
        # compare the bounds in force: a lone `upper: -5` against the default lower 0 reverses every indicator
        lower, upper = values["lower"], values["upper"]
        if lower >= upper:
            return [Problem("upper", f"`lower` ({lower:g}) must be below `upper` ({upper:g}); "
                                     "the defaults are 0 and 100")]
        return []

    def label(self, values: Mapping[str, Any]) -> str:
        return f"minmax[{values['lower']:g},{values['upper']:g}]"

    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        import numpy as np

        lo = np.nanmin(xd, axis=0)
        hi = np.nanmax(xd, axis=0)
        rng = np.where(hi > lo, hi - lo, np.nan)
        result: np.ndarray = (xd - lo) / rng * (values["upper"] - values["lower"]) + values["lower"]
        return result


register(MinMax(
    "minmax",
    (Param("lower", float, 0.0, "minmax: lower end of the target range (default 0)."),
     Param("upper", float, 100.0, "minmax: upper end of the target range (default 100).")),
    order=10,
    # the lowest city scores `lower`
    nonpositive=lambda v: v["lower"] <= 0,
))

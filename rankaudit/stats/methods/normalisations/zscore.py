"""Z-score: ``(x - mean) / sd * sd_target + mean_target`` with the sample sd, as R (COINr ``n_zscore``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import NormalisationMethod, NormContext, Param

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class ZScore(NormalisationMethod):
    def label(self, values: Mapping[str, Any]) -> str:
        return f"zscore(mean={values['mean']:g},sd={values['sd']:g})"

    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        import numpy as np

        mu = np.nanmean(xd, axis=0)
        sd = np.nanstd(xd, axis=0, ddof=1)
        sd = np.where(sd > 0, sd, np.nan)
        result: np.ndarray = (xd - mu) / sd * values["sd"] + values["mean"]
        return result


register(ZScore(
    "zscore",
    (Param("mean", float, 0.0, "zscore: mean after scaling (default 0)."),
     Param("sd", float, 1.0, "zscore: standard deviation after scaling (default 1).", exclusive_minimum=0.0)),
    order=20,
    # a z-score stays positive only with a large shift; COINr's convention for geometric means is
    # mean 10, sd 2 (5 sd of head-room): 4 sd is the margin accepted here
    nonpositive=lambda v: v["mean"] - 4 * v["sd"] <= 0,
))

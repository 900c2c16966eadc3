"""Percentile rank ``(rank_min - 1) / (n - 1)`` in [0, 1] (COINr ``n_prank``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import NormalisationMethod, NormContext

if TYPE_CHECKING:
    import numpy as np


def min_rank(x: np.ndarray) -> np.ndarray:
    """Ascending 'min' ranks (1 = smallest) of each column, NaN kept."""
    import numpy as np

    out = np.full(x.shape, np.nan)
    for j in range(x.shape[1]):
        col = x[:, j]
        ok = ~np.isnan(col)
        srt = np.sort(col[ok])
        out[ok, j] = np.searchsorted(srt, col[ok], side="left") + 1
    return out


@dataclass(frozen=True)
class PercentileRank(NormalisationMethod):
    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        import numpy as np

        r = min_rank(xd)
        n = (~np.isnan(xd)).sum(axis=0)
        return (r - 1) / np.where(n > 1, n - 1, np.nan)


# the last city scores 0
register(PercentileRank("rank", order=30))

"""Shared formula of the distance normalisations: ``1 - (ref - x) / (ref - min)``, capped at 1 if asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def distance_score(xd: np.ndarray, ref: np.ndarray, cap: bool) -> np.ndarray:
    import numpy as np

    lo = np.nanmin(xd, axis=0)
    den = np.where(ref != lo, ref - lo, np.nan)
    y = 1 - (ref - xd) / den
    return np.where(y > 1, 1.0, y) if cap else y

"""No normalisation: the values are used as they are (after the direction flip)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import NormalisationMethod, NormContext

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Identity(NormalisationMethod):
    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        return xd


register(Identity("none", order=60))

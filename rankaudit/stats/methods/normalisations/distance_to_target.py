"""Distance to a per-indicator target: ``1 - (t - x) / (t - min)`` (COINr ``n_dist2targ``).

Targets are in raw units; they are flipped with the indicator's direction like the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import MethodError, NormalisationMethod, NormContext, Param
from rankaudit.stats.methods.normalisations._distance import distance_score

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class DistanceToTarget(NormalisationMethod):
    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        import numpy as np

        targets = values["targets"]
        if targets is None or len(targets) != xd.shape[1]:
            raise MethodError("distance-to-target normalisation needs one target per indicator")
        d = np.asarray(ctx.directions if ctx.directions is not None else (1,) * xd.shape[1], dtype=float)
        ref = np.array([np.nan if t is None else t for t in targets], dtype=float) * d
        return distance_score(xd, ref, bool(values["cap"]))


register(DistanceToTarget(
    "distance_to_target",
    # the targets are each indicator's `target` in a spec, not a parameter of the normalisation
    (Param("targets", tuple, None, "per-indicator targets, raw units", in_spec=False),
     Param("cap", bool, False, "score 1 for values beyond the target", in_spec=False)),
    order=50,
))

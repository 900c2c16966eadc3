"""Distance to a reference unit: ``1 - (x_ref - x) / (x_ref - min)`` (COINr ``n_dist2ref``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import MethodError, NormalisationMethod, NormContext, Param, Problem
from rankaudit.stats.methods.normalisations._distance import distance_score

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class DistanceToReference(NormalisationMethod):
    def problems(self, values: Mapping[str, Any]) -> list[Problem]:
        if not values["reference"]:
            return [Problem("reference", "distance-to-reference normalisation needs `reference`: the id of the "
                                         "reference city", missing=True)]
        return []

    def label(self, values: Mapping[str, Any]) -> str:
        return f"distance_to_reference({values['reference']})"

    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        ref_unit = values["reference"]
        if ctx.unit_ids is None or ref_unit not in ctx.unit_ids:
            raise MethodError(f"reference unit {ref_unit!r} is not in the data")
        return distance_score(xd, xd[ctx.unit_ids.index(ref_unit)], bool(values["cap"]))


register(DistanceToReference(
    "distance_to_reference",
    (Param("reference", str, None, "distance_to_reference: id of the reference city."),
     Param("cap", bool, False, "score 1 for values beyond the reference", in_spec=False)),
    order=40,
))

"""Small model/data builders shared by the stats tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rankaudit.stats.data import UnitData, from_arrays
from rankaudit.stats.model import AggregateNode, IndexModel, Normalisation, UncertaintyDesign


def two_level_model(pillars: dict[str, Sequence[str]], *, directions: dict[str, int] | None = None,
                    weights: dict[str, float] | None = None, pillar_weights: dict[str, float] | None = None,
                    method: str = "arithmetic", normalisation: Normalisation | None = None,
                    uncertainty: UncertaintyDesign | None = None, denominators: Sequence[str] = (),
                    **kw: object) -> IndexModel:
    """indicators -> pillars -> Index."""
    weights = weights or {}
    pillar_weights = pillar_weights or {}
    directions = directions or {}
    inds = tuple(i for kids in pillars.values() for i in kids)
    nodes = tuple(AggregateNode(p, tuple(kids), tuple(weights.get(i, 1.0) for i in kids), method)  # type: ignore[arg-type]
                  for p, kids in pillars.items())
    top = AggregateNode("Index", tuple(pillars), tuple(pillar_weights.get(p, 1.0) for p in pillars), method)  # type: ignore[arg-type]
    return IndexModel(
        indicators=inds, directions=tuple(directions.get(i, 1) for i in inds), hierarchy=(nodes, (top,)),
        normalisation=normalisation or Normalisation(), uncertainty=uncertainty or UncertaintyDesign(),
        denominators=tuple(denominators), **kw,  # type: ignore[arg-type]
    )


def data_for(model: IndexModel, values: np.ndarray, ids: Sequence[str] | None = None,
             numeric: dict[str, np.ndarray] | None = None, text: dict[str, Sequence[str]] | None = None
             ) -> UnitData:
    ids = ids or [f"c{i:03d}" for i in range(values.shape[0])]
    return from_arrays(ids, values, model.indicators, numeric=numeric, text=text)  # type: ignore[arg-type]

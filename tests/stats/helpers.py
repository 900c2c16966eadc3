"""Small model/data builders shared by the stats tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from rankaudit.stats.data import DataError, UnitData
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


def from_arrays(ids: Sequence[str], values: np.ndarray | Sequence[Sequence[float]], indicators: Sequence[str],
                names: Sequence[str | None] | None = None, numeric: dict[str, Iterable[float]] | None = None,
                text: dict[str, Iterable[str]] | None = None) -> UnitData:
    """UnitData from in-memory arrays (tests and benchmarks; the package reads CSV files only)."""
    arr = np.asarray(values, dtype=float)
    if arr.shape != (len(ids), len(indicators)):
        raise DataError(f"values have shape {arr.shape}, expected {(len(ids), len(indicators))}")
    if len(set(ids)) != len(ids):
        raise DataError("duplicate unit ids")
    return UnitData(
        ids=tuple(ids), values=arr, indicators=tuple(indicators),
        names=tuple(names) if names is not None else None,
        numeric={k: np.asarray(list(v), dtype=float) for k, v in (numeric or {}).items()},
        text={k: tuple(str(x) for x in v) for k, v in (text or {}).items()},
    )


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami test function on [-pi, pi]^3 (rows of x)."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_analytic(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytical first-order and total-effect indices of the Ishigami function."""
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v

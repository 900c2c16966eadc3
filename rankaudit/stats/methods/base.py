"""The method vocabulary: one object per normalisation, aggregation, imputation and outlier treatment
(and the denomination and score-formula objects of ``denomination`` and ``formula``).

Each method object holds, once for every layer that uses it (the spec model, the semantic checks,
the spec-to-engine translation and the engine):

* its ``name``: the same word in a spec and in the engine;
* its ``params``: name, type, default and per-value constraint (every number must be finite);
* ``problems(values)``: the checks that involve several parameters or a required one;
* ``can_yield_nonpositive(values)``: whether its output may be <= 0 (geometric/harmonic means, RA108);
* its computation (``compute``), which imports numpy only when called, so that ``validate`` and
  the spec model never load numpy.

This module is pure standard library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import numpy as np


class MethodError(ValueError):
    """A method name or parameter that cannot be used (raised before any computation)."""


ParamValue = float | int | str | bool | tuple[float | None, ...] | None


@dataclass(frozen=True)
class Param:
    """One parameter of a method.

    ``kind`` is ``float``, ``int``, ``str`` or ``bool``; ``minimum``/``exclusive_minimum`` bound a
    number; ``in_spec`` is False for values the translation fills from elsewhere in the spec (a
    distance-to-target normalisation's per-indicator targets come from each indicator's `target`).
    """

    name: str
    kind: type
    default: ParamValue = None
    doc: str = ""
    exclusive_minimum: float | None = None
    minimum: float | None = None
    in_spec: bool = True

    def problem(self, value: object) -> str | None:
        """Why ``value`` is not acceptable for this parameter, or None."""
        if value is None:
            return None
        if self.kind in (float, int):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"`{self.name}` must be a number, not {value!r}"
            if not math.isfinite(value):
                return f"`{self.name}` must be a finite number, not {value!r}"
            if self.kind is int and value != int(value):
                return f"`{self.name}` must be a whole number, not {value!r}"
            if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
                return f"`{self.name}` must be above {self.exclusive_minimum:g}, not {value:g}"
            if self.minimum is not None and value < self.minimum:
                return f"`{self.name}` must be at least {self.minimum:g}, not {value:g}"
            return None
        if self.kind is tuple:
            if not isinstance(value, tuple):
                return f"`{self.name}` must be a sequence"
            bad = [v for v in value if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)
                                                           or not math.isfinite(v))]
            return f"`{self.name}` must hold finite numbers, not {bad[0]!r}" if bad else None
        if not isinstance(value, self.kind):
            return f"`{self.name}` must be a {self.kind.__name__}, not {value!r}"
        return None


@dataclass(frozen=True)
class Problem:
    """A parameter problem. ``missing`` marks a required parameter that is absent: the spec schema
    allows it (a spec may describe a method without every detail) but no index can be computed."""

    param: str
    message: str
    missing: bool = False


@dataclass(frozen=True)
class Method:
    """Base of every method object; subclasses set ``category`` and override what they need."""

    name: str
    params: tuple[Param, ...] = ()
    doc: str = ""
    order: int = 100
    """Position in listings (spec schema enums, messages); built-ins are 10-60, new methods follow."""
    category: ClassVar[str] = ""

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise MethodError(f"{self.category} {self.name!r} has no parameter {name!r}")

    def bind(self, args: Iterable[ParamValue] = (), kwargs: Mapping[str, ParamValue] | None = None
             ) -> tuple[tuple[str, ParamValue], ...]:
        """Parameter values in declaration order, defaults filled; raises MethodError on a bad value."""
        values: dict[str, ParamValue] = {p.name: p.default for p in self.params}
        args = tuple(args)
        if len(args) > len(self.params):
            raise MethodError(f"{self.category} {self.name!r} takes {len(self.params)} parameters")
        for p, v in zip(self.params, args, strict=False):
            values[p.name] = v
        for k, v in (kwargs or {}).items():
            self.param(k)
            values[k] = v
        for p in self.params:
            v = values[p.name]
            if p.kind is float and isinstance(v, int) and not isinstance(v, bool):
                values[p.name] = float(v)
            elif p.kind is tuple and v is not None and not isinstance(v, tuple):
                values[p.name] = tuple(v)  # type: ignore[arg-type]  # any iterable of numbers; p.problem checks it below
            msg = p.problem(values[p.name])
            if msg:
                raise MethodError(f"{self.category} {self.name!r}: {msg}")
        return tuple((p.name, values[p.name]) for p in self.params)

    def problems(self, values: Mapping[str, Any]) -> list[Problem]:
        """Checks across parameters and of required ones (values: every declared parameter)."""
        return []

    def label(self, values: Mapping[str, Any]) -> str:
        return self.name


# ------------------------------------------------------------------------------------------------
# normalisations
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NormContext:
    """What a normalisation may need besides the column values: unit ids and indicator directions."""

    unit_ids: tuple[str, ...] | None = None
    directions: tuple[int, ...] | None = None


@dataclass(frozen=True)
class NormalisationMethod(Method):
    """A column-wise normalisation, applied after multiplying each indicator by its direction.

    ``compute(xd, values, ctx)`` receives a units x indicators float array (NaN = missing) and returns
    an array of the same shape; a constant column gives NaN (it carries no information and is skipped
    by available-case aggregation, as in COINr).
    """

    category: ClassVar[str] = "normalisation"
    nonpositive: Callable[[Mapping[str, Any]], bool] = field(default=lambda values: True)

    def can_yield_nonpositive(self, values: Mapping[str, Any]) -> bool:
        return self.nonpositive(values)

    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        raise NotImplementedError(self.name)


# ------------------------------------------------------------------------------------------------
# aggregations, imputations, outlier treatments
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AggregationMethod(Method):
    """A weighted mean ``finv(sum w f(v) / sum w)``. ``needs_positive``: f is only defined for v > 0."""

    category: ClassVar[str] = "aggregation"
    needs_positive: bool = False
    forward: str = "identity"  # identity | log | reciprocal: what numpy applies before the weighted sum


@dataclass(frozen=True)
class ImputationMethod(Method):
    """Missing-value imputation by a column statistic, optionally within groups of units."""

    category: ClassVar[str] = "imputation"
    statistic: str | None = None  # "mean" | "median" | None (no imputation)
    by_group: bool = False


@dataclass(frozen=True)
class OutlierMethod(Method):
    """Outlier treatment of flagged indicators (COINr ``Treat``)."""

    category: ClassVar[str] = "outliers"

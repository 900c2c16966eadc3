"""A published linear formula: ``clip(intercept + sum c_i x_i, floor, ceiling)`` on raw components.

Some rankings publish their score as one formula (``max(0, 100 + a/2.5 - b - c/10 + d/2)``): a
constant, a signed coefficient per component, no normalisation, and sometimes a floor or a ceiling.
Written as positive weights with ``direction: lower`` and a mean, such a formula reproduces the
ranks but not the scores. The engine builds it from the same parts it already has: every term is an
indicator with direction ``sign(c_i)``, weight ``|c_i|`` and no normalisation, combined by an
arithmetic mean at the index; this method turns that mean back into the formula's score:

    score = clip(intercept + (sum_i |c_i|) * mean, floor, ceiling)

which is exactly ``clip(intercept + sum_i c_i x_i, floor, ceiling)`` when every component is
available. With a component missing, the available-case mean rescales the present terms (the
formula itself does not say what a missing term is worth); the statistical audit warns about it.

The method object holds the parameters and their checks (pure standard library, like the rest of
the vocabulary); ``compute`` imports numpy only when called.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import Method, Param, Problem

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class FormulaMethod(Method):
    """A score computed from the index's weighted mean of signed components (see the module docstring)."""

    category: ClassVar[str] = "formula"

    def problems(self, values: Mapping[str, Any]) -> list[Problem]:
        floor, ceiling = values.get("floor"), values.get("ceiling")
        if floor is not None and ceiling is not None and floor > ceiling:
            return [Problem("ceiling", f"the formula's floor ({floor:g}) is above its ceiling ({ceiling:g})")]
        return []

    def compute(self, mean: np.ndarray, weight_sum: np.ndarray, values: Mapping[str, Any]) -> np.ndarray:
        """The formula's score from the weighted mean (R x U) and the sum of |coefficients| (R x 1)."""
        import numpy as np

        score = values["intercept"] + weight_sum * mean
        lower = -np.inf if values["floor"] is None else values["floor"]
        upper = np.inf if values["ceiling"] is None else values["ceiling"]
        with np.errstate(invalid="ignore"):
            result: np.ndarray = np.clip(score, lower, upper)
            return result

    def label(self, values: Mapping[str, Any]) -> str:
        parts = [f"intercept {values['intercept']:g}"]
        if values["floor"] is not None:
            parts.append(f"floor {values['floor']:g}")
        if values["ceiling"] is not None:
            parts.append(f"ceiling {values['ceiling']:g}")
        return f"linear formula ({', '.join(parts)})"


register(FormulaMethod(
    "linear",
    (
        Param("intercept", float, 0.0, "the formula's constant term"),
        Param("floor", float, None, "lowest score the formula gives (max(floor, ...))"),
        Param("ceiling", float, None, "highest score the formula gives (min(ceiling, ...))"),
    ),
    doc="clip(intercept + sum of signed coefficient x raw component, floor, ceiling)",
    order=10,
))

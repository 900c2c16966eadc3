"""Denomination: an indicator divided by a size column before any other step (COINr ``Denominate``).

Extensive quantities (flights, trade, border crossings) grow with the size of a unit; dividing by
a denominator (population, GDP, area, energy use) turns them into intensive ones (flights per
person). COINr does this as the first build step, on the raw data, before imputation, treatment
and normalisation, and so does the engine when a spec's indicator names a ``denominator``.

What COINr 1.1.14 does (bluefoxr/COINr, ``R/denominate.R`` at commit 035364d; line numbers as
counted in that file):

* ``Denominate.coin`` (l. 68-109) takes ``denomby`` from iMeta's ``iCode`` and ``Denominator``
  columns, keeping the rows whose Denominator is not NA (l. 85-91): an indicator without a
  denominator is left as it is.
* ``Denominate.data.frame`` (l. 166-251) gives every row a ``ScaleFactor`` of 1 when ``denomby``
  has none (l. 186-190), matches the denominator rows to the data rows by unit code (l. 231) and
  computes, per indicator (l. 233-241)::

      dcol <- denoms_matched[[denom_code]] / ScaleFactor
      f_denom(xcol, dcol)            # f_denom defaults to `/` (l. 223-225)

  i.e. ``x / (d / scale)``, written in that order here so that the floating-point result is the
  same. R's arithmetic makes the result NA where ``x`` or ``d`` is NA (the imputation step that
  follows fills it or leaves it to available-case aggregation, as for any missing value).

One difference, deliberate: COINr divides by zero or by a negative size without complaint (an
``Inf`` or a sign flip that silently reverses the indicator); rankaudit refuses a denominator value
that is not above zero, located at its CSV cell (``rankaudit.stats.csvfile.read_values``,
``positive_columns``), because no size variable is zero or negative.

Pure standard library, like the rest of the vocabulary: ``compute`` imports numpy only when called.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rankaudit.stats.methods import register
from rankaudit.stats.methods.base import Method, MethodError, Param

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class DenominationMethod(Method):
    """An indicator column combined with its denominator column, unit by unit."""

    category: ClassVar[str] = "denomination"

    def compute(self, x: np.ndarray, d: np.ndarray, values: Mapping[str, Any]) -> np.ndarray:
        """``x / (d / scale)`` element-wise (NaN where either is missing), COINr's order of operations."""
        import numpy as np

        with np.errstate(invalid="ignore", divide="ignore"):
            result: np.ndarray = x / (d / values["scale"])
        return result

    def label(self, values: Mapping[str, Any]) -> str:
        return self.name if values["scale"] == 1 else f"{self.name} (scale {values['scale']:g})"


DIVIDE = register(DenominationMethod(
    "divide",
    (Param("scale", float, 1.0, "the quotient is multiplied by this (COINr's ScaleFactor): x / (denominator / scale); "
                                "e.g. 1000 for values per 1,000 people when the denominator counts people.",
           exclusive_minimum=0.0),),
    doc="indicator / (denominator / scale), COINr Denominate with its default f_denom",
    order=10,
))


@dataclass(frozen=True)
class Denomination:
    """One indicator's denomination as the engine applies it: the data column divided by, and the scale.

    ``Denomination("Population")`` or ``Denomination("Population", scale=1000)``; the scale is checked
    by the method's own parameter declaration (finite, above zero), so an invalid one cannot be built.
    """

    column: str
    scale: float = 1.0
    method: str = "divide"

    def __post_init__(self) -> None:
        if not isinstance(self.column, str) or not self.column:
            raise MethodError("a denomination needs the name of its denominator column")
        from rankaudit.stats import methods

        bound = dict(methods.denomination_method(self.method).bind(kwargs={"scale": self.scale}))
        object.__setattr__(self, "scale", bound["scale"])

    @property
    def kind(self) -> DenominationMethod:
        from rankaudit.stats import methods

        return methods.denomination_method(self.method)

    def compute(self, x: np.ndarray, d: np.ndarray) -> np.ndarray:
        return self.kind.compute(x, d, {"scale": self.scale})

    def label(self) -> str:
        return f"{self.kind.label({'scale': self.scale})} by {self.column}"

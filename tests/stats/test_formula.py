"""The linear score formula (rankaudit/stats/methods/formula.py): known answers computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from rankaudit.stats import methods
from rankaudit.stats.model import AggregateNode, IndexModel, ModelError, Normalisation, ScoreFormula
from rankaudit.stats.pipeline import build_index

from .helpers import data_for


def _formula_model(coefficients: dict[str, float], **formula: float | None) -> IndexModel:
    ids = tuple(coefficients)
    return IndexModel(
        indicators=ids, directions=tuple(-1 if c < 0 else 1 for c in coefficients.values()),
        hierarchy=((AggregateNode("Index", ids, tuple(abs(c) for c in coefficients.values())),),),
        normalisation=Normalisation("none"), formula=ScoreFormula("linear", **formula),
    )


def test_linear_formula_known_answer() -> None:
    # score = max(0, 100 + a/2.5 - b - c/10): by hand for three cities
    values = np.array([[50.0, 30.0, 200.0], [10.0, 120.0, 300.0], [80.0, 5.0, 100.0]])
    model = _formula_model({"a": 0.4, "b": -1.0, "c": -0.1}, intercept=100, floor=0)
    build = build_index(model, data_for(model, values))
    # 100 + 20 - 30 - 20 = 70; 100 + 4 - 120 - 30 = -46 -> floor 0; 100 + 32 - 5 - 10 = 117
    np.testing.assert_allclose(build.index, [70.0, 0.0, 117.0])
    assert build.ranks.tolist() == [2.0, 3.0, 1.0]


def test_ceiling_and_no_bounds() -> None:
    values = np.array([[10.0, 1.0], [20.0, 2.0]])
    capped_model = _formula_model({"a": 2.0, "b": 1.0}, intercept=5, ceiling=40)
    capped = build_index(capped_model, data_for(capped_model, values))
    np.testing.assert_allclose(capped.index, [26.0, 40.0])  # 5 + 20 + 1; 5 + 40 + 2 = 47 -> 40
    free_model = _formula_model({"a": -2.0, "b": 1.0})
    free = build_index(free_model, data_for(free_model, values))
    np.testing.assert_allclose(free.index, [-19.0, -38.0])


def test_formula_parameters_are_checked() -> None:
    with pytest.raises(ModelError, match="floor"):
        ScoreFormula("linear", floor=10, ceiling=5)
    with pytest.raises(ModelError, match="finite"):
        ScoreFormula("linear", intercept=float("inf"))
    assert methods.score_formula("linear").label({"intercept": 100.0, "floor": 0.0, "ceiling": None}) == (
        "linear formula (intercept 100, floor 0)"
    )


def test_formula_needs_a_flat_index() -> None:
    model = _formula_model({"a": 1.0, "b": 1.0}, intercept=0)
    nested = IndexModel(
        indicators=("a", "b"), directions=(1, 1),
        hierarchy=((AggregateNode("p", ("a", "b"), (1.0, 1.0)),), (AggregateNode("Index", ("p",), (1.0,)),)),
        normalisation=Normalisation("none"), formula=model.formula,
    )
    with pytest.raises(ModelError, match="flat"):
        nested.validate()

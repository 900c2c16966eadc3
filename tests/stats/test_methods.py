"""The method vocabulary: one object per method, shared by the spec, the checks and the engine."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import load_spec
from rankaudit.spec.models import Normalisation as SpecNormalisation
from rankaudit.stats import methods
from rankaudit.stats.methods import MethodError, NormalisationMethod, NormContext, Param, Problem
from rankaudit.stats.model import ModelError, Normalisation
from rankaudit.stats.pipeline import build_index
from tests.test_loader import yaml_backend  # noqa: F401  (every test of this module under both YAML back ends)

from .helpers import data_for, two_level_model


@dataclass(frozen=True)
class RatioToReference(NormalisationMethod):
    """``100 * x / x_ref``: the one class a contributor writes (in its own file under normalisations/)."""

    def problems(self, values: Mapping[str, Any]) -> list[Problem]:
        if not values["reference"]:
            return [Problem("reference", "ratio-to-reference normalisation needs `reference`", missing=True)]
        return []

    def compute(self, xd: np.ndarray, values: Mapping[str, Any], ctx: NormContext) -> np.ndarray:
        assert ctx.unit_ids is not None
        ref = xd[ctx.unit_ids.index(values["reference"])]
        return 100 * xd / np.where(ref != 0, ref, np.nan)


@pytest.fixture
def ratio() -> Iterator[RatioToReference]:
    method = methods.register(RatioToReference(
        "ratio_to_reference", (Param("reference", str, None, "id of the reference city"),),
        nonpositive=lambda v: True,  # a zero or negative raw value stays zero or negative
    ))
    yield method
    methods.unregister("normalisation", "ratio_to_reference")


def test_a_normalisation_added_in_one_object_builds_an_index(ratio: RatioToReference) -> None:
    assert "ratio_to_reference" in methods.names("normalisation")
    m = two_level_model({"P": ["a", "b"], "Q": ["c"]},
                        normalisation=Normalisation("ratio_to_reference", reference="c002"))
    x = np.array([[1.0, 10.0, 4.0], [2.0, 20.0, 2.0], [4.0, 5.0, 8.0]])
    build = build_index(m, data_for(m, x))
    # reference c002 = row 2: a/4, b/5, c/8, each * 100
    ratios = 100 * x / x[2]
    p = ratios[:, :2].mean(axis=1)
    expected = (p + ratios[:, 2]) / 2
    np.testing.assert_allclose(build.index, expected, rtol=1e-12)
    np.testing.assert_allclose(build.index[2], 100.0)
    assert list(build.ranks) == [3.0, 1.0, 2.0]
    assert Normalisation("ratio_to_reference", reference="c002").can_yield_nonpositive()
    # a missing required parameter is refused before any computation
    with pytest.raises(ModelError, match="needs `reference`"):
        Normalisation("ratio_to_reference")


def test_names_are_the_same_in_spec_and_engine() -> None:
    spec_names = set(SpecNormalisation.model_fields["method"].annotation.__args__)  # type: ignore[union-attr]
    assert spec_names - {"other"} == set(methods.names("normalisation"))
    assert "distance_to_reference" in spec_names and "dist2ref" not in spec_names
    norm = Normalisation("distance_to_reference", reference="x")
    assert norm.label() == "distance_to_reference(x)"
    with pytest.raises(ModelError, match="unknown normalisation 'dist2ref'"):
        Normalisation("dist2ref")


@pytest.mark.parametrize(("args", "kwargs", "words"), [
    (("minmax", 0, float("inf")), {}, "`upper` must be a finite number"),
    (("minmax", float("nan")), {}, "`lower` must be a finite number"),
    (("minmax", 5, 1), {}, "`lower` (5) must be below `upper` (1)"),
    (("zscore",), {"sd": 0}, "`sd` must be above 0"),
    (("zscore",), {"mean": "ten"}, "`mean` must be a number"),
    (("minmax",), {"scale": 2}, "has no parameter 'scale'"),
])
def test_engine_parameters_are_checked_by_the_method(args: tuple[Any, ...], kwargs: dict[str, Any],
                                                     words: str) -> None:
    with pytest.raises(ModelError) as caught:
        Normalisation(*args, **kwargs)
    assert words in str(caught.value)
    assert isinstance(caught.value, MethodError)


SPEC = """spec_version: 1
ranking: {name: X, edition: 2024}
publisher: {name: P}
cities: {count: 3}
method:
  normalisation:
    method: minmax
    upper: .inf
structure:
  children:
    - {id: x, name: X}
"""


@pytest.mark.parametrize(("line", "words"), [
    ("    upper: .inf", "finite number"),
    ("    upper: .nan", "finite number"),
    ("    lower: 200", "must be below"),
])
def test_spec_parameters_are_located_errors(tmp_path: Any, line: str, words: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("    upper: .inf", line), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    [d] = caught.value.diagnostics
    assert words in d.message
    if "finite" in words:
        assert (d.line, d.column) == (8, 12), d  # the parameter's own line, not the section's
    else:
        assert d.line == 7  # a rule across two parameters points at the normalisation's mapping


def test_zero_in_geometric_mean_comes_from_the_method_objects() -> None:
    assert methods.normalisation("minmax").can_yield_nonpositive({"lower": 0.0, "upper": 100.0})
    assert not methods.normalisation("minmax").can_yield_nonpositive({"lower": 1.0, "upper": 100.0})
    assert not methods.normalisation("zscore").can_yield_nonpositive({"mean": 10.0, "sd": 2.0})
    assert methods.aggregation("geometric").needs_positive
    assert not methods.aggregation("arithmetic").needs_positive
    norm = SpecNormalisation(method="zscore", mean=10, sd=2)
    assert not norm.can_yield_zero_or_negative()
    assert norm.values() == {"mean": 10.0, "sd": 2.0}


def test_validate_needs_no_numpy() -> None:
    import subprocess
    import sys

    code = ("import sys; import rankaudit.spec.models, rankaudit.spec.semantic, rankaudit.stats.methods as m; "
            "m.names('normalisation'); print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

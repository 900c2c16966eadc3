"""Counts given only as a lower bound ("over 15,000 respondents"): a typed form, validated, and worded as the
publisher words it wherever a rule prints the count."""

from __future__ import annotations

from pathlib import Path

import pytest

from rankaudit.diagnostics import SpecError
from rankaudit.rules.policy import weights_set_by_text
from rankaudit.spec.load import load_spec
from rankaudit.spec.models import LowerBound, WeightsSetBy, count_text
from tests.diagnostics.triggers import HEAD


def test_a_lower_bound_is_worded_as_the_publisher_words_it() -> None:
    assert count_text(LowerBound(over=15000)) == "over 15,000"
    assert count_text(LowerBound(at_least=300)) == "at least 300"
    assert count_text(2000) == "2,000"
    assert LowerBound(over=15000).minimum == 15001 and LowerBound(at_least=300).minimum == 300


def test_a_weighting_survey_of_over_n_people() -> None:
    setter = WeightsSetBy(method="public_survey", size=LowerBound(over=2000))
    assert weights_set_by_text(setter) == "a public survey of over 2,000 people"


SURVEY = """structure:
  children:
    - id: safety
      name: Perceived safety
      survey: {{fieldwork: 2024-02, sample_size: {size}}}
"""


def _load(size: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    head = HEAD.split("structure:")[0]
    path = tmp_path / "spec.yaml"
    path.write_text(head + SURVEY.format(size=size), encoding="utf-8")
    return load_spec(str(path))


def test_a_lower_bound_loads(tmp_path: Path) -> None:
    survey = _load("{over: 15000}", tmp_path).spec.structure.children[0].survey
    assert survey.sample_size == LowerBound(over=15000)


@pytest.mark.parametrize(
    "size",
    ["{over: 0}", "{over: -5}", "{over: '15000'}", "{over: true}", "{over: 1.5}", "{over: 10, at_least: 12}", "{}",
     "{about: 15000}"],
)
def test_a_malformed_lower_bound_is_a_located_error(size: str, tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        _load(size, tmp_path)
    # located at the survey in the file, not a traceback
    assert [d.line for d in raised.value.diagnostics] == [14], str(raised.value)

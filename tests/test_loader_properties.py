"""Property tests: whatever the input, only the tool's own error type escapes, in bounded time."""

from __future__ import annotations

import datetime
import os
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from rankaudit.diagnostics import SpecError
from rankaudit.spec import models
from rankaudit.spec.load import load_spec
from rankaudit.spec.yamlsafe import BACKEND_ENV, load_yaml
from tests.test_loader import BACKENDS, yaml_backend  # noqa: F401  (runs every test under both back ends)

# Keys the spec format knows, so that generated trees often reach deep into the models.
KNOWN_KEYS = sorted(
    {
        name
        for model in vars(models).values()
        if isinstance(model, type) and issubclass(model, BaseModel)
        for name in model.model_fields
    }
    | {"list"}
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["undisclosed", "not_applicable", "minmax", "geometric", "higher", "2024", "../x.csv"]),
    st.dates(min_value=datetime.date(1700, 1, 1), max_value=datetime.date(2300, 1, 1)),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=12))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=40,
)
documents = st.dictionaries(keys, trees, min_size=1, max_size=8)

# hypothesis' deadline is the time bound: every input must be answered within it
BOUNDED = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _load(raw: bytes, tmp_path) -> None:
    try:
        load_spec(str(tmp_path / "spec.yaml"), raw, spec_dir=tmp_path)
    except SpecError as exc:
        assert exc.diagnostics, "a SpecError always carries at least one diagnostic"
        for diagnostic in exc.diagnostics:
            assert diagnostic.code.startswith("RA") and diagnostic.message
            # messages speak the spec's language: no validator phrasing, class names or Python reprs
            # (what the spec itself wrote is quoted in messages: a key named 'Data:' is the user's word)
            assert not PYTHON_SPEAK.search(QUOTED.sub("''", diagnostic.message)), diagnostic.message


MODEL_NAMES = sorted(
    name for name, model in vars(models).items() if isinstance(model, type) and issubclass(model, BaseModel)
)
QUOTED = re.compile(r"'[^']*'")
PYTHON_SPEAK = re.compile(
    r"instance of|datetime\.|Input should|Value error|pydantic|<class|\b(?:" + "|".join(MODEL_NAMES) + r")\b(?!')"
)


@BOUNDED
@given(raw=st.binary(max_size=2000))
def test_arbitrary_bytes(raw: bytes, tmp_path_factory) -> None:
    _load(raw, tmp_path_factory.mktemp("bytes"))


@BOUNDED
@given(text=st.text(alphabet=st.sampled_from(list("ab: -[]{},&*!|>'\"#\n\t%@`?~0123456789.")), max_size=300))
def test_yaml_like_text(text: str, tmp_path_factory) -> None:
    _load(text.encode("utf-8"), tmp_path_factory.mktemp("text"))


@BOUNDED
@given(document=documents)
def test_arbitrary_yaml_trees(document: dict, tmp_path_factory) -> None:
    raw = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    _load(raw, tmp_path_factory.mktemp("tree"))


@BOUNDED
@given(
    document=st.fixed_dictionaries(
        {
            "spec_version": st.just(1),
            "ranking": st.fixed_dictionaries({"name": st.text(max_size=10), "edition": trees}),
            "publisher": st.fixed_dictionaries({"name": trees}),
            "cities": st.fixed_dictionaries({"count": trees}),
            "structure": st.fixed_dictionaries({"children": trees}),
        },
        optional={"method": trees, "data": trees, "history": trees, "sources": trees, "uncertainty": trees},
    )
)
def test_near_valid_specs(document: dict, tmp_path_factory) -> None:
    raw = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    _load(raw, tmp_path_factory.mktemp("near"))


def _outcome(raw: bytes, backend: str) -> object:
    os.environ[BACKEND_ENV] = backend
    try:
        loaded = load_yaml(raw, "f.yaml", require_mapping=False)
    except SpecError as exc:
        return exc.diagnostics
    return repr(loaded.data), loaded.positions.values, loaded.positions.keys


# characters where libyaml and PyYAML are known to differ (tabs, odd line breaks, BOMs) included
YAML_ALPHABET = [*"ab: -[]{},&*!|>'\"#\n%@`?~09.\\x+\r\t\x85\u2028\ufeff\u00e9", "a: ", "\n  ", "- "]


@BOUNDED
@given(pieces=st.lists(st.sampled_from(YAML_ALPHABET), max_size=60))
def test_both_back_ends_agree(pieces: list[str], yaml_backend: str) -> None:  # noqa: F811
    """Same diagnostics (code, line, column, message) or the same data and positions, whatever the text."""
    if "c" not in BACKENDS:
        pytest.skip("libyaml is not installed")
    raw = "".join(pieces).encode("utf-8")
    try:
        assert _outcome(raw, "pure") == _outcome(raw, "c")
    finally:
        os.environ[BACKEND_ENV] = yaml_backend

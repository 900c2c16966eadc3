"""The safe loader: every malformed input is refused with a located message, never a traceback.

Every test in the loader test modules runs under both YAML back ends (libyaml and pure Python),
through the `yaml_backend` fixture below, which those modules import.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from rankaudit.diagnostics import SpecError
from rankaudit.spec import yamlsafe
from rankaudit.spec.load import load_spec
from rankaudit.spec.yamlsafe import BACKEND_ENV, load_yaml

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ["pure", "c"] if yaml.__with_libyaml__ else ["pure"]


@pytest.fixture(params=BACKENDS, autouse=True, scope="module")
def yaml_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the module's tests once per back end (subprocesses inherit the variable)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(BACKEND_ENV, request.param)
        assert yamlsafe.backend() == request.param
        yield request.param

ALIAS_BOMB = (
    b"a: &a [x,x,x,x,x,x,x,x,x]\n"
    b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
)

# name -> (bytes, code, expected line:column or None when no position exists, words in the message)
MALFORMED = {
    "syntax error": (b"spec_version: 1\nranking: [1, 2\npublisher: x\n", "RA001", (3, 10), "syntax"),
    "tab indentation": (b"spec_version: 1\nranking:\n\tname: x\n", "RA001", (3, 1), "tab"),
    "duplicate key": (b"spec_version: 1\nranking: {}\nspec_version: 1\n", "RA006", (3, 1), "first at line 1"),
    "alias bomb": (ALIAS_BOMB, "RA007", (3, 29), "aliases"),
    "python tag": (b"spec_version: !!python/object/apply:os.system ['true']\n", "RA008", (1, 15), "not allowed"),
    "custom tag": (b"spec_version: !include other.yaml\n", "RA008", (1, 15), "not allowed"),
    "binary garbage": (bytes(range(128, 256)) * 4, "RA002", (1, 1), "UTF-8"),
    "utf-16": ("spec_version: 1\n".encode("utf-16"), "RA002", (1, 1), "UTF-16"),
    "latin-1": ("spec_version: 1\nname: S\xe3o Paulo\n".encode("latin-1"), "RA002", (2, 8), "UTF-8"),
    "empty file": (b"", "RA004", (1, 1), "empty"),
    "only comments": (b"# nothing here\n\n", "RA004", (1, 1), "empty"),
    "several documents": (b"spec_version: 1\n---\nspec_version: 1\n", "RA005", (2, 1), "more than one"),
    "deep flow nesting": (b"a: " + b"[" * 20000 + b"]" * 20000 + b"\n", "RA009", (1, 67), "nesting"),
    "deep block nesting": (
        b"".join(b" " * i + b"k:\n" for i in range(200)) + b" " * 200 + b"v\n",
        "RA009",
        (64, 64),
        "nesting",
    ),
    "top-level list": (b"- spec_version: 1\n", "RA010", (1, 1), "a list"),
    "top-level scalar": (b"just words\n", "RA010", (1, 1), "single value"),
    "NUL byte": (b"spec_version: 1\nname: a\x00b\n", "RA002", (2, 8), "U+0000"),
    "C1 control character": ("spec_version: 1\nname: a\x86b\n".encode(), "RA002", (2, 8), "U+0086"),
    "merge key": (b"a: &x {b: 1}\nc:\n  <<: *x\n", "RA008", (3, 3), "merge"),
    "self-referencing alias": (b"a: &x [*x]\n", "RA007", (1, 4), "cycle"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_input_is_located(name: str) -> None:
    raw, code, position, words = MALFORMED[name]
    with pytest.raises(SpecError) as caught:
        load_yaml(raw, "spec.yaml")
    diagnostics = caught.value.diagnostics
    assert len(diagnostics) == 1
    diagnostic = diagnostics[0]
    assert diagnostic.code == code
    assert diagnostic.file == "spec.yaml"
    assert (diagnostic.line, diagnostic.column) == position
    assert words.lower() in diagnostic.message.lower()


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(SpecError) as caught:
        load_yaml(b"a: 1\n" * 10, "big.yaml", max_bytes=20)
    assert caught.value.diagnostics[0].code == "RA003"
    assert caught.value.diagnostics[0].message == "file is 50 bytes; the limit is 20"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NO", "NO"),  # YAML 1.1 would read Norway as false
        ("yes", "yes"),
        ("on", "on"),
        ("1.10", 1.1),  # a float stays a float; ids are typed as strings so they are refused, not altered
        ("010", 10),
        ("1e3", 1000.0),
        ("true", True),
        ("~", None),
        ('"1.10"', "1.10"),
    ],
)
def test_yaml_12_scalars(text: str, expected: object) -> None:
    assert load_yaml(f"v: {text}\n".encode(), "t.yaml").data["v"] == expected


def test_positions_are_recorded_for_values_and_keys() -> None:
    loaded = load_yaml(b"top:\n  inner: [a, b]\n  other: 1\n", "p.yaml")
    assert loaded.positions.values[("top", "inner", 1)].line == 2
    assert loaded.positions.values[("top", "inner", 1)].column == 14
    assert loaded.positions.keys[("top", "other")].column == 3


SPEC_HEAD = """spec_version: 1
ranking:
  name: Test
  edition: "2024"
  published: 2024-05-01
publisher:
  name: Publisher
cities:
  count: 3
"""


def _errors(tmp_path, body: str, name: str = "spec.yaml") -> list[tuple[str, int | None, int | None, str]]:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    return [(d.code, d.line, d.column, d.message) for d in caught.value.diagnostics if d.severity == "error"]


def test_unknown_key_points_at_the_key_with_a_hint(tmp_path) -> None:
    body = SPEC_HEAD + "structure:\n  children:\n    - id: a\n      name: A\n      weigth: 1\n"
    [(code, line, column, message)] = _errors(tmp_path, body)
    assert (code, line, column) == ("RA101", 14, 7)
    assert "did you mean 'weight'?" in message


def test_missing_field_points_at_its_parent(tmp_path) -> None:
    body = SPEC_HEAD + "structure:\n  children:\n    - id: a\n      weight: 1\n"
    [(code, line, column, message)] = _errors(tmp_path, body)
    assert (code, line, column) == ("RA102", 12, 7)
    assert "'name'" in message


def test_wrong_type_is_located_at_the_value(tmp_path) -> None:
    body = SPEC_HEAD + "structure:\n  children:\n    - {id: a, name: A, weight: heavy}\n"
    [(code, line, column, message)] = _errors(tmp_path, body)
    assert (code, line, column) == ("RA103", 12, 32)
    assert "'heavy'" in message and "undisclosed" in message


def test_ids_must_be_strings_not_numbers(tmp_path) -> None:
    body = SPEC_HEAD + "structure:\n  children:\n    - {id: 1.10, name: A}\n"
    [(code, line, column, _)] = _errors(tmp_path, body)
    assert (code, line, column) == ("RA103", 12, 12)


def test_missing_top_level_section_points_at_the_document(tmp_path) -> None:
    [(code, line, column, message)] = _errors(tmp_path, SPEC_HEAD)
    assert (code, line, column) == ("RA102", 1, 1)
    assert "'structure'" in message


def test_several_errors_are_all_reported_in_file_order(tmp_path) -> None:
    body = SPEC_HEAD.replace("  name: Publisher\n", "  name: Publisher\n  tipe: media\n") + (
        "structure:\n  children:\n    - {id: a, name: A, direction: sideways}\n"
    )
    found = _errors(tmp_path, body)
    assert [c for c, *_ in found] == ["RA101", "RA103"]
    assert [line for _, line, *_ in found] == [8, 13]


def test_undisclosed_counts_and_negative_counts(tmp_path) -> None:
    # a numeric constraint must never meet the string `undisclosed` (it once raised a TypeError)
    body = SPEC_HEAD.replace("count: 3", "count: undisclosed") + (
        "structure:\n  children:\n    - {id: a, name: A, survey: {sample_size: undisclosed, sample_per_city: -1}}\n"
    )
    [(code, line, column, message)] = _errors(tmp_path, body)
    assert (code, line, column) == ("RA103", 12, 76)
    assert "greater than or equal to 0" in message


# ------------------------------------------------------------------------------ resource limits


def _amplified(items: int) -> bytes:
    """16 aliases (under the alias cap) that rebuild one long list 256 times."""
    listed = ",".join(["x"] * items)
    return (
        f"a: &a [{listed}]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\n"
        "e: [*d, *d, *d, *d]\n"
    ).encode()


def test_alias_amplification_is_refused_before_building(yaml_backend: str) -> None:
    # how fast (under 1 s) is measured by benchmarks/bench_validate.py, not by a timed test
    raw = _amplified(16_000)  # 32 KB; 4 million nodes once expanded
    assert 30_000 < len(raw) < 34_000
    with pytest.raises(SpecError) as caught:
        load_spec("amplified.yaml", raw)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("RA007", 4, 8)
    assert "expand" in diagnostic.message and "500,000 nodes" in diagnostic.message


def test_small_alias_use_is_still_accepted() -> None:
    loaded = load_yaml(_amplified(10), "small.yaml")
    assert len(loaded.data["e"]) == 4 and loaded.data["e"][0][0][0][0] == ["x"] * 10


def test_a_document_of_too_many_nodes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 50)
    with pytest.raises(SpecError) as caught:
        load_yaml(("a: [" + ", ".join(["1"] * 60) + "]\n").encode(), "many.yaml")
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("RA003", 1)
    assert "more than 50 nodes" in diagnostic.message


def test_oversized_file_reports_its_real_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 500_000)  # 2.5 MB
    with pytest.raises(SpecError) as caught:
        load_spec(str(big))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "RA003"
    assert diagnostic.message == "file is 2,500,000 bytes; the limit is 2,097,152"


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(SpecError) as caught:
        load_spec(str(fifo))  # would block forever waiting for a writer if opened for reading
    assert time.perf_counter() - started < 5
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "RA000" and "not a regular file" in diagnostic.message


# ------------------------------------------------------------------------------ the two back ends

ALL_YAML = sorted(
    [*ROOT.glob("specs/*.yaml"), *ROOT.glob("fixtures/**/*.yaml"), *ROOT.glob("rankaudit/rules/cases/*.yaml")]
)


def _outcome(raw: bytes, backend: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv(BACKEND_ENV, backend)
    try:
        loaded = load_yaml(raw, "f.yaml", require_mapping=False)
    except SpecError as exc:
        return exc.diagnostics
    return repr(loaded.data), loaded.positions.values, loaded.positions.keys


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="libyaml is not installed")
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_both_back_ends_give_the_same_data_and_positions(crlf: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(ALL_YAML) > 50
    for path in ALL_YAML:
        raw = path.read_bytes()
        if crlf:
            raw = raw.replace(b"\n", b"\r\n")
        assert _outcome(raw, "pure", monkeypatch) == _outcome(raw, "c", monkeypatch), path


# ------------------------------------------------------------------------------ messages (issue 13)


@pytest.mark.parametrize(
    ("old", "new", "code", "where", "words"),
    [
        ("count: 3", "count: 3\n  definition: {type: metro}", "RA103", (10, 22), "did you mean 'metropolitan_area'?"),
        ("structure:\n", "structure:\n  weighting: explict\n", "RA103", (11, 14), "did you mean 'explicit'?"),
        ("count: 3", "count: 3\n  list: [{name: X, region: Europe}]", "RA103", (10, 28), "did you mean 'europe'?"),
        ("published: 2024-05-01", "published: 2024-02-30", "RA012", (5, 14), "February 2024 has 29 days"),
        ("published: 2024-05-01", "published: '2024-13'", "RA012", (5, 14), "not a calendar date"),
        ("  name: Test\n", "  name: Test: the sequel\n", "RA001", (3, 13), "must be quoted"),
    ],
)
def test_messages_hint_at_the_fix(tmp_path, old: str, new: str, code: str, where: tuple[int, int], words: str) -> None:
    body = SPEC_HEAD + "structure:\n  children:\n    - {id: a, name: A}\n"
    found = _errors(tmp_path, body.replace(old, new, 1))
    assert [(c, (line, column)) for c, line, column, _ in found] == [(code, where)]
    assert words in found[0][3]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[2020]", "invalid value (a list): expected a mapping; or one of: undisclosed"),
        ("2020-01-01", "invalid value 2020-01-01:"),
        ("{first: x, last: 2020}", "invalid value 'x': expected a whole number"),
    ],
)
def test_no_class_names_or_python_reprs(tmp_path, value: str, expected: str) -> None:
    body = SPEC_HEAD + f"structure:\n  children:\n    - {{id: a, name: A, reference_year: {value}}}\n"
    messages = [message for *_, message in _errors(tmp_path, body)]
    assert any(m.startswith(expected) for m in messages), messages
    assert not any("YearRange" in m or "instance of" in m or "datetime" in m for m in messages)


BUDGET_CASES = {
    "amplified": _amplified(16_000),
    "amplified, block style": (
        b"a: &a\n" + b"".join(b"  - x\n" for _ in range(3000)) + b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    ),
    "17 aliases in a block list": b"a: &a x\nb:\n" + b"".join(b"  - *a\n" for _ in range(17)),
    "an alias at depth 65": b"a: &a x\nb: " + b"[" * 63 + b"*a" + b"]" * 63 + b"\n",
    "a scalar at depth 65": b"b: " + b"[" * 63 + b"x" + b"]" * 63 + b"\n",
    "alias to its own parent under the caps": b"a: &x [1, [*x]]\n",
    "undefined alias": b"a: [" + b", ".join([b"*nowhere"] * 20) + b"]\n",
    "duplicate anchor": b"a: &x [1]\nb: &x [2]\nc: [" + b", ".join([b"*x"] * 20) + b"]\n",
}


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="libyaml is not installed")
@pytest.mark.parametrize("name", list(BUDGET_CASES))
def test_broken_caps_are_located_alike_by_both_back_ends(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = BUDGET_CASES[name]
    pure = _outcome(raw, "pure", monkeypatch)
    assert isinstance(pure, list) and pure, "each case breaks a cap or the YAML"
    assert _outcome(raw, "c", monkeypatch) == pure

"""Semantic checks beyond types, each located (codes RA104-RA121)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import load_spec

SPEC = """spec_version: 1
ranking: {name: X, edition: 2024, published: 2024-06-01, previous_published: 2024-06-02}
publisher: {name: P}
cities: {count: 3, list: [{name: A, id: a, score: 1}, {name: B, id: a}]}
method: {normalisation: minmax}
data: {values: v.csv}
uncertainty:
  aggregation: [arithmetic, geometric]
  normalisation: [{method: zscore, mean: 0, sd: 1}, distance_to_target]
structure:
  children:
    - {id: x, name: X}
"""


def _found(tmp_path: Path, text: str) -> list[tuple[str, int | None, int | None, str]]:
    (tmp_path / "v.csv").write_text("id,x\na,1\n", encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    return [(d.code, d.line, d.column, d.message) for d in caught.value.diagnostics]


def test_dates_city_ids_and_the_uncertainty_design_are_checked(tmp_path: Path) -> None:
    assert [found[:3] for found in _found(tmp_path, SPEC)] == [
        ("RA113", 2, 78),  # the previous edition a day after this one
        ("RA105", 4, 69),  # city id 'a' twice
        ("RA108", 9, 19),  # geometric mean over z-scores around 0
        ("RA108", 9, 53),  # ... and over distance to target
        ("RA115", 9, 53),  # distance to target without targets
    ]


def test_data_paths_stay_inside_the_spec_folder(tmp_path: Path) -> None:
    for bad, words in (("../v.csv", "leaves"), ("/etc/passwd", "absolute"), ("sub", "folder"), ("a" * 300, "cannot")):
        (tmp_path / "sub").mkdir(exist_ok=True)
        text = SPEC.replace("values: v.csv", f"values: {bad!r}").replace("uncertainty:", "unused:")
        text = text.split("unused:")[0] + "structure:" + text.split("structure:")[1]
        text = text.replace(", previous_published: 2024-06-02", "").replace(", {name: B, id: a}", "")
        [(code, line, column, message)] = _found(tmp_path, text)
        assert code == "RA107" and (line, column) == (6, 16), (bad, message)
        assert words in message


def test_partial_transcriptions_may_list_explicit_weights_below_one(tmp_path: Path) -> None:
    text = """spec_version: 1
ranking: {name: X, edition: 2024}
publisher: {name: P}
cities: {count: 3}
structure:
  complete: false
  weighting: explicit
  children:
    - {id: a, name: A, weight: 0.3}
    - {id: b, name: B, weight: 0.2}
"""
    path = tmp_path / "partial.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_spec(str(path))
    shares = {ref.id: loaded.tree.effective_weight(ref) for ref in loaded.tree.indicators}
    assert shares == {"a": 0.3, "b": 0.2}  # shares of the whole index, not rescaled over the listed part
    over = text.replace("weight: 0.2", "weight: 0.9")
    path.write_text(over, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    assert caught.value.diagnostics[0].code == "RA104"


def test_explicit_weights_over_one_beside_an_undisclosed_sibling(tmp_path: Path) -> None:
    text = """spec_version: 1
ranking: {name: X, edition: 2024}
publisher: {name: P}
cities: {count: 3}
structure:
  weighting: explicit
  children:
    - {id: a, name: A, weight: 0.4}
    - {id: b, name: B, weight: 0.75}
    - {id: c, name: C, weight: undisclosed}
"""
    # RA122 (a warning: `undisclosed` without the publisher's document marked) is beside the point here
    [(code, line, column, message)] = [d for d in _found(tmp_path, text) if d[0] != "RA122"]
    assert (code, line, column) == ("RA104", 6, 14)
    assert "already sum to 1.15" in message and "whatever the undisclosed weight is" in message
    (tmp_path / "spec.yaml").write_text(text.replace("0.75", "0.5"), encoding="utf-8")
    load_spec(str(tmp_path / "spec.yaml"))  # 0.9 leaves room for the undisclosed one


def test_semantic_errors_are_reported_with_the_schema_errors(tmp_path: Path) -> None:
    text = """spec_version: 1
ranking: {name: X, edition: 2024, published: 2024-05-01}
publisher: {name: P, tipe: media, cite: {source: nowhere}}
cities: {count: 3}
structure:
  weighting: explicit
  children:
    - {id: a, name: A, weight: 0.5}
    - {id: a, name: B, direction: sideways, weight: 0.5}
    - {id: c, name: C, reference_year: 2030}
    - {id: d}
data: {values: /etc/x.csv}
"""
    found = [(code, line, column) for code, line, column, _ in _found(tmp_path, text)]
    assert found == [
        ("RA101", 3, 22),  # schema: unknown key
        ("RA110", 3, 41),  # semantic, on a part that parsed
        ("RA105", 9, 12),  # semantic: an item with a bad value still has its id checked
        ("RA103", 9, 35),  # schema
        ("RA106", 10, 40),  # semantic, on the item after the one that was set aside
        ("RA102", 11, 7),  # schema: the item without a name is set aside ...
        ("RA107", 12, 16),  # semantic
    ]  # ... so the weight sum of its group is not judged (it would be a false alarm)

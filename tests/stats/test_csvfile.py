"""The one CSV reader: every safeguard applies to values and published results alike (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rankaudit.diagnostics import SpecError
from rankaudit.stats.csvfile import NUMBER_FORMS, DataError, parse_number, read_published, read_values
from rankaudit.stats.from_spec import run_statistical_audit

from .test_from_spec import RAGGED_CSV, ragged_doc, write_spec


def _values(path: Path, **kw: object) -> object:
    return read_values(path, ["x"], id_column="id", display_path="f.csv", **kw)  # type: ignore[arg-type]


def _published(path: Path, **kw: object) -> object:
    return read_published(path, id_column="id", score_column="x", rank_column=None, display_path="f.csv",
                          **kw)  # type: ignore[arg-type]


READERS = pytest.mark.parametrize("read", [_values, _published], ids=["values", "published"])


@READERS
@pytest.mark.parametrize(("text", "words", "line", "column"), [
    (b"id,x\nA,4_097\n", "'4_097'", 2, 2),
    ("id,x\nA,\u0664\n".encode(), "non-numeric", 2, 2),
    ("id,x\nA,\uff14\n".encode(), "non-numeric", 2, 2),
    (b"id,x\nA,1e999\n", "non-numeric", 2, 2),
    (b"id,x\nA,1,2\n", "row has 3 fields", 2, 3),
    (b"id,x\nA,1\nA,2\n", "duplicate unit id 'A'", 3, 1),
    (b"id,x\n,1\n", "empty unit id", 2, 1),
    (b"id,x\nA,\xff\n", "not valid UTF-8", 2, 3),
    (b'id,x\nA,"1\n', "CSV syntax error", 2, None),
    (b"id,id\nA,1\n", "duplicate column 'id'", 1, 2),
])
def test_every_safeguard_applies_to_both_kinds_of_file(tmp_path: Path, read, text: bytes, words: str,
                                                       line: int, column: int | None) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text)
    with pytest.raises(DataError) as caught:
        read(path)
    e = caught.value
    assert words in e.message
    assert (e.file, e.line, e.column) == ("f.csv", line, column)


def test_accepted_number_forms_are_stated() -> None:
    for ok, value in (("12", 12.0), ("-3.5", -3.5), (".5", 0.5), ("4e3", 4000.0), ("+1.2E-4", 1.2e-4), (" 7 ", 7.0)):
        assert parse_number(ok) == value
    for bad in ("4_097", "1,000", "inf", "-Infinity", "0x10", "\u0664\u0660", "\uff14", "1e999", "1.2.3"):
        assert parse_number(bad) is None, bad
    assert "underscores" in NUMBER_FORMS and "ASCII digits" in NUMBER_FORMS


@READERS
def test_only_regular_files_are_read_and_a_fifo_never_blocks(tmp_path: Path, read) -> None:
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    # in a child process with a timeout: a reader that blocked would hang the test run otherwise
    code = ("import sys; from pathlib import Path; from rankaudit.stats.csvfile import read_values, DataError\n"
            "try:\n    read_values(Path(sys.argv[1]), ['x'], id_column='id')\n"
            "except DataError as e:\n    print(e.message)\n")
    out = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=20,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert "not a regular file" in out.stdout
    with pytest.raises(DataError, match="not a regular file"):
        read(tmp_path)  # a folder


@READERS
def test_size_is_capped(tmp_path: Path, read) -> None:
    path = tmp_path / "f.csv"
    with open(path, "wb") as fh:  # sparse: the cap is checked before anything is read
        fh.truncate(10_000_001)
    with pytest.raises(DataError, match="10,000,001 bytes, more than the 1,000 allowed"):
        read(path, max_bytes=1000)


def test_published_ids_unknown_to_the_data_are_located(tmp_path: Path) -> None:
    doc = ragged_doc()
    doc["data"] = {"values": "values.csv", "published": "published.csv"}
    loaded = write_spec(tmp_path, doc, RAGGED_CSV, "id,score\nA,1\nB,2\nZ,3\nC,4\nD,5\n")
    with pytest.raises(SpecError) as caught:
        run_statistical_audit(loaded.spec, loaded.spec_dir, replications=0, seed=1)
    [d] = caught.value.diagnostics
    assert (d.code, d.line, d.column) == ("RA302", 4, 1)
    assert "unknown unit id 'Z': not a unit of the values file" in d.message
    assert d.file.endswith("published.csv")


def test_units_without_published_results_are_reported_at_the_id_column(tmp_path: Path) -> None:
    doc = ragged_doc()
    doc["data"] = {"values": "values.csv", "published": "published.csv"}
    loaded = write_spec(tmp_path, doc, RAGGED_CSV, "score,id\n1,A\n2,B\n")
    res = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=0, seed=1)
    assert res.reproduction is not None and res.reproduction.n_compared == 2
    [w] = [w for w in res.warnings if "no published result" in w]
    assert w.endswith("published.csv:1:2: 2 units of the values file have no published result: ['C', 'D']")

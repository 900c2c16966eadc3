"""The one located CSV reader for indicator values and published results (pure standard library).

Every safeguard is here, so that both kinds of file get all of them:

* only a regular file is read, checked on the open descriptor (a FIFO or a device swapped in
  after validation is refused at once instead of blocking the audit; the open itself does not
  block, thanks to ``O_NONBLOCK``), and never more than ``MAX_BYTES`` (checked on the descriptor,
  then enforced while reading, so a growing or sparse file costs no more);
* UTF-8 (with or without BOM), an undecodable byte located at line and column;
* CSV syntax errors, wrong field counts, empty and duplicate ids, each at line and column
  (columns are 1-based field positions, as a spreadsheet counts them);
* numbers in one documented form (:data:`NUMBER_FORMS`), anything else located.

The csv module (not pandas) reads the file because it tells the physical line of every record
(quoted fields may span lines). ``validate`` may use this module: it imports neither numpy nor pandas.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Reader

MAX_BYTES = 64 * 1024 * 1024
"""Largest data file read (64 MiB: about 10 million cells; the Monte Carlo caps bind long before)."""

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", ".."})

NUMBER_FORMS = (
    "a decimal number in ASCII digits with an optional sign, decimal point and exponent "
    "(12, -3.5, .5, 4e3, 1.2E-4); no thousands separators, underscores, other digit scripts, "
    "hexadecimal or infinities; missing: empty, NA, N/A, NaN, null, none, #N/A or '..'"
)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class DataError(Exception):
    """A problem in a data file, located at ``file:line:column`` (1-based; None if unknown)."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        loc = self.file or "<data>"
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return f"{loc}: {self.message}"


def parse_number(cell: str) -> float | None:
    """Float value of a cell; NaN for a missing token; None if it is not a number of NUMBER_FORMS.

    Python's float() alone would accept ``4_097``, ``inf``, Arabic-Indic and full-width digits.
    """
    s = cell.strip()
    if s.lower() in MISSING_TOKENS:
        return math.nan
    if not _NUMBER.fullmatch(s):
        return None
    x = float(s)
    return None if math.isinf(x) else x  # 1e999 overflows to infinity


def read_bytes(path: str | Path, shown: str, what: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most ``max_bytes``; DataError otherwise (never blocks)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise DataError(f"cannot read {what}: {exc.strerror or exc}", shown) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataError(f"{what} is not a regular file (a folder, pipe or device cannot be read)", shown)
        if info.st_size > max_bytes:
            raise DataError(f"{what} is {info.st_size:,} bytes, more than the {max_bytes:,} allowed", shown)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # the file grew after fstat
                raise DataError(f"{what} is more than the {max_bytes:,} bytes allowed", shown)
        return b"".join(chunks)
    except OSError as exc:
        raise DataError(f"cannot read {what}: {exc.strerror or exc}", shown) from exc
    finally:
        os.close(fd)


def decode(raw: bytes, shown: str, what: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the {what} as UTF-8",
                        shown, line, column) from exc


@dataclass(frozen=True)
class Record:
    line: int  # physical line where the record starts
    cells: list[str]


@dataclass(frozen=True)
class Table:
    """A CSV file's header and a lazy iterator over its non-blank records (each checked for width)."""

    shown: str
    what: str
    header: list[str]
    _reader: Reader

    def column(self, name: str, role: str) -> int:
        """0-based position of a header name; a located error naming the role when absent."""
        if name in self.header:
            return self.header.index(name)
        hint = next(
            (f" (the header looks separated by {sep!r}; use commas)" for sep in (";", "\t", "|")
             if len(self.header) == 1 and sep in self.header[0]),
            "",
        )
        raise DataError(f"missing {role} column {name!r}{hint}", self.shown, 1)

    def records(self) -> Iterator[Record]:
        start = 2  # physical line where the next record starts
        width = len(self.header)
        try:
            for rec in self._reader:
                line = start
                start = self._reader.line_num + 1
                if not rec or all(not c.strip() for c in rec):
                    continue  # blank line
                if len(rec) != width:
                    # more fields: point at the first extra one; fewer: at the first missing one
                    col = width + 1 if len(rec) > width else len(rec) + 1
                    raise DataError(f"row has {len(rec)} fields, header has {width}", self.shown, line, col)
                yield Record(line, rec)
        except csv.Error as exc:
            raise DataError(f"CSV syntax error: {exc}", self.shown, self._reader.line_num) from exc


def read_table(path: str | Path, shown: str, what: str, max_bytes: int = MAX_BYTES) -> Table:
    """Open a CSV file with a header row (unique, stripped names)."""
    text = decode(read_bytes(path, shown, what, max_bytes), shown, what)
    # strict: an unterminated quote or text after a closing quote is an error, not silently accepted
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{what} is empty", shown, 1) from None
    except csv.Error as exc:
        raise DataError(f"CSV syntax error: {exc}", shown, reader.line_num) from exc
    header = [h.strip() for h in header]
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in seen:
            raise DataError(f"duplicate column {h!r} (also column {seen[h] + 1})", shown, 1, j + 1)
        seen[h] = j
    return Table(shown, what, header, reader)


class IdColumn:
    """Checks the unit ids of a table's records: non-empty, unique, and (optionally) known."""

    def __init__(self, table: Table, j: int, known: Sequence[str] | None, known_what: str) -> None:
        self.table = table
        self.j = j
        self.known = set(known) if known is not None else None
        self.known_what = known_what
        self.first_line: dict[str, int] = {}

    def check(self, rec: Record) -> str:
        uid = rec.cells[self.j].strip()
        t = self.table
        if not uid:
            raise DataError("empty unit id", t.shown, rec.line, self.j + 1)
        if uid in self.first_line:
            raise DataError(f"duplicate unit id {uid!r} (first on line {self.first_line[uid]})", t.shown,
                            rec.line, self.j + 1)
        if self.known is not None and uid not in self.known:
            raise DataError(f"unknown unit id {uid!r}: not {self.known_what}", t.shown, rec.line, self.j + 1)
        self.first_line[uid] = rec.line
        return uid


def number(rec: Record, j: int, table: Table, what: str) -> float:
    """The number in field ``j`` of a record, or a located error that says which forms are accepted."""
    x = parse_number(rec.cells[j])
    if x is None:
        raise DataError(f"non-numeric {what} {rec.cells[j].strip()!r} in column {table.header[j]!r}; "
                        f"expected {NUMBER_FORMS}", table.shown, rec.line, j + 1)
    return x


# ------------------------------------------------------------------------------------------------
# the two kinds of file
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ValueRows:
    """A values file as plain Python lists (numpy arrays are built by ``rankaudit.stats.data``)."""

    ids: list[str]
    names: list[str | None] | None
    rows: list[list[float]]  # indicator values per unit (NaN = missing)
    numeric: list[list[float]]  # numeric side columns per unit
    text: list[list[str]]  # text side columns per unit
    shown: str


def read_values(path: str | Path, indicators: Sequence[str], *, id_column: str, name_column: str | None = None,
                numeric_columns: Sequence[str] = (), text_columns: Sequence[str] = (),
                expected_units: Sequence[str] | None = None, display_path: str | None = None,
                max_bytes: int = MAX_BYTES, positive_columns: Sequence[str] = ()) -> ValueRows:
    """Read a values CSV (one row per unit). With ``expected_units``, every row's id must be one of them.

    ``positive_columns`` (a subset of ``numeric_columns``: the denominators indicators are divided by)
    must hold values above zero where present: a zero or negative size is located at its cell.
    """
    shown = display_path or str(path)
    table = read_table(path, shown, "values file", max_bytes)
    id_j = table.column(id_column, "unit id")
    name_j = table.column(name_column, "unit name") if name_column else None
    ind_j = [table.column(c, "indicator") for c in indicators]
    num_j = [table.column(c, "numeric") for c in numeric_columns]
    txt_j = [table.column(c, "text") for c in text_columns]
    positive = [(k, j) for k, (c, j) in enumerate(zip(numeric_columns, num_j, strict=True)) if c in positive_columns]
    ids_check = IdColumn(table, id_j, expected_units, "a unit of the spec")
    out = ValueRows([], [] if name_j is not None else None, [], [], [], shown)
    for rec in table.records():
        out.ids.append(ids_check.check(rec))
        if out.names is not None and name_j is not None:
            out.names.append(rec.cells[name_j].strip())
        out.rows.append([number(rec, j, table, "value") for j in ind_j])
        out.numeric.append([number(rec, j, table, "value") for j in num_j])
        for k, j in positive:
            size = out.numeric[-1][k]
            if size <= 0:  # NaN (missing) compares False: a missing size leaves the quotient missing
                raise DataError(f"denominator {rec.cells[j].strip()!r} in column {table.header[j]!r} is not above "
                                "zero: the indicators divided by it need a positive size", shown, rec.line, j + 1)
        out.text.append([rec.cells[j].strip() for j in txt_j])
    if not out.ids:
        raise DataError("values file has no data rows", shown, 2)
    return out


@dataclass(frozen=True)
class Published:
    scores: dict[str, float]
    ranks: dict[str, float]
    missing: list[str]
    """Units of the data without a row in the published file (a top-N table is legitimate)."""
    id_location: tuple[int, int]
    """(line, column) of the id column's header, where a report about missing ids points."""


def read_published(path: str | Path, *, id_column: str, score_column: str | None, rank_column: str | None,
                   known_ids: Sequence[str] | None = None, display_path: str | None = None,
                   max_bytes: int = MAX_BYTES) -> Published:
    """Read published scores and/or ranks; ids must be units of the data (``known_ids``)."""
    shown = display_path or str(path)
    table = read_table(path, shown, "published results", max_bytes)
    j_id = table.column(id_column, "id")
    cols = {kind: table.header.index(name) for kind, name in (("score", score_column), ("rank", rank_column))
            if name and name in table.header}
    if not cols:
        raise DataError("published results need a score or a rank column", shown, 1)
    ids_check = IdColumn(table, j_id, known_ids, "a unit of the values file")
    scores: dict[str, float] = {}
    ranks: dict[str, float] = {}
    for rec in table.records():
        uid = ids_check.check(rec)
        for kind, j in cols.items():
            x = number(rec, j, table, kind)
            if kind == "rank" and not math.isnan(x) and (x < 1 or x != int(x)):
                raise DataError(f"rank {rec.cells[j].strip()!r} is not a whole number from 1", shown, rec.line, j + 1)
            if not math.isnan(x):
                (scores if kind == "score" else ranks)[uid] = x
    missing = [u for u in known_ids if u not in ids_check.first_line] if known_ids is not None else []
    return Published(scores, ranks, missing, (1, j_id + 1))


__all__ = ["MAX_BYTES", "NUMBER_FORMS", "DataError", "Published", "ValueRows", "parse_number", "read_published",
           "read_table", "read_values"]

"""Loading an indicator table (CSV, one row per unit) with located errors.

We parse with the ``csv`` module rather than ``pandas.read_csv`` because it tells the physical line
of every record (quoted fields may span lines), so each error can point at file:line:column.
``UnitData.to_frame()`` gives a pandas view for callers who want one.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas is imported lazily: rankaudit.stats must stay cheap to import
    import pandas as pd

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", ".."})
MAX_BYTES = 256 * 1024 * 1024


class DataError(Exception):
    """A problem in a values file, located at ``file:line:column`` (1-based; None if unknown)."""

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


@dataclass(frozen=True)
class UnitData:
    """Indicator values (units x indicators, NaN = missing) plus named side columns."""

    ids: tuple[str, ...]
    values: np.ndarray
    indicators: tuple[str, ...]
    names: tuple[str | None, ...] | None = None
    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    """Extra numeric columns (denominators), NaN = missing."""
    text: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra text columns (groups)."""
    source: str | None = None

    @property
    def n_units(self) -> int:
        return len(self.ids)

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        df = pd.DataFrame(self.values, index=pd.Index(self.ids, name="id"), columns=list(self.indicators))
        for k, v in self.numeric.items():
            df[k] = v
        for k, t in self.text.items():
            df[k] = list(t)
        return df


def parse_number(cell: str) -> float | None:
    """Float value of a cell; NaN for a missing token; None if not a number."""
    s = cell.strip()
    if s.lower() in MISSING_TOKENS:
        return math.nan
    try:
        x = float(s)
    except ValueError:
        return None
    if math.isinf(x):
        return None
    return x


def from_arrays(ids: Sequence[str], values: np.ndarray | Sequence[Sequence[float]], indicators: Sequence[str],
                names: Sequence[str | None] | None = None, numeric: dict[str, Iterable[float]] | None = None,
                text: dict[str, Iterable[str]] | None = None) -> UnitData:
    """Build UnitData from in-memory arrays (tests, synthetic data)."""
    arr = np.asarray(values, dtype=float)
    if arr.shape != (len(ids), len(indicators)):
        raise DataError(f"values have shape {arr.shape}, expected {(len(ids), len(indicators))}")
    if len(set(ids)) != len(ids):
        raise DataError("duplicate unit ids")
    return UnitData(
        ids=tuple(ids), values=arr, indicators=tuple(indicators),
        names=tuple(names) if names is not None else None,
        numeric={k: np.asarray(list(v), dtype=float) for k, v in (numeric or {}).items()},
        text={k: tuple(str(x) for x in v) for k, v in (text or {}).items()},
    )


def load_values(path: str | Path, indicators: Sequence[str], *, id_column: str = "uCode",
                name_column: str | None = None, numeric_columns: Sequence[str] = (),
                text_columns: Sequence[str] = (), expected_units: Sequence[str] | None = None,
                display_path: str | None = None) -> UnitData:
    """Read a values CSV with a header row.

    ``indicators`` and ``numeric_columns`` must be numeric (missing tokens: empty, NA, N/A, NaN,
    null, none, #N/A, ".."). When ``expected_units`` is given, every row's id must be one of them
    (units of the spec without a row are simply missing: the caller decides what that means).
    """
    p = Path(path)
    shown = display_path or str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise DataError(f"cannot read values file: {exc.strerror}", shown) from exc
    if size > MAX_BYTES:
        raise DataError(f"values file is larger than {MAX_BYTES // (1024 * 1024)} MiB", shown)
    try:
        text_data = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raw = p.read_bytes()
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the values file as UTF-8", shown, line, column
        ) from exc
    reader = csv.reader(io.StringIO(text_data, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError("values file is empty", shown, 1) from None
    except csv.Error as exc:
        raise DataError(f"CSV syntax error: {exc}", shown, reader.line_num) from exc
    header = [h.strip() for h in header]
    col_of: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in col_of:
            raise DataError(f"duplicate column {h!r} (also column {col_of[h] + 1})", shown, 1, j + 1)
        col_of[h] = j

    def need(name: str, what: str) -> int:
        if name not in col_of:
            hint = next(
                (f" (the header looks separated by {sep!r}; use commas)" for sep in (";", "\t", "|")
                 if len(header) == 1 and sep in header[0]),
                "",
            )
            raise DataError(f"missing {what} column {name!r}{hint}", shown, 1)
        return col_of[name]

    id_j = need(id_column, "unit id")
    name_j = need(name_column, "unit name") if name_column else None
    ind_j = [need(c, "indicator") for c in indicators]
    num_j = [need(c, "numeric") for c in numeric_columns]
    txt_j = [need(c, "text") for c in text_columns]
    expected = set(expected_units) if expected_units is not None else None

    ids: list[str] = []
    names: list[str | None] = []
    rows: list[list[float]] = []
    nums: list[list[float]] = []
    texts: list[list[str]] = []
    first_line: dict[str, int] = {}
    start = 2  # physical line where the next record starts
    try:
        for rec in reader:
            line = start
            start = reader.line_num + 1
            if not rec or all(not c.strip() for c in rec):
                continue  # blank line
            if len(rec) != len(header):
                raise DataError(f"row has {len(rec)} fields, header has {len(header)}", shown, line)
            uid = rec[id_j].strip()
            if not uid:
                raise DataError("empty unit id", shown, line, id_j + 1)
            if uid in first_line:
                raise DataError(f"duplicate unit id {uid!r} (first on line {first_line[uid]})", shown, line,
                                id_j + 1)
            if expected is not None and uid not in expected:
                raise DataError(f"unknown unit id {uid!r}: not a unit of the spec", shown, line, id_j + 1)
            first_line[uid] = line
            ids.append(uid)
            names.append(rec[name_j].strip() if name_j is not None else None)
            row = []
            for j in (*ind_j, *num_j):
                x = parse_number(rec[j])
                if x is None:
                    raise DataError(f"non-numeric value {rec[j].strip()!r} in column {header[j]!r}", shown,
                                    line, j + 1)
                row.append(x)
            rows.append(row[: len(ind_j)])
            nums.append(row[len(ind_j):])
            texts.append([rec[j].strip() for j in txt_j])
    except csv.Error as exc:
        raise DataError(f"CSV syntax error: {exc}", shown, reader.line_num) from exc
    if not ids:
        raise DataError("values file has no data rows", shown, 2)
    values = np.asarray(rows, dtype=float).reshape(len(ids), len(ind_j))
    num_arr = np.asarray(nums, dtype=float).reshape(len(ids), len(num_j))
    return UnitData(
        ids=tuple(ids), values=values, indicators=tuple(indicators),
        names=tuple(names) if name_j is not None else None,
        numeric={c: num_arr[:, k].copy() for k, c in enumerate(numeric_columns)},
        text={c: tuple(t[k] for t in texts) for k, c in enumerate(text_columns)},
        source=shown,
    )

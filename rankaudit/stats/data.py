"""An indicator table in memory (``UnitData``) and its loading from CSV with located errors.

The file is read by ``rankaudit.stats.csvfile`` (the one guarded, located reader, shared with the
published results); this module only turns its rows into numpy arrays.
``UnitData.to_frame()`` gives a pandas view for callers who want one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rankaudit.stats.csvfile import DataError, read_values

if TYPE_CHECKING:  # pandas is imported lazily: rankaudit.stats must stay cheap to import
    import pandas as pd

__all__ = ["DataError", "UnitData", "load_values"]


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


def load_values(path: str | Path, indicators: Sequence[str], *, id_column: str = "uCode",
                name_column: str | None = None, numeric_columns: Sequence[str] = (),
                text_columns: Sequence[str] = (), expected_units: Sequence[str] | None = None,
                display_path: str | None = None, positive_columns: Sequence[str] = ()) -> UnitData:
    """Read a values CSV with a header row (``rankaudit.stats.csvfile.read_values``: every safeguard).

    ``indicators`` and ``numeric_columns`` must be numbers of ``csvfile.NUMBER_FORMS``. When
    ``expected_units`` is given, every row's id must be one of them (units of the spec without a row
    are simply missing: the caller decides what that means). ``positive_columns``: numeric columns
    whose present values must be above zero (denominators).
    """
    rows = read_values(path, indicators, id_column=id_column, name_column=name_column,
                       numeric_columns=numeric_columns, text_columns=text_columns,
                       expected_units=expected_units, display_path=display_path,
                       positive_columns=positive_columns)
    n = len(rows.ids)
    values = np.asarray(rows.rows, dtype=float).reshape(n, len(indicators))
    num_arr = np.asarray(rows.numeric, dtype=float).reshape(n, len(numeric_columns))
    return UnitData(
        ids=tuple(rows.ids), values=values, indicators=tuple(indicators),
        names=tuple(rows.names) if rows.names is not None else None,
        numeric={c: num_arr[:, k].copy() for k, c in enumerate(numeric_columns)},
        text={c: tuple(t[k] for t in rows.text) for k, c in enumerate(text_columns)},
        source=rows.shown,
    )

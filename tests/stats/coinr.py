"""Reading a COINr-style pair of tables (iData + iMeta CSV) into an IndexModel.

COINr (bluefoxr/COINr, ``new_coin``) describes an index with ``iMeta`` rows: ``Level`` (1 =
indicator), ``iCode``, ``Direction``, ``Weight`` (within the parent), ``Parent`` and ``Type``
(Indicator / Aggregate / Group / Denominator / Other). Used by the tests and benchmarks on the
ASEM example (test-only: the package audits indices described by specs).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from rankaudit.stats.data import DataError, UnitData, load_values
from rankaudit.stats.model import AggregateNode, IndexModel


def read_imeta(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def model_from_imeta(rows: list[dict[str, str]], *, source: str = "iMeta") -> IndexModel:
    """IndexModel with the iMeta hierarchy, directions, weights; equal defaults elsewhere."""
    by_level: dict[int, list[dict[str, str]]] = {}
    denominators = []
    for i, row in enumerate(rows, start=2):
        typ = row.get("Type", "")
        if typ == "Denominator":
            denominators.append(row["iCode"])
        if typ not in ("Indicator", "Aggregate"):
            continue
        try:
            lvl = int(float(row["Level"]))
        except (KeyError, ValueError):
            raise DataError(f"bad Level {row.get('Level')!r}", source, i) from None
        by_level.setdefault(lvl, []).append(row)
    if 1 not in by_level:
        raise DataError("no indicators (Level 1 rows)", source)
    inds = by_level[1]
    hierarchy = []
    below = inds
    for lvl in sorted(k for k in by_level if k > 1):
        nodes = []
        for agg in by_level[lvl]:
            kids = [r for r in below if r["Parent"] == agg["iCode"]]
            nodes.append(AggregateNode(agg["iCode"], tuple(r["iCode"] for r in kids),
                                       tuple(float(r["Weight"] or 1) for r in kids)))
        hierarchy.append(tuple(nodes))
        below = by_level[lvl]
    names = {r["iCode"]: r["iName"] for r in inds if r.get("iName")}
    return IndexModel(
        indicators=tuple(r["iCode"] for r in inds),
        directions=tuple(int(float(r["Direction"] or 1)) for r in inds),
        hierarchy=tuple(hierarchy),
        denominators=tuple(denominators),
        indicator_names=names,
    )


def load_coinr(idata: str | Path, imeta: str | Path, *, denominate: bool = False,
               **model_changes: object) -> tuple[IndexModel, UnitData]:
    """Model and data from COINr iData/iMeta CSV files (``uCode`` ids, ``uName`` names).

    Keyword arguments replace IndexModel fields (e.g. ``normalisation=...``). ``denominate=True``
    divides each indicator by its iMeta ``Denominator`` first (COINr ``Denominate(coin, dset = "Raw")``).
    """
    meta = read_imeta(imeta)
    model = model_from_imeta(meta, source=str(imeta))
    if model_changes:
        model = replace(model, **model_changes)  # type: ignore[arg-type]
    groups = [r["iCode"] for r in meta if r.get("Type") == "Group"]
    data = load_values(idata, model.indicators, id_column="uCode", name_column="uName",
                       numeric_columns=model.denominators, text_columns=groups)
    if denominate:
        from rankaudit.stats.methods.denomination import Denomination
        from rankaudit.stats.transform import denominate as divide

        by_code = {r["iCode"]: r.get("Denominator", "") for r in meta}
        data = divide(data, [Denomination(by_code[i]) if by_code.get(i) else None for i in model.indicators])
    return model, data


def read_idata(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _r_number(cell: str) -> float | None:
    """A CSV cell as R reads it into a numeric column: NA (None) for an empty cell or "NA"."""
    return None if cell.strip() in ("", "NA") else float(cell)


def coinr_denominate(idata: list[dict[str, str]], imeta: list[dict[str, str]],
                     scale: dict[str, float] | None = None) -> dict[str, list[float | None]]:
    """COINr's ``Denominate`` written out with plain Python loops, one indicator column at a time.

    bluefoxr/COINr ``R/denominate.R`` (commit 035364d; line numbers as counted in that file):
    ``Denominate.coin`` takes ``denomby`` = iMeta's (iCode, Denominator) rows whose Denominator is
    not NA (l. 85-91); ``Denominate.data.frame`` sets ``ScaleFactor`` to 1 when absent (l. 186-190),
    matches denominator rows to data rows by uCode (l. 231) and computes, per indicator,
    ``dcol <- denoms_matched[[denom_code]] / ScaleFactor`` then ``f_denom(xcol, dcol)`` with
    ``f_denom = `/``` (l. 223-225, 233-241). R's NA arithmetic: NA in either operand gives NA.

    Returns every indicator's column (undenominated ones unchanged); ``scale`` gives ScaleFactors.
    """
    by_code = {r["uCode"]: r for r in idata}  # the denominators come from the same table (coin$Meta$Unit)
    out: dict[str, list[float | None]] = {}
    for m in imeta:
        if m.get("Type") != "Indicator":
            continue
        code, den = m["iCode"], (m.get("Denominator") or "").strip()
        col: list[float | None] = []
        for row in idata:
            x = _r_number(row[code])
            if not den:
                col.append(x)
                continue
            d = _r_number(by_code[row["uCode"]][den])
            dcol = None if d is None else d / (scale or {}).get(code, 1.0)
            col.append(None if x is None or dcol is None else x / dcol)
        out[code] = col
    return out


def coinr_aggregate(meta: list[dict[str, str]], n_units: int, val: dict[str, list[float | None]]) -> None:
    """COINr's arithmetic aggregation of an iMeta hierarchy, written out with loops (levels 2 to 4, each
    aggregate the weighted mean of its children's values present, None when none is): fills ``val``."""
    for level in ("2", "3", "4"):
        for agg in (m for m in meta if m["Level"] == level):
            kids = [m for m in meta if m["Parent"] == agg["iCode"] and m["Type"] in ("Indicator", "Aggregate")]
            out: list[float | None] = []
            for u in range(n_units):
                pairs = [(v, float(k["Weight"])) for k in kids if (v := val[k["iCode"]][u]) is not None]
                wsum = sum(w for _, w in pairs)
                out.append(sum(v * w / wsum for v, w in pairs) if pairs else None)
            val[agg["iCode"]] = out

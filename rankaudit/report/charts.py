"""Inline SVG charts for the HTML report, written by hand: no plotting library, no script.

Every string that reaches the SVG (labels, tooltips, titles) goes through markupsafe's `escape`,
the same function Jinja's autoescape uses, and the functions return `Markup` so that the template
inserts the finished SVG without escaping it twice. Only this module builds markup by hand.

Each chart has a `<title>` and a `<desc>` referenced by `aria-labelledby`, and the report shows
the same numbers in a table next to it. Numbers are printed with fixed precision so that the
output is byte-for-byte the same for the same input.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

FONT = 12
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"
TRACK = "#eef1f4"
BAR = "#2f6690"
ACCENT = "#d1495b"
IMPORTANCE = "#e08a1e"
INTERVAL = "#9fb8cc"
STRIPE = "#f6f8fa"


def fmt(value: float) -> str:
    """A coordinate with at most two decimals, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def el(tag: str, attrs: Mapping[str, Any] | None = None, *children: Markup | str) -> Markup:
    """One SVG element; attribute values and text children are escaped."""
    parts = [tag]
    for key, value in (attrs or {}).items():
        if value is None:
            continue
        shown = fmt(value) if isinstance(value, float) else str(value)
        parts.append(f'{key}="{escape(shown)}"')
    opening = "<" + " ".join(parts)
    if not children:
        return Markup(opening + "/>")
    inner = "".join(str(escape(c)) for c in children)
    return Markup(f"{opening}>{inner}</{tag}>")


def text(
    x: float, y: float, label: str, *, anchor: str = "start", size: int = FONT, font_weight: str | None = None,
    **attrs: Any,
) -> Markup:
    weight = {"font-weight": font_weight} if font_weight is not None else {}
    return el(
        "text",
        {
            "x": float(x),
            "y": float(y),
            "text-anchor": anchor,
            "font-size": size,
            "fill": attrs.pop("fill", INK),
            **weight,
            **attrs,
        },
        label,
    )


def shorten(label: str, limit: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def text_width(label: str, size: int = FONT) -> float:
    """A rough width of a label in the sans-serif font (0.6 em a character)."""
    return len(label) * size * 0.6


def svg(chart_id: str, width: float, height: float, title: str, desc: str, *body: Markup) -> Markup:
    """The outer <svg>: accessible name and description, scalable to its container."""
    return el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {fmt(width)} {fmt(height)}",
            "width": float(width),
            "height": float(height),
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
            "class": "chart",
        },
        el("title", {"id": f"{chart_id}-title"}, title),
        el("desc", {"id": f"{chart_id}-desc"}, desc),
        *body,
    )


def group(*children: Markup, tooltip: str | None = None, **attrs: Any) -> Markup:
    """A <g>; an optional <title> child becomes the browser's tooltip for its content."""
    items = ([el("title", None, tooltip)] if tooltip else []) + list(children)
    return el("g", attrs, *items)


# --------------------------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    note: str = ""
    strong: bool = False


def score_bars(chart_id: str, bars: Sequence[Bar], *, title: str, desc: str, maximum: float = 100) -> Markup:
    """Horizontal bars on a 0-100 scale; a bar without value is drawn as an empty, dashed track."""
    label_w = min(200.0, max(text_width(b.label) for b in bars) + 16) if bars else 100.0
    width, row, top = 640.0, 34.0, 26.0
    x0, x1 = label_w, width - 60
    height = top + row * len(bars) + 8
    scale = (x1 - x0) / maximum
    body: list[Markup] = []
    for tick in range(0, int(maximum) + 1, 25):
        x = x0 + tick * scale
        body.append(el("line", {"x1": x, "x2": x, "y1": top - 6, "y2": height - 6, "stroke": GRID}))
        body.append(text(x, top - 10, str(tick), anchor="middle", size=11, fill=MUTED))
    for i, bar in enumerate(bars):
        y = top + i * row
        mid = y + row / 2
        weight = "700" if bar.strong else None
        parts = [
            text(x0 - 10, mid + 4, shorten(bar.label, 30), anchor="end", font_weight=weight),
            el("rect", {"x": x0, "y": y + 7, "width": x1 - x0, "height": row - 14, "fill": TRACK, "rx": 3}),
        ]
        if bar.value is None:
            parts.append(
                el(
                    "rect",
                    {
                        "x": x0,
                        "y": y + 7,
                        "width": x1 - x0,
                        "height": row - 14,
                        "fill": "none",
                        "stroke": "#9aa5b1",
                        "stroke-dasharray": "4 3",
                        "rx": 3,
                    },
                )
            )
            parts.append(text(x0 + 10, mid + 4, bar.note or "not assessable", size=11, fill=MUTED))
            tip = f"{bar.label}: {bar.note or 'not assessable'}"
        else:
            w = max(0.0, min(maximum, bar.value)) * scale
            parts.append(
                el(
                    "rect",
                    {"x": x0, "y": y + 7, "width": w, "height": row - 14, "fill": INK if bar.strong else BAR, "rx": 3},
                )
            )
            shown = f"{bar.value:.1f}".removesuffix(".0")
            parts.append(text(x1 + 8, mid + 4, shown, font_weight="700"))
            tip = f"{bar.label}: {shown} of {fmt(maximum)}"
        body.append(group(*parts, tooltip=tip))
    return svg(chart_id, width, height, title, desc, *body)


# --------------------------------------------------------------------------------------------- ranks


@dataclass(frozen=True)
class RankRow:
    label: str
    rank: float | None
    median: float | None
    low: float | None
    high: float | None


def rank_intervals(chart_id: str, rows: Sequence[RankRow], n_units: int, *, title: str, desc: str) -> Markup:
    """The JRC's rank-uncertainty plot: one row per city in nominal order, the 5th-95th percentile
    interval of its Monte Carlo ranks as a band, the median as a diamond and the nominal rank as a
    dot (red when it lies outside the interval)."""
    label_w = min(180.0, max((text_width(shorten(r.label, 26), 11) for r in rows), default=60) + 12)
    width, row, top, bottom = 640.0, 16.0, 52.0, 26.0
    x0, x1 = label_w, width - 16
    n = int(max(n_units, max((r.high or r.rank or 1 for r in rows), default=1), 2))  # ranks are whole
    height = top + row * len(rows) + bottom

    def x(rank: float) -> float:
        return x0 + (rank - 1) * (x1 - x0) / (n - 1)

    body: list[Markup] = []
    # legend (about 500 units wide), aligned with the plot when there is room
    lx = max(8.0, min(x0, width - 500))
    body.append(
        el(
            "line",
            {
                "x1": lx,
                "x2": lx + 22,
                "y1": 14,
                "y2": 14,
                "stroke": INTERVAL,
                "stroke-width": 6,
                "stroke-linecap": "round",
            },
        )
    )
    body.append(text(lx + 30, 18, "5th-95th percentile of ranks", size=11))
    lx += 210
    body.append(_diamond(lx + 6, 14, 5))
    body.append(text(lx + 16, 18, "median rank", size=11))
    lx += 104
    body.append(el("circle", {"cx": lx + 5, "cy": 14, "r": 4, "fill": INK}))
    body.append(text(lx + 14, 18, "nominal rank", size=11))
    lx += 104
    body.append(el("circle", {"cx": lx + 5, "cy": 14, "r": 4, "fill": ACCENT}))
    body.append(text(lx + 14, 18, "outside", size=11))
    # axis
    for tick in _rank_ticks(n):
        xt = x(tick)
        body.append(el("line", {"x1": xt, "x2": xt, "y1": top - 6, "y2": height - bottom + 4, "stroke": GRID}))
        body.append(text(xt, top - 10, str(tick), anchor="middle", size=11, fill=MUTED))
        body.append(text(xt, height - 8, str(tick), anchor="middle", size=11, fill=MUTED))
    body.append(text((x0 + x1) / 2, height + 10, "rank (1 = best)", anchor="middle", size=11, fill=MUTED))
    for i, r in enumerate(rows):
        y = top + i * row
        mid = y + row / 2
        parts: list[Markup] = []
        if i % 2 == 0:
            parts.append(el("rect", {"x": 0, "y": y, "width": width, "height": row, "fill": STRIPE}))
        parts.append(text(x0 - 8, mid + 4, shorten(r.label, 26), anchor="end", size=11))
        if r.low is not None and r.high is not None:
            parts.append(
                el(
                    "line",
                    {
                        "x1": x(r.low),
                        "x2": x(r.high),
                        "y1": mid,
                        "y2": mid,
                        "stroke": INTERVAL,
                        "stroke-width": 6,
                        "stroke-linecap": "round",
                    },
                )
            )
        if r.median is not None:
            parts.append(_diamond(x(r.median), mid, 5))
        outside = r.rank is not None and r.low is not None and r.high is not None and not (r.low <= r.rank <= r.high)
        if r.rank is not None:
            parts.append(el("circle", {"cx": x(r.rank), "cy": mid, "r": 3.5, "fill": ACCENT if outside else INK}))
        tip = (
            f"{r.label}: nominal rank {_num(r.rank)}; median rank {_num(r.median)}; "
            f"5th-95th percentile {_num(r.low)} to {_num(r.high)}"
        )
        body.append(group(*parts, tooltip=tip))
    return svg(chart_id, width, height + 16, title, desc, *body)


def _diamond(cx: float, cy: float, r: float) -> Markup:
    points = f"{fmt(cx)},{fmt(cy - r)} {fmt(cx + r)},{fmt(cy)} {fmt(cx)},{fmt(cy + r)} {fmt(cx - r)},{fmt(cy)}"
    return el("polygon", {"points": points, "fill": "#ffffff", "stroke": BAR, "stroke-width": 2})


def _rank_ticks(n: int) -> list[int]:
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9) if n / s <= 12)
    ticks = [1, *range(step, n + 1, step)]
    return sorted(set(ticks))


def _num(value: float | None) -> str:
    return "n/a" if value is None else fmt(value)


# --------------------------------------------------------------------------------------------- heatmap

_RDBU = (
    (-1.0, (178, 24, 43)),
    (-0.5, (239, 138, 98)),
    (0.0, (247, 247, 247)),
    (0.5, (103, 169, 207)),
    (1.0, (33, 102, 172)),
)


def diverging(value: float) -> str:
    """Colour of a correlation on the red-white-blue scale (-1 red, 0 white, +1 blue)."""
    v = max(-1.0, min(1.0, value))
    for (a, ca), (b, cb) in itertools.pairwise(_RDBU):
        if a <= v <= b:
            t = (v - a) / (b - a)
            rgb = [round(ca[k] + (cb[k] - ca[k]) * t) for k in range(3)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#f7f7f7"  # pragma: no cover


CELL_TEXT_MIN = 22
"""Smallest heatmap cell (SVG units) that prints its r: four characters at 9 px."""


def cell_value(value: float | None) -> str:
    """r as a cell shows it: two decimals without the leading zero (-0.42 -> '−.42', 1 -> '1.00')."""
    if value is None:
        return "n/a"
    shown = f"{abs(value):.2f}".removeprefix("0")
    return ("−" if value < 0 and shown != ".00" else "") + shown


def heatmap(
    chart_id: str,
    row_ids: Sequence[str],
    col_ids: Sequence[str],
    values: Sequence[Sequence[float | None]],
    names: Mapping[str, str],
    *,
    title: str,
    desc: str,
) -> Markup:
    """A correlation matrix as coloured cells; each cell's tooltip gives the pair and r."""
    # a symmetric matrix shows its lower triangle only (the upper one repeats it and the diagonal
    # is 1): rows from the second, columns up to the last but one
    triangle = list(row_ids) == list(col_ids) and len(row_ids) > 1
    row_index = list(range(1, len(row_ids))) if triangle else list(range(len(row_ids)))
    col_index = list(range(len(col_ids) - 1)) if triangle else list(range(len(col_ids)))
    row_ids = [row_ids[i] for i in row_index]
    col_ids = [col_ids[j] for j in col_index]
    cell = float(max(9, min(34, math.floor(560 / max(len(col_ids), 1)))))
    size = 11 if cell >= 12 else 9
    # r printed in the cell when it fits (paper and phones cannot hover); the report's table after
    # the chart lists every value in any case
    value_size = 10 if cell >= 30 else 9 if cell >= CELL_TEXT_MIN else 0
    label_w = min(150.0, max((text_width(shorten(r, 22), size) for r in row_ids), default=40) + 8)
    label_h = min(150.0, max((text_width(shorten(c, 22), size) for c in col_ids), default=40) + 8)
    x0, y0 = label_w, label_h
    grid_w, grid_h = cell * len(col_ids), cell * len(row_ids)
    width = max(x0 + grid_w + 12, 320.0)
    height = y0 + grid_h + 56
    body: list[Markup] = []
    labels: list[Markup] = []
    for j, col in enumerate(col_ids):
        cx = x0 + j * cell + cell / 2 + size / 3
        body.append(
            el(
                "text",
                {
                    "x": cx,
                    "y": y0 - 6,
                    "font-size": size,
                    "fill": INK,
                    "transform": f"rotate(-90 {fmt(cx)} {fmt(y0 - 6)})",
                },
                shorten(col, 22),
            )
        )
    for i, row_id in enumerate(row_ids):
        y = y0 + i * cell
        body.append(text(x0 - 6, y + cell / 2 + size / 3, shorten(row_id, 22), anchor="end", size=size))
        cells = []
        for j, col in enumerate(col_ids):
            if triangle and j > i:
                break
            vi, vj = row_index[i], col_index[j]
            v = values[vi][vj] if vi < len(values) and vj < len(values[vi]) else None
            fill = "#e4e7eb" if v is None else diverging(v)
            tip = f"{row_id} × {col}: r = {'n/a' if v is None else f'{v:.2f}'}"
            cells.append(
                el(
                    "rect",
                    {"x": x0 + j * cell, "y": y, "width": cell, "height": cell, "fill": fill},
                    el("title", None, tip),
                )
            )
            if value_size:
                labels.append(
                    text(
                        x0 + j * cell + cell / 2,
                        y + cell / 2 + value_size / 3,
                        cell_value(v),
                        anchor="middle",
                        size=value_size,
                        # white on the dark ends of the scale, ink elsewhere: whichever contrasts more
                        # (the two cross near |r| = 0.75, where the cell's luminance is about 0.22)
                        fill="#ffffff" if v is not None and abs(v) >= 0.75 else INK,
                    )
                )
        body.append(el("g", {"stroke": "#ffffff", "stroke-width": 0.5}, *cells))
    if labels:
        body.append(el("g", {"class": "cell-values"}, *labels))
    # legend: a row of swatches from -1 to +1
    ly = y0 + grid_h + 18
    steps = [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
    sw = 26.0
    for k, v in enumerate(steps):
        body.append(el("rect", {"x": x0 + k * sw, "y": ly, "width": sw, "height": 10, "fill": diverging(v)}))
    body.append(text(x0, ly + 24, "−1", anchor="middle", size=10, fill=MUTED))
    body.append(text(x0 + 4.5 * sw, ly + 24, "0", anchor="middle", size=10, fill=MUTED))
    body.append(text(x0 + 9 * sw, ly + 24, "+1", anchor="middle", size=10, fill=MUTED))
    body.append(text(x0 + 9 * sw + 12, ly + 9, "Pearson r", size=10, fill=MUTED))
    return svg(chart_id, width, height, title, desc, *body)


def _name(identifier: str, names: Mapping[str, str]) -> str:
    name = names.get(identifier)
    return f"{name} ({identifier})" if name and name != identifier else identifier


# --------------------------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class PairRow:
    label: str
    first: float | None
    second: float | None


def paired_bars(
    chart_id: str,
    rows: Sequence[PairRow],
    *,
    first_label: str,
    second_label: str,
    title: str,
    desc: str,
    percent: bool = True,
    maximum: float | None = None,
) -> Markup:
    """Two bars per row (e.g. the weight an indicator is given and the weight it carries)."""
    label_w = min(220.0, max((text_width(shorten(r.label, 34), 11) for r in rows), default=60) + 12)
    width, row, top = 640.0, 22.0, 40.0
    x0, x1 = label_w, width - 84
    values = [v for r in rows for v in (r.first, r.second) if v is not None and math.isfinite(v)]
    top_value = maximum or max([*values, 1e-9])
    height = top + row * len(rows) + 10

    def w(v: float | None) -> float:
        return 0.0 if v is None else max(0.0, v) / top_value * (x1 - x0)

    def label(v: float | None) -> str:
        if v is None:
            return "n/a"
        return f"{v * 100:.1f}%" if percent else fmt(v)

    second_x = max(x0, 16.0) + 18 + text_width(first_label, 11) + 24
    legend_x = min(max(x0, 16.0), width - (second_x - max(x0, 16.0)) - text_width(second_label, 11) - 30)
    second_x += legend_x - max(x0, 16.0)
    body: list[Markup] = [
        el("rect", {"x": legend_x, "y": 8, "width": 12, "height": 10, "fill": BAR}),
        text(legend_x + 18, 17, first_label, size=11),
        el("rect", {"x": second_x, "y": 8, "width": 12, "height": 10, "fill": IMPORTANCE}),
        text(second_x + 18, 17, second_label, size=11),
    ]
    for i, r in enumerate(rows):
        y = top + i * row
        parts: list[Markup] = []
        if i % 2 == 0:
            parts.append(el("rect", {"x": 0, "y": y, "width": width, "height": row, "fill": STRIPE}))
        parts.append(text(x0 - 8, y + row / 2 + 4, shorten(r.label, 34), anchor="end", size=11))
        parts.append(el("rect", {"x": x0, "y": y + 3, "width": w(r.first), "height": 7, "fill": BAR}))
        parts.append(el("rect", {"x": x0, "y": y + 11, "width": w(r.second), "height": 7, "fill": IMPORTANCE}))
        parts.append(
            text(
                x0 + max(w(r.first), w(r.second)) + 6,
                y + row / 2 + 4,
                f"{label(r.first)} / {label(r.second)}",
                size=10,
                fill=MUTED,
            )
        )
        tip = f"{r.label}: {first_label} {label(r.first)}; {second_label} {label(r.second)}"
        body.append(group(*parts, tooltip=tip))
    return svg(chart_id, width, height, title, desc, *body)

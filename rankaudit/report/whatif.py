"""Renderers of `rankaudit claims` and `rankaudit rerank`: terminal, Markdown, JSON and an HTML section.

Every string that comes from the spec or the data (city names, ids, group ids, the ranking's name)
passes through a sanitiser of ``report/sanitise.py`` (terminal, Markdown) or ``html.escape`` after
the terminal sanitiser (HTML), so a name cannot act as markup or as a terminal command. Numbers are
formatted here, once, so the four formats say the same thing.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from rankaudit.report.sanitise import md_text, terminal_text

if TYPE_CHECKING:
    from rankaudit.report.formats import RenderOptions
    from rankaudit.stats.claims import CityClaims, ClaimsResult
    from rankaudit.stats.rerank import RerankReport, StabilityResult

T = TypeVar("T")


@dataclass(frozen=True)
class Titled(Generic[T]):
    """A result with the name of the ranking it is about (the renderers' input)."""

    title: str
    body: T


def h(value: object) -> str:
    """Input text for HTML: control and bidi characters shown escaped, then markup escaped."""
    return html.escape(terminal_text(value), quote=True)


def _pct(x: float | None, digits: int = 0) -> str:
    return "n/a" if x is None else f"{x:.{digits}%}"


def _rank(x: float | int | None) -> str:
    if x is None:
        return "-"
    return f"{x:g}" if isinstance(x, float) else str(x)


def _interval(c: CityClaims) -> str:
    return "-" if c.q05_rank is None or c.q95_rank is None else f"{c.q05_rank:g}-{c.q95_rank:g}"


def _label(name: str | None, cid: str) -> str:
    return f"{name} ({cid})" if name and name != cid else cid


def _table_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain, aligned text table (cells already sanitised)."""
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i]) for i in range(len(header))]
    line = "  ".join(f"{x:<{w}}" for x, w in zip(header, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(f"{x:<{w}}" for x, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(out) + "\n"


def _table_md(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (cells already sanitised with md_text)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def _table_html(header: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """An HTML table (cells already escaped)."""
    cap = f"<caption>{caption}</caption>" if caption else ""
    head = "".join(f"<th>{x}</th>" for x in header)
    body = "".join("<tr>" + "".join(f"<td>{x}</td>" for x in r) + "</tr>" for r in rows)
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"


def _end(lines: list[str], warnings: list[str]) -> str:
    """The text of a terminal or Markdown answer: its lines, then its warnings after a blank line."""
    return "\n".join([*lines, "", *warnings]).rstrip() + "\n"


def _wrapped(paragraphs: Sequence[str], options: RenderOptions) -> list[str]:
    """Paragraphs for the terminal: sanitised, wrapped to its width."""
    width = max(40, options.width)
    return [line for p in paragraphs for line in textwrap.wrap(terminal_text(p), width, break_long_words=False)]


def _page(title: str, section: str) -> str:
    """A self-contained page around one section (the --format html output)."""
    style = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}"
             "table{border-collapse:collapse;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;"
             "text-align:left;vertical-align:top}th{background:#f4f4f4}.holds{color:#1a7f37}.fails{color:#b42318}"
             "caption{text-align:left;font-weight:600;padding:.3rem 0}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{h(title)}</title>"
            f"<style>{style}</style></head><body>\n{section}</body></html>\n")


# ------------------------------------------------------------------------------------------------
# claims
# ------------------------------------------------------------------------------------------------
def _claims_intro(res: ClaimsResult) -> list[str]:
    return [
        f"{res.n_runs:,} plausible variants (the audit's Monte Carlo, seed {res.seed}); a claim holds when it is "
        f"true in at least {res.threshold:.0%} of them.",
        f"Assumptions varied: {'; '.join(res.assumptions)}.",
        f"Cities cannot be told apart when their {res.overlap_rule}.",
    ]


def _verdict_cells(c: CityClaims, esc: Callable[[object], str]) -> str:
    return "; ".join(f"{esc(v.claim)}: {'holds' if v.holds else 'no'} ({_pct(v.share)})" for v in c.verdicts)


def _claims_rows(res: ClaimsResult, esc: Callable[[object], str]) -> list[list[str]]:
    rows = []
    for c in res.cities:
        apart = ", ".join(esc(res.name(j)) for j in c.indistinguishable[:8])
        if len(c.indistinguishable) > 8:
            apart += f" (+{len(c.indistinguishable) - 8})"
        rows.append([_rank(c.nominal_rank), esc(_label(c.name, c.id)), _rank(c.median_rank), _interval(c),
                     f"top {c.best_top_n}" if c.best_top_n else "-", _verdict_cells(c, esc), apart or "-"])
    return rows


CLAIMS_HEADER = ["Rank", "City", "Median", "5-95%", "Safe claim", "Verdicts (share of variants)",
                 "Cannot be told apart from"]


def render_claims_terminal(doc: Titled[ClaimsResult], options: RenderOptions) -> str:
    res = doc.body
    out = [terminal_text(f"What each rank can claim: {doc.title}"), ""]
    out += _wrapped(_claims_intro(res), options)
    out.append("")
    for c in res.cities:
        head = (f"{_rank(c.nominal_rank):>4}  {terminal_text(_label(c.name, c.id))}: median {_rank(c.median_rank)}, "
                f"5-95% {_interval(c)}" + (f", safe claim: top {c.best_top_n}" if c.best_top_n else ""))
        out.append(head)
        for v in c.verdicts:
            out.append(f"      {'holds' if v.holds else 'no   '}  {terminal_text(v.claim)}: true in {_pct(v.share, 1)}")
        if c.indistinguishable:
            out.append("      cannot be told apart from: "
                       + ", ".join(terminal_text(res.name(j)) for j in c.indistinguishable))
    return _end(out, [terminal_text(f"warning: {w}") for w in res.warnings])


def render_claims_markdown(doc: Titled[ClaimsResult], options: RenderOptions) -> str:
    res = doc.body
    out = [f"## What each rank can claim: {md_text(doc.title)}", ""]
    out += [md_text(x) for x in _claims_intro(res)]
    out += ["", _table_md(CLAIMS_HEADER, _claims_rows(res, md_text))]
    return _end(out, [f"- warning: {md_text(w)}" for w in res.warnings])


def claims_section(doc: Titled[ClaimsResult]) -> str:
    """The claims table as an HTML section (for the report page or a page of its own)."""
    res = doc.body
    intro = "".join(f"<p>{h(x)}</p>" for x in _claims_intro(res))
    rows = _claims_rows(res, h)
    for r, c in zip(rows, res.cities, strict=True):
        r[5] = "; ".join(f"{h(v.claim)}: <span class=\"{'holds' if v.holds else 'fails'}\">"
                         f"{'holds' if v.holds else 'no'}</span> ({_pct(v.share)})" for v in c.verdicts)
    warn = "".join(f"<p class=\"warning\">warning: {h(w)}</p>" for w in res.warnings)
    return (f"<section class=\"rankaudit-claims\"><h2>What each rank can claim: {h(doc.title)}</h2>{intro}"
            f"{_table_html(CLAIMS_HEADER, rows)}{warn}</section>\n")


def render_claims_html(doc: Titled[ClaimsResult], options: RenderOptions) -> str:
    return _page(f"Claims: {doc.title}", claims_section(doc))


def render_claims_json(doc: Titled[ClaimsResult], options: RenderOptions) -> str:
    return json.dumps({"ranking": doc.title, **doc.body.to_dict()}, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------------------
# rerank
# ------------------------------------------------------------------------------------------------
def _weights_rows(rep: RerankReport, esc: Callable[[object], str]) -> list[list[str]]:
    if rep.rerank is None:
        return []
    rows = []
    for parent, used in rep.rerank.weights.items():
        nominal = rep.rerank.nominal_weights.get(parent, {})
        for child, share in used.items():
            rows.append([esc(parent), esc(child), _pct(nominal.get(child), 1), _pct(share, 1)])
    return rows


def _shift(x: int | None) -> str:
    return "-" if x is None else f"{x:+d}" if x else "0"


def _rank_rows(rep: RerankReport, esc: Callable[[object], str], only_big: bool = False) -> list[list[str]]:
    assert rep.rerank is not None
    rows = []
    for r in rep.rerank.rows:
        if only_big and not r.big:
            continue
        rows.append([_rank(r.rank), esc(_label(r.name, r.id)), _rank(r.baseline_rank), _shift(r.shift),
                     "-" if r.score is None else f"{r.score:.2f}",
                     "-" if r.score_change is None else f"{r.score_change:+.2f}", esc(r.driver or "-")])
    return rows


def _change_rows(rep: RerankReport, esc: Callable[[object], str]) -> list[list[str]]:
    rows = []
    for c in rep.changes:
        if c.achievable and c.weights and not c.already:
            moved = {k: v - c.nominal_weights.get(k, 0.0) for k, v in c.weights.items()}
            how = ", ".join(f"{esc(k)} {c.nominal_weights.get(k, 0.0):.1%} -> {c.weights[k]:.1%}"
                            for k, d in moved.items() if abs(d) >= 5e-5)
        else:
            how = esc(c.reason)
        rows.append([esc(_label(rep.names.get(c.city), c.city)), _rank(c.rank_nominal), esc(c.target),
                     "yes (already)" if c.already else "yes" if c.achievable else "no",
                     _pct(c.moved, 2) if c.moved is not None else "-", how,
                     _rank(c.rank_at_weights), "yes" if c.verified else "no"])
    return rows


WEIGHTS_HEADER = ["Parent", "Element", "Nominal share", "Share used"]
RANKS_HEADER = ["Rank", "City", "Baseline rank", "Shift", "Score", "Score change", "Main driver"]
CHANGE_HEADER = ["City", "Rank", "Target", "Reachable", "Weight moved", "Smallest change (L1)", "Rank there",
                 "Verified"]


def _stability_lines(s: StabilityResult, names: dict[str, str | None]) -> list[str]:
    def nm(x: str) -> str:
        return names.get(x) or x

    top = ", ".join(nm(x) for x in s.top)
    out = [f"The {s.source} top {s.n} ({top})" + ("" if s.reproduced else
                                                 " (not the rebuilt top N at the nominal weights)") + ":"]
    if s.radius is None:
        out.append(f"  it does not change under any valid weights of the children of {s.node!r}.")
    else:
        assert s.pair is not None
        out.append(f"  the set holds while less than {s.radius / 2:.2%} of the weight among the children of "
                   f"{s.node!r} moves (L1 radius {s.radius:.4f}); at that distance {nm(s.pair[1])} ties "
                   f"{nm(s.pair[0])}.")
    if s.radius_order is not None and s.pair_order is not None:
        out.append(f"  its order holds while less than {s.radius_order / 2:.2%} moves; then {nm(s.pair_order[1])} "
                   f"ties {nm(s.pair_order[0])}.")
    return out


def _rerank_intro(rep: RerankReport) -> list[str]:
    out = []
    if rep.rerank is not None:
        base = "published ranks" if rep.rerank.baseline == "published" else "ranks rebuilt at the nominal weights"
        out.append(f"Ranks under the given weights against the {base}; a shift of {rep.rerank.big_shift} or more "
                   "ranks is big, and its driver is the top-level group that moves the score most.")
    if rep.changes:
        out.append("The smallest change of the weights (L1 distance within the valid weights, non-negative and "
                   "summing to 1; 'weight moved' = half of it) for the target, checked by rebuilding the index.")
    return out


def render_rerank_terminal(doc: Titled[RerankReport], options: RenderOptions) -> str:
    rep = doc.body
    out = [terminal_text(f"Rerank: {doc.title}"), ""]
    out += _wrapped(_rerank_intro(rep), options)
    if rep.rerank is not None:
        out += ["", "Weights", _table_text(WEIGHTS_HEADER, _weights_rows(rep, terminal_text)),
                "Ranks", _table_text(RANKS_HEADER, _rank_rows(rep, terminal_text))]
    if rep.changes:
        out += ["", terminal_text(f"Target: {rep.target}"),
                _table_text(CHANGE_HEADER, _change_rows(rep, terminal_text))]
    if rep.stability is not None:
        out += ["", "Stability"]
        for line in _stability_lines(rep.stability, rep.names):
            indent = " " * (len(line) - len(line.lstrip()))
            out += textwrap.wrap(terminal_text(line.strip()), max(40, options.width), initial_indent=indent,
                                 subsequent_indent=indent + "  ", break_long_words=False)
    return _end(out, [terminal_text(f"warning: {w}") for w in rep.warnings])


def render_rerank_markdown(doc: Titled[RerankReport], options: RenderOptions) -> str:
    rep = doc.body
    out = [f"## Rerank: {md_text(doc.title)}", ""]
    out += [md_text(x) for x in _rerank_intro(rep)]
    if rep.rerank is not None:
        out += ["", "### Weights", "", _table_md(WEIGHTS_HEADER, _weights_rows(rep, md_text)),
                "### Ranks", "", _table_md(RANKS_HEADER, _rank_rows(rep, md_text))]
    elif rep.changes or rep.stability is not None:
        out.append("")
    if rep.changes:
        out += ["", f"### Target: {md_text(rep.target)}", "", _table_md(CHANGE_HEADER, _change_rows(rep, md_text))]
    if rep.stability is not None:
        lines = _stability_lines(rep.stability, rep.names)
        out += ["", "### Stability", "", *(f"- {md_text(x.strip())}" for x in lines)]
    return _end(out, [f"- warning: {md_text(w)}" for w in rep.warnings])


def rerank_section(doc: Titled[RerankReport]) -> str:
    rep = doc.body
    parts = [f"<section class=\"rankaudit-rerank\"><h2>Rerank: {h(doc.title)}</h2>"]
    parts += [f"<p>{h(x)}</p>" for x in _rerank_intro(rep)]
    if rep.rerank is not None:
        parts.append(_table_html(WEIGHTS_HEADER, _weights_rows(rep, h), "Weights"))
        parts.append(_table_html(RANKS_HEADER, _rank_rows(rep, h), "Ranks"))
    if rep.changes:
        parts.append(_table_html(CHANGE_HEADER, _change_rows(rep, h), f"Target: {h(rep.target)}"))
    if rep.stability is not None:
        parts.append("<h3>Stability</h3>" + "".join(f"<p>{h(x.strip())}</p>"
                                                      for x in _stability_lines(rep.stability, rep.names)))
    parts += [f"<p class=\"warning\">warning: {h(w)}</p>" for w in rep.warnings]
    return "".join(parts) + "</section>\n"


def render_rerank_html(doc: Titled[RerankReport], options: RenderOptions) -> str:
    return _page(f"Rerank: {doc.title}", rerank_section(doc))


def render_rerank_json(doc: Titled[RerankReport], options: RenderOptions) -> str:
    return json.dumps({"ranking": doc.title, **doc.body.to_dict()}, indent=2, ensure_ascii=False) + "\n"

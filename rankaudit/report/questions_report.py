"""Renderers of the due-diligence letter (`rankaudit questions`): plain text, Markdown, HTML, JSON.

The words are decided once here (``_opening``, ``_closing``, ``_lines``) and every format prints
them; input strings (names, messages, sources) pass through ``report/sanitise.py`` (or ``html.escape``
after it) so that a spec cannot inject markup or terminal commands into a letter.
"""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING

from rankaudit.questions import Letter, Question, cost_text
from rankaudit.report.sanitise import md_text, terminal_text
from rankaudit.report.whatif import _page, h

if TYPE_CHECKING:
    from rankaudit.report.formats import RenderOptions


def _opening(letter: Letter) -> list[str]:
    if letter.all_met:
        return [f"We have reviewed the methodology of the {letter.ranking} against the rankaudit rule catalogue. "
                "Every rule we could assess is met, and we found no fact left undisclosed or unconfirmed: we "
                "have no questions at this stage.",
                "Thank you for publishing your methodology in full."]
    n = len(letter.questions)
    return [f"We are assessing the {letter.ranking} before relying on it, and would be grateful for your answers "
            f"to the {n} question{'s' if n != 1 else ''} below. They are grouped by topic and ordered by how much "
            "each answer matters to our assessment.",
            "Where we write \"please confirm\", we did not find the information in the sources we read; it may "
            "well be published, and a pointer to where is all we need."]


def _closing(letter: Letter) -> list[str]:
    return [] if letter.all_met else ["Thank you for your time; we will gladly cite your answers."]


def _label(q: Question) -> str:
    return f"Please confirm: {q.text}" if q.kind == "confirm" else q.text


def _details(q: Question) -> list[tuple[str, str]]:
    out = [("Why it matters", q.why)]
    if q.standard:
        out.append(("Standard", q.standard + (f" ({q.url})" if q.url else "")))
    out.append(("What we read", q.found))
    weight = cost_text(q)
    if weight:
        out.append(("In our assessment", weight))
    if q.rules:
        out.append(("Rules", ", ".join(q.rules)))
    return out


def render_text(letter: Letter, options: RenderOptions) -> str:
    wrap = textwrap.TextWrapper(width=100, break_long_words=False, break_on_hyphens=False)
    out = [terminal_text(f"To: {letter.publisher}"), terminal_text(f"About: {letter.ranking}"), "",
           "Dear colleagues,", ""]
    for para in _opening(letter):
        out += [*wrap.wrap(terminal_text(para)), ""]
    for s in letter.sections:
        out += [terminal_text(s.title), "=" * len(s.title), ""]
        for q in s.questions:
            head = f"{q.number}. "
            out += textwrap.wrap(terminal_text(_label(q)), 100, initial_indent=head,
                                 subsequent_indent=" " * len(head), break_long_words=False)
            for key, value in _details(q):
                out += textwrap.wrap(terminal_text(f"{key}: {value}"), 100, initial_indent=" " * len(head),
                                     subsequent_indent=" " * (len(head) + 2), break_long_words=False,
                                     break_on_hyphens=False)
            out.append("")
    for para in _closing(letter):
        out += [*wrap.wrap(terminal_text(para)), ""]
    return "\n".join(out).rstrip() + "\n"


def _linkable(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c in url for c in " <>\\`\n")


def render_markdown(letter: Letter, options: RenderOptions) -> str:
    out = [f"# Questions for {md_text(letter.publisher)}", "", f"**About:** {md_text(letter.ranking)}", "",
           "Dear colleagues,", ""]
    for para in _opening(letter):
        out += [md_text(para), ""]
    for s in letter.sections:
        out += [f"## {md_text(s.title)}", ""]
        for q in s.questions:
            out.append(f"{q.number}. **{md_text(_label(q))}**")
            for key, value in _details(q):
                if key == "Standard" and q.url and _linkable(q.url):
                    # the rule catalogue's own URL (not input): a working link
                    value = md_text(q.standard) + f" <{q.url}>"
                    out.append(f"   - *{key}:* {value}")
                else:
                    out.append(f"   - *{key}:* {md_text(value)}")
            out.append("")
    for para in _closing(letter):
        out += [md_text(para), ""]
    return "\n".join(out).rstrip() + "\n"


def letter_section(letter: Letter) -> str:
    """The letter as an HTML section (for a report page or a page of its own)."""
    parts = [f"<section class=\"rankaudit-questions\"><h2>Questions for {h(letter.publisher)}</h2>",
             f"<p><strong>About:</strong> {h(letter.ranking)}</p><p>Dear colleagues,</p>"]
    parts += [f"<p>{h(p)}</p>" for p in _opening(letter)]
    for s in letter.sections:
        parts.append(f"<h3>{h(s.title)}</h3><ol start=\"{s.questions[0].number}\">")
        for q in s.questions:
            details = "".join(f"<li><em>{h(k)}:</em> {h(v)}</li>" for k, v in _details(q))
            parts.append(f"<li><strong>{h(_label(q))}</strong><ul>{details}</ul></li>")
        parts.append("</ol>")
    parts += [f"<p>{h(p)}</p>" for p in _closing(letter)]
    return "".join(parts) + "</section>\n"


def render_html(letter: Letter, options: RenderOptions) -> str:
    return _page(f"Questions: {letter.ranking}", letter_section(letter))


def render_json(letter: Letter, options: RenderOptions) -> str:
    return json.dumps(letter.to_dict(), indent=2, ensure_ascii=False) + "\n"

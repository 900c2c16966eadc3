"""Issue 15: hostile strings in every free-text field of a valid spec come out of every format as text.

The free-text fields are found by walking the spec, not listed by hand: every string of
tests/hostile/data/rich.yaml (a valid spec with a value in each kind of text field) that still
validates when replaced by a probe full of markup and control characters is a field a stranger
can fill with anything. Hypothesis then fills all of them at once (plus the spec's file name and
the statistical audit's unit names, indicator names and warnings) with strings built from
hostile fragments: C0/C1 controls, terminal escapes (OSC title, CSI, the 8-bit CSI), bidi
overrides, Markdown links and images, raw HTML and script, workflow commands after newlines, CSV
formula starts, very long strings. Each report format must carry them as text:

* terminal: no raw control or bidi character, and no line a CI runner would read as a command;
* GitHub: every line that starts with `::` is one rankaudit built (a known command with
  well-formed properties), no line starts with `##[` and none holds one (the runner's old syntax);
* Markdown (markdown-it-py, "gfm-like", html and linkify on): no HTML, no image, no link, no
  emphasis or code span from the input;
* HTML (html.parser): no element and no attribute from the input;
* SARIF, JSON, JUnit: parse, and the ranking name comes back exactly (JSON, SARIF) or with the
  characters XML cannot hold written as visible escapes (JUnit);
* CSV: no raw control or bidi character in any cell, and no cell starts with a formula character
  unless it is a number rankaudit wrote.

Examples are derandomised (the same ones on every run) and few enough for about 30 s on a
loaded two-core machine.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from rankaudit.audit import audit
from rankaudit.compare import build_comparison
from rankaudit.diagnostics import SpecError
from rankaudit.report.formats import COMPARISONS, REPORTS, RenderOptions
from rankaudit.result import AuditResult
from rankaudit.spec.load import load_spec
from rankaudit.stats.result import StatsResult
from tests.report.conftest import STATS
from tests.report.htmlscan import Scan

DATA = Path(__file__).resolve().parent / "data"
BASE_FILE = DATA / "rich.yaml"

# ------------------------------------------------------------------------------------------------ fragments

# Every fragment that could create something (an element, a link, a command) carries a marker
# (INJ, inject, probe), so that the checks can tell input from rankaudit's own output. Fuzzy
# links use real top-level domains: linkify-it links no bare name under `.example`.
CONTROLS = [chr(c) for c in range(0x00, 0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u061c", "\u200e"]
TERMINAL = ["\x1b]0;INJ-title\x07", "\x1b[2J", "\x1b[31m", "\x9b31m", "\x1b]8;;https://inject.example\x1b\\",
            "\x1bP+q\x1b\\", "\x1b[6n"]
MARKDOWN = ["![INJ](https://inject.example/t.png)", "[INJ](https://inject.example/p)", "<https://inject.example>",
            "https://inject.example/q", "www.inject-example.com", "INJ@inject-example.com", "inject-example.org/x",
            "*INJem*", "_INJem_",
            "**INJst**", "~~INJs~~", "`INJcode`", "[INJ]: https://inject.example/ref", "| INJ |", "# INJ",
            "\n> INJ\n", "\n```\nINJ\n```\n", "\\<INJ\\>"]
HTML = ["<script data-probe>alert('INJ')</script>", "<img data-probe src=x onerror=alert(1)>", "<probe-el data-probe>",
        "\"><probe-el data-probe x=\"", "'><svg data-probe onload=alert(1)>", "<!--INJ", "-->", "&lt;probe-el&gt;",
        "&#60;probe-el data-probe&#62;", "<a data-probe href=\"javascript:alert(1)\">INJ</a>",
        "]]><probe-el data-probe>"]
WORKFLOW = ["\n::error::INJ", "\r\n::warning file=x,line=1::INJ", "\n##[error]INJ", "::error::INJ", "##[group]INJ",
            "%0A::error::INJ", "\n  ::notice title=INJ::INJ", "::add-mask::INJ", "\n::stop-commands::INJ"]
CSV_FORMULA = ["=HYPERLINK(\"https://inject.example\",\"INJ\")", "+1+INJ", "-2+INJ", "@SUM(INJ)", "\t=INJ", "\r=INJ",
               "=1", "-1"]
OTHER = ['"', "'", "\\", "\u2028", "\u2029", "\u0085", "\ufeff", "\u00a0", "é", "中文", "🏙", "%", "%25", ",", ";"]

FRAGMENTS = CONTROLS + BIDI + TERMINAL + MARKDOWN + HTML + WORKFLOW + CSV_FORMULA + OTHER
_filler = st.text(st.characters(exclude_categories=("Cs",)), max_size=6)
_part = st.one_of(st.sampled_from(FRAGMENTS), _filler)
# The first part is always a fragment: what a string starts with matters (a formula, `::`).
hostile_text = st.builds(lambda first, rest: first + "".join(rest), st.sampled_from(FRAGMENTS),
                         st.lists(_part, max_size=5))
LONG = 20_000

FILE_NAMES = ["specs/rich.yaml", "x\n::error::INJ.yaml", "::warning file=a,line=1::INJ.yaml", "##[error]INJ.yaml",
              "\x1b]0;INJ\x07.yaml", "=INJ().yaml", "a\u202eINJ.yaml", "[INJ](https://inject.example).yaml"]

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
MARKERS = ("INJ", "inject", "probe", "alert", "javascript")

# ------------------------------------------------------------------------------------------------ the fields


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    elif isinstance(node, str):
        yield path


def _set(doc: Any, path: tuple[Any, ...], value: str) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _load(doc: dict[str, Any], name: str = "specs/rich.yaml") -> Any:
    raw = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10**9).encode("utf-8")
    return load_spec(name, raw, spec_dir=DATA)


@cache
def base() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(BASE_FILE.read_text(encoding="utf-8"))
    return doc


PROBE = "P <b>x</b> [y](https://inject.example) \x1b[2J \u202e ::error::z =1"


@cache
def free_text_fields() -> tuple[tuple[Any, ...], ...]:
    """Every string of the base spec that accepts arbitrary text (ids, enums, dates, URLs and references do not)."""
    found = []
    for path in _leaves(base()):
        doc = copy.deepcopy(base())
        _set(doc, path, PROBE)
        try:
            _load(doc)
        except SpecError:
            continue
        found.append(path)
    return tuple(found)


def test_the_walk_finds_the_free_text_fields() -> None:
    fields = {".".join(str(p) for p in path) for path in free_text_fields()}
    # the kinds the issue names are all there, found by walking, not listed
    for expected in ("ranking.name", "publisher.name", "notes", "ranking.cite.0.quote", "cities.list.0.name",
                     "sources.egci_report.title", "structure.children.0.children.0.name",
                     "history.changes.0.description", "conflict_of_interest", "sponsors.0.name"):
        assert expected in fields, sorted(fields)
    # and ids, enums, dates and references are not
    for excluded in ("ranking.published", "publisher.type", "structure.children.0.id", "ranking.cite.0.source"):
        assert excluded not in fields
    assert len(fields) >= 30


# ------------------------------------------------------------------------------------------------ one example


@st.composite
def hostile_specs(draw: st.DrawFn) -> tuple[dict[str, Any], str, dict[str, Any]]:
    fields = free_text_fields()
    doc = copy.deepcopy(base())
    texts = draw(st.lists(hostile_text, min_size=len(fields), max_size=len(fields)))
    long_one = draw(st.integers(-1, len(fields) - 1))  # one field (or none) gets a very long string
    for i, (path, text) in enumerate(zip(fields, texts, strict=True)):
        _set(doc, path, text * (LONG // max(1, len(text)) + 1) if i == long_one else text)
    stats = copy.deepcopy(STATS)
    names = draw(st.lists(hostile_text, min_size=len(stats["units"]) + len(stats["indicators"]) + 1,
                          max_size=len(stats["units"]) + len(stats["indicators"]) + 1))
    for unit, name in zip(stats["units"], names, strict=False):
        unit["name"] = name
    for indicator, name in zip(stats["indicators"], names[len(stats["units"]):], strict=False):
        indicator["name"] = name
    stats["warnings"] = [names[-1]]
    return doc, draw(st.sampled_from(FILE_NAMES)), stats


def _audited(doc: dict[str, Any], name: str, stats: dict[str, Any]) -> AuditResult:
    try:
        loaded = _load(doc, name)
    except SpecError as exc:
        # a string the format refuses (e.g. a blank name) must be a located error, never a crash
        assert all(d.line is not None for d in exc.diagnostics), exc.diagnostics
        assume(False)
        raise
    return audit(loaded, None, StatsResult.model_validate(stats))


# ------------------------------------------------------------------------------------------------ the checks

COMMAND_LINE = re.compile(r"::(error|warning|notice) (?:[A-Za-z]+=[^:,\r\n]*)(?:,[A-Za-z]+=[^:,\r\n]*)*::")


def _no_command_lines(text: str, where: str) -> None:
    """What the Actions runner reads as a command: `::` at a line start (after blanks), `##[` anywhere."""
    for line in re.split(r"\r\n|\r|\n", text):
        assert not line.strip().startswith("::"), (where, line[:200])
        assert "##[" not in line, (where, line[:200])


def check_terminal(result: AuditResult) -> None:
    for color in (False, True):
        out = REPORTS.render("terminal", [result], RenderOptions(color=color, width=100))
        if color:  # rankaudit's own colours (SGR) are the only escape sequences
            out = re.sub(r"\x1b\[[0-9;]*m", "", out)
        check_terminal_text(out)


def check_terminal_text(out: str) -> None:
    assert not RAW_CONTROL.search(out), repr(RAW_CONTROL.search(out))
    _no_command_lines(out, "terminal")


def check_comparison(result: AuditResult) -> None:
    """`compare` shows the same names in its own table formats (its Markdown cells were a reproducer)."""
    comparison = build_comparison([result, result.model_copy(update={"file": result.file + "-2"})])
    check_terminal_text(COMPARISONS.render("terminal", comparison, RenderOptions(width=100)))
    check_markdown_text(COMPARISONS.render("md", comparison, RenderOptions()))
    check_csv_text(COMPARISONS.render("csv", comparison, RenderOptions()))
    json.loads(COMPARISONS.render("json", comparison, RenderOptions()))


def check_github(result: AuditResult) -> None:
    out = REPORTS.render("github", [result], RenderOptions())
    assert not RAW_CONTROL.search(out.replace("\n", ""))
    lines = out.split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert "##[" not in line, line[:200]
        if line.lstrip().startswith("::"):
            assert COMMAND_LINE.match(line), line[:300]  # built by rankaudit: a known command, clean properties
        else:
            assert line.startswith("rankaudit: "), line[:200]  # rankaudit's own words start every plain line


def _md_tokens(markdown: str) -> Iterator[Any]:
    parser = MarkdownIt("gfm-like", {"html": True, "linkify": True})
    for token in parser.parse(markdown):
        yield token
        yield from token.children or []


def declared_links(doc: dict[str, Any]) -> set[str]:
    """The spec's address fields that hold an http(s) address: rankaudit links these, as it should.

    The walk fills the address fields too (they accept any text); a value that is an http(s)
    address is a link the spec declares, not markup smuggled in through a text field.
    """
    found = set()
    for path in _leaves(doc):
        value = doc
        for key in path:
            value = value[key]
        if str(path[-1]).endswith("url") and value.startswith(("http://", "https://")):
            found.add(value)
    return found


def check_markdown(result: AuditResult, declared: Collection[str] = ()) -> None:
    check_markdown_text(REPORTS.render("md", [result], RenderOptions()), declared)


def check_markdown_text(markdown: str, declared: Collection[str] = ()) -> None:
    normalise = MarkdownIt("gfm-like").normalizeLink
    allowed = {normalise(url) for url in declared}
    inline_text: list[str] = []
    opened: list[str] = []
    for token in _md_tokens(markdown):
        assert token.type not in ("html_inline", "html_block", "image"), (token.type, token.content[:200])
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            assert href in allowed or not any(m in href for m in MARKERS), href
            assert href.startswith(("https://", "http://", "#")), href  # rankaudit's own links only
        if token.type in ("em_open", "strong_open", "s_open"):
            opened.append(token.type)
        elif token.type in ("em_close", "strong_close", "s_close"):
            opened.pop()
        elif token.type == "text" and opened:
            inline_text.append(token.content)
        if token.type in ("fence", "code_block"):
            assert "INJ" not in token.content, token.content[:200]
        # rankaudit may put a whole input string in a code span (md_code); the input's own
        # backticks must not open one (the fragment `INJcode` would give exactly this content)
        assert not (token.type == "code_inline" and token.content == "INJcode"), token.content
    assert not any("INJ" in t for t in inline_text), [t[:80] for t in inline_text if "INJ" in t]


def check_html(result: AuditResult, declared: Collection[str] = ()) -> None:
    check_html_text(REPORTS.render("html", [result], RenderOptions()), declared)


def check_html_text(page: str, declared: Collection[str] = ()) -> None:
    scan = Scan(page)
    for tag, attrs in scan.tags:
        assert tag != "probe-el" and "data-probe" not in attrs, (tag, attrs)
        for name, value in attrs.items():
            assert not (name.startswith("on") and value and "alert" in value), (tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href") and value not in declared:
                assert not any(m in (value or "") for m in MARKERS), (tag, name, value)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def check_json_and_sarif(result: AuditResult) -> None:
    report = json.loads(REPORTS.render("json", [result], RenderOptions()))
    strings = set(_strings(report))
    # the exact texts, round-tripped: the names and every message that quotes the input
    assert result.profile is None or result.profile.name in strings
    assert all(f.message in strings for f in result.findings)
    sarif = json.loads(REPORTS.render("sarif", [result], RenderOptions()))
    assert sarif["version"] == "2.1.0"
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert len(messages) == len(result.failing())
    joined = "\n".join(messages)
    for finding in result.failing():
        shown = " ".join(finding.message.split())
        assert shown[1:] in joined, shown[:200]  # one line, first letter capitalised, otherwise exact


# XML 1.0 cannot carry these at all (outside its Char production); JUnit shows them as escapes
# (\x1b, \ufffe) and keeps the rest exactly.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def check_junit(result: AuditResult) -> None:
    root = ET.fromstring(REPORTS.render("junit", [result], RenderOptions()).encode("utf-8"))
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    if result.profile is not None:
        # one line (whitespace runs, newlines included, become one space), every XML character kept
        assert properties.get("ranking") == _NOT_XML.sub(_xml_escaped, " ".join(result.profile.name.split()))


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def check_csv(result: AuditResult) -> None:
    check_csv_text(REPORTS.render("csv", [result], RenderOptions()))


def check_csv_text(text: str) -> None:
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            # a CSV is read in terminals and spreadsheets too: controls and bidi come out as escapes
            assert not RAW_CONTROL.search(cell), repr(RAW_CONTROL.search(cell))
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert _NUMBER.fullmatch(cell), cell[:200]  # only numbers may start that way


def test_the_checks_see_an_injection() -> None:
    """The oracles themselves: each one fails on what it is there to catch."""
    for markdown in ("[a](https://inject.example)", "x <b>y</b>", "![i](https://a.example/t.png)", "*INJem*",
                     "see www.inject-example.com", "mail INJ@inject-example.com"):
        with pytest.raises(AssertionError):
            check_markdown_text(markdown)
    check_markdown_text("[report](https://inject.example/r)", {"https://inject.example/r"})  # a declared link
    for page in ("<p><probe-el></probe-el></p>", "<img data-probe src=x>", "<a href='https://inject.example'>x</a>",
                 "<svg onload=alert(1)>"):
        with pytest.raises(AssertionError):
            check_html_text(page)
    for text in ("a\x1bb", "ok\n::error::x", "a ##[group]b", "\u202e"):
        with pytest.raises(AssertionError):
            check_terminal_text(text)
    with pytest.raises(AssertionError):
        check_csv_text("a,=1+1\n")
    for cell in ("\x1b[31m", "\x9b2J", "\u202eab", "\u2067x", "a\rb"):
        with pytest.raises(AssertionError):
            check_csv_text(f'a,"{cell}"\n')
    check_csv_text("a,-1.5,'=1\n")


# ------------------------------------------------------------------------------------------------ the property


@settings(max_examples=30, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(hostile_specs())
def test_hostile_strings_come_out_of_every_format_as_text(case: tuple[dict[str, Any], str, dict[str, Any]]) -> None:
    doc, name, stats = case
    result = _audited(doc, name, stats)
    check_terminal(result)
    check_github(result)
    declared = declared_links(doc)
    check_markdown(result, declared)
    check_html(result, declared)
    check_json_and_sarif(result)
    check_junit(result)
    check_csv(result)
    check_comparison(result)

"""CSV and JUnit keep what they cannot show as visible escapes: nothing raw, nothing silently dropped.

A CSV is read with `cat`, `less` or a spreadsheet, so a raw ESC, 8-bit CSI or bidi override in a cell acts
as it would in a terminal; the CSV sanitiser writes them as escapes, as the terminal sanitiser does, and
keeps the formula-injection guard. JUnit XML cannot hold C0 controls (but tab, LF, CR), U+FFFE, U+FFFF or
lone surrogates; they are written as escapes (`\\x1b`, `\\ufffe`) and the document still parses.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from rankaudit.report.formats import REPORTS, RenderOptions
from rankaudit.report.sanitise import csv_cell, xml_text
from rankaudit.result import AuditResult

C0 = [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n"]
C1 = [chr(c) for c in range(0x7F, 0xA0)]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]]
# anything a terminal or a bidi-aware viewer would act on; tab and LF are layout and stay
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NOT_XML = [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff", "\ud800", "\udfff"]


def escape(char: str) -> str:
    """The escape a reader sees: \\x1b below U+0100, \\u202e above (the oracle, written independently)."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@pytest.mark.parametrize("char", C0 + C1 + BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_a_csv_cell_shows_each_control_as_an_escape(char: str) -> None:
    cell = csv_cell(f"Tokyo{char}London")
    assert cell == f"Tokyo{escape(char)}London"
    assert not RAW.search(cell)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x9b31mred", "\\x9b31mred"),
        ("\u202eevil", "\\u202eevil"),
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\\x0d=1"),  # escaped, so no longer a formula start and no bare CR to end the row
        ("\x1b=1", "\\x1b=1"),
        (None, ""),
        (2, "2"),
    ],
)
def test_csv_cell_escapes_and_keeps_the_formula_guard(raw: object, shown: str) -> None:
    assert csv_cell(raw) == shown


def test_the_csv_report_carries_no_raw_control(small: AuditResult) -> None:
    hostile = "\x1b[2J\x9b31m\u202eCity\u2066\u200f\x00=Index"
    result = small.model_copy(update={"profile": small.profile.model_copy(update={"name": hostile})})
    text = REPORTS.render("csv", [result], RenderOptions())
    assert not RAW.search(text)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows and {row["ranking"] for row in rows} == {"\\x1b[2J\\x9b31m\\u202eCity\\u2066\\u200f\\x00=Index"}


@pytest.mark.parametrize("char", NOT_XML, ids=lambda c: f"U+{ord(c):04X}")
def test_xml_text_escapes_what_xml_cannot_hold(char: str) -> None:
    assert xml_text(f"a{char}b") == f"a{escape(char)}b"


def test_xml_text_keeps_what_xml_holds() -> None:
    kept = "\t\n\r é 中文 🏙 \ufffd \x85 \u202e"
    assert xml_text(kept) == kept


def test_junit_keeps_unrepresentable_characters_visible_and_parses(small: AuditResult) -> None:
    name = "City" + "".join(NOT_XML) + "Index"
    result = small.model_copy(update={"profile": small.profile.model_copy(update={"name": name})})
    finding = result.findings[0].model_copy(update={"message": "msg" + "".join(NOT_XML), "score": 0})
    result = result.model_copy(update={"findings": [finding, *result.findings[1:]]})
    out = REPORTS.render("junit", [result], RenderOptions())
    root = ET.fromstring(out.encode("utf-8"))  # well-formed: every character is one XML can hold
    ranking = next(p.get("value") for p in root.iter("property") if p.get("name") == "ranking")
    # one line (the report collapses whitespace runs: \x1c-\x1f count as whitespace), the rest escaped
    expected = "".join(escape(c) if c in NOT_XML else c for c in " ".join(name.split()))
    assert ranking == expected
    assert all(escape(c) in ranking for c in NOT_XML if not c.isspace())
    failure = next(f for f in root.iter("failure") if finding.code in (f.get("message") or ""))
    assert "\\x1b" in (failure.get("message") or "") and "\\ufffe" in (failure.text or "")

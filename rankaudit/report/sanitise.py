"""One sanitiser per kind of output: every string that comes from input passes through one of these.

A spec is input from strangers (a pull request, a downloaded file): its names, messages, file
names and URLs must come out as text, never as commands of the medium they are printed in.

* terminal: C0 and C1 control characters (ESC, the 8-bit CSI `\\x9b`, BEL, CR...), DEL and the
  Unicode bidirectional controls (`\\u202e`...) are shown escaped (`\\x1b`, `\\u202e`), so a name
  can neither retitle or clear the terminal, colour text, nor reorder what a reader sees.
  Terminal output is also a CI log: `::` and `##[`, which the Actions runner reads as workflow
  commands, are shown with one character escaped (`\\x3a:`, `##\\x5b`).
* GitHub workflow commands: `%`, CR and LF escaped in data (`%25`, `%0D`, `%0A`), and also `:`
  and `,` in properties, as @actions/core does; control characters are shown escaped first, since
  the log viewer interprets ANSI sequences. A caller never lets input start a line.
* CSV: the terminal's escapes (a CSV is read with `cat`, `less` or a spreadsheet, where a raw ESC or
  bidi override works as in a terminal), CR included, since a bare CR ends a row for some readers;
  then a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) gets
  a leading apostrophe (CSV injection).
* JUnit XML: the characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; lone surrogates;
  U+FFFE and U+FFFF) are shown escaped (`\x1b`, `\ufffe`) instead of dropped, so that a reader sees
  something was there and the document stays well-formed; xml.etree escapes the rest.
* Markdown: every character that can start markup is backslash-escaped (links, images, emphasis,
  code, HTML, tables), and so are the characters that let a linkifier (GFM autolinks, markdown-it's
  linkify) turn text into a link: the `:` of `scheme://`, the dots of a domain and `@`.
"""

from __future__ import annotations

import re

# C0 except tab and newline (kept: they lay text out and are harmless), DEL, C1, and the bidi
# controls (embeddings, overrides, isolates, marks).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Terminal output is also what a CI log shows, and the Actions runner reads workflow commands in
# it: a line that starts with `::` (after blanks; input may hold a newline, and rich wraps long
# words anywhere, so any `::` may end up at a line start) and `##[` anywhere in a line (the old
# syntax, found by IndexOf). One character of each is shown escaped, so neither ever appears.
_WORKFLOW_COMMAND = re.compile(r":(?=:)|(?<=##)\[")


def terminal_text(text: object) -> str:
    """Text a terminal (or a CI log) shows as itself: control and bidi characters written as escapes.

    `::` and `##[` are written `\\x3a:` and `##\\x5b`, so that no input reads as a workflow command.
    """
    return _WORKFLOW_COMMAND.sub(_escaped, _controls_escaped(text))


def _controls_escaped(text: object) -> str:
    return _TERMINAL_UNSAFE.sub(_escaped, str(text))


def github_data(text: object) -> str:
    """The message part of a workflow command (`::error ...::DATA`)."""
    escaped = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal_text(escaped)  # after GitHub's own escapes, so that CR and LF get theirs


def github_property(text: object) -> str:
    """A property value of a workflow command (`file=...,title=...`)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# a spreadsheet runs a cell that starts with one of these as a formula (CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell shown as text in a terminal and in a spreadsheet: control and bidi characters escaped
    (as `terminal_text` does, CR included), then a formula start behind an apostrophe; None is empty."""
    if value is None:
        return ""
    text = _controls_escaped(value)
    # checked after escaping: an escaped control at the start (`\x0d=1`) no longer starts a formula
    return "'" + text if text.startswith(_FORMULA_START) else text


# Outside XML 1.0's Char production: C0 but tab, LF and CR; surrogates (a lone one in a str); U+FFFE, U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: object) -> str:
    """Text XML 1.0 can carry: every character it cannot is written as an escape (`\x1b`, `\ud800`)."""
    return _NOT_XML.sub(_escaped, str(text))


# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start
# markup inline (emphasis, code, links, images, HTML, autolinks, tables, strikethrough, entities).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!&#])")
# What a linkifier looks for: the `:` of `scheme://`, a dot inside a domain name, the `@` of an
# address. Escaping them splits the text so that no linkifier sees a link (markdown-it's inline
# linkify rule triggers on an unescaped `://`, its core rule and GFM's on `www.`, domains, e-mail).
_MD_LINKABLE = re.compile(r":(?=//)|\.(?=[^\W\d_])|@")


def md_text(value: object) -> str:
    """Text that renders as itself in Markdown: one line, markup and linkable punctuation escaped."""
    text = " ".join(_controls_escaped(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINKABLE.sub(lambda m: "\\" + m.group(0), text)


def md_code(value: object) -> str:
    """Text as an inline code span (one line); backticks cannot be escaped in a span, so they become quotes."""
    text = " ".join(_controls_escaped(value).split()).replace("`", "'").replace("|", "\\|")
    return f"`{text}`"

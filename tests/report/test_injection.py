"""Issue 15, injection: input reaches terminals, CI logs and Markdown only as text.

One regression test per reproducer of the issue, plus a render of rankaudit's Markdown with
markdown-it-py as a hostile reader would configure it ("gfm-like", raw HTML and linkify on),
asserting that no element and no link comes from the input.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from typer.testing import CliRunner

from rankaudit.cli import app
from rankaudit.report.sanitise import github_data, github_property, md_text, terminal_text
from tests.report.conftest import DATA

TERMINAL_ATTACKS = {
    "title": "\x1b]0;TITLE\x07",
    "clear": "\x1b[2J",
    "colour": "\x1b[31m",
    "c1 csi": "\x9b31m",
    "bidi override": "\u202e",
}
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

MARKDOWN_ATTACKS = [
    "![pixel](https://inject.example/track.png)",
    "[Official results](https://inject.example/phish)",
    r"See https://a.example/\<img src=x onerror=alert(1)\>",
    "<img src=x onerror=alert(2)> www.inject-example.com mail@inject-example.com",
]


def _spec(tmp_path: Path, name: str, *, file: str = "spec.yaml", **ranking: Any) -> Path:
    doc = yaml.safe_load((DATA / "small.yaml").read_text(encoding="utf-8"))
    doc["ranking"]["name"] = name
    doc["ranking"].update(ranking)
    doc["publisher"]["name"] = name
    path = tmp_path / file
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


# --------------------------------------------------------------------------------------------- terminal


@pytest.mark.parametrize("attack", TERMINAL_ATTACKS.values(), ids=TERMINAL_ATTACKS.keys())
@pytest.mark.parametrize("command", ["audit", "compare"])
def test_terminal_shows_control_characters_escaped(tmp_path: Path, attack: str, command: str) -> None:
    path = _spec(tmp_path, f"Index {attack} end")
    result = _run(command, str(path), "-n", "0")
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.stdout), repr(result.stdout[:400])
    assert terminal_text(attack) in result.stdout  # shown, as an escape a reader can see


def test_terminal_text_escapes_each_kind() -> None:
    assert terminal_text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert terminal_text("\x9b") == "\\x9b"
    assert terminal_text("\u202eabc") == "\\u202eabc"
    assert terminal_text("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert terminal_text(terminal_text("\x1b")) == terminal_text("\x1b")  # idempotent


def test_terminal_markup_in_input_is_text(tmp_path: Path) -> None:
    path = _spec(tmp_path, "[link=https://evil.example]click[/link] [red]x[/red]")
    result = _run("audit", str(path), "-n", "0")
    assert "[red]x[/red]" in result.stdout


def test_validation_messages_are_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('spec_version: 1\n"k\\e[2J": 1\n', encoding="utf-8")
    result = _run("validate", str(bad))
    assert result.exit_code == 1
    assert "\x1b" not in result.output


# --------------------------------------------------------------------------------------------- GitHub


def _github_lines_are_ours(text: str) -> None:
    for line in text.splitlines():
        assert re.match(r"^(::(error|warning|notice) file=[^:]*::|rankaudit: )", line), line
        assert not line.startswith(("::error::", "##[")), line


def test_github_file_name_with_a_newline_starts_no_command(tmp_path: Path) -> None:
    path = _spec(tmp_path, "Index", file="x\n::error::pwned\n::warning file=x,line=1::y.yaml")
    result = _run("audit", str(path), "-n", "0", "-f", "github")
    assert result.exit_code == 0, result.output
    _github_lines_are_ours(result.stdout)
    assert "pwned" in result.stdout and "%0A" in result.stdout


@pytest.mark.parametrize("name", ["##[error]forged", "x\n##[error]forged", "x\r::error::forged", "%0A::error::"])
def test_github_summary_line_escapes_the_name(tmp_path: Path, name: str) -> None:
    path = _spec(tmp_path, name)
    result = _run("audit", str(path), "-n", "0", "-f", "github")
    _github_lines_are_ours(result.stdout)
    summary = [line for line in result.stdout.splitlines() if line.startswith("rankaudit: ")]
    assert len(summary) == 1 and github_data(" ".join(name.split())) in summary[0]  # one line, escaped


def test_github_escaping_rules() -> None:
    assert github_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github_data("\x1b[31m") == "\\x1b[31m"  # the log viewer runs ANSI sequences


# --------------------------------------------------------------------------------------------- Markdown


def _tokens(markdown: str) -> list[Token]:
    parser = MarkdownIt("gfm-like", {"html": True, "linkify": True})
    out: list[Token] = []
    for token in parser.parse(markdown):
        out.append(token)
        out.extend(token.children or [])
    return out


def _assert_inert(markdown: str, allowed_links: set[str]) -> None:
    tokens = _tokens(markdown)
    html = [t.content for t in tokens if t.type in ("html_inline", "html_block")]
    assert not html, html
    assert not [t for t in tokens if t.type == "image"]
    links = {str(t.attrs.get("href")) for t in tokens if t.type == "link_open"}
    assert links <= allowed_links, links - allowed_links
    assert not any("inject" in link or "a.example" in link for link in links)


# the links rankaudit itself makes from small.yaml (its URLs, and the rule sources)
def _allowed(markdown: str) -> set[str]:
    own = set(re.findall(r"\]\((https?://[^)\s]+)\)", markdown))
    return {link for link in own if "inject" not in link and "a.example" not in link}


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS)
def test_report_markdown_creates_no_element_from_input(tmp_path: Path, attack: str) -> None:
    path = _spec(tmp_path, attack, headline_claim=attack, purpose=attack)
    target = tmp_path / "r.md"
    result = _run("report", str(path), "-n", "0", "-o", str(target))
    assert result.exit_code == 0, result.output
    markdown = target.read_text(encoding="utf-8")
    _assert_inert(markdown, _allowed(markdown))


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS)
def test_compare_markdown_creates_no_element_from_input(tmp_path: Path, attack: str) -> None:
    first = _spec(tmp_path, attack, file="a.yaml")
    second = _spec(tmp_path, attack, file="b.yaml", edition="2025")
    result = _run("compare", str(first), str(second), "-f", "md")
    assert result.exit_code == 0, result.output
    _assert_inert(result.stdout, set())


def test_md_text_breaks_what_linkifiers_link() -> None:
    for text in ("https://a.example/x", "www.example.com", "user@example.com", "example.com"):
        tokens = _tokens(md_text(text))
        assert not [t for t in tokens if t.type == "link_open"], text
    assert md_text("Version 2.5 of the index.") == "Version 2.5 of the index."  # numbers and full stops stay

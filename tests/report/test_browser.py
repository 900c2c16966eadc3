"""The HTML report in a real browser: headless Chromium (Debian's /usr/bin/chromium) via Playwright.

Each page is opened from a file, as a reader opens an e-mail attachment, and must render with no
console error, no uncaught exception and no network request beyond the file itself. Hostile
strings from a spec must show as text and execute nothing: no dialog opens, no element they
describe exists in the DOM. A full-page screenshot of each report is saved under pytest's
temporary folder (report-screenshots/) for a human look.

Without Chromium (or the playwright package) the tests skip, with the reason; with
RANKAUDIT_REQUIRE_BROWSER=1 (set by CI, which installs chromium) they fail instead.
RANKAUDIT_CHROMIUM may name the browser binary when it is not /usr/bin/chromium.
Playwright only drives the system browser: `playwright install` is never needed.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from rankaudit.report import render
from rankaudit.result import AuditResult, number
from tests.report.conftest import ASEM, HOSTILE_INDICATOR, HOSTILE_UNIT, ROOT, audit_at_root, require_browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    """RANKAUDIT_CHROMIUM names another browser binary (or, set to a missing path, none)."""
    override = os.environ.get("RANKAUDIT_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if require_browser():
        pytest.fail(f"RANKAUDIT_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        _unavailable("no chromium found (apt-get install chromium); the HTML report was not tested in a browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright; no `playwright install`)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "report-screenshots"
    folder.mkdir(exist_ok=True)
    return folder


@dataclass
class Visit:
    page: Any
    url: str
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        return [r for r in self.requests if r != self.url]

    @property
    def console_problems(self) -> list[tuple[str, str]]:
        return [(kind, text) for kind, text in self.console if kind in ("error", "warning")]


def visit(browser: Any, html: str, folder: Path, name: str, *, width: int = 1100, height: int = 900) -> Visit:
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=True)
    page = context.new_page()
    result = Visit(page=page, url=path.resolve().as_uri())
    page.on("console", lambda m: result.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: result.errors.append(str(e)))
    page.on("request", lambda r: result.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        result.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(result.url, wait_until="load")
    page.wait_for_timeout(250)  # let anything that would fire late (onload, onerror) fire
    return result


def assert_clean(v: Visit) -> None:
    assert v.errors == [], v.errors
    assert v.console_problems == [], v.console_problems
    assert v.foreign_requests == [], v.foreign_requests
    assert v.dialogs == [], v.dialogs


def test_report_without_data_renders_offline(browser: Any, shots: Path, small: AuditResult) -> None:
    v = visit(browser, render([small], "html"), shots, "small")
    assert_clean(v)
    page = v.page
    assert page.title() == f"Methodology audit: {small.profile.name} {small.profile.edition}"
    assert page.locator("h1").first.inner_text().startswith(small.profile.name)
    assert page.locator(".grade .letter").first.inner_text() == small.grade
    # the style sheet applied (the Content-Security-Policy hash matches it)
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") != "none"
    # the charts are drawn: the score bars have a size
    box = page.locator("svg.chart").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    # a link of every citation, and nothing but http(s) or in-page links
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    page.screenshot(path=str(shots / "small.png"), full_page=True)
    assert (shots / "small.png").stat().st_size > 10_000


def test_report_with_data_renders_offline(browser: Any, shots: Path, small_with_stats: AuditResult) -> None:
    v = visit(browser, render([small_with_stats], "html"), shots, "small-with-data")
    assert_clean(v)
    page = v.page
    rows = page.locator("svg[aria-labelledby^='r0-ranks'] g > title").count()
    assert rows == len(small_with_stats.units or [])
    assert page.locator("svg[aria-labelledby^='r0-corr']").count() == 2
    assert page.locator("svg[aria-labelledby^='r0-weights']").count() == 1
    page.screenshot(path=str(shots / "small-with-data.png"), full_page=True)


def test_hostile_strings_execute_nothing(browser: Any, shots: Path, hostile_with_stats: AuditResult) -> None:
    # the harness itself must notice a script: a page that does run one opens a dialog
    canary = visit(browser, "<!DOCTYPE html><title>canary</title><script>alert('canary')</script>", shots, "canary")
    assert canary.dialogs == ["alert: canary"]

    v = visit(browser, render([hostile_with_stats], "html"), shots, "hostile")
    assert_clean(v)
    page = v.page
    for selector in ("script", "img", "iframe", "object", "embed", "style ~ svg", "body svg:not(.chart)"):
        assert page.locator(selector).count() == 0, selector
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(
               e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"""
    )
    assert handlers == []
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if not h.startswith(("#", "http://", "https://"))]
    text = page.locator("body").inner_text()
    for hostile in (
        "<script>alert(1)</script>",
        HOSTILE_INDICATOR,
        HOSTILE_UNIT,
        "javascript:alert(1)",
        "</style><svg onload=alert(6)>",
    ):
        assert hostile in text, hostile
    assert page.title().startswith("Methodology audit: <script>alert(1)</script>")
    page.screenshot(path=str(shots / "hostile.png"), full_page=True)


def test_readable_on_a_phone(browser: Any, shots: Path, small_with_stats: AuditResult) -> None:
    v = visit(browser, render([small_with_stats], "html"), shots, "phone", width=375, height=812)
    assert_clean(v)
    page = v.page
    # the page itself never scrolls sideways; wide charts and tables scroll inside their boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    page.screenshot(path=str(shots / "phone.png"), full_page=True)


def test_printable(browser: Any, shots: Path, small_with_stats: AuditResult) -> None:
    v = visit(browser, render([small_with_stats], "html"), shots, "print")
    page = v.page
    page.emulate_media(media="print")
    # links show their address on paper; folded tables print unfolded
    after = page.evaluate("getComputedStyle(document.querySelector('a[href^=\"http\"]'), '::after').content")
    assert "attr(href)" in after or "http" in after
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (shots / "report.pdf").write_bytes(pdf)
    assert_clean(v)


def test_asem_report_with_data(browser: Any, shots: Path) -> None:
    if not ASEM.exists():
        pytest.skip(f"{ASEM.relative_to(ROOT)} does not exist yet")
    result = audit_at_root(str(ASEM.relative_to(ROOT)), replications=100)
    assert result.statistics, "the ASEM spec links indicator data"
    v = visit(browser, render([result], "html"), shots, "asem")
    assert_clean(v)
    page = v.page
    ranked = [u for u in result.units or [] if u.q05_rank is not None]
    if ranked:
        assert page.locator("svg[aria-labelledby^='r0-ranks'] g > title").count() == len(result.units or [])
    assert page.locator("svg[aria-labelledby^='r0-corr']").count() >= 1
    page.screenshot(path=str(shots / "asem.png"), full_page=True)


PHONE = 390

# Every element whose box reaches past the viewport, and every box that scrolls sideways (its content
# wider than itself): each would hide a number or a chart on a phone. Folded sections are opened
# first, so that the tables inside them are measured too.
_OVERFLOWING = """(width) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined
      ? '.' + String(e.className).split(' ').join('.') : '');
    if (box.right > width + 0.5 || box.left < -0.5) out.push(name + ' spans ' + box.left + '..' + box.right);
    const style = getComputedStyle(e);
    if (['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1)
      out.push(name + ' scrolls sideways: ' + e.scrollWidth + ' > ' + e.clientWidth);
  }
  return out;
}"""


def test_nothing_is_hidden_sideways_on_a_390px_phone(browser: Any, shots: Path) -> None:
    if not ASEM.exists():
        pytest.skip(f"{ASEM.relative_to(ROOT)} does not exist yet")
    result = audit_at_root(str(ASEM.relative_to(ROOT)), replications=100)
    v = visit(browser, render([result], "html"), shots, "phone-390", width=PHONE, height=844)
    assert_clean(v)
    page = v.page
    page.screenshot(path=str(shots / "phone-390-top.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.evaluate(_OVERFLOWING, PHONE) == []
    # the charts scale to the column instead of scrolling
    for box in page.eval_on_selector_all("svg.chart", "els => els.map(e => e.getBoundingClientRect().width)"):
        assert 0 < box <= PHONE
    # tables are cards: a number carries its column's name
    assert page.evaluate("getComputedStyle(document.querySelector('.table-wrap tr')).display") == "block"
    before = page.evaluate("getComputedStyle(document.querySelector('td[data-label]'), '::before').content")
    assert before.strip('"') == page.evaluate("document.querySelector('td[data-label]').dataset.label")
    page.screenshot(path=str(shots / "phone-390.png"), full_page=True)


def test_heatmap_values_are_text_in_the_page(browser: Any, shots: Path, small_with_stats: AuditResult) -> None:
    stats = small_with_stats.statistics
    assert stats is not None and stats.correlations
    v = visit(browser, render([small_with_stats], "html"), shots, "heatmap-values", width=PHONE, height=844)
    assert_clean(v)
    page = v.page
    # the table after the first heatmap: one row per cell the chart draws, its r as text
    rows = page.eval_on_selector_all(
        "details.matrix-values >> nth=0 >> table.pairs tbody tr",
        "trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))",
    )
    matrix = stats.correlations[0]
    triangle = matrix.row_ids == matrix.col_ids
    expected = [
        number(value, 2) for i, row in enumerate(matrix.values) for j, value in enumerate(row) if not triangle or j < i
    ]
    assert [r for _, _, r in rows] == expected and expected
    # and in the cells themselves when they are large enough: the SVG carries the values as <text>
    cell_texts = page.eval_on_selector_all(
        "svg[aria-labelledby^='r0-corr'] g.cell-values text", "els => els.map(e => e.textContent)"
    )
    assert cell_texts and all(re.fullmatch(r"−?1?\.\d\d|n/a", t) for t in cell_texts), cell_texts[:5]
    assert "Hover a cell" not in page.content()

"""The HTML report, read as markup: self-contained, escaped, complete, accessible, deterministic.

The same page is opened in a real browser by test_browser.py.
"""

from __future__ import annotations

import re

import pytest

from rankaudit.report import REPORTS, render
from rankaudit.report.common import location, safe_url
from rankaudit.report.html import environment, render_html
from rankaudit.report.plain import plain_summary
from rankaudit.result import AuditResult
from tests.report.conftest import HOSTILE_INDICATOR, HOSTILE_UNIT, audit_at_root
from tests.report.htmlscan import Scan

ACTIVE_TAGS = {"script", "iframe", "img", "object", "embed", "link", "base", "form", "frame", "audio", "video"}


def test_every_template_is_autoescaped() -> None:
    env = environment()
    assert env.autoescape is True  # not a select_autoescape() callable that could say no
    for name in env.list_templates():
        rendered = env.from_string("{{ x }}").render(x="<b>")
        assert rendered == "&lt;b&gt;", name


def test_the_page_is_self_contained(small_with_stats: AuditResult) -> None:
    html = render_html([small_with_stats])
    scan = Scan(html)
    tags = {t for t, _ in scan.tags}
    assert not tags & ACTIVE_TAGS
    for tag, attrs in scan.tags:
        assert "src" not in attrs, tag
        assert "style" not in attrs, f"inline style on <{tag}> would break the Content-Security-Policy"
        assert not any(name.startswith("on") for name in attrs), tag
        if "href" in attrs:
            href = attrs["href"] or ""
            assert href.startswith("#") or safe_url(href), href
    assert "@import" not in html and "url(" not in html
    csp = [a for a in scan.all("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert "script-src" not in (csp[0]["content"] or "")  # default-src 'none' forbids every script


def test_identity_claims_and_grade_are_shown(small: AuditResult) -> None:
    scan = Scan(render_html([small]))
    text = scan.text
    profile = small.profile
    assert profile.name in text and profile.edition in text
    assert profile.publisher.name in text
    assert profile.purpose and profile.purpose in text
    assert "investors, city governments" in text
    assert f"{small.grade}" in [h for h in re.findall(r"\b[A-E]\b", text)]
    assert "What it claims to measure, and for whom" in text


def test_findings_come_most_costly_first_with_evidence_and_source(small: AuditResult) -> None:
    html = render_html([small])
    failing = small.failing()
    assert failing, "the fixture spec should lose points"
    positions = [html.index(f'id="r0-{f.code}"') for f in failing]
    assert positions == sorted(positions)
    costs = [f.cost for f in failing]
    assert costs == sorted(costs, reverse=True)
    text = Scan(html).text
    hrefs = {a.get("href") for a in Scan(html).all("a")}
    for f in failing:
        assert location(f) in text
        assert f"{f.line}:{f.column}" in location(f)
        if safe_url(f.source_url):
            assert f.source_url in hrefs
    # passed and not applicable rules are listed too
    for f in small.findings:
        assert f.code in text


def test_citations_link_only_http_addresses(small: AuditResult, hostile: AuditResult) -> None:
    hrefs = {a.get("href") for a in Scan(render_html([small])).all("a")}
    for citation in small.profile.citations:
        assert citation.url in hrefs
    scan = Scan(render_html([hostile]))
    hrefs = [a.get("href") or "" for a in scan.all("a")]
    assert not [h for h in hrefs if not (h.startswith("#") or h.lower().startswith(("http://", "https://")))]
    # the unsafe addresses are shown as text, marked as not linked
    assert "javascript:alert(1)" in scan.text
    assert "not linked: not an http(s) address" in scan.text


@pytest.mark.parametrize("with_stats", [False, True])
def test_hostile_strings_are_text(hostile: AuditResult, hostile_with_stats: AuditResult, with_stats: bool) -> None:
    result = hostile_with_stats if with_stats else hostile
    html = render_html([result])
    scan = Scan(html)
    assert not {t for t, _ in scan.tags} & ACTIVE_TAGS
    assert "<script>alert(1)</script>" in scan.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "</style><svg onload=alert(6)>" in scan.text
    assert all(not any(n.startswith("on") for n in attrs) for _, attrs in scan.tags)
    if with_stats:
        assert HOSTILE_INDICATOR in scan.text
        assert HOSTILE_UNIT in scan.text


def test_charts_have_titles_and_text_alternatives(small_with_stats: AuditResult) -> None:
    html = render_html([small_with_stats])
    scan = Scan(html)
    svgs = scan.all("svg")
    assert len(svgs) >= 4  # scores, rank intervals, weights, correlations
    ids = {attrs.get("id") for _, attrs in scan.tags if attrs.get("id")}
    for svg in svgs:
        assert svg.get("role") == "img"
        title_id, desc_id = (svg.get("aria-labelledby") or "").split()
        assert title_id in ids and desc_id in ids
        assert title_id.endswith("-title") and desc_id.endswith("-desc")
    for chart in re.findall(r"<svg.*?</svg>", html, re.S):
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title>", chart)
        assert re.search(r"<desc id=\"[^\"]+\">[^<]+</desc>", chart)


def test_statistics_section_shows_the_jrc_plots(small_with_stats: AuditResult) -> None:
    html = render_html([small_with_stats])
    scan = Scan(html)
    titles = re.findall(r"<title id=\"[^\"]+\">([^<]+)</title>", html)
    assert any(t.startswith("Rank uncertainty") for t in titles)
    assert any(t.startswith("Nominal versus effective weights") for t in titles)
    assert any(t.startswith("Pearson correlations") for t in titles)
    rank_chart = re.search(r"<svg[^>]*r0-ranks-title.*?</svg>", html, re.S)
    assert rank_chart is not None
    # one row per city, each with a tooltip giving its nominal, median and interval
    assert rank_chart.group(0).count(": nominal rank ") == len(small_with_stats.units or [])
    assert "Zeta-on-Sea: nominal rank 6; median rank 6; 5th-95th percentile 6 to 6" in rank_chart.group(0)
    text = scan.text
    for phrase in (
        "How certain are the ranks?",
        "Do the indicators count as much as their weights say?",
        "How the indicators relate to each other",
        "Correlations the audit flags",
        "Internal consistency of each group",
        "Indicators with data problems",
        "Can the published ranks be reproduced?",
        "Sobol",
    ):
        assert phrase in text, phrase


def test_no_statistics_section_without_data(small: AuditResult) -> None:
    html = render_html([small])
    assert "Statistical audit of the data" not in html
    assert "r0-ranks" not in html
    assert "no indicator data supplied" in Scan(html).text


def test_plain_language_summary_comes_before_the_tables(small: AuditResult) -> None:
    html = render_html([small])
    summary = plain_summary(small)
    text = Scan(html).text
    # issue 13: the verdict, the contents, what the ranking can and cannot tell, then the details and tables
    order = ["r0-verdict", "r0-contents", "r0-summary", "r0-claims", "r0-structure", "r0-scores", "r0-sources"]
    positions = [html.index(f'id="{section}"') for section in order]
    assert positions == sorted(positions)
    assert "What this ranking can and cannot tell you" in text
    assert summary.verdict in text
    assert summary.cannot and summary.can
    for point in summary.can + summary.cannot + summary.not_checked:
        assert point.text in text
        for detail in point.details:
            assert detail in text
    # every failing rule is named in the summary, or counted in an "and N more"
    named = " ".join(d for p in summary.cannot for d in p.details)
    counted = sum(p.more for p in summary.cannot)
    messages = {f.message for f in small.failing() if f.code not in named}
    assert len(messages) <= counted


def test_same_input_same_bytes(small_with_stats: AuditResult) -> None:
    assert render_html([small_with_stats]) == render_html([small_with_stats])
    again = audit_at_root("tests/report/data/small.yaml")
    assert render(
        [again.model_copy(update={"statistics": small_with_stats.statistics})],
        "html",
    ) == render_html([small_with_stats])


def test_several_rankings_in_one_page_have_unique_ids(small_with_stats: AuditResult, hostile: AuditResult) -> None:
    html = render_html([small_with_stats, hostile])
    scan = Scan(html)
    ids = [attrs["id"] for _, attrs in scan.tags if attrs.get("id")]
    assert len(ids) == len(set(ids))
    toc = [a.get("href") for a in scan.all("a") if (a.get("href") or "").startswith("#")]
    assert "#r0" in toc and "#r1" in toc


@pytest.mark.parametrize("fmt", REPORTS.names())
def test_renderers_do_not_change_the_result(small_with_stats: AuditResult, fmt: str) -> None:
    before = small_with_stats.model_dump(mode="json")
    render([small_with_stats], fmt)
    assert small_with_stats.model_dump(mode="json") == before

"""JUnit XML: one suite per spec, one case per rule; failures located; escaping by xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rankaudit.report.junit import clean, render_junit
from rankaudit.result import AuditResult
from tests.report.conftest import SMALL


def test_suites_and_cases(small: AuditResult, hostile: AuditResult) -> None:
    root = ET.fromstring(render_junit([small, hostile]))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 2
    for suite, result in zip(suites, (small, hostile), strict=True):
        cases = suite.findall("testcase")
        assert len(cases) == len(result.findings) == int(suite.get("tests"))
        failing = [f for f in result.findings if f.score in (0, 1)]
        skipped = [f for f in result.findings if f.score is None]
        assert len(suite.findall("testcase/failure")) == len(failing) == int(suite.get("failures"))
        assert len(suite.findall("testcase/skipped")) == len(skipped) == int(suite.get("skipped"))
        properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert properties["ranking"] == result.profile.name  # hostile text round-trips as text
        assert properties["grade"] == result.grade_label
    assert int(root.get("tests")) == len(small.findings) + len(hostile.findings)


def test_failure_names_file_line_and_column(small: AuditResult) -> None:
    suite = ET.fromstring(render_junit([small])).find("testsuite")
    assert suite.get("name") == SMALL
    by_code = {c.get("name").split()[0]: c for c in suite.findall("testcase")}
    for finding in small.failing():
        case = by_code[finding.code]
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("message").startswith(f"{SMALL}:{finding.line}:{finding.column}: {finding.code} ")
        assert case.get("line") == str(finding.line)
        assert case.get("file") == SMALL
        assert finding.source.split(",")[0] in failure.text
    for finding in small.findings:
        if finding.score == 2:
            assert list(by_code[finding.code]) == []


def test_characters_xml_cannot_hold_are_escaped_visibly() -> None:
    assert clean("a\x00b\x1bc\td\ne") == "a\\x00b\\x1bc\td\ne"


def test_deterministic(small: AuditResult) -> None:
    text = render_junit([small])
    assert text == render_junit([small])
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert "time=" not in text and "timestamp" not in text

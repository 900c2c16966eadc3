"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, test-report actions).

One <testsuite> per spec, one <testcase> per rule: a rule that loses points (score 0 or 1) is a
<failure> (message `file:line:col: CODE message`, type = the SARIF level), a rule that does not
apply is <skipped>, a met rule passes. Written with xml.etree, which escapes text and attributes;
characters that XML 1.0 cannot carry (ESC and the other C0 controls but tab, LF and CR, lone surrogates,
U+FFFE, U+FFFF) are written as visible escapes (`\x1b`, `\ufffe`, `sanitise.xml_text`), so that a reader
sees something was there. No time stamps or durations: the same input gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rankaudit.report.common import artifact_path, location, number, one_line, severity_label
from rankaudit.report.formats import RenderOptions
from rankaudit.report.sanitise import xml_text
from rankaudit.result import AuditResult, Finding, Problem


def clean(text: object) -> str:
    """Text for an XML attribute or element: what XML cannot hold, escaped visibly (never dropped)."""
    return xml_text(text)


def render_junit(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    suites = ET.Element("testsuites", {"name": "rankaudit"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suites_of_problems = [_problem_suite(p) for p in (options or RenderOptions()).problems]
    for suite in [*(_suite(r) for r in results), *suites_of_problems]:
        suites.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _suite(result: AuditResult) -> ET.Element:
    file = artifact_path(result.file)
    findings = sorted(result.findings, key=lambda f: f.code)
    failures = sum(1 for f in findings if f.score is not None and f.score < 2)
    skipped = sum(1 for f in findings if f.score is None)
    suite = ET.Element(
        "testsuite",
        {
            "name": clean(file),
            "tests": str(len(findings)),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(skipped),
            "file": clean(file),
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("ranking", one_line(result.profile.name)),
        ("edition", one_line(result.profile.edition)),
        # the publisher's own title of the edition, when it differs (`Profile.published_as`)
        *((("published_as", one_line(result.profile.published_as)),) if result.profile.published_as else ()),
        ("overall", number(result.overall, 2)),
        # the letter, or the withheld state in words ("not graded (E-A)"), never a bare "none"
        ("grade", result.grade_label or "not assessable"),
        ("grade_status", result.grade_status),
        ("coverage", number(result.coverage, 4)),
        ("provisional", "true" if result.provisional else "false"),
        ("grade_text", result.grade_text),
        *((f"score.{d.dimension}", number(d.score, 2)) for d in result.dimensions),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": clean(value)})
    for f in findings:
        suite.append(_case(f, file))
    return suite


def _problem_suite(problem: Problem) -> ET.Element:
    """A spec that could not be audited: one failed test case per error that stopped it."""
    file = artifact_path(problem.file)
    suite = ET.Element(
        "testsuite",
        {
            "name": clean(file),
            "tests": str(len(problem.errors)),
            "failures": str(len(problem.errors)),
            "errors": "0",
            "skipped": "0",
            "file": clean(file),
        },
    )
    for e in problem.errors:
        where = artifact_path(e.file) + (f":{e.line}:{e.column or 1}" if e.line is not None else "")
        attrs = {"name": clean(f"{e.code} spec can be audited"), "classname": "rankaudit.spec", "file": clean(file)}
        if e.line is not None and e.file == problem.file:
            attrs["line"] = str(e.line)
        case = ET.SubElement(suite, "testcase", attrs)
        failure = ET.SubElement(
            case, "failure", {"message": clean(f"{where}: {e.code} {one_line(e.message)}"), "type": e.severity}
        )
        failure.text = clean(f"{where}: {e.code} {one_line(e.message)}\nThe spec could not be audited.")
    return suite


def _case(f: Finding, file: str) -> ET.Element:
    attrs = {
        "name": clean(f"{f.code} {one_line(f.title)}"),
        "classname": f"rankaudit.{f.dimension}",
        "file": clean(file),
    }
    if f.line is not None:
        attrs["line"] = str(f.line)
    case = ET.Element("testcase", attrs)
    if f.score is None:
        # not applicable, not assessed or blocked: the engine's words for which
        ET.SubElement(case, "skipped", {"message": clean(f"{severity_label(f)}: {one_line(f.message)}")})
    elif f.score < 2:
        failure = ET.SubElement(
            case,
            "failure",
            {"message": clean(f"{location(f)}: {f.code} {one_line(f.message)}"), "type": f.level},
        )
        failure.text = clean(
            f"{location(f)}: {f.code} {one_line(f.title)}\n"
            f"{severity_label(f)}: {one_line(f.message)}\n"
            f"Scores {f.score} of 2 points{' (core rule)' if f.core else ''}; "
            f"costs {number(f.cost, 2)} of 100 points.\n"
            f"Spec path: {f.path or '(spec)'}\n"
            f"Source: {one_line(f.source)}" + (f" <{f.source_url}>" if f.source_url else "")
        )
    return case

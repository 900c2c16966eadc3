"""SARIF 2.1.0, for GitHub code scanning (github/codeql-action/upload-sarif) and other viewers.

One run for all specs. `tool.driver.rules` lists every rule the results were audited with (the
metadata comes from the findings, so it is the catalogue in effect), each with id, name, short and
full description, help (rationale, scoring and source) and helpUri. Every failing finding (score 0 or 1) is a result:

| finding                              | SARIF level |
|--------------------------------------|-------------|
| core rule not met (score 0)          | error       |
| other rule not met (score 0)         | warning     |
| core rule partly met (score 1)       | warning     |
| other rule partly met (score 1)      | note        |

Met and not-applicable rules are not results. Locations: the spec file relative to the working
folder (forward slashes, percent-encoded) with `uriBaseId: %SRCROOT%`, and a region whose
columns count Unicode code points (`run.columnKind`), as PyYAML does; `endColumn` is the column
after the region. `partialFingerprints` hash the rule, the file and the spec path of the finding
(not its line), so an alert survives edits that move it. The output is deterministic: no time
stamps, no absolute paths of the machine.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from rankaudit.report.common import artifact_path, artifact_uri, number, one_line, safe_url, sentence
from rankaudit.report.formats import RenderOptions
from rankaudit.result import AuditResult, Finding, LocatedError, Problem

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "rankauditFinding/v1"


def render_sarif(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    return json.dumps(sarif_log(results, (options or RenderOptions()).problems), indent=2, ensure_ascii=False) + "\n"


def sarif_log(results: list[AuditResult], problems: list[Problem] | None = None) -> dict[str, Any]:
    problems = problems or []
    rules = _rule_descriptors(results) + _problem_descriptors(problems)
    index = {r["id"]: i for i, r in enumerate(rules)}
    version = results[0].tool.get("version", "") if results else _version()
    sarif_results = [_result(f, index) for r in results for f in r.failing()]
    sarif_results += [_problem_result(p, e, index) for p in problems for e in p.errors]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rankaudit",
                        "version": version,
                        "semanticVersion": version,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
                "properties": {
                    "specs": [
                        {
                            "file": artifact_path(r.file),
                            "ranking": one_line(r.profile.name),
                            "edition": one_line(r.profile.edition),
                            # the publisher's own title of the edition, when it differs (null otherwise)
                            "publishedAs": one_line(r.profile.published_as) if r.profile.published_as else None,
                            "overall": r.overall,
                            "grade": r.grade,
                            "gradeStatus": r.grade_status,
                            "gradeLabel": r.grade_label,
                            "coverage": r.coverage,
                            "provisional": r.provisional,
                            "gradeText": r.grade_text,
                            "scores": r.scores,
                        }
                        for r in results
                    ],
                    **({"invalidSpecs": [artifact_path(p.file) for p in problems]} if problems else {}),
                },
            }
        ],
    }


def _version() -> str:
    from rankaudit import __version__

    return __version__


def _rule_descriptors(results: list[AuditResult]) -> list[dict[str, Any]]:
    """One descriptor per rule the results name, in the engine's rule order, from the findings' metadata."""
    descriptors = []
    known: set[str] = set()
    for result in results:
        for f in result.findings:
            if f.code in known:
                continue
            known.add(f.code)
            rationale = one_line(f.rationale) or one_line(f.title)
            help_text = f"{rationale}\n\nScoring: {one_line(f.scoring)}\n\nSource: {one_line(f.source)}"
            help_markdown = (
                f"{rationale}\n\n**Scoring:** {one_line(f.scoring)}\n\n**Source:** {one_line(f.source)}"
            )
            if safe_url(f.source_url):
                help_text += f" ({f.source_url})"
                help_markdown += f" ([link]({f.source_url}))"
            descriptors.append(
                _descriptor(
                    f.code,
                    f.title,
                    rationale,
                    f.dimension,
                    f.core,
                    {"text": help_text, "markdown": help_markdown},
                    f.source_url,
                )
            )
    return descriptors


def _descriptor(
    code: str, title: str, full: str, dimension: str, core: bool, help_: dict[str, str], url: str | None
) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": code,
        "name": _pascal(title),
        "shortDescription": {"text": one_line(title)[:1024]},
        "fullDescription": {"text": one_line(full)[:1024]},
        "help": help_,
        "defaultConfiguration": {"level": "error" if core else "warning"},
        "properties": {
            "tags": ["rankaudit", dimension.replace("_", "-")] + (["core"] if core else []),
            "dimension": dimension,
            "core": core,
            "precision": "very-high",
            "problem.severity": "error" if core else "warning",
        },
    }
    if safe_url(url):
        descriptor["helpUri"] = url
    return descriptor


def _pascal(title: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title))[:255] or "Rule"


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    physical = _physical(f.file, f.line, f.column, f.end_line, f.end_column)
    message = one_line(f.message)
    message = message[0].upper() + message[1:] if message else f.title
    if not message.endswith("."):
        message += "."
    absence = f" ({f.absence_text})" if f.absence_text else ""  # the engine's words, never composed here
    message += f" Scores {f.score} of 2 points{absence}; costs {number(f.cost, 2)} of 100 points."
    fingerprint = hashlib.sha256(f"{f.code}\0{artifact_path(f.file)}\0{f.path}".encode()).hexdigest()[:32]
    return {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": f.level,
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [{"fullyQualifiedName": f.path or "(spec)"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "score": f.score,
            "cost": f.cost,
            "undisclosed": f.undisclosed,
            "absence": f.absence,
            "dimension": f.dimension,
        },
    }


def _problem_descriptors(problems: list[Problem]) -> list[dict[str, Any]]:
    """One descriptor per diagnostic code of the specs that could not be audited (RA0xx-RA3xx)."""
    codes = sorted({e.code for p in problems for e in p.errors})
    return [
        {
            "id": code,
            "name": "SpecCannotBeAudited",
            "shortDescription": {"text": f"{code}: the spec could not be audited"},
            "fullDescription": {"text": "A syntax, schema, semantic or data error stops the audit of this spec."},
            "help": {
                "text": "Run `rankaudit validate` on the spec and fix the error at the line it names.",
                "markdown": "Run `rankaudit validate` on the spec and fix the error at the line it names.",
            },
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["rankaudit", "spec-error"], "precision": "very-high", "problem.severity": "error"},
        }
        for code in codes
    ]


def _problem_result(problem: Problem, error: LocatedError, index: dict[str, int]) -> dict[str, Any]:
    physical = _physical(error.file, error.line, error.column, error.end_line, error.end_column)
    key = f"{error.code}\0{artifact_path(error.file)}\0{error.message}"
    return {
        "ruleId": error.code,
        "ruleIndex": index[error.code],
        "level": "error" if error.severity == "error" else "warning",
        "message": {"text": sentence(error.message)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: hashlib.sha256(key.encode()).hexdigest()[:32]},
        "properties": {"spec": artifact_path(problem.file), "audited": False},
    }


def _physical(
    file: str, line: int | None, column: int | None, end_line: int | None, end_column: int | None
) -> dict[str, Any]:
    """A SARIF physicalLocation: the file as a %SRCROOT%-relative URI, and the region when known."""
    uri, base = artifact_uri(file)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    region = _region(line, column, end_line, end_column)
    if region:
        physical["region"] = region
    return physical


def _region(
    line: int | None, column: int | None, end_line: int | None, end_column: int | None
) -> dict[str, int] | None:
    if line is None:
        return None
    region = {"startLine": max(1, line), "startColumn": max(1, column or 1)}
    if end_line is not None and end_line >= region["startLine"]:
        region["endLine"] = end_line
        if end_column is not None and (end_line > region["startLine"] or end_column > region["startColumn"]):
            region["endColumn"] = max(1, end_column)
    return region

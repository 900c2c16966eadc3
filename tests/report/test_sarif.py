"""SARIF 2.1.0 for GitHub code scanning: catalogue, results, locations, fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from rankaudit.report.sarif import FINGERPRINT_KEY, render_sarif
from rankaudit.result import AuditResult
from rankaudit.rules import all_rules
from tests.report.conftest import ROOT, SMALL, audit_at_root

# What GitHub code scanning requires of an upload (github/docs, "SARIF support for code
# scanning"), written down as a schema: required members, levels, 1-based lines and columns.
GITHUB_REQUIREMENTS = {
    "type": "object",
    "required": ["$schema", "version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results", "columnKind"],
                "properties": {
                    "columnKind": {"const": "unicodeCodePoints"},
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "name", "shortDescription", "fullDescription", "help"],
                                            "properties": {
                                                "name": {"type": "string", "maxLength": 255},
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                    "properties": {"text": {"type": "string", "maxLength": 1024}},
                                                },
                                                "fullDescription": {"type": "object", "required": ["text"]},
                                                "help": {"type": "object", "required": ["text"]},
                                                "helpUri": {"type": "string", "pattern": "^https?://"},
                                                "defaultConfiguration": {
                                                    "properties": {"level": {"enum": ["note", "warning", "error"]}}
                                                },
                                            },
                                        },
                                    }
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"],
                            "properties": {
                                "level": {"enum": ["note", "warning", "error"]},
                                "message": {"type": "object", "required": ["text"]},
                                "locations": {
                                    "type": "array",
                                    "minItems": 1,
                                    "maxItems": 10,
                                    "items": {
                                        "type": "object",
                                        "required": ["physicalLocation"],
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation"],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "required": ["uri"],
                                                        "properties": {
                                                            "uri": {"type": "string", "pattern": r"^[^\\ ]+$"}
                                                        },
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "required": ["startLine"],
                                                        "properties": {
                                                            "startLine": {"type": "integer", "minimum": 1},
                                                            "startColumn": {"type": "integer", "minimum": 1},
                                                            "endLine": {"type": "integer", "minimum": 1},
                                                            "endColumn": {"type": "integer", "minimum": 1},
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                                "partialFingerprints": {"type": "object", "minProperties": 1},
                            },
                        },
                    },
                },
            },
        },
    },
}


def sarif(results: list[AuditResult]) -> dict:
    return json.loads(render_sarif(results))


def test_meets_github_requirements(small: AuditResult, hostile: AuditResult) -> None:
    log = sarif([small, hostile])
    jsonschema.validate(log, GITHUB_REQUIREMENTS)
    assert log["$schema"].endswith("sarif-2.1.0.json")


def test_rule_catalogue(small: AuditResult) -> None:
    rules = sarif([small])["runs"][0]["tool"]["driver"]["rules"]
    catalogue = {r.code: r for r in all_rules()}
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert set(catalogue) <= set(ids)
    for descriptor in rules:
        rule = catalogue.get(descriptor["id"])
        if rule is None:
            continue
        assert descriptor["shortDescription"]["text"] == rule.title
        assert rule.source.split(",")[0] in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == ("error" if rule.core else "warning")
        if rule.source_url and rule.source_url.startswith(("http://", "https://")):
            assert descriptor["helpUri"] == rule.source_url


def test_one_result_per_failing_finding_with_its_location(small: AuditResult) -> None:
    run = sarif([small])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    failing = small.failing()
    assert len(run["results"]) == len(failing)
    for result, finding in zip(run["results"], failing, strict=True):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": SMALL, "uriBaseId": "%SRCROOT%"}
        region = location["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        assert region.get("endLine") == finding.end_line
        expected = {0: "error" if finding.core else "warning", 1: "warning" if finding.core else "note"}
        assert result["level"] == expected[finding.score]
        assert finding.message.rstrip(".")[1:] in result["message"]["text"]
    first = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    text = (ROOT / SMALL).read_text(encoding="utf-8").splitlines()
    # the region starts at the spec text the finding is about
    line = text[first["startLine"] - 1]
    assert line[first["startColumn"] - 1 :].strip()
    met = [f.code for f in small.findings if f.score in (2, None)]
    assert not {r["ruleId"] for r in run["results"]} & (set(met) - {f.code for f in failing})


def test_absolute_paths_become_relative(small: AuditResult) -> None:
    absolute = audit_at_root(str(ROOT / SMALL))
    assert Path(absolute.file).is_absolute()
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif([absolute])["runs"][0]["results"]
    }
    assert uris == {SMALL}


def test_fingerprints_are_stable_and_distinct(small: AuditResult) -> None:
    first = sarif([small])["runs"][0]["results"]
    again = sarif([audit_at_root(SMALL)])["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in first]
    assert prints == [r["partialFingerprints"][FINGERPRINT_KEY] for r in again]
    assert len(set(prints)) == len(prints)


def test_deterministic_and_free_of_machine_paths(small: AuditResult) -> None:
    text = render_sarif([small])
    assert text == render_sarif([small])
    assert str(ROOT) not in text

"""The JSON Schema of the JSON report: committed, current, and satisfied by real output."""

from __future__ import annotations

import json

import jsonschema
import pytest

from rankaudit.report import render
from rankaudit.report.result_schema import COMMITTED_PATH, SCHEMA_ID, result_schema, result_schema_text
from rankaudit.result import AuditResult
from tests.report.conftest import ROOT


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / COMMITTED_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_current() -> None:
    committed = (ROOT / COMMITTED_PATH).read_text(encoding="utf-8")
    assert committed == result_schema_text(), (
        f"{COMMITTED_PATH} is stale: regenerate it with `python -m rankaudit.report.result_schema`"
    )


def test_schema_header() -> None:
    schema = result_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["type"] == "array"
    statistics = schema["$defs"]["AuditResult"]["properties"]["statistics"]
    assert {"$ref": "#/$defs/StatsResult"} in statistics["anyOf"]


def test_json_output_validates(
    validator: jsonschema.Draft202012Validator, small: AuditResult, hostile: AuditResult, small_with_stats: AuditResult
) -> None:
    payload = json.loads(render([small, hostile, small_with_stats], "json"))
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_schema_rejects_a_broken_report(validator: jsonschema.Draft202012Validator, small: AuditResult) -> None:
    payload = json.loads(render([small], "json"))
    payload[0]["findings"][0]["line"] = "twelve"
    assert not validator.is_valid(payload)
    payload = json.loads(render([small], "json"))
    del payload[0]["grade"]
    assert not validator.is_valid(payload)

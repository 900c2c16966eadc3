"""The JSON Schema (Draft 2020-12) of the spec format, for editors and for `rankaudit schema`.

The committed copy (schema/rankaudit-spec.schema.json) is checked against this by a test, so it
cannot go stale; specs point at it with a `# yaml-language-server: $schema=...` modeline.
"""

from __future__ import annotations

import json
from typing import Any

from rankaudit.spec.models import Spec

SCHEMA_ID = "https://github.com/rankaudit/rankaudit/schema/rankaudit-spec.schema.json"
COMMITTED_PATH = "schema/rankaudit-spec.schema.json"


def spec_schema() -> dict[str, Any]:
    body = Spec.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "rankaudit ranking spec",
        "description": "One edition of one ranking, described for rankaudit (spec_version 1).",
        **{k: v for k, v in body.items() if k != "title"},
    }


def spec_schema_text() -> str:
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"

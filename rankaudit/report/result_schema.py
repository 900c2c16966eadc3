"""The JSON Schema (Draft 2020-12) of the JSON report: a list of AuditResult objects.

Generated from the pydantic models in serialization mode (what `render_json` writes), with no
patching: `statistics` is typed as the StatsResult model, so its shape is in the schema like every
other member's. Computed members (`ranking`, `scores`, `units`...) are marked readOnly.

The committed copy, schema/rankaudit-result.schema.json, is checked against this by a test so it
cannot go stale. Regenerate it with:

    python -m rankaudit.report.result_schema
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from rankaudit.result import AuditResult, Problem

SCHEMA_ID = "https://github.com/rankaudit/rankaudit/schema/rankaudit-result.schema.json"
COMMITTED_PATH = "schema/rankaudit-result.schema.json"


def result_schema() -> dict[str, Any]:
    body = TypeAdapter(list[AuditResult | Problem]).json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "rankaudit JSON report",
        "description": "The output of `rankaudit audit --format json` and `rankaudit report -o x.json`: "
        "one AuditResult object per audited spec, then one Problem object per spec that could not be audited.",
        **body,
    }


def result_schema_text() -> str:
    return json.dumps(result_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the committed schema (or another path given as the only argument)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).resolve().parents[2] / COMMITTED_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result_schema_text(), encoding="utf-8", newline="\n")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

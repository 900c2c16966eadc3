"""The JSON Schema (Draft 2020-12) of the JSON report: a list of AuditResult objects.

Generated from the pydantic models in serialization mode (what `render_json` writes). The
`statistics` member, a plain dict in AuditResult, is described by the StatsResult model it is
dumped from, so that consumers of the JSON know its shape too.

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

from rankaudit.result import AuditResult

SCHEMA_ID = "https://github.com/rankaudit/rankaudit/schema/rankaudit-result.schema.json"
COMMITTED_PATH = "schema/rankaudit-result.schema.json"


def result_schema() -> dict[str, Any]:
    from rankaudit.stats.result import StatsResult

    body = TypeAdapter(list[AuditResult]).json_schema(mode="serialization")
    defs: dict[str, Any] = body.pop("$defs")
    stats = StatsResult.model_json_schema(mode="serialization")
    stats_defs: dict[str, Any] = stats.pop("$defs", {})
    renames = {name: f"Stats{name}" for name in stats_defs if name in defs}
    stats = _rename_refs(stats, renames)
    for name, definition in stats_defs.items():
        defs[renames.get(name, name)] = _rename_refs(definition, renames)
    stats_name = "StatsResult" if "StatsResult" not in defs else "StatsResultModel"
    defs[stats_name] = stats
    statistics = defs["AuditResult"]["properties"]["statistics"]
    defs["AuditResult"]["properties"]["statistics"] = {
        "anyOf": [{"$ref": f"#/$defs/{stats_name}"}, {"type": "null"}],
        "description": statistics.get("description", ""),
        "title": statistics.get("title", "Statistics"),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "rankaudit JSON report",
        "description": "The output of `rankaudit audit --format json` and `rankaudit report -o x.json`: "
        "one AuditResult object per spec.",
        **body,
        "$defs": dict(sorted(defs.items())),
    }


def result_schema_text() -> str:
    return json.dumps(result_schema(), indent=2, ensure_ascii=False) + "\n"


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if not renames:
        return node
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                name = value.removeprefix("#/$defs/")
                out[key] = f"#/$defs/{renames.get(name, name)}"
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, renames) for v in node]
    return node


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

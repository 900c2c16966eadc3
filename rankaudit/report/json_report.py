"""JSON: a list with one AuditResult object per spec, in the documented, stable shape."""

from __future__ import annotations

import json

from rankaudit.report.formats import RenderOptions
from rankaudit.result import AuditResult


def render_json(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    payload = [r.model_dump(mode="json") for r in results]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

"""JSON: a list with one AuditResult object per audited spec, in the documented, stable shape,
then one Problem object (`"valid": false` and located `errors`) per spec that could not be audited."""

from __future__ import annotations

import json

from rankaudit.report.formats import RenderOptions
from rankaudit.result import AuditResult


def render_json(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    payload = [r.model_dump(mode="json") for r in results] + [p.model_dump(mode="json") for p in options.problems]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

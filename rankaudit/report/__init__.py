"""Renderers: one module per format, listed in `rankaudit.report.formats`. They read AuditResults and never compute.

Importing this package is cheap (no renderer, no pydantic): the CLI builds its choices from the
registry at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rankaudit.report.formats import COMPARISONS, REPORTS, RenderOptions
from rankaudit.report.write import write_output

if TYPE_CHECKING:
    from rankaudit.result import AuditResult


def render(results: list[AuditResult], fmt: str, options: RenderOptions | None = None) -> str:
    """Render audit results in one of the formats of `REPORTS`."""
    return REPORTS.render(fmt, results, options)


__all__ = ["COMPARISONS", "REPORTS", "RenderOptions", "render", "write_output"]

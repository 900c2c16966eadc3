"""CSV: one row per finding of every audited spec, and one row per error of every spec that failed.

For spreadsheets and data frames. Every cell passes the CSV sanitiser (`sanitise.csv_cell`, also used by
`rankaudit compare --format csv`): control characters (ESC, the 8-bit CSI, CR...) and bidi controls are
written as visible escapes (`\x1b`, `\u202e`), as on the terminal, since a CSV is also read with `cat` or
`less`; then a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab at the start) gets
a leading apostrophe. Numbers are written as the result holds them, not rounded for display.
"""

from __future__ import annotations

import csv
import io

from rankaudit.report.common import artifact_path, one_line
from rankaudit.report.formats import RenderOptions
from rankaudit.report.sanitise import csv_cell
from rankaudit.result import AuditResult

HEADER = (
    "file",
    "ranking",
    "edition",
    "code",
    "dimension",
    "title",
    "level",
    "score",
    "core",
    "undisclosed",
    "cost",
    "line",
    "column",
    "path",
    "message",
    "source",
    "source_url",
    "status",
    "absence",
    "absence_text",
)


def render_csv(results: list[AuditResult], options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for result in results:
        for f in result.findings:
            writer.writerow(
                csv_cell(v)
                for v in (
                    artifact_path(f.file),
                    one_line(result.profile.name),
                    one_line(result.profile.edition),
                    f.code,
                    f.dimension,
                    one_line(f.title),
                    f.level,
                    f.score,
                    f.core,
                    f.undisclosed,
                    f.cost,
                    f.line,
                    f.column,
                    f.path,
                    one_line(f.message),
                    one_line(f.source),
                    f.source_url,
                    f.status,
                    f.absence,
                    f.absence_text,
                )
            )
    for problem in options.problems:
        for e in problem.errors:
            writer.writerow(
                csv_cell(v)
                for v in (
                    artifact_path(problem.file),
                    None,
                    None,
                    e.code,
                    None,
                    "spec could not be audited",
                    e.severity,
                    None,
                    None,
                    None,
                    None,
                    e.line,
                    e.column,
                    None if e.file == problem.file else artifact_path(e.file),  # the data file the error is in
                    one_line(e.message),
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
    return buffer.getvalue()

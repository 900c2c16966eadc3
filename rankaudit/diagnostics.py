"""Located diagnostics: the one error type every layer of rankaudit reports with.

A diagnostic names a code, a message and, where a position exists, the file, line and column
(1-based, counted in Unicode code points) of the node it is about. Syntax, schema, semantic and
data errors all use it, so every front end (terminal, JSON, SARIF, annotations) prints them alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    severity: Severity = "error"

    def location(self) -> str:
        """`file:line:col`, or as much of it as is known."""
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def format(self) -> str:
        return f"{self.location()}: {self.code} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass
class SpecError(Exception):
    """Raised when a spec cannot be loaded; carries every diagnostic found, not only the first."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)

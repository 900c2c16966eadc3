"""`rankaudit migrate`: rewrite a spec written from the sources read so that facts can be verified one by one.

A spec with `undisclosed_means: not_in_sources_read` says, for every `undisclosed` and every key left
out, "not found in the sources cited" (unknown). The migration writes that meaning out: every bare
`undisclosed` becomes `unknown` and the default becomes `undisclosed_means: verified`, under which a
left-out key stays unknown. The audit is the same before and after; afterwards the author may turn
single facts into verified `undisclosed` (the publisher's own document read and silent).

The rewrite is textual, at the positions the loader records, so that comments, key order, quoting and
layout are kept. A spec that states `publisher_silent` (or nothing) already means what it says and is
left as it is.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from rankaudit.spec.load import load_spec
from rankaudit.spec.models import UNDISCLOSED, UNKNOWN
from rankaudit.spec.yamlsafe import Path, PositionIndex, Span, load_yaml

MIGRATED_MEANS = "verified"


@dataclass(frozen=True)
class Migration:
    file: str
    original: str
    migrated: str
    rewritten: int  # `undisclosed` values turned into `unknown`
    reason: str  # what was done, or why nothing was

    @property
    def changed(self) -> bool:
        return self.original != self.migrated

    def diff(self) -> str:
        """A unified diff of the rewrite ('' when nothing changes)."""
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.migrated.splitlines(keepends=True),
                fromfile=f"a/{self.file.lstrip('/')}",
                tofile=f"b/{self.file.lstrip('/')}",
            )
        )


def migrate_text(raw: bytes, file: str) -> Migration:
    """The migrated text of one spec. Raises SpecError (from the loader) when the spec is not valid."""
    loaded = load_spec(file, raw)
    original = raw.decode("utf-8")
    if loaded.spec.undisclosed_means != "not_in_sources_read":
        reason = f"undisclosed_means is {loaded.spec.undisclosed_means}: nothing to migrate"
        return Migration(file, original, original, 0, reason)
    document = load_yaml(raw, file)
    edits: list[tuple[Span, str, str]] = []
    for path in _undisclosed_paths(document.data, ()):
        edits.append((_span(document.positions, path, file), UNDISCLOSED, UNKNOWN))
    edits.append((_span(document.positions, ("undisclosed_means",), file), "not_in_sources_read", MIGRATED_MEANS))
    lines = original.splitlines(keepends=True)
    # from the end of the file backwards, so that earlier positions stay valid
    for span, old, new in sorted(edits, key=lambda e: (e[0].line, e[0].column), reverse=True):
        line = lines[span.line - 1]
        start = span.column - 1
        stop = span.end_column - 1 if span.end_line == span.line else len(line)
        where = line.find(old, start, stop)
        if where < 0:
            raise RuntimeError(f"{file}:{span.line}:{span.column}: cannot find {old!r} to rewrite")
        lines[span.line - 1] = line[:where] + new + line[where + len(old) :]
    migrated = "".join(lines)
    count = len(edits) - 1
    reason = f"{count} `undisclosed` rewritten to `unknown`; undisclosed_means: {MIGRATED_MEANS}"
    return Migration(file, original, migrated, count, reason)


def _undisclosed_paths(value: Any, path: Path) -> list[Path]:
    """Paths of the scalars that are exactly `undisclosed`, in document order."""
    if isinstance(value, str):
        return [path] if value == UNDISCLOSED else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _undisclosed_paths(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _undisclosed_paths(item, (*path, index))]
    return []


def _span(positions: PositionIndex, path: Path, file: str) -> Span:
    span = positions.values.get(path)
    if span is None:  # the loader records every scalar it read: a gap would be a bug, not bad input
        raise RuntimeError(f"{file}: no position for {'.'.join(map(str, path))}")
    return span

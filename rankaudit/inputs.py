"""Turning command-line paths into spec files: files, folders (every *.yaml/*.yml below) and '-'."""

from __future__ import annotations

from pathlib import Path

SPEC_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


def expand_paths(paths: list[str]) -> list[str]:
    """Spec files named by `paths`, in a stable order. Raises UsageError for a path that is not there."""
    files: list[str] = []
    for raw in paths:
        if raw == "-":
            files.append("-")
            continue
        path = Path(raw)
        try:
            path.exists()
        except (OSError, ValueError) as exc:
            raise UsageError(f"{raw[:80]}: cannot use this path: {getattr(exc, 'strerror', None) or exc}") from None
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in SPEC_SUFFIXES and p.is_file() and not _hidden(p, path)
            )
            if not found:
                raise UsageError(f"{raw}: no *.yaml or *.yml files in this folder")
            files.extend(str(p) for p in found)
        elif path.exists():
            files.append(str(path))
        else:
            raise UsageError(f"{raw}: no such file or folder")
    if files.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    return list(dict.fromkeys(files))


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)

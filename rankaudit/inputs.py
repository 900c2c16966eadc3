"""Command-line paths into spec files (files, folders, '-'), and the one guarded reader of input files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.diagnostics_codes import FILE_TOO_LARGE, UNREADABLE

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


def read_capped(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Read a regular file whole, refusing it if it is larger than `max_bytes`.

    Every YAML and TOML file rankaudit reads comes through here. The file is opened without
    blocking and checked to be a regular file before any byte is read (a FIFO or device swapped
    in would otherwise hang or never end); at most `max_bytes + 1` bytes are read, so a huge or
    sparse file costs no memory, and the real size from `fstat` is what the message reports.
    Raises SpecError: RA000 when the file cannot be read, RA003 when it is too large.
    """
    file = os.fspath(path)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise SpecError([Diagnostic(UNREADABLE, "is a folder, not a file", file)]) from None
    except (OSError, ValueError) as exc:
        raise SpecError([Diagnostic(UNREADABLE, f"cannot read file: {_reason(exc)}", file)]) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError([Diagnostic(UNREADABLE, "is a folder, not a file", file)])
        if not stat.S_ISREG(info.st_mode):
            raise SpecError([Diagnostic(UNREADABLE, "is not a regular file (a pipe, device or socket)", file)])
        if info.st_size > max_bytes:
            raise SpecError([_too_large(file, f"file is {info.st_size:,} bytes", max_bytes)])
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SpecError([Diagnostic(UNREADABLE, f"cannot read file: {_reason(exc)}", file)]) from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:  # the file grew after fstat
        raise SpecError([_too_large(file, f"file holds more than {max_bytes:,} bytes", max_bytes)])
    return raw


def read_stdin_capped(max_bytes: int, name: str) -> bytes:
    """Standard input, at most `max_bytes`: its size is unknown until read, so say "more than"."""
    import sys

    raw = sys.stdin.buffer.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise SpecError([_too_large(name, f"standard input holds more than {max_bytes:,} bytes", max_bytes)])
    return raw


def _too_large(file: str, size: str, max_bytes: int) -> Diagnostic:
    return Diagnostic(FILE_TOO_LARGE, f"{size}; the limit is {max_bytes:,}", file)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)

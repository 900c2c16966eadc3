"""Atomic writing: a report is complete or absent, never half-written over a good one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_output(target: Path, text: str) -> None:
    """Write `text` to `target` through a temporary file in the same folder, then rename.

    A crash or interruption leaves the previous file intact; the rename is atomic on POSIX and
    Windows when both names are on one file system, which the same folder guarantees.

    A symbolic link is written through (its target is replaced, not the link), and a target that
    exists but is not a regular file (a device such as /dev/null, a FIFO) is written to directly:
    renaming over it would replace the device itself. The new file gets the old file's permissions,
    or the usual ones for a new file (0666 less the umask), not mkstemp's private 0600.
    """
    if target.is_symlink():
        target = target.resolve()
    if target.exists() and not target.is_file():
        if target.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(target))
        with open(target, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        return
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    # the umask can only be read by setting it; put it straight back
    current = os.umask(0)
    os.umask(current)
    return current

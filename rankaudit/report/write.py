"""Atomic writing: a report is complete or absent, never half-written over a good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_output(target: Path, text: str) -> None:
    """Write `text` to `target` through a temporary file in the same folder, then rename.

    A crash or interruption leaves the previous file intact; the rename is atomic on POSIX and
    Windows when both names are on one file system, which the same folder guarantees.
    """
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise

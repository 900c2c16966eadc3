"""Atomic writing: a report is complete or absent, never half-written over a good one."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from types import ModuleType

fcntl: ModuleType | None
try:  # POSIX: a live writer holds a lock on its temporary file; a dead one's lock is gone
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

# On systems without fcntl, a temporary file this old is taken to be a dead writer's.
STALE_AFTER_SECONDS = 3600


def write_output(target: Path, text: str) -> None:
    """Write `text` to `target` through a temporary file in the same folder, then rename.

    A crash or interruption leaves the previous file intact; the rename is atomic on POSIX and
    Windows when both names are on one file system, which the same folder guarantees.

    A symbolic link is written through (its target is replaced, not the link); a link loop is an
    OSError (ELOOP) naming the path. A target that exists but is not a regular file (a device such
    as /dev/null, a FIFO) is written to directly: renaming over it would replace the device itself.
    The new file gets the old file's permissions, or the usual ones for a new file (0666 less the
    umask), not mkstemp's private 0600. Temporary files that an interrupted run left beside the
    target (`.NAME.*.tmp`, rankaudit's own naming) are removed once the new file is in place.
    """
    if target.is_symlink():
        try:
            target = target.resolve(strict=False)
        except RuntimeError:  # Python < 3.13 reports a loop as RuntimeError
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(target)) from None
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
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
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
    remove_stale_temporaries(target)


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files of dead writers of `target`; return them.

    Only names made by `write_output` (`.NAME.` + mkstemp's random part + `.tmp`) are considered,
    and only those no live writer holds: with fcntl, a file whose lock can be taken has no writer
    (locks end with their process, even on kill -9); without it, files older than an hour.
    """
    pattern = re.compile(re.escape(f".{target.name}.") + r"[A-Za-z0-9_]{6,}\.tmp")
    folder = target.parent if str(target.parent) else Path(".")
    removed = []
    with contextlib.suppress(OSError):
        candidates = [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
        for path in candidates:
            with contextlib.suppress(OSError):
                if path.is_symlink() or not path.is_file():
                    continue
                if _abandoned(path):
                    path.unlink()
                    removed.append(path)
    return removed


def _abandoned(path: Path) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        import time

        return time.time() - path.stat().st_mtime > STALE_AFTER_SECONDS
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a live writer holds it
    finally:
        os.close(descriptor)
    return True


def _umask() -> int:
    # the umask can only be read by setting it; put it straight back
    current = os.umask(0)
    os.umask(current)
    return current

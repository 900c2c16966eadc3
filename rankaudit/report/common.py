"""Small helpers shared by the renderers: safe links, number formats, levels, artifact paths.

Nothing here computes a score: these functions only choose how to show what AuditResult holds.
"""

from __future__ import annotations

import io
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from rankaudit.report.sanitise import csv_cell  # the CSV sanitiser, re-exported for the CSV writers
from rankaudit.result import AuditResult, Finding, LocatedError, Profile, number
from rankaudit.wording import READING_MARK, SECOND_HAND_MARK

if TYPE_CHECKING:
    from rich.console import Console

    from rankaudit.report.formats import RenderOptions

__all__ = [
    "artifact_path",
    "artifact_uri",
    "csv_cell",
    "display_name",
    "grade_phrase",
    "location",
    "number",
    "one_line",
    "problem_location",
    "safe_url",
    "sentence",
    "severity_label",
    "status_word",
    "text_console",
    "value_marks",
]

# Only absolute http(s) addresses become links; anything else (javascript:, data:, relative paths,
# addresses with spaces or control characters, which browsers may read differently) stays text.
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """The URL when it may become a link (absolute http or https), else None."""
    if not url or not _SAFE_URL.fullmatch(url):
        return None
    return url


def severity_label(finding: Finding) -> str:
    """A word for people, as the engine words it (`Finding.status_text`): 'met', 'partly met', 'not met: not
    disclosed by the publisher', 'not assessed: not found in the sources cited', 'not assessable: see OP12'..."""
    if finding.status_text:
        return finding.status_text
    # a Finding built by hand (older JSON, tests): the same words from its score
    if finding.score is None:
        return "not applicable"
    if finding.score == 2:
        return "met"
    if finding.score == 1:
        return "partly met"
    return f"not met: {finding.absence_text}" if finding.absence_text else "not met"


def status_word(finding: Finding) -> str:
    """The short form of `severity_label` for a badge: 'not met', 'not assessed', 'not assessable'..."""
    return severity_label(finding).split(":", 1)[0]


def location(finding: Finding) -> str:
    """file:line:column, as compilers print it."""
    where = artifact_path(finding.file)
    if finding.line is None:
        return where
    return f"{where}:{finding.line}:{finding.column or 1}"


def problem_location(error: LocatedError) -> str:
    """file:line:column of an error that stopped an audit."""
    where = artifact_path(error.file)
    return where if error.line is None else f"{where}:{error.line}:{error.column or 1}"


def artifact_path(file: str) -> str:
    """The spec file as a path relative to the working folder, with forward slashes.

    An absolute path below the working folder becomes relative; any other path is kept (with
    forward slashes). The result depends only on the file name and the working folder.
    """
    if file.startswith("<"):  # <stdin>
        return file
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    text = PurePosixPath(path.as_posix()).as_posix()
    return text[2:] if text.startswith("./") else text


def artifact_uri(file: str) -> tuple[str, str | None]:
    """(uri, uriBaseId) for SARIF: a relative, percent-encoded URI based on %SRCROOT%, or a file URI."""
    path = artifact_path(file)
    if path.startswith("<"):
        return quote(path.strip("<>"), safe=""), "%SRCROOT%"
    if path.startswith("/") or re.match(r"^[A-Za-z]:/", path):
        return "file://" + ("" if path.startswith("/") else "/") + quote(path, safe="/:"), None
    return quote(path, safe="/"), "%SRCROOT%"


def one_line(text: str | None) -> str:
    """Collapse every run of whitespace (newlines included) into one space."""
    return " ".join((text or "").split())


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = one_line(text)
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def value_marks(profile: Profile, name: str) -> list[str]:
    """The marks every document prints beside a profile value: the spec's reading of its sources
    (`Profile.readings`), known only from secondary sources (`Profile.second_hand`)."""
    return [mark for mark, parts in ((READING_MARK, profile.readings), (SECOND_HAND_MARK, profile.second_hand))
            if name in parts]


def display_name(result: AuditResult) -> str:
    """The ranking's name and edition, and the publisher's own title of the edition when it differs."""
    profile = result.profile
    name = f"{profile.name} {profile.edition}".strip()
    return f"{name} (published as “{one_line(profile.published_as)}”)" if profile.published_as else name


def text_console(options: RenderOptions) -> tuple[Console, io.StringIO]:
    """A rich console that prints into a buffer: ANSI colours when `options.color`, plain text otherwise."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        color_system="standard" if options.color else None,
        force_terminal=options.color,
        highlight=False,
    )
    return console, buffer


def grade_phrase(result: AuditResult, *, start: bool = False) -> str:
    """The grade as a phrase: 'grade A (100% of the questions answered from the sources cited)', or the
    engine's words alone when the grade is withheld ('not graded: 13% of the questions ...'), which a
    'grade' in front would turn into a letter's name. `start` capitalises it to open a sentence."""
    words = result.grade_text or result.grade_label
    text = words if result.grade_status == "withheld" else f"grade {words}"
    return text[:1].upper() + text[1:] if start else text

"""Series identity (issue 12): which editions are editions of one ranking by one publisher.

A series id is '<publisher>/<ranking>', two slugs. The spec's `ranking.series` sets it; the default is
computed here from the publisher's and the ranking's names. This module depends on nothing else in
rankaudit, so that the comparison (`rankaudit.compare`) can use it without loading the engine.
"""

from __future__ import annotations

import re
import unicodedata

SERIES_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"


def series_slug(text: str) -> str:
    """`text` as a series id part: accents dropped, case folded, every run of other characters one '-'.

    "A.T. Kearney" -> "a-t-kearney", "IESE Cities in Motion Index" -> "iese-cities-in-motion-index". Nothing
    else is normalised (no legal forms or articles are dropped): two spellings of one publisher or ranking
    are joined by an explicit `ranking.series`, never guessed.
    """
    # case folded first, so that 'ß' becomes 'ss' before the non-ASCII residue is dropped
    ascii_text = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "unnamed"


def default_series(publisher: str, ranking: str) -> str:
    """The series id of an edition that sets no `ranking.series`: '<publisher slug>/<ranking name slug>'."""
    return f"{series_slug(publisher)}/{series_slug(ranking)}"


__all__ = ["SERIES_PATTERN", "default_series", "series_slug"]

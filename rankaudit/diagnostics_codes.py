"""The registry of diagnostic codes: every RA code, what it means, its severity and the layer that emits it.

Modules emit codes through the constants below, never through string literals, so that a code
cannot be used without being documented. The README's "Validation codes" table is generated from
this registry (`codes_markdown`, called by scripts/update_readme.py), and a test fails when the
README is stale or when a code has no test that triggers it at a line and column.

Numbering: RA0xx the file and its YAML, RA1xx the spec's schema and meaning, RA2xx configuration,
RA3xx the data files and the computation they feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rankaudit.diagnostics import Severity

Layer = Literal["file", "yaml", "schema", "semantic", "config", "data"]


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    title: str  # the meaning, as the README's table shows it
    layer: Layer
    severity: Severity = "error"


CODES: dict[str, Code] = {}


def _code(code: str, title: str, layer: Layer, severity: Severity = "error") -> str:
    if code in CODES:
        raise ValueError(f"diagnostic code {code} registered twice")
    CODES[code] = Code(code, title, layer, severity)
    return code


# -- the file and its YAML (rankaudit/inputs.py, rankaudit/spec/yamlsafe.py)
UNREADABLE = _code("RA000", "file cannot be read (missing permission, a folder, not a regular file)", "file")
YAML_SYNTAX = _code("RA001", "YAML syntax error (tab indentation included)", "yaml")
ENCODING = _code(
    "RA002", "not UTF-8 (UTF-16, Latin-1, binary), or a control character such as NUL, or a lone surrogate", "yaml"
)
FILE_TOO_LARGE = _code("RA003", "file larger than 2 MiB, or a document of more than 500,000 nodes", "file")
EMPTY = _code("RA004", "empty file", "yaml")
MULTI_DOC = _code("RA005", "more than one YAML document", "yaml")
DUPLICATE_KEY = _code("RA006", "duplicate key (YAML would silently keep the last)", "yaml")
ALIAS = _code(
    "RA007",
    "more than 16 aliases, aliases that expand the document beyond 500,000 nodes (alias bombs), or an alias cycle",
    "yaml",
)
TAG = _code("RA008", "a tag such as `!!python/object` or `!include`, or a merge key `<<`", "yaml")
DEPTH = _code("RA009", "nesting deeper than 64 levels", "yaml")
NOT_MAPPING = _code("RA010", "the top level is not a mapping", "yaml")
BAD_KEY = _code("RA011", "a mapping key that is not a plain string", "yaml")
BAD_DATE = _code(
    "RA012", "a date that is not in the calendar (`2024-02-30`, `2024-13`), in YAML or in a partial date", "yaml"
)

# -- the spec's schema (rankaudit/spec/load.py)
UNKNOWN_KEY = _code("RA101", 'unknown key (with a "did you mean" hint)', "schema")
MISSING_KEY = _code("RA102", "missing required key (located at the mapping it belongs in)", "schema")
BAD_VALUE = _code("RA103", 'invalid value (with a "did you mean" hint for a misspelt choice)', "schema")

# -- the spec's meaning (rankaudit/spec/semantic.py)
WEIGHT_SUM = _code(
    "RA104",
    "explicit weights that do not sum to 1 within their parent, that exceed 1 whatever their undisclosed siblings "
    "are (or in a spec marked `complete: false`), or that are all zero; joint weights that do the same, or cover "
    "a child with a weight of its own; a formula whose coefficients are all zero",
    "semantic",
)
DUPLICATE_ID = _code("RA105", "duplicate id", "semantic")
FUTURE_YEAR = _code("RA106", "data reference year after the publication date (unless `projection: true`)", "semantic")
PATH_ESCAPE = _code(
    "RA107", "data path outside the spec's folder (absolute, `..`, or a symbolic link pointing out)", "semantic"
)
ZERO_IN_MEAN = _code(
    "RA108", "geometric or harmonic mean over a normalisation that can yield zero or less", "semantic"
)
MISSING_FILE = _code("RA109", "data file not found", "semantic")
UNKNOWN_SOURCE = _code("RA110", "citation names a source id missing from `sources`", "semantic")
EQUAL_MISMATCH = _code("RA111", "`weighting: equal` with unequal weights", "semantic")
COUNT_MISMATCH = _code("RA112", "more cities or indicators listed than the stated count", "semantic")
DATES_ORDER = _code("RA113", "previous edition dated after this one", "semantic")
BAD_LEVEL = _code("RA114", "uncertainty design names a weight level the hierarchy does not have", "semantic")
MISSING_TARGET = _code(
    "RA115",
    "distance-to-target normalisation without a target, distance-to-reference without a reference city, or group "
    "imputation without a group column",
    "semantic",
)
UNRESOLVED_NAME = _code(
    "RA116",
    "a name that resolves to nothing: a city's class not in `cities.classes`, a formula term or a joint weight "
    "that names no listed indicator or sibling",
    "semantic",
)
MISSING_SNAPSHOT = _code(
    "RA117", "a continuously updated ranking (`kind: continuous`) without a `snapshot` date", "semantic"
)
UNDECLARED_DENOMINATOR = _code(
    "RA118", "an indicator's `denominator` that is not one of `data.denominators` (or a spec without `data`)",
    "semantic",
)
UNSAFE_URL = _code("RA120", "a citation URL that is not http(s) (reports will not link it)", "semantic", "warning")
UNCERTAINTY_NO_DATA = _code("RA121", "an uncertainty design without data", "semantic", "warning")
UNVERIFIED_UNDISCLOSED = _code(
    "RA122",
    "facts marked `undisclosed` (the publisher's documents read and silent) but no source marked as the "
    "publisher's methodology or report",
    "semantic",
    "warning",
)

MISPLACED_LIST_SIZE = _code(
    "RA123", "an indicator's `cities_ranked` (the size of its own list) on a ranking whose measures are not ranked "
    "separately", "semantic",
)

# -- configuration (rankaudit/config.py)
CONFIG_ERROR = _code(
    "RA201",
    "configuration error: unknown option, bad value, invalid TOML, or a `tool.rankaudit` table that cannot be read",
    "config",
)

# -- data files and the computation (rankaudit/stats/from_spec.py)
VALUES_ERROR = _code(
    "RA301",
    "indicator data file: unreadable, unknown unit, non-numeric cell, missing or duplicate column, a denominator "
    "that is zero or negative (located at the CSV's line and column)",
    "data",
)
PUBLISHED_ERROR = _code("RA302", "published scores/ranks file: the same problems", "data")
MODEL_ERROR = _code(
    "RA303",
    "the declared method cannot be computed (e.g. a geometric mean meets non-positive values in the data)",
    "data",
)


def codes_markdown() -> str:
    """The README's table of codes (between `<!-- BEGIN codes -->` and `<!-- END codes -->`)."""
    lines = ["| Code | Meaning | Layer |", "|---|---|---|"]
    for entry in CODES.values():
        prefix = "warning: " if entry.severity == "warning" else ""
        lines.append(f"| {entry.code} | {prefix}{entry.title} | {entry.layer} |")
    return "\n".join(lines) + "\n"

"""Evidence states of the facts a spec records, and the one wording of every absence (issue 10).

A fact the spec records is in one of five states:

| state          | how the spec says it                       | scoring                                     |
|----------------|--------------------------------------------|---------------------------------------------|
| stated         | a value                                    | the rule judges it                          |
| not_applicable | `not_applicable`                           | not applicable (costs nothing)              |
| undisclosed    | `undisclosed`: the publisher's documents   | costs points: opacity is what a diligent    |
|                | were read and are silent                   | reader of those documents meets             |
| unknown        | `unknown`: the sources read do not state   | not assessed: no points either way, and it  |
|                | it and are not the publisher's full docs   | lowers the evidence coverage                |
| not stated     | the key left out                           | as the spec-wide default says               |

The spec-wide default `undisclosed_means` keeps its spec_version 1 meaning: with `publisher_silent`
(the default) a bare `undisclosed` is undisclosed and a left-out key "not stated" (scored like
undisclosed); with `not_in_sources_read` both are unknown. `verified` (written by `rankaudit migrate`)
reads a bare `undisclosed` as undisclosed and a left-out key as unknown, so that an author can verify
facts one at a time. An explicit `unknown` is always unknown.

The engine (rankaudit.audit) resolves every `undisclosed` verdict of a rule through the facts it rests
on (`Verdict.facts`, else its `path`) and stores the state and its wording on the finding; renderers
print `Finding.absence_text` and compose no wording of their own; the words themselves live in
`rankaudit.wording`, which renderers may import (it knows nothing of the spec).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel

from rankaudit.spec.models import NOT_APPLICABLE, UNDISCLOSED, UNKNOWN, Spec
from rankaudit.spec.yamlsafe import Path
from rankaudit.wording import ABSENCE_WORD

Absence = Literal["undisclosed", "unknown", "not_stated"]

_MISSING = object()


def silent_means_undisclosed(spec: Spec) -> bool:
    """True when a bare `undisclosed` says the publisher's documents are silent."""
    return spec.undisclosed_means in ("publisher_silent", "verified")


def left_out_scores(spec: Spec) -> bool:
    """True when a left-out key is scored like undisclosed ("not stated"), False when it is unknown."""
    return spec.undisclosed_means == "publisher_silent"


def absence_of_value(value: Any, spec: Spec) -> Absence | None:
    """The state of one value as an absence, or None when it is stated or not applicable."""
    if value is _MISSING or value is None:
        return "not_stated" if left_out_scores(spec) else "unknown"
    if isinstance(value, str):
        if value == UNKNOWN:
            return "unknown"
        if value == UNDISCLOSED:
            return "undisclosed" if silent_means_undisclosed(spec) else "unknown"
        if value == NOT_APPLICABLE:
            return None
    return None


def value_at(spec: Spec, path: Path) -> Any:
    """The value at a document path of the spec (aliases such as `list` included), `_MISSING` when absent."""
    node: Any = spec
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or not -len(node) <= key < len(node):
                return _MISSING
            node = node[key]
        elif isinstance(node, BaseModel):
            name = _field_name(type(node), key)
            if name is None:
                return _MISSING
            node = getattr(node, name)
        elif isinstance(node, dict):
            if key not in node:
                return _MISSING
            node = node[key]
        else:
            return _MISSING
        if node is None:
            return _MISSING
    return node


def _field_name(model: type[BaseModel], key: str) -> str | None:
    fields = model.model_fields
    if key in fields:
        return key
    return next((name for name, info in fields.items() if info.alias == key), None)


# Where a rule locates the indicators a spec says it does not transcribe (`structure.complete: false`): their
# facts are unknown by the spec's own word, whatever `undisclosed_means` says of keys left out.
PARTIAL_LISTING: Path = ("structure", "complete")


# Where a rule locates the backers of a ranking whose spec names only data partners (`sponsors` listing only
# `data_partner` roles): a data supplier named says nothing of who backs the ranking, so they are unknown.
OPEN_BACKERS: Path = ("sponsors", "backers")


# Where a rule locates the places of a ranking the spec does not list (a list of the top 3 of a ranking of 50):
# which cities hold them is unknown, whether the publisher publishes them or not.
UNLISTED_PLACES: Path = ("cities", "list", "unlisted")


def absence_at(spec: Spec, path: Path) -> Absence:
    """The state of the absent fact a finding locates at `path`.

    A rule locates a missing fact at the value (`undisclosed`, `unknown`) or, when the key is left out,
    at the parent it should be in: a parent the spec states (an object) is read as a left-out key.
    """
    if (path == PARTIAL_LISTING and not spec.structure.complete) or path in (OPEN_BACKERS, UNLISTED_PLACES):
        return "unknown"
    value = value_at(spec, path)
    found = absence_of_value(value, spec)
    if found is not None:
        return found
    # a stated parent: the fact inside it is left out, which never says the publisher was read and is silent
    return "not_stated" if left_out_scores(spec) else "unknown"


def resolve(spec: Spec, facts: Iterable[Path]) -> Absence:
    """The state of a finding resting on several absent facts. One verified gap suffices to score it
    (undisclosed); else an explicit or default `unknown` makes it not assessed, since a key left out
    beside it says nothing more; else the facts are not stated (scored, under publisher_silent)."""
    states = {absence_at(spec, path) for path in facts}
    for state in ("undisclosed", "unknown", "not_stated"):
        if state in states:
            return state
    return "unknown"


def absence_word(value: Any, spec: Spec) -> str:
    """'undisclosed', 'not found in the sources cited' or 'not stated', for a rule's message about `value`."""
    state = absence_of_value(_MISSING if value is None else value, spec)
    return ABSENCE_WORD[state or "undisclosed"]


# The publisher's documents whose silence makes a fact undisclosed: the full method and the report.
VERIFYING_DOCUMENTS = frozenset({"methodology", "report"})


def publisher_documents(spec: Spec) -> list[str]:
    """Ids of the sources marked as the publisher's own methodology or report."""
    return [key for key, source in spec.sources.items() if source.publisher_document in VERIFYING_DOCUMENTS]


def verified_undisclosed(spec: Spec) -> list[Path]:
    """Document paths of the facts whose state is undisclosed (an explicit `undisclosed` the spec-wide
    default reads as the publisher's documents being silent), in document order."""
    if not silent_means_undisclosed(spec):
        return []
    found: list[Path] = []

    def walk(value: Any, path: Path) -> None:
        if value == UNDISCLOSED:
            found.append(path)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(spec.model_dump(by_alias=True, exclude_none=True), ())
    return found


def _read_pattern(path: Path) -> str:
    """A spec path in the notation of a rule's `reads` (`structure.children[].kind`): list indices become
    `[]`, and nested children collapse to one level, since a rule that reads an indicator field reads it at
    every depth."""
    text = ""
    for part in path:
        text += "[]" if isinstance(part, int) else f".{part}" if text else str(part)
    return re.sub(r"children\[\](?:\.children\[\])+", "children[]", text)


def _citation_owner(path: Path) -> Path:
    """The object a citation at `path` is attached to (the path before its `cite`)."""
    return path[: path.index("cite")] if "cite" in path else path


def readings(spec: Spec) -> list[str]:
    """The fields the spec's author marks as a reading of the sources (a citation with `reading: true`), in the
    `reads` notation: the citation's `fields` under the object it is attached to, else the whole object."""
    from rankaudit.spec.semantic import walk_citations

    found: list[str] = []
    for citation, path in walk_citations(spec, ()):
        if not citation.reading:
            continue
        owner = _citation_owner(path)
        targets = [(*owner, f) for f in citation.fields] if citation.fields else [owner]
        for target in targets:
            pattern = _read_pattern(target)
            if pattern and pattern not in found:
                found.append(pattern)
    return found


def second_hand_citation(spec: Spec, citation: Any) -> bool:
    """A citation of a secondary source (press, blog, summary), on the citation or on the registered source. A
    copy of the publisher's own document (`publisher_document` on the source, read in a mirror) is not."""
    source = spec.sources.get(citation.source) if citation.source else None
    if source is not None and source.publisher_document is not None:
        return False
    return bool(citation.second_hand or (source is not None and source.second_hand))


def second_hand_only(spec: Spec) -> list[str]:
    """The facts the spec records from secondary sources only, in the `reads` notation: every citation that backs
    them (one on the object holding the fact, or on an object above it, naming the fact in `fields` or no
    fields) is second-hand. Given as the widest such parts: `cities.list` when every rank and name in it is, not
    `cities.list[].rank`; a pattern stands for every instance (`sponsors[].country` only when each sponsor's
    country is second-hand). A fact nobody cites, and an `unknown`, `undisclosed` or `not_applicable`, rests on
    no source, so it is never second-hand; what the spec's author set is read, not the models' defaults."""
    from rankaudit.spec.semantic import walk_citations

    citations: dict[Path, list[Any]] = {}
    for citation, path in walk_citations(spec, ()):
        citations.setdefault(_citation_owner(path), []).append(citation)
    # per pattern: (every instance second-hand only, some instance recorded)
    parts: dict[str, tuple[bool, bool]] = {}

    def backs(citation: Any, below: Path) -> bool:
        """Whether a citation backs the fact at `below` under its object: it names no fields, or names the fact
        or an object holding it, dotted for a nested one (`source.harmonised`, `definition.consistent`)."""
        if citation.fields is None:
            return True
        keys = [key for key in below if not isinstance(key, int)]
        return any(keys[: len(named)] == named for named in (field.split(".") for field in citation.fields))

    def backers(path: Path) -> list[Any]:
        return [c for depth in range(len(path)) for c in citations.get(path[:depth], ()) if backs(c, path[depth:])]

    def record(path: Path) -> None:
        cited = backers(path)
        second = bool(cited) and all(second_hand_citation(spec, c) for c in cited)
        for depth in range(1, len(path) + 1):
            pattern = _read_pattern(path[:depth])
            every, _ = parts.get(pattern, (True, False))
            parts[pattern] = (every and second, True)

    def walk(value: Any, path: Path) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("cite", "note", "notes"):
                    walk(item, (*path, key))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif value is not None and value not in (UNKNOWN, UNDISCLOSED, NOT_APPLICABLE):
            record(path)

    recorded = spec.model_dump(by_alias=True, exclude_unset=True)
    walk({key: value for key, value in recorded.items() if key not in ("sources", "notes")}, ())
    second_hand = [pattern for pattern, (every, some) in parts.items() if every and some]
    return [p for p in second_hand if not any(_beneath(p, wider) for wider in second_hand)]


def _beneath(pattern: str, wider: str) -> bool:
    """True when `pattern` names a part of what `wider` names (`cities.list[].rank` of `cities.list`)."""
    return pattern != wider and pattern.startswith((wider + ".", wider + "[]"))


def parts_read(reads: Iterable[str], patterns: Iterable[str]) -> list[str]:
    """Which of these parts of the spec (its readings, its second-hand facts) a rule that reads `reads` rests on:
    a field the rule reads, or an object whose fields it reads. One part of an object the rule reads whole
    (`source.harmonised` for a rule reading `source` for its name) is not the rule's: rules declare the fields
    they judge."""
    declared = list(reads)

    def covers(pattern: str, read: str) -> bool:
        return read == pattern or _beneath(read, pattern)

    def as_declared_for_all(pattern: str) -> str | None:
        """A field set on the index itself (`structure.source`) is declared for every indicator it holds, so a
        rule reading `structure.children[].source.type` reads it too."""
        head = "structure."
        if pattern.startswith(head) and not pattern.startswith(head + "children"):
            return head + "children[]." + pattern[len(head):]
        return None

    found = []
    for p in patterns:
        alt = as_declared_for_all(p)
        if any(covers(p, r) or (alt is not None and covers(alt, r)) for r in declared):
            found.append(p)
    return found

"""One safe YAML loader for every YAML file rankaudit reads (specs, rule cases, configuration).

`yaml.safe_load` alone is not enough for untrusted input:
- PyYAML keeps aliases as shared references, which pydantic then copies: a 350-byte alias bomb
  expands to millions of nodes once validated. We cap aliases.
- duplicate keys silently keep the last value. We reject them, naming both lines.
- YAML 1.1 implicit typing turns `NO` into False and `1.10` into 1.1. We resolve only the YAML 1.2
  core booleans (true/false) and keep every other bare word a string; ids stay strings because
  the models type them as `str` and refuse numbers.
Besides, we cap file size and nesting depth, accept exactly one document, require strict UTF-8,
and record the position of every node, so that later errors can be located at file:line:column.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from rankaudit.diagnostics import Diagnostic, SpecError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 16

Path = tuple[str | int, ...]

# Codes of the loader; documented in the README ("Validation codes").
SYNTAX = "RA001"
ENCODING = "RA002"
TOO_LARGE = "RA003"
EMPTY = "RA004"
MULTI_DOC = "RA005"
DUPLICATE_KEY = "RA006"
ALIAS = "RA007"
TAG = "RA008"
DEPTH = "RA009"
NOT_MAPPING = "RA010"
BAD_KEY = "RA011"


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class PositionIndex:
    """Where each value (and each mapping key) of a document stands in its file.

    Paths are tuples of mapping keys and sequence indices. Key positions are stored under
    `path + ("<key>",)` style entries in `keys`, so an unknown key can point at the key itself.
    """

    file: str
    values: dict[Path, Span] = field(default_factory=dict)
    keys: dict[Path, Span] = field(default_factory=dict)

    def span(self, path: Path, *, key: bool = False) -> Span | None:
        """The span of `path`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        # a missing field points at the mapping it should be in
        probe = tuple(path)
        while probe:
            probe = probe[:-1]
            if probe in self.values:
                return self.values[probe]
        return None

    def resolve(self, loc: tuple[Any, ...]) -> tuple[Path, bool]:
        """Map a validator location (which may contain union tags) onto a document path.

        Segments that are not keys of the document (discriminator tags, validator names) are
        skipped. Returns the longest existing path and whether the whole location was found.
        """
        path: Path = ()
        found_all = True
        for segment in loc:
            candidate = (*path, segment)
            if candidate in self.values:
                path = candidate
            else:
                found_all = False
        return path, found_all

    def diagnostic(self, code: str, message: str, path: Path, *, key: bool = False) -> Diagnostic:
        span = self.span(path, key=key)
        if span is None:
            return Diagnostic(code, message, self.file)
        return Diagnostic(code, message, self.file, span.line, span.column, span.end_line, span.end_column)


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _mark_diagnostic(code: str, message: str, file: str, mark: Any) -> Diagnostic:
    if mark is None:
        return Diagnostic(code, message, file)
    return Diagnostic(code, message, file, mark.line + 1, mark.column + 1)


class _Located(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_CORE_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_CORE_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_CORE_INT = re.compile(r"^[-+]?[0-9]+$")
_CORE_FLOAT = re.compile(
    r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class _SpecLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars, alias and depth caps, duplicate-key errors."""

    yaml_implicit_resolvers: typing.ClassVar[dict[str, list[Any]]] = {}

    def __init__(self, stream: str, file: str) -> None:
        super().__init__(stream)
        self.name = file
        self.file = file
        self.alias_count = 0
        self.depth = 0

    # -- composition: aliases and depth are capped before anything is constructed
    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                event = self.peek_event()
                raise _Located(
                    _mark_diagnostic(
                        ALIAS,
                        f"more than {MAX_ALIASES} aliases; anchors and aliases are capped so that a small "
                        "file cannot expand into millions of nodes",
                        self.file,
                        event.start_mark,
                    )
                )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            event = self.peek_event()
            raise _Located(
                _mark_diagnostic(DEPTH, f"nesting deeper than {MAX_DEPTH} levels", self.file, event.start_mark)
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# YAML 1.2 core schema: only these resolve implicitly; yes/no/on/off, octal, sexagesimal stay strings.
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _CORE_BOOL, list("tTfF"))
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:null", _CORE_NULL, ["~", "n", "N", ""])
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:int", _CORE_INT, list("-+0123456789"))
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:float", _CORE_FLOAT, list("-+0123456789."))
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:timestamp", _DATE, list("0123456789"))

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class LoadedYaml:
    data: Any
    positions: PositionIndex
    text: str


def read_text(raw: bytes, file: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Decode a file's bytes strictly: size cap, UTF-8 only, no NUL or other control bytes."""
    if len(raw) > max_bytes:
        raise SpecError([Diagnostic(TOO_LARGE, f"file is {len(raw):,} bytes; the limit is {max_bytes:,}", file)])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError([Diagnostic(ENCODING, "file is UTF-16; save it as UTF-8", file, 1, 1)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            [
                Diagnostic(
                    ENCODING,
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                    file,
                    line,
                    column,
                )
            ]
        ) from None
    text = text.removeprefix("\ufeff")
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise SpecError(
            [
                Diagnostic(
                    ENCODING,
                    f"control character U+{ord(bad.group()):04X} is not allowed in a YAML file",
                    file,
                    line,
                    column,
                )
            ]
        )
    return text


def load_yaml(raw: bytes, file: str, *, max_bytes: int = MAX_BYTES, require_mapping: bool = True) -> LoadedYaml:
    """Parse one YAML document safely and index the position of every node.

    Raises SpecError with located diagnostics; never lets a PyYAML or Python error escape.
    """
    text = read_text(raw, file, max_bytes=max_bytes)
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise SpecError([Diagnostic(EMPTY, "file is empty; expected a YAML mapping", file, 1, 1)])
    try:
        loader = _SpecLoader(text, file)
    except yaml.reader.ReaderError as exc:
        # characters YAML forbids (e.g. C1 controls such as U+0080), found when the reader starts
        raise SpecError([_reader_diagnostic(exc, text, file)]) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if "expected a single document" in f"{exc.context} {exc.problem}":
                raise SpecError(
                    [
                        _mark_diagnostic(
                            MULTI_DOC, "more than one YAML document; a file holds exactly one", file, exc.problem_mark
                        )
                    ]
                ) from None
            raise
        if node is None:
            raise SpecError([Diagnostic(EMPTY, "file has no content; expected a YAML mapping", file, 1, 1)])
        if require_mapping and not isinstance(node, MappingNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a single value"
            raise SpecError(
                [
                    _mark_diagnostic(
                        NOT_MAPPING, f"the top level is {kind}; expected a mapping of keys", file, node.start_mark
                    )
                ]
            )
        positions = PositionIndex(file)
        data = _construct(node, (), positions, file)
        return LoadedYaml(data, positions, text)
    except _Located as exc:
        raise SpecError([exc.diagnostic]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if "found character '\\t'" in problem:
            problem = "a tab character cannot indent YAML; use spaces"
        message = f"YAML syntax error: {problem}"
        if exc.context:
            message += f" ({exc.context})"
        raise SpecError([_mark_diagnostic(SYNTAX, message, file, mark)]) from None
    except yaml.reader.ReaderError as exc:
        raise SpecError([_reader_diagnostic(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(SYNTAX, f"YAML error: {exc}", file)]) from None
    except RecursionError:
        raise SpecError([Diagnostic(DEPTH, f"nesting deeper than {MAX_DEPTH} levels", file)]) from None
    finally:
        loader.dispose()


def _reader_diagnostic(exc: yaml.reader.ReaderError, text: str, file: str) -> Diagnostic:
    """A character YAML forbids (e.g. a C1 control such as U+0080), located by its offset."""
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    return Diagnostic(ENCODING, f"character U+{exc.character:04X} is not allowed in a YAML file", file, line, column)


def _construct(node: Node, path: Path, positions: PositionIndex, file: str, seen: frozenset[int] = frozenset()) -> Any:
    """Build plain Python data from a node tree, recording spans, rejecting unknown tags and cycles."""
    positions.values[path] = _span(node)
    if node.tag not in _ALLOWED_TAGS:
        raise _Located(
            _mark_diagnostic(TAG, f"tag {node.tag!r} is not allowed; specs hold plain data only", file, node.start_mark)
        )
    if id(node) in seen:
        raise _Located(_mark_diagnostic(ALIAS, "an alias refers to its own parent (a cycle)", file, node.start_mark))
    if isinstance(node, ScalarNode):
        _no_surrogates(node, file)
        return _scalar(node, file)
    inner = seen | {id(node)}
    if isinstance(node, SequenceNode):
        return [_construct(child, (*path, i), positions, file, inner) for i, child in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    result: dict[str, Any] = {}
    first_seen: dict[str, Node] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "<<" and key_node.style is None:
            raise _Located(
                _mark_diagnostic(
                    TAG, "merge keys ('<<') are not supported; write the keys out", file, key_node.start_mark
                )
            )
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
            raise _Located(_mark_diagnostic(BAD_KEY, "a mapping key must be a plain string", file, key_node.start_mark))
        _no_surrogates(key_node, file)
        key = str(key_node.value)
        if key in first_seen:
            raise _Located(
                _mark_diagnostic(
                    DUPLICATE_KEY,
                    f"duplicate key {key!r} (first at line {first_seen[key].start_mark.line + 1}); "
                    "YAML would silently keep only the last one",
                    file,
                    key_node.start_mark,
                )
            )
        first_seen[key] = key_node
        positions.keys[(*path, key)] = _span(key_node)
        result[key] = _construct(value_node, (*path, key), positions, file, inner)
    return result


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(node: ScalarNode, file: str) -> None:
    """A `\\ud800` escape yields a lone surrogate, which no UTF-8 output (report, JSON, terminal) can hold."""
    found = _SURROGATE.search(str(node.value))
    if found:
        raise _Located(
            _mark_diagnostic(
                ENCODING, f"escape for U+{ord(found.group()):04X} is a lone surrogate, not a character", file,
                node.start_mark,
            )
        )


def _scalar(node: ScalarNode, file: str) -> Any:
    tag, value = node.tag, node.value
    try:
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:int":
            return int(value, 10)
        if tag == "tag:yaml.org,2002:float":
            lowered = value.lower()
            if lowered.endswith(".inf"):
                return float("-inf") if lowered.startswith("-") else float("inf")
            if lowered.endswith(".nan"):
                return float("nan")
            return float(value)
        if tag == "tag:yaml.org,2002:timestamp":
            import datetime

            return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise _Located(_mark_diagnostic(SYNTAX, f"invalid value {value!r}: {exc}", file, node.start_mark)) from None
    return value

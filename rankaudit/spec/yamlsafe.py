"""One safe YAML loader for every YAML file rankaudit reads (specs, rule cases, configuration).

`yaml.safe_load` alone is not enough for untrusted input:
- PyYAML keeps aliases as shared references, which pydantic then copies: a 350-byte alias bomb
  expands to millions of nodes once validated. We cap aliases.
- duplicate keys silently keep the last value. We reject them, naming both lines.
- YAML 1.1 implicit typing turns `NO` into False and `1.10` into 1.1. We resolve only the YAML 1.2
  core booleans (true/false) and keep every other bare word a string; ids stay strings because
  the models type them as `str` and refuse numbers.
- the alias cap alone does not bound work: 16 aliases of a large anchored list still rebuild it 16
  times. We cap the size of the document after alias expansion (MAX_NODES), before building.
Besides, we cap file size and nesting depth, accept exactly one document, require strict UTF-8,
and record the position of every node, so that later errors can be located at file:line:column.

Two back ends compose the node tree: libyaml (PyYAML's C parser, about 15x faster) where it is
installed, and PyYAML's pure-Python parser. Only the pure-Python composer can stop at the exact
event that breaks a cap, so the C path checks the same caps on the composed tree and, whenever
anything is wrong (a syntax error, a cap, a tag, a duplicate key...), the document is parsed again
by the pure-Python path, which produces the diagnostic. Errors are therefore identical by
construction, and valid documents give the same data and positions (tests run both back ends).
`RANKAUDIT_YAML_BACKEND=pure` forces the pure-Python parser; `c` (the default when libyaml is
available) uses libyaml.
"""

from __future__ import annotations

import os
import re
import typing
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.diagnostics_codes import (
    ALIAS,
    BAD_DATE,
    BAD_KEY,
    DEPTH,
    DUPLICATE_KEY,
    EMPTY,
    ENCODING,
    FILE_TOO_LARGE,
    MULTI_DOC,
    NOT_MAPPING,
    TAG,
    YAML_SYNTAX,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 16
# nodes after alias expansion: the largest bundled spec has about 2,500; a 20,000-indicator spec
# about 150,000. Every node is rebuilt and validated, so this bounds time and memory.
MAX_NODES = 500_000
BACKEND_ENV = "RANKAUDIT_YAML_BACKEND"

Path = tuple[str | int, ...]



class Span(typing.NamedTuple):
    # a tuple, not a frozen dataclass: one is made per node, and tuples are built several times faster
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


_new_tuple = tuple.__new__


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    # tuple.__new__ skips the NamedTuple's Python-level constructor: this runs once per node
    return _new_tuple(Span, (start.line + 1, start.column + 1, end.line + 1, end.column + 1))


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


class _CoreResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema implicit typing, shared by both back ends."""

    # add_implicit_resolver fills this registry per class
    yaml_implicit_resolvers: typing.ClassVar[dict[str, list[Any]]] = {}  # type: ignore[misc]  # stub: an instance attribute

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        # BaseResolver.resolve without path resolvers (none are registered): libyaml calls it per node
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return str(self.DEFAULT_SCALAR_TAG)
        if kind is SequenceNode:
            return str(self.DEFAULT_SEQUENCE_TAG)
        return str(self.DEFAULT_MAPPING_TAG)


# YAML 1.2 core schema: only these resolve implicitly; yes/no/on/off, octal, sexagesimal stay strings.
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:bool", _CORE_BOOL, list("tTfF"))
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:null", _CORE_NULL, ["~", "n", "N", ""])
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:int", _CORE_INT, list("-+0123456789"))
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:float", _CORE_FLOAT, list("-+0123456789."))
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:timestamp", _DATE, list("0123456789"))


class _SpecLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _CoreResolver):
    """The pure-Python composer, with alias, expansion and depth caps checked at each event."""

    def __init__(self, stream: str, file: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _CoreResolver.__init__(self)
        self.name = file
        self.file = file
        self.alias_count = 0
        self.depth = 0
        # expanded size of each composed node (by id; the nodes live as long as the loader) and of
        # the document so far, counting every alias as the whole subtree it stands for
        self.sizes: dict[int, int] = {}
        self.expanded = 0

    # -- composition: aliases, expansion and depth are capped before anything is constructed
    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves Parser.peek_event unannotated
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise _Located(_too_many_aliases(self.file, event.start_mark))
            target = self.anchors.get(event.anchor)
            # an alias to a node still being composed is a cycle, which construction reports
            self._grow(self.sizes.get(id(target), 1), event.start_mark)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves Parser.peek_event unannotated
            raise _Located(_too_deep(self.file, event.start_mark))
        try:
            alias = self.check_event(yaml.AliasEvent)
            node = super().compose_node(parent, index)
            if not alias and node is not None:
                self.sizes[id(node)] = 1 + sum(self.sizes.get(id(child), 1) for child in _children(node))
                self._grow(1, node.start_mark)
            return node
        finally:
            self.depth -= 1

    def _grow(self, nodes: int, mark: Any) -> None:
        self.expanded += nodes
        if self.expanded > MAX_NODES:
            raise _Located(_too_many_nodes(self.file, mark, aliased=self.alias_count > 0))


def _too_many_aliases(file: str, mark: Any) -> Diagnostic:
    message = (
        f"more than {MAX_ALIASES} aliases; anchors and aliases are capped so that a small file cannot expand "
        "into millions of nodes"
    )
    return _mark_diagnostic(ALIAS, message, file, mark)


def _too_deep(file: str, mark: Any) -> Diagnostic:
    return _mark_diagnostic(DEPTH, f"nesting deeper than {MAX_DEPTH} levels", file, mark)


def _too_many_nodes(file: str, mark: Any, *, aliased: bool) -> Diagnostic:
    if aliased:
        return _mark_diagnostic(
            ALIAS,
            f"aliases expand this document to more than {MAX_NODES:,} nodes; write the repeated parts out "
            "or shorten them",
            file,
            mark,
        )
    return _mark_diagnostic(FILE_TOO_LARGE, f"the document holds more than {MAX_NODES:,} nodes", file, mark)


def _children(node: Node) -> typing.Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value


if yaml.__with_libyaml__:

    from yaml._yaml import CParser  # present when libyaml is: yaml.cyaml imports it from there

    class _CSpecLoader(CParser, _CoreResolver):
        """libyaml's composer with the same resolver; caps are checked on the tree it returns."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _CoreResolver.__init__(self)


# Where libyaml and PyYAML disagree, found by tests/test_loader_properties.py comparing the two:
# PyYAML refuses a tab after a plain scalar and a comment right after a block-scalar indicator
# (`|#`), which libyaml accepts; without a final newline they end block collections at different
# marks; NEL, LS, PS, an inner BOM or a lone CR count columns differently; a bare `!` tag resolves
# differently (and any tag is refused anyway). Such documents take the pure-Python path.
_PURE_ONLY = re.compile("\t|[|>][-+0-9]*#|[\x85\u2028\u2029\ufeff!]|\r(?!\n)")


def backend() -> str:
    """The YAML back end in use: 'c' (libyaml) unless unavailable or RANKAUDIT_YAML_BACKEND=pure."""
    if not yaml.__with_libyaml__ or os.environ.get(BACKEND_ENV, "").strip().lower() == "pure":
        return "pure"
    return "c"


class _NeedsPure(Exception):
    """A cap is broken, or libyaml places a node differently: the pure-Python path takes over."""


class _OverBudget(_NeedsPure):
    """A cap (aliases, expansion, depth) is broken: `_budget_diagnostic` can say where, at C speed."""


def _compose_fast(text: str) -> Node | None:
    """Compose with libyaml and check the caps; None when the pure-Python path must take over."""
    loader = _CSpecLoader(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    if "*" not in text:
        return node  # no alias is possible: the builder checks depth and size as it goes
    sizes: dict[int, int] = {}
    aliases = 0

    def walk(node: Node, depth: int) -> int:
        # libyaml returns an alias as the anchored node itself: a node met again is an alias use
        nonlocal aliases
        if depth > MAX_DEPTH:
            raise _OverBudget
        known = sizes.get(id(node))
        if known is not None:
            aliases += 1
            if known < 0:  # a cycle: construction reports it
                raise _NeedsPure
            if aliases > MAX_ALIASES:
                raise _OverBudget
            return known
        if isinstance(node, ScalarNode) and not node.value and not node.style:
            # an empty value (`{a: }`, `? a`): libyaml and PyYAML mark it at different columns
            raise _NeedsPure
        sizes[id(node)] = -1
        size = 1 + sum(walk(child, depth + 1) for child in _children(node))
        sizes[id(node)] = size
        return size

    try:
        if walk(node, 1) > MAX_NODES:
            raise _OverBudget
    except RecursionError:
        return None
    return node


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
        raise SpecError([Diagnostic(FILE_TOO_LARGE, f"file is {len(raw):,} bytes; the limit is {max_bytes:,}", file)])
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
    if backend() == "c" and not _PURE_ONLY.search(text) and text.endswith("\n"):
        try:
            node = _compose_fast(text)
            if node is not None and (isinstance(node, MappingNode) or not require_mapping):
                positions = PositionIndex(file)
                builder = _Builder(positions, file, budget=True, surrogates="\\" in text)
                return LoadedYaml(builder.build(node, ()), positions, text)
        except _OverBudget:
            # an alias bomb must be refused fast: replay libyaml's events as the pure composer counts
            found = _budget_diagnostic(text, file)
            if found is not None:
                raise SpecError([found]) from None
        except (_Located, _NeedsPure, RecursionError):
            pass  # the pure-Python path below reports it, exactly as it would have alone
    return _load_pure(text, file, require_mapping=require_mapping)


def _budget_diagnostic(text: str, file: str) -> Diagnostic | None:
    """The diagnostic `_SpecLoader` gives for a broken cap, from libyaml's events (None: ask it instead).

    Mirrors `_SpecLoader.compose_node` step by step: the alias count, then the expansion, then
    the depth, each at the event the pure composer would stop at.
    """
    parser = _CSpecLoader(text)
    sizes: dict[str, int] = {}  # anchor -> expanded size of its node, once complete
    open_anchors: set[str] = set()
    stack: list[list[Any]] = []  # per open collection: [anchor, expanded size so far, start mark]
    expanded = aliases = depth = 0

    def grow(nodes: int, mark: Any) -> Diagnostic | None:
        nonlocal expanded
        expanded += nodes
        return _too_many_nodes(file, mark, aliased=aliases > 0) if expanded > MAX_NODES else None

    try:
        while (event := parser.get_event()) is not None:
            mark = event.start_mark
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return _too_many_aliases(file, mark)
                if anchor not in sizes and anchor not in open_anchors:
                    return None  # an undefined alias: the pure composer's own error
                size = sizes.get(anchor, 1)
                if (problem := grow(size, mark)) or depth + 1 > MAX_DEPTH:
                    return problem or _too_deep(file, mark)
                if stack:
                    stack[-1][1] += size
                continue
            if anchor is not None and (anchor in sizes or anchor in open_anchors):
                return None  # a duplicate anchor: the pure composer's own error
            if isinstance(event, yaml.ScalarEvent):
                if depth + 1 > MAX_DEPTH:
                    return _too_deep(file, mark)
                if problem := grow(1, mark):
                    return problem
                if anchor is not None:
                    sizes[anchor] = 1
                if stack:
                    stack[-1][1] += 1
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return _too_deep(file, mark)
                if anchor is not None:
                    open_anchors.add(anchor)
                stack.append([anchor, 1, mark])
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                anchor, size, start = stack.pop()
                depth -= 1
                if problem := grow(1, start):
                    return problem
                if anchor is not None:
                    open_anchors.discard(anchor)
                    sizes[anchor] = size
                if stack:
                    stack[-1][1] += size
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _load_pure(text: str, file: str, *, require_mapping: bool) -> LoadedYaml:
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
        data = _Builder(positions, file, budget=False, surrogates="\\" in text).build(node, ())
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
        if "mapping values are not allowed" in problem:
            message += "; a value that contains ': ' must be quoted, e.g. name: \"Paris: the city\""
        raise SpecError([_mark_diagnostic(YAML_SYNTAX, message, file, mark)]) from None
    except yaml.reader.ReaderError as exc:
        raise SpecError([_reader_diagnostic(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(YAML_SYNTAX, f"YAML error: {exc}", file)]) from None
    except RecursionError:
        raise SpecError([Diagnostic(DEPTH, f"nesting deeper than {MAX_DEPTH} levels", file)]) from None
    finally:
        loader.dispose()


def _reader_diagnostic(exc: yaml.reader.ReaderError, text: str, file: str) -> Diagnostic:
    """A character YAML forbids (e.g. a C1 control such as U+0080), located by its offset."""
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    return Diagnostic(ENCODING, f"character U+{exc.character:04X} is not allowed in a YAML file", file, line, column)


class _Builder:
    """Builds plain Python data from a node tree, recording spans, rejecting unknown tags and cycles.

    With `budget`, it also enforces the depth and node caps itself (raising _NeedsPure), so that a
    libyaml tree without aliases needs no separate checking walk: without aliases the work is
    linear in the file, and it stops at the first node over a cap.
    """

    def __init__(self, positions: PositionIndex, file: str, *, budget: bool, surrogates: bool) -> None:
        self.positions = positions
        self.values = positions.values
        self.keys = positions.keys
        self.file = file
        self.budget = budget
        self.surrogates = surrogates  # only a `\u` escape can produce one: skip the search otherwise
        self.open: set[int] = set()  # the containers being built: meeting one again is a cycle
        self.nodes = 0

    def build(self, node: Node, path: Path, depth: int = 1, flow: bool = False) -> Any:
        file = self.file
        self.values[path] = _span(node)
        if self.budget:
            self.nodes += 1
            if depth > MAX_DEPTH or self.nodes > MAX_NODES:
                raise _OverBudget
        if node.tag not in _ALLOWED_TAGS:
            message = f"tag {node.tag!r} is not allowed; specs hold plain data only"
            raise _Located(_mark_diagnostic(TAG, message, file, node.start_mark))
        if isinstance(node, ScalarNode):
            if flow and self.budget and not node.style and "?" in node.value:
                # PyYAML ends a plain scalar at '?' inside [...] or {...}; libyaml does not
                raise _NeedsPure
            if self.surrogates:
                _no_surrogates(node, file)
            return _scalar(node, file)
        key_id = id(node)
        if key_id in self.open:
            message = "an alias refers to its own parent (a cycle)"
            raise _Located(_mark_diagnostic(ALIAS, message, file, node.start_mark))
        self.open.add(key_id)
        try:
            if isinstance(node, SequenceNode):
                inner = flow or bool(node.flow_style)
                return [self.build(child, (*path, i), depth + 1, inner) for i, child in enumerate(node.value)]
            assert isinstance(node, MappingNode)  # what is neither a scalar nor a sequence is a mapping
            return self._mapping(node, path, depth, flow or bool(node.flow_style))
        finally:
            self.open.discard(key_id)

    def _mapping(self, node: Node, path: Path, depth: int, flow: bool) -> dict[str, Any]:
        file = self.file
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            # a plain scalar has style None in PyYAML and '' in libyaml
            if isinstance(key_node, ScalarNode) and key_node.value == "<<" and not key_node.style:
                raise _Located(
                    _mark_diagnostic(
                        TAG, "merge keys ('<<') are not supported; write the keys out", file, key_node.start_mark
                    )
                )
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                raise _Located(
                    _mark_diagnostic(BAD_KEY, "a mapping key must be a plain string", file, key_node.start_mark)
                )
            if self.budget:
                self.nodes += 1  # the key node
                if depth + 1 > MAX_DEPTH:
                    raise _OverBudget
            if flow and self.budget and not key_node.style and "?" in key_node.value:
                raise _NeedsPure
            if self.surrogates:
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
            child = (*path, key)
            self.keys[child] = _span(key_node)
            result[key] = self.build(value_node, child, depth + 1, flow)
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
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:int":
        if len(value.lstrip("+-")) > MAX_INT_DIGITS:
            # Python refuses to convert longer digit strings (and no spec number needs them)
            shown = value[:20] + "..."
            raise _Located(
                _mark_diagnostic(
                    YAML_SYNTAX, f"number {shown} has more than {MAX_INT_DIGITS} digits", file, node.start_mark
                )
            )
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

        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise _Located(
                _mark_diagnostic(
                    BAD_DATE, f"{value} is not a date in the calendar ({_date_problem(value)})", file, node.start_mark
                )
            ) from None
    return value


MAX_INT_DIGITS = 4000


def _date_problem(value: str) -> str:
    """What is wrong with a YYYY-MM-DD string that is not a calendar date, in words."""
    import calendar

    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        return f"month {month} does not exist"
    if year < 1:
        return "year 0 does not exist"
    last = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {last} days" if day else "day 0 does not exist"

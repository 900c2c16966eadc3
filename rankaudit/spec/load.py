"""Load a spec: bytes -> safe YAML with positions -> pydantic models -> semantic checks.

Every failure becomes a located Diagnostic: schema errors are mapped from pydantic's `loc`
tuples back onto YAML node marks (a missing field points at its parent mapping, an unknown key at
the key itself, with a "did you mean" hint drawn from the keys allowed at that place).
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.diagnostics_codes import (
    BAD_DATE,
    BAD_VALUE,
    COUNT_MISMATCH,
    EQUAL_MISMATCH,
    MISSING_KEY,
    UNDECLARED_DENOMINATOR,
    UNKNOWN_KEY,
    UNKNOWN_SOURCE,
    WEIGHT_SUM,
)
from rankaudit.inputs import read_capped, read_stdin_capped
from rankaudit.spec import semantic
from rankaudit.spec.models import Group, Indicator, Spec
from rankaudit.spec.tree import Tree
from rankaudit.spec.yamlsafe import MAX_BYTES, Path, PositionIndex, load_yaml

if TYPE_CHECKING:
    from rankaudit.stats.csvfile import DataError

STDIN_NAME = "<stdin>"


@dataclass
class LoadedSpec:
    """A valid spec with what is needed to locate findings in its file."""

    spec: Spec
    file: str
    positions: PositionIndex
    spec_dir: FsPath
    warnings: list[Diagnostic] = field(default_factory=list)
    tree: Tree | None = None  # the walked hierarchy, shared by the semantic checks, the rules and the profile


def read_spec_bytes(path: str) -> bytes:
    """Read a spec file (or stdin for '-'): a regular file, with the size cap applied while reading."""
    if path == "-":
        return read_stdin_capped(MAX_BYTES, STDIN_NAME)
    return read_capped(path, MAX_BYTES)


def load_spec(path: str, raw: bytes | None = None, *, spec_dir: FsPath | None = None) -> LoadedSpec:
    """Load and check one spec. Raises SpecError carrying every diagnostic found."""
    file = STDIN_NAME if path == "-" else path
    if raw is None:
        raw = read_spec_bytes(path)
    loaded = load_yaml(raw, file)
    if spec_dir is None:
        spec_dir = FsPath.cwd() if path == "-" else FsPath(path).parent
    try:
        spec = Spec.model_validate(loaded.data)
    except ValidationError as exc:
        found = schema_diagnostics(exc, loaded.positions)
        found += _semantic_of_the_rest(loaded.data, loaded.positions, spec_dir)
        found.sort(key=lambda d: (d.line or 0, d.column or 0))
        raise SpecError(found) from None
    tree = Tree(spec)
    found = semantic.check(spec, loaded.positions, spec_dir, tree)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise SpecError(found)
    return LoadedSpec(spec, file, loaded.positions, spec_dir, [d for d in found if d.severity == "warning"], tree)


# ---------------------------------------------------------------------------------------------
# semantic checks on the parts of an invalid spec that parsed

MAX_PRUNING_ROUNDS = 8
# checks whose answer depends on a group's full list of children, or on the whole `sources` table
_NEEDS_ALL_CHILDREN = frozenset({WEIGHT_SUM, EQUAL_MISMATCH, COUNT_MISMATCH})
_NEEDS_ALL_SOURCES = frozenset({UNKNOWN_SOURCE})
_NEEDS_ALL_DATA = frozenset({UNDECLARED_DENOMINATOR})  # the declared denominators are in `data`


def _semantic_of_the_rest(data: Any, positions: PositionIndex, spec_dir: FsPath | None) -> list[Diagnostic]:
    """Semantic diagnostics of the spec without the parts that failed the schema, in one run.

    The failing values are pruned (a list item or a mapping key; a mapping that lacks a required
    key goes whole) until the rest validates. Positions are translated back to the file, and
    checks that could be misled by a missing part are dropped: weight sums and counts when a child
    was pruned, unknown sources when a source was, anything located on a pruned part's ancestors.
    """
    pruned = PrunedDocument(copy.deepcopy(data))
    for _ in range(MAX_PRUNING_ROUNDS):
        try:
            spec = Spec.model_validate(pruned.data)
        except ValidationError as exc:
            if not pruned.prune(exc):
                return []
            continue
        index = pruned.positions(positions)
        found = semantic.check(spec, index, spec_dir, Tree(spec))
        return [d for d in found if not pruned.may_mislead(d, positions)]
    return []


class PrunedDocument:
    """A copy of the YAML data with failing parts removed, remembering what went where."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.removed: list[tuple[Path, Any]] = []  # (container path, index or key), in current coordinates
        self.removed_original: list[Path] = []

    def prune(self, exc: ValidationError) -> bool:
        targets: set[Path] = set()
        for err in exc.errors(include_url=False):
            # a missing key: the mapping that lacks it goes; an unknown key or a bad value: itself
            path = self._existing(err["loc"])
            if not path:
                return False  # the document itself is wrong: nothing left to check
            targets.add(path)
        # deepest first, and later list items first, so that every path stays valid while pruning
        for path in sorted(targets, key=lambda p: (len(p), [str(s).zfill(9) for s in p]), reverse=True):
            if any(path[: len(other)] == other for other in targets if other != path and len(other) < len(path)):
                continue  # an ancestor goes too
            parent, last = self._get(path[:-1]), path[-1]
            self.removed_original.append(self._original(path))
            present = (isinstance(parent, list) and isinstance(last, int) and last < len(parent)) or (
                isinstance(parent, dict) and last in parent
            )
            if not present:
                return False
            del parent[last]
            self.removed.append((path[:-1], last))
        return True

    def _get(self, path: Path) -> Any:
        node = self.data
        for segment in path:
            node = node[segment]
        return node

    def _existing(self, loc: tuple[Any, ...]) -> Path:
        """The longest document path along a validator location (union tags are skipped)."""
        node: Any = self.data
        path: Path = ()
        for segment in loc:
            present = (isinstance(node, dict) and isinstance(segment, str) and segment in node) or (
                isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node)
            )
            if present:
                node, path = node[segment], (*path, segment)
        return path

    def _original(self, path: Path) -> Path:
        """A current path in the file's coordinates: undo the list removals, latest first."""
        result = list(path)
        for container, index in reversed(self.removed):
            if isinstance(index, int) and tuple(result[: len(container)]) == container and len(result) > len(container):
                position = result[len(container)]
                if isinstance(position, int) and position >= index:
                    result[len(container)] = position + 1
        return tuple(result)

    def _current(self, original: Path) -> Path | None:
        """A file path in the pruned document's coordinates, or None when it was pruned."""
        result = list(original)
        for container, index in self.removed:
            if tuple(result[: len(container)]) != container or len(result) <= len(container):
                continue
            position = result[len(container)]
            if position == index:
                return None
            if isinstance(index, int) and isinstance(position, int) and position > index:
                result[len(container)] = position - 1
        return tuple(result)

    def positions(self, original: PositionIndex) -> PositionIndex:
        index = PositionIndex(original.file)
        for table, target in ((original.values, index.values), (original.keys, index.keys)):
            for path, span in table.items():
                current = self._current(path)
                if current is not None:
                    target[current] = span
        return index

    def may_mislead(self, diagnostic: Diagnostic, original: PositionIndex) -> bool:
        if diagnostic.code in _NEEDS_ALL_CHILDREN and any("children" in p for p in self.removed_original):
            return True
        if diagnostic.code in _NEEDS_ALL_SOURCES and any(p[:1] == ("sources",) for p in self.removed_original):
            return True
        if diagnostic.code in _NEEDS_ALL_DATA and any(p[:1] == ("data",) for p in self.removed_original):
            return True
        ancestors = {p[:i] for p in self.removed_original for i in range(len(p))}
        starts = {(span.line, span.column) for path in ancestors if (span := original.values.get(path))}
        return (diagnostic.line, diagnostic.column) in starts


# ---------------------------------------------------------------------------------------------
# pydantic errors -> located diagnostics


def schema_diagnostics(exc: ValidationError, positions: PositionIndex) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    resolved = [positions.resolve(err["loc"]) for err in errors]
    # In a union (`Model | 'undisclosed'`), a mapping fails the literal branch too. When another
    # branch has errors deeper inside the same value, the shallow complaint is noise: drop it.
    deeper = {path[:i] for path, _ in resolved for i in range(len(path))}
    # a missing or unknown key lies inside the mapping at its resolved path
    deeper |= {path for (path, _), err in zip(resolved, errors, strict=True) if err["type"] in _KEY_ERRORS}
    by_path: dict[tuple[Any, ...], list[tuple[ErrorDetails, bool]]] = {}
    for err, (path, _found) in zip(errors, resolved, strict=True):
        if err["type"] in _KEY_ERRORS:
            by_path.setdefault((*path, err["type"], err["loc"][-1]), []).append((err, _found))
            continue
        if path in deeper and isinstance(err.get("input"), dict | list):
            continue
        by_path.setdefault(path, []).append((err, _found))
    out: list[Diagnostic] = []
    for key, group in by_path.items():
        err = group[0][0]
        if err["type"] == "extra_forbidden":
            out.append(_unknown_key(err, positions))
        elif err["type"] == "missing":
            name = err["loc"][-1]
            parent = key[:-2]
            out.append(positions.diagnostic(MISSING_KEY, f"missing required key {name!r}", parent))
        else:
            relevant = _relevant([e for e, _ in group])
            code = BAD_DATE if any(_is_bad_date(e) for e in relevant) else BAD_VALUE
            out.append(positions.diagnostic(code, _value_message(relevant), key))
    out.sort(key=lambda d: (d.line or 0, d.column or 0))
    return out


_KEY_ERRORS = ("extra_forbidden", "missing")
# union branches that merely reject the input's type: noise when another branch says what is wrong inside it
_TYPE_MISMATCHES = frozenset(
    {
        "literal_error",
        "string_type",
        "int_type",
        "int_parsing",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "date_type",
    }
)


def _relevant(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    if not isinstance(errors[0].get("input"), dict | list):
        return errors
    specific = [e for e in errors if e["type"] not in _TYPE_MISMATCHES]
    return specific or errors


def _unknown_key(err: ErrorDetails, positions: PositionIndex) -> Diagnostic:
    loc = err["loc"]
    path, _ = positions.resolve(loc[:-1])
    key = str(loc[-1])
    allowed = sorted(_allowed_keys(loc[:-1]))
    hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    message = f"unknown key {key!r}"
    if hint:
        message += f"; did you mean {hint[0]!r}?"
    elif allowed:
        message += f"; expected one of: {', '.join(allowed)}"
    return positions.diagnostic(UNKNOWN_KEY, message, (*path, key), key=True)


def _is_bad_date(err: ErrorDetails) -> bool:
    return err["type"] == "value_error" and "is not a calendar date" in err["msg"]


def shown_value(value: Any) -> str:
    """A value as the user wrote it in YAML, never as a Python repr (`datetime.date(...)`, `None`)."""
    if isinstance(value, dict):
        return "(a mapping)"
    if isinstance(value, list):
        return "(a list)"
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 57 else value[:54] + "..."
        return "'" + text.replace("'", "''") + "'"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# pydantic's phrasing -> the spec's vocabulary; class names never reach a message
_PHRASES = (
    (re.compile(r"^Input should be "), "expected "),
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"a valid dictionary( or instance of \w+)?"), "a mapping"),
    (re.compile(r"(an )?instance of \w+"), "a mapping"),
    (re.compile(r"a valid integer, unable to parse string as an integer"), "a whole number"),
    (re.compile(r"a valid integer, got a number with a fractional part"), "a whole number"),
    (re.compile(r"a valid integer"), "a whole number"),
    (re.compile(r"a valid number, unable to parse string as a number"), "a number"),
    (re.compile(r"a valid (number|boolean|list)"), r"a \1"),
    (re.compile(r"a valid string"), "text"),
    (re.compile(r"a valid date"), "a date (YYYY-MM-DD)"),
)


def _reason(err: ErrorDetails) -> str:
    msg = str(err["msg"])
    for pattern, replacement in _PHRASES:
        msg = pattern.sub(replacement, msg)
    return msg


def _choices(errors: list[ErrorDetails]) -> list[str]:
    """The allowed words, gathered over every branch of a union that offered a fixed list."""
    found: list[str] = []
    for err in errors:
        if err["type"] == "literal_error":
            for choice in re.findall(r"'((?:[^'\\]|\\.)*)'", str(err.get("ctx", {}).get("expected", ""))):
                if choice not in found:
                    found.append(choice)
    return found


def did_you_mean(word: str, choices: list[str]) -> str | None:
    """The choice a misspelt or miscased word most likely meant, or None."""
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    starting = [c for c in choices if len(word) >= 3 and c.lower().startswith(word.lower())]
    if len(starting) == 1:
        return starting[0]
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _value_message(errors: list[ErrorDetails]) -> str:
    value = errors[0].get("input")
    choices = _choices(errors)
    specific = [e for e in errors if e["type"] not in ("literal_error", "string_type") or not choices]
    reasons: list[str] = []
    if any(e["type"] == "value_error" for e in specific):
        # a value error says what is wrong; the other branches (e.g. 'undisclosed') are noise beside it
        specific = [e for e in specific if e["type"] == "value_error"]
        choices = []
    for err in specific:
        reason = _reason(err)
        if reason not in reasons:
            reasons.append(reason)
    if choices:
        listed = ", ".join(choices)
        reasons.append(f"or one of: {listed}" if reasons else f"expected one of: {listed}")
    joined = "; ".join(r if i == 0 or r.startswith("or ") else f"or {r}" for i, r in enumerate(reasons))
    message = f"invalid value {shown_value(value)}: {joined}"
    if choices and isinstance(value, str):
        hint = did_you_mean(value, choices)
        if hint is not None:
            message += f"; did you mean {hint!r}?"
    return message


def _expand(tp: Any) -> list[Any]:
    """The concrete types a (possibly Annotated, Optional, union) annotation stands for."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _expand(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in _expand(arg)]
    return [tp]


def _allowed_keys(loc: tuple[Any, ...]) -> set[str]:
    """Keys allowed in the mapping at `loc`, by walking the model types along the location."""
    current: list[Any] = [Spec]
    for segment in loc:
        following: list[Any] = []
        for tp in current:
            for concrete in _expand(tp):
                following.extend(_step(concrete, segment))
        current = following or current
    keys: set[str] = set()
    for tp in current:
        for concrete in _expand(tp):
            if isinstance(concrete, type) and issubclass(concrete, BaseModel):
                keys |= {info.alias or name for name, info in concrete.model_fields.items()}
    return keys


def _step(tp: Any, segment: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if isinstance(segment, int):
        if origin is list:
            return list(typing.get_args(tp))
        return []
    if origin is dict:
        return [typing.get_args(tp)[1]]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if segment == "group":
            return [Group]
        if segment == "indicator":
            return [Indicator]
        if segment == tp.__name__:
            return [tp]
        for name, info in tp.model_fields.items():
            if segment in (name, info.alias):
                return [info.annotation]
    return []


# ---------------------------------------------------------------------------------------------
# validating many files

Checked = tuple[str, list[Diagnostic], list[Diagnostic]]  # file, errors, warnings

# Below this many files a process pool costs more than it saves: forking two workers and shipping
# results back costs about 30 ms, one spec about 3-5 ms (benchmarks/bench_validate.py measures it).
PARALLEL_MIN_FILES = 40


def check_file(file: str) -> Checked:
    """Load one spec for `validate`: its errors and warnings (the spec itself is not kept).

    A valid spec's data files are then read as the audit would read them (`check_data_files`), so
    that a broken CSV fails here, in the pre-commit hook, rather than in the audit.
    """
    try:
        loaded = load_spec(file)
    except SpecError as exc:
        errors = [d for d in exc.diagnostics if d.severity == "error"]
        return (STDIN_NAME if file == "-" else file), errors, [d for d in exc.diagnostics if d.severity != "error"]
    return loaded.file, check_data_files(loaded.spec, loaded.spec_dir), loaded.warnings


def data_columns(spec: Spec) -> tuple[list[str], list[str], list[str]]:
    """The columns the audit reads from the values file: (indicators, denominators, group columns).

    The same choice as `rankaudit.stats.from_spec` (an indicator's `column`, else its id; the group
    column only when an imputation works by group), made without the numpy model.
    """
    from rankaudit.stats import methods

    tree = Tree(spec)
    indicators = [r.node.column or r.id for r in tree.indicators if isinstance(r.node, Indicator)]
    data = spec.data
    assert data is not None
    method = spec.method
    missing = method.missing_data if method is not None else None

    def by_group(name: str | None) -> bool:
        return name in methods.names("imputation") and methods.imputation(name).by_group

    groups: list[str] = []
    own = None  # the method's own group column (from_spec: the model's imputation.group_column)
    if missing is not None and not isinstance(missing, str) and by_group(missing.imputation):
        own = missing.group_by or data.group_column
        groups.append(own or "")
    if spec.uncertainty is not None:
        groups += [own or data.group_column or "" for name in spec.uncertainty.imputation if by_group(name)]
    return indicators, list(data.denominators), sorted({g for g in groups if g})


def divisor_columns(spec: Spec) -> list[str]:
    """The declared denominators some indicator is divided by (`denominator`): their values must be above zero."""
    used = {r.node.denominator.column for r in Tree(spec).indicators
            if isinstance(r.node, Indicator) and r.node.denominator is not None}
    return [d for d in (spec.data.denominators if spec.data else []) if d in used]


def check_data_files(spec: Spec, spec_dir: FsPath) -> list[Diagnostic]:
    """Read the spec's values and published files with the audit's CSV reader: readable, UTF-8, every
    column the spec names present, every cell numeric, every id non-empty, unique and a unit of the
    spec (or of the values file, for the published results); the first problem of each file, located
    at its CSV line and column with the audit's codes (RA301, RA302).

    Standard library only (`rankaudit.stats.csvfile`): `validate` must not import numpy or pandas.
    """
    data = spec.data
    if data is None:
        return []
    # imported past the check: a spec that links no data needs no CSV reader
    from rankaudit.diagnostics_codes import PUBLISHED_ERROR, VALUES_ERROR
    from rankaudit.stats.csvfile import DataError, read_published, read_values

    indicators, denominators, groups = data_columns(spec)
    values_path = spec_dir / data.values
    try:
        rows = read_values(
            values_path,
            indicators,
            id_column=data.id_column,
            name_column=data.name_column,
            numeric_columns=denominators,
            text_columns=groups,
            expected_units=expected_units(spec),
            display_path=data_file_name(values_path),
            positive_columns=divisor_columns(spec),
        )
    except DataError as exc:
        return [data_diagnostic(VALUES_ERROR, exc)]
    if not data.published:
        return []
    published_path = spec_dir / data.published
    try:
        read_published(
            published_path,
            id_column=data.published_id_column,
            score_column=data.published_score_column,
            rank_column=data.published_rank_column,
            known_ids=rows.ids,
            display_path=data_file_name(published_path),
        )
    except DataError as exc:
        return [data_diagnostic(PUBLISHED_ERROR, exc)]
    return []


def data_diagnostic(code: str, exc: DataError) -> Diagnostic:
    """A data file's problem as a located diagnostic (RA301 values, RA302 published), for `validate` and
    the statistical audit alike (the CSV reader itself stays standard-library only)."""
    return Diagnostic(code, exc.message, exc.file or "<data>", exc.line, exc.column)


def expected_units(spec: Spec) -> list[str] | None:
    """The units a values file may hold: the city list when it is the whole list (a top-N excerpt is
    not). `validate` and the statistical audit both ask here (numpy-free)."""
    members = spec.cities.members
    if not members or (isinstance(spec.cities.count, int) and len(members) < spec.cities.count):
        return None
    return [c.id or c.name for c in members]


def data_file_name(path: FsPath) -> str:
    """A data file as messages name it: relative to the current folder unless that climbs out."""
    import os

    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else str(path)


def check_files(files: list[str], *, jobs: int | None = None) -> Iterator[Checked]:
    """`check_file` for each file, in order; in worker processes when there are many files and cores.

    Workers are forked (where the platform forks), so they inherit the imported models instead of
    importing them again; elsewhere, and for few files, the files are checked in this process.
    """
    workers = jobs if jobs is not None else min(_cores(), 8)
    if workers < 2 or len(files) < PARALLEL_MIN_FILES or "-" in files:
        yield from map(check_file, files)
        return
    import multiprocessing  # only here: importing it costs a one-spec run several milliseconds

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from map(check_file, files)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        # chunks amortise the round trips; small enough that both workers finish together
        chunk = max(1, min(32, len(files) // (workers * 8)))
        yield from pool.imap(check_file, files, chunksize=chunk)


def _cores() -> int:
    """Cores this process may run on (the affinity mask, as a container or `taskset` sets it)."""
    import os

    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1

"""Load a spec: bytes -> safe YAML with positions -> pydantic models -> semantic checks.

Every failure becomes a located Diagnostic: schema errors are mapped from pydantic's `loc`
tuples back onto YAML node marks (a missing field points at its parent mapping, an unknown key at
the key itself, with a "did you mean" hint drawn from the keys allowed at that place).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.diagnostics_codes import BAD_VALUE, MISSING_KEY, UNKNOWN_KEY
from rankaudit.inputs import read_capped, read_stdin_capped
from rankaudit.spec import semantic
from rankaudit.spec.models import Group, Indicator, Spec
from rankaudit.spec.tree import Tree
from rankaudit.spec.yamlsafe import MAX_BYTES, PositionIndex, load_yaml

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
        raise SpecError(schema_diagnostics(exc, loaded.positions)) from None
    tree = Tree(spec)
    found = semantic.check(spec, loaded.positions, spec_dir, tree)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise SpecError(found)
    return LoadedSpec(spec, file, loaded.positions, spec_dir, [d for d in found if d.severity == "warning"], tree)


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
    by_path: dict[tuple[Any, ...], list[tuple[dict[str, Any], bool]]] = {}
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
            out.append(positions.diagnostic(BAD_VALUE, _value_message(_relevant([e for e, _ in group])), key))
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


def _relevant(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not isinstance(errors[0].get("input"), dict | list):
        return errors
    specific = [e for e in errors if e["type"] not in _TYPE_MISMATCHES]
    return specific or errors


def _unknown_key(err: dict[str, Any], positions: PositionIndex) -> Diagnostic:
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


def _value_message(errors: list[dict[str, Any]]) -> str:
    value = errors[0].get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__.replace("dict", "a mapping")
    if len(shown) > 60:
        shown = shown[:57] + "..."
    reasons: list[str] = []
    for err in errors:
        msg = err["msg"]
        msg = msg.replace("Input should be ", "expected ").replace("Value error, ", "")
        if msg not in reasons:
            reasons.append(msg)
    return f"invalid value {shown}: {'; or '.join(reasons)}"


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
    """Load one spec for `validate`: its errors and warnings (the spec itself is not kept)."""
    try:
        loaded = load_spec(file)
    except SpecError as exc:
        errors = [d for d in exc.diagnostics if d.severity == "error"]
        return (STDIN_NAME if file == "-" else file), errors, [d for d in exc.diagnostics if d.severity != "error"]
    return loaded.file, [], loaded.warnings


def check_files(files: list[str], *, jobs: int | None = None) -> Iterator[Checked]:
    """`check_file` for each file, in order; in worker processes when there are many files and cores.

    Workers are forked (where the platform forks), so they inherit the imported models instead of
    importing them again; elsewhere, and for few files, the files are checked in this process.
    """
    import multiprocessing

    workers = jobs if jobs is not None else min(_cores(), 8)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or len(files) < PARALLEL_MIN_FILES or not forkable or "-" in files:
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

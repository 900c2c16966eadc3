"""Configuration, ruff-style: `[tool.rankaudit]` in pyproject.toml or a `.rankaudit.yaml`.

    [tool.rankaudit]
    select = ["OP", "FR03"]        # codes or prefixes; default: every rule
    ignore = ["QB09"]
    fail-under = 50

    [tool.rankaudit.rules.FR03]
    stale-after-years = 4

The nearest configuration file above the current folder is used (the YAML one wins when both
exist in one folder). Unknown keys and bad values are errors located in the file.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.diagnostics_codes import CONFIG_ERROR, FILE_TOO_LARGE
from rankaudit.inputs import read_capped
from rankaudit.rules.base import Rule

TOP_KEYS = ("select", "ignore", "fail-under", "rules")


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_under: float | None = None
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    file: str | None = None

    def enabled(self, code: str) -> bool:
        def matches(patterns: list[str]) -> bool:
            return any(code.startswith(p.upper()) for p in patterns)

        if self.select and not matches(self.select):
            return False
        return not matches(self.ignore)

    def options_for(self, rule: Rule) -> dict[str, Any]:
        chosen = {name: option.default for name, option in rule.options.items()}
        chosen.update(self.rule_options.get(rule.code, {}))
        return chosen


# Caps on what a configuration may hold: it is a handful of options, so anything larger is hostile
MAX_CONFIG_BYTES = 2 * 1024 * 1024
MAX_TOML_NESTING = 32  # arrays and inline tables; tomllib recurses on them (RecursionError beyond ~1,000)
MAX_OPTION_NUMBER = 10**15  # larger numbers mean nothing to any option, and overflow float()


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`.

    A pyproject.toml counts when it has a `tool.rankaudit` table, however it is written (TOML
    says `[tool.rankaudit]`, `[tool]` + `rankaudit.x = ...` and `tool.rankaudit.x = ...` are the
    same), and also when it mentions rankaudit but cannot be parsed: `load_config` then reports
    the problem, rather than the gate silently switching off.
    """
    for folder in [start, *start.parents]:
        for name in (".rankaudit.yaml", ".rankaudit.yml", "pyproject.toml"):
            candidate = folder / name
            try:
                if not candidate.is_file():
                    continue
            except OSError:
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        raw = read_capped(path, MAX_CONFIG_BYTES)
    except SpecError as exc:
        # too large: a config we cannot check is an error (load_config says so); unreadable: not ours to judge
        return exc.diagnostics[0].code == FILE_TOO_LARGE
    text = raw.decode("utf-8", errors="replace")
    if "rankaudit" not in text:
        return False
    try:
        document = _parse_toml(text, str(path))
    except SpecError:
        return True
    tool = document.get("tool")
    return isinstance(tool, dict) and "rankaudit" in tool


def load_config(path: Path, rules: list[Rule]) -> Config:
    """Read and check a configuration file against the rule catalogue."""
    file = str(path)
    raw = read_capped(path, MAX_CONFIG_BYTES)
    if path.suffix in (".yaml", ".yml"):
        from rankaudit.spec.yamlsafe import load_yaml

        loaded = load_yaml(raw, file)
        table = loaded.data

        def locate(keys: tuple[str, ...], message: str) -> Diagnostic:
            return loaded.positions.diagnostic(CONFIG_ERROR, message, keys, key=True)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise SpecError(
                [Diagnostic(CONFIG_ERROR, f"invalid TOML: byte 0x{raw[exc.start]:02x} is not UTF-8", file, line, 1)]
            ) from None
        document = _parse_toml(text, file)
        index = TomlKeyLines(text)
        tool = document.get("tool")
        table = tool.get("rankaudit", {}) if isinstance(tool, dict) else {}

        def locate(keys: tuple[str, ...], message: str) -> Diagnostic:
            # tomllib keeps no positions: find the key's line in the text
            line, column = index.find(("tool", "rankaudit", *keys))
            return Diagnostic(CONFIG_ERROR, message, file, line, column)

    if not isinstance(table, dict):
        raise SpecError([locate((), "the rankaudit configuration must be a table of options")])
    return _check(table, rules, locate, file)


def _parse_toml(text: str, file: str) -> dict[str, Any]:
    """tomllib with the nesting and number caps applied first; every error located."""
    deep = _too_deep(text)
    if deep is not None:
        raise SpecError(
            [Diagnostic(CONFIG_ERROR, f"invalid TOML: nesting deeper than {MAX_TOML_NESTING} levels", file, *deep)]
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line, column = (int(where.group(1)), int(where.group(2))) if where else _end_of(text)
        raise SpecError([Diagnostic(CONFIG_ERROR, f"invalid TOML: {message}", file, line, column)]) from None
    except (ValueError, RecursionError, MemoryError):
        # Python's int() refuses more than 4,300 digits (tomllib lets the ValueError escape)
        digits = re.search(r"[0-9_]{4000,}", text)
        line, column = _line_column(text, digits.start()) if digits else _end_of(text)
        raise SpecError([Diagnostic(CONFIG_ERROR, "invalid TOML: a number is too long", file, line, column)]) from None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _end_of(text: str) -> tuple[int, int]:
    return _line_column(text, len(text))


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where `[`/`{` nesting outside strings and comments first exceeds the cap, or None."""
    depth = 0
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "\"'":
            triple = text.startswith(char * 3, i)
            closing = char * 3 if triple else char
            j = i + len(closing)
            while j < n and not text.startswith(closing, j):
                if char == '"' and text[j] == "\\":
                    j += 1
                elif not triple and text[j] == "\n":
                    break
                j += 1
            i = j + len(closing)
            continue
        if char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if char in "[{":
            depth += 1
            if depth > MAX_TOML_NESTING:
                return _line_column(text, i)
        elif char in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return None


_KEY_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*""")


def _parse_key(line: str, pos: int) -> tuple[tuple[str, ...], int]:
    """A dotted TOML key starting at `pos`: its parts and the position after it."""
    parts: list[str] = []
    while True:
        match = _KEY_PART.match(line, pos)
        if match is None:
            return tuple(parts), pos
        basic, literal, bare = match.groups()
        parts.append(basic.encode().decode("unicode_escape") if basic is not None else literal or bare or "")
        pos = match.end()
        if not line.startswith(".", pos):
            return tuple(parts), pos
        pos += 1


class TomlKeyLines:
    """Where each key of a (valid) TOML document is written: full dotted path -> (line, column).

    Table headers (`[a."b"]`, `[ a . b ]`, `[[a]]`) set the prefix of the keys below them; a
    dotted key adds its own parts. Lines inside multi-line strings and arrays are skipped.
    """

    def __init__(self, text: str) -> None:
        self.lines: list[tuple[tuple[str, ...], int, int]] = []
        prefix: tuple[str, ...] = ()
        pending = ""  # the closing quotes of an open multi-line string
        depth = 0  # open brackets of a multi-line array or inline table
        for number, line in enumerate(text.splitlines(), start=1):
            if pending or depth:
                pending, depth = _continue_value(line, 0, pending, depth)
                continue
            stripped = line.lstrip()
            column = len(line) - len(stripped) + 1
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("["):
                start = 2 if stripped.startswith("[[") else 1
                prefix, _ = _parse_key(stripped, start)
                self.lines.append((prefix, number, column))
                continue
            key, after = _parse_key(line, column - 1)
            if not key or not line.startswith("=", after):
                continue
            self.lines.append(((*prefix, *key), number, column))
            pending, depth = _continue_value(line, after + 1, "", 0)

    def find(self, path: tuple[str, ...]) -> tuple[int | None, int | None]:
        """The line and column of `path`, else of its longest written prefix (an inline table, a header)."""
        for length in range(len(path), 0, -1):
            for key, line, column in self.lines:
                if key == path[:length]:
                    return line, column
        return None, None


def _continue_value(line: str, pos: int, pending: str, depth: int) -> tuple[str, int]:
    """Scan a value's text: whether a multi-line string stays open, and how many brackets do."""
    i, n = pos, len(line)
    while i < n:
        if pending:
            end = line.find(pending, i)
            if end < 0:
                return pending, depth
            i, pending = end + len(pending), ""
            continue
        char = line[i]
        if char == "#":
            break
        if char in "\"'":
            if line.startswith(char * 3, i):
                pending, i = char * 3, i + 3
                continue
            j = i + 1
            while j < n and line[j] != char:
                j += 2 if char == '"' and line[j] == "\\" else 1
            i = j + 1
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        i += 1
    return pending, max(depth, 0)


def _check(table: Any, rules: list[Rule], locate: Any, file: str) -> Config:
    problems: list[Diagnostic] = []
    config = Config(file=file)
    by_code = {r.code: r for r in rules}
    prefixes = {r.code[:2] for r in rules}
    for key, value in table.items():
        if key not in TOP_KEYS:
            hint = difflib.get_close_matches(key, TOP_KEYS, n=1)
            problems.append(
                locate((key,), f"unknown option {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
            )
        elif key in ("select", "ignore"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(locate((key,), f"{key!r} must be a list of rule codes or prefixes"))
                continue
            for code in value:
                known = code.upper() in by_code or code.upper() in prefixes or code.upper() == "ALL"
                if not known:
                    problems.append(locate((key,), f"{key!r} names unknown rule {code!r}"))
            patterns = ["" if v.upper() == "ALL" else v for v in value]
            setattr(config, key, patterns)
        elif key == "fail-under":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
                problems.append(locate((key,), "'fail-under' must be a number from 0 to 100"))
            else:
                config.fail_under = float(value)
        elif key == "rules":
            if not isinstance(value, dict):
                problems.append(locate((key,), "'rules' must map rule codes to their options"))
                continue
            for code, options in value.items():
                rule = by_code.get(code.upper())
                if rule is None:
                    problems.append(locate(("rules", code), f"unknown rule {code!r}"))
                    continue
                if not isinstance(options, dict):
                    problems.append(locate(("rules", code), f"options of {code} must be a mapping"))
                    continue
                for name, raw in options.items():
                    option = rule.options.get(name)
                    if option is None:
                        allowed = ", ".join(rule.options) or "none"
                        problems.append(
                            locate(("rules", code, name), f"{code} has no option {name!r} (options: {allowed})")
                        )
                        continue
                    if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) > MAX_OPTION_NUMBER:
                        too_large = f"{code}.{name}: number too large (at most {MAX_OPTION_NUMBER:.0e})"
                        problems.append(locate(("rules", code, name), too_large))
                        continue
                    try:
                        config.rule_options.setdefault(rule.code, {})[name] = option.coerce(raw)
                    except (ValueError, OverflowError) as exc:
                        problems.append(locate(("rules", code, name), f"{code}.{name}: {exc}"))
    if problems:
        raise SpecError(problems)
    return config

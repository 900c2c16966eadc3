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
from rankaudit.rules.base import Rule

CONFIG_ERROR = "RA201"
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


def find_config(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        for name in (".rankaudit.yaml", ".rankaudit.yml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "[tool.rankaudit" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def load_config(path: Path, rules: list[Rule]) -> Config:
    """Read and check a configuration file against the rule catalogue."""
    file = str(path)
    if path.suffix in (".yaml", ".yml"):
        from rankaudit.spec.yamlsafe import load_yaml

        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SpecError([Diagnostic(CONFIG_ERROR, f"cannot read configuration: {exc.strerror}", file)]) from None
        loaded = load_yaml(raw, file)
        table = loaded.data

        def locate(keys: tuple[str, ...], message: str) -> Diagnostic:
            return loaded.positions.diagnostic(CONFIG_ERROR, message, keys, key=True)
    else:
        try:
            text = path.read_text(encoding="utf-8")
            document = tomllib.loads(text)
        except OSError as exc:
            raise SpecError([Diagnostic(CONFIG_ERROR, f"cannot read configuration: {exc.strerror}", file)]) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            line, column = (int(where.group(1)), int(where.group(2))) if where else (None, None)
            raise SpecError([Diagnostic(CONFIG_ERROR, f"invalid TOML: {message}", file, line, column)]) from None
        tool = document.get("tool", {})
        table = tool.get("rankaudit", {}) if isinstance(tool, dict) else {}
        lines = text.splitlines()

        def locate(keys: tuple[str, ...], message: str) -> Diagnostic:
            # tomllib keeps no positions: find the key's line in the text (after its table header)
            return _toml_locate(lines, keys, message, file)

    return _check(table, rules, locate, file)


def _toml_locate(lines: list[str], keys: tuple[str, ...], message: str, file: str) -> Diagnostic:
    start = 0
    if len(keys) >= 2 and keys[0] == "rules":
        header = re.compile(rf"^\s*\[tool\.rankaudit\.rules\.{re.escape(keys[1])}\]")
        start = next((i for i, line in enumerate(lines) if header.match(line)), 0)
    else:
        start = next((i for i, line in enumerate(lines) if line.strip() == "[tool.rankaudit]"), 0)
    target = re.compile(rf"^\s*\"?{re.escape(keys[-1])}\"?\s*=")
    for i in range(start, len(lines)):
        if target.match(lines[i]):
            column = len(lines[i]) - len(lines[i].lstrip()) + 1
            return Diagnostic(CONFIG_ERROR, message, file, i + 1, column)
    return Diagnostic(CONFIG_ERROR, message, file, start + 1 if start else None, 1 if start else None)


def _check(table: Any, rules: list[Rule], locate: Any, file: str) -> Config:
    problems: list[Diagnostic] = []
    config = Config(file=file)
    by_code = {r.code: r for r in rules}
    prefixes = {r.code[:2] for r in rules}
    if not isinstance(table, dict):
        raise SpecError([Diagnostic(CONFIG_ERROR, "configuration must be a mapping", file)])
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
                    try:
                        config.rule_options.setdefault(rule.code, {})[name] = option.coerce(raw)
                    except ValueError as exc:
                        problems.append(locate(("rules", code, name), f"{code}.{name}: {exc}"))
    if problems:
        raise SpecError(problems)
    return config

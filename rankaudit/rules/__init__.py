"""The rule catalogue: one decorated function per rule, grouped in one module per dimension."""

from __future__ import annotations

import importlib

from rankaudit.rules.base import DIMENSIONS, Rule, registered

# Importing a module registers its rules. The statistical rules are imported like the others:
# they only read a StatsResult, so they cost no heavy import.
_MODULES = ("opacity", "freshness", "comparability", "bias", "statistical")


def all_rules() -> list[Rule]:
    """Every rule, sorted by dimension then code."""
    for name in _MODULES:
        try:
            importlib.import_module(f"rankaudit.rules.{name}")
        except ModuleNotFoundError as exc:  # a dimension module not written yet
            if exc.name != f"rankaudit.rules.{name}":
                raise
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    return sorted(registered().values(), key=lambda r: (order[r.dimension], r.code))


def get_rule(code: str) -> Rule | None:
    return {r.code: r for r in all_rules()}.get(code.upper())

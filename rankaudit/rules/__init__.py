"""The rule catalogue: one decorated function per file, in one package per dimension.

`rankaudit/rules/<dimension>/<code>_<name>.py` (e.g. `opacity/op01_methodology_public.py`) defines one
rule; importing a dimension package imports all its modules (a pkgutil walk), which registers their
rules. Shared judging policy is in `policy.py`, the sources in `bibliography.py`.
"""

from __future__ import annotations

import importlib

from rankaudit.rules.base import DIMENSIONS, Rule, registered


def all_rules() -> list[Rule]:
    """Every rule, sorted by dimension then code."""
    # one package per dimension, named after it; the statistical rules only read a StatsResult, so
    # importing them costs no heavy import
    for dimension in DIMENSIONS:
        importlib.import_module(f"rankaudit.rules.{dimension}")
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    return sorted(registered().values(), key=lambda r: (order[r.dimension], r.code))


def get_rule(code: str) -> Rule | None:
    return {r.code: r for r in all_rules()}.get(code.upper())

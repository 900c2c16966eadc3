"""The unit of the rule catalogue.

A rule is one function decorated with `@rule(...)`: the decorator carries what a reader needs
(code, dimension, title, core or not, the published source it rests on, the spec fields it reads,
how it scores) and the function's docstring is its rationale. Passing and failing examples live in
`rankaudit/rules/cases/<CODE>.yaml`, which are at once the documentation's examples and the
data-driven tests (one parametrised test runs them all).

Scores follow the IREG audit's architecture: 0 = not met or undisclosed, 1 = partly met,
2 = met; `None` = not applicable (costs nothing). Rules never print: they return a Verdict.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from rankaudit.spec.models import NOT_APPLICABLE, UNDISCLOSED
from rankaudit.spec.yamlsafe import Path

if TYPE_CHECKING:
    from rankaudit.rules.context import AuditContext

Dimension = Literal["opacity", "freshness", "comparability", "quantitative_bias", "statistical_robustness"]

DIMENSIONS: tuple[Dimension, ...] = (
    "opacity",
    "freshness",
    "comparability",
    "quantitative_bias",
    "statistical_robustness",
)
PREFIXES: dict[str, Dimension] = {
    "OP": "opacity",
    "FR": "freshness",
    "CM": "comparability",
    "QB": "quantitative_bias",
    "SR": "statistical_robustness",
}
DIMENSION_TITLES: dict[Dimension, str] = {
    "opacity": "Opacity",
    "freshness": "Data freshness",
    "comparability": "Comparability",
    "quantitative_bias": "Quantitative bias",
    "statistical_robustness": "Statistical robustness",
}


@dataclass(frozen=True)
class Verdict:
    """What a rule concluded about one spec.

    `path` is where in the spec the finding rests (a tuple of keys and indices); a finding about
    something absent points at the parent it should be in. `undisclosed` marks a 0 that is due
    to missing disclosure rather than to a disclosed bad practice.
    """

    score: int | None
    message: str
    path: Path = ()
    undisclosed: bool = False
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.score not in (0, 1, 2, None):
            raise ValueError(f"a rule scores 0, 1, 2 or None, not {self.score!r}")


def met(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(2, message, path, evidence=evidence)


def partly(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(1, message, path, evidence=evidence)


def not_met(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(0, message, path, evidence=evidence)


def undisclosed(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(0, message, path, undisclosed=True, evidence=evidence)


def not_applicable(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(None, message, path, evidence=evidence)


def is_stated(value: object) -> bool:
    """A value the publisher discloses: not left out, not undisclosed, not 'not applicable'."""
    return value is not None and value not in (UNDISCLOSED, NOT_APPLICABLE)


def disclosure(value: object) -> Literal["stated", "undisclosed", "not_applicable", "missing"]:
    if value is None:
        return "missing"
    if value == UNDISCLOSED:
        return "undisclosed"
    if value == NOT_APPLICABLE:
        return "not_applicable"
    return "stated"


@dataclass(frozen=True)
class Option:
    """A per-rule option users may set in configuration (ruff-style)."""

    default: float | int | str | bool
    description: str

    def coerce(self, value: Any) -> Any:
        kind = type(self.default)
        if kind is bool:
            if not isinstance(value, bool):
                raise ValueError("expected true or false")
            return value
        if kind in (int, float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"expected a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"expected a finite number of at least 0, got {value!r}")
            if kind is int:
                if value != int(value):
                    raise ValueError(f"expected a whole number, got {value!r}")
                return int(value)
            return float(value)
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value


CheckFunction = Callable[["AuditContext", dict[str, Any]], Verdict]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    core: bool
    source: str
    source_url: str | None
    reads: tuple[str, ...]
    scoring: str
    rationale: str
    options: dict[str, Option]
    check: CheckFunction
    needs_data: bool = False

    @property
    def dimension(self) -> Dimension:
        return PREFIXES[self.code[:2]]

    @property
    def weight(self) -> int:
        """Core rules count double, as in the IREG Ranking Audit."""
        return 2 if self.core else 1

    @property
    def summary(self) -> str:
        """The rationale's first sentence, for one-line listings."""
        first = re.split(r"(?<=[.!?])\s", self.rationale.strip(), maxsplit=1)[0]
        return first


_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    title: str,
    *,
    source: str,
    reads: tuple[str, ...],
    scoring: str,
    core: bool = False,
    source_url: str | None = None,
    options: dict[str, Option] | None = None,
    needs_data: bool = False,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a rule. The decorated function's docstring is its rationale (two or three sentences)."""
    if not re.fullmatch(r"(OP|FR|CM|QB|SR)\d{2}", code):
        raise ValueError(f"rule code {code!r} must be a dimension prefix and two digits")

    def register(function: CheckFunction) -> CheckFunction:
        if code in _REGISTRY:
            raise ValueError(f"rule {code} is defined twice")
        doc = inspect.getdoc(function)
        if not doc:
            raise ValueError(f"rule {code} needs a docstring: its rationale")
        _REGISTRY[code] = Rule(
            code=code,
            title=title,
            core=core,
            source=source,
            source_url=source_url,
            reads=reads,
            scoring=scoring,
            rationale=doc,
            options=options or {},
            check=function,
            needs_data=needs_data,
        )
        return function

    return register


def registered() -> dict[str, Rule]:
    return _REGISTRY

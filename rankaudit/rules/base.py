"""The unit of the rule catalogue.

A rule is one function decorated with `@rule(...)`, alone in its own file of its dimension's package
(`rankaudit/rules/opacity/op01_methodology_public.py`): the decorator carries what a reader needs
(code, dimension, title, core or not, the bibliography entries it rests on, the spec fields it reads,
how it scores, as a template filled with the options in effect) and the function's docstring is its
rationale. Passing and failing examples live in `rankaudit/rules/cases/<CODE>.yaml`, which are at
once the documentation's examples and the data-driven tests (one parametrised test runs them all).

Scores follow the IREG audit's architecture: 0 = not met or undisclosed, 1 = partly met,
2 = met; `None` = not applicable (costs nothing). Rules never print: they return a Verdict.

A rule that cannot judge because of a gap another rule already scores (no indicator listed: OP12;
weights not published: OP02; no data year: FR01; no publication date: FR09) returns `blocked(root,
reason)`, so that one root cause is counted once. An `undisclosed` verdict is resolved by the engine
(`rankaudit.evidence`): when the facts it rests on are `unknown` it is "not assessed", not a 0.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from rankaudit.rules.bibliography import Entry, Reference, resolve, source_text, source_url
from rankaudit.spec.models import ABSENT, NOT_APPLICABLE, UNDISCLOSED, UNKNOWN
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


# What a verdict records beside its message, for the reports: JSON-like values (numbers, strings, lists of ids),
# passed as keyword arguments (`met(message, path, share=0.5)`) or as a dict splatted into them.
Evidence = dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    """What a rule concluded about one spec.

    `path` is where in the spec the finding rests (a tuple of keys and indices); a finding about
    something absent points at the parent it should be in. `undisclosed` marks a 0 that is due
    to missing disclosure rather than to a disclosed bad practice; `facts` are the spec paths of the
    absent facts it rests on (default: `path`), which the engine resolves to undisclosed or unknown.
    `blocked_by` names the rule holding the root cause when the rule could not judge (score None).
    `unassessed` counts the points of the rule's 2 that rest on `unknown` facts (not found in the sources
    read): the score is judged on the established facts only, and those points are neither earned nor lost;
    they lower the evidence coverage instead (`policy.parts_verdict` sets it). `rests_on`, when set, narrows the
    fields of the rule's `reads` this verdict was judged on (`resting_on`), so that a reading of a field the
    verdict did not use is not said to be what it rests on.
    """

    score: int | None
    message: str
    path: Path = ()
    undisclosed: bool = False
    evidence: Evidence = field(default_factory=dict)
    facts: tuple[Path, ...] = ()
    blocked_by: str | None = None
    unassessed: int = 0
    rests_on: tuple[str, ...] | None = None
    # fields of the rule's `reads` this verdict was not judged on (`not_resting_on`): the kind of a composite index
    # for a share rule, which decides how measures are counted only when the ranking combines nothing
    not_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.score not in (0, 1, 2, None):
            raise ValueError(f"a rule scores 0, 1, 2 or None, not {self.score!r}")
        # a rule with all its points unassessed is not assessed: an undisclosed verdict on its unknown facts
        if self.unassessed and (self.score is None or not 0 < self.unassessed <= min(1, 2 - self.score)):
            raise ValueError(f"{self.unassessed!r} unassessed points do not fit a score of {self.score!r} of 2")


def resting_on(verdict: Verdict, *reads: str) -> Verdict:
    """The verdict, judged on these of its rule's `reads` only (`Verdict.rests_on`)."""
    return replace(verdict, rests_on=reads)


def not_resting_on(verdict: Verdict, *reads: str) -> Verdict:
    """The verdict, not judged on these of its rule's `reads` (`Verdict.not_on`)."""
    return replace(verdict, not_on=reads)


def met(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(2, message, path, evidence=evidence)


def partly(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(1, message, path, evidence=evidence)


def not_met(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(0, message, path, evidence=evidence)


def undisclosed(message: str, path: Path = (), *, facts: Iterable[Path] = (), **evidence: Any) -> Verdict:
    return Verdict(0, message, path, undisclosed=True, evidence=evidence, facts=tuple(facts))


def blocked(root: str, reason: str, path: Path = (), **evidence: Any) -> Verdict:
    """The rule cannot judge because of a gap rule `root` already scores: no points either way, and the
    finding points at the root instead of losing its points a second time."""
    return Verdict(None, f"not assessable: see {root} ({reason})", path, evidence=evidence, blocked_by=root)


def not_applicable(message: str, path: Path = (), **evidence: Any) -> Verdict:
    return Verdict(None, message, path, evidence=evidence)


def is_stated(value: object) -> bool:
    """A value the publisher discloses: not left out, not undisclosed or unknown, not 'not applicable'."""
    return value is not None and not (isinstance(value, str) and value in (*ABSENT, NOT_APPLICABLE))


def is_absent(value: object) -> bool:
    """`undisclosed` or `unknown`: the spec says the fact is missing (a left-out key is None, not absent)."""
    return isinstance(value, str) and value in ABSENT


def disclosure(value: object) -> Literal["stated", "undisclosed", "unknown", "not_applicable", "missing"]:
    if value is None:
        return "missing"
    if value == UNDISCLOSED:
        return "undisclosed"
    if value == UNKNOWN:
        return "unknown"
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


class _ScoringFormatter(string.Formatter):
    """Fills a scoring template with option values. Beyond the usual format specs (`{lag-for-2}`,
    `{width-for-2:.2f}`), `%` writes a share as a percentage with no needless decimals (0.95 -> 95%,
    0.125 -> 12.5%), `years` a count of years (1 year, 3 years) and `times` a factor in words (0.5 ->
    half, 2 -> twice, 3 -> 3 times)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "%":
            return f"{round(float(value) * 100, 6):g}%"
        if format_spec == "years":
            return f"{float(value):g} year" if value == 1 else f"{float(value):g} years"
        if format_spec == "times":
            words = {0.5: "half", 2.0: "twice"}
            return words.get(float(value), f"{float(value):g} times")
        return str(super().format_field(value, format_spec))  # format() gives a str; the stub says Any

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key not in kwargs:
            raise KeyError(f"the scoring text names {{{key}}}, which is not one of the rule's options")
        return super().get_value(key, args, kwargs)


def render_scoring(template: str, values: Mapping[str, Any]) -> str:
    """A scoring template with `{option-name}` fields filled from `values` (`{{`/`}}` for literal braces)."""
    return _ScoringFormatter().vformat(template, (), values)


CheckFunction = Callable[["AuditContext", dict[str, Any]], Verdict]


@dataclass(frozen=True)
class Rule:
    """One rule's metadata and check. `source` and `source_url` are the composed text and link of
    `sources` (bibliography references); `scoring` is the scoring text with the default options, and
    `scoring_text(options)` the same text with the options in effect."""

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
    sources: tuple[Reference, ...] = ()
    scoring_template: str | None = None
    module: str = ""  # the module that defines the rule, e.g. rankaudit.rules.opacity.op01_methodology_public
    composite_only: str | None = None
    """What the rule judges that only a composite index has ('weights to publish'); None for every kind."""

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

    def defaults(self) -> dict[str, Any]:
        return {name: option.default for name, option in self.options.items()}

    def scoring_text(self, options: Mapping[str, Any] | None = None) -> str:
        """The scoring text with the options in effect (defaults for those not given)."""
        if self.scoring_template is None:
            return self.scoring
        return render_scoring(self.scoring_template, self.defaults() | dict(options or {}))

    @property
    def bibliography(self) -> list[Entry]:
        """The bibliography entries the rule rests on, in citation order, each once."""
        entries: dict[str, Entry] = {}
        for ref in self.sources:
            entry = resolve(ref)[0]
            entries.setdefault(entry.id, entry)
        return list(entries.values())


_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    title: str,
    *,
    sources: tuple[Reference, ...],
    reads: tuple[str, ...],
    scoring: str,
    core: bool = False,
    options: dict[str, Option] | None = None,
    needs_data: bool = False,
    composite_only: str | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a rule. The decorated function's docstring is its rationale (two or three sentences).

    `sources` are bibliography references (see rankaudit.rules.bibliography); `scoring` is a template
    whose `{option-name}` fields are filled with the options in effect. `composite_only` names what the rule
    judges that only a composite index has ("weights to publish"): for the other kinds of ranking
    (`ranking.kind`) the rule is not applicable and says why.
    """
    if not re.fullmatch(r"(OP|FR|CM|QB|SR)\d{2}", code):
        raise ValueError(f"rule code {code!r} must be a dimension prefix and two digits")
    if not sources:
        raise ValueError(f"rule {code} cites no source")
    chosen = options or {}
    # fail at import, not at report time, on an unknown source or a template naming no option
    text, url = source_text(sources), source_url(sources)
    rendered = render_scoring(scoring, {name: option.default for name, option in chosen.items()})

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
            source=text,
            source_url=url,
            reads=reads,
            scoring=rendered,
            rationale=doc,
            options=chosen,
            check=_for_composites(function, composite_only) if composite_only else function,
            needs_data=needs_data,
            sources=tuple(sources),
            scoring_template=scoring,
            module=function.__module__,
            composite_only=composite_only,
        )
        return function

    return register


# why a ranking of each non-composite kind (`ranking.kind`) has nothing a composite-only rule judges
NOT_COMPOSITE: dict[str, str] = {
    "single_measure": "a single-measure ranking combines nothing of its own (its one measure may be built from inputs)",
    "separate_rankings": "a set of separate rankings combines nothing",
    "classification": "a classification sorts cities into classes without combining weighted components",
}


def not_composite(ctx: AuditContext, what: str) -> Verdict | None:
    """The not-applicable verdict of a composite-only question for a ranking that is not a composite, else None."""
    reason = NOT_COMPOSITE.get(ctx.spec.ranking.kind)
    # the question does not arise because of the kind: a reading of the kind is what the finding rests on
    return None if reason is None else resting_on(not_applicable(f"{reason}, so it has no {what}", ("ranking", "kind")),
                                                  "ranking.kind")


def _for_composites(function: CheckFunction, what: str) -> CheckFunction:
    def check(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
        return not_composite(ctx, what) or function(ctx, options)

    return check


def register_package(name: str, path: Iterable[str]) -> None:
    """Import every module of a dimension package, which registers the rule each one defines."""
    for info in sorted(pkgutil.iter_modules(path), key=lambda m: m.name):
        importlib.import_module(f"{name}.{info.name}")


def registered() -> dict[str, Rule]:
    return _REGISTRY

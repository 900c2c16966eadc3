"""AuditResult: everything a renderer shows, computed once, serialisable as stable JSON.

Renderers read this and nothing else; they never compute. The JSON shape is documented in the
README ("JSON output") and its JSON Schema, generated from these types, is committed under
`schema/`. Fields that would repeat others (`ranking`, `scores`, `units`, `sensitivity`,
`settings`) are computed from the one field that holds the data, so they cannot disagree.

`number` and `rounded` are the one rounding of every number a reader sees: renderers print
`number(x)` and the engine's decisions (the fail-under gate) compare `rounded(x)`, the same value.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, computed_field, model_serializer

from rankaudit.stats.result import Num, StatsResult

Level = Literal["error", "warning", "note", "pass", "not_applicable"]


def number(value: float | None, digits: int = 1) -> str:
    """How every output shows a number: 50.0 -> '50', 62.5 -> '62.5', 16.25 -> '16.2'; None -> 'n/a'.

    Rounding is Python's correctly rounded formatting of the float (ties of exactly representable
    values go to even), the same on every platform.
    """
    if value is None:
        return "n/a"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rounded(value: float | None, digits: int = 1) -> float | None:
    """The value a reader sees (`number(value, digits)` as a float), for decisions about what is shown."""
    return None if value is None else float(number(value, digits))


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Finding(Out):
    code: str
    dimension: str
    title: str
    score: int | None = Field(description="0 = not met or undisclosed, 1 = partly met, 2 = met, null = not applicable")
    core: bool
    undisclosed: bool = Field(description="The score is 0 because the publisher does not disclose the fact.")
    level: Level = Field(
        description="error: core rule not met; warning: other rule not met, or core rule partly met; "
        "note: other rule partly met; pass; not_applicable"
    )
    message: str
    file: str
    line: int | None
    column: int | None
    end_line: int | None = None
    end_column: int | None = None
    path: str = Field(description="Dotted path of the spec node the finding rests on.")
    source: str = Field(description="The published source the rule rests on.")
    source_url: str | None = None
    cost: float = Field(0.0, description="Points of the overall score lost to this finding.")
    evidence: dict[str, Any] = Field(default_factory=dict)
    rationale: str = Field("", description="Why the rule matters (the rule's documentation).")
    scoring: str = Field("", description="How the rule scores, with the option values in effect.")


class DimensionResult(Out):
    dimension: str
    title: str
    score: float | None
    grade: str | None = Field(None, description="The grade the dimension's score would get on its own.")
    weight: float = Field(0.0, description="Weight of the dimension in the overall score.")
    points: float
    max_points: float
    applicable_rules: int
    reason: str | None = None


class GradeBand(Out):
    grade: str
    lower: float = Field(description="Lowest overall score that gets this grade.")


class CitationOut(Out):
    """One cited claim of the spec, for the report's provenance section."""

    path: str
    url: str | None
    title: str | None = None
    section: str | None = None
    page: str | None = None
    second_hand: bool = False
    line: int | None = None


class Organisation(Out):
    name: str
    type: str | None = None
    home_city: str | None = None
    role: str | None = None


class Change(Out):
    edition: str
    description: str


class Element(Out):
    """One node of the index's hierarchy as the spec describes it, for the report's structure table."""

    id: str
    name: str
    depth: int = Field(description="1 = a child of the index, 2 = its child...")
    kind: Literal["group", "indicator"]
    weight: float | str | None = Field(description="As published: a number, 'undisclosed', or null when not stated.")
    # a product of weights (0.1 * 0.2 = 0.020000000000000004): rounded like every statistic
    share: Num = Field(description="Nominal share of the whole index (product of normalised weights).")
    children_listed: bool = Field(True, description="False when the publisher does not list this group's children.")
    source: str | None = None
    source_type: str | None = None
    reference_year: str | None = None


class MethodStep(Out):
    step: str
    value: str | None


class Profile(Out):
    """What the ranking is, who makes it, what it claims: shown at the top of every report."""

    name: str
    short_name: str | None
    edition: str
    published: str | None
    publisher: Organisation
    sponsors: list[Organisation] | None
    conflict_of_interest: str | None
    purpose: str | None
    audience: list[str] | None
    perspective: list[str] | None
    headline_claim: str | None
    geographic_claim: str | None
    methodology_url: str | None
    report_url: str | None
    cities: int | None
    city_definition: str | None
    indicators: int | None
    indicators_listed: int
    groups: int
    methodology_access: str | None
    data_access: str | None
    comparable_with_previous: bool | str | None
    comparability_statement: str | None = None
    undisclosed_means: str = Field(
        "publisher_silent", description="publisher_silent, or not_in_sources_read (spec written from excerpts)"
    )
    changes: list[Change]
    citations: list[CitationOut]
    method: list[MethodStep] = Field(default_factory=list, description="Normalisation, weighting, aggregation...")
    structure: list[Element] = Field(default_factory=list, description="The hierarchy, depth first.")
    structure_complete: bool = True


class Unit(Out):
    id: str
    name: str
    score: float | None
    rank: int | None
    median_rank: float | None = None
    q05_rank: float | None = None
    q95_rank: float | None = None


class Sensitivity(Out):
    assumption: str
    first_order: float | None
    total_effect: float | None
    first_order_ci: list[float | None] | None = None
    total_effect_ci: list[float | None] | None = None


class Diagnostic(Out):
    code: str
    message: str
    severity: str
    line: int | None
    column: int | None


class LocatedError(Out):
    """One reason a spec could not be audited, at the file (the spec or a data file it links) and position."""

    code: str
    message: str
    severity: str
    file: str
    line: int | None
    column: int | None
    end_line: int | None = None
    end_column: int | None = None


class Problem(Out):
    """A spec named on the command line that could not be audited, with its located errors.

    Machine formats list it beside the results, so that no spec vanishes from a CI report.
    """

    file: str
    valid: Literal[False] = False
    errors: list[LocatedError] = Field(description="Why it could not be audited (loader, schema, semantic, data).")


class Gate(Out):
    """The --fail-under decision for one result, made by the engine (`rankaudit.audit.gate`)."""

    file: str
    threshold: float | None
    passed: bool
    message: str | None = Field(description="Why it failed, in the words every output prints; null when it passed.")


# The JSON key order of AuditResult: computed members sit where readers have always found them.
_ORDER = (
    "file",
    "tool",
    "ranking",
    "profile",
    "scores",
    "dimensions",
    "overall",
    "grade",
    "grade_bands",
    "findings",
    "warnings",
    "units",
    "sensitivity",
    "statistics",
    "settings",
)


class AuditResult(Out):
    file: str
    tool: dict[str, str]
    profile: Profile
    dimensions: list[DimensionResult]
    overall: float | None
    grade: str | None
    grade_bands: list[GradeBand] = Field(default_factory=list, description="The grade scale, best grade first.")
    findings: list[Finding]
    warnings: list[Diagnostic] = Field(default_factory=list)
    statistics: StatsResult | None = Field(None, description="The full statistical audit, when data were audited.")

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented idiom; mypy cannot see it
    @property
    def ranking(self) -> dict[str, str]:
        """Name and edition of the ranking (from the profile)."""
        return {"name": self.profile.name, "edition": self.profile.edition}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scores(self) -> dict[str, float | None]:
        """Score of every dimension (from `dimensions`)."""
        return {d.dimension: d.score for d in self.dimensions}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def units(self) -> list[Unit] | None:
        """The ranked cities with their Monte Carlo ranks (from `statistics`)."""
        if self.statistics is None:
            return None
        return [
            Unit(
                id=u.id,
                name=u.name or u.id,
                score=u.score,
                rank=u.rank,
                median_rank=u.median_rank,
                q05_rank=u.q05_rank,
                q95_rank=u.q95_rank,
            )
            for u in self.statistics.units
        ]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sensitivity(self) -> list[Sensitivity] | None:
        """Sensitivity indices of the assumptions (from `statistics`)."""
        if self.statistics is None:
            return None
        return [
            Sensitivity(
                assumption=s.assumption,
                first_order=s.first_order,
                total_effect=s.total_effect,
                first_order_ci=list(s.first_order_ci) if s.first_order_ci else None,
                total_effect_ci=list(s.total_effect_ci) if s.total_effect_ci else None,
            )
            for s in self.statistics.sensitivity
        ]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def settings(self) -> dict[str, Any]:
        """Parameters of the statistical audit (from `statistics`)."""
        if self.statistics is None or self.statistics.parameters is None:
            return {}
        return self.statistics.parameters.model_dump(mode="json")

    # No return annotation on purpose: pydantic then keeps the model's own JSON Schema (an annotated
    # return would replace the schema by the annotation's, a bare object).
    @model_serializer(mode="wrap")
    def _ordered(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data: dict[str, Any] = handler(self)
        ordered = {key: data[key] for key in _ORDER if key in data}
        return ordered | {key: value for key, value in data.items() if key not in ordered}

    def failing(self) -> list[Finding]:
        """Findings that lose points, most costly first."""
        lost = [f for f in self.findings if f.score is not None and f.score < 2]
        return sorted(lost, key=lambda f: (-f.cost, f.code))

    def most_serious(self) -> Finding | None:
        failing = self.failing()
        return failing[0] if failing else None

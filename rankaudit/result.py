"""AuditResult: everything a renderer shows, computed once, serialisable as stable JSON.

Renderers read this and nothing else; they never compute. The JSON shape is documented in the
README ("JSON output") and its JSON Schema is committed under `schema/`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["error", "warning", "note", "pass", "not_applicable"]


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


class DimensionResult(Out):
    dimension: str
    title: str
    score: float | None
    points: float
    max_points: float
    applicable_rules: int
    reason: str | None = None


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
    share: float | None = Field(description="Nominal share of the whole index (product of normalised weights).")
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


class AuditResult(Out):
    file: str
    tool: dict[str, str]
    ranking: dict[str, str]
    profile: Profile
    scores: dict[str, float | None]
    dimensions: list[DimensionResult]
    overall: float | None
    grade: str | None
    findings: list[Finding]
    warnings: list[Diagnostic] = Field(default_factory=list)
    units: list[Unit] | None = None
    sensitivity: list[Sensitivity] | None = None
    statistics: dict[str, Any] | None = Field(None, description="The full statistical audit, when data were audited.")
    settings: dict[str, Any] = Field(default_factory=dict)

    def failing(self) -> list[Finding]:
        """Findings that lose points, most costly first."""
        lost = [f for f in self.findings if f.score is not None and f.score < 2]
        return sorted(lost, key=lambda f: (-f.cost, f.code))

    def most_serious(self) -> Finding | None:
        failing = self.failing()
        return failing[0] if failing else None

"""AuditResult: everything a renderer shows, computed once, serialisable as stable JSON.

Renderers read this and nothing else; they never compute. The JSON shape is documented in the
README ("JSON output") and its JSON Schema, generated from these types, is committed under
`schema/`. Fields that would repeat others (`ranking`, `scores`, `units`, `sensitivity`,
`settings`) are computed from the one field that holds the data, so they cannot disagree.

`number` and `rounded` are the one rounding of every number a reader sees: renderers print
`number(x)` and the engine's decisions (the fail-under gate) compare `rounded(x)`, the same value.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, computed_field, model_serializer

from rankaudit.stats.result import Num, StatsResult

if TYPE_CHECKING:  # pandas only inside the frame methods: results load without it
    import pandas as pd

Level = Literal["error", "warning", "note", "pass", "not_applicable"]
Status = Literal["scored", "not_assessed", "blocked", "not_applicable"]
Absence = Literal["undisclosed", "unknown", "not_stated"]
# rankaudit.scoring.GradeStatus, repeated here: the result types load no engine module
GradeStatus = Literal["graded", "provisional", "withheld", "not_assessable"]


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


def coverage_percent(value: float | None) -> str:
    """How every output shows an evidence coverage (0-1): a whole percentage rounded down (0.4999 -> '49%',
    0.0876 -> '8%'), so that no grade withheld or provisional is ever printed beside the threshold it missed
    ("not graded ... 50%"); '' when there is none (no rule applies)."""
    if value is None:
        return ""
    return f"{math.floor(value * 100 + 1e-9)}%"


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
    undisclosed: bool = Field(
        description="The score is 0 because the fact is absent (undisclosed by the publisher, or not stated in a "
        "spec whose default scores a left-out key as undisclosed); `absence` says which."
    )
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
    status: Status = Field(
        "scored",
        description="scored; not_assessed (its facts are not found in the sources cited: no points either way); "
        "blocked (a root cause another rule scores stops it: see blocked_by); not_applicable",
    )
    absence: Absence | None = Field(
        None,
        description="The state of the absent fact the finding rests on: undisclosed (the publisher's documents "
        "are silent), unknown (not found in the sources cited), not_stated (left out of the spec); null when "
        "the finding is not about an absent fact.",
    )
    absence_text: str | None = Field(
        None, description="The absence in the words every output prints (decided by the engine, once)."
    )
    blocked_by: str | None = Field(None, description="The rule holding the root cause that blocks this one.")
    blocks: list[str] = Field(default_factory=list, description="The rules this root cause blocks.")
    status_text: str = Field("", description="The finding's state in words: 'met', 'not met', 'not assessed: ...'.")
    readings: list[str] = Field(
        default_factory=list,
        description="Spec fields the finding rests on that the spec's author marks as a reading of a source "
        "(`reading: true` on the citation), not the source's own words; the message says so.",
    )
    second_hand: list[str] = Field(
        default_factory=list,
        description="Spec fields the finding rests on that the spec cites only from secondary sources (press, "
        "blogs), not from the publisher's own documents; the message says so.",
    )


class DimensionResult(Out):
    dimension: str
    title: str
    score: float | None
    grade: str | None = Field(
        None,
        description="The grade the dimension's score would get on its own; null when the dimension is not "
        "assessable or its grade is withheld (see grade_status).",
    )
    grade_status: GradeStatus = Field(
        "not_assessable",
        description="graded; provisional (coverage below the provisional threshold); withheld (coverage below "
        "the grading floor: no letter, the score stands); not_assessable (no score).",
    )
    weight: float = Field(0.0, description="Weight of the dimension in the overall score.")
    points: float
    max_points: float
    applicable_rules: int
    reason: str | None = None
    coverage: float | None = Field(
        None,
        description="Evidence coverage: the share of the applicable rule points resting on established facts "
        "(null when no rule applies).",
    )
    provisional: bool = Field(False, description="The coverage is below the provisional threshold.")


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


class PublisherChange(Out):
    """The spec's statement that its series changed publisher (or the publisher its name), issue 12."""

    previous_publisher: str
    edition: str | None = Field(None, description="The first edition under the new publisher or name, if stated.")
    kind: str = Field(description="new_publisher or renamed.")


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
    published_as: str | None = Field(None, description="The publisher's own title of the edition, when it differs.")
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
    series: str | None = Field(
        None, description="The series id ('publisher/ranking'): `ranking.series` or its default (issue 12)."
    )
    series_publisher_change: PublisherChange | None = None
    kind: str = Field(
        "composite",
        description="How cities are ranked (`ranking.kind`): composite, single_measure, separate_rankings, "
        "classification or continuous.",
    )
    cities_text: str | None = Field(
        None, description="The number of cities as the publisher gives it ('46', 'about 2500'): `cities` in words."
    )
    cities_by_measure: list[str] = Field(
        default_factory=list,
        description="For measures ranked separately, each measure's list size where the spec gives it "
        "('Ozone: 228'), in the order of the measures.",
    )
    cities_label: str = Field(
        "Cities ranked", description="What the profile calls the cities: 'Cities classified' for a classification."
    )
    indicators_text: str | None = Field(
        None,
        description="The number of indicators as the publisher gives it ('33', 'about 200'): `indicators` in words.",
    )
    readings: list[str] = Field(
        default_factory=list,
        description="The profile fields ('perspective', 'data_access', ...) whose value is the spec author's "
        "reading of its sources, which the publisher does not state as such: renderers mark these, as findings "
        "resting on them say so.",
    )
    second_hand: list[str] = Field(
        default_factory=list,
        description="The profile fields whose value the spec cites only from secondary sources (press, blogs), "
        "not from the publisher's own documents: renderers mark these, as findings resting on them say so.",
    )
    absent: dict[str, str] = Field(
        default_factory=dict,
        description="For each profile field left empty because the fact is absent, the engine's words for that "
        "absence ('not found in the sources cited', 'undisclosed', 'not stated'): renderers print these, never "
        "their own.",
    )


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
    "grade_status",
    "coverage",
    "provisional",
    "grade_text",
    "grade_label",
    "overall_range",
    "grade_range",
    "root_causes",
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
    overall: float | None = Field(description="The overall score, 0-100 (kept when the grade is withheld).")
    grade: str | None = Field(
        description="The letter of the overall score; null when the audit is not assessable or the grade is "
        "withheld (grade_status says which)."
    )
    grade_status: GradeStatus = Field(
        "not_assessable",
        description="graded (coverage at least the provisional threshold, PROVISIONAL_BELOW); provisional "
        "(coverage below it); withheld (coverage below the grading floor, GRADE_WITHHELD_BELOW: no letter is "
        "given, the score and its range stand); not_assessable (no score).",
    )
    coverage: float | None = Field(
        None, description="Evidence coverage of the whole audit, dimensions weighted as in the overall score."
    )
    provisional: bool = Field(
        False,
        description="The coverage is below the provisional threshold (PROVISIONAL_BELOW): true for a provisional "
        "grade and for a withheld one.",
    )
    grade_text: str = Field(
        "", description="The grade in the words every output prints, e.g. 'E, provisional: 58% of the questions "
        "answered from the sources cited; E to B as the others are answered', or 'not graded: 13% of the "
        "questions answered from the sources cited (a letter needs 50%); E to A as the others are answered'."
    )
    grade_label: str = Field(
        "", description="The grade as a table cell prints it: the letter, 'not graded (E-A)' when withheld, "
        "'not assessable'."
    )
    overall_range: list[float] | None = Field(
        None,
        description="For a provisional or withheld grade: the overall score if every unknown fact failed its "
        "rules, and if every one passed (how far the unanswered questions could move it); null otherwise.",
    )
    grade_range: list[str] | None = Field(
        None,
        description="The grades of `overall_range` (e.g. ['E', 'B']); null when the grade is neither provisional "
        "nor withheld.",
    )
    root_causes: list[str] = Field(
        default_factory=list, description="The most costly root causes of the grade, in plain words, worst first."
    )
    grade_bands: list[GradeBand] = Field(default_factory=list, description="The grade scale, best grade first.")
    findings: list[Finding]
    warnings: list[Diagnostic] = Field(default_factory=list)
    statistics: StatsResult | None = Field(None, description="The full statistical audit, when data were audited.")

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented idiom; mypy rejects decorators over @property
    @property
    def ranking(self) -> dict[str, str]:
        """Name and edition of the ranking (from the profile)."""
        return {"name": self.profile.name, "edition": self.profile.edition}

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented idiom; mypy rejects decorators over @property
    @property
    def scores(self) -> dict[str, float | None]:
        """Score of every dimension (from `dimensions`)."""
        return {d.dimension: d.score for d in self.dimensions}

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented idiom; mypy rejects decorators over @property
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

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented idiom; mypy rejects decorators over @property
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

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented idiom; mypy rejects decorators over @property
    @property
    def settings(self) -> dict[str, Any]:
        """Parameters of the statistical audit (from `statistics`)."""
        if self.statistics is None or self.statistics.parameters is None:
            return {}
        return self.statistics.parameters.model_dump(mode="json")

    # No return annotation on purpose: pydantic then keeps the model's own JSON Schema (an annotated
    # return would replace the schema by the annotation's, a bare object).
    @model_serializer(mode="wrap")
    def _ordered(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]  # unannotated on purpose: see above
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

    # -- the Python API's tables (pandas is imported here, on first use: `import rankaudit` stays light)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON values, in the shape of `--format json` (the committed schema)."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data

    def findings_frame(self) -> pd.DataFrame:
        """One row per rule, in the catalogue's order: its code, dimension, level, score, the points
        it costs and where in the spec it rests (file, line, column, dotted path)."""
        import pandas as pd

        columns = [
            "code", "dimension", "title", "level", "score", "core", "undisclosed", "cost",
            "message", "file", "line", "column", "path", "source",
        ]  # fmt: skip
        rows = [{c: getattr(f, c) for c in columns} for f in self.findings]
        frame = pd.DataFrame(rows, columns=columns)
        # whole numbers that may be missing stay whole numbers (pandas would make them floats)
        return frame.astype({"score": "Int64", "line": "Int64", "column": "Int64"})

    def scores_frame(self) -> pd.DataFrame:
        """The methodology's scores: one row per dimension, then the overall score ("overall"), indexed
        by dimension, with its grade, weight in the overall score, points and applicable rules."""
        import pandas as pd

        rows = [
            {
                "dimension": d.dimension, "title": d.title, "score": d.score, "grade": d.grade,
                "grade_status": d.grade_status, "weight": d.weight, "points": d.points, "max_points": d.max_points,
                "applicable_rules": d.applicable_rules,
            }
            for d in self.dimensions
        ]  # fmt: skip
        rows.append(
            {
                "dimension": "overall", "title": "Overall", "score": self.overall, "grade": self.grade,
                "grade_status": self.grade_status, "weight": float(sum(d.weight for d in self.dimensions)),
                "points": None, "max_points": None,
                "applicable_rules": sum(d.applicable_rules for d in self.dimensions),
            }
        )  # fmt: skip
        return pd.DataFrame(rows).set_index("dimension").astype({"applicable_rules": "Int64"})

    def ranks_frame(self) -> pd.DataFrame:
        """The audited cities (from the statistical audit): one row per city, indexed by id, with its
        rebuilt score and rank and the Monte Carlo's median and 5-95 % ranks; empty (same columns)
        when the spec links no data."""
        import pandas as pd

        columns = ["id", "name", "score", "rank", "median_rank", "q05_rank", "q95_rank"]
        rows = [u.model_dump() for u in self.units or []]
        frame = pd.DataFrame(rows, columns=columns).set_index("id")
        return frame.astype({"rank": "Int64"})

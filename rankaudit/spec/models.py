"""The ranking spec format, `spec_version: 1`, as pydantic models.

One spec describes one edition of one ranking. Three states are kept apart everywhere a fact may
be missing, because the audit scores them differently:

- a value: the publisher discloses it;
- `undisclosed`: the spec's author looked and the publisher does not say (costs points);
- `unknown`: the sources read do not say, and they are not the publisher's full documents (not assessed);
- `not_applicable`: the question does not arise for this ranking (no points either way);
- the key left out: nobody has described it yet (scored like undisclosed, reported as "not stated").

Short forms keep hand-written specs small: a citation may be a bare URL or a source id, a
normalisation a bare method name, a direction `higher`/`lower`, a reference year a number or a
`[first, last]` range, an indicator source a bare name.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    create_model,
    field_validator,
    model_validator,
)

from rankaudit.series import SERIES_PATTERN, default_series
from rankaudit.stats import methods as _methods

UNDISCLOSED = "undisclosed"
NOT_APPLICABLE = "not_applicable"
# `unknown`: the sources the spec's author read do not state the fact, and they are not the publisher's full
# documents (issue 10). Accepted wherever `undisclosed` is; scored "not assessed" instead of 0.
UNKNOWN = "unknown"
ABSENT = frozenset({UNDISCLOSED, UNKNOWN})

# every field that accepts `undisclosed` accepts `unknown` too: one alias, so field declarations stay as they are
Undisclosed = Literal["undisclosed", "unknown"]
NotApplicable = Literal["not_applicable"]
PublisherDocument = Literal["methodology", "report", "release", "page"]


class Strict(BaseModel):
    """Base of every spec object: unknown keys are errors, values are never silently coerced."""

    # defer_build: a model builds its validator on first use, not at import. `validate` then builds one,
    # Spec's (which takes in every nested model's schema), instead of one per model at import and the
    # chain again through model_rebuild (issue 16: start-up within 2x a bare import of pydantic). So no
    # model_rebuild() here: the forward references (Node) resolve at that first use.
    # tests/test_imports.py keeps it so.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------------------------------
# Scalars with short forms


def _edition(value: Any) -> Any:
    # `edition: 2024` is the natural thing to write; an edition is a label, so keep it a string
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Label = Annotated[str, BeforeValidator(_edition, json_schema_input_type=str | int)]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _partial_date(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value not in ABSENT:
        if not _PARTIAL_DATE.match(value):
            raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in value.split("-")]
        try:
            _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date") from None
    return value


PartialDate = Annotated[
    str, BeforeValidator(_partial_date, json_schema_input_type=str | int), Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
]
Year = Annotated[int, Field(ge=1800, le=2200)]
Fraction = Annotated[float, Field(ge=0, le=1)]
# constraints sit inside the number type, so that a union with `undisclosed` never compares a string with 0
Count = Annotated[int, Field(ge=0)]


class About(Strict):
    """An approximate count, as the publisher gives it: `count: {about: 160}`."""

    about: Count


class LowerBound(Strict):
    """A count the publisher gives only as a lower bound: `{over: 15000}` ("over 15,000 respondents") or
    `{at_least: 15000}`. It discloses the count's order of magnitude, which is what a reader needs to judge a
    survey's size, without inventing the exact number."""

    over: Annotated[int, Field(gt=0, strict=True)] | None = Field(None, description="'over N', 'more than N'.")
    at_least: Annotated[int, Field(gt=0, strict=True)] | None = Field(None, description="'at least N', 'N or more'.")

    @model_validator(mode="after")
    def _one_bound(self) -> LowerBound:
        if (self.over is None) == (self.at_least is None):
            raise ValueError("a lower bound is `{over: N}` or `{at_least: N}`, exactly one of them")
        return self

    @property
    def minimum(self) -> int:
        """The smallest count the bound allows."""
        return self.over + 1 if self.over is not None else int(self.at_least or 0)

    def text(self) -> str:
        """'over 15,000' or 'at least 15,000', in the publisher's kind of words."""
        return f"over {self.over:,}" if self.over is not None else f"at least {self.at_least:,}"


def count_text(value: object) -> str:
    """A disclosed count in words: '2,000', 'over 15,000' (a `LowerBound`); str() of anything else."""
    if isinstance(value, LowerBound):
        return value.text()
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _about_short_form(value: Any) -> Any:
    # `{about: N}` is lifted by the owning model into the number and its `*_approximate` flag; the schema shows both
    return value


ApproxCount = Annotated[
    Count | Undisclosed,
    BeforeValidator(_about_short_form, json_schema_input_type=Count | About | Undisclosed),
]


def _lift_about(data: Any, *names: str) -> Any:
    """`name: {about: N}` -> `name: N` and `name_approximate: true` (a model-level before-validator)."""
    if not isinstance(data, dict):
        return data
    for name in names:
        value = data.get(name)
        if isinstance(value, dict) and set(value) == {"about"}:
            data = {**data, name: value["about"], f"{name}_approximate": True}
    return data


def year_of(date: str | None) -> int | None:
    """The year of a partial date, or None when unknown."""
    if date is None or not date[:4].isdigit():
        return None
    return int(date[:4])


# --------------------------------------------------------------------------------------------
# Provenance


class Citation(Strict):
    """Where a fact comes from, precise enough for a reader to check it."""

    url: str | None = Field(None, description="Address of the document (http or https).")
    source: str | None = Field(None, description="Id of an entry in the top-level `sources`.")
    section: str | None = Field(None, description="Section, table or heading within the document.")
    page: str | int | None = Field(None, description="Page number or range.")
    quote: str | None = Field(None, description="A short quotation supporting the fact.")
    second_hand: bool = Field(
        False, description="True when the fact was read in a secondary source, not the publisher's own."
    )
    fields: list[str] | None = Field(None, description="Which fields of the object this citation backs.")
    reading: bool = Field(
        False,
        description="True when the fields this citation backs are the spec author's reading of the source (an "
        "inference from what it says, e.g. a weighted sum read from weights given as shares of the total), not "
        "the source's own words. Every finding that rests on such a field says so.",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _points_somewhere(self) -> Citation:
        if not self.url and not self.source:
            raise ValueError("a citation needs a `url` or a `source` id")
        return self


def _citation_short_form(value: Any) -> Any:
    def one(item: Any) -> Any:
        if isinstance(item, str):
            return {"url": item} if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", item) else {"source": item}
        return item

    if value is None:
        return None
    if isinstance(value, list):
        return [one(v) for v in value]
    return [one(value)]


Cite = Annotated[
    list[Citation] | None,
    BeforeValidator(_citation_short_form, json_schema_input_type=str | Citation | list[str | Citation] | None),
    Field(description="Citation(s): a URL, a source id, a mapping, or a list of these."),
]


class Source(Strict):
    """An entry of the top-level source registry, referred to by id from `cite`."""

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    date: PartialDate | None = None
    accessed: PartialDate | None = None
    second_hand: bool = Field(False, description="True when this is a secondary source (press, blog, summary).")
    publisher_document: PublisherDocument | None = Field(
        None,
        description="The publisher's own document this source is (methodology, report, release, page): an "
        "`undisclosed` fact means such a document was read and is silent on it.",
    )
    note: str | None = None


class Cited(Strict):
    cite: Cite = None


# --------------------------------------------------------------------------------------------
# Who publishes it and why

OrgType = Literal["commercial", "academic", "ngo", "government", "media"]
# shareholder: owns part of the publisher (a tie OP05 and OP06 weigh like a commissioner's)
SponsorRole = Literal[
    "commissioner", "sponsor", "partner", "co_publisher", "data_partner", "founding_parent", "shareholder"
]
Perspective = Literal["resident", "expatriate", "investor", "firm", "visitor", "talent", "general"]
GeographicClaim = Literal["global", "regional", "national"]
RankingKind = Literal["composite", "single_measure", "separate_rankings", "classification", "continuous"]
NON_COMPOSITE_KINDS = frozenset({"single_measure", "separate_rankings", "classification"})
Frequency = Literal["quarterly", "semiannual", "annual", "biennial", "triennial", "irregular", "one_off"]


class Organisation(Cited):
    name: str
    type: OrgType | Undisclosed | None = Field(
        None, description="commercial, academic, ngo (NGO or foundation), government (incl. intergovernmental), media"
    )
    home_city: str | Undisclosed | None = Field(None, description="City of the organisation's head office.")
    country: str | None = None
    business: str | None = Field(None, description="What the organisation does, e.g. 'retail and investment bank'.")
    interest: str | None = Field(
        None,
        description="The stake it has in the ranking's verdicts, in the spec author's words (cite it), e.g. "
        "'lends to firms in the cities it ranks'. A stated interest makes it a conflict of interest (OP05).",
    )
    founded: Year | None = Field(None, description="Year the organisation was founded.")
    authors: Annotated[list[str], Field(min_length=1)] | None = Field(
        None, description="Named authors of the ranking or its methodology."
    )


class Sponsor(Organisation):
    role: SponsorRole = Field(
        "sponsor",
        description="commissioner, sponsor, partner, co_publisher, data_partner, founding_parent, or shareholder "
        "(owns part of the publisher).",
    )
    since: PartialDate | None = Field(
        None, description="When the tie began, as a cited source dates it (e.g. a stake bought in 2014)."
    )
    until: PartialDate | None = Field(None, description="When the tie ended, as a cited source dates it.")


# --------------------------------------------------------------------------------------------
# Series identity (issue 12): the editions of one ranking by one publisher


class PublisherChange(Cited):
    """A series that passed from one publisher to another (or whose publisher took a new name)."""

    previous_publisher: str = Field(description="The publisher of the earlier editions, as their specs name it.")
    edition: Label | None = Field(
        None, description="The first edition of the series under the new publisher or name, when a source says."
    )
    kind: Literal["new_publisher", "renamed"] = Field(
        "new_publisher", description="new_publisher: another organisation took the series over; renamed: the "
        "same organisation under a new name."
    )


class Ranking(Cited):
    name: str
    kind: RankingKind = Field(
        "composite",
        description="composite: one index combining weighted components (default); single_measure: cities ranked on "
        "one measure; separate_rankings: several rankings published side by side, nothing combined (each is a "
        "child of `structure`); classification: cities sorted into classes or bands (`cities.classes`); "
        "continuous: a continuously updated site, an edition identified by `snapshot`.",
    )
    order: Literal["best_first", "worst_first"] | None = Field(
        None,
        description="best_first: rank 1 is the city the ranking favours (the most liveable); worst_first: rank 1 is "
        "the city it disfavours (the most congested, the most polluted, the most at risk), so a home city gains "
        "at the other end of the list. Unset, rank 1 is taken to be the favoured end.",
    )
    snapshot: PartialDate | None = Field(
        None, description="Date the figures were retrieved, for a continuously updated site (kind: continuous)."
    )
    forecast: bool | None = Field(
        None, description="True when the edition ranks forecast values (e.g. for its own publication year)."
    )
    short_name: str | None = None
    edition: Label = Field(description="Edition label, usually the year in the title.")
    published_as: str | None = Field(
        None,
        description="The publisher's own title of this edition, when the ranking's name and edition label differ from "
        "it (an edition labelled by its data year, '2016', that the publisher released as 'TomTom Traffic Index "
        "2017'): every report's heading names both, so that nobody quotes it under the wrong title.",
    )
    published: PartialDate | Undisclosed | None = Field(None, description="Publication date.")
    methodology_url: str | Undisclosed | None = None
    report_url: str | None = None
    purpose: str | Undisclosed | None = None
    audience: Annotated[list[str], Field(min_length=1)] | Undisclosed | None = None
    perspective: Perspective | Annotated[list[Perspective], Field(min_length=1)] | Undisclosed | None = None
    headline_claim: str | None = Field(None, description="How the publisher presents the result, quoted.")
    geographic_claim: GeographicClaim | None = None
    frequency: Frequency | Undisclosed | None = None
    previous_edition: Label | None = None
    previous_published: PartialDate | Undisclosed | None = Field(
        None, description="Publication date of the previous edition; `unknown` when it was looked for and not found."
    )
    qualitative_component: bool | Undisclosed | None = Field(
        None, description="City profiles, narratives or other qualitative context published alongside ranks."
    )
    uncertainty_published: bool | Undisclosed | None = Field(
        None, description="Whether the publisher reports rank intervals or a sensitivity analysis."
    )
    series: Annotated[str, Field(pattern=SERIES_PATTERN)] | None = Field(
        None,
        description="The series this edition belongs to, 'publisher/ranking' in lower-case words joined by '-'. "
        "Default: the publisher's name and the ranking's name, each with accents dropped, case folded and every "
        "run of other characters made one '-' (e.g. 'oxford-economics/global-cities-index'). Set it when the "
        "default would split one series (the publisher or the ranking renamed) or join two.",
    )
    series_publisher_change: PublisherChange | None = Field(
        None, description="The series changed publisher (or the publisher its name) at or before this edition."
    )

    @property
    def publication_year(self) -> int | None:
        """The year of publication, None when undisclosed or not stated (a continuously updated site's snapshot
        date stands in for it)."""
        if self.published is not None and self.published not in ABSENT:
            return year_of(self.published)
        return year_of(self.snapshot) if self.kind == "continuous" else None


class Access(Cited):
    methodology: Literal["public", "summary", "none"] | Undisclosed | None = Field(
        None, description="public: full method document; summary: outline only; none: nothing."
    )
    data: Literal["open", "paid", "scores", "scores_at_least", "ranks_only"] | Undisclosed | None = Field(
        None,
        description="open: indicator values free; paid: indicator values for a fee; scores: pillar scores only; "
        "scores_at_least: scores are published, and whether indicator values are was not found in the sources "
        "cited; ranks_only: nothing beyond ranks.",
    )
    price: str | Undisclosed | NotApplicable | None = Field(None, description="Price of the report, e.g. 'free'.")


# --------------------------------------------------------------------------------------------
# Which cities

CityDefinitionType = Literal[
    "administrative",
    "urban_centre",
    "functional_urban_area",
    "metropolitan_area",
    "agglomeration",
    "mixed",
    "unspecified",
    "fixed_radius",
]
Region = Literal["africa", "asia", "europe", "latin_america", "middle_east", "north_america", "oceania"]


class CityDefinition(Cited):
    type: CityDefinitionType | Undisclosed = Field(
        description="urban_centre = Degree of Urbanisation city; functional_urban_area = EU-OECD FUA; "
        "metropolitan_area = metro area by national definition; fixed_radius = a circle of one stated radius "
        "around each city's centre (e.g. a traffic index's city centre)."
    )
    consistent: bool | Undisclosed | None = Field(None, description="Same definition applied to every city.")
    note: str | None = None


class City(Strict):
    name: str
    id: str | None = Field(None, description="Unit id in the data file, when it differs from the name.")
    country: str | None = None
    region: Region | None = None
    rank: int | None = Field(None, ge=1)
    score: float | None = Field(None, allow_inf_nan=False)
    class_: str | None = Field(None, alias="class", description="The city's class or band (one of `cities.classes`).")


class Cities(Cited):
    count: ApproxCount = Field(description="Number of cities ranked; `{about: 160}` when the publisher rounds it.")
    count_approximate: bool = Field(False, description="True when `count` is approximate ('about 160').")
    classes: Annotated[list[str], Field(min_length=1)] | None = Field(
        None, description="A classification's classes or bands, best first (e.g. [alpha++, alpha+, alpha])."
    )
    definition: CityDefinition | Undisclosed | None = None
    selection_rule: str | Undisclosed | None = None
    members: list[City] | None = Field(None, alias="list", description="The ranked cities.")

    @model_validator(mode="before")
    @classmethod
    def _approximate(cls, data: Any) -> Any:
        return _lift_about(data, "count")


# --------------------------------------------------------------------------------------------
# How the index is computed

# The method vocabulary (names, parameters, their checks) lives in rankaudit.stats.methods, shared with
# the engine: the spec's names and parameter fields below are generated from it.
# The names are known only once the registry is imported, so to a static checker they are plain strings;
# pydantic sees the Literal of the registered names (validation and the JSON Schema's enum).
if TYPE_CHECKING:
    NormalisationMethod = str
    AggregationMethod = str
    Imputation = str
    OutlierTreatment = str
else:
    NormalisationMethod = Literal[(*_methods.names("normalisation"), "other")]
    AggregationMethod = Literal[(*_methods.names("aggregation"), "other")]
    Imputation = Literal[(*_methods.names("imputation"), "other")]
    OutlierTreatment = Literal[(*_methods.names("outliers"), "other")]
Weighting = Literal["explicit", "relative", "equal", "implicit", "undisclosed", "unknown"]


class NormalisationBase(Strict):
    # no docstring: the generated class is what users see in the JSON Schema
    method: NormalisationMethod

    @model_validator(mode="after")
    def _across_parameters(self) -> NormalisationBase:
        if self.method != "other":
            for problem in _methods.normalisation(self.method).problems(self.values()):
                # a missing required parameter is reported by the semantic checks (RA115), located there
                if not problem.missing:
                    raise ValueError(problem.message)
        return self

    def values(self) -> dict[str, Any]:
        """The method's parameters in force: the spec's values, else the method's defaults."""
        kind = _methods.normalisation(self.method)
        given = {p.name: getattr(self, p.name, None) for p in kind.params if p.in_spec}
        return {p.name: given[p.name] if given.get(p.name) is not None else p.default for p in kind.params}

    def can_yield_zero_or_negative(self) -> bool:
        """Whether normalised values may be <= 0, which breaks geometric and harmonic means."""
        if self.method == "other":
            return True
        return _methods.normalisation(self.method).can_yield_nonpositive(self.values())


def _param_field(param: _methods.Param) -> tuple[Any, Any]:
    kinds: dict[type, Any] = {float: float | None, int: int | None, str: str | None, bool: bool | None}
    return kinds[param.kind], Field(None, description=param.doc)


def _param_check(param: _methods.Param) -> Any:
    def check(cls: type, value: Any) -> Any:
        # every number finite, every bound respected: located at the parameter itself (issue 15: `upper: .inf`)
        message = param.problem(value)
        if message:
            raise ValueError(message)
        return value

    return field_validator(param.name)(check)


if not TYPE_CHECKING:  # used only where the static checker is given the models' fixed fields instead

    def _method_model(name: str, base: type[Strict], params: Any) -> Any:
        """A spec model with one field (and one finiteness/range check) per parameter of a method object,
        plus `note`: the method's parameters are declared once, in its object (rankaudit/stats/methods)."""
        return create_model(
            name,
            __base__=base,
            __module__=__name__,
            __validators__={f"_check_{p.name}": _param_check(p) for p in params},
            **{p.name: _param_field(p) for p in params},
            note=(str | None, None),
        )


_NORM_PARAMS = _methods.spec_params("normalisation")
if TYPE_CHECKING:
    # the parameter fields are generated from the registry, so a static checker knows only the base's fields
    # (code reads the parameters through `values()`); `note` is the one fixed field
    class Normalisation(NormalisationBase):
        note: str | None = None
else:
    Normalisation = _method_model("Normalisation", NormalisationBase, _NORM_PARAMS)


def _normalisation_short_form(value: Any) -> Any:
    return {"method": value} if isinstance(value, str) and value not in ABSENT else value


NormalisationSpec = Annotated[
    Normalisation | Undisclosed,
    BeforeValidator(
        _normalisation_short_form, json_schema_input_type=NormalisationMethod | Normalisation | Undisclosed
    ),
]


class DenominatorBase(Strict):
    # no docstring: the generated class is what users see in the JSON Schema
    column: str = Field(description="Data column the indicator is divided by; one of `data.denominators`.")

    def values(self) -> dict[str, Any]:
        """The denomination's parameters in force: the spec's values, else the method's defaults."""
        kind = _methods.denomination_method()
        return {p.name: getattr(self, p.name, None) if getattr(self, p.name, None) is not None else p.default
                for p in kind.params}


# the parameter fields (COINr's ScaleFactor) come from the method object, as the normalisations' do
_DENOM_PARAMS = _methods.denomination_method().params
if TYPE_CHECKING:
    class Denominator(DenominatorBase):
        note: str | None = None
else:
    Denominator = _method_model("Denominator", DenominatorBase, _DENOM_PARAMS)


def _denominator_short_form(value: Any) -> Any:
    return {"column": value} if isinstance(value, str) else value


DenominatorSpec = Annotated[
    Denominator, BeforeValidator(_denominator_short_form, json_schema_input_type=str | Denominator)
]


class MissingData(Cited):
    rule: str | Undisclosed | None = Field(None, description="How missing values are handled, in words.")
    imputation: Imputation | Undisclosed | None = None
    group_by: str | None = Field(None, description="Data column that defines groups for group imputation.")
    min_coverage: Fraction | None = Field(
        None, description="Share of indicators a city needs to be scored (availability threshold)."
    )


class Outliers(Cited):
    treatment: OutlierTreatment | Undisclosed
    max_points: int | None = Field(None, ge=1, description="winsorise: most points winsorised per indicator.")


class FormulaTerm(Strict):
    indicator: str = Field(description="Id of the indicator this term multiplies (its raw value).")
    coefficient: float = Field(allow_inf_nan=False, description="The signed coefficient, e.g. -1 or 0.4 (= 1/2.5).")


class Formula(Cited):
    """A published linear formula on raw components: clip(intercept + sum coefficient x value, floor, ceiling)."""

    intercept: float = Field(0.0, allow_inf_nan=False, description="The constant term.")
    floor: float | None = Field(None, allow_inf_nan=False, description="Lowest score, e.g. 0 for max(0, ...).")
    ceiling: float | None = Field(None, allow_inf_nan=False, description="Highest score, e.g. 100 for min(100, ...).")
    terms: Annotated[list[FormulaTerm], Field(min_length=1)]

    @model_validator(mode="after")
    def _bounds(self) -> Formula:
        if self.floor is not None and self.ceiling is not None and self.floor > self.ceiling:
            raise ValueError(f"the formula's floor ({self.floor:g}) is above its ceiling ({self.ceiling:g})")
        return self


class Method(Cited):
    normalisation: NormalisationSpec | None = None
    aggregation: AggregationMethod | Undisclosed | None = Field(
        None, description="Default aggregation at every level; a group may override it."
    )
    weighting: Weighting | None = Field(None, description="Default weighting of every group's children.")
    missing_data: MissingData | Undisclosed | None = None
    outliers: Outliers | Undisclosed | None = None
    compensability: str | None = Field(
        None, description="The publisher's own statement on why its aggregation may compensate (or not)."
    )
    formula: Formula | None = Field(
        None,
        description="A published linear formula on raw components (no normalisation), rebuilt exactly by the "
        "statistical audit; replaces normalisation and aggregation.",
    )


# --------------------------------------------------------------------------------------------
# The hierarchy: groups (sub-indices, pillars) and indicators

SourceType = Literal[
    "official_statistics",
    "international_organisation",
    "commercial_data",
    "resident_survey",
    # a survey whose respondents are not the rated city's residents: visitors, a publication's readers, an
    # international panel rating cities it need not live in (who exactly: `survey.respondents`)
    "public_survey",
    "expert_survey",
    "analyst_rating",
    "crowdsourced",
    "web_scraped",
    "composite_index",
    "other",
]
SURVEY_TYPES = frozenset({"resident_survey", "public_survey", "expert_survey"})
OPINION_TYPES = frozenset({"resident_survey", "public_survey", "expert_survey", "analyst_rating"})
SCRAPED_TYPES = frozenset({"crowdsourced", "web_scraped"})
# `sub_city`: measured in a part of the city that stands for it (a district, the most polluted county of a
# metropolitan area, one monitor): the city's own data, not a coarser proxy
GeoLevel = Literal["city", "metro", "sub_city", "region", "country", "mixed"]
Scaling = Literal["absolute", "per_capita", "per_gdp", "per_area", "share", "score", "rate", "other"]
Kind = Literal["input", "process", "output", "outcome"]


def _direction_short_form(value: Any) -> Any:
    aliases = {
        "higher": "higher_is_better",
        "+": "higher_is_better",
        "lower": "lower_is_better",
        "-": "lower_is_better",
    }
    if isinstance(value, int) and not isinstance(value, bool) and value in (1, -1):
        return "higher_is_better" if value == 1 else "lower_is_better"
    return aliases.get(value, value) if isinstance(value, str) else value


Direction = Annotated[
    Literal["higher_is_better", "lower_is_better"] | Undisclosed,
    BeforeValidator(
        _direction_short_form,
        json_schema_input_type=Literal["higher_is_better", "lower_is_better", "higher", "lower", "+", "-", 1, -1]
        | Undisclosed,
    ),
]


class IndicatorSource(Cited):
    name: str | Undisclosed
    type: SourceType | Annotated[list[SourceType], Field(min_length=1)] | Undisclosed | None = Field(
        None,
        description="The kind of source; a list when it is of several kinds (e.g. [crowdsourced, resident_survey]).",
    )
    url: str | None = None
    edition: Label | None = Field(None, description="Edition of a composite index used as input.")
    harmonised: Literal["single", "mixed_documented", "mixed_undocumented"] | Undisclosed | None = Field(
        None, description="single: one harmonised source for all cities; mixed: different sources per city."
    )


def _source_short_form(value: Any) -> Any:
    if isinstance(value, list):
        return [_source_short_form(v) for v in value]
    return {"name": value} if isinstance(value, str) and value not in ABSENT else value


SourceList = Annotated[list[IndicatorSource], Field(min_length=1)]


def _reference_year_short_form(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 2:
        return {"first": value[0], "last": value[1]}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"first": value, "last": value}
    return value


class YearRange(Strict):
    first: Year
    last: Year

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    @model_validator(mode="after")
    def _ordered(self) -> YearRange:
        if self.first > self.last:
            raise ValueError("the first reference year comes after the last")
        return self


ReferenceYear = Annotated[
    YearRange | Undisclosed,
    BeforeValidator(
        _reference_year_short_form,
        json_schema_input_type=Year
        | Annotated[list[Year], Field(min_length=2, max_length=2)]
        | YearRange
        | Undisclosed,
    ),
]


class Survey(Cited):
    fieldwork: str | Undisclosed | None = Field(None, description="Fieldwork dates, e.g. '2024-03 to 2024-05'.")
    sample_size: Count | LowerBound | Undisclosed | None = Field(
        None, description="Respondents in total; `{over: 15000}` when the publisher gives only a lower bound."
    )
    sample_per_city: Count | LowerBound | Undisclosed | None = Field(
        None, description="Respondents per city; `{at_least: 300}` when the publisher gives only a lower bound."
    )
    respondents: str | None = Field(None, description="Who was asked, e.g. 'executives', 'residents'.")


class Monetary(Cited):
    currency: str | Undisclosed | None = None
    basis: Literal["ppp", "market_exchange_rate", "constant_prices", "nominal"] | Undisclosed | None = None
    price_year: Year | None = None
    price_level: bool | None = Field(
        None,
        description="The indicator is a price (what an item or basket costs), compared across cities in one currency: "
        "converting at market exchange rates is then the measure itself, since purchasing power parities would remove "
        "the price differences it ranks (cost-of-living indices).",
    )


# weights may be points (GPCI's 2,600) but not astronomically large: sums must not overflow
WeightValue = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)] | Undisclosed | NotApplicable


class WeightsSetBy(Cited):
    """Who set the weights of a group's (or the index's) children."""

    method: Literal[
        "analysts", "expert_panel", "public_survey", "resident_survey", "statistical", "equal_default", "other"
    ] = Field(
        description="analysts: the publisher's own; expert_panel; public_survey / resident_survey: a survey of the "
        "public or of residents; statistical: e.g. PCA or regression; equal_default: equal by default."
    )
    size: Count | LowerBound | None = Field(
        None, description="Panel members or survey respondents, e.g. 2000, or `{over: 2000}`."
    )
    respondents: str | None = Field(None, description="Who was asked, e.g. 'residents of the 30 cities'.")
    fieldwork: str | None = Field(None, description="When a weighting survey was carried out, e.g. '2024-03'.")
    note: str | None = None


class JointWeight(Cited):
    """One weight for a set of siblings together ('these two together: 25%')."""

    members: Annotated[list[str], Field(min_length=2)] = Field(description="Ids of sibling children.")
    weight: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]


class Indicator(Cited):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str
    definition: str | Undisclosed | None = None
    unit: str | Undisclosed | NotApplicable | None = None
    direction: Direction | None = None
    weight: WeightValue | None = None
    source: Annotated[
        IndicatorSource | SourceList | Undisclosed | None,
        BeforeValidator(
            _source_short_form, json_schema_input_type=str | IndicatorSource | list[str | IndicatorSource] | None
        ),
    ] = Field(None, description="The indicator's source, or a list of sources where the publisher gives several.")
    reference_year: ReferenceYear | None = None
    reference_period: bool = Field(
        False,
        description="True when `reference_year: [first, last]` is one period every city's figure covers (a flow "
        "over several years, such as net migration 2012-2016), not years that differ from city to city.",
    )
    geo_level: GeoLevel | Undisclosed | None = None
    scaling: Scaling | Undisclosed | None = None
    cities_ranked: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="For measures ranked separately (`ranking.kind: separate_rankings`), how many cities this "
        "measure's own list ranks, where the lists differ in size (`cities.count` is the size of the list the spec "
        "records).",
    )
    projection: bool = False
    kind: Kind | None = None
    monetary: Monetary | NotApplicable | None = None
    survey: Survey | NotApplicable | None = None
    column: str | None = Field(None, description="Column of the data file, when it differs from the id.")
    target: float | None = Field(None, description="distance_to_target: the target value.")
    normalisation: NormalisationSpec | None = Field(None, description="Overrides the method's normalisation.")
    denominator: DenominatorSpec | None = Field(
        None,
        description="Divide the indicator's raw values by this size column before any other step (COINr "
        "`Denominate`): a column of `data.denominators`, or `{column, scale}` for x / (column / scale).",
    )


DeclaredSource = Annotated[
    IndicatorSource | SourceList | None,
    BeforeValidator(
        _source_short_form, json_schema_input_type=str | IndicatorSource | list[str | IndicatorSource] | None
    ),
]


class Aggregate(Cited):
    # no docstring: the base of Group and Structure, the facts every aggregate may state about its children
    indicator_count_approximate: bool = False
    group_count: ApproxCount | None = Field(
        None, description="Number of sub-groups the publisher states, when the spec does not list them all."
    )
    group_count_approximate: bool = False
    weights_set_by: WeightsSetBy | None = None
    joint_weights: list[JointWeight] | None = Field(None, description="Weights of sets of children together.")

    @model_validator(mode="before")
    @classmethod
    def _approximate(cls, data: Any) -> Any:
        return _lift_about(data, "indicator_count", "group_count")


class Group(Aggregate):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str
    description: str | None = None
    weight: WeightValue | None = None
    weighting: Weighting | None = Field(None, description="How this group's children are weighted.")
    aggregation: AggregationMethod | Undisclosed | None = None
    indicator_count: ApproxCount | None = Field(
        None, description="Number of indicators the publisher states for this group (useful when not listed)."
    )
    complete: bool = Field(True, description="False when the spec lists only part of this group's children.")
    source: DeclaredSource = Field(
        None, description="Source of all the group's indicators that state none (e.g. when not listed)."
    )
    children: Annotated[list[Node], Field(min_length=1)] | Undisclosed = Field(
        description="Sub-groups and indicators; `undisclosed` when the publisher does not list them."
    )


GROUP_ONLY_KEYS = frozenset({
    "children", "weighting", "aggregation", "indicator_count", "description",
    "group_count", "complete", "weights_set_by", "joint_weights",
})


def _node_kind(value: Any) -> str:
    if isinstance(value, dict):
        # a group that forgot its `children` should hear "missing children", not "unknown key weighting"
        return "group" if GROUP_ONLY_KEYS & value.keys() else "indicator"
    return "group" if isinstance(value, Group) else "indicator"


Node = Annotated[
    Annotated[Group, Tag("group")] | Annotated[Indicator, Tag("indicator")],
    Discriminator(_node_kind),
]


class Structure(Aggregate):
    """The index itself: its top-level children, and how they combine."""

    weighting: Weighting | None = None
    aggregation: AggregationMethod | Undisclosed | None = None
    indicator_count: ApproxCount | None = Field(
        None, description="Number of indicators the publisher states, when the spec does not list them all."
    )
    complete: bool = Field(True, description="False when the spec lists only part of the publisher's hierarchy.")
    forecast: bool | None = Field(None, description="True when the index ranks forecast values (see ranking.forecast).")
    source: DeclaredSource = Field(
        None, description="Source of every indicator that states none (e.g. an index built on one survey)."
    )
    reference_year: ReferenceYear | None = Field(
        None,
        description="Data years the publisher states for the index as a whole (e.g. [2014, 2015]), used when the "
        "indicators' own years are not given.",
    )
    children: list[Node] = Field(min_length=1)


# --------------------------------------------------------------------------------------------
# History, data, uncertainty


class Change(Cited):
    edition: Label
    description: str
    rationale: str | None = None


class History(Cited):
    comparable_with_previous: bool | Undisclosed | NotApplicable | None = Field(
        None, description="Whether ranks may be compared with the previous edition; not_applicable for a first edition."
    )
    statement: str | None = Field(None, description="The publisher's words on year-on-year comparability.")
    changes: list[Change] = Field(default_factory=list)


class Data(Strict):
    values: str = Field(description="CSV of indicator values per city, relative to the spec's folder.")
    id_column: str = "id"
    name_column: str | None = None
    published: str | None = Field(None, description="CSV of published scores and/or ranks per city.")
    published_id_column: str = "id"
    published_score_column: str | None = "score"
    published_rank_column: str | None = "rank"
    denominators: list[str] = Field(default_factory=list, description="Size columns (population, GDP).")
    group_column: str | None = Field(None, description="Column of groups for group imputation.")


class WeightNoise(Strict):
    factor: float = Field(0.25, gt=0, lt=1, description="Each weight is multiplied by U(1-f, 1+f).")
    levels: list[int] | None = Field(
        None, description="Depths perturbed: 1 = the index's children, 2 = theirs... (default: every group level)"
    )
    sets: int | None = Field(
        None, ge=2, le=100_000,
        description="COINr's design: this many noisy weight vectors are drawn once and each replication picks "
        "one, so every perturbed level is one factor 'weights' (default: fresh weights per replication, one "
        "factor per level).",
    )


class Uncertainty(Strict):
    weights: WeightNoise | None = None
    normalisation: list[NormalisationSpec] = Field(default_factory=list)
    aggregation: list[AggregationMethod] = Field(default_factory=list)
    winsorisation: list[Annotated[int, Field(ge=0)]] = Field(default_factory=list)
    imputation: list[Imputation] = Field(default_factory=list)
    leave_one_out: Literal["indicators", "groups"] | None = None
    sobol_estimator: Literal["saltelli2010", "coinr"] | None = Field(
        None, description="First-order Sobol estimator: saltelli2010 (default, centred) or coinr (COINr's SA_estimate)."
    )
    sobol_bootstrap: Literal["joint", "coinr"] | None = Field(
        None,
        description="Bootstrap of the Sobol confidence intervals: joint (default: whole rows resampled, variance "
        "recomputed) or coinr (COINr's SA_estimate: each index's terms resampled separately, variance fixed).",
    )


# --------------------------------------------------------------------------------------------
# The spec


class Spec(Strict):
    spec_version: Literal[1]
    ranking: Ranking
    publisher: Organisation
    sponsors: list[Sponsor] | Undisclosed | None = Field(
        None, description="Commissioners, sponsors and partners; [] when the publisher states there are none."
    )
    conflict_of_interest: str | Undisclosed | None = Field(None, description="The conflict-of-interest statement.")
    access: Access | None = None
    cities: Cities
    method: Method | None = None
    structure: Structure
    history: History | None = None
    data: Data | None = None
    uncertainty: Uncertainty | None = None
    sources: dict[str, Source] = Field(default_factory=dict)
    undisclosed_means: Literal["publisher_silent", "not_in_sources_read", "verified"] = Field(
        "publisher_silent",
        description="What `undisclosed` says in this spec: the publisher's documents are silent on it "
        "(publisher_silent), or only that the sources the spec's author read do not state it "
        "(not_in_sources_read, for specs written from excerpts and secondary sources: every `undisclosed` and every "
        "key left out then counts as `unknown`), or, with `verified` (what `rankaudit migrate` writes), that an "
        "explicit `undisclosed` is verified in the publisher's documents while a key left out is `unknown`. An "
        "explicit `unknown` is always unknown. Reports say which.",
    )
    notes: str | None = None

    @property
    def series(self) -> str:
        """The series id: `ranking.series`, or the default from the publisher's and the ranking's names."""
        return self.ranking.series or default_series(self.publisher.name, self.ranking.name)

    @field_validator("sources")
    @classmethod
    def _source_ids(cls, value: dict[str, Source]) -> dict[str, Source]:
        for key in value:
            if not re.match(r"^[A-Za-z0-9_.\-]+$", key):
                raise ValueError(f"source id {key!r} may use letters, digits, '_', '.', '-' only")
        return value


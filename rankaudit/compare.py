"""The comparison table of several audited specs: data only, no formatting.

`build_comparison(results)` turns AuditResults into a `Comparison`: one row per spec, sorted by overall
score (best first, ties by ranking name; rows whose grade is withheld after those with a grade), each with
its dimension scores and most serious finding. Every edition belongs to a series (`Profile.series`:
`ranking.series`, or by default the publisher's and the ranking's names, see
`rankaudit.spec.models.default_series`). Editions are chained only within a series: the later edition's row
says what changed in the method since the earlier one and whether the publisher says their ranks may be
compared. Series that share a ranking name or short name (Kearney's and Oxford Economics' Global Cities
Index) are listed as such and never chained. The renderers in `rankaudit.report.comparison` only format this
(this module imports none of them); scripts/update_readme.py builds the README section.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rankaudit.result import AuditResult, GradeStatus, PublisherChange
from rankaudit.series import default_series

NOT_STATED = "not stated"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(_Model):
    key: str
    title: str


class SeriousFinding(_Model):
    code: str
    title: str
    message: str
    level: str
    cost: float


class EditionDiff(_Model):
    """What changed between an earlier edition and the edition of the row that holds it."""

    previous_edition: str
    previous_file: str
    changes: list[str]
    derived: list[str]
    comparable: bool | None
    comparability: str
    statement: str | None
    publisher_change: str | None = Field(
        None, description="The change of publisher (or of its name) that a spec of the series states, in words."
    )


class Row(_Model):
    file: str
    ranking: str
    short_name: str | None
    edition: str
    publisher: str
    publisher_type: str | None
    cities: int | None
    indicators: int | None
    cities_text: str | None = Field(None, description="`cities` as the publisher gives it ('about 2500').")
    indicators_text: str | None = Field(None, description="`indicators` as the publisher gives it ('about 200').")
    scores: dict[str, float | None]
    overall: float | None
    grade: str | None = Field(description="The letter; null when not assessable or withheld (see grade_status).")
    most_serious: SeriousFinding | None
    series: str = Field("", description="The series id of the edition ('publisher/ranking').")
    shares_name_with: list[str] = Field(
        default_factory=list, description="Other series compared that use this ranking's name or short name."
    )
    coverage: float | None = Field(None, description="Evidence coverage of the overall score (0-1).")
    coverages: dict[str, float | None] = Field(
        default_factory=dict, description="Evidence coverage of every dimension score (0-1; null when no rule applies)."
    )
    provisional: bool = False
    grade_range: list[str] | None = None
    grade_status: GradeStatus = Field(
        "not_assessable",
        description="graded, provisional, withheld (no letter below the grading floor), not_assessable.",
    )
    grade_label: str = Field("", description="The grade as a table cell prints it ('A', 'not graded (E-A)').")
    previous: EditionDiff | None = None


class Series(_Model):
    """The editions of one ranking by one publisher, as compared."""

    id: str
    rankings: list[str] = Field(description="The ranking's names in the series' specs, oldest edition first.")
    publishers: list[str] = Field(description="The publisher's names in the series' specs, oldest edition first.")
    editions: list[str] = Field(description="The editions compared, oldest first.")


class SharedName(_Model):
    """A ranking name (or short name) used by more than one series: their editions are not chained."""

    name: str
    series: list[str]


class Comparison(_Model):
    dimensions: list[Dimension]
    rows: list[Row]
    series: list[Series] = Field(default_factory=list)
    shared_names: list[SharedName] = Field(default_factory=list)
    provisional_below: float = Field(description="Coverage under which a grade is provisional (for the legend).")
    withheld_below: float = Field(0.5, description="Coverage under which no grade is given (for the legend).")

    @property
    def edition_diffs(self) -> list[Row]:
        """Rows that carry a comparison with an earlier edition, by ranking, then oldest edition first."""
        rows = [r for r in self.rows if r.previous is not None]
        return sorted(rows, key=lambda r: (r.ranking.casefold(), _edition_key(r.edition, None), r.file))


# --------------------------------------------------------------------------------------------


def build_comparison(results: Iterable[AuditResult]) -> Comparison:
    # imported here, not at the top: this module (and the renderers that read its types) must load no engine
    # module (tests/report/test_contract.py); the results come from the engine, so it is loaded by now
    from rankaudit.scoring import GRADE_WITHHELD_BELOW, PROVISIONAL_BELOW

    results = list(results)
    dimensions: list[Dimension] = []
    seen: set[str] = set()
    for result in results:
        for dim in result.dimensions:
            if dim.dimension not in seen:
                seen.add(dim.dimension)
                dimensions.append(Dimension(key=dim.dimension, title=dim.title))
    groups = _series_groups(results)
    diffs = _edition_diffs(groups)
    rows = [_row(r, [d.key for d in dimensions], diffs.get(id(r))) for r in results]
    shared = _shared_names(groups)
    rows = [_with_shared_names(row, shared) for row in rows]
    rows.sort(key=_order)
    return Comparison(
        dimensions=dimensions,
        rows=rows,
        series=_series(groups),
        shared_names=shared,
        provisional_below=PROVISIONAL_BELOW,
        withheld_below=GRADE_WITHHELD_BELOW,
    )


def _with_shared_names(row: Row, shared: Sequence[SharedName]) -> Row:
    others = sorted({key for s in shared if row.series in s.series for key in s.series if key != row.series})
    return row.model_copy(update={"shares_name_with": others}) if others else row


def _order(row: Row) -> tuple[Any, ...]:
    # rows with a grade first: a score resting on too few answered questions (grade withheld) is not ranked
    # above a graded one, however high it is
    missing = row.overall is None
    withheld = row.grade_status == "withheld"
    return (missing, withheld, -(row.overall or 0.0), row.ranking.casefold(), _edition_key(row.edition, None),
            row.file)


def _row(result: AuditResult, dimension_keys: list[str], previous: EditionDiff | None) -> Row:
    profile = result.profile
    worst = result.most_serious()
    coverage = {d.dimension: d.coverage for d in result.dimensions}
    return Row(
        file=result.file,
        ranking=profile.name,
        short_name=profile.short_name,
        edition=profile.edition,
        publisher=profile.publisher.name,
        publisher_type=profile.publisher.type,
        cities=profile.cities,
        indicators=profile.indicators,
        cities_text=profile.cities_text,
        indicators_text=profile.indicators_text,
        scores={key: result.scores.get(key) for key in dimension_keys},
        overall=result.overall,
        grade=result.grade,
        series=series_of(result),
        coverage=result.coverage,
        coverages={key: coverage.get(key) for key in dimension_keys},
        provisional=result.provisional,
        grade_range=result.grade_range,
        grade_status=result.grade_status,
        grade_label=result.grade_label,
        most_serious=SeriousFinding(
            code=worst.code, title=worst.title, message=worst.message, level=worst.level, cost=worst.cost
        )
        if worst is not None
        else None,
        previous=previous,
    )


# --------------------------------------------------------------------------------------------
# Series and their editions


def series_of(result: AuditResult) -> str:
    """The result's series id; a profile built without one (older JSON) gets the default."""
    profile = result.profile
    return profile.series or default_series(profile.publisher.name, profile.name)


def _series_groups(results: Sequence[AuditResult]) -> dict[str, list[AuditResult]]:
    """Results by series id, each oldest edition first, series in id order."""
    groups: dict[str, list[AuditResult]] = {}
    for result in results:
        groups.setdefault(series_of(result), []).append(result)
    return {
        key: sorted(group, key=lambda r: (_edition_key(r.profile.edition, r.profile.published), r.file))
        for key, group in sorted(groups.items())
    }


def _series(groups: dict[str, list[AuditResult]]) -> list[Series]:
    return [
        Series(
            id=key,
            rankings=list(dict.fromkeys(r.profile.name for r in group)),
            publishers=list(dict.fromkeys(r.profile.publisher.name for r in group)),
            editions=list(dict.fromkeys(r.profile.edition for r in group)),
        )
        for key, group in groups.items()
    ]


def _shared_names(groups: dict[str, list[AuditResult]]) -> list[SharedName]:
    """Names and short names (case and spacing ignored) that more than one series uses."""
    users: dict[str, dict[str, str]] = {}  # normalised name -> {series id: name as first written}
    for key, group in groups.items():
        for result in group:
            for name in (result.profile.name, result.profile.short_name):
                if name:
                    users.setdefault(_norm(name), {}).setdefault(key, name)
    shared = []
    for spelled in users.values():
        if len(spelled) > 1:
            shared.append(SharedName(name=next(iter(spelled.values())), series=sorted(spelled)))
    return sorted(shared, key=lambda s: (s.name.casefold(), s.series))


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


_YEAR = re.compile(r"(1[89]\d\d|2[01]\d\d)")


def _edition_key(edition: str, published: str | None) -> tuple[Any, ...]:
    """Chronological sort key: first year in the edition label, then the publication date, then the label."""
    match = _YEAR.search(edition)
    year = int(match.group(1)) if match else 0
    return (year, published or "", edition)


def _edition_diffs(groups: dict[str, list[AuditResult]]) -> dict[int, EditionDiff]:
    diffs: dict[int, EditionDiff] = {}
    for group in groups.values():
        stated = [r.profile.series_publisher_change for r in group if r.profile.series_publisher_change]
        for earlier, later in itertools.pairwise(group):
            if earlier.profile.edition == later.profile.edition:
                continue
            diffs[id(later)] = _diff(earlier, later, stated)
    return diffs


def _diff(earlier: AuditResult, later: AuditResult, stated: Sequence[PublisherChange]) -> EditionDiff:
    before, after = earlier.profile, later.profile
    publisher_change = _publisher_change(before.publisher.name, after.publisher.name, stated)
    known = {(c.edition, c.description) for c in before.changes}
    changes = [f"{c.edition}: {c.description}" for c in after.changes if (c.edition, c.description) not in known]
    derived = []
    # a difference of names that no spec explains is shown as such, not as a change of publisher
    named = ("publisher as named in the specs", before.publisher.name, after.publisher.name)
    names = [] if publisher_change else [named]
    for label, old, new in (
        *names,
        ("cities", before.cities, after.cities),
        ("indicators", before.indicators, after.indicators),
        ("groups", before.groups, after.groups),
    ):
        if old != new:
            derived.append(f"{label}: {_stated(old)} → {_stated(new)}")
    comparable = after.comparable_with_previous if isinstance(after.comparable_with_previous, bool) else None
    return EditionDiff(
        previous_edition=before.edition,
        previous_file=earlier.file,
        changes=changes,
        derived=derived,
        comparable=comparable,
        comparability=NOT_STATED if comparable is None else ("yes" if comparable else "no"),
        statement=after.comparability_statement,
        publisher_change=publisher_change,
    )


def _publisher_change(before: str, after: str, stated: Sequence[PublisherChange]) -> str | None:
    """The words for a change of publisher between two editions that a spec of the series states.

    None when the names are the same, or when no spec states the change: the bare difference of names is
    then listed with the other differences found by comparing the two audits.
    """
    if _norm(before) == _norm(after):
        return None
    for change in stated:
        if _norm(change.previous_publisher) == _norm(before):
            what = "publisher renamed" if change.kind == "renamed" else "change of publisher"
            since = f", from edition {change.edition}" if change.edition else ""
            return f"{what}: {before} → {after}{since} (stated in the spec)"
    return None


def _stated(value: object) -> str:
    return NOT_STATED if value is None else str(value)


__all__ = ["Comparison", "EditionDiff", "Row", "Series", "SharedName", "build_comparison", "series_of"]

"""The comparison table of several audited specs: data only, no formatting.

`build_comparison(results)` turns AuditResults into a `Comparison`: one row per spec, sorted by
overall score (best first, ties by ranking name), each with its dimension scores and most serious
finding. When two specs describe editions of the same ranking (same name or same short name), the
later edition's row also says what changed in the method since the earlier one and whether the
publisher says their ranks may be compared. The renderers in `rankaudit.report.comparison` only
format this (this module imports none of them); scripts/update_readme.py builds the README section.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from rankaudit.result import AuditResult

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


class Row(_Model):
    file: str
    ranking: str
    short_name: str | None
    edition: str
    publisher: str
    publisher_type: str | None
    cities: int | None
    indicators: int | None
    scores: dict[str, float | None]
    overall: float | None
    grade: str | None
    most_serious: SeriousFinding | None
    coverage: float | None = None
    provisional: bool = False
    grade_range: list[str] | None = None
    previous: EditionDiff | None = None


class Comparison(_Model):
    dimensions: list[Dimension]
    rows: list[Row]

    @property
    def edition_diffs(self) -> list[Row]:
        """Rows that carry a comparison with an earlier edition, by ranking, then oldest edition first."""
        rows = [r for r in self.rows if r.previous is not None]
        return sorted(rows, key=lambda r: (r.ranking.casefold(), _edition_key(r.edition, None), r.file))


# --------------------------------------------------------------------------------------------


def build_comparison(results: Iterable[AuditResult]) -> Comparison:
    results = list(results)
    dimensions: list[Dimension] = []
    seen: set[str] = set()
    for result in results:
        for dim in result.dimensions:
            if dim.dimension not in seen:
                seen.add(dim.dimension)
                dimensions.append(Dimension(key=dim.dimension, title=dim.title))
    diffs = _edition_diffs(results)
    rows = [_row(r, [d.key for d in dimensions], diffs.get(id(r))) for r in results]
    rows.sort(key=_order)
    return Comparison(dimensions=dimensions, rows=rows)


def _order(row: Row) -> tuple[Any, ...]:
    missing = row.overall is None
    return (missing, -(row.overall or 0.0), row.ranking.casefold(), _edition_key(row.edition, None), row.file)


def _row(result: AuditResult, dimension_keys: list[str], previous: EditionDiff | None) -> Row:
    profile = result.profile
    worst = result.most_serious()
    return Row(
        file=result.file,
        ranking=profile.name,
        short_name=profile.short_name,
        edition=profile.edition,
        publisher=profile.publisher.name,
        publisher_type=profile.publisher.type,
        cities=profile.cities,
        indicators=profile.indicators,
        scores={key: result.scores.get(key) for key in dimension_keys},
        overall=result.overall,
        grade=result.grade,
        coverage=result.coverage,
        provisional=result.provisional,
        grade_range=result.grade_range,
        most_serious=SeriousFinding(
            code=worst.code, title=worst.title, message=worst.message, level=worst.level, cost=worst.cost
        )
        if worst is not None
        else None,
        previous=previous,
    )


# --------------------------------------------------------------------------------------------
# Editions of the same ranking


def _same_ranking_groups(results: Sequence[AuditResult]) -> list[list[AuditResult]]:
    """Group results that share a ranking name or a short name (case-insensitive, transitively)."""
    parent = list(range(len(results)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_by_key: dict[str, int] = {}
    for i, result in enumerate(results):
        keys = [f"name:{_norm(result.profile.name)}"]
        if result.profile.short_name:
            keys.append(f"short:{_norm(result.profile.short_name)}")
        for key in keys:
            if key in first_by_key:
                parent[find(i)] = find(first_by_key[key])
            else:
                first_by_key[key] = i
    groups: dict[int, list[AuditResult]] = {}
    for i, result in enumerate(results):
        groups.setdefault(find(i), []).append(result)
    return [g for g in groups.values() if len(g) > 1]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


_YEAR = re.compile(r"(1[89]\d\d|2[01]\d\d)")


def _edition_key(edition: str, published: str | None) -> tuple[Any, ...]:
    """Chronological sort key: first year in the edition label, then the publication date, then the label."""
    match = _YEAR.search(edition)
    year = int(match.group(1)) if match else 0
    return (year, published or "", edition)


def _edition_diffs(results: Sequence[AuditResult]) -> dict[int, EditionDiff]:
    diffs: dict[int, EditionDiff] = {}
    for group in _same_ranking_groups(results):
        ordered = sorted(group, key=lambda r: (_edition_key(r.profile.edition, r.profile.published), r.file))
        for earlier, later in itertools.pairwise(ordered):
            if earlier.profile.edition == later.profile.edition:
                continue
            diffs[id(later)] = _diff(earlier, later)
    return diffs


def _diff(earlier: AuditResult, later: AuditResult) -> EditionDiff:
    before, after = earlier.profile, later.profile
    known = {(c.edition, c.description) for c in before.changes}
    changes = [f"{c.edition}: {c.description}" for c in after.changes if (c.edition, c.description) not in known]
    derived = []
    for label, old, new in (
        ("publisher", before.publisher.name, after.publisher.name),
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
    )


def _stated(value: object) -> str:
    return NOT_STATED if value is None else str(value)


__all__ = ["Comparison", "EditionDiff", "Row", "build_comparison"]

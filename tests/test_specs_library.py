"""The library of real rankings in specs/: every spec is valid, audits, and keeps the rules for facts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rankaudit.audit import audit_file
from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import load_spec
from rankaudit.spec.models import Group, Spec, Structure

SPECS = Path(__file__).resolve().parent.parent / "specs"
FILES = sorted(SPECS.glob("*.yaml"))
MODELINE = "# yaml-language-server: $schema=../schema/rankaudit-spec.schema.json"


def ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


@pytest.fixture(scope="module")
def loaded() -> dict[str, Spec]:
    """Every spec that loads; an invalid one fails `test_spec_validates_and_audits` instead."""
    specs = {}
    for path in FILES:
        try:
            specs[path.name] = load_spec(str(path)).spec
        except SpecError:
            continue
    return specs


def test_library_is_not_empty() -> None:
    assert FILES, "no spec in specs/"


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_spec_validates_and_audits(path: Path) -> None:
    result = audit_file(str(path), replications=0)
    assert result.profile.name
    assert result.overall is not None


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_spec_starts_with_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE


def test_at_least_fifteen_rankings(loaded: dict[str, Spec]) -> None:
    rankings = {" ".join(s.ranking.name.casefold().split()) for s in loaded.values()}
    assert len(rankings) >= 15, sorted(rankings)


def test_every_source_has_a_url(loaded: dict[str, Spec]) -> None:
    missing = [f"{name}: {key}" for name, s in loaded.items() for key, src in s.sources.items() if not src.url]
    assert not missing


def _groups(node: Structure | Group, cited_above: bool) -> Iterator[tuple[Group, bool]]:
    """Every group below `node`, with whether it or one of its ancestors carries a citation."""
    if not isinstance(node.children, list):
        return
    for child in node.children:
        if isinstance(child, Group):
            cited = cited_above or bool(child.cite)
            yield child, cited
            yield from _groups(child, cited)


def test_numeric_weights_are_cited(loaded: dict[str, Spec]) -> None:
    uncited = []
    for name, s in loaded.items():
        top = bool(s.structure.cite) or bool(s.method and s.method.cite)
        for group, cited in _groups(s.structure, top):
            if isinstance(group.weight, int | float) and not cited:
                uncited.append(f"{name}: {group.id}")
    assert not uncited, "groups with a numeric weight but no citation on them or above them"


def test_every_group_states_or_withholds_its_weight(loaded: dict[str, Spec]) -> None:
    """A pillar's weight is either a cited number or `undisclosed`, unless its parent declares the weighting."""
    silent = []
    for name, s in loaded.items():
        for group, _ in _groups(s.structure, False):
            if group.weight is None and s.structure.weighting is None and not (s.method and s.method.weighting):
                silent.append(f"{name}: {group.id}")
    assert not silent


def test_library_states_every_absence_explicitly(loaded: dict[str, Spec]) -> None:
    """The bundled specs are migrated (issue 10/12): an absence is `unknown` unless the publisher's own document
    was read and is silent (`undisclosed`, verified), so `rankaudit migrate` has nothing left to do."""
    from rankaudit.evidence import publisher_documents, verified_undisclosed

    unmigrated = [name for name, s in loaded.items() if s.undisclosed_means != "verified"]
    assert not unmigrated
    unread = [name for name, s in loaded.items() if verified_undisclosed(s) and not publisher_documents(s)]
    assert not unread, "`undisclosed` facts without a publisher's methodology or report marked as read"


def _indicator_counts() -> list[tuple[str, object, int, bool]]:
    """(spec, stated `indicator_count`, indicators listed, whether the spec lists every indicator) per spec."""
    from rankaudit.spec.tree import Tree

    rows = []
    for path in FILES:
        loaded = load_spec(str(path))
        tree = loaded.tree or Tree(loaded.spec)
        every = loaded.spec.structure.complete and not tree.unlisted_groups
        rows.append((path.name, loaded.spec.structure.indicator_count, len(tree.indicators), every))
    return rows


def test_indicator_count_matches_the_listed_indicators() -> None:
    """Issue 12: a spec that lists every indicator lists as many as the publisher's stated count; one that lists
    part of them lists no more than the count. Specs listing every indicator today: UBS GREBI 2022 (5 of 5),
    GaWC 2024 and Knight Frank PGCI (one indicator each, no count stated)."""
    rows = _indicator_counts()
    complete = [(name, count, listed) for name, count, listed, every in rows if every]
    assert complete, "no bundled spec lists every indicator"
    wrong = [(name, count, listed) for name, count, listed in complete if isinstance(count, int) and count != listed]
    assert not wrong, "stated indicator_count differs from the indicators listed"
    over = [(name, count, listed) for name, count, listed, every in rows if isinstance(count, int) and listed > count]
    assert not over, "more indicators listed than the publisher's stated count"
    assert ("ubs-global-real-estate-bubble-index-2022.yaml", 5, 5) in complete


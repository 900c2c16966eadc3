"""Issue 12: a spec that lists every indicator its publisher publishes lists exactly as many as the publisher says.

Data-driven over every bundled spec in `specs/`, so a spec added or deepened by anyone is checked the day it
lands. The counts compared are the publisher's stated `indicator_count` (on `structure`, or on a group) and
the indicators the spec lists below that node. A listing counts as complete when nothing below the node is
marked partial (`complete: false`) or unlisted (`children: unknown` / `undisclosed`); an approximate count
(`{about: N}`) is never compared exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from rankaudit.spec.load import load_spec
from rankaudit.spec.models import Group, Structure
from rankaudit.spec.tree import NodeRef, Tree, is_aggregate_ref, is_group_ref

SPECS = Path(__file__).resolve().parent.parent / "specs"
FILES = sorted(SPECS.glob("*.yaml"))


@dataclass(frozen=True)
class Count:
    """One node that states how many indicators it holds, and what the spec lists under it."""

    spec: str
    node: str
    stated: int
    listed: int
    complete: bool

    def __str__(self) -> str:
        state = "complete" if self.complete else "partial"
        return f"{self.spec} {self.node}: publisher says {self.stated}, spec lists {self.listed} ({state})"


def _exact(node: Group | Structure) -> int | None:
    """The node's stated indicator count when it is an exact number (not unknown, not 'about')."""
    count = node.indicator_count
    if isinstance(count, bool) or not isinstance(count, int) or node.indicator_count_approximate:
        return None
    return count


def _listing_complete(tree: Tree, ref: NodeRef) -> bool:
    """Whether the spec lists every indicator below `ref`: no partial or unlisted group at or under it."""
    node = ref.node
    if not isinstance(node, Group | Structure) or not node.complete or not isinstance(node.children, list):
        return False
    under = [r for r in tree.nodes if ref in tree.ancestors(r)]
    return all(isinstance(r.node.children, list) and r.node.complete for r in under if is_group_ref(r))


def _counts(path: Path) -> list[Count]:
    loaded = load_spec(str(path))
    tree = loaded.tree or Tree(loaded.spec)
    rows = []
    for ref in tree.nodes:
        if not is_aggregate_ref(ref):
            continue
        stated = _exact(ref.node)
        if stated is None:
            continue
        rows.append(Count(path.name, ref.id, stated, len(tree.indicators_under(ref)), _listing_complete(tree, ref)))
    return rows


ROWS = [row for path in FILES for row in _counts(path)]


def test_some_spec_lists_every_indicator_of_a_stated_count() -> None:
    """Guards the parametrised tests below against passing vacuously on an empty selection."""
    assert any(row.complete for row in ROWS), "no bundled spec lists every indicator of a stated count"


@pytest.mark.parametrize("row", [r for r in ROWS if r.complete], ids=str)
def test_complete_listing_matches_the_stated_count(row: Count) -> None:
    assert row.listed == row.stated, str(row)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_no_listing_exceeds_the_stated_count(row: Count) -> None:
    assert row.listed <= row.stated, str(row)


def test_the_counting_reads_nested_groups(tmp_path: Path) -> None:
    """A known spec: two groups of 2 and 1 indicators, stated 3 overall and 2 for the first group."""
    spec = tmp_path / "tiny.yaml"
    spec.write_text(
        """spec_version: 1
ranking: {name: Tiny Index, edition: "2024"}
publisher: {name: Tiny Org, type: academic}
cities: {count: 3}
structure:
  indicator_count: 3
  children:
    - id: a
      name: A
      weight: 0.5
      indicator_count: 2
      children:
        - {id: a1, name: A1}
        - {id: a2, name: A2}
    - id: b
      name: B
      weight: 0.5
      complete: false
      children:
        - {id: b1, name: B1}
""",
        encoding="utf-8",
    )
    rows = {row.node: row for row in _counts(spec)}
    assert rows["index"] == Count("tiny.yaml", "index", 3, 3, False)  # group b is marked partial
    assert rows["a"] == Count("tiny.yaml", "a", 2, 2, True)
    assert set(rows) == {"index", "a"}

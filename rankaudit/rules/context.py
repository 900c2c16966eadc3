"""What a rule may look at: the spec, its walked hierarchy, and the statistical results if any."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from rankaudit.spec.models import Indicator, Spec
from rankaudit.spec.tree import NodeRef, Tree

if TYPE_CHECKING:
    from rankaudit.stats.result import StatsResult


@dataclass
class AuditContext:
    spec: Spec
    stats: StatsResult | None = None
    walked: Tree | None = None  # a Tree already built for this spec, to reuse

    @cached_property
    def tree(self) -> Tree:
        return self.walked or Tree(self.spec)

    @property
    def indicators(self) -> list[NodeRef[Indicator]]:
        return self.tree.indicators

    @property
    def publication_year(self) -> int | None:
        return self.spec.ranking.publication_year

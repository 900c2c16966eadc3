"""What a rule may look at: the spec, its walked hierarchy, and the statistical results if any."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rankaudit.spec.models import Spec, year_of
from rankaudit.spec.tree import NodeRef, Tree

if TYPE_CHECKING:
    from rankaudit.stats.result import StatsResult


@dataclass
class AuditContext:
    spec: Spec
    stats: StatsResult | None = None

    @cached_property
    def tree(self) -> Tree:
        return Tree(self.spec)

    @property
    def indicators(self) -> list[NodeRef]:
        return self.tree.indicators

    @property
    def pillars(self) -> list[NodeRef]:
        """Groups below the index (sub-indices and pillars)."""
        return [g for g in self.tree.groups if g.depth > 0]

    @cached_property
    def publication_year(self) -> int | None:
        published = self.spec.ranking.published
        return year_of(published) if isinstance(published, str) and published != "undisclosed" else None

    def weight_share(self, indicator: NodeRef) -> float | None:
        """Nominal share of the index carried by an indicator, None when weights are not disclosed."""
        return self.tree.effective_weight(indicator)

    def option(self, options: dict[str, Any], name: str) -> Any:
        return options[name]

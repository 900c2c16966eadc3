"""Walking a spec's hierarchy, and the method each node inherits.

Rules, semantic checks and the statistical audit all need the same things: every node with the
document path it stands at (for locating findings), its parent and depth, and the effective
weighting, aggregation and normalisation after defaults are applied. They live here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rankaudit.spec.models import (
    ABSENT,
    UNDISCLOSED,
    UNKNOWN,
    Group,
    Indicator,
    Normalisation,
    Spec,
    Structure,
)
from rankaudit.spec.yamlsafe import Path

WEIGHT_TOLERANCE = 0.01


@dataclass(frozen=True, eq=False)
class NodeRef:
    """A node of the hierarchy with where it stands. The root wraps `spec.structure`."""

    node: Group | Indicator | Structure
    path: Path
    parent: NodeRef | None
    depth: int  # 0 = the index itself, 1 = its children, ...

    @property
    def id(self) -> str:
        return "index" if isinstance(self.node, Structure) else self.node.id

    @property
    def name(self) -> str:
        return "the index" if isinstance(self.node, Structure) else self.node.name

    @property
    def is_indicator(self) -> bool:
        return isinstance(self.node, Indicator)


class Tree:
    """The hierarchy of one spec, walked once."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.root = NodeRef(spec.structure, ("structure",), None, 0)
        self.nodes: list[NodeRef] = [self.root]
        self.children: dict[int, list[NodeRef]] = {}
        self._walk(self.root)

    def _walk(self, ref: NodeRef) -> None:
        node = ref.node
        if isinstance(node, Indicator) or not isinstance(node.children, list):
            return
        kids = []
        for i, child in enumerate(node.children):
            child_ref = NodeRef(child, (*ref.path, "children", i), ref, ref.depth + 1)
            kids.append(child_ref)
            self.nodes.append(child_ref)
            self._walk(child_ref)
        self.children[id(ref)] = kids

    def children_of(self, ref: NodeRef) -> list[NodeRef]:
        return self.children.get(id(ref), [])

    @cached_property
    def indicators(self) -> list[NodeRef]:
        return [r for r in self.nodes if r.is_indicator]

    @cached_property
    def unlisted_groups(self) -> list[NodeRef]:
        """Groups whose children the publisher does not list (`children: undisclosed`)."""
        return [r for r in self.nodes if isinstance(r.node, Group) and not isinstance(r.node.children, list)]

    @cached_property
    def groups(self) -> list[NodeRef]:
        """Every aggregate, the index included."""
        return [r for r in self.nodes if not r.is_indicator]

    def ancestors(self, ref: NodeRef) -> list[NodeRef]:
        out = []
        probe = ref.parent
        while probe is not None:
            out.append(probe)
            probe = probe.parent
        return out

    def indicators_under(self, ref: NodeRef) -> list[NodeRef]:
        if ref.is_indicator:
            return [ref]
        return [i for i in self.indicators if ref in self.ancestors(i)]

    # ---- effective method, defaults applied

    def weighting(self, group: NodeRef) -> str:
        """explicit, relative, equal, implicit, undisclosed, or 'unstated' when nobody says."""
        node = group.node
        assert not isinstance(node, Indicator)
        declared = node.weighting or (self.spec.method.weighting if self.spec.method else None)
        if declared:
            return declared
        weights = [c.node.weight for c in self.children_of(group)]
        if weights and all(isinstance(w, float | int) for w in weights):
            return "explicit"
        if weights and all(w in ABSENT for w in weights):
            return UNKNOWN if all(w == UNKNOWN for w in weights) else UNDISCLOSED
        return "unstated"

    def child_weights(self, group: NodeRef) -> list[float | None]:
        """Weights of a group's children as shares of the group (summing to 1 when every child is listed),
        None where not disclosed."""
        kids = self.children_of(group)
        if len(kids) == 1 and self._listing_is_whole(group):
            # a sole child carries all of its parent's weight, whether or not a weight is written
            return [1.0]
        mode = self.weighting(group)
        if mode == "equal":
            # equal shares among all the group's indicators, listed or not, when the publisher states how many
            count = group.node.indicator_count if isinstance(group.node, Group) else None
            return [1 / max(len(kids), count if isinstance(count, int) else 0)] * len(kids)
        raw = [c.node.weight for c in kids]
        if not all(isinstance(w, float | int) for w in raw):
            return [None] * len(kids)
        total = float(sum(raw))  # type: ignore[arg-type]
        if total <= 0:
            return [None] * len(kids)
        if mode == "explicit" and total < 1 and not self._listing_is_whole(group):
            # explicit weights are shares of the parent: in a partial listing the rest belongs to unlisted children
            return [float(w) for w in raw]  # type: ignore[arg-type]
        return [float(w) / total for w in raw]  # type: ignore[arg-type]

    def _listing_is_whole(self, group: NodeRef) -> bool:
        """Whether a group's listed children are all it has (a partial transcription may list fewer)."""
        if not self.spec.structure.complete:
            return False
        count = group.node.indicator_count if isinstance(group.node, Group) else None
        return not isinstance(count, int) or count <= len(self.children_of(group))

    def aggregation(self, group: NodeRef) -> str | None:
        """The aggregation of a group's children: the group's own, else the method's default."""
        node = group.node
        assert not isinstance(node, Indicator)
        if node.aggregation:
            return node.aggregation
        return self.spec.method.aggregation if self.spec.method else None

    def normalisation(self, indicator: NodeRef) -> Normalisation | str | None:
        node = indicator.node
        assert isinstance(node, Indicator)
        if node.normalisation is not None:
            return node.normalisation
        return self.spec.method.normalisation if self.spec.method else None

    def effective_weight(self, indicator: NodeRef) -> float | None:
        """The indicator's nominal share of the final index: the product of normalised weights."""
        share = 1.0
        probe = indicator
        while probe.parent is not None:
            siblings = self.children_of(probe.parent)
            weights = self.child_weights(probe.parent)
            weight = weights[siblings.index(probe)]
            if weight is None:
                return None
            share *= weight
            probe = probe.parent
        return share

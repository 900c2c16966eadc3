"""Walking a spec's hierarchy, and the method each node inherits.

Rules, semantic checks and the statistical audit all need the same things: every node with the
document path it stands at (for locating findings), its parent and depth, and the effective
weighting, aggregation and normalisation after defaults are applied. They live here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Generic

from typing_extensions import TypeIs, TypeVar

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

AnyNode = Group | Indicator | Structure
# what a reference holds: `NodeRef` alone is any node; `NodeRef[Indicator]` is what `Tree.indicators` gives
N = TypeVar("N", bound=AnyNode, covariant=True, default=AnyNode)


@dataclass(frozen=True, eq=False)
class NodeRef(Generic[N]):
    """A node of the hierarchy with where it stands. The root wraps `spec.structure`."""

    node: N
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


def is_indicator_ref(ref: NodeRef) -> TypeIs[NodeRef[Indicator]]:
    """`ref.is_indicator`, narrowing the reference's type for a type checker."""
    return isinstance(ref.node, Indicator)


def is_group_ref(ref: NodeRef) -> TypeIs[NodeRef[Group]]:
    """Whether the reference holds a group (not an indicator, not the index itself)."""
    return isinstance(ref.node, Group)


def is_aggregate_ref(ref: NodeRef) -> TypeIs[NodeRef[Group | Structure]]:
    """Whether the reference holds an aggregate: a group or the index."""
    return not isinstance(ref.node, Indicator)


def is_child_ref(ref: NodeRef) -> TypeIs[NodeRef[Group | Indicator]]:
    """Whether the reference holds a node with a parent: a group or an indicator (anything but the index)."""
    return not isinstance(ref.node, Structure)


class Tree:
    """The hierarchy of one spec, walked once."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.root = NodeRef(spec.structure, ("structure",), None, 0)
        self.nodes: list[NodeRef] = [self.root]
        self.children: dict[int, list[NodeRef[Group | Indicator]]] = {}
        self._walk(self.root)

    def _walk(self, ref: NodeRef) -> None:
        node = ref.node
        if isinstance(node, Indicator) or not isinstance(node.children, list):
            return
        kids: list[NodeRef[Group | Indicator]] = []
        for i, child in enumerate(node.children):
            child_ref = NodeRef(child, (*ref.path, "children", i), ref, ref.depth + 1)
            kids.append(child_ref)
            self.nodes.append(child_ref)
            self._walk(child_ref)
        self.children[id(ref)] = kids

    def children_of(self, ref: NodeRef) -> list[NodeRef[Group | Indicator]]:
        return self.children.get(id(ref), [])

    @cached_property
    def indicators(self) -> list[NodeRef[Indicator]]:
        return [r for r in self.nodes if is_indicator_ref(r)]

    @cached_property
    def unlisted_groups(self) -> list[NodeRef[Group]]:
        """Groups whose children the publisher does not list (`children: undisclosed`)."""
        return [r for r in self.nodes if is_group_ref(r) and not isinstance(r.node.children, list)]

    @cached_property
    def groups(self) -> list[NodeRef[Group | Structure]]:
        """Every aggregate, the index included."""
        return [r for r in self.nodes if is_aggregate_ref(r)]

    def ancestors(self, ref: NodeRef) -> list[NodeRef]:
        out = []
        probe = ref.parent
        while probe is not None:
            out.append(probe)
            probe = probe.parent
        return out

    def indicators_under(self, ref: NodeRef) -> list[NodeRef[Indicator]]:
        if is_indicator_ref(ref):
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
        numbers = [float(w) for w in raw if isinstance(w, float | int)]
        if len(numbers) < len(raw):
            return [None] * len(kids)
        total = float(sum(numbers))
        if total <= 0:
            return [None] * len(kids)
        if mode == "explicit" and total < 1 and not self._listing_is_whole(group):
            # explicit weights are shares of the parent: in a partial listing the rest belongs to unlisted children
            return list[float | None](numbers)
        return [w / total for w in numbers]

    def spread_over_listing(self, group: NodeRef) -> bool:
        """Whether a group's weights are spread over its listed children alone while the spec may list only part
        of them: equal weights without the publisher's count, or relative weights normalised over the listing.
        Their shares then say nothing of what the children the spec does not list carry."""
        if self.spec.structure.complete or not self._may_list_in_part(group):
            return False
        mode = self.weighting(group)
        if mode == "explicit":
            return False  # explicit weights are shares of the parent, listed or not
        count = group.node.indicator_count if isinstance(group.node, Group) else None
        if mode == "equal":
            return not isinstance(count, int)
        return all(w is not None for w in self.child_weights(group))

    def _may_list_in_part(self, group: NodeRef) -> bool:
        """In a spec that lists only part of the hierarchy, whether this group's listing may be the partial part:
        the groups marked `complete: false` when the spec marks any, else every group; never a group whose
        listing matches the publisher's count of its children."""
        kids = self.children_of(group)
        node = group.node
        groups_stated = getattr(node, "group_count", None)
        if isinstance(groups_stated, int):
            return groups_stated > len([k for k in kids if not k.is_indicator])
        count = node.indicator_count if isinstance(node, Group) else None
        if isinstance(count, int):
            return count > len(kids)
        if self._marked_partial:
            return isinstance(node, Group) and not node.complete
        return True

    @cached_property
    def _marked_partial(self) -> bool:
        """Whether the spec marks any group `complete: false` (so that it says where its listing is partial)."""
        return any(isinstance(r.node, Group) and not r.node.complete for r in self.groups)

    def _listing_is_whole(self, group: NodeRef) -> bool:
        """Whether a group's listed children are all it has (a partial transcription may list fewer)."""
        if not self.spec.structure.complete:
            return False
        if isinstance(group.node, Group) and not group.node.complete:
            return False
        groups = getattr(group.node, "group_count", None)
        listed_groups = [k for k in self.children_of(group) if not k.is_indicator]
        if isinstance(groups, int) and groups > len(listed_groups):
            return False
        count = group.node.indicator_count if isinstance(group.node, Group) else None
        return not isinstance(count, int) or count <= len(self.children_of(group))

    def joint_members(self, group: NodeRef) -> set[str]:
        """Ids of a group's children whose weight is given only jointly with siblings (`joint_weights`)."""
        joint = getattr(group.node, "joint_weights", None) or []
        return {m for j in joint for m in j.members}

    def published_share(self, group: NodeRef) -> float | None:
        """The share of a group carried by children whose weight is published, alone or jointly, when the
        weights are shares of the parent (explicit, or written as numbers summing to at most 1); None otherwise."""
        node = group.node
        assert not isinstance(node, Indicator)
        mode = self.weighting(group)
        if mode not in ("explicit", "unstated"):
            return None
        joint = getattr(node, "joint_weights", None) or []
        kids = self.children_of(group)
        own = [float(k.node.weight) for k in kids if isinstance(k.node.weight, int | float)]
        total = sum(own) + sum(j.weight for j in joint)
        return total if total <= 1 + WEIGHT_TOLERANCE else None

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
            weight = weights[next(k for k, s in enumerate(siblings) if s is probe)]
            if weight is None:
                return None
            share *= weight
            probe = probe.parent
        return share

"""The one place where ``rerank`` and ``claims`` touch the statistical engine.

Everything the what-if modules need from the engine goes through this module:

* ``IndexView``: a built index seen as a tree of aggregate nodes whose child weights can be
  replaced (as shares of the parent), evaluated for a batch of weight settings in one call;
* ``replication_ranks``: the ranks of every Monte Carlo replication of the audit's uncertainty
  design, chunk by chunk, drawn exactly as ``run_uncertainty`` draws them (same seed, same
  Saltelli design), so statistics accumulated from them equal the audit's;
* ``RankCounts``: the engine's rank histogram (so quantiles are computed the audit's way);
* ``view_from_spec``: spec -> (IndexView, published ranks, warnings) with the same mapping,
  data loading and default-design adjustments as ``run_statistical_audit``.

When the engine's internals change (aggregation, uncertainty, ranking), only this module needs
re-pointing; ``rerank.py`` and ``claims.py`` use numpy/scipy and the names defined here.
"""

from __future__ import annotations

import warnings as warnings_module
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from rankaudit.diagnostics import SpecError
from rankaudit.spec.models import Spec
from rankaudit.spec.yamlsafe import PositionIndex
from rankaudit.stats import from_spec as _fs
from rankaudit.stats.data import UnitData
from rankaudit.stats.model import IndexModel, ModelError
from rankaudit.stats.pipeline import Pipeline
from rankaudit.stats.ranking import RankHistogram, rank_accumulator, rank_desc
from rankaudit.stats.uncertainty import check_resources, chunk_ranks, draws

Transform = Literal["identity", "log", "reciprocal"]

__all__ = ["GroupNode", "IndexView", "RankCounts", "ReplicationDesign", "Transform", "WhatIfError",
           "rank_accumulator", "rank_desc", "replication_design", "replication_ranks", "view_from_spec"]


class WhatIfError(ValueError):
    """A what-if question that cannot be answered on this index (message says why)."""


RankCounts = RankHistogram  # the audit's own rank histogram (type-7 quantiles); build with rank_accumulator


@dataclass(frozen=True)
class GroupNode:
    """One aggregate node: its (real) children and their nominal shares (summing to 1)."""

    id: str
    children: tuple[str, ...]
    shares: tuple[float, ...]
    method: str
    parent: str | None
    level_pos: int  # position of the node's level in the engine's compiled levels
    child_cols: tuple[int, ...]  # columns of the children in that level's weight vector


class IndexView:
    """A model bound to its data, with replaceable child weights (shares of each parent)."""

    def __init__(self, model: IndexModel, data: UnitData) -> None:
        self.pipe = Pipeline(model, data)
        self.model = model
        self.ids: tuple[str, ...] = tuple(data.ids)
        self.names: tuple[str | None, ...] = tuple(data.names) if data.names else (None,) * len(data.ids)
        self._prep = self.pipe.prepare()
        methods = {m for lv in self.pipe.levels for m in lv.methods} - {"arithmetic"}
        for m in methods:
            self.pipe.check_positive(self._prep, m)
        self._nominal = [w.copy() for w in self.pipe.nominal_weights()]
        direct_parent = model.parent_of()
        nodes: dict[str, GroupNode] = {}
        for pos, lv in enumerate(self.pipe.levels):
            for p, nid in enumerate(lv.node_ids):
                if nid in model.aliases:
                    continue  # synthetic pass-through: its one child carries the weight upward
                cols = tuple(int(c) for c in lv.segments[p])
                w = lv.weights[list(cols)]
                parent = direct_parent.get(nid)
                while parent is not None and parent in model.aliases:
                    parent = direct_parent.get(parent)
                nodes[nid] = GroupNode(
                    nid, tuple(model.real_id(lv.child_ids[c]) for c in cols), tuple(float(x) for x in w / w.sum()),
                    lv.methods[p], parent, pos, cols)
        self.nodes = nodes
        self.index_id = model.index_id
        base = self.evaluate({})
        self.nominal_index: np.ndarray = base[0][0]
        self.nominal_ranks: np.ndarray = rank_desc(self.nominal_index)

    # ------------------------------------------------------------------------------------------
    def node_of_child(self, child: str) -> GroupNode:
        for node in self.nodes.values():
            if child in node.children:
                return node
        raise WhatIfError(f"{child!r} is not an element of the index")

    def _weights(self, shares: Mapping[str, np.ndarray], rows: int) -> list[np.ndarray]:
        out = [w if rows == 1 else np.repeat(w, rows, axis=0) for w in self._nominal]
        out = [w.copy() for w in out]
        for nid, s in shares.items():
            node = self.nodes[nid]
            arr = np.atleast_2d(np.asarray(s, dtype=float))
            if arr.shape[1] != len(node.children):
                raise WhatIfError(f"{nid!r} has {len(node.children)} children, got {arr.shape[1]} weights")
            out[node.level_pos][:, list(node.child_cols)] = arr
        return out

    def evaluate(self, shares: Mapping[str, np.ndarray], detail: str | None = None
                 ) -> tuple[np.ndarray, np.ndarray | None]:
        """Index scores (R x U) for R weight settings; ``shares[node]`` is R x K (or K) shares.

        With ``detail`` = a node id, also returns that node's children scores (R x U x K).
        """
        rows = max([np.atleast_2d(np.asarray(s)).shape[0] for s in shares.values()] or [1])
        w = self._weights(shares, rows)
        with np.errstate(all="ignore"), warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore", RuntimeWarning)
            per_level = self.pipe.aggregate(self._prep.normalised, w)
        index = np.broadcast_to(per_level[-1][..., 0], (rows, len(self.ids))).copy()
        kids = None
        if detail is not None:
            node = self.nodes[detail]
            below = self._prep.normalised[None] if node.level_pos == 0 else per_level[node.level_pos - 1]
            kids = np.broadcast_to(below[..., list(node.child_cols)], (rows, len(self.ids), len(node.child_cols)))
        return index, kids

    def effective_shares(self, node_id: str, shares: np.ndarray, child_scores: np.ndarray) -> np.ndarray:
        """Shares of the children present for each unit (available-case re-normalisation): U x K."""
        present = ~np.isnan(child_scores)
        w = np.where(present, np.asarray(shares)[None, :], 0.0)
        tot = w.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, w / tot, np.nan)

    def path_transform(self, node_id: str) -> Transform:
        """The monotone transform T making T(index) linear in ``node_id``'s child shares.

        Arithmetic means all the way from the node up to the index: T = identity; geometric means all
        the way: T = log; harmonic all the way: T = -1/x. Anything else is not linear in the shares.
        """
        methods = []
        nid: str | None = node_id
        while nid is not None:
            methods.append(self.nodes[nid].method)
            nid = self.nodes[nid].parent
        kinds = set(methods)
        if kinds == {"arithmetic"}:
            return "identity"
        if kinds == {"geometric"}:
            return "log"
        if kinds == {"harmonic"}:
            return "reciprocal"
        raise WhatIfError(
            f"the index is not linear in the weights of {node_id!r}: the aggregations from it up to the index "
            f"are {' -> '.join(methods)}; inverse questions need one kind of mean on that path")


def apply_transform(t: Transform, x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        if t == "identity":
            return x
        out: np.ndarray = np.log(x) if t == "log" else -1.0 / x
        return out


def view_from_spec(spec: Spec, spec_dir: str | Path, positions: PositionIndex | None = None
                   ) -> tuple[IndexView, dict[str, float], list[str]]:
    """The spec's index bound to its data, as ``run_statistical_audit`` builds it.

    Returns (view, published ranks by unit id, warnings). Raises SpecError (RA301-RA303) like the audit.
    """
    # the audit's own binding: the same located errors, and published ids checked against the data
    bound = _fs.bind_data(spec, spec_dir, positions,
                          no_data="the spec has no `data` section: rerank and claims need indicator values "
                          "(data.values)")
    mapped, data, pub_ranks, warnings = bound.mapped, bound.data, bound.published_ranks, bound.warnings
    model = mapped.model
    try:
        with np.errstate(all="ignore"), warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore", RuntimeWarning)
            if mapped.default_design:
                model = _fs._drop_failing_geometric(model, data, warnings)
            view = IndexView(model, data)
    except (ModelError, ValueError) as e:
        raise SpecError([_fs._spec_diag(str(e), ("method",), positions)]) from None
    return view, pub_ranks, warnings


# ------------------------------------------------------------------------------------------------
# Monte Carlo replications, drawn as the audit draws them
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReplicationDesign:
    n_runs: int
    assumptions: tuple[str, ...]
    saltelli: bool


def replication_design(view: IndexView, replications: int, seed: int, sensitivity: bool = True
                       ) -> ReplicationDesign | None:
    """How many runs the audit makes for this budget (None: the design varies nothing)."""
    d = draws(view.pipe, replications, seed, sensitivity=sensitivity)
    if d is None:
        return None
    return ReplicationDesign(d.sample.total, tuple(a.name for a in d.assumptions), d.base_sample is not None)


def replication_ranks(view: IndexView, replications: int, seed: int, *, sensitivity: bool = True,
                      chunk_size: int | None = None) -> Iterator[np.ndarray]:
    """Yield the ranks (R x U float, NaN = unranked) of every replication, chunk by chunk.

    The engine's own loop (``uncertainty.chunk_ranks``) over the engine's own draws
    (``uncertainty.draws``): the replications are the audit's, value for value, for the same budget,
    seed and ``sensitivity`` (``run_audit`` default True). Refused like the audit when over its limits.
    """
    pipe = view.pipe
    check_resources(pipe, replications)
    d = draws(pipe, replications, seed, sensitivity=sensitivity)
    if d is None:
        return
    with np.errstate(all="ignore"), warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore", RuntimeWarning)
        for _at, ranks in chunk_ranks(pipe, d.assumptions, d.sample, chunk_size, d.rng_weights):
            yield ranks

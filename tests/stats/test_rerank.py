"""rerank: ranks under user weights, minimal weight changes, stability of the top N (known answers)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rankaudit.stats.model import AggregateNode, IndexModel, Normalisation
from rankaudit.stats.rerank import (
    WhatIfError,
    enter_top,
    enter_top_all,
    linear_form,
    pass_city,
    rerank,
    resolve_weights,
    stability,
)
from rankaudit.stats.whatif_adapter import IndexView

from .helpers import data_for, two_level_model


def flat_view(scores: list[list[float]], ids: list[str] | None = None, method: str = "arithmetic",
              weights: dict[str, float] | None = None) -> IndexView:
    """Index = weighted mean of K groups of one indicator each, scores used as they are (no normalisation),
    so every group score is the number written in the test."""
    k = len(scores[0])
    groups = {f"g{j + 1}": [f"x{j + 1}"] for j in range(k)}
    m = two_level_model(groups, normalisation=Normalisation("none"), method=method, pillar_weights=weights)
    ids = ids or [f"c{i}" for i in range(len(scores))]
    return IndexView(m, data_for(m, np.array(scores, dtype=float), ids=ids))


# ------------------------------------------------------------------------------------------------
# rerank under given weights
# ------------------------------------------------------------------------------------------------
def test_rerank_shares_contributions_and_shifts():
    v = flat_view([[90, 90, 90], [80, 10, 10], [10, 80, 40], [50, 50, 50], [20, 20, 20]],
                  ids=["top", "spa", "spb", "mid", "low"])
    res = rerank(v, {"g1": 0.6}, big_shift=2)
    # g1 takes 0.6, g2 and g3 keep their equal proportions of the remaining 0.4
    assert res.weights["Index"] == pytest.approx({"g1": 0.6, "g2": 0.2, "g3": 0.2})
    assert res.baseline == "nominal"
    rows = {r.id: r for r in res.rows}
    assert [r.id for r in res.rows] == ["top", "spa", "mid", "spb", "low"]
    spa = rows["spa"]
    assert spa.score == pytest.approx(0.6 * 80 + 0.2 * 10 + 0.2 * 10)
    assert spa.baseline_rank == 4 and spa.rank == 2 and spa.shift == 2 and spa.big
    # contributions are exact in score points for an arithmetic index and sum to the change
    assert spa.contributions["g1"] == pytest.approx(80 * (0.6 - 1 / 3))
    assert spa.contributions["g2"] == pytest.approx(10 * (0.2 - 1 / 3))
    assert sum(spa.contributions.values()) == pytest.approx(spa.score_change)
    assert spa.driver == "g1"
    assert rows["spb"].driver == "g2" and rows["spb"].shift == -1 and not rows["spb"].big
    assert [r.id for r in res.big_shifts] == ["spa"]
    doc = res.to_dict()
    assert doc["rows"][1]["id"] == "spa" and doc["rows"][1]["contributions"]["g1"] > 0


def test_rerank_against_published_ranks_and_relative_mode():
    v = flat_view([[90, 90, 90], [80, 10, 10], [10, 80, 40]], ids=["a", "b", "c"])
    # relative: 2/3 replaces g1's nominal share of 1/3 (double the others), then all are divided by their sum
    res = rerank(v, {"g1": 2 / 3}, mode="relative", published_ranks={"a": 2, "b": 1})
    assert res.weights["Index"] == pytest.approx({"g1": 0.5, "g2": 0.25, "g3": 0.25})
    rows = {r.id: r for r in res.rows}
    assert res.baseline == "published"
    assert rows["a"].baseline_rank == 2 and rows["a"].shift == 1
    assert rows["b"].baseline_rank == 1 and rows["b"].shift == 1 - rows["b"].rank
    assert rows["c"].baseline_rank is None and rows["c"].shift is None


def test_resolve_weights_rules_and_errors():
    v = flat_view([[1, 2, 3, 4], [4, 3, 2, 1]], weights={"g1": 1, "g2": 1, "g3": 2, "g4": 0})
    # nominal shares 0.25, 0.25, 0.5, 0: siblings not given keep their proportions of what is left
    w = resolve_weights(v, {"g1": 0.5})["Index"]
    np.testing.assert_allclose(w, [0.5, 0.5 / 3, 1 / 3, 0.0])
    # every sibling given: divided by their sum
    np.testing.assert_allclose(resolve_weights(v, {"g1": 1, "g2": 1, "g3": 1, "g4": 1})["Index"], [0.25] * 4)
    with pytest.raises(WhatIfError, match=r"sum to 1\.2"):
        resolve_weights(v, {"g1": 0.6, "g2": 0.6})
    with pytest.raises(WhatIfError, match=">= 0"):
        resolve_weights(v, {"g1": -0.1})
    with pytest.raises(WhatIfError, match="did you mean g1"):
        resolve_weights(v, {"g01": 0.1})
    with pytest.raises(WhatIfError, match="index itself"):
        resolve_weights(v, {"Index": 0.1})
    with pytest.raises(WhatIfError, match="would all be 0"):
        resolve_weights(v, {"g1": 0, "g2": 0, "g3": 0, "g4": 0})


# ------------------------------------------------------------------------------------------------
# known answers of the inverse questions
# ------------------------------------------------------------------------------------------------
def test_city_first_under_every_weighting():
    rng = np.random.default_rng(3)
    others = rng.uniform(0, 80, size=(12, 4))
    v = flat_view([[90, 85, 95, 81], *others.tolist()])
    form = linear_form(v)
    for w in rng.dirichlet(np.ones(4), size=200):
        assert rerank(v, dict(zip(form.children, w, strict=True))).rows[0].id == "c0"
    assert enter_top(v, "c0", 1).already
    for c in v.ids[1:]:
        ch = pass_city(v, c, "c0")
        assert not ch.achievable and "every group" in ch.reason
        top1 = enter_top(v, c, 1)
        assert not top1.achievable and "no valid weights" in top1.reason
    st1 = stability(v, 1)
    assert st1.top == ("c0",) and st1.radius is None and st1.pair is None


SWAP = [[80, 40], [50, 60], [10, 10]]  # A, B, C; weight w on g1: A = 40 + 40w, B = 60 - 10w


@pytest.mark.parametrize("solver", ["closed", "highs"])
def test_two_cities_swap_at_the_hand_computed_weight(solver):
    v = flat_view(SWAP, ids=["A", "B", "C"])
    # tie: 40 + 40w = 60 - 10w  ->  w* = 0.4 ; from w0 = 0.5 that is 0.1 of weight moved, L1 = 0.2
    ch = pass_city(v, "B", "A", solver=solver)
    assert ch.achievable and ch.verified and not ch.already
    assert ch.weights["g1"] == pytest.approx(0.4, abs=1e-6)
    assert ch.weights["g2"] == pytest.approx(0.6, abs=1e-6)
    assert ch.l1 == pytest.approx(0.2, abs=1e-6) and ch.moved == pytest.approx(0.1, abs=1e-6)
    assert ch.rank_nominal == 2 and ch.rank_at_weights == 1
    # the reverse: A is already ahead
    assert pass_city(v, "A", "B", solver=solver).already
    # C is below both in every group
    assert not pass_city(v, "C", "A", solver=solver).achievable
    top = enter_top(v, "B", 1)
    assert top.achievable and top.verified
    assert top.weights["g1"] == pytest.approx(0.4, abs=1e-6) and top.l1 == pytest.approx(0.2, abs=1e-6)
    st1 = stability(v, 1)
    assert st1.top == ("A",) and st1.pair == ("A", "B")
    assert st1.radius == pytest.approx(0.2, abs=1e-12)
    assert st1.weights["g1"] == pytest.approx(0.4, abs=1e-12)


def test_no_valid_weights_put_the_city_in_the_top_n():
    # "low" is beaten in every group by "top" and "mid": top 2 is out of reach; top 3 too, because
    # passing spa needs w1 < 1/7 and passing spb then needs 80 w2 + 40 w3 < 20 - 10 w1: impossible
    v = flat_view([[90, 90, 90], [80, 10, 10], [10, 80, 40], [50, 50, 50], [20, 20, 20]],
                  ids=["top", "spa", "spb", "mid", "low"])
    two = enter_top(v, "low", 2)
    assert not two.achievable and "2 cities score higher than low in every group" in two.reason
    three = enter_top(v, "low", 3)
    assert not three.achievable and three.competitors == 2 and "no valid weights" in three.reason
    four = enter_top(v, "low", 4)  # passing spa alone: 80 w1 + 10 (1 - w1) < 20 -> w1 < 1/7
    assert four.achievable and four.verified and four.rank_at_weights == 4
    # L1 from (1/3, 1/3, 1/3): move g1 down to 1/7 (cheapest source for the best target)
    assert four.weights["g1"] == pytest.approx(1 / 7, abs=1e-6)
    assert four.moved == pytest.approx(1 / 3 - 1 / 7, abs=1e-6)


def test_stability_radius_derived_by_hand():
    v = flat_view([[90, 90, 90], [80, 10, 10], [10, 80, 40], [50, 50, 50], [20, 20, 20]],
                  ids=["top", "spa", "spb", "mid", "low"])
    res = stability(v, 2)
    # top 2 = {top, mid}; "top" beats everyone in every group. mid vs spb: (spb - mid) = (-40, 30, -10),
    # gap 20/3; moving weight from g1 to g2 gains 70 per unit: 2/21 moved, L1 = 4/21. mid vs spa:
    # (30, -40, -40), gap 50/3, 70 per unit: 5/21 moved. "low" has two strict dominators: never top 2.
    assert res.top == ("top", "mid") and res.reproduced and res.source == "nominal"
    assert res.radius == pytest.approx(4 / 21, abs=1e-12)
    assert res.pair == ("mid", "spb")
    assert res.weights == pytest.approx({"g1": 1 / 3 - 2 / 21, "g2": 1 / 3 + 2 / 21, "g3": 1 / 3})
    # ordered: top vs mid never swap (top dominates), so the order radius is the set radius
    assert res.radius_order == pytest.approx(4 / 21)
    form = linear_form(v)
    rng = np.random.default_rng(0)
    for _ in range(2000):  # inside the radius the top 2 never changes ...
        step = rng.normal(size=3)
        step -= step.mean()
        w = form.w0 + step / np.abs(step).sum() * rng.uniform(0, 4 / 21 * 0.999)
        if (w < 0).any():
            continue
        s = form.coef @ w
        assert set(np.argsort(-s)[:2]) == {0, 3}
    # ... and at the returned weights the binding pair ties
    w = np.array([res.weights[c] for c in form.children])
    assert form.coef[3] @ w == pytest.approx(form.coef[2] @ w, abs=1e-9)
    assert res.to_dict()["moved"] == pytest.approx(2 / 21)


def test_stability_of_a_published_top_n_not_reproduced():
    v = flat_view(SWAP, ids=["A", "B", "C"])
    res = stability(v, 1, published_ranks={"B": 1, "A": 2, "C": 3})
    assert res.source == "published" and res.top == ("B",) and not res.reproduced
    assert res.radius == 0.0


def test_order_radius_inside_the_top_n():
    v = flat_view([[60, 60], [70, 52], [10, 10], [5, 5]], ids=["a", "b", "c", "d"])
    res = stability(v, 2)
    # a = 60, b = 61 at (0.5, 0.5): b ahead of a; they tie at 60 = 52 + 18 w -> w = 4/9, L1 = 2 (1/2 - 4/9)
    assert set(res.top) == {"a", "b"} and res.radius is None
    assert res.radius_order == pytest.approx(2 * (0.5 - 4 / 9), abs=1e-12)
    assert set(res.pair_order) == {"a", "b"}


def grid_top(coef: np.ndarray, w0: np.ndarray, n: int, step: float) -> np.ndarray:
    """Per city, the smallest L1 distance over a grid on the 3-simplex where it is in the top n (min ranks)."""
    m = round(1 / step)
    pts = np.array([(i, j, m - i - j) for i, j in itertools.product(range(m + 1), repeat=2) if i + j <= m]) / m
    s = pts @ coef.T  # G x U
    dist = np.abs(pts - w0).sum(axis=1)
    out = np.full(coef.shape[0], np.inf)
    for t in range(coef.shape[0]):
        ok = (s > s[:, t:t + 1]).sum(axis=1) <= n - 1
        if ok.any():
            out[t] = dist[ok].min()
    return out


@pytest.mark.parametrize("seed", range(4))
def test_enter_top_matches_a_grid_search(seed):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(25, 1))
    scores = 50 + 15 * base + 10 * rng.normal(size=(25, 3))
    v = flat_view(scores.tolist())
    form = linear_form(v)
    n = 4
    answers = enter_top_all(v, n)
    grid = grid_top(form.coef, form.w0, n, 1 / 300)
    assert sum(a.achievable and not a.already for a in answers) >= 2  # the MILP is exercised
    for t, a in enumerate(answers):
        if a.achievable:
            assert a.verified and a.rank_at_weights <= n
            # exact optimum: never worse than a feasible grid point, and close to the best of them
            assert a.l1 <= grid[t] + 1e-6
            assert grid[t] <= a.l1 + 0.03 or not np.isfinite(grid[t])
        else:
            assert not np.isfinite(grid[t])


def test_geometric_index_is_log_linear():
    v = flat_view([[80, 40], [50, 60], [10, 10]], ids=["A", "B", "C"], method="geometric")
    form = linear_form(v)
    assert form.transform == "log"
    # 80^w 40^(1-w) = 50^w 60^(1-w)  ->  w = log(60/40) / log(80 * 60 / (40 * 50))
    w_star = np.log(60 / 40) / np.log(80 * 60 / (40 * 50))
    ch = pass_city(v, "B", "A")
    assert ch.verified and ch.weights["g1"] == pytest.approx(w_star, abs=1e-6)
    assert ch.l1 == pytest.approx(2 * (0.5 - w_star), abs=1e-6)


def three_level_view(method_top: str = "arithmetic") -> IndexView:
    rng = np.random.default_rng(5)
    inds = [f"i{j}" for j in range(6)]
    pillars = (AggregateNode("p1", ("i0", "i1"), (1.0, 1.0)), AggregateNode("p2", ("i2", "i3"), (1.0, 1.0)),
               AggregateNode("p3", ("i4", "i5"), (1.0, 1.0)))
    subs = (AggregateNode("s1", ("p1", "p2"), (1.0, 1.0)), AggregateNode("s2", ("p3",), (1.0,)))
    top = (AggregateNode("Index", ("s1", "s2"), (1.0, 1.0), method_top),)  # type: ignore[arg-type]
    m = IndexModel(indicators=tuple(inds), directions=(1,) * 6, hierarchy=(pillars, subs, top),
                   normalisation=Normalisation("minmax", 1, 100))
    return IndexView(m, data_for(m, rng.uniform(size=(15, 6))))


def test_a_lower_node_and_unsupported_cases():
    v = three_level_view()
    form = linear_form(v, "s1")
    assert form.children == ("p1", "p2")
    res = enter_top_all(v, 3, node="s1")
    assert all(a.verified for a in res if a.achievable)
    with pytest.raises(WhatIfError, match="single child"):
        linear_form(v, "s2")
    with pytest.raises(WhatIfError, match="not an aggregate"):
        linear_form(v, "nope")
    mixed = three_level_view("geometric")
    with pytest.raises(WhatIfError, match="arithmetic -> geometric"):
        linear_form(mixed, "s1")
    assert linear_form(mixed).transform == "log"  # the index's own children: geometric all the way


def test_missing_child_score_is_refused():
    m = two_level_model({"g1": ["x1"], "g2": ["x2"]}, normalisation=Normalisation("none"))
    v = IndexView(m, data_for(m, np.array([[1.0, 2.0], [np.nan, 3.0], [2.0, 1.0]])))
    with pytest.raises(WhatIfError, match="miss a child"):
        linear_form(v)


def test_bad_questions():
    v = flat_view(SWAP, ids=["A", "B", "C"])
    with pytest.raises(WhatIfError, match="unknown city"):
        pass_city(v, "Z", "A")
    with pytest.raises(WhatIfError, match="itself"):
        pass_city(v, "A", "A")
    with pytest.raises(WhatIfError, match="N >= 1"):
        enter_top(v, "A", 0)
    with pytest.raises(WhatIfError, match="1 <= N < 3"):
        stability(v, 3)


# ------------------------------------------------------------------------------------------------
# property: the minimal change achieves the target, a slightly smaller one does not
# ------------------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(2, 6), seed=st.integers(0, 10_000), raw_w=st.lists(st.floats(0.05, 1.0), min_size=6,
                                                                         max_size=6))
def test_minimal_pairwise_change_is_minimal(k, seed, raw_w):
    rng = np.random.default_rng(seed)
    scores = rng.uniform(0, 100, size=(2, k))
    weights = {f"g{j + 1}": raw_w[j] for j in range(k)}
    v = flat_view(scores.tolist(), ids=["t", "x"], weights=weights)
    form = linear_form(v)
    d = form.coef[0] - form.coef[1]
    gap = -(d @ form.w0)
    assume(gap > 1e-3)  # t starts clearly behind x (else the answer is 0)
    ch = pass_city(v, "t", "x")
    lp = pass_city(v, "t", "x", solver="highs")
    assert ch.achievable == lp.achievable == bool(d.max() > 0)
    if not ch.achievable:
        return
    assert ch.l1 == pytest.approx(lp.l1, abs=1e-7)
    w = np.array([ch.weights[c] for c in form.children])
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)
    idx, _ = v.evaluate({"Index": w})
    assert idx[0, 0] > idx[0, 1] and ch.verified
    shorter = form.w0 + (1 - 1e-4) * (w - form.w0)
    idx, _ = v.evaluate({"Index": shorter})
    assert idx[0, 0] < idx[0, 1]

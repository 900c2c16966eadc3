"""Unknown facts never cost points in rules that give partial credit (issue 10, follow-up).

A rule judged over several facts (OP11's purpose, audience and perspective...) scores what its established
facts earn; the points its unknown facts could still add are "unassessed": left out of the dimension's
score, counted against the evidence coverage and into the range of the grade. The checks here pin the
arithmetic (scoring.dimension_scores), the shared mechanism (policy.parts_verdict) and its effect on the
bundled EIU Safe Cities spec and on the press-only calibration spec.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rankaudit.audit import audit
from rankaudit.rules.base import Verdict
from rankaudit.rules.policy import Part, PartState, parts_verdict
from rankaudit.scoring import Scored, dimension_scores
from rankaudit.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[2]
PRESS_ONLY = ROOT / "tests" / "calibration" / "press-only.yaml"
EIU_SAFE = ROOT / "specs" / "eiu-safe-cities-index-2021.yaml"


def _scale(declared: list[bool]) -> int:
    return 2 if all(declared) else 1 if any(declared) else 0


def test_unassessed_points_are_neither_earned_nor_lost() -> None:
    # one core rule met (4 of 4), one rule with 1 point earned and 1 resting on unknown facts
    scores = dimension_scores([
        Scored("opacity", 2, True),
        Scored("opacity", 1, False, unassessed=1),
    ])["opacity"]
    assert (scores.points, scores.max_points) == (5, 5) and scores.score == 100.0
    assert (scores.established_points, scores.unknown_points) == (5, 1)
    assert scores.coverage == round(5 / 6, 4)
    # the range: every unknown fact failing (5 of 6) or passing (6 of 6)
    assert (scores.low, scores.high) == (round(100 * 5 / 6, 2), 100.0)


def test_the_same_rule_with_its_fact_undisclosed_loses_the_point() -> None:
    scores = dimension_scores([Scored("opacity", 2, True), Scored("opacity", 1, False)])["opacity"]
    assert (scores.points, scores.max_points, scores.coverage) == (5, 6, 1.0)


@pytest.mark.parametrize(
    ("states", "score", "unassessed", "undisclosed"),
    [
        (("met", "unknown", "unknown"), 1, 1, False),  # earns 1 for sure; the other point is open
        (("met", "unknown", "missing"), 1, 0, False),  # 1 whatever the unknown fact says
        (("missing", "unknown", "unknown"), 0, 1, True),  # the undisclosed fact costs its point, no more
        (("unknown", "unknown", "unknown"), 0, 0, True),  # not assessed: rests on unknown facts alone
        (("met", "met", "met"), 2, 0, False),
    ],
)
def test_parts_verdict(states: tuple[PartState, ...], score: int, unassessed: int, undisclosed: bool) -> None:
    parts = [Part(name, ("ranking", name), state, absent=state == "missing")
             for name, state in zip(("purpose", "audience", "perspective"), states, strict=True)]
    verdict = parts_verdict(parts, _scale, "declared", ("ranking",))
    assert (verdict.score, verdict.unassessed, verdict.undisclosed) == (score, unassessed, undisclosed)
    unknown = [p.label for p in parts if p.unknown]
    if unknown:
        assert f"{', '.join(unknown)}: not found in the sources cited" in verdict.message
        assert "not declared" not in verdict.message
    if states == ("unknown",) * 3:
        assert set(verdict.facts) == {p.path for p in parts}  # the engine resolves them to not assessed


def test_a_verdict_cannot_leave_more_points_open_than_it_could_earn() -> None:
    with pytest.raises(ValueError, match="unassessed"):
        Verdict(2, "met", unassessed=1)
    with pytest.raises(ValueError, match="unassessed"):
        Verdict(0, "all open", unassessed=2)  # that is a rule not assessed


def test_eiu_safe_cities_audience_unknown_costs_nothing() -> None:
    result = audit(load_spec(str(EIU_SAFE.relative_to(ROOT))))
    op11 = next(f for f in result.findings if f.code == "OP11")
    assert op11.cost == 0 and op11.status == "scored" and op11.score == 1
    assert op11.message == (
        "declared: purpose; audience, perspective: not found in the sources cited, so 1 point of 2 is not assessed"
    )
    assert op11.status_text == "partly met; 1 point not assessed (not found in the sources cited)"
    assert op11.evidence["unassessed_points"] == 1


def test_the_press_only_spec_loses_nothing_to_unknown_facts() -> None:
    """The press articles describe the transparent ranking: every fact they state is its fact, so only unknown
    facts stand between the two, and those cost nothing. The grade stays provisional, with its range."""
    result = audit(load_spec(str(PRESS_ONLY.relative_to(ROOT))))
    assert [f.code for f in result.findings if f.cost > 0] == []
    assert result.provisional and result.overall_range is not None
    partial = {f.code for f in result.findings if f.evidence.get("unassessed_points")}
    assert {"OP11", "FR06"} <= partial


def test_one_part_from_unknown_to_undisclosed_costs_that_part() -> None:
    text = PRESS_ONLY.read_text(encoding="utf-8").replace(
        "undisclosed_means: not_in_sources_read", "undisclosed_means: verified"
    )
    assert "  audience: unknown\n" in text
    before = audit(load_spec(str(PRESS_ONLY.relative_to(ROOT)), text.encode()))
    after = audit(load_spec(str(PRESS_ONLY.relative_to(ROOT)),
                            text.replace("  audience: unknown\n", "  audience: undisclosed\n").encode()))
    old, new = (next(f for f in r.findings if f.code == "OP11") for r in (before, after))
    assert (old.score, old.cost, old.evidence.get("unassessed_points")) == (1, 0, 1)
    assert new.score == 1 and new.cost > 0 and "not declared: audience" in new.message
    assert "unassessed_points" not in new.evidence
    assert after.coverage is not None and before.coverage is not None and after.coverage > before.coverage

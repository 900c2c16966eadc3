"""Caps for indicators nobody has seen charge only for established gaps (issue 12 follow-up).

A rule that would certify unlisted indicators scores at most 1. When the gap is established (the
publisher's own documents read and silent: `children: undisclosed` read as the publisher's silence) the
capped point is lost; when it rests only on facts not found in the sources cited, or on the spec's own
partial transcription (`structure.complete: false`), the capped point is not assessed: neither earned
nor lost, counted against the evidence coverage.
"""

from __future__ import annotations

from pathlib import Path

from rankaudit.audit import audit
from rankaudit.rules.base import met
from rankaudit.rules.policy import Gap, cap_for_gap, join_gaps
from rankaudit.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[2]
TRANSPARENT = ROOT / "tests" / "calibration" / "transparent.yaml"


def test_an_established_gap_costs_the_capped_point() -> None:
    gap = Gap(established=("1 group (x) does not list its indicators",))
    verdict = cap_for_gap(met("all named", ("structure",)), gap)
    assert (verdict.score, verdict.unassessed) == (1, 0)
    assert "at most 1 point because 1 group (x) does not list its indicators" in verdict.message


def test_an_unknown_gap_leaves_the_capped_point_not_assessed() -> None:
    verdict = cap_for_gap(met("all named", ("structure",)), Gap(unknown=("the spec lists only part",)))
    assert (verdict.score, verdict.unassessed) == (1, 1)
    assert verdict.evidence["unassessed_points"] == 1
    assert "1 point of 2 is not assessed because the spec lists only part" in verdict.message


def test_one_established_reason_makes_a_mixed_gap_a_cost() -> None:
    gap = join_gaps(Gap(unknown=("partial transcription",)), None, Gap(established=("x does not list them",)))
    assert gap is not None and gap.established and gap.unknown
    verdict = cap_for_gap(met("all named", ("structure",)), gap)
    assert (verdict.score, verdict.unassessed) == (1, 0)


def test_a_verdict_below_2_is_never_capped() -> None:
    verdict = cap_for_gap(met("all named", ("structure",)), None)
    assert (verdict.score, verdict.unassessed) == (2, 0)


def _audited(text: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return audit(load_spec(str(path)))


def test_a_partial_transcription_costs_no_point_and_lowers_coverage(tmp_path: Path) -> None:
    """The transparent calibration ranking transcribed only in part: the capped points cost nothing and the
    coverage falls."""
    text = TRANSPARENT.read_text(encoding="utf-8")
    assert "structure:\n  aggregation: arithmetic\n" in text
    whole = _audited(text, tmp_path)
    partial = _audited(text.replace("structure:\n", "structure:\n  complete: false\n", 1), tmp_path)
    capped = [f for f in partial.findings if "is not assessed because the spec lists only part" in f.message]
    assert capped, "the partial transcription caps some rule"
    assert all(f.cost == 0 and f.score == 1 for f in capped)
    assert partial.coverage < whole.coverage
    # every output words the open point the same way (wording.status_text)
    assert all(f.status_text == "partly met; 1 point not assessed (not found in the sources cited)" for f in capped)

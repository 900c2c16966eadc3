"""The same words everywhere (issue 10): no output blames the publisher for a fact it was not shown to withhold.

Every bundled spec (and the press-only calibration spec) is rendered in every format. An output may say
that the publisher does not disclose a fact only for a finding whose absence the engine resolved as
`undisclosed` (the publisher's own documents read and silent): those findings are taken out of the
result before rendering, and what remains must not blame the publisher anywhere.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from rankaudit.audit import audit
from rankaudit.report.formats import REPORTS, RenderOptions
from rankaudit.result import AuditResult
from rankaudit.spec.load import load_spec
from rankaudit.wording import BLAME_PHRASES, blames_publisher

ROOT = Path(__file__).resolve().parents[1]
SPECS = [*sorted((ROOT / "specs").glob("*.yaml")), ROOT / "tests" / "calibration" / "press-only.yaml"]


@cache
def result_of(path: Path) -> AuditResult:
    # no statistics: the wording of absences is the engine's, with or without data
    return audit(load_spec(str(path.relative_to(ROOT))))


def _unknown_for_undisclosed(value: object) -> object:
    """A profile's verified `undisclosed` facts restated as unknown, which no output may blame on the publisher."""
    if value == "undisclosed":
        return "unknown"
    if isinstance(value, dict):
        return {k: _unknown_for_undisclosed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unknown_for_undisclosed(v) for v in value]
    return value


def without_verified_gaps(result: AuditResult) -> AuditResult:
    """The result without the findings, and the profile facts, that may rightly say the publisher does not
    disclose (a verified `undisclosed`: the publisher's own document read and silent)."""
    kept = [f for f in result.findings if f.absence != "undisclosed"]
    update: dict[str, object] = {"findings": kept, "root_causes": []} if len(kept) < len(result.findings) else {}
    profile = type(result.profile).model_validate(_unknown_for_undisclosed(result.profile.model_dump()))
    if profile != result.profile:
        update["profile"] = profile
    return result.model_copy(update=update)


def test_the_blame_check_recognises_blame() -> None:
    assert all(blames_publisher(f"OP05: {phrase}.") for phrase in BLAME_PHRASES)
    assert not blames_publisher("not found in the sources cited")


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_no_output_blames_the_publisher_for_an_unverified_gap(path: Path) -> None:
    result = without_verified_gaps(result_of(path))
    for name in REPORTS.names():
        output = REPORTS.get(name).render([result], RenderOptions(width=200))
        flat = " ".join(output.split())
        assert not blames_publisher(flat), f"{path.name} as {name}: {[p for p in BLAME_PHRASES if p in flat.lower()]}"


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_every_absence_is_worded_by_the_engine(path: Path) -> None:
    for f in result_of(path).findings:
        assert (f.absence is None) == (f.absence_text is None), f.code
        assert f.status_text, f.code
        if f.status == "not_assessed":
            assert f.absence == "unknown" and f.score is None and f.cost == 0
        if f.status == "blocked":
            assert f.blocked_by and f.message.startswith(f"not assessable: see {f.blocked_by}")


def test_the_wording_test_would_catch_blame() -> None:
    """The test above is not vacuous: findings resolved as undisclosed do print the blame words, in every
    format that prints findings."""
    spec = ROOT / "tests" / "calibration" / "black-box.yaml"
    result = audit(load_spec(str(spec.relative_to(ROOT))))
    assert any(f.absence == "undisclosed" for f in result.findings)
    for name in ("html", "md", "sarif", "github", "terminal", "junit", "csv", "json"):
        output = REPORTS.get(name).render([result], RenderOptions(width=200))
        assert blames_publisher(" ".join(output.split())), name


def test_missing_facts_are_worded_by_their_state() -> None:
    """OP05's missing facts in the one wording: only a verified silence says 'undisclosed', a tie known
    second-hand is 'missing', never undisclosed, and nothing blames the publisher."""
    from rankaudit.wording import missing_facts_text

    text = missing_facts_text([
        ("the publisher's type", "not_stated"),
        ("the publisher's own word on its tie to X (shareholder)", None),
        ("a conflict-of-interest statement", "not_stated"),
    ])
    assert text == ("the publisher's type, a conflict-of-interest statement: not stated; "
                    "missing: the publisher's own word on its tie to X (shareholder)")
    assert missing_facts_text([("a statement", "undisclosed")]) == "a statement: undisclosed"
    assert not blames_publisher(text)

"""The coherence audit's cut-offs are the SR rules' options: set in configuration, they reach the statistics."""

from __future__ import annotations

from pathlib import Path

from rankaudit.audit import audit_file, coherence_thresholds
from rankaudit.config import Config
from rankaudit.stats.coherence import DEFAULT_THRESHOLDS

ASEM = str(Path(__file__).resolve().parent.parent / "fixtures" / "asem" / "asem.yaml")


def test_default_options_are_the_default_thresholds() -> None:
    chosen = coherence_thresholds(Config())
    assert chosen == DEFAULT_THRESHOLDS


def test_options_set_the_thresholds() -> None:
    config = Config(rule_options={
        "SR01": {"indicator-availability": 0.8, "city-availability": 0.5},
        "SR02": {"skew": 1.5, "kurtosis": 2.0},
        "SR03": {"collinear-r": 0.8},
        "SR04": {"negative-r": 0.2},
        "SR07": {"size-r": 0.5},
    })
    t = coherence_thresholds(config)
    assert (t.availability_indicator, t.availability_unit, t.skew, t.kurtosis) == (0.8, 0.5, 1.5, 2.0)
    assert (t.collinear, t.negative, t.denominator) == (0.8, -0.2, 0.5)


def test_a_lower_collinearity_cut_off_flags_more_pairs_on_asem() -> None:
    def pairs(config: Config) -> tuple[int, str]:
        result = audit_file(ASEM, config, replications=0)
        sr03 = next(f for f in result.findings if f.code == "SR03")
        return len(sr03.evidence.get("pairs", [])), sr03.message + " / " + sr03.scoring

    default, _ = pairs(Config())
    lowered, text = pairs(Config(rule_options={"SR03": {"collinear-r": 0.6}}))
    assert lowered > default
    assert "0.6" in text  # the message and the scoring text say the cut-off in effect

"""Rankings of every kind described in the spec format, and the verdicts issue 11 asks for.

Each spec in tests/designs/ is one kind of ranking the bundled library did not contain; each test
states the verdicts its description must produce.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from rankaudit.audit import evaluate, statistics_for
from rankaudit.config import Config
from rankaudit.rules import all_rules
from rankaudit.rules.base import Verdict
from rankaudit.rules.context import AuditContext
from rankaudit.spec.load import LoadedSpec, load_spec

HERE = Path(__file__).parent
RULES = {r.code: r for r in all_rules()}


def verdicts(loaded: LoadedSpec, *, replications: int = 0) -> dict[str, Verdict]:
    stats = statistics_for(loaded, replications=replications, seed=1)
    ctx = AuditContext(loaded.spec, stats, loaded.tree)
    return {code: evaluate(rule, ctx, Config()) for code, rule in RULES.items()}


def load(name: str) -> LoadedSpec:
    return load_spec(HERE / name)


@pytest.mark.parametrize("path", sorted(HERE.glob("*.yaml")), ids=lambda p: p.stem)
def test_design_specs_validate(path: Path) -> None:
    loaded = load_spec(path)
    assert not [w for w in loaded.warnings if w.severity == "error"]


# ---- linear formula (deliverables 5 and 6)


def test_linear_formula_reproduces_scores_and_ranks() -> None:
    loaded = load("linear-formula.yaml")
    stats = statistics_for(loaded, replications=0, seed=1)
    assert stats is not None and stats.reproduction is not None
    rep = stats.reproduction
    assert rep.compared_by == "score" and rep.n_compared == 50
    assert rep.max_score_diff is not None and rep.max_score_diff <= 0.01
    assert rep.max_rank_shift == 0 and rep.exact_rank_share == 1.0
    floored = [u for u in stats.units if u.score == 0]
    assert len(floored) == 2  # the floor is exercised
    verdict = evaluate(RULES["SR09"], AuditContext(loaded.spec, stats), Config())
    assert verdict.score == 2, verdict.message
    assert "scores: mean difference" in verdict.message


def test_one_score_off_by_five_fails_sr09_naming_the_city(tmp_path: Path) -> None:
    for name in ("linear-formula.yaml", "linear-formula.values.csv", "linear-formula.published.csv"):
        shutil.copy(HERE / name, tmp_path / name)
    published = tmp_path / "linear-formula.published.csv"
    rows = list(csv.DictReader(published.open()))
    target = next(r for r in rows if r["id"] == "c03")
    target["score"] = f"{float(target['score']) + 5:.2f}"
    with published.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "score", "rank"])
        writer.writeheader()
        writer.writerows(rows)
    loaded = load_spec(tmp_path / "linear-formula.yaml")
    verdict = verdicts(loaded)["SR09"]
    assert verdict.score is not None and verdict.score < 2, verdict.message
    assert "City 03 (c03)" in verdict.message
    assert "largest 5" in verdict.message
    assert "not reproduced" in verdict.message

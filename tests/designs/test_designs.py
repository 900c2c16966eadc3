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
from rankaudit.diagnostics import Diagnostic, SpecError
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


def rejected(tmp_path: Path, name: str, old: str, new: str) -> list[Diagnostic]:
    """The diagnostics of a design spec with `old` replaced by `new` (which must make it invalid)."""
    text = (HERE / name).read_text()
    assert old in text, old
    (tmp_path / "spec.yaml").write_text(text.replace(old, new))
    with pytest.raises(SpecError) as err:
        load_spec(tmp_path / "spec.yaml")
    return err.value.diagnostics


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


# ---- the kinds of ranking (deliverable 1)


@pytest.mark.parametrize("name", ["single-measure.yaml", "separate-rankings.yaml", "classification.yaml"])
def test_composite_only_rules_do_not_apply_and_say_why(name: str) -> None:
    v = verdicts(load(name))
    for code in ("OP02", "QB07", "QB09", "FR11", "SR08"):
        assert v[code].score is None, (code, v[code].message)
    assert "combines nothing" in v["OP02"].message or "without combining" in v["OP02"].message
    assert "weights to publish" in v["OP02"].message
    assert v["OP07"].score is None and "nothing to normalise or aggregate" in v["OP07"].message


def test_separate_rankings_are_not_judged_as_an_index() -> None:
    v = verdicts(load("separate-rankings.yaml"))
    assert "strengths offset weaknesses" not in v["QB07"].message
    assert "weights not published" not in v["OP02"].message
    # each ranking counts alike: no cap for "counted without weights"
    assert v["QB02"].score == 2 and "capped" not in v["QB02"].message


def test_classification_lists_classes_and_checks_them(tmp_path: Path) -> None:
    loaded = load("classification.yaml")
    assert [c.class_ for c in loaded.spec.cities.members or []] == ["alpha++", "alpha+", "alpha", "beta"]
    found = rejected(tmp_path, "classification.yaml", "class: beta}", "class: gamma}")
    assert any(d.code == "RA116" and "gamma" in d.message for d in found)


def test_approximate_counts_and_publisher_facts() -> None:
    spec = load("single-measure.yaml").spec
    assert spec.cities.count == 160 and spec.cities.count_approximate
    assert spec.publisher.founded == 1917 and spec.publisher.authors == ["A. Writer", "B. Analyst"]
    assert verdicts(load("single-measure.yaml"))["CM09"].message.startswith("about 160 cities")


# ---- conflicts of interest (deliverable 2)


def test_bank_commission_is_a_mitigated_conflict() -> None:
    verdict = verdicts(load("bank-commissioned.yaml"))["OP05"]
    assert verdict.score == 1
    for words in ("Example Global Bank (commissioner)", "lends to and advises", "example.org/competitiveness/report",
                  "mitigates"):
        assert words in verdict.message
    assert "undisclosed" not in verdict.message and "not disclosed" not in verdict.message


def test_bank_commission_without_a_statement_scores_0(tmp_path: Path) -> None:
    text = (HERE / "bank-commissioned.yaml").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.startswith("conflict_of_interest:"))
    (tmp_path / "spec.yaml").write_text(text + "\n")
    verdict = verdicts(load_spec(tmp_path / "spec.yaml"))["OP05"]
    assert verdict.score == 0 and not verdict.undisclosed
    assert "Example Global Bank (commissioner)" in verdict.message and "no conflict-of-interest statement" in (
        verdict.message
    )


# ---- weight provenance, partly published and joint weights, several source types (deliverables 3, 4)


def test_survey_weighted_index() -> None:
    v = verdicts(load("survey-weighted.yaml"))
    assert v["OP02"].score == 1
    assert "3 of 4 top-level weights are published (75% of the index)" in v["OP02"].message
    assert "a public survey of 2,000 people" in v["OP02"].message
    # the crowd-sourced perception survey counts as a survey and as crowd-sourced, in every rule
    assert "safety" in v["QB02"].message and "safety" in v["QB03"].message
    assert v["QB11"].score == 2 and v["FR05"].score == 2
    assert "the weights themselves were set by a public survey" in v["QB02"].message


def test_weight_survey_without_its_size_is_a_survey_gap(tmp_path: Path) -> None:
    text = (HERE / "survey-weighted.yaml").read_text().replace("    size: 2000\n", "")
    (tmp_path / "spec.yaml").write_text(text)
    verdict = verdicts(load_spec(tmp_path / "spec.yaml"))["FR05"]
    assert verdict.score == 1 and "index (no sample size)" in verdict.message


def test_joint_weights_are_checked(tmp_path: Path) -> None:
    found = rejected(tmp_path, "survey-weighted.yaml", "weight: 0.25, cite", "weight: 0.75, cite")
    assert any(d.code == "RA104" and "sum to 1.25" in d.message for d in found)
    found = rejected(tmp_path, "survey-weighted.yaml", "[transport, housing]", "[transport, hospitals]")
    assert any(d.code == "RA116" and "hospitals" in d.message for d in found)


CULTURE = """    - id: culture
      name: Culture
      weight: undisclosed
      source: {name: venue listings, type: web_scraped}
      reference_year: 2022
"""
PARTIAL_GROUP = """    - id: culture
      name: Culture
      weight: undisclosed
      complete: false
      children: [{id: venues, name: Cultural venues, reference_year: 2022}]
"""


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("structure:\n", "structure:\n  group_count: 6\n", "more groups than are listed under index (group_count)"),
        (CULTURE, PARTIAL_GROUP, "1 group (culture) lists only part of its children (complete: false)"),
    ],
    ids=["group_count", "partial group"],
)
def test_counts_and_partial_groups_are_listing_gaps(tmp_path: Path, old: str, new: str, why: str) -> None:
    text = (HERE / "survey-weighted.yaml").read_text()
    assert old in text
    (tmp_path / "spec.yaml").write_text(text.replace(old, new, 1))
    verdict = verdicts(load_spec(tmp_path / "spec.yaml"))["FR02"]
    assert verdict.score == 1 and why in verdict.message, verdict.message


# ---- scope and time (deliverable 8)


def test_national_ranking_is_judged_within_its_country() -> None:
    v = verdicts(load("survey-weighted.yaml"))
    assert v["CM01"].score == 2 and "country to country" not in v["CM01"].message
    assert "Examplestan" in v["CM01"].message
    assert "within one country" in v["CM02"].message


def test_forecast_edition_is_not_fresh_data() -> None:
    loaded = load("forecast-edition.yaml")  # no RA106 for 2026 data in a 2025 edition: they are forecasts
    v = verdicts(loaded)
    for code in ("FR02", "FR03"):
        assert v[code].score is None and "forecasts" in v[code].message, (code, v[code].message)


def test_forecast_years_without_the_flag_are_ra106(tmp_path: Path) -> None:
    assert [d.code for d in rejected(tmp_path, "forecast-edition.yaml", "  forecast: true\n", "")] == ["RA106"]


def test_continuous_site_is_dated_by_its_snapshot(tmp_path: Path) -> None:
    v = verdicts(load("continuous-site.yaml"))
    assert v["FR09"].score == 2 and "2026-11-20" in v["FR09"].message
    assert v["FR02"].score == 2  # lags are counted from the snapshot's year
    found = rejected(tmp_path, "continuous-site.yaml", "  snapshot: 2026-11-20\n", "")
    assert [d.code for d in found] == ["RA117"]


# ---- the formula's effective weights and the uncertainty design (deliverables 5 and 7)


def test_formula_terms_weigh_by_their_share_of_variance() -> None:
    with_data = verdicts(load("linear-formula.yaml"))
    assert "share of the score's variance" in with_data["QB09"].message
    assert with_data["QB09"].evidence["flagged"]["crime"] > 3  # crime carries most of the score's variance
    assert with_data["OP02"].score == 2 and with_data["OP07"].score == 2
    assert with_data["QB07"].score == 1 and "linear formula" in with_data["QB07"].message


def test_formula_on_unlike_scales_without_data_is_not_assessable(tmp_path: Path) -> None:
    text = (HERE / "linear-formula.yaml").read_text()
    (tmp_path / "spec.yaml").write_text(text[: text.index("data:")])
    verdict = verdicts(load_spec(tmp_path / "spec.yaml"))["QB09"]
    assert verdict.score is None and "unlike scales" in verdict.message


def test_formula_design_holds_the_nominal_formula() -> None:
    from rankaudit.stats.from_spec import model_from_spec

    model = model_from_spec(load("linear-formula.yaml").spec).model
    assert model.formula is not None and model.formula.values == {"intercept": 100.0, "floor": 0.0, "ceiling": None}
    design = model.uncertainty
    assert design.weight_noise == ((1, 0.25),) and not design.normalisations and not design.aggregations


def test_sr10_gives_no_verdict_below_the_distinct_build_minimum(tmp_path: Path) -> None:
    for name in ("linear-formula.values.csv", "linear-formula.published.csv"):
        shutil.copy(HERE / name, tmp_path / name)
    text = (HERE / "linear-formula.yaml").read_text()
    text = text.replace("  normalisation: none\n  formula:", "  normalisation: minmax\n  aggregation: arithmetic\n"
                        "  unused_formula:")
    text = text[: text.index("  unused_formula:")] + text[text.index("structure:"):]
    text += "uncertainty:\n  aggregation: [arithmetic, geometric]\n  normalisation: [{method: minmax, lower: 1}]\n"
    (tmp_path / "spec.yaml").write_text(text)
    verdict = verdicts(load_spec(tmp_path / "spec.yaml"), replications=200)["SR10"]
    assert verdict.score is None
    assert "builds only 2 distinct indices over 200 replications" in verdict.message

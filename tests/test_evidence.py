"""Evidence states per fact, coverage, root causes and `rankaudit migrate` (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rankaudit.audit import audit
from rankaudit.cli import app
from rankaudit.evidence import absence_at, resolve
from rankaudit.scoring import PROVISIONAL_BELOW, Scored, dimension_scores, grade_text, overall_coverage
from rankaudit.spec.load import load_spec
from rankaudit.spec.migrate import _undisclosed_paths, migrate_text
from rankaudit.spec.schema import spec_schema_text
from rankaudit.spec.yamlsafe import load_yaml
from tests.diagnostics.triggers import HEAD as TRIGGER_HEAD

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "specs").glob("*.yaml"))
EIU = "specs/eiu-liveability-2025.yaml"
JRC = "specs/jrc-cultural-creative-cities-monitor-2019.yaml"

# the registry's one-indicator spec, with the fact the tests turn from one state into another
HEAD = TRIGGER_HEAD.replace("  published: 2024-05-01\n", "  published: 2024-05-01\n  uncertainty_published: {u}\n")


def spec_text(uncertainty: str = "undisclosed", means: str | None = None, extra: str = "") -> str:
    text = HEAD.replace("{u}", uncertainty) + extra
    return text + (f"undisclosed_means: {means}\n" if means else "")


def loaded(text: str, tmp_path: Path, name: str = "spec.yaml") -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_spec(str(path))


# ---- states


@pytest.mark.parametrize(
    ("value", "means", "state"),
    [
        ("undisclosed", None, "undisclosed"),
        ("undisclosed", "publisher_silent", "undisclosed"),
        ("undisclosed", "not_in_sources_read", "unknown"),
        ("undisclosed", "verified", "undisclosed"),
        ("unknown", None, "unknown"),
        ("unknown", "verified", "unknown"),
    ],
)
def test_the_state_of_an_explicit_absence(value: str, means: str | None, state: str, tmp_path: Path) -> None:
    spec = loaded(spec_text(value, means), tmp_path).spec
    assert absence_at(spec, ("ranking", "uncertainty_published")) == state


@pytest.mark.parametrize(("means", "state"), [(None, "not_stated"), ("not_in_sources_read", "unknown"),
                                              ("verified", "unknown")])
def test_the_state_of_a_key_left_out(means: str | None, state: str, tmp_path: Path) -> None:
    spec = loaded(spec_text("true", means), tmp_path).spec
    assert absence_at(spec, ("cities", "selection_rule")) == state
    assert absence_at(spec, ("method", "missing_data")) == state  # a missing parent too


def test_one_verified_gap_scores_a_finding_resting_on_several_facts(tmp_path: Path) -> None:
    spec = loaded(spec_text("unknown", extra="conflict_of_interest: undisclosed\n"), tmp_path).spec
    both = [("ranking", "uncertainty_published"), ("conflict_of_interest",)]
    assert resolve(spec, both) == "undisclosed"
    assert resolve(spec, both[:1]) == "unknown"
    # a key left out beside an explicit unknown says nothing more: still not assessed
    assert resolve(spec, [both[0], ("sponsors",)]) == "unknown"


def test_unknown_is_accepted_wherever_undisclosed_is() -> None:
    schema = json.loads(spec_schema_text())

    def enums(node: Any) -> list[list[Any]]:
        if isinstance(node, dict):
            found = [node["enum"]] if "enum" in node else []
            if "const" in node:
                found.append([node["const"]])
            return found + [e for v in node.values() for e in enums(v)]
        if isinstance(node, list):
            return [e for v in node for e in enums(v)]
        return []

    with_undisclosed = [e for e in enums(schema) if "undisclosed" in e]
    assert with_undisclosed
    assert all("unknown" in e for e in with_undisclosed), [e for e in with_undisclosed if "unknown" not in e]


def test_unknown_short_forms_stay_unknown(tmp_path: Path) -> None:
    extra = "method:\n  normalisation: unknown\n"
    text = spec_text("unknown", extra=extra).replace(
        "- {id: a, name: A}", "- {id: a, name: A, weight: unknown, source: unknown, reference_year: unknown}"
    )
    spec = loaded(text, tmp_path).spec
    ind = spec.structure.children[0]
    assert (ind.weight, ind.source, ind.reference_year) == ("unknown", "unknown", "unknown")
    assert spec.method is not None and spec.method.normalisation == "unknown"


# ---- scoring


def test_an_unknown_fact_is_not_assessed_and_an_undisclosed_one_costs(tmp_path: Path) -> None:
    unknown = audit(loaded(spec_text("unknown"), tmp_path, "u.yaml"))
    verified = audit(loaded(spec_text("undisclosed"), tmp_path, "v.yaml"))
    qb10u = next(f for f in unknown.findings if f.code == "QB10")
    qb10v = next(f for f in verified.findings if f.code == "QB10")
    assert (qb10u.status, qb10u.score, qb10u.cost, qb10u.absence) == ("not_assessed", None, 0.0, "unknown")
    assert qb10u.absence_text == "not found in the sources cited"
    assert (qb10v.status, qb10v.score, qb10v.absence) == ("scored", 0, "undisclosed")
    assert qb10v.cost > 0 and qb10v.absence_text == "not disclosed by the publisher"
    qb_u = next(d for d in unknown.dimensions if d.dimension == "quantitative_bias")
    qb_v = next(d for d in verified.dimensions if d.dimension == "quantitative_bias")
    assert qb_u.coverage is not None and qb_v.coverage is not None and qb_u.coverage < qb_v.coverage


def test_coverage_counts_rule_points_and_weighs_dimensions_as_the_score() -> None:
    scores = dimension_scores(
        [
            Scored("opacity", 2, True),  # 4 established points
            Scored("opacity", None, False, "unknown"),  # 2 unknown
            Scored("opacity", None, False, "established", "OP12"),  # blocked by an established root: 2 established
            Scored("opacity", None, False),  # not applicable: neither
            Scored("freshness", None, True, "unknown", "OP12"),  # blocked by an unknown root
        ]
    )
    assert scores["opacity"].coverage == 0.75 and scores["opacity"].score == 100
    assert scores["freshness"].coverage == 0.0 and scores["freshness"].score is None
    assert scores["freshness"].reason == (
        "not assessable: its rules are blocked by OP12; the facts its rules read are not found in the sources cited"
    )
    assert overall_coverage(scores) == round((25 * 0.75 + 15 * 0.0) / 40, 4)


def test_the_grade_text() -> None:
    assert grade_text("E", 0.58) == "E, provisional: 58% of the questions answered from the sources cited"
    assert grade_text("A", 1.0) == "A (100% of the questions answered from the sources cited)"
    # rounded down, so that a provisional grade never shows the threshold itself
    assert grade_text("C", PROVISIONAL_BELOW - 0.001).endswith(": 69% of the questions answered from the sources cited")
    assert grade_text(None, None) == "not assessable"
    assert grade_text("B", 0.56, (20.0, 90.0)).endswith("; E to A as the others are answered")
    assert grade_text("B", 0.9, (20.0, 90.0)) == "B (90% of the questions answered from the sources cited)"


def test_the_json_result_carries_coverage_and_the_provisional_flag(tmp_path: Path) -> None:
    data = json.loads(audit(loaded(spec_text("unknown"), tmp_path)).model_dump_json())
    keys = list(data)
    assert keys.index("grade") < keys.index("coverage") < keys.index("provisional") < keys.index("grade_text")
    assert isinstance(data["coverage"], float) and isinstance(data["provisional"], bool)
    assert all("coverage" in d and "provisional" in d for d in data["dimensions"])
    assert all({"status", "absence", "absence_text", "blocked_by", "blocks"} <= set(f) for f in data["findings"])


# ---- one root cause counted once


@pytest.mark.parametrize("spec", [EIU, JRC])
def test_no_indicator_listed_is_one_root_cause(spec: str) -> None:
    result = audit(load_spec(spec))
    root = next(f for f in result.findings if f.code == "OP12")
    assert root.message.startswith("no indicator is listed")
    blocked = [f for f in result.findings if f.blocked_by == "OP12"]
    assert len(blocked) >= 10 and root.blocks == [f.code for f in blocked]
    assert all(f.status == "blocked" and f.cost == 0 and "see OP12" in f.message for f in blocked)
    # the fact appears once as a finding of its own; every other mention points to OP12
    own = [f for f in result.findings if "no indicator is listed" in f.message and f.blocked_by is None]
    assert own == [root]
    assert result.root_causes and result.root_causes[0].startswith("No indicator is listed") and "(OP12;" in (
        result.root_causes[0]
    )


def test_a_dimension_all_blocked_is_not_assessable_with_the_reason(tmp_path: Path) -> None:
    text = spec_text("undisclosed").replace(
        "    - {id: a, name: A}\n", "    - {id: a, name: A, weight: 1, children: undisclosed}\n"
    )
    result = audit(loaded(text, tmp_path))
    for d in result.dimensions:
        if d.score is None and d.dimension != "statistical_robustness":
            assert d.reason and d.reason.startswith("not assessable: ")


# ---- migrate


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_migration_keeps_the_audit_and_the_comments(path: Path) -> None:
    raw = path.read_bytes()
    name = str(path.relative_to(ROOT))
    migration = migrate_text(raw, name)
    assert "undisclosed_means: verified" in migration.migrated
    if b"undisclosed_means: verified" in raw:  # already migrated: kept as it is, verified `undisclosed` facts too
        assert migration.rewritten == 0 and migration.migrated == raw.decode()
    else:
        assert not _undisclosed_paths(load_yaml(migration.migrated.encode(), name).data, ())
    before = [line for line in raw.decode().splitlines() if line.lstrip().startswith("#")]
    after = [line for line in migration.migrated.splitlines() if line.lstrip().startswith("#")]
    assert before == after
    old, new = audit(load_spec(name, raw)), audit(load_spec(name, migration.migrated.encode()))
    assert [(f.code, f.score, f.status, f.absence, f.message) for f in old.findings] == [
        (f.code, f.score, f.status, f.absence, f.message) for f in new.findings
    ]
    assert (old.overall, old.coverage) == (new.overall, new.coverage)


def test_migrate_prints_a_diff_and_writes_with_write(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    text = spec_text("undisclosed", "not_in_sources_read", "# a comment kept\n")
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["migrate", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "-  uncertainty_published: undisclosed" in shown.stdout
    assert "+  uncertainty_published: unknown" in shown.stdout
    assert path.read_text(encoding="utf-8") == text  # nothing written without --write
    written = runner.invoke(app, ["migrate", "--write", str(path)])
    assert written.exit_code == 0
    new = path.read_text(encoding="utf-8")
    assert "uncertainty_published: unknown" in new and "# a comment kept" in new
    assert "undisclosed_means: verified" in new
    again = runner.invoke(app, ["migrate", str(path)])
    assert again.exit_code == 0 and again.stdout == ""  # a migrated spec has nothing left to migrate


def test_migrate_leaves_a_publisher_silent_spec_and_fails_on_an_invalid_one(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(spec_text("undisclosed"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("spec_version: 1\nranking: {}\n", encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["migrate", str(good)])
    assert ok.exit_code == 0 and ok.stdout == ""
    failed = runner.invoke(app, ["migrate", str(bad)])
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    missing = runner.invoke(app, ["migrate", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2


# ---- the warning for undisclosed facts without the publisher's document


def test_undisclosed_facts_without_a_publisher_document_warn(tmp_path: Path) -> None:
    warned = loaded(spec_text("undisclosed"), tmp_path, "w.yaml").warnings
    assert [w.code for w in warned] == ["RA122"]
    marked = spec_text("undisclosed", extra="sources:\n  m: {url: 'https://example.org/m.pdf', "
                       "publisher_document: methodology}\n")
    assert not loaded(marked, tmp_path, "m.yaml").warnings
    assert not loaded(spec_text("unknown"), tmp_path, "u.yaml").warnings
    assert not loaded(spec_text("undisclosed", "not_in_sources_read"), tmp_path, "n.yaml").warnings

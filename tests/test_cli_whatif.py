"""`rankaudit claims` and `rankaudit rerank` end to end: hand-computed answers, the audit's intervals, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ASEM = ROOT / "fixtures" / "asem" / "asem.yaml"

# Two groups of one indicator each, already on [0, 100] (min-max to [0, 100] leaves them as they are).
# With w the share of G1: Aachen scores 20 + 80 w, Bern 100 - 60 w, Dublin 50, Cork 0.
# Aachen passes Bern exactly at w = 4/7 (nominal w = 1/2): L1 distance 2 (4/7 - 1/2) = 1/7.
SPEC = """\
spec_version: 1
ranking: {name: Synthetic swap, edition: '2026'}
publisher: {name: Test publisher}
cities:
  count: 4
  list:
  - {name: NAME_A, id: A}
  - {name: Bern, id: B}
  - {name: Cork, id: C}
  - {name: Dublin, id: D}
method:
  normalisation: {method: minmax, lower: 0, upper: 100}
  aggregation: arithmetic
  weighting: equal
structure:
  weighting: equal
  aggregation: arithmetic
  children:
  - id: G1
    name: Group one
    children:
    - {id: x1, name: Indicator one, direction: higher}
  - id: G2
    name: Group two
    children:
    - {id: x2, name: Indicator two, direction: higher}
data:
  values: values.csv
  id_column: id
  name_column: name
uncertainty:
  weights: {factor: 0.25, levels: [1]}
"""
# Weights +/-25 % each: w = (1 + a) / (2 + a + b), a, b ~ U(-1/4, 1/4). Aachen is ahead of Bern when
# 3a - 4b > 1: a triangle of area 3/128 in a square of area 1/4, so P = 3/32 = 0.09375.
P_AACHEN_AHEAD = 3 / 32


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rankaudit.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.fixture()
def synthetic(tmp_path: Path) -> Path:
    return _synthetic(tmp_path, "Aachen")


def _synthetic(folder: Path, name_a: str) -> Path:
    (folder / "spec.yaml").write_text(SPEC.replace("NAME_A", json.dumps(name_a)), encoding="utf-8")
    quoted = '"' + name_a.replace('"', '""') + '"'  # CSV quoting: the characters themselves reach the data
    (folder / "values.csv").write_text(f"id,name,x1,x2\nA,{quoted},100,20\nB,Bern,40,100\n"
                                       "C,Cork,0,0\nD,Dublin,50,50\n", encoding="utf-8")
    return folder / "spec.yaml"


def _json(proc: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------------------ claims
def test_claims_share_matches_the_hand_computed_probability(synthetic: Path) -> None:
    reps = 4000
    doc = _json(run("claims", str(synthetic), "--claim", "ahead of Aachen", "--claim", "rank 3", "-n", str(reps),
                    "-f", "json"))
    by_id = {c["id"]: c for c in doc["cities"]}
    assert doc["n_runs"] == reps and doc["threshold"] == 0.9
    bern = {v["claim"]: v for v in by_id["B"]["verdicts"]}
    se = (P_AACHEN_AHEAD * (1 - P_AACHEN_AHEAD) / reps) ** 0.5
    assert abs(bern["ahead of Aachen"]["share"] - (1 - P_AACHEN_AHEAD)) < 4 * se
    # only the claims asked (no defaults), and never "ahead of itself"
    assert set(bern) == {"ahead of Aachen", "rank 3"}
    assert [v["claim"] for v in by_id["A"]["verdicts"]] == ["rank 3"]
    dublin = {v["claim"]: v for v in by_id["D"]["verdicts"]}
    assert dublin["rank 3"]["share"] == 1.0 and dublin["rank 3"]["holds"]
    assert by_id["D"]["q05_rank"] == by_id["D"]["q95_rank"] == 3.0 and by_id["D"]["indistinguishable"] == []
    assert "B" in by_id["A"]["indistinguishable"]
    # the threshold decides: 0.906 holds at 0.85, not at 0.95
    for threshold, holds in (("0.85", True), ("0.95", False)):
        d = _json(run("claims", str(synthetic), "Bern", "-c", "ahead of A", "-n", str(reps), "--threshold", threshold,
                      "-f", "json"))
        assert [c["id"] for c in d["cities"]] == ["B"]
        assert d["cities"][0]["verdicts"][0]["holds"] is holds


def test_claims_intervals_are_the_audits(tmp_path: Path) -> None:
    from rankaudit.spec.load import load_spec
    from rankaudit.stats.from_spec import run_statistical_audit

    loaded = load_spec(str(ASEM))
    audit = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=300, seed=4, n_boot=10)
    out = tmp_path / "claims.json"
    proc = run("claims", str(ASEM), "-n", "300", "--seed", "4", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))  # format from the suffix
    by_id = {c["id"]: c for c in doc["cities"]}
    assert len(by_id) == 51 and doc["n_runs"] == audit.parameters.replications
    for u in audit.units:
        c = by_id[u.id]
        assert (c["nominal_rank"], c["q05_rank"], c["median_rank"], c["q95_rank"]) == (
            u.rank, u.q05_rank, u.median_rank, u.q95_rank)


def test_claims_formats_sanitise_names(tmp_path: Path) -> None:
    spec = _synthetic(tmp_path, "<script>x</script>\x1b[31m*A*")
    term = run("claims", str(spec), "-n", "200")
    assert term.returncode == 0 and "\x1b" not in term.stdout and "\\x1b[31m" in term.stdout
    page = run("claims", str(spec), "-n", "200", "-f", "html")
    assert "<script>" not in page.stdout and "&lt;script&gt;" in page.stdout
    assert page.stdout.startswith("<!DOCTYPE html>") and 'class="rankaudit-claims"' in page.stdout
    md = run("claims", str(spec), "-n", "200", "-f", "md")
    assert "\\<script\\>" in md.stdout and "\\*A\\*" in md.stdout and "| Rank | City |" in md.stdout


def test_claims_errors(tmp_path: Path, synthetic: Path) -> None:
    no_data = run("claims", str(ROOT / "fixtures" / "specs" / "well-documented.yaml"))
    assert no_data.returncode == 1 and "data.values" in no_data.stderr and "Traceback" not in no_data.stderr
    unknown = run("claims", str(synthetic), "-c", "ahead of Bernn")
    assert unknown.returncode == 1 and "near matches: Bern" in unknown.stderr and "spec.yaml: error:" in unknown.stderr
    bad = run("claims", str(synthetic), "-c", "best city")
    assert bad.returncode == 1 and "cannot read the claim" in bad.stderr
    usage = run("claims", str(synthetic), "--threshold", "1.5")
    assert usage.returncode == 2
    missing = run("claims", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


# ------------------------------------------------------------------------------------------------ rerank
def test_rerank_finds_the_hand_computed_swap_weight(synthetic: Path) -> None:
    doc = _json(run("rerank", str(synthetic), "--target", "pass Bern", "--city", "Aachen", "-f", "json"))
    (change,) = doc["changes"]
    assert change["achievable"] and change["verified"] and change["rank_at_weights"] == 1
    assert abs(change["weights"]["G1"] - 4 / 7) < 1e-6
    assert abs(change["l1"] - 1 / 7) < 1e-6


def test_rerank_says_when_no_valid_weights_exist(synthetic: Path) -> None:
    doc = _json(run("rerank", str(synthetic), "--target", "top 2", "--city", "Cork", "-f", "json"))
    (change,) = doc["changes"]
    assert not change["achievable"] and change["weights"] is None
    assert "no valid weights" in change["reason"]
    text = run("rerank", str(synthetic), "--target", "top 2", "--city", "Cork")
    assert text.returncode == 0 and "no valid weights put it in the top 2" in text.stdout


def test_rerank_weights_and_stability(synthetic: Path, tmp_path: Path) -> None:
    weights = tmp_path / "w.yaml"
    weights.write_text("G1: 0.8\n", encoding="utf-8")
    doc = _json(run("rerank", str(synthetic), "--weights", str(weights), "--stability", "1", "-f", "json"))
    rows = {r["id"]: r for r in doc["rerank"]["rows"]}
    # at w = 0.8: Aachen 84, Bern 52, Dublin 50, Cork 0; at w = 0.5 Bern (70) led Aachen (60)
    assert [r["id"] for r in doc["rerank"]["rows"]] == ["A", "B", "D", "C"]
    assert rows["A"]["score"] == pytest.approx(84) and rows["A"]["shift"] == 1 and rows["A"]["driver"] == "G1"
    assert doc["rerank"]["weights"]["index"] == pytest.approx({"G1": 0.8, "G2": 0.2})
    stab = doc["stability"]
    # Bern stays first until Aachen ties it at w = 4/7: an L1 radius of 1/7
    assert stab["top"] == ["B"] and stab["radius"] == pytest.approx(1 / 7, abs=1e-9) and stab["pair"] == ["B", "A"]
    # --weight wins over the file, and every format renders
    for fmt, marker in (("terminal", "Ranks"), ("md", "### Ranks"), ("html", 'class="rankaudit-rerank"')):
        proc = run("rerank", str(synthetic), "--weights", str(weights), "--weight", "G1=0.5", "-f", fmt)
        assert proc.returncode == 0 and marker in proc.stdout, proc.stderr
    md = run("rerank", str(synthetic), "--weights", str(weights), "-w", "G1=0.5", "-f", "md").stdout
    assert "| index | G1 | 50.0% | 50.0% |" in md


def test_rerank_errors(synthetic: Path, tmp_path: Path) -> None:
    assert run("rerank", str(synthetic)).returncode == 2  # no question asked
    bad = run("rerank", str(synthetic), "--weight", "G1")
    assert bad.returncode == 2 and "ID=VALUE" in bad.stderr
    unknown = run("rerank", str(synthetic), "--weight", "G11=0.2")
    assert unknown.returncode == 1 and "not an element of the index" in unknown.stderr
    assert "did you mean" in unknown.stderr
    city_less = run("rerank", str(synthetic), "--target", "pass Bern")
    assert city_less.returncode == 1 and "--city" in city_less.stderr
    target = run("rerank", str(synthetic), "--target", "first place", "--city", "A")
    assert target.returncode == 1 and "cannot read the target" in target.stderr
    weights = tmp_path / "w.yaml"
    weights.write_text("G1: lots\n", encoding="utf-8")
    text = run("rerank", str(synthetic), "--weights", str(weights))
    assert text.returncode == 1 and "must be a number" in text.stderr
    no_data = run("rerank", str(ROOT / "fixtures" / "specs" / "well-documented.yaml"), "--stability", "3")
    assert no_data.returncode == 1 and "data.values" in no_data.stderr
    for proc in (bad, unknown, city_less, target, text, no_data):
        assert "Traceback" not in proc.stderr


def test_milp_answers_keep_stdout_parseable() -> None:
    # 'top 10' by the pillars of Connectivity: a MILP per city (HiGHS), and stdout stays one JSON document
    doc = _json(run("rerank", str(ASEM), "--target", "top 10", "--node", "Conn", "-f", "json"))
    assert max(c["competitors"] for c in doc["changes"]) > 0  # the MILP ran
    assert all(c["verified"] for c in doc["changes"] if c["achievable"])
    # the guard itself: what native code writes to descriptor 1 meanwhile is dropped, Python's output is kept
    code = ("import os, sys\nfrom rankaudit.cli import _native_stdout_silenced\n"
            "print('before', flush=True)\nwith _native_stdout_silenced():\n    os.write(1, b'Running HiGHS\\n')\n"
            "print('after')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout == "before\nafter\n", proc.stderr

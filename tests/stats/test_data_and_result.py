from __future__ import annotations

import json

import numpy as np
import pytest

from rankaudit.stats.coherence import cronbach_alpha, pca, reproduce
from rankaudit.stats.correlation import correlation_ratio
from rankaudit.stats.data import DataError, load_values
from rankaudit.stats.result import UnitResult, clean_number


def write(tmp_path, text):
    p = tmp_path / "v.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_load_values_ok(tmp_path):
    p = write(tmp_path, 'id,name,x,y,pop\nA,"Alpha",1,NA,10\nB,Beta,2.5,,20\n\nC,Gamma,3,4,30\n')
    d = load_values(p, ["x", "y"], id_column="id", name_column="name", numeric_columns=["pop"])
    assert d.ids == ("A", "B", "C")
    assert d.names == ("Alpha", "Beta", "Gamma")
    np.testing.assert_array_equal(np.isnan(d.values), [[False, True], [False, True], [False, False]])
    assert d.numeric["pop"].tolist() == [10, 20, 30]
    assert list(d.to_frame().columns) == ["x", "y", "pop"]


@pytest.mark.parametrize(("text", "message", "line", "column"), [
    ("id,x\nA,1\nB,abc\n", "non-numeric value 'abc' in column 'x'", 3, 2),
    ("id,x\nA,1\nA,2\n", "duplicate unit id 'A' (first on line 2)", 3, 1),
    ("id,z\nA,1\n", "missing indicator column 'x'", 1, None),
    ("id,x\nA,1\nZZ,2\n", "unknown unit id 'ZZ'", 3, 1),
    ("id,x\nA,1,2\n", "row has 3 fields, header has 2", 2, 3),
    ("id,x,y\nA,1\n", "row has 2 fields, header has 3", 2, 3),
    ("id,x\nA,4_097\n", "non-numeric value '4_097'", 2, 2),
    ("id,x\nA,\u0664\u0660\n", "non-numeric value", 2, 2),
    ("id,x\nA,\uff14\uff10\n", "non-numeric value", 2, 2),
    ("id,x\nA,0x10\n", "non-numeric value", 2, 2),
    ('id,x\n"A\nB",1\nA,x\n', "non-numeric value 'x'", 4, 2),
    ("", "values file is empty", 1, None),
    ("id,x\nA,inf\n", "non-numeric value 'inf'", 2, 2),
])
def test_load_values_errors_are_located(tmp_path, text, message, line, column):
    p = write(tmp_path, text)
    with pytest.raises(DataError) as exc:
        load_values(p, ["x"], id_column="id", expected_units=["A", 'A\nB', "B"], display_path="v.csv")
    e = exc.value
    assert message in e.message
    assert (e.file, e.line, e.column) == ("v.csv", line, column)
    assert str(e).startswith(f"v.csv:{line}")


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        load_values(tmp_path / "nope.csv", ["x"])


def test_clean_number_and_json():
    assert clean_number(float("nan")) is None
    assert clean_number(float("inf")) is None
    assert clean_number(-0.0) == 0.0
    assert clean_number(1 / 3) == 0.333333
    assert clean_number(123456789.0) == 123457000.0
    assert clean_number(np.float64(2.5e-9)) == 2.5e-9
    u = UnitResult(id="a", score=np.nan, median_rank=np.float64(3.0), scores={"P": np.inf})
    doc = json.loads(u.model_dump_json())
    assert doc["score"] is None and doc["median_rank"] == 3.0 and doc["scores"] == {"P": None}


def test_cronbach_and_pca_known_answers():
    x = np.array([[1.0, 2, 3], [2, 3, 5], [3, 5, 4], [4, 4, 6], [5, 6, 8]])
    k = 3
    alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(x) == pytest.approx(alpha)
    p = pca(x)
    ev = np.sort(np.linalg.eigvalsh(np.corrcoef(x.T)))[::-1]
    np.testing.assert_allclose(p.eigenvalues, ev, atol=1e-10)
    assert p.share_pc1 == pytest.approx(ev[0] / 3)
    assert p.n_gt_1 == int((ev > 1).sum())
    assert (p.loadings_pc1 > 0).all()


def test_correlation_ratio_linear_combination():
    # y = 3 x1 + x2 with independent, equal-variance x: S_i = w_i^2 / sum(w^2) = 0.9 and 0.1
    # (a full grid makes the sample correlation of x1 and x2 exactly zero)
    g = np.linspace(0, 1, 45)
    x = np.array([(a, b) for a in g for b in g])
    y = 3 * x[:, 0] + x[:, 1]
    assert correlation_ratio(x[:, 0], y) == pytest.approx(0.9, abs=0.02)
    assert correlation_ratio(x[:, 1], y) == pytest.approx(0.1, abs=0.02)
    # a non-monotone effect that a linear correlation misses entirely
    rng = np.random.default_rng(0)
    z = rng.uniform(-1, 1, 500)
    yz = z**2 + 0.05 * rng.normal(size=500)
    assert np.corrcoef(z, yz)[0, 1] ** 2 < 0.05
    assert correlation_ratio(z, yz) > 0.9


def test_reproduction():
    ids = ["a", "b", "c", "d"]
    scores = np.array([90.0, 80.0, 70.0, 60.0])
    ranks = np.array([1.0, 2, 3, 4])
    same = reproduce(ids, scores, ranks, published_ranks={"a": 1, "b": 2, "c": 3, "d": 4})
    assert same.rho == pytest.approx(1.0) and same.max_rank_shift == 0 and not same.differing
    swapped = reproduce(ids, scores, ranks, published_scores={"a": 90, "b": 69, "c": 70.2, "d": 60})
    assert swapped.compared_by == "score"
    assert swapped.max_rank_shift == 1 and {d[0] for d in swapped.differing} == {"b", "c"}
    assert swapped.max_score_diff == pytest.approx(11.0)
    assert reproduce(ids, scores, ranks) is None

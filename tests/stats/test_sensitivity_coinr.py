"""COINr's separate-term bootstrap of the Sobol confidence intervals (``sobol_bootstrap: coinr``).

The reference below is COINr's ``SA_estimate`` (bluefoxr/COINr ``R/sensitivity.R``, commit 0889f05;
point estimates in the function's lines 9-20, the ``## BOOTSTRAP ##`` block in its lines 27-66,
counting ``SA_estimate <- function`` as line 1) transcribed line by line with plain loops: R's
``sample(x, replace = TRUE)`` is ``x[idx]`` with ``idx`` the draws of one
``rng.integers(0, N, (2, d, N))`` call per bootstrap replicate (R's own random stream cannot be
reproduced in numpy; the draws are shared, the arithmetic is COINr's), and R's ``quantile``
(type 7) is written out too.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import yaml

from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import load_spec
from rankaudit.stats.model import ModelError
from rankaudit.stats.sensitivity import saltelli_sample, sobol_indices
from tests.test_loader import yaml_backend  # noqa: F401  (every test of this module under both YAML back ends)

from .helpers import ishigami, ishigami_analytic, two_level_model


def r_quantile(x: list[float], p: float) -> float:
    """R ``stats::quantile(x, probs = p, na.rm = TRUE)``, type 7: x[h] interpolated at h = (n - 1) p."""
    xs = sorted(v for v in x if not math.isnan(v))
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    return xs[lo] if lo + 1 >= len(xs) else xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])


def coinr_sa_estimate(yy: np.ndarray, n: int, d: int, n_boot: int, rng: np.random.Generator, f0: float = 0.0
                      ) -> dict[str, list[float]]:
    """COINr ``SA_estimate(yy, N, d, Nboot)``, one R statement at a time (``f0 = 0``: COINr's own formula;
    the centred variant subtracts f0 from yB in the first-order terms)."""
    yy = [float(v) for v in yy]
    # yyABi <- matrix(yy[(2*N +1):length(yy)], nrow = N)   (column-major: column i is block i)
    cols = [yy[2 * n + i * n: 2 * n + (i + 1) * n] for i in range(d)]
    y_a, y_b = yy[:n], yy[n:2 * n]
    both = y_a + y_b
    mean = sum(both) / len(both)
    var_y = sum((v - mean) ** 2 for v in both) / (len(both) - 1)  # stats::var
    si = [sum((b - f0) * (x - a) for a, b, x in zip(y_a, y_b, col, strict=True)) / n / var_y for col in cols]
    sti = [sum((a - x) ** 2 for a, x in zip(y_a, col, strict=True)) / (2 * n * var_y) for col in cols]
    # STdiffs <- apply(yyABi, 2, function(x) yA - x); Sidiffs <- apply(yyABi, 2, function(x) yB*(x - yA))
    st_diffs = [[a - x for a, x in zip(y_a, col, strict=True)] for col in cols]
    si_diffs = [[(b - f0) * (x - a) for a, b, x in zip(y_a, y_b, col, strict=True)] for col in cols]
    si_boot = [[math.nan] * n_boot for _ in range(d)]
    sti_boot = [[math.nan] * n_boot for _ in range(d)]
    for iboot in range(n_boot):
        idx = rng.integers(0, n, size=(2, d, n))  # this replicate's sample() draws, Si columns then STi columns
        for i in range(d):
            drawn = [si_diffs[i][k] for k in idx[0, i]]
            si_boot[i][iboot] = sum(drawn) / len(drawn) / var_y
        for i in range(d):
            drawn = [st_diffs[i][k] for k in idx[1, i]]
            sti_boot[i][iboot] = sum(v * v for v in drawn) / (2 * n * var_y)
    return {
        "variance": [var_y], "Si": si, "STi": sti,
        "Si_q5": [r_quantile(b, 0.05) for b in si_boot], "Si_q95": [r_quantile(b, 0.95) for b in si_boot],
        "STi_q5": [r_quantile(b, 0.05) for b in sti_boot], "STi_q95": [r_quantile(b, 0.95) for b in sti_boot],
    }


def _ishigami_outputs(n: int, seed: int = 3) -> np.ndarray:
    x = saltelli_sample(np.random.default_rng(seed), n, [1, 1, 1]) * 2 * np.pi - np.pi
    return ishigami(x)


@pytest.mark.parametrize(("estimator", "n", "n_boot"), [("coinr", 500, 300), ("coinr", 150, 1500),
                                                        ("saltelli2010", 300, 200)])
def test_coinr_bootstrap_equals_a_transcription_of_sa_estimate(estimator, n, n_boot):
    y = _ishigami_outputs(n)
    got = sobol_indices(y, n, 3, n_boot, np.random.default_rng(11), 0.9, estimator, "coinr")
    f0 = float(np.mean(y[:2 * n])) if estimator == "saltelli2010" else 0.0
    ref = coinr_sa_estimate(y, n, 3, n_boot, np.random.default_rng(11), f0)
    pairs = [(got.first_order, ref["Si"]), (got.total_effect, ref["STi"]),
             (got.first_order_ci[:, 0], ref["Si_q5"]), (got.first_order_ci[:, 1], ref["Si_q95"]),
             (got.total_effect_ci[:, 0], ref["STi_q5"]), (got.total_effect_ci[:, 1], ref["STi_q95"])]
    worst = max(float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) for a, b in pairs)
    assert worst <= 1e-12, worst
    assert got.variance == pytest.approx(ref["variance"][0], rel=1e-13)


def test_coinr_bootstrap_differs_from_the_joint_one_and_covers_the_analytic_values():
    n = 2000
    y = _ishigami_outputs(n)
    coinr = sobol_indices(y, n, 3, 500, np.random.default_rng(5), 0.9, "coinr", "coinr")
    joint = sobol_indices(y, n, 3, 500, np.random.default_rng(5), 0.9, "coinr", "joint")
    # the point estimates do not depend on the bootstrap
    np.testing.assert_array_equal(coinr.first_order, joint.first_order)
    np.testing.assert_array_equal(coinr.total_effect, joint.total_effect)
    assert not np.allclose(coinr.first_order_ci, joint.first_order_ci)
    s_true, st_true = ishigami_analytic()
    for ci, truth in ((coinr.first_order_ci, s_true), (coinr.total_effect_ci, st_true)):
        assert np.all(ci[:, 0] <= ci[:, 1])
        assert np.all(ci[:, 0] - 0.05 <= truth) and np.all(truth <= ci[:, 1] + 0.05)


def test_unknown_bootstrap_is_refused():
    with pytest.raises(ValueError, match="unknown Sobol bootstrap 'rows'"):
        sobol_indices(_ishigami_outputs(10), 10, 3, 5, bootstrap="rows")
    m = two_level_model({"P": ["a", "b"], "Q": ["c", "d"]})
    with pytest.raises(ModelError, match="unknown Sobol bootstrap"):
        replace(m, uncertainty=replace(m.uncertainty, sobol_bootstrap="rows")).validate()


SPEC = {
    "spec_version": 1,
    "ranking": {"name": "S", "edition": "2024"},
    "publisher": {"name": "P"},
    "cities": {"count": 4, "list": [{"name": n, "id": n} for n in "ABCD"]},
    "method": {"normalisation": "minmax", "aggregation": "arithmetic"},
    "structure": {"children": [
        {"id": "p", "name": "P", "children": [{"id": "a", "name": "a"}, {"id": "b", "name": "b"}]},
        {"id": "q", "name": "Q", "children": [{"id": "c", "name": "c"}, {"id": "d", "name": "d"}]},
    ]},
    "data": {"values": "values.csv"},
}
CSV = "id,a,b,c,d\nA,1,4,2,8\nB,2,3,5,1\nC,3,1,4,6\nD,4,2,1,3\n"


def _spec(tmp_path, uncertainty):
    (tmp_path / "values.csv").write_text(CSV, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({**SPEC, "uncertainty": uncertainty}, sort_keys=False), encoding="utf-8")
    return path


def test_the_spec_option_reaches_the_engine(tmp_path):
    from rankaudit.stats.from_spec import model_from_spec, run_statistical_audit

    unc = {"weights": {"factor": 0.25}, "normalisation": ["minmax", "zscore"], "sobol_estimator": "coinr",
           "sobol_bootstrap": "coinr"}
    loaded = load_spec(str(_spec(tmp_path, unc)))
    assert model_from_spec(loaded.spec).model.uncertainty.sobol_bootstrap == "coinr"
    res = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=400, seed=1, n_boot=50)
    assert res.parameters is not None
    assert res.parameters.design["uncertainty"]["sobol_bootstrap"] == "coinr"
    del unc["sobol_bootstrap"]  # the default describes itself as before
    loaded = load_spec(str(_spec(tmp_path, unc)))
    res = run_statistical_audit(loaded.spec, loaded.spec_dir, replications=400, seed=1, n_boot=50)
    assert res.parameters is not None and "sobol_bootstrap" not in res.parameters.design["uncertainty"]


def test_a_misspelt_bootstrap_is_a_located_schema_error(tmp_path):
    path = _spec(tmp_path, {"sobol_bootstrap": "coinR"})
    with pytest.raises(SpecError) as exc:
        load_spec(str(path))
    (d,) = exc.value.diagnostics
    line = next(k for k, text in enumerate(path.read_text().splitlines(), start=1) if "sobol_bootstrap" in text)
    assert (d.code, d.line) == ("RA103", line)

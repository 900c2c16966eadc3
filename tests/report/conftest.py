"""Fixtures for the report tests: real AuditResults of small specs, with and without statistics.

The specs are in tests/report/data (small.yaml: an ordinary made-up ranking; hostile.yaml: strings
that try to inject markup, scripts, links and workflow commands). The statistical part is a small,
hand-made statistical audit (validated by the StatsResult model, so it keeps the real shape) put
into the AuditResult: the renderers only read AuditResult, so they are tested without running the
Monte Carlo. The ASEM fixture, when present, is audited for real by the browser tests.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

from rankaudit.audit import audit_file
from rankaudit.result import AuditResult
from rankaudit.stats.result import StatsResult

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
SMALL = "tests/report/data/small.yaml"
HOSTILE = "tests/report/data/hostile.yaml"
ASEM = ROOT / "fixtures" / "asem" / "asem.yaml"

HOSTILE_UNIT = "<svg onload=alert(10)>"
HOSTILE_INDICATOR = "<img src=x onerror=alert(1)>"

_UNITS = [
    # id, name, score, rank, median, q05, q95
    ("AAA", "Alphaville", 71.2, 1, 1.0, 1.0, 2.0),
    ("BBB", "Betatown", 66.0, 2, 3.0, 1.0, 4.0),
    ("CCC", HOSTILE_UNIT, 60.5, 3, 2.0, 2.0, 5.0),
    ("DDD", "Delta City", 55.1, 4, 4.0, 3.0, 5.0),
    ("EEE", "Epsilon | `pipe` & *star*", 42.0, 5, 5.0, 4.0, 6.0),
    ("FFF", "Zeta-on-Sea", 30.3, 6, 6.0, 6.0, 6.0),
]

STATS: dict[str, Any] = {
    "index_id": "index",
    "n_units": 6,
    "n_indicators": 3,
    "n_missing": 1,
    "units": [
        {"id": i, "name": n, "score": s, "rank": r, "median_rank": m, "q05_rank": lo, "q95_rank": hi}
        for i, n, s, r, m, lo, hi in _UNITS
    ],
    "indicators": [
        {
            "id": "gdp",
            "name": HOSTILE_INDICATOR,
            "parent": "economy",
            "direction": 1,
            "n_available": 6,
            "availability": 1.0,
            "skew": 2.5,
            "kurtosis": 4.1,
            "outlier": True,
            "treatment": "winsorised 1 point(s) (high)",
            "treated_points": 1,
        },
        {
            "id": "jobs",
            "name": "Employment rate",
            "parent": "economy",
            "direction": 1,
            "n_available": 5,
            "availability": 0.833333,
            "low_availability": True,
        },
        {
            "id": "pm25",
            "name": "PM2.5 concentration",
            "parent": "environment",
            "direction": -1,
            "n_available": 6,
            "availability": 1.0,
            "mode_share": 0.666667,
            "low_information": True,
        },
    ],
    "correlations": [
        {
            "name": "indicators",
            "row_ids": ["gdp", "jobs", "pm25"],
            "col_ids": ["gdp", "jobs", "pm25"],
            "values": [[1.0, 0.93, -0.41], [0.93, 1.0, -0.2], [-0.41, -0.2, 1.0]],
        },
        {
            "name": "indicators_vs_aggregates",
            "row_ids": ["gdp", "jobs", "pm25"],
            "col_ids": ["economy", "environment", "index"],
            "values": [[0.98, -0.41, 0.8], [0.97, None, 0.75], [-0.3, 1.0, 0.1]],
        },
    ],
    "correlation_flags": [
        {"kind": "collinear", "group": "economy", "a": "gdp", "b": "jobs", "r": 0.93, "threshold": 0.9},
        {"kind": "negative", "group": None, "a": "gdp", "b": "pm25", "r": -0.41, "threshold": -0.4},
    ],
    "groups": [
        {
            "id": "economy",
            "level": 2,
            "children": ["gdp", "jobs"],
            "n_complete": 5,
            "cronbach_alpha": 0.95,
            "pca": {
                "eigenvalues": [1.93, 0.07],
                "variance_share_pc1": 0.965,
                "n_eigen_gt_1": 1,
                "loadings_pc1": {"gdp": 0.98, "jobs": 0.98},
            },
        },
    ],
    "importance": {
        "estimator": "correlation ratio, P-spline regression (GCV)",
        "divergence": 0.21,
        "items": [
            {
                "indicator": "gdp",
                "nominal_weight": 0.5,
                "effective_weight": 0.3,
                "correlation_ratio": 0.7,
                "importance_share": 0.45,
                "ratio": 1.5,
            },
            {
                "indicator": "jobs",
                "nominal_weight": 0.5,
                "effective_weight": 0.3,
                "correlation_ratio": 0.6,
                "importance_share": 0.4,
                "ratio": 1.333333,
            },
            {
                "indicator": "pm25",
                "nominal_weight": 1.0,
                "effective_weight": 0.4,
                "correlation_ratio": 0.1,
                "importance_share": 0.15,
                "ratio": 0.375,
            },
        ],
    },
    "reproduction": {
        "compared_by": "rank",
        "n_compared": 6,
        "spearman_rho": 0.94,
        "max_rank_shift": 1.0,
        "n_differing": 2,
        "differing_units": [
            {"id": "BBB", "published_rank": 2, "computed_rank": 3},
            {"id": "CCC", "published_rank": 3, "computed_rank": 2},
        ],
    },
    "robustness": {
        "replications": 200,
        "share_nominal_within_2_of_median": 1.0,
        "mean_share_runs_within_2_of_median": 0.9,
        "median_interval_width": 2.0,
        "median_interval_width_over_n": 0.333333,
        "mean_abs_rank_shift": 0.8,
        "dominant_assumption": "weights (level 2, ±25%)",
    },
    "sensitivity": [
        {
            "assumption": "weights (level 2, ±25%)",
            "first_order": 0.6,
            "total_effect": 0.7,
            "first_order_ci": [0.4, 0.8],
            "total_effect_ci": [0.55, 0.85],
        },
        {
            "assumption": "aggregation",
            "first_order": 0.2,
            "total_effect": 0.3,
            "first_order_ci": [0.05, 0.35],
            "total_effect_ci": [0.2, 0.4],
        },
    ],
    "remove_one": [
        {"element": "gdp", "level": 1, "mean_abs_rank_shift": 0.67, "max_abs_rank_shift": 2.0, "share_of_n": 0.11},
        {"element": "pm25", "level": 1, "mean_abs_rank_shift": 1.33, "max_abs_rank_shift": 3.0, "share_of_n": 0.22},
    ],
    "parameters": {
        "replications": 200,
        "seed": 1,
        "sensitivity": True,
        "bootstrap": 100,
        "assumptions": ["weights (level 2, ±25%)", "aggregation"],
        "design": {"normalisation": "minmax[1,100]", "imputation": "none", "outliers": "winsorise"},
    },
    "warnings": ["a <b>warning</b> from the statistical audit"],
}


def statistics() -> StatsResult:
    """STATS as the typed StatsResult the engine would produce (validated by the model)."""
    return StatsResult.model_validate(copy.deepcopy(STATS))


def with_statistics(result: AuditResult) -> AuditResult:
    # units, sensitivity and settings are derived from `statistics`: setting it sets them all
    return result.model_copy(update={"statistics": statistics()})


def audit_at_root(path: str, **kwargs: Any) -> AuditResult:
    """Audit a spec by its path relative to the repository root, as a user in that folder would."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return audit_file(path, replications=kwargs.pop("replications", 0), **kwargs)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renderers write paths relative to the working folder: run every report test from the root."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def small() -> AuditResult:
    return audit_at_root(SMALL)


@pytest.fixture(scope="session")
def hostile() -> AuditResult:
    return audit_at_root(HOSTILE)


@pytest.fixture(scope="session")
def small_with_stats(small: AuditResult) -> AuditResult:
    return with_statistics(small)


@pytest.fixture(scope="session")
def hostile_with_stats(hostile: AuditResult) -> AuditResult:
    return with_statistics(hostile)


def require_browser() -> bool:
    return os.environ.get("RANKAUDIT_REQUIRE_BROWSER") == "1"

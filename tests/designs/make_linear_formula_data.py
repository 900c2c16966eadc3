"""Writes the data of linear-formula.yaml (run once; the CSVs are committed): 50 synthetic cities, raw
components on unlike scales, scores from the published formula

    score = max(0, 100 + jobs / 2.5 - crime - commute / 10 + parks / 2 + 0.2 * culture)

rounded to two decimals as a publisher would print them, ranks by score (ties share the best rank).
`python tests/designs/make_linear_formula_data.py` rewrites the files identically (fixed seed).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
TERMS = {"jobs": 0.4, "crime": -1.0, "commute": -0.1, "parks": 0.5, "culture": 0.2}
INTERCEPT, FLOOR = 100.0, 0.0


def main() -> None:
    rng = np.random.default_rng(20261201)
    n = 50
    columns = {
        "jobs": rng.uniform(20, 90, n).round(1),  # employment rate, %
        "crime": rng.gamma(3, 10, n).round(1),  # offences per 1,000 residents
        "commute": rng.uniform(100, 700, n).round(0),  # minutes a week
        "parks": rng.uniform(0, 40, n).round(1),  # green space, % of area
        "culture": rng.integers(0, 120, n).astype(float),  # venues
    }
    columns["crime"][7] = 260.0  # one city far below zero before the floor
    raw = INTERCEPT + sum(c * columns[k] for k, c in TERMS.items())
    scores = np.maximum(FLOOR, raw).round(2)
    order = sorted(range(n), key=lambda u: -scores[u])
    ranks = {u: 1 + sum(1 for v in range(n) if scores[v] > scores[u]) for u in order}
    ids = [f"c{u + 1:02d}" for u in range(n)]
    with open(HERE / "linear-formula.values.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", *TERMS])
        for u in range(n):
            w.writerow([ids[u], f"City {u + 1:02d}", *(f"{columns[k][u]:g}" for k in TERMS)])
    with open(HERE / "linear-formula.published.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "score", "rank"])
        for u in order:
            w.writerow([ids[u], f"{scores[u]:.2f}", ranks[u]])


if __name__ == "__main__":
    main()

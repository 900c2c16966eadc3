"""Benchmark of the batched Monte Carlo engine (uncertainty + sensitivity analysis).

    python benchmarks/bench_uncertainty.py [--replications 10000] [--quick]

(a) ASEM (COINr example: 51 units x 49 indicators, 63 missing values): pillar and sub-index weights
    +/-25 %, min-max [1,100] vs z-score (10, 2), arithmetic vs geometric mean (COINr's vignette
    design); (b) a synthetic index of 1,000 units x 100 indicators (10 pillars, 2 sub-indices, 2 %
    missing) with indicator, pillar and sub-index weights +/-25 % and the same alternatives.
Each case runs once for time (Saltelli design: N(d+2) builds + 1,000 bootstrap resamples) and once
under tracemalloc for the peak of Python/numpy allocations; the process's max RSS is printed last.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rankaudit.stats.model import (  # noqa: E402
    AggregateNode,
    IndexModel,
    Normalisation,
    UncertaintyDesign,
)
from rankaudit.stats.pipeline import Pipeline  # noqa: E402
from rankaudit.stats.uncertainty import run_uncertainty  # noqa: E402
from tests.stats.coinr import load_coinr  # noqa: E402
from tests.stats.helpers import from_arrays  # noqa: E402

ALTERNATIVES = dict(
    normalisations=(Normalisation("minmax", 1, 100), Normalisation("zscore", mean=10, sd=2)),
    aggregations=("arithmetic", "geometric"),
)


def asem_pipeline() -> Pipeline:
    meta = ROOT / "tests" / "stats" / "data" / "asem_imeta.csv"
    model, data = load_coinr(ROOT / "fixtures" / "asem" / "asem.csv", meta)
    model = replace(model, normalisation=Normalisation("minmax", 1, 100),
                    uncertainty=UncertaintyDesign(weight_noise=((2, 0.25), (3, 0.25)), **ALTERNATIVES))
    return Pipeline(model, data)


def synthetic_pipeline(n_units: int = 1000, n_ind: int = 100, n_pillars: int = 10) -> Pipeline:
    rng = np.random.default_rng(0)
    x = rng.lognormal(size=(n_units, n_ind)) + rng.normal(size=(n_units, 1)) ** 2
    x[rng.random(x.shape) < 0.02] = np.nan
    ids = [f"i{j}" for j in range(n_ind)]
    per = n_ind // n_pillars
    pillars = tuple(AggregateNode(f"p{p}", tuple(ids[p * per:(p + 1) * per]), (1.0,) * per)
                    for p in range(n_pillars))
    half = n_pillars // 2
    subs = (AggregateNode("s0", tuple(f"p{p}" for p in range(half)), (1.0,) * half),
            AggregateNode("s1", tuple(f"p{p}" for p in range(half, n_pillars)), (1.0,) * (n_pillars - half)))
    model = IndexModel(
        indicators=tuple(ids), directions=(1,) * n_ind,
        hierarchy=(pillars, subs, (AggregateNode("Index", ("s0", "s1"), (1.0, 1.0)),)),
        normalisation=Normalisation("minmax", 1, 100),
        uncertainty=UncertaintyDesign(weight_noise=((1, 0.25), (2, 0.25), (3, 0.25)), **ALTERNATIVES),
    )
    return Pipeline(model, from_arrays([f"u{i}" for i in range(n_units)], x, ids))


def bench(name: str, make, replications: int) -> None:
    pipe = make()
    nominal = pipe.build().ranks
    t0 = time.perf_counter()
    res = run_uncertainty(pipe, replications, seed=1, nominal_ranks=nominal)
    dt = time.perf_counter() - t0
    assert res is not None
    tracemalloc.start()
    run_uncertainty(make(), replications, seed=1, nominal_ranks=nominal)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n_units, n_ind = pipe.data.values.shape
    sob = res.sobol
    driver = res.dominant_assumption()
    print(f"{name}: {n_units} units x {n_ind} indicators, d = {len(res.assumptions)} assumptions")
    print(f"  builds            {res.n_runs} (Saltelli N = {res.base_sample}, N(d+2))")
    print(f"  wall time         {dt:.2f} s  ({dt / res.n_runs * 1e3:.3f} ms per replication)")
    print(f"  peak traced mem   {peak / 2**20:.1f} MiB")
    print(f"  share |nominal - median rank| <= 2: {res.share_nominal_within_2:.3f}; "
          f"median 90% interval width {np.nanmedian(res.interval_width):.1f} ranks")
    if sob is not None:
        st = ", ".join(f"{a}={v:.3f}" for a, v in zip(res.assumptions, sob.total_effect, strict=True))
        print(f"  total effects     {st}; driver: {driver}")


def memory_scaling(make, counts: tuple[int, ...] = (2_500, 10_000, 40_000)) -> None:
    """Peak traced memory against N: replications are aggregated in chunks, so it should stay flat."""
    pipe = make()
    nominal = pipe.build().ranks
    peaks = []
    for n in counts:
        tracemalloc.start()
        run_uncertainty(make(), n, seed=1, nominal_ranks=nominal)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peaks.append(f"N={n:,}: {peak / 2**20:.1f} MiB")
    print("(c) ASEM peak traced memory by replications: " + "; ".join(peaks))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="small synthetic case (CI smoke run)")
    args = ap.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
          f"{len(__import__('os').sched_getaffinity(0))} cores")
    bench("(a) ASEM", asem_pipeline, args.replications)
    if args.quick:
        bench("(b) synthetic", lambda: synthetic_pipeline(200, 40, 8), args.replications)
    else:
        bench("(b) synthetic", synthetic_pipeline, args.replications)
    memory_scaling(asem_pipeline)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()

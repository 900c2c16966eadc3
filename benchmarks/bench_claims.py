"""Benchmark of ``claims`` on ASEM: 10,000 plausible variants, end to end.

    python benchmarks/bench_claims.py [--replications 10000]

End to end = from a fresh interpreter: import rankaudit, load and check fixtures/asem/asem.yaml,
map it to the model, load the values, draw the audit's Monte Carlo design (seed 1) and answer every
city's default claims plus "top 10" and "ahead of Germany" (pairwise counts chunk by chunk), with
a full 51 x 51 pairwise table. Target: under 2 s on 2 cores. The time is measured twice: in-process
from before the first rankaudit import, and as the wall time of a whole child process.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0


def run(replications: int) -> None:
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from rankaudit.spec.load import load_spec
    from rankaudit.stats.claims import claims_from_spec

    loaded = load_spec(str(ROOT / "fixtures" / "asem" / "asem.yaml"))
    res = claims_from_spec(loaded.spec, loaded.spec_dir, replications=replications, seed=1,
                           claims=["top 10", "ahead of Germany"], pairwise=True)
    dt = time.perf_counter() - t0
    holds = sum(v.holds for c in res.cities for v in c.verdicts)
    total = sum(len(c.verdicts) for c in res.cities)
    widths = sorted((c.q95_rank or 0) - (c.q05_rank or 0) for c in res.cities)
    print(f"claims on ASEM: {len(res.cities)} units, {res.n_runs} variants ({', '.join(res.assumptions)})")
    print(f"  verdicts        {holds}/{total} hold at {res.threshold:.0%}; median 5-95% width "
          f"{widths[len(widths) // 2]:.0f} ranks")
    print(f"  in-process time {dt:.2f} s (imports included)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=10_000)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run(args.replications)
        return
    print(f"python {platform.python_version()}, {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", "--replications", str(args.replications)],
                         capture_output=True, text=True, check=False)
    dt = time.perf_counter() - t0
    sys.stdout.write(out.stdout)
    if out.returncode != 0:
        sys.stdout.write(out.stderr)
        print("FAIL: the child process failed")
        return
    verdict = "PASS" if dt < TARGET_S else "FAIL"
    print(f"  end to end      {dt:.2f} s for a whole process (target < {TARGET_S:.0f} s): {verdict}")


if __name__ == "__main__":
    main()

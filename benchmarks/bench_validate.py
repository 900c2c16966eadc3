"""Benchmark: `rankaudit validate` throughput and start-up (issue 16, deliverable 1).

    python benchmarks/bench_validate.py [--runs 15]

Targets, each printed with its figure and PASS/FAIL:
- 1,000 bundled-size specs (copies of the bundled specs/*.yaml, in turn) validated in <= 5 s;
- validating one spec costs <= 2x a bare `python -c "import typer, pydantic, yaml"`;
- a 32 KB alias-amplified spec (4 million nodes once expanded) is refused in < 1 s (issue 15).
Timings are wall-clock medians of interleaved runs (the machine may be shared: the load average
is printed with the figures). Informative lines compare the two YAML back ends in one process.

rankaudit runs from a byte-compiled copy of the measured tree, as an installation leaves it (pip
writes the .pyc files at install time), because the baseline's libraries run from theirs. A checkout
gets its __pycache__ on its first run, but not where PYTHONDONTWRITEBYTECODE is set or the tree is
read-only; there every run would compile each module from source, a cost no installed copy pays. The
copy sits in the temporary folder (the tree is left as it is), and an informative line gives the
from-source figure of the same runs.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "specs").glob("*.yaml"))
CODE = {"root": ROOT}  # the tree whose rankaudit runs (--code, to measure an older commit alike)


def _env(code: Path | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code or CODE["root"]) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _installed_copy(folder: Path) -> Path:
    """The measured tree's package copied into `folder` and byte-compiled, as an installation is."""
    shutil.copytree(CODE["root"] / "rankaudit", folder / "rankaudit", ignore=shutil.ignore_patterns("__pycache__"))
    if not compileall.compile_dir(folder / "rankaudit", quiet=1):
        raise SystemExit(f"cannot byte-compile the copy of {CODE['root'] / 'rankaudit'}")
    return folder


def _wall(command: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd or CODE["root"], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout}{done.stderr}")
    return elapsed


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per start-up measurement")
    parser.add_argument("--specs", type=int, default=1000, help="number of specs in the throughput case")
    parser.add_argument("--code", type=Path, default=ROOT, help="source tree to measure (e.g. an older commit)")
    args = parser.parse_args(argv)
    CODE["root"] = args.code.resolve()

    import yaml

    sizes = sorted(p.stat().st_size for p in BUNDLED)
    print(
        f"python {sys.version.split()[0]}, PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), "
        f"{_cores()} cores, load average {os.getloadavg()[0]:.2f} at start"
    )
    print(f"bundled specs: {len(BUNDLED)}, {sizes[0]:,}-{sizes[-1]:,} bytes (median {statistics.median(sizes):,.0f})")
    failed = False
    with tempfile.TemporaryDirectory(prefix="rankaudit-bench-") as tmp:
        folder = Path(tmp) / "specs"
        folder.mkdir()
        for i in range(args.specs):
            shutil.copyfile(BUNDLED[i % len(BUNDLED)], folder / f"spec-{i:04d}.yaml")
        # `python -m` puts the working directory first on sys.path: the copy is the working directory too
        copy = _installed_copy(Path(tmp) / "installed")
        installed = _env(copy)
        where = subprocess.run(
            [sys.executable, "-c", "import rankaudit; print(rankaudit.__file__)"],
            env=installed, cwd=copy, capture_output=True, text=True, check=False,
        ).stdout.strip()
        if not Path(where).is_relative_to(copy):
            raise SystemExit(f"the byte-compiled copy is not the rankaudit that runs ({where})")
        validate = [sys.executable, "-m", "rankaudit.cli", "validate"]

        # (1) throughput: the whole command, start-up included
        runs = [_wall([*validate, str(folder)], installed, copy) for _ in range(3)]
        best, median = min(runs), statistics.median(runs)
        ok = median <= 5.0
        failed |= not ok
        print(
            f"(1) {args.specs} specs validated: median {median:.2f} s, best {best:.2f} s "
            f"({args.specs / median:,.0f} specs/s); target <= 5 s: {_verdict(ok)}"
        )

        # (2) one spec against a bare import, interleaved so that load affects both alike
        one = BUNDLED[len(BUNDLED) // 2]
        bare_cmd = [sys.executable, "-c", "import typer, pydantic, yaml"]
        bare, single, from_source = [], [], []
        for _ in range(args.runs):
            bare.append(_wall(bare_cmd, _env()))
            single.append(_wall([*validate, str(one)], installed, copy))
            # informative: the tree itself, as it is (nothing written into it; without a __pycache__
            # there, every run compiles the modules it imports)
            from_source.append(_wall([*validate, str(one)], _env(PYTHONDONTWRITEBYTECODE="1")))
        ratio = statistics.median(single) / statistics.median(bare)
        ok = ratio <= 2.0
        failed |= not ok
        print(
            f"(2) one spec ({one.name}): median {statistics.median(single) * 1000:.0f} ms; bare import of typer, "
            f"pydantic, yaml: {statistics.median(bare) * 1000:.0f} ms; ratio {ratio:.2f}; target <= 2x: {_verdict(ok)}"
        )
        source = statistics.median(from_source)
        print(
            f"    the same run from the tree as it is (no bytecode written into it): median {source * 1000:.0f} ms, "
            f"ratio {source / statistics.median(bare):.2f} (informative)"
        )

    # (3) informative: the two back ends in one process (imports excluded), serial and in processes
    sys.path.insert(0, str(CODE["root"]))
    try:
        from rankaudit.diagnostics import SpecError
        from rankaudit.spec.load import check_files, load_spec
        from rankaudit.spec.yamlsafe import BACKEND_ENV
    except ImportError:  # a tree from before the two back ends
        return 1 if failed else 0

    # (4) an alias bomb under the alias cap: refused by its expanded size before any model is built
    listed = ",".join(["x"] * 16_000)
    bomb = (
        f"a: &a [{listed}]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\n"
        "e: [*d, *d, *d, *d]\n"
    ).encode()
    for backend in ("c", "pure"):
        os.environ[BACKEND_ENV] = backend
        started = time.perf_counter()
        try:
            load_spec("amplified.yaml", bomb)
            refused = False
        except SpecError:
            refused = True
        elapsed = time.perf_counter() - started
        ok = refused and elapsed < 1.0
        failed |= not ok and backend == "c"
        note = "" if backend == "c" else " (informative: the fallback parser)"
        print(f"(4) {len(bomb) / 1000:.0f} KB alias bomb, {backend} back end: refused={refused} in {elapsed:.2f} s; "
              f"target < 1 s: {_verdict(ok)}{note}")

    files = [str(BUNDLED[i % len(BUNDLED)]) for i in range(200)]
    for backend in ("pure", "c"):
        os.environ[BACKEND_ENV] = backend
        list(check_files(files[:5], jobs=1))  # warm: the first validation builds pydantic's caches
        for jobs in (1, 2):
            started = time.perf_counter()
            list(check_files(files, jobs=jobs))
            per = (time.perf_counter() - started) / len(files) * 1000
            print(f"    {backend:4} back end, {jobs} process{'es' if jobs > 1 else ''}: {per:.2f} ms per spec")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

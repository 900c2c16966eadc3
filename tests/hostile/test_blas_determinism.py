"""Issue 15: the same audit gives the same bytes on every CPU (two OpenBLAS kernels compared).

OpenBLAS picks a kernel for the CPU at start-up; `OPENBLAS_CORETYPE=Prescott` forces an old one
(SSE3, other blocking and summation order). The ASEM audit (statistics, Monte Carlo, P-spline
smoothings) is run in two subprocesses, default kernel and Prescott, and its JSON, SARIF and HTML
must be byte-identical: every number an output holds is rounded to digits that the kernels agree on.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASEM = ROOT / "fixtures" / "asem" / "asem.yaml"
FORMATS = ("json", "sarif", "html")
SEPARATOR = "\n=====RANKAUDIT-FORMAT=====\n"

# One audit, three renderings, printed one after the other (an audit costs seconds: run it once).
DRIVER = f"""
import os, sys
os.chdir({str(ASEM.parent)!r})
from rankaudit.audit import audit_file
from rankaudit.report.formats import REPORTS, RenderOptions
result = audit_file("asem.yaml", replications=300, seed=1)
sys.stdout.write({SEPARATOR!r}.join(REPORTS.render(f, [result], RenderOptions()) for f in {FORMATS!r}))
"""


def _run(coretype: str | None) -> tuple[dict[str, str], str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env.update(PYTHONPATH=str(ROOT), OPENBLAS_VERBOSE="2", OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0")
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    done = subprocess.run([sys.executable, "-c", DRIVER], capture_output=True, text=True, env=env, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    # OPENBLAS_VERBOSE makes OpenBLAS say which kernel it loaded ("Core: SkylakeX"), on stdout
    cores = sorted(set(re.findall(r"^Core: (\S+)$", done.stdout + done.stderr, re.MULTILINE)))
    body = re.sub(r"^Core: \S+\n", "", done.stdout, flags=re.MULTILINE)
    return dict(zip(FORMATS, body.split(SEPARATOR), strict=True)), ",".join(cores)


def _floats(node: Any) -> list[float]:
    if isinstance(node, dict):
        return [x for v in node.values() for x in _floats(v)]
    if isinstance(node, list):
        return [x for v in node for x in _floats(v)]
    return [node] if isinstance(node, float) else []


def _significant(x: float) -> int:
    """Significant digits of a float as JSON writes it (repr): 0.000123 -> 3, 123000.0 -> 3, 1.5e-05 -> 2."""
    mantissa = repr(abs(x)).split("e")[0]
    return len(mantissa.replace(".", "").strip("0"))


def test_asem_outputs_are_byte_identical_under_two_blas_kernels() -> None:
    with ThreadPoolExecutor(2) as pool:  # the two children run side by side
        (default, default_core), (prescott, prescott_core) = pool.map(_run, [None, "Prescott"])
    if not default_core or default_core == prescott_core:
        pytest.skip(f"cannot compare kernels here (OpenBLAS reported {default_core!r} and {prescott_core!r})")
    for fmt in FORMATS:
        assert default[fmt] == prescott[fmt], f"{fmt} differs between {default_core} and {prescott_core}"
    # every float of the JSON is rounded (6 significant digits at most), not a raw kernel result
    floats = _floats(json.loads(default["json"]))
    assert len(floats) > 1000
    assert all(_significant(x) <= 6 for x in floats if math.isfinite(x)), [
        x for x in floats if _significant(x) > 6][:10]

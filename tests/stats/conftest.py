from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASEM_DATA = ROOT / "fixtures" / "asem" / "asem.csv"
ASEM_META = ROOT / "tests" / "stats" / "data" / "asem_imeta.csv"


@pytest.fixture(scope="session")
def asem():
    from tests.stats.coinr import load_coinr

    return load_coinr(ASEM_DATA, ASEM_META)

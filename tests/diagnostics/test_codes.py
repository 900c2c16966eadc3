"""The registry of diagnostic codes: complete, documented in the README, and every code triggered and located."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rankaudit.diagnostics_codes import CODES, codes_markdown
from tests.diagnostics.triggers import TRIGGERS, diagnostics_of
from tests.test_loader import yaml_backend  # noqa: F401  (both YAML back ends)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "rankaudit"
CODE_LITERAL = re.compile(r"""["']RA\d{3}["']""")
# modules whose codes come from the registry; the others (stats, report, cli) are migrated at merge
USES_REGISTRY = ["inputs.py", "config.py", "spec/yamlsafe.py", "spec/load.py", "spec/semantic.py"]


def test_the_readme_table_is_generated_from_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- BEGIN codes -->\n(.*?)<!-- END codes -->", readme, re.S)
    assert block is not None, "README.md lacks the <!-- BEGIN codes --> block"
    assert block.group(1) == codes_markdown(), "README is stale: run `python scripts/update_readme.py`"


def test_every_code_used_in_the_package_is_registered() -> None:
    used = {
        match.strip("\"'")
        for path in PACKAGE.rglob("*.py")
        for match in CODE_LITERAL.findall(path.read_text(encoding="utf-8"))
    }
    assert used <= set(CODES), sorted(used - set(CODES))


@pytest.mark.parametrize("module", USES_REGISTRY)
def test_modules_emit_registry_constants_not_literals(module: str) -> None:
    assert not CODE_LITERAL.findall((PACKAGE / module).read_text(encoding="utf-8"))


def test_every_code_has_a_trigger() -> None:
    assert set(TRIGGERS) == set(CODES)


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_code_is_triggered_and_located(code: str, tmp_path: Path) -> None:
    trigger = TRIGGERS[code]
    found = diagnostics_of(trigger, tmp_path)
    mine = [d for d in found if d.code == code]
    assert mine, [d.format() for d in found]
    first = mine[0]
    assert (first.line, first.column) == trigger.where, first.format()
    assert first.severity == CODES[code].severity
    assert first.message and "Traceback" not in first.message

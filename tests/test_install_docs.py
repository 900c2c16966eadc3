"""The docs never tell users to install rankaudit by a name on the public package index.

The name `rankaudit` there belongs to an unrelated project; a pipeline copied from the README must
install this project's code, from a path or a pinned repository commit, and nothing else.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# `pip install ARGS` and `pipx install ARGS`, up to the end of the line or a shell separator
INSTALL = re.compile(r"\bpipx? install\b(?P<args>[^\n`;&|]*)")
COMMIT = re.compile(r"@(<commit-id>|[0-9a-f]{40})(?![0-9A-Za-z])")


def install_targets(args: str) -> list[str]:
    """What one install command installs: its arguments that are neither options nor option values."""
    targets = []
    skip_next = False
    for word in args.split():
        word = word.strip("\"'")
        if skip_next:
            skip_next = False
            continue
        if word in ("-r", "--requirement", "-c", "--constraint", "--index-url", "-i", "--extra-index-url"):
            skip_next = True
            continue
        if word.startswith("-") or not word:
            continue
        targets.append(word)
    return targets


def is_this_project(target: str) -> bool:
    """A local path (a clone, an editable install with extras) or a git URL pinned to a full commit."""
    if target.startswith((".", "/", "~")):
        return True
    if target.startswith("git+"):
        return bool(COMMIT.search(target))
    return False


def test_the_distribution_name_is_not_the_foreign_one() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] != "rankaudit"
    assert project["scripts"]["rankaudit"] == "rankaudit.cli:main"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_install_only_this_project(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    bad = []
    for match in INSTALL.finditer(text):
        for target in install_targets(match.group("args")):
            if not is_this_project(target):
                line = text.count("\n", 0, match.start()) + 1
                bad.append(f"{doc.name}:{line}: installs {target!r} by name or unpinned")
    assert not bad, "\n".join(bad)


def test_the_checker_catches_a_bare_name() -> None:
    assert not is_this_project("rankaudit==0.1.0")
    assert not is_this_project("rankaudit-cities")
    assert not is_this_project("git+https://github.com/OWNER/rankaudit@main")
    assert is_this_project("git+https://github.com/OWNER/rankaudit@0123456789abcdef0123456789abcdef01234567")
    assert is_this_project('.[test]')
    assert install_targets('-q -e ".[test]" mypy') == [".[test]", "mypy"]

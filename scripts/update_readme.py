"""Regenerate the generated sections of README.md (rule catalogue, the rankings we audited, benchmarks).

Each section sits between `<!-- BEGIN name -->` and `<!-- END name -->` markers. Run
`python scripts/update_readme.py` after changing rules or specs; `--check` exits 1 when the README
is stale (tests/test_readme.py runs it that way).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _rules() -> str:
    from rankaudit.rules import all_rules
    from rankaudit.rules.docs import rules_markdown

    return rules_markdown(all_rules())


def comparison_markdown_for(paths: Sequence[str], root: str | os.PathLike[str]) -> str:
    """Audit the given specs (no Monte Carlo) and return the markdown comparison, paths relative to root."""
    from rankaudit.audit import audit_file
    from rankaudit.compare import build_comparison
    from rankaudit.report.formats import COMPARISONS

    base = Path(root)
    results = []
    for path in paths:
        full = Path(path) if Path(path).is_absolute() else base / path
        results.append(audit_file(str(full), replications=0))
    comparison = build_comparison(results)
    rows = []
    for row in comparison.rows:
        update: dict[str, Any] = {"file": _relative(row.file, base)}
        if row.previous is not None:
            update["previous"] = row.previous.model_copy(
                update={"previous_file": _relative(row.previous.previous_file, base)}
            )
        rows.append(row.model_copy(update=update))
    return COMPARISONS.render("md", comparison.model_copy(update={"rows": rows}))


def _relative(path: str, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def _rankings() -> str:
    return comparison_markdown_for(sorted(str(p.relative_to(ROOT)) for p in (ROOT / "specs").glob("*.yaml")), ROOT)


def _benchmarks() -> str:
    results = ROOT / "benchmarks" / "RESULTS.md"
    if not results.is_file():
        return "(not measured yet)\n"
    # the file's own title would compete with the README's headings
    lines = results.read_text(encoding="utf-8").strip().splitlines()
    return "\n".join(lines[1:] if lines and lines[0].startswith("# ") else lines).strip() + "\n"


def _codes() -> str:
    from rankaudit.diagnostics_codes import codes_markdown

    return codes_markdown()


SECTIONS: dict[str, Callable[[], str]] = {
    "rules": _rules,
    "rankings": _rankings,
    "benchmarks": _benchmarks,
    "codes": _codes,
}


def regenerate(text: str) -> str:
    for name, build in SECTIONS.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n)(.*?)(<!-- END {name} -->)", re.S)
        if pattern.search(text):
            body = build()
            text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(3), text)
    return text


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    fresh = regenerate(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md is stale: run `python scripts/update_readme.py`", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Regenerate the generated sections of README.md (rule catalogue, the rankings we audited, benchmarks).

Each section sits between `<!-- BEGIN name -->` and `<!-- END name -->` markers. Run
`python scripts/update_readme.py` after changing rules or specs; `--check` exits 1 when the README
is stale (tests/test_readme.py runs it that way).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _rules() -> str:
    from rankaudit.rules import all_rules
    from rankaudit.rules.docs import rules_markdown

    return rules_markdown(all_rules())


def _rankings() -> str:
    from rankaudit.compare import comparison_markdown_for

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

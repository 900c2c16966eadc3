"""The catalogue's documentation, generated from the rules themselves (and their cases)."""

from __future__ import annotations

import textwrap
from typing import Any

from rankaudit.rules.base import DIMENSION_TITLES, Rule
from rankaudit.rules.examples import fragment_yaml, load_cases


def rules_json(rules: list[Rule], *, full: bool = False) -> list[dict[str, Any]]:
    out = []
    for rule in rules:
        item: dict[str, Any] = {
            "code": rule.code,
            "dimension": rule.dimension,
            "title": rule.title,
            "core": rule.core,
            "source": rule.source,
        }
        if full:
            item |= {
                "source_url": rule.source_url,
                "rationale": rule.rationale,
                "reads": list(rule.reads),
                "scoring": rule.scoring,
                "needs_data": rule.needs_data,
                "options": {k: {"default": o.default, "description": o.description} for k, o in rule.options.items()},
            }
        out.append(item)
    return out


def rules_table(rules: list[Rule]) -> str:
    lines = []
    current = None
    for rule in rules:
        if rule.dimension != current:
            current = rule.dimension
            lines.append(f"\n{DIMENSION_TITLES[current]}")
        star = "*" if rule.core else " "
        lines.append(f"  {rule.code}{star} {rule.title}")
    lines.append("\n* core rule (counts double). `rankaudit rules CODE` explains one rule.")
    return "\n".join(lines).lstrip("\n") + "\n"


def explain(rule: Rule) -> str:
    wrap = textwrap.TextWrapper(width=96)
    parts = [
        f"{rule.code}: {rule.title}",
        f"Dimension: {DIMENSION_TITLES[rule.dimension]}{' (core rule, counts double)' if rule.core else ''}",
        "",
        wrap.fill(" ".join(rule.rationale.split())),
        "",
        "Scoring: " + rule.scoring,
        "Reads: " + ", ".join(rule.reads),
        "Source: " + rule.source + (f" <{rule.source_url}>" if rule.source_url else ""),
    ]
    if rule.needs_data:
        parts.append("Runs only when the spec links indicator data.")
    if rule.options:
        parts.append("Options:")
        parts.extend(f"  {name} (default {o.default!r}): {o.description}" for name, o in rule.options.items())
    cases = load_cases(rule.code)
    passing = next((c for c in cases if c.expect == 2), None)
    failing = next((c for c in cases if c.expect == 0), None) or next((c for c in cases if c.expect == 1), None)
    for label, case in (("PASS", passing), ("FAIL", failing)):
        if case is not None:
            # a case's points resting on unknown facts are neither earned nor lost: say so beside its score
            open_points = f", {case.unassessed} not assessed" if case.unassessed else ""
            parts += ["", f"{label} ({case.name}; scores {case.expect}{open_points}):",
                      textwrap.indent(fragment_yaml(case), "    ")]
    return "\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown(rules: list[Rule]) -> str:
    """The catalogue as a Markdown table, as the README shows it."""
    lines = ["| Code | Dimension | Rule | Core | Source |", "|---|---|---|---|---|"]
    for rule in rules:
        source = f"[{_cell(rule.source)}]({rule.source_url})" if rule.source_url else _cell(rule.source)
        lines.append(
            f"| {rule.code} | {DIMENSION_TITLES[rule.dimension]} | {_cell(rule.title)} | "
            f"{'yes' if rule.core else ''} | {source} |"
        )
    return "\n".join(lines) + "\n"


def explain_markdown(rule: Rule) -> str:
    """One rule as Markdown, for a pull-request comment or a methodology note."""
    parts = [
        f"### {rule.code}: {_cell(rule.title)}",
        "",
        f"*{DIMENSION_TITLES[rule.dimension]}{', core rule (counts double)' if rule.core else ''}*",
        "",
        " ".join(rule.rationale.split()),
        "",
        f"- **Scoring:** {rule.scoring}",
        f"- **Reads:** {', '.join(f'`{r}`' for r in rule.reads)}",
        "- **Source:** " + (f"[{_cell(rule.source)}]({rule.source_url})" if rule.source_url else _cell(rule.source)),
    ]
    parts += [f"- **Option** `{name}` (default `{o.default!r}`): {o.description}" for name, o in rule.options.items()]
    return "\n".join(parts) + "\n"

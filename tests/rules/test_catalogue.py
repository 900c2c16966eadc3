"""The catalogue's layout and metadata: one rule per file, known sources, scoring templates that render."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import rankaudit.rules
from rankaudit.rules import all_rules
from rankaudit.rules.base import DIMENSIONS, Option, Rule, render_scoring
from rankaudit.rules.bibliography import ENTRIES, Cite, cite_text, resolve, source_text, source_url

RULES = all_rules()
RULES_DIR = Path(rankaudit.rules.__file__).parent
RULE_MODULES = [
    (dimension, info.name)
    for dimension in DIMENSIONS
    for info in pkgutil.iter_modules([str(RULES_DIR / dimension)])
]


def test_every_dimension_package_holds_its_rules() -> None:
    assert {r.code for r in RULES} and len(RULE_MODULES) == len(RULES)
    for rule in RULES:
        package, _, name = rule.module.rpartition(".")
        assert package == f"rankaudit.rules.{rule.dimension}", f"{rule.code} is defined in {rule.module}"
        assert name.startswith(rule.code.lower() + "_"), f"{rule.code} is defined in {name}.py"


@pytest.mark.parametrize(("dimension", "name"), RULE_MODULES, ids=[n for _, n in RULE_MODULES])
def test_each_rule_file_defines_one_rule_named_by_its_code(dimension: str, name: str) -> None:
    module = f"rankaudit.rules.{dimension}.{name}"
    importlib.import_module(module)
    defined = [r for r in RULES if r.module == module]
    assert len(defined) == 1, f"{name}.py defines {[r.code for r in defined]}"
    code = defined[0].code
    assert re.fullmatch(rf"{code.lower()}_[a-z0-9_]+", name), f"{name}.py holds {code}"
    # the decorator is the only registration, and it is applied once in the file
    tree = ast.parse((RULES_DIR / dimension / f"{name}.py").read_text(encoding="utf-8"))
    decorated = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Call) and getattr(d.func, "id", None) == "rule" for d in node.decorator_list)
    ]
    assert len(decorated) == 1


@pytest.mark.parametrize(("dimension", "name"), RULE_MODULES, ids=[n for _, n in RULE_MODULES])
def test_rule_files_import_no_other_rule_file(dimension: str, name: str) -> None:
    tree = ast.parse((RULES_DIR / dimension / f"{name}.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    for target in imported:
        assert not any(target.startswith(f"rankaudit.rules.{d}") for d in DIMENSIONS), f"{name} imports {target}"


def test_policy_imports_no_rule_file() -> None:
    tree = ast.parse((RULES_DIR / "policy.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(t.startswith(f"rankaudit.rules.{d}") for t in imported for d in DIMENSIONS)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_source_is_a_bibliography_entry(rule: Rule) -> None:
    assert rule.sources, f"{rule.code} cites nothing"
    for ref in rule.sources:
        entry, _, _ = resolve(ref)  # raises on an unknown id or passage
        assert entry.id in ENTRIES
    assert rule.source == source_text(rule.sources)
    assert rule.source_url == source_url(rule.sources)
    assert [e.id for e in rule.bibliography] == list(dict.fromkeys(resolve(r)[0].id for r in rule.sources))


def test_every_bibliography_entry_and_passage_is_cited() -> None:
    cited = {resolve(ref)[0].id for rule in RULES for ref in rule.sources}
    assert set(ENTRIES) - cited == set(), "bibliography entries no rule cites"
    ids = [ref.id if isinstance(ref, Cite) else ref for rule in RULES for ref in rule.sources]
    passages = {i for i in ids if "#" in i}
    declared = {f"{e.id}#{key}" for e in ENTRIES.values() for key in e.passages}
    assert declared - passages == set(), "passages no rule quotes"


@pytest.mark.parametrize("entry", list(ENTRIES.values()), ids=list(ENTRIES))
def test_entries_are_complete(entry) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id)
    assert entry.citation.strip() and entry.url and entry.url.startswith(("http://", "https://"))
    if entry.mirror:
        assert entry.note, f"{entry.id} links to a mirror without saying what it is"


def test_a_cite_joins_its_locator() -> None:
    assert cite_text("gii-2012") == ENTRIES["gii-2012"].citation
    assert cite_text(Cite("gii-2012", "technical notes")) == f"{ENTRIES['gii-2012'].citation}, technical notes"
    assert cite_text(Cite("gii-2012", ": 'quoted'")) == f"{ENTRIES['gii-2012'].citation}: 'quoted'"
    assert cite_text(Cite("gii-2012", "(p. 4)")) == f"{ENTRIES['gii-2012'].citation} (p. 4)"
    with pytest.raises(KeyError):
        resolve("no-such-work")
    with pytest.raises(KeyError):
        resolve("gii-2012#no-such-passage")


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_scoring_template_renders_with_the_defaults(rule: Rule) -> None:
    text = rule.scoring_text()
    assert text == rule.scoring
    assert "{" not in text and "}" not in text, f"{rule.code}: leftover braces in {text!r}"
    template = rule.scoring_template or ""
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    assert fields <= set(rule.options), f"{rule.code} names {fields - set(rule.options)} in its scoring text"


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.scoring_template and "{" in r.scoring_template], ids=lambda r: r.code
)
def test_scoring_text_shows_the_options_in_effect(rule: Rule) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse(rule.scoring_template or "") if name}
    for name in fields:
        default = rule.options[name].default
        changed = default * 3 + 1 if isinstance(default, int | float) else f"{default}x"
        assert rule.scoring_text({name: changed}) != rule.scoring, f"{rule.code}: {name} does not show"


def test_fr03_scoring_text_with_options() -> None:
    fr03 = next(r for r in RULES if r.code == "FR03")
    assert "`stale-after-years` (4) years" in fr03.scoring and "at most 10%" in fr03.scoring
    text = fr03.scoring_text({"stale-after-years": 6, "share-for-2": 0.125})
    assert "`stale-after-years` (6) years" in text and "at most 12.5%" in text and "at most 25%" in text


def test_scoring_formats() -> None:
    assert render_scoring("{a:%} {b:years} {c:years} {d:times} {e:times} {f:times}", {
        "a": 0.95, "b": 1, "c": 3, "d": 0.5, "e": 2.0, "f": 3,
    }) == "95% 1 year 3 years half twice 3 times"
    with pytest.raises(KeyError, match="not one of the rule's options"):
        render_scoring("{missing}", {})


def test_a_template_naming_no_option_fails_at_registration() -> None:
    from rankaudit.rules.base import rule

    with pytest.raises(KeyError):
        rule("OP99", "t", sources=("gii-2012",), reads=("x",), scoring="{nope}", options={"yes": Option(1, "y")})
    with pytest.raises(KeyError):
        rule("OP99", "t", sources=("no-such-work",), reads=("x",), scoring="s")
    with pytest.raises(ValueError, match="cites no source"):
        rule("OP99", "t", sources=(), reads=("x",), scoring="s")
    assert "OP99" not in {r.code for r in all_rules()}

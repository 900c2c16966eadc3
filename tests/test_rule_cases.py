"""Every case of every rule, from rankaudit/rules/cases/<CODE>.yaml (sqlfluff-style fixtures)."""

from __future__ import annotations

import pytest

from rankaudit.audit import assess, dotted, evaluate, statistics_for
from rankaudit.config import Config
from rankaudit.rules import all_rules
from rankaudit.rules.context import AuditContext
from rankaudit.rules.examples import Case, load_case, load_cases

RULES = all_rules()
CASES = [case for rule in RULES for case in load_cases(rule.code)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{c.name}" for c in CASES])
def test_rule_case(case: Case, tmp_path) -> None:
    rule = next(r for r in RULES if r.code == case.rule)
    loaded = load_case(case, tmp_path)
    stats = statistics_for(loaded, replications=case.replications, seed=1) if rule.needs_data else None
    config = Config(rule_options={rule.code: case.options})
    verdict = evaluate(rule, AuditContext(loaded.spec, stats), config)
    assert verdict.score == case.expect, verdict.message
    # a blocked verdict names its root cause, and only a case that says so may expect one
    assert verdict.blocked_by == case.blocked_by, verdict.message
    # points resting on unknown facts are neither earned nor lost, and a case states how many there are
    assert verdict.unassessed == case.unassessed, verdict.message
    if case.status is not None:
        assert assess([(rule, verdict)], loaded.spec)[rule.code].status == case.status, verdict.message
    if case.message_contains:
        assert case.message_contains in verdict.message
    if case.path is not None:
        assert dotted(verdict.path) == case.path, verdict.message
    if case.line is not None or case.column is not None:
        # located as the engine locates findings: the path, or its nearest ancestor in the file
        span = loaded.positions.span(verdict.path)
        assert span is not None, f"{case.rule}: the finding at {dotted(verdict.path)!r} has no position"
        where = f"{case.rule} points at line {span.line}, column {span.column}"
        assert case.line is None or span.line == case.line, where
        assert case.column is None or span.column == case.column, where


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_has_passing_and_failing_cases(rule) -> None:
    expected = {case.expect for case in load_cases(rule.code)}
    assert 2 in expected, f"{rule.code} has no passing case"
    assert expected & {0, 1}, f"{rule.code} has no failing case"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_documents_itself(rule) -> None:
    assert rule.title and rule.source and rule.scoring and rule.reads
    sentences = [s for s in rule.rationale.replace("\n", " ").split(". ") if s.strip()]
    assert 1 <= len(sentences) <= 5, f"{rule.code}: the rationale should be two or three sentences"

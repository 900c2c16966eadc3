"""Rule cases: the passing and failing spec fragments of each rule.

`rankaudit/rules/cases/<CODE>.yaml` holds a rule's cases; each is a fragment merged over
`_base.yaml`. They serve twice: as the examples `rankaudit rules CODE` prints, and as the
data-driven tests (tests/test_rule_cases.py runs every case of every rule). A case may carry
`files` (name -> text) written next to the spec, for rules that read indicator data, and
`options` (rule options) to exercise configuration. A case may also state where its finding must
point: `path` (the dotted document path of the verdict, e.g. `structure.children.0.weight`) and/or
`line` (and `column`) in the materialised spec file, which the case runner asserts as yamllint's tests
assert `problem=(line, column)`. `unassessed` (points resting on facts not found in the sources cited) and
`status` (the engine's status: scored, not_assessed...) check how unknown facts are kept from costing points.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rankaudit.spec.load import LoadedSpec, load_spec
from rankaudit.spec.yamlsafe import load_yaml


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    expect: int | None
    fragment: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    message_contains: str | None = None
    replications: int = 0
    path: str | None = None  # where the finding must point, as a dotted document path
    line: int | None = None  # ... and at which line (and column) of the materialised spec
    column: int | None = None
    blocked_by: str | None = None  # the root rule a blocked verdict (expect: null) must point to
    unassessed: int = 0  # points of the verdict resting on unknown facts (judged on the established ones only)
    status: str | None = None  # the engine's status of the finding: scored, not_assessed, blocked, not_applicable


_CASE_KEYS = frozenset(
    {
        "name", "expect", "spec", "options", "files", "message_contains", "replications", "path", "line", "column",
        "blocked_by", "unassessed", "status",
    }
)


def _cases_dir() -> Any:
    return resources.files("rankaudit.rules").joinpath("cases")


def base_spec() -> dict[str, Any]:
    raw = _cases_dir().joinpath("_base.yaml").read_bytes()
    data = load_yaml(raw, "_base.yaml").data
    if not isinstance(data, dict):
        raise TypeError("rule cases: _base.yaml must be a mapping")
    return data


def load_cases(code: str) -> list[Case]:
    path = _cases_dir().joinpath(f"{code}.yaml")
    if not path.is_file():
        return []
    data = load_yaml(path.read_bytes(), f"rankaudit/rules/cases/{code}.yaml").data
    if data.get("rule") != code:
        raise ValueError(f"cases file for {code} names rule {data.get('rule')!r}")
    cases = []
    for item in data["cases"]:
        unknown = sorted(set(item) - _CASE_KEYS)
        if unknown:  # a misspelt expectation would otherwise be skipped without a word
            raise ValueError(f"case {item.get('name')!r} of {code} has unknown keys: {', '.join(unknown)}")
        cases.append(
            Case(
                rule=code,
                name=item["name"],
                expect=item["expect"],
                fragment=item.get("spec") or {},
                options=item.get("options") or {},
                files=item.get("files") or {},
                message_contains=item.get("message_contains"),
                replications=item.get("replications", 0),
                path=item.get("path"),
                line=item.get("line"),
                column=item.get("column"),
                blocked_by=item.get("blocked_by"),
                unassessed=item.get("unassessed", 0),
                status=item.get("status"),
            )
        )
    return cases


def merge(base: Any, fragment: Any) -> Any:
    """Deep-merge a fragment over a base: mappings merge, `None` deletes, anything else replaces."""
    if not isinstance(base, dict) or not isinstance(fragment, dict):
        return copy.deepcopy(fragment)
    out = copy.deepcopy(base)
    for key, value in fragment.items():
        if value is None:
            out.pop(key, None)
        elif key in out:
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def case_document(case: Case) -> dict[str, Any]:
    document = merge(base_spec(), case.fragment)
    assert isinstance(document, dict)  # a mapping merged over a mapping is a mapping
    return document


def load_case(case: Case, workdir: Path | None = None) -> LoadedSpec:
    """Materialise a case as a spec file (with its data files) and load it like any spec."""
    folder = workdir or Path(tempfile.mkdtemp(prefix=f"rankaudit-{case.rule}-"))
    for name, text in case.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    spec_path = folder / f"{case.rule}.yaml"
    spec_path.write_text(yaml.safe_dump(case_document(case), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_spec(str(spec_path))


def fragment_yaml(case: Case) -> str:
    """The case's fragment as YAML, for documentation."""
    return yaml.safe_dump(case.fragment, sort_keys=False, allow_unicode=True, default_flow_style=False).strip()

"""One input per diagnostic code, with where its diagnostic must point (see test_codes.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rankaudit.diagnostics import Diagnostic, SpecError

HEAD = """spec_version: 1
ranking:
  name: Test
  edition: "2024"
  published: 2024-05-01
publisher:
  name: Publisher
cities:
  count: 3
structure:
  children:
    - {id: a, name: A}
"""
#        line 12 ^ the one indicator; further lines are appended after it


@dataclass(frozen=True)
class Trigger:
    """A spec (or config) text, what kind of file it is, and the expected (line, column)."""

    text: str
    where: tuple[int | None, int | None]
    kind: str = "spec"  # spec | config-yaml | config-toml | folder | data
    csv: str = ""  # for kind=data: the values file
    published: str = ""


def _replace(old: str, new: str, base: str = HEAD) -> str:
    assert old in base, old
    return base.replace(old, new)


DATA_SPEC = HEAD.replace("    - {id: a, name: A}\n", "    - {id: a, name: A}\n    - {id: b, name: B}\n") + (
    "data: {values: values.csv}\n"
)

TRIGGERS: dict[str, Trigger] = {
    # a file-level problem has no line: the diagnostic names the file only
    "RA000": Trigger("", (None, None), kind="folder"),
    "RA001": Trigger("spec_version: 1\nranking: [1, 2\npublisher: x\n", (3, 10)),
    "RA002": Trigger("spec_version: 1\nname: a\x00b\n", (2, 8)),
    "RA003": Trigger("a: " + "x" * (2 * 1024 * 1024) + "\n", (None, None)),
    "RA004": Trigger("# nothing\n", (1, 1)),
    "RA005": Trigger("spec_version: 1\n---\nspec_version: 1\n", (2, 1)),
    "RA006": Trigger("spec_version: 1\nranking: {}\nspec_version: 1\n", (3, 1)),
    "RA007": Trigger("a: &x [*x]\n", (1, 4)),
    "RA008": Trigger("spec_version: !include other.yaml\n", (1, 15)),
    "RA009": Trigger("a: " + "[" * 100 + "]" * 100 + "\n", (1, 67)),
    "RA010": Trigger("- spec_version: 1\n", (1, 1)),
    "RA011": Trigger("? [a, b]\n: 1\n", (1, 3)),
    "RA012": Trigger(_replace("published: 2024-05-01", "published: 2024-02-30"), (5, 14)),
    "RA101": Trigger(_replace("  name: Publisher\n", "  name: Publisher\n  tipe: media\n"), (8, 3)),
    "RA102": Trigger(_replace("    - {id: a, name: A}\n", "    - {id: a}\n"), (12, 7)),
    "RA103": Trigger(_replace("count: 3", "count: many"), (9, 10)),
    "RA104": Trigger(
        _replace(
            "    - {id: a, name: A}\n",
            "    - {id: a, name: A, weight: 0.4}\n    - {id: b, name: B, weight: 0.4}\n",
            _replace("structure:\n", "structure:\n  weighting: explicit\n"),
        ),
        (11, 14),
    ),
    "RA105": Trigger(
        _replace("    - {id: a, name: A}\n", "    - {id: a, name: A}\n    - {id: a, name: B}\n"), (13, 12)
    ),
    "RA106": Trigger(_replace("    - {id: a, name: A}\n", "    - {id: a, name: A, reference_year: 2030}\n"), (12, 40)),
    "RA107": Trigger(HEAD + "data: {values: /etc/passwd}\n", (13, 16)),
    "RA108": Trigger(HEAD + "method: {normalisation: zscore, aggregation: geometric}\n", (13, 46)),
    "RA109": Trigger(HEAD + "data: {values: missing.csv}\n", (13, 16)),
    "RA110": Trigger(_replace("  name: Publisher\n", "  name: Publisher\n  cite: {source: nowhere}\n"), (8, 9)),
    "RA111": Trigger(
        _replace(
            "    - {id: a, name: A}\n",
            "    - {id: a, name: A, weight: 0.4}\n    - {id: b, name: B, weight: 0.6}\n",
            _replace("structure:\n", "structure:\n  weighting: equal\n"),
        ),
        (11, 14),
    ),
    "RA112": Trigger(_replace("count: 3", "count: 1\n  list: [{name: X}, {name: Y}]"), (10, 9)),
    "RA113": Trigger(
        _replace("published: 2024-05-01", "published: 2024-05-01\n  previous_published: 2025-01"), (6, 23)
    ),
    "RA114": Trigger(HEAD + "uncertainty:\n  weights: {levels: [7]}\n", (14, 22)),
    "RA115": Trigger(HEAD + "method: {normalisation: distance_to_reference}\n", (13, 25)),
    "RA116": Trigger(_replace("count: 3", "count: 3\n  list: [{name: X, class: beta}]"), (10, 27)),
    "RA118": Trigger(_replace("    - {id: a, name: A}\n", "    - {id: a, name: A, denominator: pop}\n"), (12, 37)),
    "RA117": Trigger(_replace("  name: Test\n", "  name: Test\n  kind: continuous\n"), (4, 9)),
    "RA120": Trigger(
        _replace("  name: Publisher\n", "  name: Publisher\n  cite: {url: 'javascript:alert(1)'}\n"), (8, 9)
    ),
    "RA121": Trigger(HEAD + "uncertainty:\n  aggregation: [arithmetic]\n", (14, 3)),
    "RA122": Trigger(HEAD + "conflict_of_interest: undisclosed\n", (13, 23)),
    "RA123": Trigger(_replace("    - {id: a, name: A}\n", "    - {id: a, name: A, cities_ranked: 5}\n"), (12, 39)),
    "RA201": Trigger("select: [OP]\nfail_under: 50\n", (2, 1), kind="config-yaml"),
    "RA301": Trigger(DATA_SPEC, (3, 3), kind="data", csv="id,a,b\nX,1,2\nY,2,x\n"),  # CSV column = field number
    "RA302": Trigger(
        DATA_SPEC.replace("data: {values: values.csv}", "data: {values: values.csv, published: published.csv}"),
        (3, 2),
        kind="data",
        csv="id,a,b\nX,1,2\nY,2,3\n",
        published="id,score,rank\nX,1,1\nY,oops,2\n",
    ),
    "RA303": Trigger(
        DATA_SPEC.replace("data: {values: values.csv}", "data: {values: values.csv}\nmethod: {aggregation: geometric}"),
        (15, 9),
        kind="data",
        csv="id,a,b\nX,0,2\nY,-1,3\n",
    ),
}


def diagnostics_of(trigger: Trigger, tmp_path: Path) -> list[Diagnostic]:
    """Run the layer the trigger targets and return every diagnostic it reports."""
    run: Callable[[], object]
    if trigger.kind == "folder":
        from rankaudit.spec.load import load_spec

        (tmp_path / "spec.yaml").mkdir()
        run = lambda: load_spec(str(tmp_path / "spec.yaml"))  # noqa: E731
    elif trigger.kind.startswith("config"):
        from rankaudit.config import load_config
        from rankaudit.rules import all_rules

        path = tmp_path / (".rankaudit.yaml" if trigger.kind == "config-yaml" else "pyproject.toml")
        path.write_text(trigger.text, encoding="utf-8")
        run = lambda: load_config(path, all_rules())  # noqa: E731
    else:
        from rankaudit.spec.load import load_spec

        spec = tmp_path / "spec.yaml"
        spec.write_text(trigger.text, encoding="utf-8")
        if trigger.kind == "data":
            (tmp_path / "values.csv").write_text(trigger.csv, encoding="utf-8")
            if trigger.published:
                (tmp_path / "published.csv").write_text(trigger.published, encoding="utf-8")

            def run() -> object:
                from rankaudit.stats.from_spec import run_statistical_audit

                loaded = load_spec(str(spec))
                return run_statistical_audit(
                    loaded.spec, loaded.spec_dir, replications=0, positions=loaded.positions, n_boot=10
                )
        else:

            def run() -> object:
                loaded = load_spec(str(spec))
                return loaded.warnings

    try:
        result = run()
    except SpecError as exc:
        return exc.diagnostics
    return list(result) if isinstance(result, list) else []

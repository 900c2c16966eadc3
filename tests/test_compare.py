"""`rankaudit compare`: the comparison table, its four formats, CSV neutralisation, edition changes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from rankaudit.audit import audit_file
from rankaudit.cli import app
from rankaudit.compare import Comparison, build_comparison
from rankaudit.report.comparison import print_comparison
from rankaudit.report.formats import COMPARISONS

ROOT = Path(__file__).resolve().parent.parent


def render_comparison(comparison: Comparison, fmt: str) -> str:
    return COMPARISONS.render(fmt, comparison)


def comparison_markdown_for(paths: list[str], root: Path) -> str:
    """The README generator's function (scripts/ is not a package: load it by path)."""
    import importlib.util

    spec_ = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts" / "update_readme.py")
    assert spec_ is not None and spec_.loader is not None
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    return str(module.comparison_markdown_for(paths, root))
SPECS = ROOT / "specs"
MODELINE = "# yaml-language-server: $schema=../schema/rankaudit-spec.schema.json\n"


def spec(name: str = "Example City Index", edition: str = "2024", **extra: object) -> dict:
    """A small valid spec; `extra` replaces top-level keys."""
    doc: dict = {
        "spec_version": 1,
        "ranking": {"name": name, "edition": edition, "published": f"{edition[:4]}-06-01"},
        "publisher": {"name": "Example Consultancy", "type": "commercial"},
        "cities": {"count": 3},
        "structure": {
            "children": [
                {
                    "id": "economy",
                    "name": "Economy",
                    "children": [{"id": "gdp", "name": "GDP per capita"}, {"id": "jobs", "name": "Employment rate"}],
                },
                {"id": "environment", "name": "Environment", "children": [{"id": "pm25", "name": "PM2.5"}]},
            ]
        },
    }
    doc.update(extra)
    return doc


def write(tmp_path: Path, filename: str, doc: dict) -> str:
    path = tmp_path / filename
    path.write_text(MODELINE + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return str(path)


def audit(*paths: str):
    return [audit_file(p, replications=0) for p in paths]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------------------------- table


def test_rows_sorted_by_overall_then_name(tmp_path: Path) -> None:
    library = [str(SPECS / "pwc-cities-of-opportunity-2016.yaml"), str(SPECS / "gawc-world-cities-2024.yaml")]
    # identical specs but for the name: same overall score, so the name breaks the tie
    beta = write(tmp_path, "beta.yaml", spec("Beta Index"))
    alpha = write(tmp_path, "alpha.yaml", spec("alpha index"))
    comparison = build_comparison(audit(*library, beta, alpha))
    overall = [r.overall for r in comparison.rows]
    assert all(o is not None for o in overall)
    assert overall == sorted(overall, reverse=True)
    names = [r.ranking for r in comparison.rows]
    assert names.index("alpha index") == names.index("Beta Index") - 1


def test_row_fields_come_from_the_audit(tmp_path: Path) -> None:
    path = str(SPECS / "pwc-cities-of-opportunity-2014.yaml")
    [result] = audit(path)
    [row] = build_comparison([result]).rows
    assert (row.ranking, row.edition, row.publisher_type) == ("Cities of Opportunity", "2014", "commercial")
    assert row.cities == 30 and row.indicators == 59
    assert row.overall == result.overall and row.grade == result.grade
    assert set(row.scores) == {d.dimension for d in result.dimensions}
    worst = result.most_serious()
    assert row.most_serious is not None and worst is not None and row.most_serious.code == worst.code


def test_missing_values_are_never_zero(tmp_path: Path) -> None:
    doc = spec(cities={"count": "undisclosed"})
    comparison = build_comparison(audit(write(tmp_path, "x.yaml", doc)))
    [row] = comparison.rows
    assert row.cities is None
    assert row.scores["statistical_robustness"] is None  # no data: the statistical audit did not run
    md = render_comparison(comparison, "md")
    body = md.splitlines()[2].split(" | ")
    assert body[3] == "—"  # cities
    [record] = csv_rows(render_comparison(comparison, "csv"))
    assert record["cities"] == "" and record["statistical_robustness"] == ""
    [obj] = json.loads(render_comparison(comparison, "json"))
    assert obj["cities"] is None and obj["scores"]["statistical_robustness"] is None
    out = io.StringIO()
    print_comparison(comparison, Console(file=out, width=200))
    assert "—" in out.getvalue()


# --------------------------------------------------------------------------------------------- formats


def test_markdown_table(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", spec("Pipe | Index"))
    md = render_comparison(build_comparison(audit(path)), "md")
    header, rule, row = md.splitlines()[:3]
    assert header.startswith("| Ranking | Edition | Publisher (type) | Cities | Indicators | Opacity")
    assert "| Overall | Grade | Most serious finding | Spec |" in header
    assert rule.count("---") == header.count("|") - 1
    assert "Pipe \\| Index" in row and "Example Consultancy (commercial)" in row


def test_csv_has_one_row_per_spec(tmp_path: Path) -> None:
    paths = [write(tmp_path, f"{n}.yaml", spec(f"Index {n}")) for n in "abc"]
    records = csv_rows(render_comparison(build_comparison(audit(*paths)), "csv"))
    assert [r["ranking"] for r in records] == ["Index a", "Index b", "Index c"]
    assert {"publisher", "publisher_type", "edition", "cities", "indicators", "overall", "grade"} <= set(records[0])
    assert records[0]["most_serious_code"]


def test_json_is_a_list_of_rows(tmp_path: Path) -> None:
    paths = [write(tmp_path, "a.yaml", spec("Index a")), str(SPECS / "gawc-world-cities-2024.yaml")]
    data = json.loads(render_comparison(build_comparison(audit(*paths)), "json"))
    assert isinstance(data, list) and len(data) == 2
    for obj in data:
        assert {"ranking", "edition", "publisher", "publisher_type", "cities", "indicators", "scores"} <= set(obj)
        assert {"overall", "grade", "most_serious", "previous"} <= set(obj)


def test_terminal_prints_text_literally(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", spec("[bold red]Markup[/bold red] Index"))
    out = io.StringIO()
    print_comparison(build_comparison(audit(path)), Console(file=out, width=200))
    text = out.getvalue()
    assert "[bold red]Markup[/bold red] Index" in text
    assert "Most serious finding" in text


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    comparison = build_comparison(audit(write(tmp_path, "x.yaml", spec())))
    with pytest.raises(ValueError, match="unknown comparison format"):
        render_comparison(comparison, "xlsx")


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1:A2)"])
def test_csv_neutralises_formulas(tmp_path: Path, hostile: str) -> None:
    doc = spec(hostile)
    doc["publisher"] = {"name": hostile}
    text = render_comparison(build_comparison(audit(write(tmp_path, "x.yaml", doc))), "csv")
    [record] = csv_rows(text)
    assert record["ranking"] == "'" + hostile
    assert record["publisher"] == "'" + hostile
    for line in text.splitlines():
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@"))


# --------------------------------------------------------------------------------------------- editions


def two_editions(tmp_path: Path, history: dict | None) -> list[str]:
    earlier = spec(edition="2023")
    later = spec(edition="2024", cities={"count": 5})
    later["structure"]["children"][1]["children"].append({"id": "no2", "name": "NO2 concentration"})
    if history is not None:
        later["history"] = history
    # the later edition first: order of the arguments must not matter
    return [write(tmp_path, "later.yaml", later), write(tmp_path, "earlier.yaml", earlier)]


def test_two_editions_list_changes(tmp_path: Path) -> None:
    history = {
        "comparable_with_previous": False,
        "statement": "Ranks are not comparable with earlier editions.",
        "changes": [{"edition": "2024", "description": "NO2 indicator added."}],
    }
    comparison = build_comparison(audit(*two_editions(tmp_path, history)))
    [row] = comparison.edition_diffs
    diff = row.previous
    assert row.edition == "2024" and diff is not None and diff.previous_edition == "2023"
    assert diff.changes == ["2024: NO2 indicator added."]
    assert "cities: 3 → 5" in diff.derived and "indicators: 3 → 4" in diff.derived
    assert diff.comparable is False and diff.comparability == "no"
    assert diff.statement == "Ranks are not comparable with earlier editions."
    md = render_comparison(comparison, "md")
    assert "### Changes between editions" in md
    assert "Example City Index 2023 → 2024**: ranks comparable year on year: no." in md
    assert "- 2024: NO2 indicator added." in md and "cities: 3 → 5 (from the two audits)" in md
    records = {r["edition"]: r for r in csv_rows(render_comparison(comparison, "csv"))}
    assert records["2024"]["compared_with_edition"] == "2023"
    assert records["2024"]["comparable_year_on_year"] == "no"
    assert records["2023"]["compared_with_edition"] == ""
    out = io.StringIO()
    print_comparison(comparison, Console(file=out, width=200))
    assert "2023 → 2024" in out.getvalue() and "NO2 indicator added." in out.getvalue()


@pytest.mark.parametrize("history", [None, {"comparable_with_previous": "undisclosed"}])
def test_comparability_not_stated(tmp_path: Path, history: dict | None) -> None:
    comparison = build_comparison(audit(*two_editions(tmp_path, history)))
    [row] = comparison.edition_diffs
    assert row.previous is not None and row.previous.comparability == "not stated"
    assert "ranks comparable year on year: not stated" in render_comparison(comparison, "md")


def test_editions_matched_by_short_name(tmp_path: Path) -> None:
    a = spec("Example City Index", edition="2023")
    b = spec("The Example City Index", edition="2024")
    a["ranking"]["short_name"] = b["ranking"]["short_name"] = "ECI"
    comparison = build_comparison(audit(write(tmp_path, "a.yaml", a), write(tmp_path, "b.yaml", b)))
    assert len(comparison.edition_diffs) == 1


def test_different_rankings_are_not_compared(tmp_path: Path) -> None:
    paths = [write(tmp_path, "a.yaml", spec("One Index")), write(tmp_path, "b.yaml", spec("Other Index", "2023"))]
    assert build_comparison(audit(*paths)).edition_diffs == []


def test_library_pwc_editions() -> None:
    paths = [str(SPECS / "pwc-cities-of-opportunity-2014.yaml"), str(SPECS / "pwc-cities-of-opportunity-2016.yaml")]
    [row] = build_comparison(audit(*paths)).edition_diffs
    assert row.previous is not None and row.previous.previous_edition == "2014"
    assert "indicators: 59 → 67" in row.previous.derived
    assert any("15 new variables" in c for c in row.previous.changes)


# --------------------------------------------------------------------------------------------- README, CLI


def test_comparison_markdown_for_shows_relative_paths() -> None:
    paths = ["specs/gawc-world-cities-2024.yaml", "specs/time-out-best-cities-2025.yaml"]
    md = comparison_markdown_for(paths, ROOT)
    assert "`specs/gawc-world-cities-2024.yaml`" in md
    assert str(ROOT) not in md


def test_cli_compare_formats(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", spec("=cmd|' /C calc'!A0"))
    runner = CliRunner()
    result = runner.invoke(app, ["compare", path, "--format", "csv"])
    assert result.exit_code == 0, result.output
    [record] = csv_rows(result.stdout)
    assert record["ranking"].startswith("'=")
    result = runner.invoke(app, ["compare", path, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["ranking"].startswith("=")
    result = runner.invoke(app, ["compare", path])
    assert result.exit_code == 0 and "Rankings compared" in result.stdout

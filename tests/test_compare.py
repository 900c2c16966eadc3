"""`rankaudit compare`: the comparison table, its four formats, CSV neutralisation, edition changes."""

from __future__ import annotations

import csv
import io
import json
import math
from functools import cache
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


def floor_percent(coverage: float | None) -> int:
    """A coverage as every output prints it: rounded down, as in the grade's words (21.96% -> 21)."""
    return math.floor((coverage or 0) * 100 + 1e-9)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------------------------- table


def test_rows_sorted_by_overall_then_name(tmp_path: Path) -> None:
    library = [str(SPECS / "pwc-cities-of-opportunity-2016.yaml"), str(SPECS / "gawc-world-cities-2024.yaml")]
    # identical specs but for the name: same overall score, so the name breaks the tie
    beta = write(tmp_path, "beta.yaml", spec("Beta Index"))
    alpha = write(tmp_path, "alpha.yaml", spec("alpha index"))
    comparison = build_comparison(audit(*library, beta, alpha))
    # rows with a grade come first, then those whose grade is withheld; each part best score first
    statuses = [r.grade_status == "withheld" for r in comparison.rows]
    assert statuses == sorted(statuses)
    for withheld in (False, True):
        overall = [r.overall for r in comparison.rows if (r.grade_status == "withheld") == withheld]
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
    assert "| Overall | Coverage | Grade | Provisional | Most serious finding | Spec |" in header
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


def test_a_shared_short_name_does_not_chain_editions(tmp_path: Path) -> None:
    a = spec("Example City Index", edition="2023")
    b = spec("The Example City Index", edition="2024")
    a["ranking"]["short_name"] = b["ranking"]["short_name"] = "ECI"
    comparison = build_comparison(audit(write(tmp_path, "a.yaml", a), write(tmp_path, "b.yaml", b)))
    assert comparison.edition_diffs == []
    [shared] = comparison.shared_names
    assert shared.name == "ECI"
    assert shared.series == ["example-consultancy/example-city-index", "example-consultancy/the-example-city-index"]
    assert "“ECI” is the name of 2 different series" in render_comparison(comparison, "md")


def test_an_explicit_series_chains_renamed_editions(tmp_path: Path) -> None:
    a = spec("Example City Index", edition="2023")
    b = spec("The Example City Index", edition="2024")
    a["ranking"]["series"] = b["ranking"]["series"] = "example/city-index"
    comparison = build_comparison(audit(write(tmp_path, "a.yaml", a), write(tmp_path, "b.yaml", b)))
    [row] = comparison.edition_diffs
    assert row.series == "example/city-index" and row.previous is not None
    assert row.previous.previous_edition == "2023"
    assert comparison.shared_names == []
    [series] = comparison.series
    assert series.rankings == ["Example City Index", "The Example City Index"]
    assert series.editions == ["2023", "2024"]


def test_default_series_normalisation() -> None:
    from rankaudit.series import default_series, series_slug

    assert series_slug("A.T. Kearney") == "a-t-kearney"
    assert series_slug("  Zürich Städte-Index (2024) ") == "zurich-stadte-index-2024"
    assert series_slug("???") == "unnamed"
    assert series_slug("Großstadt") == "grossstadt"
    assert default_series("Oxford Economics", "Global Cities Index") == "oxford-economics/global-cities-index"


def test_a_series_id_must_be_publisher_slash_ranking(tmp_path: Path) -> None:
    doc = spec()
    doc["ranking"]["series"] = "Kearney GCI"
    result = CliRunner().invoke(app, ["validate", write(tmp_path, "x.yaml", doc)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_undeclared_publisher_name_difference_is_shown_as_names(tmp_path: Path) -> None:
    a = spec(edition="2023")
    b = spec(edition="2024")
    b["publisher"] = {"name": "Example Consultancy Group", "type": "commercial"}
    a["ranking"]["series"] = b["ranking"]["series"] = "example/city-index"
    comparison = build_comparison(audit(write(tmp_path, "a.yaml", a), write(tmp_path, "b.yaml", b)))
    [row] = comparison.edition_diffs
    assert row.previous is not None and row.previous.publisher_change is None
    assert "publisher as named in the specs: Example Consultancy → Example Consultancy Group" in row.previous.derived


@pytest.mark.parametrize(
    ("kind", "words"), [("renamed", "publisher renamed"), ("new_publisher", "change of publisher")]
)
def test_a_stated_change_of_publisher(tmp_path: Path, kind: str, words: str) -> None:
    a = spec(edition="2023")
    b = spec(edition="2024")
    b["publisher"] = {"name": "New Owner Ltd", "type": "commercial"}
    a["ranking"]["series"] = b["ranking"]["series"] = "example/city-index"
    b["ranking"]["series_publisher_change"] = {
        "previous_publisher": "Example Consultancy",
        "edition": "2024",
        "kind": kind,
        "cite": "https://example.org/news",
    }
    comparison = build_comparison(audit(write(tmp_path, "a.yaml", a), write(tmp_path, "b.yaml", b)))
    [row] = comparison.edition_diffs
    diff = row.previous
    assert diff is not None
    expected = f"{words}: Example Consultancy → New Owner Ltd, from edition 2024 (stated in the spec)"
    assert diff.publisher_change == expected
    assert not any(d.startswith("publisher") for d in diff.derived)
    assert f"- {expected}" in render_comparison(comparison, "md")
    [record] = [r for r in csv_rows(render_comparison(comparison, "csv")) if r["edition"] == "2024"]
    assert expected in record["methodology_changes"]
    out = io.StringIO()
    print_comparison(comparison, Console(file=out, width=300))
    assert expected in out.getvalue()


def test_different_rankings_are_not_compared(tmp_path: Path) -> None:
    paths = [write(tmp_path, "a.yaml", spec("One Index")), write(tmp_path, "b.yaml", spec("Other Index", "2023"))]
    assert build_comparison(audit(*paths)).edition_diffs == []


def test_library_global_cities_indexes_are_two_series() -> None:
    """Issue 12: Kearney's and Oxford Economics' Global Cities Index share a name, not a series."""
    names = ["kearney-gci-2023", "kearney-gci-2024", "oxford-economics-gci-2024", "oxford-economics-gci-2025"]
    comparison = build_comparison(audit(*[str(SPECS / f"{n}.yaml") for n in names]))
    assert [(s.id, s.publishers, s.editions) for s in comparison.series] == [
        ("kearney/global-cities-index", ["Kearney"], ["2023", "2024"]),
        ("oxford-economics/global-cities-index", ["Oxford Economics"], ["2024", "2025"]),
    ]
    [shared] = comparison.shared_names
    assert shared.name == "Global Cities Index" and len(shared.series) == 2
    pairs = {
        (r.previous.previous_file.rsplit("/", 1)[-1], r.file.rsplit("/", 1)[-1])
        for r in comparison.edition_diffs
        if r.previous
    }
    assert pairs == {
        ("kearney-gci-2023.yaml", "kearney-gci-2024.yaml"),
        ("oxford-economics-gci-2024.yaml", "oxford-economics-gci-2025.yaml"),
    }
    for row in comparison.edition_diffs:
        assert row.previous is not None and row.previous.publisher_change is None
        assert not any(d.startswith(("publisher", "cities")) for d in row.previous.derived), row.previous.derived
    md = render_comparison(comparison, "md")
    assert "Kearney → Oxford" not in md and "156 → 1000" not in md
    assert "is the name of 2 different series" in md


def test_library_kearney_editions_are_one_series() -> None:
    paths = [str(SPECS / f"kearney-gci-{year}.yaml") for year in (2012, 2014, 2023, 2024)]
    comparison = build_comparison(audit(*paths))
    [series] = comparison.series
    assert series.id == "kearney/global-cities-index" and series.publishers == ["A.T. Kearney", "Kearney"]
    assert len(comparison.edition_diffs) == 3


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "terminal"])
def test_coverage_beside_every_score(fmt: str) -> None:
    """Issue 12 item 4: every dimension score and the overall score carry their evidence coverage."""
    [result] = audit(str(SPECS / "kearney-gci-2024.yaml"))
    comparison = build_comparison([result])
    [row] = comparison.rows
    text = render_comparison(comparison, fmt)
    for dim in result.dimensions:
        assert row.coverages[dim.dimension] == dim.coverage
    if fmt == "md":
        cells = text.splitlines()[2].split(" | ")
        for dim in result.dimensions:
            if dim.score is not None and dim.coverage is not None:
                assert f"({floor_percent(dim.coverage)}%)" in " ".join(cells)
        # coverage below 50%: the grade is withheld, in words, with its range
        assert f"| {floor_percent(result.coverage)}% |" in text and "| not graded (E-A) | withheld |" in text
    elif fmt == "csv":
        [record] = csv_rows(text)
        for dim in result.dimensions:
            assert record[f"{dim.dimension}_coverage"] == ("" if dim.coverage is None else str(dim.coverage))
        assert record["coverage"] == str(result.coverage) and record["provisional"] == "True"
        assert record["grade"] == "" and record["grade_status"] == "withheld" and record["grade_range"] == "E-A"
    elif fmt == "json":
        [obj] = json.loads(text)
        assert obj["coverage"] == result.coverage and obj["provisional"] is True
        assert obj["coverages"] == {d.dimension: d.coverage for d in result.dimensions}
    else:
        assert f"{floor_percent(result.coverage)}%" in text and "not graded" in text


def test_a_coverage_is_printed_as_the_grade_words_print_it() -> None:
    """Rounded down everywhere: a table never shows 50% beside a grade withheld for want of 50%."""
    results = audit(*sorted(str(p) for p in SPECS.glob("*.yaml")))
    comparison = build_comparison(results)
    text = render_comparison(comparison, "md")
    for result in results:
        assert result.coverage is not None
        shown = f"{floor_percent(result.coverage)}%"
        assert f"{shown} of the questions answered" in result.grade_text
        line = next(line for line in text.splitlines() if result.file in line)
        assert f"| {shown} |" in line, line
    # the case the rule is for: coverages that rounding to the nearest would print one point higher
    assert any(round(r.coverage * 100) != floor_percent(r.coverage) for r in results if r.coverage is not None)


@cache
def library_example(status: str) -> str:
    """The first bundled spec (by name) whose grade has this status. The library's facts are revised as its
    sources are read, so the tests take their examples from it instead of pinning a spec to a grade."""
    for path in sorted(SPECS.glob("*.yaml")):
        [result] = audit(str(path))
        if result.grade_status == status:
            return str(path)
    raise AssertionError(f"no bundled spec is {status}")


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "terminal"])
def test_compare_rows_say_provisional_or_not_graded(fmt: str) -> None:
    provisional, withheld = audit(library_example("provisional"), library_example("withheld"))
    assert provisional.grade_status == "provisional" and provisional.grade is not None
    assert withheld.grade_status == "withheld" and withheld.grade is None and withheld.overall is not None
    letter = provisional.grade
    comparison = build_comparison([provisional, withheld])
    rows = {row.file: row for row in comparison.rows}
    assert rows[withheld.file].grade_label == "not graded (E-A)" and rows[withheld.file].grade is None
    assert rows[provisional.file].grade_label == letter and rows[provisional.file].grade_status == "provisional"
    text = render_comparison(comparison, fmt)
    assert provisional.grade_range is not None and provisional.coverage is not None
    span = "-".join(provisional.grade_range)  # read from the result: the spec's facts may be revised
    if fmt == "md":
        lines = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines()[2:4]}
        assert f"| {letter} | yes ({span}) |" in lines[provisional.profile.name]
        assert "| not graded (E-A) | withheld |" in lines[withheld.profile.name]
        assert "not given below 50% (not graded)" in text
    elif fmt == "csv":
        records = {r["file"]: r for r in csv_rows(text)}
        shown_row = records[provisional.file]
        assert (shown_row["grade"], shown_row["grade_status"]) == (letter, "provisional")
        assert (records[withheld.file]["grade"], records[withheld.file]["grade_status"]) == ("", "withheld")
    elif fmt == "json":
        objects = {o["file"]: o for o in json.loads(text)}
        assert objects[withheld.file]["grade"] is None and objects[withheld.file]["grade_status"] == "withheld"
        assert objects[withheld.file]["grade_label"] == "not graded (E-A)"
        assert objects[provisional.file]["grade"] == letter
    else:
        flat = " ".join(text.split())
        assert "Not graded (too few questions answered)" in text
        assert withheld.coverage is not None and withheld.grade_range is not None
        held = f"{floor_percent(withheld.coverage)}%, {'-'.join(withheld.grade_range)}"
        assert f"{withheld.profile.name} {withheld.profile.edition}: not graded {held}" in flat
        shown = f"{floor_percent(provisional.coverage)}%"
        assert f"{provisional.profile.name} {provisional.profile.edition}: {letter} provisional {shown}, {span}" in flat


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


def test_a_withheld_grade_never_ranks_above_a_given_one() -> None:
    """A score resting on few answered questions (grade withheld) comes after every graded row, however high."""
    library = sorted(str(p) for p in SPECS.glob("*.yaml"))
    rows = build_comparison(audit(*library)).rows
    withheld = [i for i, r in enumerate(rows) if r.grade_status == "withheld"]
    given = [i for i, r in enumerate(rows) if r.grade_status in ("graded", "provisional")]
    assert withheld and given
    assert max(given) < min(withheld)
    assert max(r.overall or 0 for r in rows if r.grade_status == "withheld") > min(
        r.overall or 0 for r in rows if r.grade_status != "withheld"
    )  # the order is not the score order here: the case the rule is for

"""The profile: what the report says about the ranking itself, beyond the scores."""

from __future__ import annotations

from pathlib import Path

from rankaudit.audit import audit
from rankaudit.report.common import number
from rankaudit.report.markdown import render_markdown
from rankaudit.report.plain import SOURCES_READ_CAVEAT
from rankaudit.result import coverage_percent
from rankaudit.spec.load import load_spec

ROOT = Path(__file__).resolve().parent.parent
WELL_DOCUMENTED = ROOT / "fixtures" / "specs" / "well-documented.yaml"


def _audit(tmp_path: Path, text: str):
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return audit(load_spec(str(path)))


def test_structure_lists_the_hierarchy_with_published_weights_and_shares(tmp_path: Path) -> None:
    result = _audit(tmp_path, WELL_DOCUMENTED.read_text(encoding="utf-8"))
    elements = {e.id: e for e in result.profile.structure}
    assert [e.id for e in result.profile.structure] == [
        "health",
        "life_expectancy",
        "pm25",
        "housing",
        "rent_burden",
        "satisfaction",
    ]
    assert elements["health"].kind == "group" and elements["health"].share == 0.5
    assert elements["pm25"].weight == 0.5 and elements["pm25"].share == 0.25
    assert elements["rent_burden"].reference_year == "2022-2023"
    assert elements["satisfaction"].source_type == "resident_survey"
    steps = {m.step: m.value for m in result.profile.method}
    assert steps == {
        "Normalisation": "minmax",
        "Weighting": "explicit",
        "Aggregation": "arithmetic",
        "Missing data": "mean",
        "Outliers": "winsorise",
    }


def test_undisclosed_weights_keep_their_state_and_unknown_shares(tmp_path: Path) -> None:
    text = WELL_DOCUMENTED.read_text(encoding="utf-8").replace(
        "      weight: 0.5\n      cite: method\n      children:\n        - id: life_expectancy",
        "      weight: undisclosed\n      cite: method\n      children:\n        - id: life_expectancy",
    )
    elements = {e.id: e for e in _audit(tmp_path, text).profile.structure}
    assert elements["health"].weight == "undisclosed"
    assert elements["health"].share is None and elements["pm25"].share is None


def test_specs_written_from_excerpts_say_what_undisclosed_means(tmp_path: Path) -> None:
    text = WELL_DOCUMENTED.read_text(encoding="utf-8")
    assert SOURCES_READ_CAVEAT not in render_markdown([_audit(tmp_path, text)])
    caveated = _audit(
        tmp_path, text.replace("spec_version: 1\n", "spec_version: 1\nundisclosed_means: not_in_sources_read\n")
    )
    assert caveated.profile.undisclosed_means == "not_in_sources_read"
    assert SOURCES_READ_CAVEAT in render_markdown([caveated])


def test_a_source_declared_for_the_whole_index_shows_in_the_method(tmp_path: Path) -> None:
    text = WELL_DOCUMENTED.read_text(encoding="utf-8").replace(
        "structure:\n  aggregation: arithmetic\n",
        "structure:\n  aggregation: arithmetic\n  source: {name: City survey, type: resident_survey}\n"
        "  reference_year: [2022, 2023]\n",
    )
    steps = {m.step: m.value for m in _audit(tmp_path, text).profile.method}
    assert steps["Data source of the whole index"] == "City survey (resident_survey)"
    assert steps["Data years"] == "2022-2023"


ABSENT_FACTS = """\
spec_version: 1
undisclosed_means: verified
ranking: {name: Absent Facts Index, edition: "2024", published: 2024-05, purpose: unknown, audience: undisclosed}
publisher: {name: Example Institute}
sources:
  method: {title: Method, url: "https://example.org/method", publisher_document: methodology}
cities: {count: 2, definition: unknown}
access: {methodology: unknown, data: undisclosed}
structure:
  children:
    - {id: gdp, name: GDP per capita}
"""


def test_an_absent_fact_is_worded_by_its_evidence_state_in_every_profile(tmp_path: Path) -> None:
    """'not stated' would blame the publisher for a fact the spec's sources merely did not contain: the engine
    words each absence once (`Profile.absent`), and the reports print its words."""
    from rankaudit.report.html import render_html

    result = _audit(tmp_path, ABSENT_FACTS)
    absent = result.profile.absent
    assert absent["purpose"] == "not found in the sources cited"
    assert absent["city_definition"] == "not found in the sources cited"
    assert absent["methodology_access"] == "not found in the sources cited"
    assert absent["audience"] == "undisclosed" and absent["data_access"] == "undisclosed"
    assert "cities" not in absent  # stated
    markdown = render_markdown([result])
    assert "| Purpose | not found in the sources cited |" in markdown
    assert "| Intended audience | undisclosed |" in markdown
    assert "| Methodology | not found in the sources cited |" in markdown
    html = render_html([result])
    assert "(city boundaries not found in the sources cited)" in html
    assert "access not found in the sources cited" in html
    assert "not stated" not in markdown.split("What it claims")[1].split("\n#")[0]


def test_an_approximate_count_keeps_its_about_in_every_report(tmp_path: Path) -> None:
    text = ABSENT_FACTS.replace("cities: {count: 2, definition: unknown}", "cities: {count: {about: 2500}}")
    result = _audit(tmp_path, text)
    assert result.profile.cities == 2500 and result.profile.cities_text == "about 2500"
    assert "| Cities ranked | about 2500 |" in render_markdown([result])


def test_the_publishers_own_title_of_an_edition_is_named_in_every_heading(tmp_path: Path) -> None:
    # an edition labelled by its data year but released under another title: nobody may quote it under the wrong one
    from rankaudit.report.formats import REPORTS, RenderOptions

    result = _audit(
        tmp_path,
        'spec_version: 1\nranking: {name: Example Traffic Index, edition: "2016", '
        'published_as: "Example Traffic Index 2017", published: 2017-02}\npublisher: {name: Example Co}\n'
        "cities: {count: 3}\nstructure: {children: [{id: a, name: A}]}\n",
    )
    assert result.profile.published_as == "Example Traffic Index 2017"
    heading = "Example Traffic Index 2016 (published as “Example Traffic Index 2017”)"
    assert f"# Methodology audit: {heading}" in REPORTS.get("md").render([result]).replace("\\", "")
    assert heading in REPORTS.get("terminal").render([result], RenderOptions(color=False, width=120))
    assert "(published as &ldquo;Example Traffic Index 2017&rdquo;)" in REPORTS.get("html").render([result])
    # and the machine outputs carry it beside the edition
    import json
    import xml.etree.ElementTree as ET

    sarif = json.loads(REPORTS.get("sarif").render([result]))
    assert sarif["runs"][0]["properties"]["specs"][0]["publishedAs"] == "Example Traffic Index 2017"
    junit = ET.fromstring(REPORTS.get("junit").render([result]))
    properties = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert properties["published_as"] == "Example Traffic Index 2017"


def test_measures_ranked_separately_give_each_list_its_own_size(tmp_path: Path) -> None:
    # three lists of different sizes: the count is the recorded list's, and the profile names each list's size
    from rankaudit.report.formats import REPORTS

    result = _audit(
        tmp_path,
        'spec_version: 1\nranking: {name: Example Air, edition: "2025", kind: separate_rankings}\n'
        "publisher: {name: Example Lung Group}\ncities: {count: 208}\nstructure:\n  children:\n"
        "    - {id: ozone, name: Ozone, cities_ranked: 228}\n"
        "    - {id: short, name: Short-term particles, cities_ranked: 225}\n"
        "    - {id: annual, name: Year-round particles, cities_ranked: 208}\n",
    )
    assert result.profile.cities_text == "208 (in the list the spec records)"
    assert result.profile.cities_by_measure == ["Ozone: 228", "Short-term particles: 225", "Year-round particles: 208"]
    markdown = render_markdown([result])
    sizes = "Ozone: 228; Short-term particles: 225; Year-round particles: 208"
    assert f"| Cities ranked, by measure | {sizes} |" in markdown
    assert "Ozone: 228; Short-term particles: 225" in REPORTS.get("html").render([result])


def test_the_summary_says_weighted_as_the_publisher_chose_only_when_the_weighting_is_known(tmp_path: Path) -> None:
    head = ('spec_version: 1\nranking: {name: Example Index, edition: "2024"}\npublisher: {name: Example Co}\n'
            "cities: {count: 10}\n")
    children = "  indicator_count: 2\n  children:\n    - {id: a, name: A}\n    - {id: b, name: B}\n"
    known = render_markdown([_audit(tmp_path, head + "structure:\n  weighting: equal\n" + children)])
    unknown = render_markdown([_audit(tmp_path, head + "structure:\n  weighting: unknown\n" + children)])
    assert "How 10 cities compare on the 2 indicators that Example Co chose, weighted as it chose." in known
    assert "How 10 cities compare on the 2 indicators that Example Co chose." in unknown


def test_a_classification_profile_counts_listed_indicators_and_the_summary_scores_on_questions_answered(
    tmp_path: Path,
) -> None:
    # review: three paths of the session's change no test walked (the label, the listed count, the answered share)
    result = _audit(
        tmp_path,
        'spec_version: 1\nundisclosed_means: verified\nranking: {name: Example Class, edition: "2024", '
        "kind: classification}\npublisher: {name: Example Co}\nsponsors: undisclosed\n"
        "conflict_of_interest: undisclosed\ncities: {count: 5}\n"
        "structure:\n  indicator_count: 7\n  children: [{id: a, name: A}, {id: b, name: B}]\n",
    )
    assert result.profile.cities_label == "Cities classified"
    markdown = render_markdown([result])
    assert "| Cities classified | 5 |" in markdown and "| Cities ranked |" not in markdown
    assert "| Indicators | 7 (2 listed in the spec) |" in markdown
    opacity = next(d for d in result.dimensions if d.dimension == "opacity")
    assert opacity.coverage is not None and opacity.coverage < 1
    assert f"(opacity scores {number(opacity.score)} of 100 on the {coverage_percent(opacity.coverage)} of its " \
        "questions answered)" in markdown


def test_a_publishers_title_that_repeats_the_name_and_edition_is_not_named_twice(tmp_path: Path) -> None:
    result = _audit(
        tmp_path,
        'spec_version: 1\nranking: {name: Example Traffic Index, edition: "2017", '
        'published_as: "example traffic  index 2017"}\npublisher: {name: Example Co}\n'
        "cities: {count: 3}\nstructure: {children: [{id: a, name: A}]}\n",
    )
    assert result.profile.published_as is None
    assert "published as" not in render_markdown([result])

"""A fact the spec has only from secondary sources (press, blogs: `second_hand: true` on the citation or on the
registered source) is established, and every score that rests on it says so, as the profile values resting on it
are marked: a journalist quoting rankaudit must know when the publisher's own documents did not say it."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest

from rankaudit.audit import audit
from rankaudit.evidence import parts_read, second_hand_only
from rankaudit.spec.load import LoadedSpec, load_spec
from rankaudit.wording import SECOND_HAND_MARK, second_hand_text

SPEC = """\
spec_version: 1
undisclosed_means: verified
ranking:
  name: Hearsay Test Index
  edition: "2024"
  published: 2024-05
  frequency: annual
  previous_published: 2023-05
  cite:
    - source: method
      fields: [name, edition, frequency]
    - source: {published_source}
      fields: [published, previous_published]
publisher: {{name: Example Institute, type: academic, cite: method}}
sources:
  method: {{title: Method page, url: "https://example.org/method", publisher_document: methodology}}
  press: {{title: A newspaper's report, url: "https://news.example.com/index", second_hand: true}}
  mirror: {{title: "The method page, copied", url: "https://copy.example.net/method", second_hand: true,
            publisher_document: methodology}}
method:
  normalisation: minmax
  aggregation: arithmetic
  cite: method
cities:
  count: 3
  definition: {{type: metropolitan_area}}
  list:
    - {{name: Alpha, country: France, region: europe, rank: 1}}
    - {{name: Beta, country: Spain, region: europe, rank: 2}}
    - {{name: Gamma, country: Italy, region: europe, rank: 3}}
  cite:
    - source: method
      fields: [count, definition]
    - source: {rest}
      fields: [list]
sponsors:
  - {{name: First Bank, role: sponsor, type: commercial, country: France, cite: {first_sponsor_source}}}
  - {{name: Second Bank, role: sponsor, type: commercial, country: Spain, cite: {second_sponsor_source}}}
structure:
  weighting: explicit
  children:
    - {{id: economy, name: Economy, weight: 0.6, kind: outcome, cite: method}}
    - {{id: environment, name: Environment, weight: 0.4, kind: outcome, cite: method}}
"""


def _text(published_source: str = "press", first_sponsor_source: str = "press", rest: str = "press",
          second_sponsor_source: str = "press") -> str:
    return SPEC.format(published_source=published_source, first_sponsor_source=first_sponsor_source, rest=rest,
                       second_sponsor_source=second_sponsor_source)


def _load(tmp_path: Path, *sources: str, text: str | None = None) -> LoadedSpec:
    path = tmp_path / "hearsay.yaml"
    path.write_text(_text(*sources) if text is None else text, encoding="utf-8")
    return load_spec(str(path))


def test_the_facts_every_citation_of_which_is_second_hand_are_found_widest_first(tmp_path: Path) -> None:
    # the dates come from the press only, the list of cities and both sponsors too: the widest part is named
    assert sorted(second_hand_only(_load(tmp_path).spec)) == [
        "cities.list", "ranking.previous_published", "ranking.published", "sponsors",
    ]


def test_a_copy_of_the_publishers_own_document_is_not_second_hand(tmp_path: Path) -> None:
    assert "ranking.published" not in second_hand_only(_load(tmp_path, "mirror").spec)


def test_a_part_is_second_hand_only_when_every_instance_of_it_is(tmp_path: Path) -> None:
    # one sponsor is named in the publisher's own page: the sponsors are not second-hand as a whole, and no
    # field of theirs is either, since `sponsors[].country` would stand for every sponsor's country
    found = second_hand_only(_load(tmp_path, "press", "method").spec)
    assert not any(p.startswith("sponsors") for p in found)
    assert "cities.list" in found


def test_a_citation_above_a_fact_backs_it_and_a_citation_on_other_fields_does_not(tmp_path: Path) -> None:
    # `cities.count` is backed by the cities' citation naming it; the ranking's press citation names only the
    # dates, so the name of the ranking is the publisher's
    found = second_hand_only(_load(tmp_path).spec)
    assert "cities.count" not in found and "ranking.name" not in found


def test_an_unknown_fact_or_an_uncited_one_is_never_second_hand(tmp_path: Path) -> None:
    text = _text().replace("previous_published: 2023-05", "previous_published: unknown")
    found = second_hand_only(_load(tmp_path, text=text).spec)
    assert "ranking.previous_published" not in found and "ranking.published" in found
    # the indicators' weights are cited to the method page; nothing uncited is called second-hand
    assert not any(p.startswith("structure") for p in found)


def test_a_second_hand_part_is_what_a_rule_reads_when_it_reads_that_part_or_within_it() -> None:
    assert parts_read(("cities.list[].rank",), ["cities.list"]) == ["cities.list"]
    assert parts_read(("cities.list",), ["cities.list[].rank"]) == []


def test_every_score_on_a_second_hand_fact_says_so_and_no_other_does(tmp_path: Path) -> None:
    plain = {f.code: f for f in audit(_load(tmp_path, "method", "method", "method", "method")).findings}
    # OP05 judges a sponsor known only from the press by a rule of its own: the sponsors are the publisher's here
    press = {f.code: f for f in audit(_load(tmp_path, "press", "method", "press", "method")).findings}
    flagged = {code for code, f in press.items() if f.second_hand}
    assert {"FR06", "FR09"} <= flagged  # the cadence and the publication date rest on the press's dates
    for code, finding in press.items():
        if code in flagged:
            assert finding.status == "scored"
            assert finding.message == f"{plain[code].message}; {second_hand_text(finding.second_hand)}"
        else:
            assert finding.message == plain[code].message
    assert press["FR09"].second_hand == ["ranking.published"]
    # established either way: the scores do not change, only the words
    assert [f.score for f in press.values()] == [f.score for f in plain.values()]


def test_a_finding_left_not_assessed_carries_no_second_hand_clause(tmp_path: Path) -> None:
    text = _text().replace("previous_published: 2023-05", "previous_published: unknown")
    for finding in audit(_load(tmp_path, text=text)).findings:
        assert not finding.second_hand or finding.status == "scored", finding.code


@pytest.mark.parametrize("name", ["md", "html"])
def test_a_profile_value_known_only_second_hand_is_marked(tmp_path: Path, name: str) -> None:
    from rankaudit.report.formats import REPORTS

    result = audit(_load(tmp_path, "press", "method", "method", "method"))
    assert result.profile.second_hand == ["published"]
    text = unescape(REPORTS.get(name).render([result])).replace("\\", "")
    assert "second-hand sources only, not the publisher's own documents" in text
    if name == "md":
        assert f"| Published | 2024-05 ({SECOND_HAND_MARK}) |" in text
    plain = audit(_load(tmp_path, "method", "method", "method", "method"))
    assert plain.profile.second_hand == []


def test_a_citation_naming_a_nested_field_dotted_backs_that_field_only(tmp_path: Path) -> None:
    # `fields: [definition.consistent]` (as the specs write it) backs the one nested fact: the press alone gives
    # whether the definition is consistent, the method page gives its type
    text = _text().replace("definition: {type: metropolitan_area}", "definition: {type: metropolitan_area, "
                           "consistent: true}")
    shared = text.replace("fields: [count, definition]", "fields: [count, definition.type]")
    found = second_hand_only(_load(tmp_path, text=shared.replace(
        "fields: [list]", "fields: [list, definition.consistent]")).spec)
    assert "cities.definition.consistent" in found and "cities.definition.type" not in found
    # and a press citation of the whole definition beside the method page's of its type leaves the type the
    # publisher's: naming it dotted is naming it
    found = second_hand_only(_load(tmp_path, text=shared.replace("fields: [list]", "fields: [list, definition]")).spec)
    assert "cities.definition.type" not in found and "cities.definition" not in found
    assert "cities.definition.consistent" in found


def test_the_plain_summary_does_not_assert_a_viewpoint_known_only_second_hand(tmp_path: Path) -> None:
    from rankaudit.report.formats import REPORTS

    def summary(source: str) -> str:
        text = _text("method").replace("  frequency: annual\n", "  frequency: annual\n  perspective: investor\n")
        text = text.replace("fields: [published, previous_published]",
                            "fields: [published, previous_published]\n    - source: "
                            f"{source}\n      fields: [perspective]")
        return unescape(REPORTS.get("md").render([audit(_load(tmp_path, text=text))])).replace("\\", "")

    press = summary("press")
    assert f"the viewpoint secondary sources give the ranking (investor; {SECOND_HAND_MARK}" in press
    assert "its indicators and weights were chosen for that viewpoint" not in press
    assert "its indicators and weights were chosen for that viewpoint" in summary("method")

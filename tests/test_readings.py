"""A fact the spec's author only read into a source (`reading: true` on its citation) is established, and every
finding that rests on it says so: nobody may quote an inference of the spec as the publisher's statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from rankaudit.audit import audit
from rankaudit.evidence import parts_read, readings
from rankaudit.spec.load import load_spec
from rankaudit.wording import reading_text

SPEC = """\
spec_version: 1
undisclosed_means: verified
ranking: {{name: Reading Test Index, edition: "2024", published: 2024-05, frequency: one_off}}
publisher: {{name: Example Institute, type: academic}}
sources:
  page: {{title: Method page, url: "https://example.org/method"}}
method:
  normalisation: minmax
  aggregation: arithmetic
  cite:
    - source: page
      fields: [aggregation]
      quote: "Economy (60% of total), Environment (40% of total)"
{flag}
cities: {{count: 2, definition: {{type: metropolitan_area}}}}
structure:
  weighting: explicit
  children:
    - {{id: economy, name: Economy, weight: 0.6, kind: outcome, cite: page}}
    - id: environment
      name: Environment
      weight: 0.4
      kind: outcome
      cite:
        - source: page
          fields: [kind]
{kind_flag}
"""


def _spec(tmp_path: Path, flag: bool, kind_flag: bool = False) -> Path:
    path = tmp_path / "reading.yaml"
    path.write_text(SPEC.format(flag="      reading: true" if flag else "",
                                kind_flag="          reading: true" if kind_flag else ""), encoding="utf-8")
    return path


def test_readings_are_the_cited_fields_in_the_rules_notation(tmp_path: Path) -> None:
    spec = load_spec(str(_spec(tmp_path, flag=True, kind_flag=True))).spec
    assert readings(spec) == ["method.aggregation", "structure.children[].kind"]
    assert readings(load_spec(str(_spec(tmp_path, flag=False))).spec) == []


@pytest.mark.parametrize(
    ("reads", "expected"),
    [
        (("method.aggregation",), ["method.aggregation"]),  # the field itself
        (("method",), []),  # a part of an object the rule reads whole is not what it judges
        (("method.normalisation",), []),  # a neighbouring field
        (("structure.children[].kind",), ["structure.children[].kind"]),
        (("structure.children[].geo_level",), []),
    ],
)
def test_a_rule_rests_on_the_readings_of_what_it_reads(reads: tuple[str, ...], expected: list[str]) -> None:
    assert parts_read(reads, ["method.aggregation", "structure.children[].kind"]) == expected


def test_a_reading_of_a_whole_object_covers_its_fields() -> None:
    assert parts_read(("cities.definition.type",), ["cities.definition"]) == ["cities.definition"]
    assert parts_read(("cities.list[].country",), ["cities.list"]) == ["cities.list"]


def test_a_reading_of_a_field_set_on_the_index_covers_every_indicator_it_holds() -> None:
    # `structure.source` is the source of every indicator: a rule reading the indicators' source type rests on it
    reads = ("structure.children[].source.type", "structure.children[].weight")
    assert parts_read(reads, ["structure.source"]) == ["structure.source"]
    assert parts_read(("structure.children[].kind",), ["structure.source"]) == []


def test_every_finding_on_a_reading_says_so_and_no_other_does(tmp_path: Path) -> None:
    plain = {f.code: f for f in audit(load_spec(str(_spec(tmp_path, flag=False)))).findings}
    read = {f.code: f for f in audit(load_spec(str(_spec(tmp_path, flag=True)))).findings}
    flagged = {code for code, f in read.items() if f.readings}
    assert "OP07" in flagged  # normalisation and aggregation stated: the aggregation is a reading
    for code, finding in read.items():
        if code in flagged:
            assert finding.readings == ["method.aggregation"]
            assert finding.message == f"{plain[code].message}; {reading_text(['method.aggregation'])}"
        else:
            assert finding.message == plain[code].message
    # established either way: the score and the coverage do not change, only the words
    assert [f.score for f in read.values()] == [f.score for f in plain.values()]


def test_a_reading_is_said_in_the_machine_and_document_outputs(tmp_path: Path) -> None:
    from html import unescape

    from rankaudit.report.formats import REPORTS

    result = audit(load_spec(str(_spec(tmp_path, flag=True))))
    for name in ("json", "md", "html", "sarif", "junit"):
        assert "spec's own reading of its sources" in unescape(REPORTS.get(name).render([result])), name


def test_a_reading_of_a_whole_indicator_at_any_depth_is_one_pattern() -> None:
    from rankaudit.evidence import _read_pattern

    assert _read_pattern(("structure", "children", 0, "children", 3)) == "structure.children[]"
    assert _read_pattern(("structure", "children", 0, "children", 3, "kind")) == "structure.children[].kind"
    assert parts_read(("structure.children[].kind",), ["structure.children[]"]) == ["structure.children[]"]



def test_a_finding_names_only_the_readings_its_verdict_was_judged_on(tmp_path: Path) -> None:
    # FR09 reads the kind only for a continuously updated site without a publication date: a stated date is
    # judged on itself, so a reading of the kind is not what "published 2024-05" rests on
    ranking = ('ranking: {name: Reading Test Index, edition: "2024", published: 2024-05, frequency: one_off}\n')
    read_kind = ('ranking:\n  name: Reading Test Index\n  edition: "2024"\n  published: 2024-05\n'
                 '  frequency: one_off\n  kind: composite\n  cite:\n    - source: page\n      fields: [kind]\n'
                 '      reading: true\n')
    text = _spec(tmp_path, flag=False).read_text(encoding="utf-8")
    assert ranking in text
    path = tmp_path / "kind-read.yaml"
    path.write_text(text.replace(ranking, read_kind), encoding="utf-8")
    loaded = load_spec(str(path))
    assert readings(loaded.spec) == ["ranking.kind"]
    findings = {f.code: f for f in audit(loaded).findings}
    assert findings["FR09"].score == 2
    assert findings["FR09"].readings == []


def test_a_profile_value_resting_on_a_reading_is_marked_in_every_document(tmp_path: Path) -> None:
    from html import unescape

    from rankaudit.report.formats import REPORTS
    from rankaudit.wording import READING_MARK

    text = _spec(tmp_path, flag=False).read_text(encoding="utf-8").replace(
        'frequency: one_off}\n',
        'frequency: one_off, perspective: investor, cite: [{source: page, fields: [perspective], reading: true}]}\n',
    )
    path = tmp_path / "perspective-read.yaml"
    path.write_text(text, encoding="utf-8")
    result = audit(load_spec(str(path)))
    assert result.profile.readings == ["perspective"]
    markdown = REPORTS.get("md").render([result])
    assert f"| Viewpoint | investor ({READING_MARK}) |" in markdown.replace("\\", "")
    assert "the viewpoint the spec reads in the ranking" in markdown
    assert f'investor <span class="muted">({READING_MARK})</span>' in unescape(REPORTS.get("html").render([result]))
    # without the reading, the value is the publisher's word and carries no mark
    plain = audit(load_spec(str(_spec(tmp_path, flag=False))))
    assert plain.profile.readings == []


@pytest.mark.parametrize(("kind", "labelled"), [("separate_rankings", True), ("composite", False)])
def test_a_share_rests_on_a_reading_of_the_kind_only_when_the_kind_made_its_measures_count_alike(
    tmp_path: Path, kind: str, labelled: bool
) -> None:
    ranking = 'ranking: {name: Reading Test Index, edition: "2024", published: 2024-05, frequency: one_off}\n'
    read_kind = ('ranking:\n  name: Reading Test Index\n  edition: "2024"\n  published: 2024-05\n'
                 f'  frequency: one_off\n  kind: {kind}\n  cite:\n    - source: page\n      fields: [kind]\n'
                 '      reading: true\n')
    text = _spec(tmp_path, flag=False).read_text(encoding="utf-8").replace(ranking, read_kind)
    path = tmp_path / "kind-share.yaml"
    path.write_text(text, encoding="utf-8")
    findings = {f.code: f for f in audit(load_spec(str(path))).findings}
    assert ("ranking.kind" in findings["QB06"].readings) is labelled, findings["QB06"].message


def test_a_question_found_not_to_arise_on_a_reading_of_the_kind_says_so(tmp_path: Path) -> None:
    # a set of separate rankings has no weights to publish: when the kind is the spec's reading, so is that
    text = _kind_read(tmp_path, "separate_rankings")
    findings = {f.code: f for f in audit(load_spec(str(_write(tmp_path, text)))).findings}
    assert findings["OP02"].status == "not_applicable"
    assert findings["OP02"].readings == ["ranking.kind"]
    assert findings["OP02"].message.endswith(reading_text(["ranking.kind"]))
    # stated by the publisher, the same question does not arise without a word on readings
    stated = audit(load_spec(str(_write(tmp_path, text.replace("      reading: true\n", "", 1)))))
    assert {f.code: f for f in stated.findings}["OP02"].readings == []


def _kind_read(tmp_path: Path, kind: str) -> str:
    """The test spec with `ranking.kind` set to `kind`, cited as a reading."""
    ranking = 'ranking: {name: Reading Test Index, edition: "2024", published: 2024-05, frequency: one_off}\n'
    read_kind = ('ranking:\n  name: Reading Test Index\n  edition: "2024"\n  published: 2024-05\n'
                 f'  frequency: one_off\n  kind: {kind}\n  cite:\n    - source: page\n'
                 '      fields: [kind]\n      reading: true\n')
    return _spec(tmp_path, flag=False).read_text(encoding="utf-8").replace(ranking, read_kind)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kind-stated.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_classification_read_in_the_ranking_labels_the_home_city_check_it_settles(tmp_path: Path) -> None:
    # review: OP06 finds the question does not arise for a classification listing no ranks, on the kind alone
    text = _kind_read(tmp_path, "classification")
    op06 = {f.code: f for f in audit(load_spec(str(_write(tmp_path, text)))).findings}["OP06"]
    assert op06.status == "not_applicable" and op06.readings == ["ranking.kind"]
    assert op06.message.endswith(reading_text(["ranking.kind"]))
    stated = audit(load_spec(str(_write(tmp_path, text.replace("      reading: true\n", "", 1)))))
    assert {f.code: f for f in stated.findings}["OP06"].readings == []

"""The format registry: the CLI's choices, suffix inference and rendering all come from it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rankaudit.cli import COMPARE_FORMATS, REPORT_FORMATS, app
from rankaudit.report.formats import COMPARISONS, REPORTS, RenderOptions
from rankaudit.result import AuditResult
from tests.report.conftest import ROOT, SMALL


def test_cli_choices_are_the_registry() -> None:
    assert REPORTS.names() == REPORT_FORMATS
    assert COMPARISONS.names() == COMPARE_FORMATS


@pytest.mark.parametrize("fmt", list(REPORTS), ids=lambda f: f.name)
def test_every_report_format_renders(fmt, small: AuditResult, hostile: AuditResult) -> None:  # type: ignore[no-untyped-def]
    text = fmt.render([small, hostile], RenderOptions())
    assert text.endswith("\n") and len(text) > 100
    assert fmt.render([small, hostile]) == text  # deterministic


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("r.json", "json"),
        ("r.sarif", "sarif"),
        ("R.SARIF.JSON", "sarif"),  # the longest suffix wins over .json
        ("r.html", "html"),
        ("r.htm", "html"),
        ("r.md", "md"),
        ("r.markdown", "md"),
        ("r.xml", "junit"),
        ("r.csv", "csv"),
        ("r.txt", "terminal"),
    ],
)
def test_suffix_inference(path: str, name: str) -> None:
    found = REPORTS.for_path(path)
    assert found is not None and found.name == name


def test_every_suffix_selects_its_own_format() -> None:
    for registry in (REPORTS, COMPARISONS):
        for fmt in registry:
            for suffix in fmt.suffixes:
                found = registry.for_path("out" + suffix)
                assert found is not None and found.name == fmt.name


def test_unknown_suffix_and_name() -> None:
    assert REPORTS.for_path("r.pdf") is None
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        REPORTS.get("pdf")


@pytest.mark.parametrize("fmt", [f for f in REPORTS if f.suffixes], ids=lambda f: f.name)
def test_audit_infers_the_format_from_the_output_suffix(fmt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    target = tmp_path / f"out{fmt.suffixes[0]}"
    result = CliRunner().invoke(app, ["audit", SMALL, "-n", "0", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == REPORTS.render(fmt.name, _audit_small())


def _audit_small() -> list[AuditResult]:
    from rankaudit.audit import audit_file

    return [audit_file(SMALL, replications=0)]


def test_csv_report_has_one_row_per_finding_and_neutralises_formulas(hostile: AuditResult) -> None:
    formula = '=HYPERLINK("https://evil.example","x")'
    hostile = hostile.model_copy(update={"profile": hostile.profile.model_copy(update={"name": formula})})
    rows = list(csv.DictReader(io.StringIO(REPORTS.render("csv", [hostile]))))
    assert len(rows) == len(hostile.findings)
    assert {row["ranking"] for row in rows} == {"'" + formula}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value

"""The format registry: every output format of rankaudit, in one table per kind of output.

A format is a name, the file suffixes that select it, the renderer that writes it and whether it
is a machine format (read by CI tools rather than people: its stdout must stay parseable, and it
must account for every spec named on the command line, failed ones included). The CLI's choices,
the inference of a format from an output file's suffix, the help texts and the format tests all
derive from these tables; adding a format is one row here plus its renderer module.

Renderers are imported when used, so that `rankaudit --help` does not load Jinja or rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from rankaudit.compare import Comparison
    from rankaudit.questions import Letter
    from rankaudit.report.whatif import Titled
    from rankaudit.result import AuditResult, Gate, Problem
    from rankaudit.stats.claims import ClaimsResult
    from rankaudit.stats.rerank import RerankReport

T = TypeVar("T")


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may need beyond the results: all of it decided before rendering.

    `gates` are the engine's --fail-under decisions (one per result, same order); `problems` are
    the specs that could not be audited, which machine formats report next to the results;
    `color` and `width` shape the terminal format only.
    """

    gates: list[Gate] | None = None
    problems: list[Problem] = field(default_factory=list)
    color: bool = False
    width: int = 100


@dataclass(frozen=True)
class Format(Generic[T]):
    name: str
    summary: str
    suffixes: tuple[str, ...]
    machine: bool
    renderer: str = field(repr=False)  # "module:function"

    def render(self, data: T, options: RenderOptions | None = None) -> str:
        module, function = self.renderer.split(":")
        render: Callable[[T, RenderOptions], str] = getattr(importlib.import_module(module), function)
        return render(data, options or RenderOptions())


class Registry(Generic[T]):
    """The formats of one kind of output, in the order the help lists them."""

    def __init__(self, kind: str, formats: list[Format[T]]) -> None:
        self.kind = kind
        self._formats = {f.name: f for f in formats}

    def __iter__(self) -> Iterator[Format[T]]:
        return iter(self._formats.values())

    def __contains__(self, name: object) -> bool:
        return name in self._formats

    def names(self) -> list[str]:
        return list(self._formats)

    def get(self, name: str) -> Format[T]:
        try:
            return self._formats[name]
        except KeyError:
            known = ", ".join(self._formats)
            raise ValueError(f"unknown {self.kind} format {name!r}; expected one of {known}") from None

    def for_path(self, path: str) -> Format[T] | None:
        """The format a file name asks for by its suffix (the longest matching suffix wins)."""
        name = path.lower()
        matches = [(len(s), f) for f in self for s in f.suffixes if name.endswith(s)]
        return max(matches, key=lambda m: m[0])[1] if matches else None

    def render(self, name: str, data: T, options: RenderOptions | None = None) -> str:
        return self.get(name).render(data, options)


_R = "rankaudit.report."

REPORTS: Registry[list[AuditResult]] = Registry(
    "report",
    [
        Format("terminal", "scorecards for people", (".txt",), False, _R + "terminal:render_terminal"),
        Format("json", "every result, in the documented schema", (".json",), True, _R + "json_report:render_json"),
        Format("md", "Markdown report", (".md", ".markdown"), False, _R + "markdown:render_markdown"),
        Format("html", "self-contained HTML report", (".html", ".htm"), False, _R + "html:render_html"),
        Format("sarif", "SARIF 2.1.0 for code scanning", (".sarif", ".sarif.json"), True, _R + "sarif:render_sarif"),
        Format("github", "GitHub Actions annotations", (), True, _R + "github:render_github"),
        Format("junit", "JUnit XML for CI test reports", (".xml",), True, _R + "junit:render_junit"),
        Format("csv", "one row per finding", (".csv",), True, _R + "csv_report:render_csv"),
    ],
)

COMPARISONS: Registry[Comparison] = Registry(
    "comparison",
    [
        Format("terminal", "table for people", (".txt",), False, _R + "comparison:render_terminal"),
        Format("md", "Markdown table", (".md", ".markdown"), False, _R + "comparison:render_markdown"),
        Format("csv", "one row per spec", (".csv",), True, _R + "comparison:render_csv"),
        Format("json", "one object per spec", (".json",), True, _R + "comparison:render_json"),
    ],
)

# The what-if commands (issue 14): one registry per kind of answer, same conventions as above.
CLAIMS: Registry[Titled[ClaimsResult]] = Registry(
    "claims",
    [
        Format("terminal", "one block per city, for people", (".txt",), False, _R + "whatif:render_claims_terminal"),
        Format("md", "Markdown table", (".md", ".markdown"), False, _R + "whatif:render_claims_markdown"),
        Format("json", "every city's interval and verdicts", (".json",), True, _R + "whatif:render_claims_json"),
        Format("html", "an HTML page with the claims section", (".html", ".htm"), False,
               _R + "whatif:render_claims_html"),
    ],
)

RERANKS: Registry[Titled[RerankReport]] = Registry(
    "rerank",
    [
        Format("terminal", "tables for people", (".txt",), False, _R + "whatif:render_rerank_terminal"),
        Format("md", "Markdown tables", (".md", ".markdown"), False, _R + "whatif:render_rerank_markdown"),
        Format("json", "ranks, weight changes and stability", (".json",), True, _R + "whatif:render_rerank_json"),
        Format("html", "an HTML page with the rerank section", (".html", ".htm"), False,
               _R + "whatif:render_rerank_html"),
    ],
)

QUESTIONS: Registry[Letter] = Registry(
    "questions",
    [
        Format("text", "the letter as plain text", (".txt",), False, _R + "questions_report:render_text"),
        Format("md", "the letter in Markdown", (".md", ".markdown"), False, _R + "questions_report:render_markdown"),
        Format("html", "an HTML page with the letter section", (".html", ".htm"), False,
               _R + "questions_report:render_html"),
        Format("json", "every question with its rule, fact and source", (".json",), True,
               _R + "questions_report:render_json"),
    ],
)

"""The audit engine: a loaded spec (and optional statistical results) -> AuditResult.

This is where rule verdicts become located findings and scores; the CLI only calls it and the
renderers only read what it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rankaudit import __version__, evidence, wording
from rankaudit.config import Config
from rankaudit.diagnostics import Diagnostic as SpecDiagnostic
from rankaudit.diagnostics import SpecError
from rankaudit.diagnostics_codes import PUBLISHED_ERROR, VALUES_ERROR
from rankaudit.result import (
    Absence,
    AuditResult,
    Change,
    CitationOut,
    Diagnostic,
    DimensionResult,
    Element,
    Finding,
    Gate,
    GradeBand,
    Level,
    LocatedError,
    MethodStep,
    Organisation,
    Problem,
    Profile,
    PublisherChange,
    Status,
    number,
    rounded,
)
from rankaudit.rules import all_rules
from rankaudit.rules.base import DIMENSION_TITLES, Rule, Verdict, is_stated, not_applicable
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import sources_of
from rankaudit.scoring import (
    DIMENSION_WEIGHTS,
    GRADE_BANDS,
    Evidence,
    Scored,
    assessable_weight,
    dimension_scores,
    given_grade,
    grade,
    grade_label,
    grade_status,
    grade_text,
    is_provisional,
    overall_coverage,
    overall_range,
    overall_score,
    points_worth,
    span_letters,
)
from rankaudit.spec.load import LoadedSpec, load_spec
from rankaudit.spec.models import (
    Citation,
    Cities,
    CityDefinition,
    Indicator,
    IndicatorSource,
    MissingData,
    Normalisation,
    Outliers,
    Spec,
    Structure,
)
from rankaudit.spec.semantic import walk_citations
from rankaudit.spec.tree import Tree
from rankaudit.spec.yamlsafe import Path

if TYPE_CHECKING:
    from rankaudit.stats.coherence import Thresholds
    from rankaudit.stats.result import StatsResult


def dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


def evaluate(rule: Rule, ctx: AuditContext, config: Config) -> Verdict:
    if rule.needs_data and ctx.stats is None:
        return not_applicable("no indicator data supplied; the statistical audit did not run", ("data",))
    return rule.check(ctx, config.options_for(rule))


@dataclass(frozen=True)
class Assessed:
    """A verdict resolved against the evidence states of the facts it rests on (rankaudit.evidence)."""

    verdict: Verdict
    status: Status
    absence: Absence | None
    counts_as: Evidence

    @property
    def score(self) -> int | None:
        return self.verdict.score if self.status == "scored" else None

    @property
    def unassessed(self) -> int:
        """The points of a scored rule that rest on unknown facts (none unless scored)."""
        return self.verdict.unassessed if self.status == "scored" else 0


def assess(verdicts: list[tuple[Rule, Verdict]], spec: Spec) -> dict[str, Assessed]:
    """Each rule's verdict with its status: an undisclosed verdict whose facts are all unknown is not
    assessed; a blocked verdict counts as established or unknown as its root cause does."""
    first: dict[str, tuple[Status, Absence | None]] = {}
    for rule, verdict in verdicts:
        if verdict.blocked_by is not None:
            first[rule.code] = ("blocked", None)
        elif verdict.undisclosed and verdict.score == 0:
            absence = evidence.resolve(spec, verdict.facts or (verdict.path,))
            first[rule.code] = ("not_assessed" if absence == "unknown" else "scored", absence)
        else:
            first[rule.code] = ("not_applicable" if verdict.score is None else "scored", None)
    by_code = {rule.code: verdict for rule, verdict in verdicts}

    def counts_as(code: str, seen: frozenset[str] = frozenset()) -> Evidence:
        status, _ = first[code]
        if status == "scored":
            return "established"
        if status == "not_assessed":
            return "unknown"
        if status == "not_applicable":
            return "none"
        root = by_code[code].blocked_by
        if root is None or root not in first or root in seen:
            return "established"  # the root rule is switched off: the gap stands on its own
        return "established" if counts_as(root, seen | {code}) in ("established", "none") else "unknown"

    return {
        rule.code: Assessed(verdict, *first[rule.code], counts_as(rule.code)) for rule, verdict in verdicts
    }


def audit(loaded: LoadedSpec, config: Config | None = None, stats: StatsResult | None = None) -> AuditResult:
    config = config or Config()
    ctx = AuditContext(loaded.spec, stats, loaded.tree)
    rules = [r for r in all_rules() if config.enabled(r.code)]
    verdicts = [(r, evaluate(r, ctx, config)) for r in rules]
    assessed = assess(verdicts, loaded.spec)
    scores = dimension_scores(
        Scored(r.dimension, assessed[r.code].score, r.core, assessed[r.code].counts_as, v.blocked_by,
               assessed[r.code].unassessed)
        for r, v in verdicts
    )
    overall = overall_score(scores)
    assessable = assessable_weight(scores)
    blocks: dict[str, list[str]] = {}
    for rule, verdict in verdicts:
        if verdict.blocked_by is not None:
            blocks.setdefault(verdict.blocked_by, []).append(rule.code)
    findings = []
    read_fields = evidence.readings(loaded.spec)
    second_hand_fields = evidence.second_hand_only(loaded.spec)
    for rule, _ in verdicts:
        findings.append(
            _finding(
                rule, assessed[rule.code], loaded, scores[rule.dimension].max_points, assessable,
                blocks.get(rule.code, []), read_fields, second_hand_fields,
            )
        )
    coverage = overall_coverage(scores)
    span = overall_range(scores)
    letter = grade(overall)  # the score's letter: printed only when the coverage allows (grade_status)
    shown_span = span if is_provisional(coverage) else None  # provisional or withheld: the range is printed
    shown_letters = span_letters(shown_span)
    return AuditResult(
        file=loaded.file,
        tool={"name": "rankaudit", "version": __version__},
        profile=profile(loaded, read_fields, second_hand_fields),
        dimensions=[
            DimensionResult(
                dimension=d,
                title=DIMENSION_TITLES[d],
                score=s.score,
                grade=given_grade(s.score, s.coverage),
                grade_status=grade_status(s.score, s.coverage),
                weight=DIMENSION_WEIGHTS[d],
                points=s.points,
                max_points=s.max_points,
                applicable_rules=s.applicable_rules,
                reason=s.reason,
                coverage=s.coverage,
                provisional=is_provisional(s.coverage),
            )
            for d, s in scores.items()
        ],
        overall=overall,
        grade=given_grade(overall, coverage),
        grade_status=grade_status(overall, coverage),
        coverage=coverage,
        provisional=is_provisional(coverage),
        grade_text=grade_text(letter, coverage, span),
        grade_label=grade_label(letter, coverage, span),
        overall_range=list(shown_span) if shown_span is not None else None,
        grade_range=list(shown_letters) if shown_letters is not None else None,
        root_causes=root_causes(findings),
        grade_bands=[GradeBand(grade=letter, lower=lower) for letter, lower in GRADE_BANDS],
        findings=findings,
        warnings=[
            Diagnostic(code=w.code, message=w.message, severity=w.severity, line=w.line, column=w.column)
            for w in loaded.warnings
        ],
        statistics=stats,
    )


def problem(file: str, diagnostics: Iterable[SpecDiagnostic]) -> Problem:
    """A spec that could not be audited, as machine formats report it."""
    return Problem(
        file=file,
        errors=[
            LocatedError(
                code=d.code,
                message=d.message,
                severity=d.severity,
                file=d.file or file,
                line=d.line,
                column=d.column,
                end_line=d.end_line,
                end_column=d.end_column,
            )
            for d in diagnostics
        ],
    )


def gate(result: AuditResult, fail_under: float | None) -> Gate:
    """The --fail-under decision: the one place it is made, for the exit code and every output.

    It compares the overall score as every output shows it (`rounded`), so that a score printed
    as 40 never fails a gate of 40 and the message never says "40 is below 40".
    """
    if fail_under is None:
        return Gate(file=result.file, threshold=None, passed=True, message=None)
    shown = rounded(result.overall)
    threshold = f"--fail-under {number(fail_under, 2)}"
    if shown is None:
        message = f"{result.file}: no overall score (no dimension could be assessed), so it cannot meet {threshold}"
        return Gate(file=result.file, threshold=fail_under, passed=False, message=message)
    if shown < fail_under:
        message = f"{result.file}: overall score {number(shown)} is below {number(fail_under, 2)}"
        return Gate(file=result.file, threshold=fail_under, passed=False, message=message)
    return Gate(file=result.file, threshold=fail_under, passed=True, message=None)


def finding_level(score: int | None, core: bool) -> Level:
    """One severity for every output (terminal, JSON, SARIF, annotations, JUnit, Markdown).

    error: a core rule not met (0); warning: another rule not met, or a core rule partly met (1);
    note: another rule partly met; pass (2); not_applicable.
    """
    if score is None:
        return "not_applicable"
    if score == 2:
        return "pass"
    if score == 0:
        return "error" if core else "warning"
    return "warning" if core else "note"


ROOT_CAUSES_SHOWN = 3


def root_causes(findings: list[Finding], limit: int = ROOT_CAUSES_SHOWN) -> list[str]:
    """The most costly root causes of a grade in plain words, worst first: findings that lose points, and
    root causes that block other rules (each blocked rule weighs one point, so that a gap stopping a dozen
    rules leads the list even when it is not found in the sources cited and costs nothing itself)."""
    candidates = [f for f in findings if (f.status == "scored" and f.cost > 0) or f.blocks]
    candidates.sort(key=lambda f: (-(f.cost + len(f.blocks)), f.code))
    return [wording.root_cause_text(f.code, f.message, f.absence_text, f.cost, f.blocks) for f in candidates[:limit]]


def _finding(
    rule: Rule, assessed: Assessed, loaded: LoadedSpec, max_points: float, assessable: float, blocks: list[str],
    read_fields: Sequence[str] = (),
    second_hand_fields: Sequence[str] = (),
) -> Finding:
    verdict = assessed.verdict
    # a verdict judged on a field the spec's author only read into a source says so, wherever it is printed
    # (not a finding that judged nothing: "no indicator data supplied", "not assessable: see OP02"), and names
    # only the fields the verdict was judged on when it narrows them
    reads = [r for r in (verdict.rests_on if verdict.rests_on is not None else rule.reads) if r not in verdict.not_on]
    # a question found not to arise says so when the verdict names the facts it was settled on (the ranking's kind)
    settled = assessed.status == "not_applicable" and verdict.rests_on is not None
    judged = assessed.status in ("scored", "not_assessed") or settled
    rests_on = evidence.parts_read(reads, read_fields) if judged else []
    # and so does a score given on facts the spec has only from the press, not the publisher's documents (a
    # finding left not assessed gave no verdict a reader could quote as the publisher's)
    hearsay = evidence.parts_read(reads, second_hand_fields) if assessed.status == "scored" or settled else []
    message = verdict.message
    if rests_on:
        message += f"; {wording.reading_text(rests_on)}"
    if hearsay:
        message += f"; {wording.second_hand_text(hearsay)}"
    span = loaded.positions.span(verdict.path)
    score = assessed.score
    level = finding_level(score, rule.core)
    # points resting on unknown facts are not lost: the cost counts only what established facts cost
    possible = None if score is None else score + assessed.unassessed
    cost = 0.0
    if possible is not None:
        _, lost = points_worth(rule.dimension, rule.core, 2 - possible, max_points, assessable)
        cost = round(lost, 2)
    absence_text = wording.ABSENCE_TEXT[assessed.absence] if assessed.absence else None
    return Finding(
        code=rule.code,
        dimension=rule.dimension,
        title=rule.title,
        score=score,
        core=rule.core,
        undisclosed=verdict.undisclosed and assessed.status == "scored",
        status=assessed.status,
        absence=assessed.absence,
        absence_text=absence_text,
        blocked_by=verdict.blocked_by,
        blocks=blocks,
        status_text=wording.status_text(assessed.status, score, absence_text, verdict.blocked_by, assessed.unassessed),
        level=level,
        message=message,
        file=loaded.file,
        line=span.line if span else None,
        column=span.column if span else None,
        end_line=span.end_line if span else None,
        end_column=span.end_column if span else None,
        path=dotted(verdict.path),
        source=rule.source,
        source_url=rule.source_url,
        cost=cost,
        evidence=_jsonable(verdict.evidence),
        rationale=" ".join((rule.rationale or "").split()),
        scoring=" ".join((rule.scoring or "").split()),
        readings=rests_on,
        second_hand=hearsay,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, float):
        return round(value, 6)
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def _published_as(title: str | None, label: str) -> str | None:
    """The publisher's own title of the edition, when it differs from the ranking's name and edition label (a
    title that repeats them would be printed twice in every heading)."""
    if title is None or " ".join(title.split()).casefold() == " ".join(label.split()).casefold():
        return None
    return title


def _stated(value: Any) -> Any:
    return value if is_stated(value) else None


def _org(org: Any, role: str | None = None) -> Organisation:
    return Organisation(
        name=org.name,
        type=_stated(org.type),
        home_city=_stated(org.home_city),
        role=role or getattr(org, "role", None),
    )


def profile(loaded: LoadedSpec, read_fields: Sequence[str], second_hand_fields: Sequence[str]) -> Profile:
    """What the ranking is, who makes it, what it claims; its values marked where they rest on the spec's
    readings (`read_fields`) or on second-hand facts only (`second_hand_fields`), found once by `audit`."""
    spec: Spec = loaded.spec
    tree = loaded.tree or Tree(spec)
    ranking = spec.ranking
    perspective = ranking.perspective
    perspectives: list[str] | None = (
        [perspective]
        if isinstance(perspective, str) and is_stated(perspective)
        else (list(perspective) if isinstance(perspective, list) else None)
    )
    sponsors = [_org(s) for s in spec.sponsors] if isinstance(spec.sponsors, list) else None
    cities: Cities = spec.cities
    definition = cities.definition
    city_definition = definition.type if isinstance(definition, CityDefinition) else _stated(definition)
    stated_count = spec.structure.indicator_count
    # the publisher's count, else the listing when the spec says it is whole
    indicators = stated_count if isinstance(stated_count, int) else (
        len(tree.indicators) if spec.structure.complete else None)
    history = spec.history
    return Profile(
        name=ranking.name,
        short_name=ranking.short_name,
        published_as=_published_as(ranking.published_as, f"{ranking.name} {ranking.edition}"),
        edition=ranking.edition,
        kind=str(ranking.kind),
        published=_stated(ranking.published),
        publisher=_org(spec.publisher, "publisher"),
        sponsors=sponsors,
        conflict_of_interest=_stated(spec.conflict_of_interest),
        purpose=_stated(ranking.purpose),
        audience=ranking.audience if isinstance(ranking.audience, list) else None,
        perspective=perspectives,
        headline_claim=ranking.headline_claim,
        geographic_claim=ranking.geographic_claim,
        methodology_url=_stated(ranking.methodology_url),
        report_url=ranking.report_url,
        cities=cities.count if isinstance(cities.count, int) else None,
        city_definition=_stated(city_definition),
        indicators=indicators,
        indicators_listed=len(tree.indicators),
        groups=len(tree.groups) - 1,
        methodology_access=_stated(spec.access.methodology) if spec.access else None,
        data_access=_stated(spec.access.data) if spec.access else None,
        comparable_with_previous=history.comparable_with_previous if history else None,
        comparability_statement=_stated(history.statement) if history else None,
        undisclosed_means=spec.undisclosed_means,
        changes=[Change(edition=c.edition, description=c.description) for c in history.changes] if history else [],
        citations=_citations(loaded),
        method=_method_steps(spec, tree),
        structure=_structure(tree),
        structure_complete=spec.structure.complete and not tree.unlisted_groups,
        series=spec.series,
        series_publisher_change=_publisher_change(ranking.series_publisher_change),
        absent=_absent(spec),
        readings=_profile_parts(read_fields),
        second_hand=_profile_parts(second_hand_fields),
        cities_text=_cities_text(spec),
        cities_by_measure=[f"{ref.node.name}: {ref.node.cities_ranked}" for ref in tree.indicators
                           if ref.node.cities_ranked is not None],
        cities_label="Cities classified" if ranking.kind == "classification" else "Cities ranked",
        indicators_text=_count_text(indicators, isinstance(stated_count, int)
                                    and spec.structure.indicator_count_approximate),
    )


def _cities_text(spec: Spec) -> str | None:
    """The number of cities in words; for separate rankings, the size of the list the spec records, which the
    others need not share ("208 (in the list the spec records)"), so that no report gives it as every list's."""
    text = _count_text(spec.cities.count, spec.cities.count_approximate)
    if text is not None and spec.ranking.kind == "separate_rankings":
        return f"{text} (in the list the spec records)"
    return text


def _count_text(count: object, approximate: bool) -> str | None:
    """A count as the publisher gives it: 'about 2500' keeps the publisher's rounding in every report."""
    if not isinstance(count, int):
        return None
    return f"about {count}" if approximate else str(count)


# the spec fields each profile field shows, in the rules' `reads` notation
_PROFILE_FIELDS: dict[str, tuple[str, ...]] = {
    "published": ("ranking.published",),
    "purpose": ("ranking.purpose",),
    "audience": ("ranking.audience",),
    "perspective": ("ranking.perspective",),
    "geographic_claim": ("ranking.geographic_claim",),
    "cities": ("cities.count",),
    "cities_by_measure": ("structure.children[].cities_ranked",),
    "city_definition": ("cities.definition.type",),
    "indicators": ("structure.indicator_count",),
    "publisher_type": ("publisher.type",),
    "sponsors": ("sponsors",),
    "methodology_access": ("access.methodology",),
    "data_access": ("access.data",),
    "comparable_with_previous": ("history.comparable_with_previous",),
}


def _profile_parts(parts: Sequence[str]) -> list[str]:
    """The profile fields whose value rests on these parts of the spec (its readings, its second-hand facts),
    found as findings find theirs."""
    return [name for name, fields in _PROFILE_FIELDS.items() if evidence.parts_read(fields, parts)]


def _absent(spec: Spec) -> dict[str, str]:
    """The words for each absent profile fact, by its evidence state: a fact not found in the sources cited is
    never printed as 'not stated', which would blame the publisher for what the spec's reading did not contain."""
    access = spec.access
    definition = spec.cities.definition
    facts: dict[str, Any] = {
        "published": spec.ranking.published,
        "purpose": spec.ranking.purpose,
        "audience": spec.ranking.audience,
        "perspective": spec.ranking.perspective,
        "cities": spec.cities.count,
        "city_definition": definition.type if isinstance(definition, CityDefinition) else definition,
        "indicators": spec.structure.indicator_count,
        "sponsors": spec.sponsors,
        "conflict_of_interest": spec.conflict_of_interest,
        "methodology_access": access.methodology if access else None,
        "data_access": access.data if access else None,
    }
    words = {}
    for name, value in facts.items():
        state = evidence.absence_of_value(value, spec)
        if state is not None:
            words[name] = wording.ABSENCE_WORD[state]
    return words


def _publisher_change(change: Any) -> PublisherChange | None:
    if change is None:
        return None
    return PublisherChange(previous_publisher=change.previous_publisher, edition=change.edition, kind=change.kind)


def _method_steps(spec: Spec, tree: Tree) -> list[MethodStep]:
    """The declared method in words a reader can follow, 'undisclosed' kept as such."""
    method = spec.method
    norm = method.normalisation if method else None
    normalisation = norm.method if isinstance(norm, Normalisation) else norm
    missing = method.missing_data if method else None
    outliers = method.outliers if method else None
    steps = [
        ("Normalisation", normalisation),
        ("Weighting", tree.weighting(tree.root)),
        ("Aggregation", tree.aggregation(tree.root)),
        ("Missing data", (missing.imputation or missing.rule) if isinstance(missing, MissingData) else missing),
        ("Outliers", outliers.treatment if isinstance(outliers, Outliers) else outliers),
    ]
    for source in sources_of(spec.structure):
        types = source.type if isinstance(source.type, list) else [source.type] if is_stated(source.type) else []
        kind = f" ({', '.join(str(t) for t in types)})" if types else ""
        steps.append(("Data source of the whole index", f"{source.name}{kind}"))
    years = spec.structure.reference_year
    if years is not None and not isinstance(years, str):
        steps.append(("Data years", str(years)))
    return [MethodStep(step=step, value=None if value in (None, "unstated") else str(value)) for step, value in steps]


def _structure(tree: Tree) -> list[Element]:
    out = []
    for ref in tree.nodes[1:]:
        node = ref.node
        assert not isinstance(node, Structure)  # only the root, left out above, holds the structure
        is_indicator = isinstance(node, Indicator)
        weight = node.weight
        years = node.reference_year if isinstance(node, Indicator) else None
        source = node.source
        out.append(
            Element(
                id=ref.id,
                name=ref.name,
                depth=ref.depth,
                kind="indicator" if is_indicator else "group",
                weight=weight,
                share=tree.effective_weight(ref),
                children_listed=isinstance(node, Indicator) or isinstance(node.children, list),
                source=" + ".join(str(s.name) for s in sources_of(node)) or (None if source is None else str(source)),
                source_type=", ".join(t for s in sources_of(node) for t in _source_types(s)) or None,
                reference_year=None if years is None else str(years),
            )
        )
    return out


def _source_types(source: IndicatorSource) -> list[str]:
    kind = source.type
    return [str(t) for t in kind] if isinstance(kind, list) else [str(kind)] if kind is not None else []


def _citations(loaded: LoadedSpec) -> list[CitationOut]:
    spec = loaded.spec
    out = []
    seen = set()
    for citation, path in walk_citations(spec, ()):
        assert isinstance(citation, Citation)
        source = spec.sources.get(citation.source) if citation.source else None
        url = citation.url or (source.url if source else None)
        owner = path[: path.index("cite")] if "cite" in path else path
        key = (dotted(owner), url, citation.section, citation.page)
        if key in seen:
            continue
        seen.add(key)
        span = loaded.positions.span(path)
        out.append(
            CitationOut(
                path=dotted(owner) or "(spec)",
                url=url,
                title=source.title if source else None,
                section=citation.section,
                page=str(citation.page) if citation.page is not None else None,
                second_hand=citation.second_hand or bool(source and source.second_hand),
                line=span.line if span else None,
            )
        )
    return out


ProgressCallback = Callable[[int, int], None]


def coherence_thresholds(config: Config) -> Thresholds:
    """The coherence audit's cut-offs from the SR rules' options in effect (their defaults are COINr's)."""
    from rankaudit.rules import all_rules
    from rankaudit.stats.coherence import Thresholds

    rules = {r.code: r for r in all_rules()}

    def option(code: str, name: str) -> float:
        return float(config.options_for(rules[code])[name])

    return Thresholds(
        availability_indicator=option("SR01", "indicator-availability"),
        availability_unit=option("SR01", "city-availability"),
        skew=option("SR02", "skew"),
        kurtosis=option("SR02", "kurtosis"),
        collinear=option("SR03", "collinear-r"),
        negative=-option("SR04", "negative-r"),
        denominator=option("SR07", "size-r"),
    )


def statistics_for(
    loaded: LoadedSpec,
    *,
    replications: int,
    seed: int,
    progress: ProgressCallback | None = None,
    config: Config | None = None,
) -> StatsResult | None:
    """Run the statistical audit when the spec links data; None otherwise.

    pandas, numpy and scikit-learn are imported here, not at start-up, so that `validate` and
    specs without data stay fast. Data problems come back as located SpecErrors. The coherence
    cut-offs are the SR rules' options in `config` (see `coherence_thresholds`).
    """
    if loaded.spec.data is None:
        return None
    from rankaudit.stats.from_spec import run_statistical_audit

    try:
        return run_statistical_audit(
            loaded.spec,
            loaded.spec_dir,
            replications=replications,
            seed=seed,
            progress=progress,
            positions=loaded.positions,
            thresholds=coherence_thresholds(config or Config()),
        )
    except SpecError as exc:
        raise SpecError([_blame_input(loaded, d) for d in exc.diagnostics]) from None
    except OSError as exc:
        # an input that failed below the CSV reader's guards: still the input's fault, never
        # "cannot write output" (the CLI's last resort for an OSError)
        name = exc.filename if exc.filename is not None else "a data file"
        message = f"cannot read input {str(name)!r}: {exc.strerror or exc}"
        raise SpecError([loaded.positions.diagnostic(VALUES_ERROR, message, ("data",))]) from None


# Which spec field names the file each data error code is about.
_DATA_FIELD = {VALUES_ERROR: "values", PUBLISHED_ERROR: "published"}


def _blame_input(loaded: LoadedSpec, d: SpecDiagnostic) -> SpecDiagnostic:
    """A data file that could not be read at all (no line in it to point at) is blamed on the spec line naming it.

    The CSV reader locates what is wrong inside a file; when the file itself fails (unreadable,
    a folder, a device, too large, an I/O error), the reader of the report needs the spec line
    that names it, and the message keeps the file's name.
    """
    field = _DATA_FIELD.get(d.code)
    if field is None or d.line is not None:
        return d
    located = loaded.positions.diagnostic(d.code, f"{d.file}: {d.message}", ("data", field))
    return located if located.line is not None else d


def audit_file(
    path: str,
    config: Config | None = None,
    *,
    replications: int = 1000,
    seed: int = 1,
    progress: ProgressCallback | None = None,
) -> AuditResult:
    """Load, check and audit one spec file. Raises SpecError with located diagnostics."""
    loaded = load_spec(path)
    stats = statistics_for(loaded, replications=replications, seed=seed, progress=progress, config=config)
    return audit(loaded, config, stats)

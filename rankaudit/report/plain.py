"""The plain-language summary: "What this ranking can and cannot tell you".

Sentences are built from an AuditResult only: the findings (passed rules say what a reader can
rely on, failed rules what they cannot), the profile (what is compared, from whose viewpoint) and,
when data were audited, the statistical audit's own summary numbers. Nothing is scored here; the
HTML and Markdown reports show the same sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rankaudit.report.common import grade_phrase, number, one_line, sentence
from rankaudit.result import AuditResult, Finding, coverage_percent
from rankaudit.stats.result import ReproductionResult
from rankaudit.wording import READING_MARK, SECOND_HAND_MARK

# Viewpoints for which the caveat "chosen for that viewpoint" adds nothing.
NEUTRAL_PERSPECTIVES = {"general"}

# The reader's question behind each dimension.
QUESTIONS = {
    "opacity": "How the ranking is made",
    "freshness": "How recent its data are",
    "comparability": "Whether it compares like with like",
    "quantitative_bias": "Whose view it takes and what its construction favours",
    "statistical_robustness": "Whether its ranks hold up in the data",
}
# Findings quoted per dimension before "and N more".
PER_DIMENSION = 3


@dataclass(frozen=True)
class Point:
    """One item of the summary: a sentence, optionally with supporting details."""

    text: str
    details: list[str] = field(default_factory=list)
    more: int = 0


@dataclass(frozen=True)
class PlainSummary:
    verdict: str
    can: list[Point] = field(default_factory=list)
    cannot: list[Point] = field(default_factory=list)
    not_checked: list[Point] = field(default_factory=list)


def plain_summary(result: AuditResult) -> PlainSummary:
    return PlainSummary(
        verdict=_verdict(result),
        can=_can(result),
        cannot=_cannot(result),
        not_checked=_not_checked(result),
    )


def _verdict(result: AuditResult) -> str:
    assessed = [d for d in result.dimensions if d.score is not None]
    if result.overall is None or not assessed:
        return "rankaudit could not grade this ranking: none of its dimensions could be assessed."
    names = _join([d.title.lower() for d in assessed])
    on = f"on the {len(assessed)} of {len(result.dimensions)} dimensions it could assess ({names})"
    if result.grade_status == "withheld":
        # the score stands, the letter does not: the withheld grade comes first, so that a score resting on
        # few answered questions is never the sentence's opening ("scores 100 out of 100" at 12%)
        text = f"{grade_phrase(result, start=True)}. On the questions answered, rankaudit scores this ranking "
        text += f"{number(result.overall)} out of 100, {on}."
    else:
        text = f"rankaudit grades this ranking {result.grade_text}, {number(result.overall)} out of 100, {on}."
    worst = result.most_serious()
    if worst is not None:
        text += f" The most costly problem: {one_line(worst.message).rstrip('.')} ({worst.code})."
    if shows_sources_read_caveat(result):
        text += f" {SOURCES_READ_CAVEAT}"
    return text


def shows_sources_read_caveat(result: AuditResult) -> bool:
    """The spec rests on the sources it cites: a not_in_sources_read spec, or a migrated (`verified`) one whose
    score still rests in part on unknown facts (coverage below 1), which `rankaudit migrate` must not silence."""
    means = result.profile.undisclosed_means
    if means == "not_in_sources_read":
        return True
    return means == "verified" and result.coverage is not None and result.coverage < 1


SOURCES_READ_CAVEAT = (
    "This spec was written from the sources it cites: what they do not state is 'not found in the sources "
    "cited', not necessarily kept secret by the publisher."
)


def _can(result: AuditResult) -> list[Point]:
    out = []
    profile = result.profile
    publisher = one_line(profile.publisher.name)
    if profile.cities and profile.kind == "single_measure":
        out.append(Point(f"How {profile.cities_text} cities compare on the one measure that {publisher} ranks them "
                         "on."))
    elif profile.cities and profile.kind == "classification":
        out.append(Point(f"Which class {publisher} gives each of the {profile.cities_text} cities it lists, on its "
                         "own criteria; a classification does not rank the cities against one another."))
    elif profile.cities and profile.kind == "separate_rankings":
        # the count is that of the list the spec records (`Profile.cities_text` says so): the other lists may rank
        # more or fewer cities
        out.append(Point(f"How cities compare on each of the measures that {publisher} ranks separately (the list "
                         f"the spec records ranks {profile.cities} cities)."))
    elif profile.cities and profile.indicators:
        # "weighted as it chose" only where the weighting is known: of an unknown one the spec says nothing
        weighting = next((m.value for m in profile.method if m.step == "Weighting"), None)
        weighted = ", weighted as it chose" if weighting not in (None, "unknown", "undisclosed") else ""
        out.append(
            Point(
                f"How {profile.cities_text} cities compare on the {profile.indicators_text} indicators that "
                f"{publisher} chose{weighted}."
            )
        )
    elif profile.cities:
        out.append(Point(f"How {profile.cities_text} cities compare on the indicators that {publisher} chose."))
    for dimension in result.dimensions:
        passed = sorted(
            (f for f in result.findings if f.dimension == dimension.dimension and f.score == 2), key=lambda f: f.code
        )
        if passed:
            out.append(_grouped(QUESTIONS.get(dimension.dimension, dimension.title) + ", in part", passed))
    reproduction = result.statistics.reproduction if result.statistics is not None else None
    if reproduction is not None and not reproduction.n_differing and reproduction.n_compared:
        out.append(
            Point(
                f"The published {_compared(reproduction)} can be recomputed from the data: all "
                f"{reproduction.n_compared} cities compared agree."
            )
        )
    return out


def _cannot(result: AuditResult) -> list[Point]:
    out = []
    failing = result.failing()
    for dimension in result.dimensions:
        lost = [f for f in failing if f.dimension == dimension.dimension]
        if lost:
            question = QUESTIONS.get(dimension.dimension, dimension.title)
            if dimension.score is not None:
                # the score is of the questions answered: beside gaps it would read as a clean bill otherwise
                answered = "" if dimension.coverage is None or dimension.coverage >= 1 else \
                    f" on the {coverage_percent(dimension.coverage)} of its questions answered"
                question += f" ({dimension.title.lower()} scores {number(dimension.score)} of 100{answered})"
            out.append(_grouped(question, lost))
    perspective = [p for p in result.profile.perspective or [] if p not in NEUTRAL_PERSPECTIVES]
    if perspective:
        if "perspective" in result.profile.readings:
            text = (f"How the cities fare for anyone but the viewpoint the spec reads in the ranking "
                    f"({_join(perspective)}; {READING_MARK}, which the publisher does not state as such): its "
                    "indicators and weights may have been chosen for that viewpoint.")
        elif "perspective" in result.profile.second_hand:
            # a viewpoint only the press gives is not the publisher's word: the summary does not assert it
            text = (f"How the cities fare for anyone but the viewpoint secondary sources give the ranking "
                    f"({_join(perspective)}; {SECOND_HAND_MARK}, not the publisher's own documents): its "
                    "indicators and weights may have been chosen for that viewpoint.")
        else:
            text = (f"How the cities fare for anyone but the ranking's viewpoint ({_join(perspective)}): "
                    "its indicators and weights were chosen for that viewpoint.")
        out.append(Point(text))
    stats = result.statistics
    robustness = stats.robustness if stats is not None else None
    if stats is not None and robustness is not None and robustness.median_interval_width:
        out.append(
            Point(
                f"Whether a city is really ahead of one ranked a few places below it: for half of the "
                f"{stats.n_units} cities, the rank spans {number(robustness.median_interval_width)} places or more "
                f"between the 5th and 95th percentile of {robustness.replications} plausible variants of the "
                "method."
            )
        )
    reproduction = stats.reproduction if stats is not None else None
    if reproduction is not None and reproduction.n_differing:
        out.append(
            Point(
                f"Whether the published {_compared(reproduction)} follow from the published method: "
                f"{reproduction.n_differing} of {reproduction.n_compared} cities come out differently "
                "when recomputed from the data."
            )
        )
    return out


def _not_checked(result: AuditResult) -> list[Point]:
    out = []
    for dimension in result.dimensions:
        if dimension.score is None:
            reason = (dimension.reason or "not assessable").removeprefix("not assessable: ")
            question = QUESTIONS.get(dimension.dimension, dimension.title)
            out.append(Point(f"{question} ({dimension.title.lower()}): {reason}."))
    return out


def _grouped(heading: str, findings: list[Finding]) -> Point:
    """A heading and the first few findings' messages; identical messages are merged."""
    messages: dict[str, list[str]] = {}
    for f in findings:
        messages.setdefault(sentence(f.message), []).append(f.code)
    items = list(messages.items())
    details = [f"{text} ({', '.join(codes)})" for text, codes in items[:PER_DIMENSION]]
    return Point(f"{heading}:", details, max(0, len(items) - PER_DIMENSION))


def _compared(reproduction: ReproductionResult) -> str:
    return "scores" if reproduction.compared_by == "score" else "ranks"


def _join(items: list[str]) -> str:
    items = [one_line(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

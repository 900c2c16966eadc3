"""The due-diligence letter (issue 14, part 1): the questions to send a publisher before paying for,
or quoting, its ranking.

Built from the audit (an ``AuditResult``), and from the spec when it is at hand:

* **Every absent fact becomes one question.** A fact is a path of the spec whose value is absent:
  the path of a finding that rests on an absent fact (``Finding.absence``), and, with the spec,
  every explicit ``undisclosed`` or ``unknown`` value in it (some are read by no rule, but a
  diligent buyer still wants them). Facts that differ only by list positions (the indicators of
  several groups) are asked together, in one question that names each of them; every fact is in
  exactly one question (``Letter.facts``).
* **Every rule not met becomes a question**, unless its finding rests on a fact already asked, in
  which case the rule is cited in that question. Rules blocked by a root cause are not asked again:
  the root cause's question says how many checks its answer would unlock.
* **Wording.** Questions are addressed to the publisher and ask; they never say the publisher
  withheld anything. A fact the spec marks ``unknown`` (not found in the sources read) is asked as
  "please confirm"; one the publisher's documents are silent on (``undisclosed``) is asked plainly.
* **Order.** Questions are grouped by dimension; the groups and the questions within them are
  ordered by the points of the grade the finding costs, then by the checks the answer unlocks.
* Each question carries one sentence on why it matters (the rule's rationale) and the standard it
  rests on (the rule's source, with its URL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from rankaudit.result import number

if TYPE_CHECKING:
    from rankaudit.result import AuditResult, Element, Finding, GradeStatus
    from rankaudit.spec.models import Spec

__all__ = ["Letter", "Question", "Section", "absent_facts", "cost_text", "letter_for", "spec_absences"]

Kind = Literal["confirm", "ask"]
OTHER = "other"

# What to ask about a fact, by its path (list positions written `*`). `{names}` = the elements the
# path points at (a group's name), `{cities}`, `{edition}`, `{indicators}` from the profile.
FACT_QUESTIONS: dict[str, str] = {
    "ranking.published": "On what date was the {edition} edition published?",
    "ranking.previous_published": "On what date was the previous edition published, and how often is the "
    "ranking released?",
    "ranking.uncertainty_published": "Do you publish how certain the ranks are, for example rank intervals or "
    "a sensitivity analysis of the weights and methods?",
    "ranking.qualitative_component": "Do you publish qualitative context (city profiles, commentary) alongside "
    "the ranks?",
    "ranking.methodology_url": "At what address is the methodology published?",
    "ranking.report_url": "At what address is the report with the results published?",
    "ranking.headline_claim": "What is the headline claim of the ranking, in your words?",
    "ranking.perspective": "From whose perspective are cities assessed (residents, expatriates, businesses, "
    "visitors)?",
    "ranking.purpose": "What is the ranking for, and for whom?",
    "ranking.audience": "Who is the intended audience of the ranking?",
    "publisher.home_city": "In which city is your organisation headquartered?",
    "publisher.type": "What kind of organisation publishes the ranking (commercial, academic, public, "
    "non-profit)?",
    "sponsors": "Who sponsored or commissioned this edition, if anyone?",
    "conflict_of_interest": "Do you publish a statement on conflicts of interest, for example commercial ties "
    "with ranked cities?",
    "access.methodology": "Is the full methodology document public, and where can we read it?",
    "access.data": "Are the indicator values behind the ranks available, and on what terms?",
    "access.price": "What does access to the full results and their data cost?",
    "cities.definition": "What area does a 'city' cover in the ranking (city proper, urban area or metropolitan "
    "region), and is it the same for every city?",
    "cities.selection_rule": "By which rule were the {cities} cities chosen?",
    "cities.count": "How many cities does the {edition} edition rank?",
    "method.normalisation": "How are the indicators put on a common scale before they are combined?",
    "method.aggregation": "How are indicator scores combined into category and overall scores (arithmetic "
    "mean, geometric mean, another rule)?",
    "method.weighting": "How are the weights of the categories and indicators set?",
    "method.missing_data": "How are missing values treated, and what minimum share of data must a city have "
    "to be ranked?",
    "method.outliers": "How are extreme values treated before scoring?",
    "structure.aggregation": "How are the category scores combined into the overall score?",
    "structure.weighting": "What weight does each category carry in the overall score?",
    "structure.indicator_count": "How many indicators does the ranking use in total?",
    "structure.reference_year": "Which reference year do the indicators use?",
    "structure.source": "From which sources do the indicators come?",
    "structure.children.*.children": "Which indicators make up {names}, and with what weights?",
    "structure.children.*.children.*.children": "Which indicators make up {names}, and with what weights?",
    "structure.children.*.weight": "What weight does {names} carry in the overall score?",
    "history": "What changed in the method since the previous edition?",
    "history.changes": "What changed in the method since the previous edition?",
    "history.comparable_with_previous": "Can the {edition} results be compared with the previous edition's, and "
    "if not, what changed?",
}

# What to ask about a rule that is not met, by rule code, when its fact has no question above.
RULE_QUESTIONS: dict[str, str] = {
    "OP01": "Would you share the full methodology document, or tell us where it is published?",
    "OP02": "What weight does each category and each indicator carry, at every level of the ranking?",
    "OP03": "How is each indicator defined, with its unit and whether higher values are better?",
    "OP04": "From which source does each of the {indicators} indicators come?",
    "OP05": "Who sponsored or commissioned this edition, and do you publish a conflict-of-interest statement?",
    "OP06": "Do any sponsors or partners have ties to cities near the top of the ranking?",
    "OP07": "How are the indicators normalised, and how are they combined into the overall score?",
    "OP08": "How are missing values treated?",
    "OP09": "Could the indicator values behind the ranks be made available to us?",
    "OP10": "What changed in the method since the previous edition?",
    "OP11": "What is the ranking for, for whom, and from whose perspective are cities assessed?",
    "OP12": "Which indicators make up each category?",
    "FR01": "Which reference year does each of the {indicators} indicators use?",
    "FR02": "How old are the data behind the {edition} edition, indicator by indicator?",
    "FR03": "Which indicators rest on data more than three years old, and why?",
    "FR04": "Does each indicator use the same reference year for every city?",
    "FR05": "When was the survey fieldwork done, and how many people answered in each city?",
    "FR06": "How often is the ranking released, and when was the previous edition published?",
    "FR07": "Which indicators are projections or estimates rather than observed values?",
    "FR08": "Which edition of each composite index used as an input did you use?",
    "FR09": "On what date was the {edition} edition published?",
    "FR10": "Are the data of the different indicators from the same years?",
    "FR11": "How much of the overall weight rests on indicators with old data?",
    "CM01": "What area does a 'city' cover in the ranking (city proper, urban area or metropolitan region)?",
    "CM02": "Is the same city definition applied to every ranked city?",
    "CM03": "Which indicators are measured for the city itself, and which for its region or country?",
    "CM04": "Are counts that grow with city size (jobs, visitors, patents) scaled by population or area?",
    "CM05": "Are monetary values converted to a common basis (exchange rates, purchasing power), and how?",
    "CM06": "Does each indicator come from one source for all cities, or from different national sources?",
    "CM07": "By which rule were the {cities} cities chosen?",
    "CM08": "Can the {edition} results be compared with the previous edition's?",
    "CM09": "How many cities does the {edition} edition rank?",
    "CM10": "In which country and region is each ranked city?",
    "CM11": "What minimum share of data must a city have to be ranked?",
    "QB01": "What is the headline claim of the ranking, and how does it follow from the declared perspective?",
    "QB02": "How much of the overall weight rests on surveys and analysts' ratings?",
    "QB03": "How much of the overall weight rests on crowdsourced or web-scraped data?",
    "QB04": "Which composite indices are used as inputs, and with what weight?",
    "QB05": "Do you publish qualitative context alongside the ranks?",
    "QB06": "Which indicators measure outcomes for residents, and which measure inputs or policies?",
    "QB07": "Why was the aggregation method chosen, given that it lets a strength offset a weakness?",
    "QB08": "How were the cities of a 'global' ranking spread across the world's regions?",
    "QB09": "What share of the overall score does each category carry in effect, once the number of "
    "indicators in it is counted?",
    "QB10": "Do you publish how certain the ranks are, for example rank intervals?",
    "QB11": "Who answered the surveys, and do they match the perspective the ranking declares?",
    "SR01": "How complete are the data of each indicator across the cities?",
    "SR02": "How are extreme values treated before scoring?",
    "SR03": "Why are indicators that measure nearly the same thing kept side by side?",
    "SR04": "Why are indicators that pull in opposite directions combined in one category?",
    "SR05": "How were the indicators of each category chosen to measure one concept?",
    "SR06": "How were the indicators of each category chosen to measure one concept?",
    "SR07": "Are size-dependent indicators scaled, so that large cities are not favoured for being large?",
    "SR08": "Do the weights give each category the importance you intend, given how the indicators correlate?",
    "SR09": "Could you share what is needed to reproduce the published scores from the indicator values?",
    "SR10": "Have you tested how far the ranks move under other reasonable weights and methods?",
}

GENERIC = "Could you tell us more about this point: {title}?"

# The rule whose rationale and standard explain a fact that no finding rests on (the spec marks it
# absent, but the rules read a neighbouring fact): the letter still says why it matters.
FACT_RULES: dict[str, str] = {
    "publisher.home_city": "OP06", "publisher.type": "OP05", "sponsors": "OP05", "conflict_of_interest": "OP05",
    "access.methodology": "OP01", "access.data": "OP09", "access.price": "OP09",
    "method.normalisation": "OP07", "method.aggregation": "OP07", "method.weighting": "OP02",
    "method.missing_data": "OP08", "method.outliers": "SR02",
    "structure.aggregation": "OP07", "structure.weighting": "OP02", "structure.indicator_count": "OP12",
    "structure.reference_year": "FR01", "structure.source": "OP04", "structure.children.*.children": "OP12",
    "structure.children.*.weight": "OP02", "cities.definition": "CM01", "cities.selection_rule": "CM07",
    "cities.count": "CM09", "history": "OP10", "history.changes": "OP10", "history.comparable_with_previous": "CM08",
    "ranking.published": "FR09", "ranking.methodology_url": "OP01", "ranking.report_url": "OP01",
    "ranking.previous_published": "FR06", "ranking.uncertainty_published": "QB10",
    "ranking.qualitative_component": "QB05", "ranking.headline_claim": "QB01", "ranking.perspective": "OP11",
    "ranking.purpose": "OP11", "ranking.audience": "OP11",
}


@dataclass(frozen=True)
class Question:
    """One question of the letter."""

    number: int
    dimension: str
    text: str
    kind: Kind  # confirm: the spec marks the fact unknown; ask: undisclosed, left out, or a rule not met
    facts: tuple[str, ...]  # spec paths the question is about (empty for a rule whose fact is stated)
    rules: tuple[str, ...]  # rule codes it answers
    cost: float  # points of the overall score these findings cost
    unlocks: tuple[str, ...]  # rules blocked by this root cause, assessable once answered
    found: str  # what the audit read, in its words
    why: str  # one sentence: why it matters
    standard: str  # the source the rule rests on
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "dimension": self.dimension, "question": self.text, "kind": self.kind,
                "facts": list(self.facts), "rules": list(self.rules), "cost": self.cost,
                "unlocks": list(self.unlocks), "found": self.found, "why": self.why, "standard": self.standard,
                "url": self.url}


@dataclass(frozen=True)
class Section:
    dimension: str
    title: str
    questions: tuple[Question, ...]

    @property
    def cost(self) -> float:
        return sum(q.cost for q in self.questions)


@dataclass(frozen=True)
class Letter:
    """The letter: an opening, questions by dimension, a closing. ``sections`` is empty when all is met."""

    ranking: str
    publisher: str
    grade: str | None
    overall: float | None
    provisional: bool
    sections: tuple[Section, ...]
    unknown_means: str  # how the spec's `unknown` reads ("not found in the sources cited")
    file: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    # the audit's grade_status and grade_text: a letter whose grade is withheld says so, not just null
    grade_status: GradeStatus = "not_assessable"
    grade_text: str = ""

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def facts(self) -> list[str]:
        return [f for q in self.questions for f in q.facts]

    @property
    def all_met(self) -> bool:
        return not self.sections

    def to_dict(self) -> dict[str, Any]:
        return {"ranking": self.ranking, "publisher": self.publisher, "grade": self.grade,
                "grade_status": self.grade_status, "grade_text": self.grade_text, "overall": self.overall,
                "provisional": self.provisional, "all_met": self.all_met, "file": self.file,
                "sections": [{"dimension": s.dimension, "title": s.title, "cost": s.cost,
                              "questions": [q.to_dict() for q in s.questions]} for s in self.sections],
                "notes": list(self.notes)}


# ------------------------------------------------------------------------------------------------
# facts
# ------------------------------------------------------------------------------------------------
def _pattern(path: str) -> str:
    """The path with list positions as `*`: facts that differ only there are asked together."""
    return re.sub(r"(?<=\.)\d+(?=\.|$)", "*", path)


def spec_absences(spec: Spec) -> dict[str, Literal["undisclosed", "unknown"]]:
    """Every explicit `undisclosed` / `unknown` value of the spec, by dotted path, with its state."""
    from rankaudit.evidence import absence_of_value
    from rankaudit.spec.models import UNDISCLOSED, UNKNOWN

    found: dict[str, Literal["undisclosed", "unknown"]] = {}

    def walk(value: Any, path: tuple[str, ...]) -> None:
        if value in (UNDISCLOSED, UNKNOWN):
            state = absence_of_value(value, spec)
            if state in ("undisclosed", "unknown"):
                found[".".join(path)] = state
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, str(index)))

    walk(spec.model_dump(by_alias=True, exclude_none=True), ())
    return found


def absent_facts(result: AuditResult, spec: Spec | None = None) -> dict[str, str]:
    """Every absent fact the letter asks about, by path, with its state: the paths of the findings that
    rest on an absent fact, and (with the spec) every explicit `undisclosed` / `unknown` value."""
    facts: dict[str, str] = {}
    for f in result.findings:
        if f.absence is not None and f.status != "blocked":
            facts.setdefault(f.path, f.absence)
    for path, state in (spec_absences(spec) if spec is not None else {}).items():
        facts.setdefault(path, state)
    return facts


# ------------------------------------------------------------------------------------------------
# wording
# ------------------------------------------------------------------------------------------------
def _element_names(result: AuditResult, paths: Sequence[str]) -> list[str]:
    """Names of the structure elements the paths point at (`structure.children.1...` -> the 2nd group)."""
    tree = _tree(result.profile.structure)
    names = []
    for p in paths:
        parts = p.split(".")
        node: list[tuple[Element, list[Any]]] = tree
        name = None
        i = 1
        while i + 1 < len(parts) and parts[i] == "children" and parts[i + 1].isdigit():
            k = int(parts[i + 1])
            if k >= len(node):
                break
            element, kids = node[k]
            name, node = element.name, kids
            i += 2
        if name is not None:
            names.append(name)
    return names


def _tree(elements: Iterable[Element]) -> list[tuple[Element, list[Any]]]:
    """The depth-first element list back as a tree of (element, children)."""
    root: list[tuple[Element, list[Any]]] = []
    stack: list[tuple[int, list[Any]]] = [(0, root)]
    for e in elements:
        while stack[-1][0] >= e.depth:
            stack.pop()
        kids: list[Any] = []
        stack[-1][1].append((e, kids))
        stack.append((e.depth, kids))
    return root


def _names_phrase(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if not quoted:
        return "each category"
    if len(quoted) == 1:
        return f"the category {quoted[0]}"
    return f"each of the {len(quoted)} categories {', '.join(quoted[:-1])} and {quoted[-1]}"


def _fill(template: str, result: AuditResult, names: Sequence[str], title: str = "") -> str:
    p = result.profile
    text = template.format(names=_names_phrase(names), cities=f"{p.cities:,}" if p.cities else "ranked",
                           edition=p.edition, indicators=p.indicators or "", title=title.lower())
    return " ".join(text.split())  # an unknown count leaves "each of the indicators"


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return m.group(1) if m else text


def _fact_question(pattern: str, finding: Finding | None, result: AuditResult, paths: Sequence[str]) -> str:
    template = FACT_QUESTIONS.get(pattern)
    if template is None and finding is not None:
        template = RULE_QUESTIONS.get(finding.code)
    if template is None:
        template = GENERIC
    title = finding.title if finding is not None else pattern.rsplit(".", 1)[-1].replace("_", " ")
    return _fill(template, result, _element_names(result, paths), title)


# ------------------------------------------------------------------------------------------------
# the letter
# ------------------------------------------------------------------------------------------------
@dataclass
class _Draft:
    dimension: str
    pattern: str
    facts: list[str]
    states: set[str]
    findings: list[Finding]
    order: int

    @property
    def cost(self) -> float:
        return sum(f.cost for f in self.findings)

    @property
    def unlocks(self) -> list[str]:
        return [c for f in self.findings for c in f.blocks]


def _sort_key(d: _Draft) -> tuple[float, int, int]:
    return (-round(d.cost, 6), -len(d.unlocks), d.order)


def _not_met(f: Finding) -> bool:
    return f.status == "scored" and f.score is not None and f.score < 2


def letter_for(result: AuditResult, spec: Spec | None = None) -> Letter:
    """The letter for one audited spec (see the module doc)."""
    facts = absent_facts(result, spec)
    drafts: dict[str, _Draft] = {}
    findings = [f for f in result.findings if f.status != "blocked"]
    # 1. one draft per fact pattern, with the findings resting on its facts
    for order, (path, state) in enumerate(facts.items()):
        pat = _pattern(path)
        d = drafts.setdefault(pat, _Draft("", pat, [], set(), [], order))
        d.facts.append(path)
        d.states.add(state)
    for f in findings:
        if f.absence is None and not _not_met(f):
            continue
        # a rule resting on a fact asked is cited in that question; any other gets a question of its own
        asked = drafts.get(_pattern(f.path))
        own = asked if asked is not None else drafts.setdefault(
            f"rule:{f.code}", _Draft("", f"rule:{f.code}", [], set(), [], len(drafts) + 1000))
        if f not in own.findings:
            own.findings.append(f)
    # 2. the dimension of a draft: its costliest finding's; a fact no finding rests on takes the
    # dimension of the rule that explains it (FACT_RULES), else opacity: an absent fact is a disclosure gap
    for d in drafts.values():
        d.findings.sort(key=lambda f: (-f.cost, -len(f.blocks), f.code))
        if d.findings:
            d.dimension = d.findings[0].dimension
        else:
            rule = _explaining_rule(d.pattern)
            d.dimension = rule.dimension if rule is not None else "opacity"
    # 3. sections by dimension, ordered by what they cost; questions in each by cost, then unlocks
    titles = {x.dimension: x.title for x in result.dimensions}
    dim_order = {x.dimension: i for i, x in enumerate(result.dimensions)}
    by_dim: dict[str, list[_Draft]] = {}
    for d in drafts.values():
        by_dim.setdefault(d.dimension, []).append(d)
    dims = sorted(by_dim, key=lambda k: (-round(sum(x.cost for x in by_dim[k]), 6),
                                         -sum(len(x.unlocks) for x in by_dim[k]), dim_order.get(k, 99)))
    sections = []
    n = 0
    for dim in dims:
        qs = []
        for d in sorted(by_dim[dim], key=_sort_key):
            n += 1
            qs.append(_question(n, d, result))
        sections.append(Section(dim, titles.get(dim, dim.replace("_", " ").capitalize()), tuple(qs)))
    notes = []
    if spec is None:
        notes.append("Built from the audit alone: facts the spec marks absent that no rule reads are not asked.")
    return Letter(result.profile.name + (f" {result.profile.edition}" if result.profile.edition else ""),
                  result.profile.publisher.name, result.grade, result.overall, result.provisional, tuple(sections),
                  "not found in the sources cited", result.file, tuple(notes), result.grade_status, result.grade_text)


def _explaining_rule(pattern: str) -> Any:
    """The catalogue rule that explains a fact no finding rests on (None when none does)."""
    from rankaudit.rules import get_rule

    code = FACT_RULES.get(pattern)
    return get_rule(code) if code else None


def _question(n: int, d: _Draft, result: AuditResult) -> Question:
    lead = d.findings[0] if d.findings else None
    if d.facts:
        text = _fact_question(d.pattern, lead, result, d.facts)
    else:
        assert lead is not None
        text = _fill(RULE_QUESTIONS.get(lead.code, GENERIC), result, (), lead.title)
    # "please confirm" only when every fact asked is one the spec could not find (unknown)
    kind: Kind = "confirm" if d.states and d.states <= {"unknown"} else "ask"
    codes = tuple(dict.fromkeys(f.code for f in d.findings))
    found = "; ".join(dict.fromkeys(_sentence(f.message) for f in d.findings)) if d.findings else (
        "the spec records this as " + ("not found in the sources cited" if kind == "confirm"
                                       else "not disclosed in the publisher's documents"))
    explains = lead if lead is not None else _explaining_rule(d.pattern)
    why = _first_sentence(explains.rationale) if explains is not None and explains.rationale else (
        "A reader who cannot check this fact cannot judge what the ranks mean.")
    standard = explains.source if explains is not None else ""
    url = explains.source_url if explains is not None else None
    unlocks = tuple(dict.fromkeys(d.unlocks))
    return Question(n, d.dimension, text, kind, tuple(d.facts), codes, round(d.cost, 2), unlocks, found, why,
                    standard, url)


def _sentence(text: str) -> str:
    t = " ".join(text.split())
    return t[:1].upper() + t[1:]


def cost_text(q: Question) -> str:
    """What the answer is worth, in words every format prints."""
    parts = []
    if q.cost > 0:
        parts.append(f"costs {number(q.cost, 2)} of 100 points")
    if q.unlocks:
        parts.append(f"answering it lets {len(q.unlocks)} more rule{'s' if len(q.unlocks) > 1 else ''} be assessed "
                     f"({', '.join(q.unlocks)})")
    if not parts and q.kind == "confirm":
        parts.append("not assessed until confirmed (it lowers the evidence coverage)")
    return "; ".join(parts)

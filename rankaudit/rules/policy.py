"""The judging policy every rule shares, in one place.

Wording (`few`, `plural`, `pct`, `quote`), score bands and verdicts (`band`, `graded`, `verdict_for`),
what the listed indicators can certify (`listing_gap`, `cap_for_gap`, `listed_share_verdict`), the
first-edition convention (`first_edition`), shares of the index with a property (`share_of`), data
vintages (`dated_indicators`, `no_dated`) and the reading of statistical results (`stats_of`,
`pair_verdict`). A rule file imports from here and from `base`, never from another rule file, so that
one policy applies alike wherever it is used.

Listed indicators. Rules that judge something per indicator (a share of the indicators, a statistic
over them) can only see the indicators a spec lists. Two things hide indicators: `structure.complete:
false` (the spec's author transcribed part of the hierarchy) and a group with `children: undisclosed`
(the publisher does not list them). Such rules compute over the listed indicators, say so in their
message, and score at most 1 when the hierarchy is incomplete: a full score would certify indicators
nobody has seen. What the capped point is depends on the gap (`Gap`, `cap_for_gap`): lost when the gap is
established (a group whose `children: undisclosed` is read as the publisher's documents being silent), not
assessed when it rests only on facts not found in the sources cited or on the spec's own partial
transcription (`complete: false`, counts above the listing): an unknown never costs a point.

Shares of the index ("what share of the index has property X", `share_of`):
- shares are taken over the indicators whose property is known (stated in the spec);
- indicators the spec does not list (`structure.complete: false`, groups with `children:
  undisclosed`) and listed indicators that leave the property out count as unknown, and the message
  says how much is unknown;
- when unknown indicators carry more than half of the index, the score is capped at 1: a cost when more
  than half the index is of an established undisclosed class (`Share.established_fraction`: the fact verified
  undisclosed, or groups the publisher does not list), otherwise a point not assessed (`cap_unknown`,
  `cap_weighted_share`);
- share-based rules weigh indicators by their effective weight (`Tree.effective_weight`) where they
  ask for it; when weights are not disclosed at every level they fall back to indicator counts, say
  so in the message, and cap the score at 1 (a point not assessed when every missing weight is unknown,
  `Share.weights_unknown`);
- nothing known at all -> `undisclosed`.

Facts in parts (`Part`, `parts_verdict`). A rule that gives partial credit over several facts (OP11's
purpose, audience and perspective; OP07's normalisation and aggregation) is judged on its established
facts only. An `unknown` fact (not found in the sources read) never costs a point: the rule scores what
the established facts earn when every unknown one fails, and the points the unknown ones could still add
are "unassessed" (`Verdict.unassessed`): left out of the dimension's score, counted against the evidence
coverage and into the range of the grade, and worded as unknown in the message ("audience: not found in
the sources cited"), never as "not declared". An `undisclosed` fact keeps its cost. When every point
rests on unknown facts the rule is not assessed, as any rule resting on unknown facts is.

Data vintages. Lags are counted in whole years from the publication year (`ranking.published`) to an
indicator's reference year. An indicator whose cities have data from different years
(`reference_year: [first, last]`) is dated by its most recent year for lags; how far back its oldest
city data go is FR04's question. Projections (`projection: true`) are not data and are left out of
lags.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from rankaudit import evidence as _evidence
from rankaudit.evidence import PARTIAL_LISTING
from rankaudit.rules.base import (
    Evidence,
    Option,
    Verdict,
    blocked,
    disclosure,
    is_stated,
    met,
    not_applicable,
    not_met,
    not_resting_on,
    partly,
    undisclosed,
)
from rankaudit.rules.context import AuditContext
from rankaudit.spec.models import (
    NON_COMPOSITE_KINDS,
    NOT_APPLICABLE,
    SURVEY_TYPES,
    CityDefinition,
    Formula,
    Group,
    Indicator,
    IndicatorSource,
    Organisation,
    Structure,
    Survey,
    WeightsSetBy,
    YearRange,
    count_text,
)
from rankaudit.spec.tree import NodeRef, is_indicator_ref
from rankaudit.spec.yamlsafe import Path
from rankaudit.wording import ABSENCE_WORD

if TYPE_CHECKING:
    from rankaudit.stats.result import StatsResult


def few(ids: Sequence[str], limit: int = 3) -> str:
    """'a, b, c and 4 more': the first offenders by name, for one-line messages."""
    shown = ", ".join(ids[:limit])
    rest = len(ids) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 indicator', '3 indicators'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def pct(x: float) -> str:
    """A share as a whole percentage ('38%'), with '<1%' for small non-zero shares."""
    if 0 < x < 0.005:
        return "<1%"
    return f"{round(x * 100)}%"


def quote(text: str, limit: int = 80) -> str:
    """The publisher's words, cut to fit a one-line message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_path(ref: NodeRef, name: str) -> Path:
    """The document path of one field of a node, for locating a finding."""
    return (*ref.path, name)


def band(value: float, full: float, partial: float, *, higher_is_better: bool) -> int:
    """0, 1 or 2 for a value against two cut-offs."""
    if higher_is_better:
        return 2 if value >= full - 1e-9 else 1 if value >= partial - 1e-9 else 0
    return 2 if value <= full + 1e-9 else 1 if value <= partial + 1e-9 else 0


def verdict_for(score: int, message: str, path: Path, **evidence: Any) -> Verdict:
    return [not_met, partly, met][score](message, path, **evidence)


def capped_verdict(score: int, unassessed: int, message: str, path: Path, **evidence: Any) -> Verdict:
    """`verdict_for` after a cap (`Cap`, `cap_unknown`): the `unassessed` points, a cap resting on unknown facts,
    are neither earned nor lost."""
    if unassessed:
        return Verdict(score, message, path, evidence={**evidence, "unassessed_points": unassessed},
                       unassessed=unassessed)
    return verdict_for(score, message, path, **evidence)


def graded(
    value: float,
    full: float,
    partial: float,
    message: str,
    path: Path,
    *,
    higher_is_better: bool,
    gap: Gap | None = None,
    zero: Callable[..., Verdict] = not_met,
    met_path: Path | None = None,
    **evidence: Any,
) -> Verdict:
    """A value against two cut-offs: met (at most partly when `gap` says indicators are unlisted), partly, or
    `zero` (not_met, or undisclosed for a disclosure share)."""
    score = band(value, full, partial, higher_is_better=higher_is_better)
    if score == 2:
        return cap_for_gap(met(message, met_path or path, **evidence), gap)
    if score == 1:
        return partly(message, path, **evidence)
    return zero(message, path, **evidence)


def data_partners_only(sponsors: object) -> bool:
    """A sponsors list that names only data partners (suppliers or contractors of the data): it answers who
    supplied the data, not who backs the ranking, so the backers remain open."""
    return isinstance(sponsors, list) and bool(sponsors) and all(s.role == "data_partner" for s in sponsors)


def flag_verdict(ctx: AuditContext, value: object, path: Path, *, true: str, false: str, unknown: str) -> Verdict:
    """A yes/no fact of the spec: met when true, not met when false, undisclosed otherwise; `unknown` is the
    question ('whether ...'), worded with the absence's state ('... is not found in the sources cited')."""
    if value is True:
        return met(true, path)
    if value is False:
        return not_met(false, path)
    return undisclosed(f"{unknown} is {_evidence.absence_word(value, ctx.spec)}", path)


# --------------------------------------------------------------------------------------------
# Facts in parts: partial credit judged on the established facts only

PartState = Literal["met", "missing", "unknown"]


@dataclass(frozen=True)
class Part:
    """One fact of a partial-credit rule: met; missing (a stated bad value, or an absent fact the
    publisher's documents are silent on or the spec leaves out); or unknown (not found in the sources read).
    `absent` marks a missing part that is an absence (it makes a 0 an undisclosed one)."""

    label: str
    path: Path
    state: PartState
    absent: bool = False

    @property
    def met(self) -> bool:
        return self.state == "met"

    @property
    def missing(self) -> bool:
        return self.state == "missing"

    @property
    def unknown(self) -> bool:
        return self.state == "unknown"


def part(ctx: AuditContext, label: str, path: Path, value: object, ok: bool) -> Part:
    """The part for one fact: met when `ok`; else unknown or missing as the value's evidence state says
    (`undisclosed`, `unknown`, or left out, read by the spec's `undisclosed_means`); a stated value that is
    not `ok` is missing (a disclosed bad practice)."""
    if ok:
        return Part(label, path, "met")
    if disclosure(value) == "not_applicable":
        return Part(label, path, "missing")
    state = _evidence.absence_of_value(value, ctx.spec) if value is None or not is_stated(value) else None
    if state == "unknown":
        return Part(label, path, "unknown")
    return Part(label, path, "missing", absent=state is not None)


def labels(parts: Sequence[Part], limit: int = 3) -> str:
    return few([p.label for p in parts], limit)


def unknown_note(parts: Sequence[Part]) -> str:
    """'audience, perspective: not found in the sources cited' (empty when no part is unknown)."""
    unknown = [p for p in parts if p.unknown]
    return f"{labels(unknown)}: {ABSENCE_WORD['unknown']}" if unknown else ""


def parts_verdict(
    parts: Sequence[Part],
    score: Callable[[Sequence[bool]], int],
    message: str,
    path: Path,
    *,
    premise: bool = False,
    **evidence: Any,
) -> Verdict:
    """The verdict of a rule judged on the established parts only (see the module docstring).

    `score` is the rule's scale over every part's pass/fail, in the order of `parts`; `message` words the
    met and missing parts (the unknown ones are worded here). The rule earns `score` with every unknown part
    failing; the points it would add with every unknown part passing are unassessed. A 0 resting on an absent
    fact is undisclosed (resolved by the engine through the absent parts). When every point is open, or every
    part is unknown and the rule rests on no established `premise` besides them (OP01's methodology said to be
    public, FR06's declared cadence), the verdict rests on the unknown parts alone and the engine reports it as
    not assessed: a cap (at most 1 for unlisted indicators) never turns unknown facts into a lost point."""
    low = score([p.met for p in parts])
    high = score([not p.missing for p in parts])
    unknown = [p for p in parts if p.unknown]
    absent = [p for p in parts if p.missing and p.absent]
    note = unknown_note(parts)
    open_points = high - low
    if unknown:
        evidence = {**evidence, "unknown": [".".join(str(k) for k in p.path) for p in unknown]}
    if open_points >= 2 or (unknown and not premise and all(p.unknown for p in parts)):
        return undisclosed("; ".join(filter(None, [message, note])), unknown[0].path if unknown else path,
                           facts=[p.path for p in unknown], **evidence)
    if unknown and open_points:
        points = "1 point" if open_points == 1 else f"{open_points} points"
        note += f", so {points} of 2 {'is' if open_points == 1 else 'are'} not assessed"
        evidence["unassessed_points"] = open_points
    elif unknown:
        note += ", which cannot change the score"
    text = "; ".join(filter(None, [message, note]))
    if low == 0 and absent:
        return Verdict(0, text, path, undisclosed=True, evidence=evidence, facts=tuple(p.path for p in absent),
                       unassessed=open_points)
    return Verdict(low, text, path, evidence=evidence, unassessed=open_points)


@dataclass(frozen=True)
class Gap:
    """Why the listed indicators may not be all of them, split by what the reasons rest on.

    `established`: the publisher's own documents were read and do not list them (`children: undisclosed`
    read as the publisher's silence, `undisclosed_means`), or the spec states the fact is absent; a cap for
    these is a cost. `unknown`: the spec's own reading is short (`structure.complete: false`, a group listing
    part of its children, counts above the listing) or the facts were not found in the sources cited; a cap
    for these only is a point not assessed (`cap_for_gap`), never a point lost."""

    established: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "; ".join((*self.established, *self.unknown))

    def __bool__(self) -> bool:
        return bool(self.established or self.unknown)

    def plus(self, other: Gap | None) -> Gap:
        if other is None:
            return self
        return Gap((*self.established, *other.established), (*self.unknown, *other.unknown))


def join_gaps(*gaps: Gap | None) -> Gap | None:
    """Several gaps as one, None when there is none."""
    found = [g for g in gaps if g]
    if not found:
        return None
    joined = found[0]
    for gap in found[1:]:
        joined = joined.plus(gap)
    return joined


def group_children_unknown(ctx: AuditContext, group: NodeRef[Group]) -> bool:
    """Whether a group's unlisted indicators are unknown (not found in the sources cited) rather than a
    verified silence of the publisher's documents (or left out, under `publisher_silent`)."""
    return _evidence.absence_of_value(group.node.children, ctx.spec) == "unknown"


def open_listing_facts(ctx: AuditContext) -> list[Path]:
    """Where the indicators the spec does not list are unknown: groups whose children are not found in the
    sources cited, and the spec's own word that it transcribes only part of the hierarchy (`complete: false`)."""
    facts: list[Path] = [(*g.path, "children") for g in ctx.tree.unlisted_groups if group_children_unknown(ctx, g)]
    if not ctx.spec.structure.complete:
        facts.append(PARTIAL_LISTING)
    return facts


def listing_gap(ctx: AuditContext) -> Gap | None:
    """Why the listed indicators may not be all of them (see `Gap`), or None when the hierarchy is complete."""
    established: list[str] = []
    unknown: list[str] = []
    unlisted = ctx.tree.unlisted_groups
    hidden = [g for g in unlisted if not group_children_unknown(ctx, g)]
    unseen = [g for g in unlisted if group_children_unknown(ctx, g)]
    if hidden:
        one = len(hidden) == 1
        established.append(
            f"{plural(len(hidden), 'group')} ({few([g.id for g in hidden])}) "
            f"{'does' if one else 'do'} not list {'its' if one else 'their'} indicators"
        )
    if unseen:
        # never "does not list": the publisher's documents were not shown to be silent
        unknown.append(
            f"the indicators of {plural(len(unseen), 'group')} ({few([g.id for g in unseen])}) are "
            f"{ABSENCE_WORD['unknown']}"
        )
    if not ctx.spec.structure.complete:
        unknown.append("the spec lists only part of the hierarchy (structure.complete: false)")
    partial = [g for g in ctx.tree.groups if not getattr(g.node, "complete", True) and g.depth > 0]
    if partial:
        one = len(partial) == 1
        unknown.append(f"{plural(len(partial), 'group')} ({few([g.id for g in partial])}) "
                       f"{'lists' if one else 'list'} only part of {'its' if one else 'their'} children "
                       "(complete: false)")
    short = [g for g in ctx.tree.groups if isinstance(count := getattr(g.node, "group_count", None), int)
             and count > len([k for k in ctx.tree.children_of(g) if not k.is_indicator])]
    if short:
        unknown.append(f"the publisher states more groups than are listed under {few([g.id for g in short])} "
                       "(group_count)")
    stated = ctx.spec.structure.indicator_count
    listed = len(ctx.indicators)
    if isinstance(stated, int) and stated > listed and not (established or unknown):
        unknown.append(f"the publisher states {stated} indicators but {listed} are listed")
    if not (established or unknown):
        return None
    return Gap(tuple(established), tuple(unknown))


# The scoring text's sentence on caps, the same in every rule that caps (printed by `rankaudit rules CODE`).
CAP_NOTE = (
    " A cap that rests only on facts not found in the sources cited, or on the spec's partial transcription "
    "(`complete: false`, counts above the listing), leaves the capped point not assessed instead of lost; one "
    "verified undisclosed gap makes it a cost."
)

SHARE_NOTE = (
    " Indicators whose fact is not found in the sources cited are counted at both ends: the rule earns what the "
    "share over all listed indicators earns if they all lack it, and the points they could add are not assessed "
    "(not assessed as a whole when they could add 2)."
)

# the rules scored by `judged_share`
JUDGED_SHARE_NOTE = (
    " The share is judged at both ends of what the indicators of unknown class could carry (not stated, or not "
    "listed in the spec): the rule earns what the worse end earns, and the points the better end would add are "
    "not assessed (the whole rule when they are 2). When the spec lists only part of the index and does not say "
    "how much it leaves out, the rest may carry almost all of it, so the rule is not assessed."
)


def cap_for_gap(verdict: Verdict, gap: Gap | None) -> Verdict:
    """At most 1 point when some indicators are not listed: nobody has seen them. The capped point is lost
    when the gap is established (`Gap.established`); when it rests only on unknown facts it is not assessed:
    counted against the evidence coverage and into the grade's range, neither earned nor lost."""
    if not gap or verdict.score != 2:
        return verdict
    if gap.established:
        return partly(f"{verdict.message}; at most 1 point because {gap}", verdict.path, **verdict.evidence)
    return Verdict(
        1, f"{verdict.message}; 1 point of 2 is not assessed because {gap}", verdict.path,
        evidence={**verdict.evidence, "unassessed_points": 1}, unassessed=1,
    )


def first_edition(ctx: AuditContext) -> str | None:
    """Why there is no previous edition to compare with, or None. One convention for every rule.

    Only an explicit statement counts: `frequency: one_off`, `previous_edition: not_applicable` or
    `history.comparable_with_previous: not_applicable`. A spec that simply records no previous edition is
    not taken for a first edition: a fact left out is scored like an undisclosed one.
    """
    ranking = ctx.spec.ranking
    if ranking.frequency == "one_off":
        return "a one-off ranking has no previous edition"
    history = ctx.spec.history
    if ranking.previous_edition == NOT_APPLICABLE or (
        history is not None and history.comparable_with_previous == NOT_APPLICABLE
    ):
        return "this is the first edition"
    return None


def only_second_hand(ctx: AuditContext, org: Organisation) -> bool:
    """True when every citation backing an organisation is a secondary source (press, blog...). A copy of the
    publisher's own document (`publisher_document` on the source, read in a mirror) is the publisher's word."""
    cites = org.cite or []
    return bool(cites) and all(_evidence.second_hand_citation(ctx.spec, cite) for cite in cites)


def listed_share_verdict(
    ctx: AuditContext,
    options: dict[str, Any],
    offenders: Sequence[tuple[NodeRef, str]],
    what: str,
    field: str,
    lacking: dict[str, list[str]] | None = None,
) -> Verdict:
    """A per-indicator disclosure share scored against the share options, capped for unlisted indicators.

    Offenders whose fact is unknown (not found in the sources cited) leave the share's denominator: the
    share is taken over what is established; when nothing is, the verdict rests on the unknown facts
    (and the engine reports it as not assessed). `lacking` names, per offender id, the fields it lacks when
    the rule reads several (OP03: definition, unit, direction): an offender is unknown only when every field
    it lacks is, since one established gap is enough to fail it."""
    if not ctx.indicators:
        return no_indicator_listed()

    def is_unknown(ref: NodeRef) -> bool:
        names = (lacking or {}).get(ref.id) or [field]
        return all(fact_is_unknown(ctx, ref, name) for name in names)

    unknown = [(ref, why) for ref, why in offenders if is_unknown(ref)]
    if unknown and len(unknown) == len(offenders) == len(ctx.indicators):
        return undisclosed(
            f"whether the {plural(len(unknown), 'listed indicator')} {what} is not found in the sources cited",
            field_path(unknown[0][0], field),
            facts=[field_path(ref, field) for ref, _ in unknown],
        )
    offenders = [o for o in offenders if o not in unknown]
    total = len(ctx.indicators) - len(unknown)
    gap = listing_gap(ctx)
    if unknown:
        # the fields the unknown offenders lack, in the rule's order (one field for most rules)
        lacked = list(dict.fromkeys(n for ref, _ in unknown for n in (lacking or {}).get(ref.id) or [field]))
        left_out = (
            f"{plural(len(unknown), 'listed indicator')} whose {'/'.join(lacked).replace('_', ' ')} "
            f"{'is' if len(lacked) == 1 else 'are'} not found in the sources cited"
        )
        gap = join_gaps(gap, Gap(unknown=(left_out,)))
    good = total - len(offenders)
    share = good / total
    over = "listed indicators" if gap else "indicators"
    head = f"{good} of {total} {over} ({share:.0%}) {what}"
    if unknown:
        head += f" (leaving out {left_out})"
    evidence: Evidence = {"share": round(share, 4), "compliant": good, "listed": total}
    if unknown:
        return _bounded_share(options, good, len(unknown), len(ctx.indicators), head, offenders, listing_gap(ctx),
                              evidence, [field_path(ref, field) for ref, _ in unknown], field)
    if not offenders:
        return cap_for_gap(met(head, ("structure",), **evidence), gap)
    names = few([f"{ref.id} ({why})" if why else ref.id for ref, why in offenders])
    message = f"{head}; lacking: {names}"
    path = field_path(offenders[0][0], field)
    evidence["offenders"] = [ref.id for ref, _ in offenders]
    return graded(
        share, options["share-for-2"], options["share-for-1"], message, path,
        higher_is_better=True, gap=gap, zero=undisclosed, **evidence,
    )


def _bounded_share(
    options: dict[str, Any],
    good: int,
    open_count: int,
    listed: int,
    head: str,
    offenders: Sequence[tuple[NodeRef, str]],
    listing: Gap | None,
    evidence: Evidence,
    open_facts: list[Path],
    field: str,
) -> Verdict:
    """A disclosure share with some indicators' facts unknown, judged as `parts_verdict` judges parts: the score
    it earns if every unknown fact failed (the share over all listed indicators), the points the unknown facts
    could add not assessed. Taking the share over the known indicators alone would let one indicator in a
    hundred decide the rule as an established fact."""
    low_share, high_share = good / listed, (good + open_count) / listed
    low = band(low_share, options["share-for-2"], options["share-for-1"], higher_is_better=True)
    high = band(high_share, options["share-for-2"], options["share-for-1"], higher_is_better=True)
    if listing and listing.established:
        low, high = min(low, 1), min(high, 1)  # indicators the publisher does not list cap both ends
    elif listing:
        low = min(low, 1)  # unlisted indicators not found in the sources cited: the top point stays open
    bounds = f"{low_share:.0%} of the {listed} listed if those lack it, {high_share:.0%} if they have it"
    names = few([f"{ref.id} ({why})" if why else ref.id for ref, why in offenders]) if offenders else ""
    message = f"{head}; {bounds}" + (f"; lacking: {names}" if names else "")
    path = field_path(offenders[0][0], field) if offenders else open_facts[0]
    if offenders:
        evidence = {**evidence, "offenders": [ref.id for ref, _ in offenders]}
    open_points = high - low
    if open_points >= 2 or (open_points and low == 0 and not offenders):
        return undisclosed(message, open_facts[0], facts=open_facts, **evidence)
    if open_points:
        evidence = {**evidence, "unassessed_points": open_points}
        message += f"; {open_points} point of 2 is not assessed"
    absent = tuple(field_path(ref, field) for ref, _ in offenders)
    if low == 0:
        return Verdict(0, message, path, undisclosed=True, evidence=evidence, facts=absent, unassessed=open_points)
    return Verdict(low, message, path, evidence=evidence, unassessed=open_points)


def fact_is_unknown(ctx: AuditContext, ref: NodeRef, name: str) -> bool:
    """Whether an indicator's field is unknown: `unknown`, or absent in a spec written from the sources read."""
    value = getattr(ref.node, name, None)
    if isinstance(value, IndicatorSource):
        value = value.name
    return _evidence.absence_of_value(value, ctx.spec) == "unknown"


def no_indicator_listed(what: str = "none can be checked") -> Verdict:
    """The one verdict of a per-indicator rule when no indicator is listed: OP12 holds that root cause."""
    return blocked("OP12", f"no indicator is listed, so {what}", ("structure",))


def nothing_known_verdict(share: Share, what: str, fact: Path) -> Verdict:
    """No listed indicator states the property: blocked by OP12 when none is listed, else undisclosed,
    resting on the listed indicators' own (absent) facts at `fact` (e.g. `("source", "type")`)."""
    if share.listed == 0:
        return no_indicator_listed(f"their {what} is unknown")
    return share.judged(undisclosed(
        nothing_known(share, what), ("structure",), facts=[(*ref.path, *fact) for ref in share.unknown_listed]
    ))


def is_survey(node: Indicator) -> bool:
    """An indicator drawn from a survey: a survey source type (among its types), or a `survey` block."""
    return bool(source_types(node) & SURVEY_TYPES) or isinstance(node.survey, Survey)


# --------------------------------------------------------------------------------------------
# Text matching, and the options of per-indicator disclosure shares (listed_share_verdict)

SHARE_FOR_2 = Option(0.95, "share of listed indicators that must comply for 2 points (rankaudit's cut-off)")
SHARE_FOR_1 = Option(0.5, "share of listed indicators that must comply for 1 point (rankaudit's cut-off)")


def without_accents(text: str) -> str:
    """The text with accents removed ('Zürich' -> 'Zurich'), for matching names and phrases."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


# --------------------------------------------------------------------------------------------
# Shares of the index with a property, and the policy for what the spec does not say

def unlisted_indicator_count(ctx: AuditContext) -> int | None:
    """How many of the publisher's indicators the spec does not list: 0, a number, or None if unknown."""
    listed = len(ctx.indicators)
    stated = ctx.spec.structure.indicator_count
    if isinstance(stated, int):
        return max(0, stated - listed)
    unlisted = ctx.tree.unlisted_groups
    if not unlisted and ctx.spec.structure.complete:
        return 0
    counts = [c for g in unlisted if isinstance(c := g.node.indicator_count, int)]
    if unlisted and len(counts) == len(unlisted) and ctx.spec.structure.complete:
        return sum(counts)
    return None


Classify = Callable[[Indicator], bool | None]


@dataclass
class Share:
    """The share of the index (by effective weight or by count) in a class of indicators."""

    by_weight: bool
    listed: int
    # indicators, and with `classify_source` groups of unlisted indicators (or the index, for the indicators the
    # spec does not list) classified by their declared source
    known: list[NodeRef[Group | Indicator | Structure]]
    # (an element in the class, its share of the known part), largest first
    hits: list[tuple[NodeRef[Group | Indicator | Structure], float]]
    unknown_listed: list[NodeRef[Indicator]]
    unknown_fraction: float  # share of the whole index whose class is unknown (unlisted included)
    share: float | None  # hits / known; None when nothing is known
    notes: list[str] = field(default_factory=list)
    # the part of `unknown_fraction` that is established: listed indicators whose fact is verified undisclosed
    # (or left out, under publisher_silent) and groups the publisher's documents do not list; the rest is
    # unknown (not found in the sources cited, or not transcribed by the spec), which no cap may charge for
    established_fraction: float = 0.0
    # counted by count only because weights are unknown (not found in the sources cited), none undisclosed
    weights_unknown: bool = False
    # the spec transcribes only part of the hierarchy and how much it leaves out is not known (no count, no
    # weights covering it, no source declared for it): the unlisted part is of unknown size, so no
    # `unknown_fraction` accounts for it (see `unaccounted_gap`)
    unaccounted: bool = False
    # what the shares are of: 'index', or for kinds that combine nothing 'ranking' / 'classification'
    noun: str = "index"

    def judged(self, verdict: Verdict) -> Verdict:
        """A verdict on this share: it rests on the ranking's kind only when the kind made the measures count
        alike (`noun` is not 'index'), so a reading of a composite's kind is not said to be what it rests on."""
        return not_resting_on(verdict, "ranking.kind") if self.noun == "index" else verdict

    def whole(self, what: str) -> str:
        """'the index', or 'the part of the index whose <what> is known' when part of it is unknown, so that a
        share of the known part is never quoted as a share of the whole index (the range follows in the message);
        'the part of the index the spec lists' when the rest is of unknown size."""
        if self.unaccounted:
            return f"the part of the {self.noun} the spec lists"
        return f"the part of the {self.noun} whose {what} is known" if self.unknown_fraction > 0 else f"the {self.noun}"

    def basis(self, what: str) -> str:
        """Where the share was taken: '(by effective weight, over 10 indicators stating the X; notes...)'."""
        # groups whose indicators are not listed may stand in for them (a source declared on the group)
        noun = "indicator" if all(r.is_indicator for r in self.known) else "element"
        if self.by_weight:
            text = f"by effective weight, over {plural(len(self.known), noun)} stating the {what}"
        else:
            text = f"by count, over {plural(len(self.known), noun)} stating the {what}"
        return "(" + "; ".join([text, *self.notes]) + ")"

    @property
    def known_indicators(self) -> list[NodeRef[Indicator]]:
        """The listed indicators of known class (all of `known` unless groups stand in for theirs)."""
        return [r for r in self.known if is_indicator_ref(r)]

    @property
    def hit_indicators(self) -> list[NodeRef[Indicator]]:
        """The listed indicators in the class, largest share first."""
        return [r for r, _ in self.hits if is_indicator_ref(r)]

    def offenders(self, limit: int = 3) -> str:
        return few([f"{ref.id} {pct(w)}" for ref, w in self.hits], limit)

    @property
    def mostly_unknown(self) -> bool:
        return self.unknown_fraction > 0.5

    @property
    def mostly_undisclosed(self) -> bool:
        """More than half the index is of a class the publisher's documents are established to leave out."""
        return self.established_fraction > 0.5


def declared_source(ref: NodeRef) -> list[IndicatorSource] | None:
    """The source(s) a group (or the index) declares for all its indicators: the nearest up the tree."""
    probe: NodeRef | None = ref
    while probe is not None:
        sources = sources_of(probe.node) if not isinstance(probe.node, Indicator) else []
        if sources:
            return sources
        probe = probe.parent
    return None


def share_of(
    ctx: AuditContext,
    classify: Classify,
    *,
    by_weight: bool,
    classify_source: Callable[[list[IndicatorSource]], bool | None] | None = None,
    fact: Callable[[Indicator], object] | None = None,
) -> Share:
    """Share of the listed indicators (known class only) for which `classify` is True.

    `fact` gives the value `classify` reads (an indicator's `geo_level`), so that a listed indicator of
    unknown class counts as established (`Share.established_fraction`) when that value is verified
    undisclosed, and as unknown when it is not found in the sources cited. Without it, every listed
    indicator of unknown class counts as unknown.

    With `by_weight`, indicators count by their effective weight (`effective_weight`) when
    every weight is disclosed; otherwise by count (and `Share.by_weight` is False).

    With `classify_source`, a source declared on a group or on the index (`source:` on the group,
    for indicators it does not list) classifies the indicators that state none, and the group's
    unlisted indicators count with the group's weight.
    """
    tree = ctx.tree
    listed = ctx.indicators
    sourced_groups: list[NodeRef[Group]] = []
    if classify_source is not None:
        sourced_groups = [g for g in tree.unlisted_groups if declared_source(g) is not None]
    notes: list[str] = []
    weights: dict[NodeRef[Group | Indicator | Structure], float] = {}
    unlisted_weight = 0.0
    established_unlisted = 0.0  # the part of unlisted_weight in groups the publisher's documents do not list
    weights_unknown = False
    unaccounted = False
    use_weight = False
    grouped: dict[NodeRef, bool] = {}  # groups counted whole by weight (`_whole_group_units`), with their class
    spread_members: set[NodeRef] = set()  # indicators of groups counted whole as of unknown class (`_spread_groups`)
    spread_at_top = False
    # a ranking of kinds that weigh nothing: each measure (each separate ranking, each criterion) counts alike,
    # which is no missing weight; the ones the spec does not list count as the indicators a count path counts
    counted_alike = by_weight and ctx.spec.ranking.kind in NON_COMPOSITE_KINDS
    classification = ctx.spec.ranking.kind == "classification"
    noun, nouns = ("indicator", "indicators") if not counted_alike else (
        ("criterion", "criteria") if classification else ("measure", "measures"))
    if counted_alike:
        notes.append("each criterion counts alike: a classification states no weights" if classification
                     else "each measure counts alike: the ranking combines nothing")
    elif by_weight and formula_of(ctx) is not None:
        # a formula's coefficients are not shares: its terms weigh by their part of the score (formula_shares)
        formula_weights, basis = formula_shares(ctx)
        if formula_weights is not None:
            use_weight = True
            weights = {r: formula_weights.get(r.id, 0.0) for r in listed}
            notes.append(f"formula terms weighed by their {basis}")
        else:
            notes.append(f"{basis}, so indicators count equally")
    elif by_weight and (listed or sourced_groups):
        effective = [ctx.tree.effective_weight(r) for r in listed]
        group_weights = [ctx.tree.effective_weight(g) for g in tree.unlisted_groups]
        if all(w is not None for w in effective) and all(w is not None for w in group_weights):
            use_weight = True
            # every weight is known here: `is not None` only tells the type checker so
            weights = {r: float(w) for r, w in zip(listed, effective, strict=True) if w is not None}
            # a group whose weights are spread over a listing that may be partial keeps its own weight, but what
            # its listed indicators carry of it is unknown: the group counts whole, as of unknown class
            spread = _spread_groups(ctx) if unlisted_indicator_count(ctx) is None else []
            if tree.root in spread:
                # spread at the top: the listed part's weights say nothing of the whole index
                unaccounted, spread_at_top, spread = True, True, []
            for group in spread:
                for member in tree.indicators_under(group):
                    weights.pop(member, None)
                    spread_members.add(member)
                unlisted_weight += float(tree.effective_weight(group) or 0.0)
            if spread:
                notes.append(f"the weights inside {few([g.id for g in spread])} are spread over the indicators the "
                             "spec lists, which may be only part of them, so what they carry there is unknown")
            weights |= {g: float(ctx.tree.effective_weight(g) or 0.0) for g in sourced_groups}
            rest = [(g, w) for g, w in zip(tree.unlisted_groups, group_weights, strict=True)
                    if g not in weights and w is not None]
            unlisted_weight = float(sum(w for _, w in rest))
            established_unlisted = float(sum(w for g, w in rest if not group_children_unknown(ctx, g)))
            if unlisted_weight > 0:
                notes.append(f"{pct(unlisted_weight)} of the index weight is in groups whose indicators are not listed")
            if not ctx.spec.structure.complete:
                notes.append("the spec marks its structure incomplete")
                # explicit weights of the listed part that fall short of the whole: the rest is carried by
                # indicators the spec does not list, of known weight and unknown class
                missing_weight = 1.0 - sum(weights.values()) - unlisted_weight
                if missing_weight > 1e-6:
                    unlisted_weight += missing_weight
                    notes.append(f"{pct(missing_weight)} of the index weight is in indicators the spec does not list")
        elif (units := _whole_group_units(ctx, classify, classify_source)) is not None:
            # weights are known down to some groups only, but each such group's indicators are all of one class:
            # the group's weight is then that class's share whatever the weights inside it
            # (the listing is whole there, so no unlisted group or unlisted weight remains to count)
            use_weight = True
            weights = {r: float(w) for r, w in zip(listed, effective, strict=True) if w is not None}
            weights |= {g: float(ctx.tree.effective_weight(g) or 0.0) for g in units}
            grouped = units
            notes.append(f"weights inside {few([g.id for g in units])} are not disclosed; each counts whole by its "
                         "weight, its indicators being all of one kind")
        else:
            notes.append("weights not disclosed at every level, so indicators count equally")
            unweighted: list[NodeRef] = [r for r, w in zip(listed, effective, strict=True) if w is None]
            unweighted += [g for g, w in zip(tree.unlisted_groups, group_weights, strict=True) if w is None]
            weights_unknown = weights_rest_on_unknown(ctx, unweighted)
    if not use_weight:
        weights = {r: 1.0 for r in listed} | {g: _count_weight(g) for g in sourced_groups}
        if sourced_groups and not all(isinstance(g.node.indicator_count, int) for g in sourced_groups):
            notes.append(f"groups whose {nouns} are not listed count as one {noun} each")
        missing = unlisted_indicator_count(ctx)
        if missing is None and not sourced_groups:
            notes.append(f"the spec lists only part of the {nouns}, how many is not stated")
            unaccounted = True
        elif missing:
            counted = sum(weights[g] for g in sourced_groups)
            notes.append(f"the spec lists {len(listed)} of {len(listed) + missing} {nouns}")
            unlisted_weight = max(0.0, float(missing) - counted)
            # the publisher's own count of the indicators it does not list is established; the rest of the
            # missing count (a partial transcription) is unknown
            hidden = sum(c for g in tree.unlisted_groups if g not in weights and not group_children_unknown(ctx, g)
                         and isinstance(c := g.node.indicator_count, int))
            established_unlisted = min(unlisted_weight, float(hidden))
        use_weight = counted_alike
    # a group of unlisted indicators counts only where a weight places it (a formula's terms place none)
    sourced_groups = [g for g in sourced_groups if g in weights]
    verdicts: dict[NodeRef[Group | Indicator | Structure], bool | None] = {}
    members = {m for g in grouped for m in ctx.tree.indicators_under(g)}
    for ref in listed:
        if ref not in members and ref not in spread_members:  # a grouped indicator counts within its group
            verdicts[ref] = _class_of(ref, classify, classify_source)
    for unit, kind in grouped.items():
        verdicts[unit] = kind
    if classify_source is not None:  # else sourced_groups is empty
        for group in sourced_groups:
            declared = declared_source(group)  # never None: that is how sourced_groups were chosen
            verdicts[group] = classify_source(declared) if declared is not None else None
    if sourced_groups:
        one = len(sourced_groups) == 1
        notes.append(
            f"{plural(len(sourced_groups), 'group')} of unlisted indicators "
            f"count{'s' if one else ''} by the source declared for {'it' if one else 'them'}"
        )
    root_source = declared_source(tree.root) if classify_source is not None else None
    if root_source is not None and unlisted_weight > 0 and classify_source is not None:
        # a source the index declares for all its indicators classifies the ones the spec does not list too
        verdicts[tree.root] = classify_source(root_source)
        weights[tree.root] = unlisted_weight
        unlisted_weight, established_unlisted = 0.0, 0.0
        notes.append("the indicators not listed count by the source declared for the whole index")
    known = [r for r in verdicts if verdicts[r] is not None]
    unknown_listed = [r for r in listed if r in verdicts and verdicts[r] is None]
    # a declared group whose source leaves the class open is unknown weight, not a listed unknown
    unlisted_weight += sum(weights[g] for g in sourced_groups if verdicts[g] is None)
    if unknown_listed:
        n = len(unknown_listed)
        notes.append(f"{plural(n, 'listed indicator')} {'does' if n == 1 else 'do'} not state it")
    known_weight = sum(weights[r] for r in known)
    total = sum(weights.values()) + unlisted_weight
    hits = sorted(
        ((r, weights[r] / known_weight) for r in known if verdicts[r]) if known_weight > 0 else [],
        key=lambda item: -item[1],
    )
    share = sum(w for _, w in hits) if known_weight > 0 else None
    unknown_fraction = (total - known_weight) / total if total > 0 else 1.0
    established = established_unlisted
    if fact is not None:
        established += sum(weights[r] for r in unknown_listed
                           if _evidence.absence_of_value(fact(r.node), ctx.spec) in ("undisclosed", "not_stated"))
    established_fraction = established / total if total > 0 else 0.0
    unaccounted = unaccounted and root_source is None
    if unaccounted and spread_at_top:
        notes.append("the top-level weights are spread over the elements the spec lists, which may be only part "
                     "of them")
    whole_noun = ("classification" if classification else "ranking") if counted_alike else "index"
    return Share(use_weight, len(listed), known, hits, unknown_listed, unknown_fraction, share, notes,
                 established_fraction, weights_unknown, unaccounted, whole_noun)


def _class_of(ref: NodeRef[Indicator], classify: Classify,
              classify_source: Callable[[list[IndicatorSource]], bool | None] | None) -> bool | None:
    """A listed indicator's class: its own, else (with `classify_source`) the source declared up the tree."""
    verdict = classify(ref.node)
    if verdict is None and classify_source is not None:
        inherited = declared_source(ref.parent) if ref.parent is not None else None
        verdict = classify_source(inherited) if inherited is not None else None
    return verdict


def _whole_group_units(ctx: AuditContext, classify: Classify,
                       classify_source: Callable[[list[IndicatorSource]], bool | None] | None,
                       ) -> dict[NodeRef, bool] | None:
    """The groups to count whole when weights are known down to them but not inside them: for each listed
    indicator of unknown effective weight, its nearest ancestor of known weight. Only when that is exact: the
    hierarchy is wholly listed, every unlisted group's weight is known, no such ancestor is the index itself, and
    each group's indicators are all of one known class (so that no weight inside it could move the share).
    None otherwise (the caller then counts indicators)."""
    tree = ctx.tree
    if not ctx.spec.structure.complete or tree.unlisted_groups:  # the caller relies on this: nothing unlisted
        return None
    if any(not getattr(g.node, "complete", True) for g in tree.groups):
        return None
    units: dict[NodeRef, bool] = {}
    for ref in ctx.indicators:
        if tree.effective_weight(ref) is not None:
            continue
        unit = next((a for a in tree.ancestors(ref) if a.parent is not None and tree.effective_weight(a) is not None),
                    None)
        if unit is None or not isinstance(unit.node, Group):
            return None
        if unit in units:
            continue
        classes = {_class_of(m, classify, classify_source) for m in tree.indicators_under(unit)}
        if len(classes) != 1 or None in classes:
            return None
        units[unit] = bool(classes.pop())
    return units or None


def _count_weight(group: NodeRef[Group]) -> float:
    """A group of unlisted indicators counted by count: as many as the publisher states, else as one."""
    count = group.node.indicator_count
    return float(count) if isinstance(count, int) and count > 0 else 1.0


def _spread_groups(ctx: AuditContext) -> list[NodeRef]:
    """The topmost groups (the index included) whose weights are spread over a listing that may be partial
    (`Tree.spread_over_listing`)."""
    tree = ctx.tree
    spread = [g for g in tree.groups if tree.spread_over_listing(g)]
    return [g for g in spread if not any(a in spread for a in tree.ancestors(g))]


def unaccounted_gap(share: Share) -> Gap | None:
    """The listing gap of a share whose unlisted part is of unknown size (`Share.unaccounted`): the spec's own
    partial transcription, so a cap for it leaves the point not assessed (`cap_for_gap`), never lost."""
    if not share.unaccounted:
        return None
    return Gap(unknown=("the spec lists only part of the indicators and how many it leaves out is not stated",))


def weights_rest_on_unknown(ctx: AuditContext, refs: Sequence[NodeRef]) -> bool:
    """Whether the weights missing on the way from `refs` up to the index are all unknown (not found in the
    sources cited). One weight verified undisclosed, left out under `publisher_silent`, or a stated weighting
    that gives no shares, makes the gap established, as one verified gap settles `evidence.resolve`."""
    states: set[str | None] = set()
    for ref in refs:
        probe = ref
        while probe.parent is not None:
            parent = probe.parent
            if any(w is None for w in ctx.tree.child_weights(parent)):
                for kid in ctx.tree.children_of(parent):
                    weight = kid.node.weight
                    if not isinstance(weight, int | float):
                        states.add(_evidence.absence_of_value(weight, ctx.spec))
                if not states:
                    states.add(None)  # every weight stated, yet no shares: a stated design, not an unknown
            probe = parent
    return bool(states) and states == {"unknown"}


@dataclass(frozen=True)
class Cap:
    """A score after the caps of a share, with the reasons: `lost` (established gaps, the capped point is a
    cost) and `open` (unknown facts, the capped point is not assessed: `unassessed`)."""

    score: int
    lost: tuple[str, ...] = ()
    open: tuple[str, ...] = ()

    @property
    def unassessed(self) -> int:
        return 1 if self.open and not self.lost else 0

    def text(self) -> str:
        """'; capped at 1 (counted without weights)' or '; 1 point of 2 is not assessed (...)' ('' if uncapped)."""
        if self.lost:
            return f"; capped at 1 ({', '.join((*self.lost, *self.open))})"
        if self.open:
            return f"; 1 point of 2 is not assessed ({', '.join(self.open)})"
        return ""


def cap_weighted_share(score: int, share: Share, what: str) -> Cap:
    """At most 1 for a share meant by weight but counted without weights (when the known indicators are of both
    kinds: weights cannot move a share of 0% or 100%), or of mostly unknown `what`. Each cap is a cost when its
    gap is established and a point not assessed when it rests on unknown facts only."""
    if score != 2:
        return Cap(score)
    lost: list[str] = []
    open_: list[str] = []
    # weights cannot move a share of none or all of the known part: then counting without them loses nothing
    mixed = share.share is not None and 0.0 < share.share < 1.0
    if not share.by_weight and mixed:
        if share.weights_unknown:
            open_.append(f"counted without weights, which are {ABSENCE_WORD['unknown']}")
        else:
            lost.append("counted without weights")
    if share.mostly_undisclosed:
        lost.append(f"most of the {share.noun} is of undisclosed {what}")
    elif share.mostly_unknown:
        open_.append(f"the {what} of {pct(share.unknown_fraction)} of the {share.noun} is {ABSENCE_WORD['unknown']}")
    if lost or open_:
        return Cap(1, tuple(lost), tuple(open_))
    return Cap(score)


def nothing_known(share: Share, what: str) -> str:
    """The message when no listed indicator states the property: that none states it only where that is
    established for all of them, else that it is not found in the sources cited."""
    if share.listed == 0:
        return f"the spec lists no indicators, so their {what} is unknown"
    if share.established_fraction < share.unknown_fraction - 1e-9:
        return f"the {what} of the {plural(share.listed, 'listed indicator')}: {ABSENCE_WORD['unknown']}"
    return f"none of the {plural(share.listed, 'listed indicator')} states its {what}"


def cap_unknown(score: int, message: str, share: Share, what: str) -> tuple[int, str, int]:
    """Cap a score at 1 when indicators of unknown `what` carry more than half the index; with the message and
    the points not assessed. The capped point is lost when more than half the index is of an established
    undisclosed `what`; otherwise it rests on facts not found in the sources cited and is not assessed."""
    if not share.mostly_unknown or score != 2:
        return score, message, 0
    if share.mostly_undisclosed:
        shown = pct(share.established_fraction)
        return 1, f"{message}; capped at 1: the {what} of {shown} of the {share.noun} is undisclosed", 0
    open_part = pct(share.unknown_fraction)
    return 1, (f"{message}; 1 point of 2 is not assessed: the {what} of {open_part} of the {share.noun} "
               f"is {ABSENCE_WORD['unknown']}"), 1


def city_definition(ctx: AuditContext) -> tuple[CityDefinition | None, Path]:
    """The city definition and where it sits (or should sit)."""
    definition = ctx.spec.cities.definition
    if isinstance(definition, CityDefinition):
        return definition, ("cities", "definition")
    return None, ("cities", "definition") if definition else ("cities",)


# --------------------------------------------------------------------------------------------
# Data vintages: reference years, lags, projections

def reference_years(ref: NodeRef) -> YearRange | None:
    node = ref.node
    assert isinstance(node, Indicator | Structure)
    return node.reference_year if isinstance(node.reference_year, YearRange) else None


def is_projection(ref: NodeRef) -> bool:
    return bool(getattr(ref.node, "projection", False))


def observed_indicators(ctx: AuditContext) -> list[NodeRef]:
    """Listed indicators that are observed data, not projections (none when the edition ranks forecasts)."""
    if ranks_forecasts(ctx):
        return []
    return [r for r in ctx.indicators if not is_projection(r)]


def ranks_forecasts(ctx: AuditContext) -> bool:
    """Whether the edition ranks forecast values (`ranking.forecast` or `structure.forecast`)."""
    return bool(ctx.spec.ranking.forecast or ctx.spec.structure.forecast)


def dated_indicators(ctx: AuditContext) -> list[tuple[NodeRef, YearRange]]:
    """Observed listed indicators with a disclosed reference year.

    When none has one but the publisher states data years for the whole index
    (`structure.reference_year`), the index stands in as a single dated item, so that lags can still be
    measured; the per-indicator rule FR01 gives such an index-wide statement at most 1 point.
    """
    out: list[tuple[NodeRef, YearRange]] = []
    if ranks_forecasts(ctx):
        return out  # forecasts are not data: no lag, however near their years
    for ref in observed_indicators(ctx):
        years = reference_years(ref)
        if years is not None:
            out.append((ref, years))
    index_years = reference_years(ctx.tree.root)
    if not out and index_years is not None:
        out.append((ctx.tree.root, index_years))
    return out


def years_text(count: float) -> str:
    return f"{count:g} year" if count == 1 else f"{count:g} years"


def span_text(years: YearRange) -> str:
    return str(years)


def no_publication_year(ctx: AuditContext) -> Verdict:
    said = _evidence.absence_word(ctx.spec.ranking.published, ctx.spec)
    return blocked("FR09", f"the publication date is {said}, so data lags cannot be measured", ("ranking", "published"))


def no_dated(ctx: AuditContext, what: str) -> Verdict:
    observed = observed_indicators(ctx)
    if not ctx.indicators:
        return no_indicator_listed(f"{what} cannot be measured")
    if ranks_forecasts(ctx):
        where: Path = ("ranking", "forecast") if ctx.spec.ranking.forecast else ("structure", "forecast")
        return not_applicable(f"the edition ranks forecasts, which are not data; {what} does not arise", where)
    if not observed:
        return not_applicable(f"every listed indicator is a projection; {what} does not arise", ("structure",))
    return blocked(
        "FR01",
        f"none of the {plural(len(observed), 'observed indicator')} states a reference year, so {what} cannot be "
        "measured",
        field_path(observed[0], "reference_year"),
    )


def dated_at_publication(ctx: AuditContext, what: str) -> tuple[int, list[tuple[NodeRef, YearRange]]] | Verdict:
    """The publication year and the dated indicators, for measuring `what` (a lag), or the verdict when
    either is missing."""
    dated = dated_indicators(ctx)
    if not dated:
        return no_dated(ctx, what)  # the deeper root cause first: no indicator, or no data year
    year = ctx.publication_year
    if year is None:
        return no_publication_year(ctx)
    return year, dated


# --------------------------------------------------------------------------------------------
# Perspectives and source types

def article(word: str) -> str:
    """'an' before a word spelt with a leading vowel ('an investor'), else 'a' (the perspectives' names)."""
    return "an" if word[:1] in "aeiou" else "a"


def plain_text(value: str) -> str:
    """Lower case, curly quotes straightened, accents removed."""
    return without_accents(value.replace("\u2019", "'").replace("\u2018", "'")).lower()


def declared_perspectives(ctx: AuditContext) -> list[str] | None:
    value = ctx.spec.ranking.perspective
    if isinstance(value, list):
        return list(value)
    return [value] if value is not None and is_stated(value) else None


def stated_source_type(ind: Indicator) -> str | None:
    """The first stated type of an indicator's sources (`source_types` gives them all)."""
    for source in sources_of(ind):
        for kind in _types(source):
            return kind
    return None


def sources_of(node: object) -> list[IndicatorSource]:
    """The sources an indicator, a group or the index states itself: one, a list, or none."""
    source = getattr(node, "source", None)
    if isinstance(source, IndicatorSource):
        return [source]
    if isinstance(source, list):
        return [s for s in source if isinstance(s, IndicatorSource)]
    return []


def _types(source: IndicatorSource) -> list[str]:
    kind = source.type
    if isinstance(kind, list):
        return list(kind)
    return [kind] if kind is not None and is_stated(kind) else []


def _sources_in(item: object) -> list[IndicatorSource]:
    """The sources of a node, of one source, or of a list of sources."""
    if isinstance(item, IndicatorSource):
        return [item]
    if isinstance(item, list):
        return [s for s in item if isinstance(s, IndicatorSource)]
    return sources_of(item)


def source_types(item: object) -> set[str]:
    """Every stated type of a node's sources (or of a source, or a list of sources): a source of several types
    counts under each, so that every rule reading a type sees the same crowdsourced survey."""
    return {t for s in _sources_in(item) for t in _types(s)}


def source_type_share_verdict(
    ctx: AuditContext,
    options: dict[str, Any],
    types: frozenset[str],
    label: str,
) -> Verdict:
    """Score the effective-weight share of indicators whose source type is in `types`."""
    def of_type(item: object) -> bool | None:
        stated = source_types(item)
        if stated & types:
            return True
        # one source of unstated type among several may be of the class: the indicator is open, not outside it
        untyped = any(not _types(s) for s in _sources_in(item))
        return False if stated and not untyped else None

    share = share_of(ctx, of_type, by_weight=True, classify_source=of_type, fact=source_type_fact)
    if share.share is None:
        return nothing_known_verdict(share, "source type", ("source", "type"))
    # a source of several types counts under each: say so, so that "crowdsourced data carry 100%" is not read as
    # an index made of crowdsourced data alone when its indicators also draw on listings or a census
    partly_of = [r.id for r, _ in share.hits if _mixes_types(r.node, types)]
    carrier = f"indicators drawing wholly or partly on {label}" if partly_of else label
    message = f"{carrier} carry {pct(share.share)} of {share.whole('source type')} {share.basis('source type')}"
    if share.hits:
        message += f": {share.offenders()}"
    if partly_of:
        message += f" ({few(partly_of)} also {'draws' if len(partly_of) == 1 else 'draw'} on sources of other types)"
    worst = share.hits[0][0] if share.hits else (share.unknown_listed[0] if share.unknown_listed else None)
    path: Path = (*worst.path, "source") if worst is not None else ("structure",)
    return judged_share(ctx, share, options["max-share-full"], options["max-share-partial"], higher_is_better=False,
                        message=message, path=path, what="source type", field=("source", "type"), weighed=True)


def _mixes_types(node: object, types: frozenset[str]) -> bool:
    """Whether an element's sources (its own, or those declared for it up the tree) are of other types too."""
    stated = source_types(node)
    return bool(stated & types) and bool(stated - types)


def judged_share(
    ctx: AuditContext,
    share: Share,
    full: float,
    partial: float,
    *,
    higher_is_better: bool,
    message: str,
    path: Path,
    what: str,
    field: Path,
    weighed: bool,
    **evidence: Any,
) -> Verdict:
    """A share of the index scored against two cut-offs, judged at both ends of the part whose `what` is unknown.

    The share over the known part stands for the whole index only as far as the unknown part could not move it:
    the whole index holds between `least` (none of the unknown part in the class) and `most` (all of it). The rule
    earns what the worse end earns; the points the better end would add are not assessed, and the whole rule is
    when they are 2, so that one indicator of known kind among a hundred settles nothing. A listing whose unlisted
    part is of unknown size (`Share.unaccounted`) settles neither end: that part may carry almost all of the index
    or almost none, so the ends are the cut-offs' extremes and the rule is not assessed. A part of established
    undisclosed `what`, and (`weighed`) a share meant by weight but counted without weights, cap as before
    (`cap_weighted_share`; `cap_unknown` for a share counted by design). `field` is where each indicator states
    `what` (`("geo_level",)`): a rule not assessed rests on those of the listed indicators that do not, and on
    the indicators the spec does not list (`open_listing_facts`)."""
    open_part = max(0.0, share.unknown_fraction - share.established_fraction)
    least = share.share * (1.0 - share.unknown_fraction) if share.share is not None else 0.0
    most = least + open_part
    low_share, high_share = (least, most) if higher_is_better else (most, least)
    best = band(high_share if open_part else (share.share or 0.0), full, partial, higher_is_better=higher_is_better)
    worst = band(low_share, full, partial, higher_is_better=higher_is_better) if open_part else best
    if share.unaccounted:
        # the unlisted part, of unknown size, may carry almost all of the index or almost none
        best = band(1.0 if higher_is_better else 0.0, full, partial, higher_is_better=higher_is_better)
        worst = band(0.0 if higher_is_better else 1.0, full, partial, higher_is_better=higher_is_better)
        message += f"; their share of the whole {share.noun} is unknown"
    if weighed:
        cap = cap_weighted_share(best, share, what)
        capped, open_points, cap_text = cap.score, cap.unassessed, cap.text()
    else:
        capped, cap_text, open_points = cap_unknown(best, "", share, what)
    evidence = {"share": share.share, "by_weight": share.by_weight, **evidence}
    low, high = min(capped, worst), capped + open_points
    if open_part and not share.unaccounted:
        # the share above is of the known part only: say what it means for the whole index, even when the score
        # does not depend on it, so that "carry 67%" over two of six elements is not read as 67% of the index
        message += (f"; between {pct(least)} and {pct(most)} of the whole {share.noun}, as the {pct(open_part)} "
                    f"of unknown {what} falls")
    if low < capped:
        return share.judged(open_ends_verdict(ctx, share, low, high, message, path, field, **evidence))
    return share.judged(capped_verdict(capped, open_points, message + cap_text, path, **evidence))


def open_ends_verdict(ctx: AuditContext, share: Share, low: int, high: int, message: str, path: Path,
                      field: Path, /, **evidence: Any) -> Verdict:
    """A share judged at both ends whose unknown part could move the score from `low` to `high`: it earns `low`
    and the rest is not assessed, the whole rule when that is 2 points. Not assessed, it rests on the listed
    indicators that do not state `field` and on the indicators the spec does not list (`open_listing_facts`).
    Positional parameters only: `evidence` may hold a key named like one of them ('share')."""
    if high - low >= 2:
        facts = [(*r.path, *field) for r in share.unknown_listed] + open_listing_facts(ctx)
        return undisclosed(message, path, facts=facts or [("structure",)], **evidence)
    return capped_verdict(low, high - low, message + "; 1 point of 2 is not assessed", path, **evidence)


def source_type_fact(ind: Indicator) -> object:
    """The value an indicator's source type is read from, for its evidence state: the first source's type, or
    the source itself when none is stated (`undisclosed`, `unknown`, left out)."""
    sources = sources_of(ind)
    return sources[0].type if sources else ind.source


def source_type_share_scoring(what: str) -> str:
    """The scoring template of a rule scored by `source_type_share_verdict` (options `max-share-full`/`-partial`)."""
    return (
        f"Share of the index carried by {what}, by effective weight over the indicators stating their source type: "
        "<= {max-share-full:%} -> 2, <= {max-share-partial:%} -> 1, else 0 (rankaudit's cut-offs, configurable). "
        "When weights are not disclosed at every level, indicators count equally and the score is capped at 1; it "
        "is also capped at 1 when indicators of unknown source type (not stated, or not listed in the spec) carry "
        "more than half the index. 0 (undisclosed) when no indicator states its source type."
    ) + CAP_NOTE + JUDGED_SHARE_NOTE


# --------------------------------------------------------------------------------------------
# Statistical results (the SR rules read only a StatsResult)

def stats_of(ctx: AuditContext) -> StatsResult:
    assert ctx.stats is not None  # evaluate() answers "not applicable" before calling us without data
    return ctx.stats


def indicator_path(ctx: AuditContext, ind_id: str) -> Path:
    for ref in ctx.indicators:
        if ref.id == ind_id:
            return ref.path
    return ("structure",)


def group_path(ctx: AuditContext, group_id: str) -> Path:
    for ref in ctx.tree.groups:
        if ref.id == group_id and ref.depth > 0:
            return ref.path
    return ("structure",)


def correlation_pairs(s: StatsResult, kind: str) -> list[tuple[str, str, float, str | None]]:
    return [(f.a, f.b, f.r or 0.0, f.group) for f in s.correlation_flags if f.kind == kind and f.significant]


def share_text(value: float) -> str:
    """A cut-off share in a message: 2/3 as a fraction (the JRC's own words), others as '65 %'."""
    if abs(value - 2 / 3) < 1e-9:
        return "2/3"
    return f"{round(value * 100, 6):g} %"


def pair_verdict(ctx: AuditContext, options: dict[str, Any], kind: str, noun: str, threshold: str) -> Verdict:
    """Flagged correlation pairs within groups: none met, up to `pairs-for-1` partly, more not met."""
    pairs = correlation_pairs(stats_of(ctx), kind)
    if not pairs:
        return met(f"no pair within a group {threshold}", ("structure",))
    desc = few([f"{a}~{b} (r = {r:.2f})" for a, b, r, _ in pairs])
    msg = f"{plural(len(pairs), noun)} within groups: {desc}"
    second = pairs[0][1]
    path = indicator_path(ctx, second) if second in {i.id for i in ctx.indicators} else group_path(ctx, second)
    pair_list = [[a, b] for a, b, _, _ in pairs]
    if len(pairs) <= options["pairs-for-1"]:
        return partly(msg, path, pairs=pair_list)
    return not_met(msg, path, pairs=pair_list)


def groups_below_index(s: StatsResult) -> list[Any]:
    top = max((g.level for g in s.groups), default=0)
    return [g for g in s.groups if g.level < top and len(g.children) >= 2]


# --------------------------------------------------------------------------------------------
# Designs beyond the weighted hierarchy (issue 11): formulas, weight provenance, conflicts of interest

def formula_of(ctx: AuditContext) -> Formula | None:
    """The published linear formula, when the index is one."""
    return ctx.spec.method.formula if ctx.spec.method is not None else None


def formula_shares(ctx: AuditContext) -> tuple[dict[str, float] | None, str]:
    """Each formula term's share of the score, and how it was measured (or why it cannot be).

    A coefficient is not a share when components have unlike scales (-1 per offence and 0.4 per point of
    employment say nothing about which matters more). With data, a term's share is its part of the score's
    variance, c_i^2 var(x_i) over the sum (covariances left aside); without data, coefficients are shares only
    when every term states the same unit.
    """
    formula = formula_of(ctx)
    if formula is None:
        return None, "no formula"
    coefficients = {t.indicator: t.coefficient for t in formula.terms}
    if ctx.stats is not None:
        sd = {i.id: i.sd for i in ctx.stats.indicators if i.sd is not None}
        if all(k in sd for k in coefficients):
            parts = {k: (c * float(sd[k])) ** 2 for k, c in coefficients.items()}
            total = sum(parts.values())
            if total > 0:
                return {k: v / total for k, v in parts.items()}, "share of the score's variance, from the data"
    units = {getattr(r.node, "unit", None) for r in ctx.indicators if r.id in coefficients}
    if len(units) == 1 and is_stated(next(iter(units))):
        total = sum(abs(c) for c in coefficients.values())
        if total > 0:
            return {k: abs(c) / total for k, c in coefficients.items()}, "coefficients on a common unit"
    return None, (
        "the formula's coefficients apply to components on unlike scales, so their shares of the score are not "
        "assessable without data"
    )


WEIGHTS_SET_BY_WORDS = {
    "analysts": "the publisher's analysts",
    "expert_panel": "an expert panel",
    "public_survey": "a public survey",
    "resident_survey": "a survey of residents",
    "statistical": "a statistical method",
    "equal_default": "equal weighting by default",
    "other": "another method",
}
SURVEY_SET = frozenset({"public_survey", "resident_survey"})


def weights_set_by_text(setter: WeightsSetBy) -> str:
    """'a public survey of 2,000 people', 'an expert panel of 12', 'a public survey of over 2,000 people'."""
    words = WEIGHTS_SET_BY_WORDS[setter.method]
    if setter.size is not None:
        who = "people" if setter.method in SURVEY_SET else "members"
        words += f" of {count_text(setter.size)} {who}"
    return words


def weight_setters(ctx: AuditContext) -> list[tuple[NodeRef, WeightsSetBy]]:
    """Every `weights_set_by` of the index and its groups, with where it stands."""
    found = [(g, getattr(g.node, "weights_set_by", None)) for g in ctx.tree.groups]
    return [(g, w) for g, w in found if isinstance(w, WeightsSetBy)]


def survey_weightings(ctx: AuditContext) -> list[tuple[NodeRef, WeightsSetBy]]:
    """Weights set by a survey of the public or of residents: a survey the survey rules judge too."""
    return [(g, w) for g, w in weight_setters(ctx) if w.method in SURVEY_SET]


@dataclass(frozen=True)
class Conflict:
    """An organisation with a stake in the ranking's verdicts."""

    org: Organisation
    role: str
    stake: str
    path: Path

    def describe(self) -> str:
        return f"{self.org.name} ({self.role.replace('_', ' ')}): {self.stake}"


def conflicts_of_interest(ctx: AuditContext) -> list[Conflict]:
    """The publisher, sponsors, commissioners, shareholders and founding parents with a stated `interest` in the
    verdicts, and governments or city agencies whose home city the ranking ranks."""
    spec = ctx.spec
    ranked = {plain_text(c.name) for c in spec.cities.members or []}
    parties: list[tuple[Organisation, str, Path]] = [(spec.publisher, "publisher", ("publisher",))]
    if isinstance(spec.sponsors, list):
        parties += [(s, s.role, ("sponsors", i)) for i, s in enumerate(spec.sponsors)]
    found = []
    for org, role, path in parties:
        if org.interest:
            found.append(Conflict(org, role, quote(org.interest, 90), (*path, "interest")))
        elif org.type == "government" and is_stated(org.home_city) and plain_text(str(org.home_city)) in ranked:
            found.append(Conflict(org, role, f"a government body of {org.home_city}, which the ranking ranks",
                                  (*path, "home_city")))
    return found


def cited_as(ctx: AuditContext, org: Organisation, field: str | None = None) -> str:
    """Where the spec's author read a fact about an organisation, for a message ('' when uncited): the citation
    naming `field` among its `fields` first, else the first one."""
    cites = list(org.cite or [])
    if field is not None:
        cites.sort(key=lambda c: field not in (c.fields or []))
    for cite in cites:
        registered = ctx.spec.sources.get(cite.source) if cite.source else None
        where = cite.url or (registered.url if registered and registered.url else None) or cite.source
        if where:
            return f" [{where}{', second-hand' if cite.second_hand else ''}]"
    return ""

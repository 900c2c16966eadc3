"""OP05 (opacity): Publisher, sponsors and conflicts of interest disclosed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit import evidence as _evidence
from rankaudit.rules.base import Evidence, Verdict, is_stated, met, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    Part,
    cited_as,
    conflicts_of_interest,
    data_partners_only,
    few,
    only_second_hand,
    part,
    parts_verdict,
    quote,
)
from rankaudit.spec.models import Sponsor
from rankaudit.spec.yamlsafe import Path
from rankaudit.wording import missing_facts_text


@rule(
    "OP05",
    "Publisher, sponsors and conflicts of interest disclosed",
    core=True,
    sources=(
        Cite("inorms-rating-the-rankers", ": 'clear weaknesses in terms of declaring conflicts of interest'"),
        Cite("eiu-hot-spots-2012", ": 'commissioned by Citigroup'"),
    ),
    reads=("publisher.name", "publisher.type", "sponsors", "sponsors[].role", "sponsors[].interest",
           "sponsors[].type", "sponsors[].home_city", "publisher.interest", "conflict_of_interest", "cities.list"),
    scoring="A conflict of interest is an organisation behind the ranking (publisher, sponsor, commissioner, "
    "shareholder of the publisher, founding parent) with a stated `interest` in its verdicts, or a government or "
    "city agency whose home city the ranking ranks. With a conflict: 1 = a conflict-of-interest statement is "
    "published (it mitigates, it does not remove the stake); 0 = none is. Without one: 2 = the publisher's type, "
    "the sponsors, commissioners, shareholders and partners (or a statement that there are none, `sponsors: []`) "
    "and a conflict-of-interest statement are all disclosed; 1 = sponsorship or the conflict-of-interest "
    "statement is disclosed but not everything (a sponsor known only from secondary sources does not count as "
    "disclosed); 0 = neither is. A list naming only data partners (suppliers or contractors of the data) does not "
    "say who backs the ranking: that part is not assessed. A fact not found in the sources cited costs nothing "
    "(its points are not assessed).",
)
def funders_disclosed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """City rankings are often paid for by firms, business lobbies or city agencies with a stake in the
    result, and a reader weighs a ranking differently once the payer is known. INORMS found conflict-of-interest
    declarations to be a clear weakness of rankings; the EIU's Hot Spots index, for example, was commissioned
    by a bank. Disclosure alone does not settle it: a bank's competitiveness index or a city's own ranking of
    cities keeps its stake however openly it is named."""
    spec = ctx.spec
    sponsors = spec.sponsors
    coi_ok = is_stated(spec.conflict_of_interest)
    conflicts = conflicts_of_interest(ctx)
    if conflicts:
        named = "; ".join(f"{c.describe()}{cited_as(ctx, c.org, str(c.path[-1]))}" for c in conflicts[:3])
        evidence: Evidence = {"conflicts": [c.org.name for c in conflicts], "coi_statement": coi_ok}
        if coi_ok:
            return partly(
                f"conflict of interest: {named}; the conflict-of-interest statement "
                f"('{quote(str(spec.conflict_of_interest), 60)}') mitigates it but does not remove the stake",
                conflicts[0].path,
                **evidence,
            )
        # the stake is established; whether a statement addresses it is judged only where the statement's
        # absence is established too: one not found in the sources cited leaves its point not assessed
        statement = part(ctx, "a conflict-of-interest statement", ("conflict_of_interest",),
                         spec.conflict_of_interest, coi_ok)
        if not statement.unknown:
            return not_met(
                f"conflict of interest: {named}; no conflict-of-interest statement addresses it",
                conflicts[0].path,
                **evidence,
            )
        return parts_verdict([statement], lambda ok: 1 if all(ok) else 0, f"conflict of interest: {named}",
                             conflicts[0].path, premise=True, **evidence)
    sponsors_ok = isinstance(sponsors, list)
    hearsay = [s for s in sponsors if only_second_hand(ctx, s)] if isinstance(sponsors, list) else []
    # three facts, judged on those found: one not found in the sources read costs nothing
    told = _hearsay_part(ctx, hearsay) if hearsay else None
    backers = part(ctx, "sponsors, commissioners and shareholders", ("sponsors",), sponsors, sponsors_ok)
    if data_partners_only(sponsors):
        # a data supplier named is no answer to who backs the ranking: that stays open, costing nothing
        backers = Part("sponsors, commissioners and shareholders (the spec names only data partners)",
                       _evidence.OPEN_BACKERS, "unknown")
    parts = [
        part(ctx, "the publisher's type", ("publisher", "type"), spec.publisher.type, is_stated(spec.publisher.type)),
        told[0] if told is not None else backers,
        part(ctx, "a conflict-of-interest statement", ("conflict_of_interest",), spec.conflict_of_interest, coi_ok),
    ]
    # each missing fact worded by its own state (wording.missing_facts_text): 'undisclosed' only for a verified
    # silence, 'not stated' for a key left out, and a tie known second-hand as missing, never as undisclosed
    missing: list[tuple[str, str | None, Path]] = []
    for found in parts:
        if not found.missing:
            continue
        if told is not None and found is told[0]:
            missing.append((found.label, told[1], found.path))
        else:
            state = _evidence.absence_at(spec, found.path) if found.absent else None
            missing.append((found.label, state, found.path))
    shown = sponsors[:3] if isinstance(sponsors, list) else []
    listed = ", ".join(f"{s.name} ({s.role.replace('_', ' ')})" for s in shown)
    evidence = {"sponsors": len(sponsors) if isinstance(sponsors, list) else None, "coi_statement": coi_ok}
    if all(p.met for p in parts):
        return met(
            f"{spec.publisher.name} ({spec.publisher.type}) discloses its sponsors ({listed or 'none'}) and a "
            "conflict-of-interest statement",
            ("conflict_of_interest",),
            **evidence,
        )
    gaps = missing_facts_text([(label, state) for label, state, _ in missing])
    where = missing[0][2] if missing else next(p.path for p in parts if p.unknown)
    # the spec names the sponsor: never call it undisclosed, say whose word it rests on
    said = "; ".join(filter(None, [f"sponsors named in the spec: {listed}" if hearsay else "", gaps]))
    # a tie known only from the press is the publisher's silence on it when the statement is verified
    # undisclosed (an absent part, resolved by the engine), and unknown when it is not found in the sources cited
    return parts_verdict(parts, _scale, said, where, **evidence)


def _hearsay_part(ctx: AuditContext, hearsay: Sequence[Sponsor]) -> tuple[Part, str | None]:
    """The publisher's own word on ties the spec knows only from secondary sources, with the state it is
    missing in (None: a gap, not an absence). It is unknown, costing nothing, unless the publisher's documents
    were read on the point: a spec written from the sources read (`not_in_sources_read`), or a
    conflict-of-interest statement not found in them, leaves it unknown; a statement that is stated, or
    verified undisclosed (left out, under `publisher_silent`), makes it missing, as the publisher's silence."""
    names = few([f"{s.name} ({s.role.replace('_', ' ')})" for s in hearsay])
    label = f"the publisher's own word on its tie to {names}, which the spec knows only from secondary sources"
    spec = ctx.spec
    statement = spec.conflict_of_interest
    state = None if is_stated(statement) else _evidence.absence_of_value(statement, spec)
    if not _evidence.silent_means_undisclosed(spec) or state == "unknown":
        return Part(label, ("sponsors",), "unknown"), None
    if state is None:
        return Part(label, ("sponsors",), "missing"), None
    return Part(label, ("sponsors",), "missing", absent=True), state


def _scale(disclosed: Sequence[bool]) -> int:
    """2 = the publisher's type, the sponsors and a conflict-of-interest statement; 1 = the sponsors or the
    statement; 0 = neither."""
    _, sponsors, statement = disclosed
    return 2 if all(disclosed) else 1 if sponsors or statement else 0

"""OP05 (opacity): Publisher, sponsors and conflicts of interest disclosed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rankaudit.rules.base import Evidence, Verdict, is_stated, met, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    Part,
    cited_as,
    conflicts_of_interest,
    few,
    only_second_hand,
    part,
    parts_verdict,
    quote,
)
from rankaudit.spec.yamlsafe import Path


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
    "disclosed); 0 = neither is. A fact not found in the sources cited costs nothing (its points are not "
    "assessed).",
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
        named = "; ".join(f"{c.describe()}{cited_as(ctx, c.org)}" for c in conflicts[:3])
        evidence: Evidence = {"conflicts": [c.org.name for c in conflicts], "coi_statement": coi_ok}
        if coi_ok:
            return partly(
                f"conflict of interest: {named}; the conflict-of-interest statement "
                f"('{quote(str(spec.conflict_of_interest), 60)}') mitigates it but does not remove the stake",
                conflicts[0].path,
                **evidence,
            )
        return not_met(
            f"conflict of interest: {named}; no conflict-of-interest statement addresses it",
            conflicts[0].path,
            **evidence,
        )
    sponsors_ok = isinstance(sponsors, list)
    hearsay = [s for s in sponsors if only_second_hand(ctx, s)] if isinstance(sponsors, list) else []
    # three facts, judged on those found: one not found in the sources read costs nothing
    parts = [
        part(ctx, "the publisher's type", ("publisher", "type"), spec.publisher.type, is_stated(spec.publisher.type)),
        # known only second-hand: not disclosed
        Part("sponsors, commissioners and shareholders", ("sponsors",), "missing")
        if hearsay
        else part(ctx, "sponsors, commissioners and shareholders", ("sponsors",), sponsors, sponsors_ok),
        part(ctx, "a conflict-of-interest statement", ("conflict_of_interest",), spec.conflict_of_interest, coi_ok),
    ]
    missing: list[tuple[str, Path]] = []
    for found in parts:
        if not found.missing:
            continue
        if found.path == ("sponsors",) and hearsay:
            names = few([f"{s.name} ({s.role.replace('_', ' ')})" for s in hearsay])
            missing.append((f"the publisher's own word on its sponsorship by {names}, which the spec knows only from "
                            "secondary sources", found.path))
        else:
            missing.append((found.label, found.path))
    if isinstance(sponsors, list):
        listed = ", ".join(f"{s.name} ({s.role.replace('_', ' ')})" for s in sponsors[:3]) or "none"
    else:
        listed = "not disclosed"
    evidence = {"sponsors": len(sponsors) if isinstance(sponsors, list) else None, "coi_statement": coi_ok}
    if all(p.met for p in parts):
        return met(
            f"{spec.publisher.name} ({spec.publisher.type}) discloses its sponsors ({listed}) and a "
            "conflict-of-interest statement",
            ("conflict_of_interest",),
            **evidence,
        )
    gaps = "; ".join(what for what, _ in missing)
    where = missing[0][1] if missing else next(p.path for p in parts if p.unknown)
    if hearsay:
        # the spec names the sponsor: never call it undisclosed, say whose word it rests on
        said = f"sponsors named in the spec: {listed}; missing: {gaps}"
    elif (sponsors_ok and not hearsay) or coi_ok or not missing:
        said = f"not disclosed: {gaps}" if gaps else ""
    else:
        said = f"neither sponsorship nor a conflict-of-interest statement is disclosed; missing: {gaps}"
    verdict = parts_verdict(parts, _scale, said, where, **evidence)
    if hearsay and verdict.score == 0 and not verdict.undisclosed:
        # a sponsor known only from the press is the publisher's silence on it, as before: an undisclosed 0
        return replace(verdict, undisclosed=True, facts=(("sponsors",),))
    return verdict


def _scale(disclosed: Sequence[bool]) -> int:
    """2 = the publisher's type, the sponsors and a conflict-of-interest statement; 1 = the sponsors or the
    statement; 0 = neither."""
    _, sponsors, statement = disclosed
    return 2 if all(disclosed) else 1 if sponsors or statement else 0

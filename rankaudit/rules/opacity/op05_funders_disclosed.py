"""OP05 (opacity): Publisher, sponsors and conflicts of interest disclosed."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Evidence, Verdict, is_stated, met, not_met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import cited_as, conflicts_of_interest, few, only_second_hand, quote
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
    "founding parent) with a stated `interest` in its verdicts, or a government or city agency whose home city "
    "the ranking ranks. With a conflict: 1 = a conflict-of-interest statement is published (it mitigates, it "
    "does not remove the stake); 0 = none is. Without one: 2 = the publisher's type, the sponsors, commissioners "
    "and partners (or a statement that there are none, `sponsors: []`) and a conflict-of-interest statement are "
    "all disclosed; 1 = sponsorship or the conflict-of-interest statement is disclosed but not everything (a "
    "sponsor known only from secondary sources does not count as disclosed); 0 = neither is.",
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
    missing: list[tuple[str, Path]] = []
    if not is_stated(spec.publisher.type):
        missing.append(("the publisher's type", ("publisher", "type")))
    sponsors_ok = isinstance(sponsors, list)
    hearsay = [s for s in sponsors if only_second_hand(ctx, s)] if isinstance(sponsors, list) else []
    if not sponsors_ok:
        missing.append(("sponsors and commissioners", ("sponsors",)))
    elif hearsay:
        names = few([f"{s.name} ({s.role.replace('_', ' ')})" for s in hearsay])
        missing.append((f"the publisher's own word on its sponsorship by {names}, which the spec knows only from "
                        "secondary sources", ("sponsors",)))
    if not coi_ok:
        missing.append(("a conflict-of-interest statement", ("conflict_of_interest",)))
    if isinstance(sponsors, list):
        listed = ", ".join(f"{s.name} ({s.role.replace('_', ' ')})" for s in sponsors[:3]) or "none"
    else:
        listed = "not disclosed"
    evidence = {"sponsors": len(sponsors) if isinstance(sponsors, list) else None, "coi_statement": coi_ok}
    if not missing:
        return met(
            f"{spec.publisher.name} ({spec.publisher.type}) discloses its sponsors ({listed}) and a "
            "conflict-of-interest statement",
            ("conflict_of_interest",),
            **evidence,
        )
    gaps = "; ".join(what for what, _ in missing)
    if (sponsors_ok and not hearsay) or coi_ok:
        return partly(f"not disclosed: {gaps}", missing[0][1], **evidence)
    if hearsay:
        # the spec names the sponsor: never call it undisclosed, say whose word it rests on
        return undisclosed(f"sponsors named in the spec: {listed}; missing: {gaps}", missing[0][1], **evidence)
    return undisclosed(
        f"neither sponsorship nor a conflict-of-interest statement is disclosed; missing: {gaps}",
        missing[0][1],
        facts=[path for _, path in missing],
        **evidence,
    )

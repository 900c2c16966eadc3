"""OP05 (opacity): Publisher, sponsors and conflicts of interest disclosed."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, is_stated, met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, only_second_hand
from rankaudit.spec.yamlsafe import Path


@rule(
    "OP05",
    "Publisher, sponsors and conflicts of interest disclosed",
    core=True,
    sources=(
        Cite("inorms-rating-the-rankers", ": 'clear weaknesses in terms of declaring conflicts of interest'"),
        Cite("eiu-hot-spots-2012", ": 'commissioned by Citigroup'"),
    ),
    reads=("publisher.name", "publisher.type", "sponsors", "sponsors[].role", "conflict_of_interest"),
    scoring="2 = the publisher's type, the sponsors, commissioners and partners (or a statement that there are "
    "none, `sponsors: []`) and a conflict-of-interest statement are all disclosed; 1 = sponsorship or the "
    "conflict-of-interest statement is disclosed but not everything (a sponsor known only from secondary sources "
    "does not count as disclosed); 0 = neither sponsorship nor a conflict-of-interest statement is disclosed.",
)
def funders_disclosed(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """City rankings are often paid for by firms, business lobbies or city agencies with a stake in the
    result, and a reader weighs a ranking differently once the payer is known. INORMS found conflict-of-interest
    declarations to be a clear weakness of rankings; the EIU's Hot Spots index, for example, was commissioned
    by a bank."""
    spec = ctx.spec
    sponsors = spec.sponsors
    missing: list[tuple[str, Path]] = []
    if not is_stated(spec.publisher.type):
        missing.append(("the publisher's type", ("publisher", "type")))
    sponsors_ok = isinstance(sponsors, list)
    hearsay = [s for s in sponsors if only_second_hand(ctx, s)] if isinstance(sponsors, list) else []
    if not sponsors_ok:
        missing.append(("sponsors and commissioners", ("sponsors",)))
    elif hearsay:
        names = few([s.name for s in hearsay])
        missing.append((f"sponsorship by {names} (known only from secondary sources)", ("sponsors",)))
    coi_ok = is_stated(spec.conflict_of_interest)
    if not coi_ok:
        missing.append(("a conflict-of-interest statement", ("conflict_of_interest",)))
    if isinstance(sponsors, list):
        listed = ", ".join(f"{s.name} ({s.role})" for s in sponsors[:3]) or "none"
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
    return undisclosed(
        f"neither sponsorship nor a conflict-of-interest statement is disclosed; missing: {gaps}",
        missing[0][1],
        facts=[path for _, path in missing],
        **evidence,
    )

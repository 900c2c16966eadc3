"""OP03 (opacity): Indicators defined, with unit and direction."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, disclosure, is_stated, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import CAP_NOTE, SHARE_FOR_1, SHARE_FOR_2, listed_share_verdict
from rankaudit.spec.models import Indicator


@rule(
    "OP03",
    "Indicators defined, with unit and direction",
    core=True,
    sources=(
        Cite("jrc-10-step-guide", "steps 1 (theoretical framework) and 2 (data selection)"),
        "iso-37120#verifiable",
    ),
    reads=("structure.children[].definition", "structure.children[].unit", "structure.children[].direction"),
    scoring="Share of listed indicators with a definition, a unit (`not_applicable` counts) and a direction: 2 = "
    "at least {share-for-2:%}; 1 = at least {share-for-1:%}; 0 = less (rankaudit's cut-offs). At most 1 "
    "when some indicators are not listed (`structure.complete: false` or `children: undisclosed`)." + CAP_NOTE,
    options={"share-for-2": SHARE_FOR_2, "share-for-1": SHARE_FOR_1},
)
def indicators_defined(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An indicator name such as 'congestion' or 'safety' can hide very different measurements; without its
    definition, unit and the direction in which it counts, a reader cannot reproduce or question it. The JRC
    guide asks for a clear framework and defined data, and ISO 37120 rests on verifiable indicator definitions."""
    offenders = []
    for ref in ctx.indicators:
        node = ref.node
        assert isinstance(node, Indicator)
        lacking = [
            name
            for name, value, ok_na in (
                ("definition", node.definition, False),
                ("unit", node.unit, True),
                ("direction", node.direction, False),
            )
            if not (is_stated(value) or (ok_na and disclosure(value) == "not_applicable"))
        ]
        if lacking:
            offenders.append((ref, "no " + "/".join(lacking), lacking))
    # each offender is judged unknown on the fields it lacks (listed_share_verdict's `lacking`)
    first_field = offenders[0][2][0] if offenders else "definition"
    return listed_share_verdict(
        ctx, options, [(r, why) for r, why, _ in offenders], "have a definition, unit and direction", first_field,
        lacking={r.id: fields for r, _, fields in offenders},
    )

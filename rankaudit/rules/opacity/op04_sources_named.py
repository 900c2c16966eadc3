"""OP04 (opacity): Source named for each indicator."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, disclosure, is_stated, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    CAP_NOTE,
    SHARE_FOR_1,
    SHARE_FOR_2,
    SHARE_NOTE,
    declared_source,
    listed_share_verdict,
    sources_of,
)


@rule(
    "OP04",
    "Source named for each indicator",
    sources=(
        Cite(
            "inorms-rating-the-rankers",
            ": transparency claims 'not necessarily borne out by others' ability to replicate the data'",
        ),
    ),
    reads=("structure.children[].source",),
    scoring="Share of listed indicators whose source is named (on the indicator, or declared once for its group "
    "or the whole index): 2 = at least {share-for-2:%}; 1 = at least "
    "{share-for-1:%}; 0 = less (rankaudit's cut-offs). At most 1 when some indicators are not listed."
    + CAP_NOTE + SHARE_NOTE,
    options={"share-for-2": SHARE_FOR_2, "share-for-1": SHARE_FOR_1},
)
def sources_named(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A value whose origin is unknown cannot be checked or updated by anyone but the publisher. The INORMS
    review of rankings found that stated transparency often did not let others replicate the data, and naming
    the source of every indicator is the first step towards replication."""
    offenders = []
    for ref in ctx.indicators:
        source = ref.node.source
        named = sources_of(ref.node)
        if source is None and ref.parent is not None:
            # a source declared once for a group or the whole index names the source of each indicator in it
            named = declared_source(ref.parent) or []
        if not (named and all(is_stated(s.name) for s in named)):
            offenders.append((ref, "undisclosed" if disclosure(source) == "undisclosed" else ""))
    return listed_share_verdict(ctx, options, offenders, "name their source", "source")

"""QB10 (quantitative bias): Rank uncertainty acknowledged by the publisher."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import flag_verdict


@rule(
    "QB10",
    "Rank uncertainty acknowledged by the publisher",
    sources=(Cite("cwts-10-principles-2017", "principle 6 ('uncertainty in ... rankings should be acknowledged')"),),
    reads=("ranking.uncertainty_published",),
    scoring="2 = the publisher reports rank intervals or a sensitivity analysis; 0 = it does not; "
    "0 (undisclosed) = not stated.",
)
def uncertainty_published(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Every weight, normalisation and imputation choice could have been made otherwise, and adjacent ranks
    are often separated by less than that uncertainty. A publisher that shows rank intervals or a
    sensitivity analysis tells readers which differences are real."""
    return flag_verdict(
        ctx,
        ctx.spec.ranking.uncertainty_published,
        ("ranking", "uncertainty_published"),
        true="the publisher reports rank uncertainty or a sensitivity analysis",
        false="the publisher presents single ranks with no uncertainty or sensitivity analysis",
        unknown="whether the publisher reports rank uncertainty",
    )

"""QB02 (quantitative bias): Weight on surveys and analyst ratings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rankaudit.rules.base import Option, Verdict, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import (
    few,
    source_type_share_scoring,
    source_type_share_verdict,
    weight_setters,
    weights_set_by_text,
)
from rankaudit.spec.models import OPINION_TYPES

OPINION_SETTERS = frozenset({"expert_panel", "public_survey", "resident_survey", "analysts"})


@rule(
    "QB02",
    "Weight on surveys and analyst ratings",
    sources=(
        Cite("gpci-2015", ": quantitative data added to indicators 'previously obtained through surveys alone'"),
        "gii-2023#types",
    ),
    reads=("structure.children[].source.type", "structure.children[].weight", "ranking.kind"),
    scoring=source_type_share_scoring(
        "resident, public and expert surveys and analyst ratings (`resident_survey`, `public_survey`, "
        "`expert_survey`, `analyst_rating`)"
    ),
    options={
        "max-share-full": Option(0.25, "largest opinion-based share of the index for 2 points"),
        "max-share-partial": Option(0.5, "largest opinion-based share of the index for 1 point"),
    },
)
def opinion_weight(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Perceptions of executives, experts or a publisher's own analysts are opinions: they reflect who
    was asked, their familiarity with each city and the city's reputation. An index driven mostly by
    them measures image more than conditions, and its ranks can echo last year's ranks."""
    verdict = source_type_share_verdict(ctx, options, OPINION_TYPES, "surveys and analyst ratings")
    setters = [weights_set_by_text(w) for _, w in weight_setters(ctx) if w.method in OPINION_SETTERS]
    if setters:
        # opinion in the weights is not opinion in the data: said, not scored
        return replace(verdict, message=f"{verdict.message}; the weights themselves were set by {few(setters)}")
    return verdict

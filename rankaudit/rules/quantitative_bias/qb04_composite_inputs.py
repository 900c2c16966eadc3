"""QB04 (quantitative bias): Composite indices used as inputs."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import source_type_share_scoring, source_type_share_verdict


@rule(
    "QB04",
    "Composite indices used as inputs",
    sources=(Cite("gii-2012", "technical notes: statisticians discourage an 'index within an index'"),),
    reads=("structure.children[].source.type", "structure.children[].source.name", "structure.children[].weight",
           "ranking.kind"),
    scoring=source_type_share_scoring(
        "other composite indices (`composite_index`)"
    ),
    options={
        "max-share-full": Option(0.1, "largest share of the index from composite indices for 2 points"),
        "max-share-partial": Option(0.25, "largest share of the index from composite indices for 1 point"),
    },
)
def composite_inputs(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An index that feeds on other indices inherits their weights, gaps and choices without showing them,
    and the same underlying data may enter twice. Each such input is a ranking within the ranking that a
    reader cannot open."""
    return source_type_share_verdict(ctx, options, frozenset({"composite_index"}), "composite indices used as inputs")

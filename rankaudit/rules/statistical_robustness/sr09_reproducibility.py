"""SR09 (statistical robustness): Published results reproducible."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_applicable, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import plural, stats_of


@rule(
    "SR09",
    "Published results reproducible",
    sources=(
        Cite("oecd-jrc-handbook-2008", "steps 4 and 7"),
        Cite("ireg-audit-manual-2011", "on replicability"),
        "cwts-10-principles-2017",
    ),
    reads=("data.values", "data.published", "cities.list"),
    needs_data=True,
    scoring="2 = the rebuilt index reproduces the published ranks (Spearman >= {spearman-for-2}, no rank off by "
    "more than {max-shift-for-2}); 1 = Spearman >= {spearman-for-1}; 0 = less.",
    options={
        "max-shift-for-2": Option(1, "largest rank difference that still scores 2 (proposal)"),
        "spearman-for-2": Option(0.99, "lowest Spearman correlation with the published ranks that scores 2 (proposal)"),
        "spearman-for-1": Option(0.9, "lowest Spearman correlation with the published ranks that scores 1 (proposal)"),
    },
)
def reproducibility(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """If the stated method applied to the stated data does not give the published ranks, the method is not the
    one used or the data are not those used. Rebuilding the index is the JRC audit's first check."""
    rep = stats_of(ctx).reproduction
    if rep is None:
        return not_applicable("no published scores or ranks to compare with", ("data",))
    if rep.n_compared < 3:
        # a comparison needs cities on both sides: published ids that match no data row compare nothing
        return not_applicable(
            f"only {rep.n_compared} published cities match the data's unit ids; nothing to compare "
            "(check data.published_id_column)",
            ("data", "published"),
        )
    rho = rep.spearman_rho
    shift = rep.max_rank_shift or 0
    ev = {"spearman": rho, "max_rank_shift": shift, "differing": [d.id for d in rep.differing_units]}
    rho_txt = "n/a" if rho is None else f"{rho:.3f}"
    msg = (f"rebuilt {rep.compared_by}s vs published for {rep.n_compared} cities: Spearman {rho_txt}"
           f", largest rank difference {shift:g}, {plural(rep.n_differing, 'city', 'cities')} ranked differently")
    if rho is not None and rho >= options["spearman-for-2"] and shift <= options["max-shift-for-2"]:
        return met(msg, ("data",), **ev)
    if rho is not None and rho >= options["spearman-for-1"]:
        return partly(msg, ("data",), **ev)
    return not_met(msg, ("data",), **ev)

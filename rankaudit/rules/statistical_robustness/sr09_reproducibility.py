"""SR09 (statistical robustness): Published results reproducible."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, met, not_applicable, not_met, partly, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import pct, plural, stats_of


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
    "more than {max-shift-for-2}) and, when published scores exist, the published scores too (no score off by "
    "more than {score-tolerance:%} of the published scores' range); 1 = Spearman >= {spearman-for-1} (ranks or "
    "scores not reproduced); 0 = less.",
    options={
        "max-shift-for-2": Option(1, "largest rank difference that still scores 2 (proposal)"),
        "spearman-for-2": Option(0.99, "lowest Spearman correlation with the published ranks that scores 2 (proposal)"),
        "spearman-for-1": Option(0.9, "lowest Spearman correlation with the published ranks that scores 1 (proposal)"),
        "score-tolerance": Option(
            0.005,
            "largest difference between a rebuilt and a published score that still scores 2, as a share of the "
            "published scores' range (proposal: 0.5%, above rounding to one decimal on a 0-100 scale)",
        ),
    },
)
def reproducibility(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """If the stated method applied to the stated data does not give the published ranks, the method is not the
    one used or the data are not those used. Rebuilding the index is the JRC audit's first check; where scores are
    published they are compared too, since ranks can agree while the scores, and so the gaps between cities,
    do not."""
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
    ev: dict[str, Any] = {"spearman": rho, "max_rank_shift": shift, "differing": [d.id for d in rep.differing_units]}
    rho_txt = "n/a" if rho is None else f"{rho:.3f}"
    exact = "" if rep.exact_rank_share is None else f", {pct(rep.exact_rank_share)} of ranks exact"
    worst_rank = f" ({_named(ctx, rep.worst_rank_unit)})" if rep.worst_rank_unit and shift > 0 else ""
    msg = (f"rebuilt vs published for {rep.n_compared} cities: ranks: Spearman {rho_txt}{exact}, largest rank "
           f"difference {shift:g}{worst_rank}, {plural(rep.n_differing, 'city', 'cities')} ranked differently")
    ranks_ok = rho is not None and rho >= options["spearman-for-2"] and shift <= options["max-shift-for-2"]
    scores_ok = True
    if rep.compared_by == "score" and rep.max_score_diff is not None:
        spread = rep.published_score_range or 0.0
        tolerance = options["score-tolerance"] * (spread if spread > 0 else 1.0)
        scores_ok = rep.max_score_diff <= tolerance + 1e-12
        ev |= {"mean_score_diff": rep.mean_score_diff, "max_score_diff": rep.max_score_diff,
               "worst_score_unit": rep.worst_score_unit, "score_tolerance": tolerance}
        msg += (f"; scores: mean difference {rep.mean_score_diff or 0:.3f}, largest {rep.max_score_diff:.3f} "
                f"({_named(ctx, rep.worst_score_unit)}), tolerance {tolerance:.3f}")
        if not scores_ok:
            msg += " (the published scores are not reproduced)"
    if ranks_ok and scores_ok:
        return met(msg, ("data",), **ev)
    if rho is not None and rho >= options["spearman-for-1"]:
        return partly(msg, ("data",), **ev)
    return not_met(msg, ("data",), **ev)


def _named(ctx: AuditContext, unit: str | None) -> str:
    """A unit id with the city's name, from the data's name column or the spec's city list."""
    if unit is None:
        return "n/a"
    names = {u.id: u.name for u in stats_of(ctx).units if u.name}
    names |= {c.id: c.name for c in ctx.spec.cities.members or [] if c.id}
    name = names.get(unit)
    return f"{name} ({unit})" if name and name != unit else unit

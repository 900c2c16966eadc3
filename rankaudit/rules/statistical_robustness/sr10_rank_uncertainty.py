"""SR10 (statistical robustness): Ranks robust to modelling assumptions."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Option, Verdict, not_applicable, rule
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import band, plural, stats_of, verdict_for
from rankaudit.spec.yamlsafe import Path


@rule(
    "SR10",
    "Ranks robust to modelling assumptions",
    core=True,
    sources=(
        "saisana-2005",
        Cite("coinr", "get_sensitivity"),
        Cite("jrc-cccm-2019-annex-c", "(75 % of cities within 2 ranks of their median)"),
    ),
    reads=("data.values", "uncertainty"),
    needs_data=True,
    scoring="The lower of two scores. Share of cities within 2 ranks of their Monte Carlo median rank: 2 = at "
    "least {share-for-2:%}, 1 = at least {share-for-1:%}. Median width of the 90 % rank interval over the "
    "number of cities: 2 = at most {width-for-2:.2f}, 1 = at most {width-for-1:.2f}. 0 otherwise. Not "
    "applicable below `min-replications` ({min-replications}) replications, or when the design builds fewer than "
    "`min-distinct-builds` ({min-distinct-builds}) different indices (a design with no weight to draw and two "
    "discrete alternatives builds two, however many replications run). The message says how many were built.",
    options={"share-for-2": Option(0.75, "share that scores 2 (JRC CCCM 2019 benchmark)"),
             "share-for-1": Option(0.5, "share that scores 1 (proposal)"),
             "width-for-2": Option(0.10, "largest median interval width / cities that scores 2 (proposal)"),
             "width-for-1": Option(0.20, "largest median interval width / cities that scores 1 (proposal)"),
             "min-replications": Option(100, "fewest replications from which rank intervals are judged (proposal)"),
             "min-distinct-builds": Option(
                 10, "fewest different indices the design must build for rank intervals to be judged (proposal)"
             )},
)
def rank_uncertainty(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A rank that moves when defensible choices of weights, normalisation or aggregation change is an artefact of
    those choices. The JRC reports median ranks with 90 % intervals and the share of units close to their median;
    the Cultural and Creative Cities Monitor met it for 75 % of cities."""
    s = stats_of(ctx)
    rob = s.robustness
    if rob is None or rob.share_nominal_within_2_of_median is None:
        return not_applicable(
            "no Monte Carlo uncertainty analysis ran (replications = 0, or the design varies no assumption)",
            ("uncertainty",),
        )
    if rob.replications < options["min-replications"]:
        # a handful of runs cannot show how far ranks move; a CI gate must not pass on `-n 1`
        return not_applicable(
            f"only {rob.replications} replications ran; rank intervals are judged from "
            f"{options['min-replications']} (use --replications)",
            ("uncertainty",),
        )
    builds = rob.distinct_builds if rob.distinct_builds is not None else rob.replications
    if builds < options["min-distinct-builds"]:
        # 2,000 replications of 2 possible indices are 2 builds: their "intervals" measure nothing
        return not_applicable(
            f"the uncertainty design builds only {plural(builds, 'distinct index', 'distinct indices')} over "
            f"{rob.replications} replications (no weight is drawn); rank intervals are judged from "
            f"{options['min-distinct-builds']} distinct builds (vary weights, or add alternatives)",
            ("uncertainty",),
            distinct_builds=builds,
        )
    share = rob.share_nominal_within_2_of_median
    rel = rob.median_interval_width_over_n or 0.0
    by_share = band(share, options["share-for-2"], options["share-for-1"], higher_is_better=True)
    by_width = band(rel, options["width-for-2"], options["width-for-1"], higher_is_better=False)
    driver = f"; the assumption that moves ranks most: {rob.dominant_assumption}" if rob.dominant_assumption else ""
    width = rob.median_interval_width
    msg = (f"{share:.0%} of cities rank within 2 places of their median rank over {rob.replications} replications "
           f"({plural(builds, 'distinct build')}); "
           f"the median 90 % rank interval spans {width:g} ranks ({rel:.0%} of the cities){driver}")
    ev = {"distinct_builds": builds, "share": share, "median_interval_width": width, "width_over_n": rel,
          "dominant_assumption": rob.dominant_assumption}
    where: Path = ("uncertainty",) if ctx.spec.uncertainty is not None else ("data",)
    return verdict_for(min(by_share, by_width), msg, where, **ev)

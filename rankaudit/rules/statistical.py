"""Statistical robustness (SR): what the indicator data say about the index (the JRC statistical audit).

These rules only read the StatsResult computed by rankaudit.stats from the spec's `data` section
(no heavy import here); without data they are not applicable. Thresholds are the COINr / JRC-COIN
defaults where those exist (criteria catalogue, section 8.5); the others are rankaudit's proposals,
marked as such in the options and adjustable in configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rankaudit.rules.base import Option, Verdict, met, not_applicable, not_met, partly, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.helpers import band, few, graded, plural, verdict_for
from rankaudit.spec.yamlsafe import Path

if TYPE_CHECKING:
    from rankaudit.stats.result import StatsResult

COINR_STATS = "COINr (bluefoxr/COINr) R/stats.R get_stats defaults; finddx/composer app_documentation/stats.qmd"
COINR_URL = "https://github.com/bluefoxr/COINr"
COMPOSER_CORR = (
    "{composer} (finddx/composer) app_documentation/correlations.qmd: within-group r > 0.9 collinear, "
    "r < -0.4 negative (JRC-COIN rules of thumb)"
)
JRC_HANDBOOK = "OECD/JRC Handbook on Constructing Composite Indicators (2008), steps 4 and 7"
SAISANA_2005 = (
    "Saisana, Saltelli & Tarantola (2005), Uncertainty and sensitivity analysis techniques as tools for the "
    "quality assessment of composite indicators, JRSS-A 168(2); COINr get_sensitivity; JRC Cultural and "
    "Creative Cities Monitor 2019, Annex C (75 % of cities within 2 ranks of their median)"
)
PARUOLO_2013 = (
    "Paruolo, Saisana & Saltelli (2013), Ratings and rankings: voodoo or science?, JRSS-A 176(3):609-634 "
    "(main effects vs nominal weights)"
)


def _stats(ctx: AuditContext) -> StatsResult:
    assert ctx.stats is not None  # evaluate() answers "not applicable" before calling us without data
    return ctx.stats


def _ind_path(ctx: AuditContext, ind_id: str) -> Path:
    for ref in ctx.indicators:
        if ref.id == ind_id:
            return ref.path
    return ("structure",)


def _group_path(ctx: AuditContext, group_id: str) -> Path:
    for ref in ctx.tree.groups:
        if ref.id == group_id and ref.depth > 0:
            return ref.path
    return ("structure",)


def _first_path(ctx: AuditContext, ids: Sequence[str], default: Path = ("data",)) -> Path:
    return _ind_path(ctx, ids[0]) if ids else default


@rule(
    "SR01",
    "Data availability",
    core=True,
    source=f"{COINR_STATS} (indicator availability < 0.65); COINr R/screen_units.R (units < 2/3)",
    source_url=COINR_URL,
    reads=("data.values",),
    needs_data=True,
    scoring="2 = no indicator below 65 % availability and no city below 2/3; 1 = some, at most the option's share; "
    "0 = more.",
    options={"share-for-1": Option(0.10, "largest share of flagged indicators or cities that scores 1 (proposal)")},
)
def data_availability(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Indicators missing for many cities are carried by imputation or by re-weighting, not by data.
    COINr flags indicators with less than 65 % availability and the JRC rule of thumb drops cities with less than
    two thirds of their data."""
    s = _stats(ctx)
    low_i = [i.id for i in s.indicators if i.low_availability]
    low_u = [u.id for u in s.units if u.low_availability]
    evidence = {"indicators": low_i, "cities": low_u}
    if not low_i and not low_u:
        return met("every indicator has at least 65 % of cities and every city at least 2/3 of its data",
                   ("data", "values"))
    share = max(len(low_i) / max(1, s.n_indicators), len(low_u) / max(1, s.n_units))
    parts = []
    if low_i:
        parts.append(f"{plural(len(low_i), 'indicator')} below 65 % availability ({few(low_i)})")
    if low_u:
        parts.append(f"{plural(len(low_u), 'city', 'cities')} below 2/3 of their data ({few(low_u)})")
    msg = "; ".join(parts)
    path = _first_path(ctx, low_i, ("data", "values"))
    if share <= options["share-for-1"]:
        return partly(msg, path, **evidence)
    return not_met(msg, path, **evidence)


@rule(
    "SR02",
    "Outliers treated",
    source=f"{COINR_STATS}; COINr R/treat.R (|skew| > 2 and kurtosis > 3.5, winsorise up to 5 points, else log)",
    source_url=COINR_URL,
    reads=("data.values", "method.outliers"),
    needs_data=True,
    scoring="2 = no indicator fails the skew/kurtosis test, or every one that does is treated by the declared "
    "method; 1 = a few untreated (at most the option's share); 0 = more.",
    options={"share-for-1": Option(0.10, "largest share of untreated outlier indicators that scores 1 (proposal)")},
)
def outliers(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A few extreme values stretch a min-max or z-score scale and compress everybody else.
    The JRC flags an indicator when its absolute skewness exceeds 2 and its kurtosis 3.5, and treats it by
    winsorisation or a log transform."""
    s = _stats(ctx)
    flagged = [i for i in s.indicators if i.outlier]
    untreated = [i.id for i in flagged if not i.treatment]
    if not flagged:
        return met("no indicator has |skew| > 2 and kurtosis > 3.5", ("data", "values"))
    if not untreated:
        return met(f"all {plural(len(flagged), 'indicator')} with outliers are treated by the declared method",
                   ("method", "outliers"), treated=[i.id for i in flagged])
    msg = (f"{plural(len(untreated), 'indicator')} with |skew| > 2 and kurtosis > 3.5 left untreated: "
           f"{few(untreated)}")
    if len(untreated) / max(1, s.n_indicators) <= options["share-for-1"]:
        return partly(msg, _ind_path(ctx, untreated[0]), untreated=untreated)
    return not_met(msg, _ind_path(ctx, untreated[0]), untreated=untreated)


def _pairs(s: StatsResult, kind: str) -> list[tuple[str, str, float, str | None]]:
    return [(f.a, f.b, f.r or 0.0, f.group) for f in s.correlation_flags if f.kind == kind and f.significant]


@rule(
    "SR03",
    "No double counting",
    source=COMPOSER_CORR,
    source_url="https://github.com/finddx/composer",
    reads=("data.values", "structure"),
    needs_data=True,
    scoring="2 = no pair of indicators (or groups) in the same group correlates above 0.9 (pairs significant at "
    "p < 0.05); 1 = up to the option's number of pairs; 0 = more.",
    options={"pairs-for-1": Option(2, "most collinear pairs that still score 1 (proposal)")},
)
def double_counting(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Two indicators that move together above r = 0.9 measure the same thing twice, so their concept weighs
    double. JRC-COIN audits flag such pairs within a group as collinear."""
    return _pair_verdict(ctx, options, "collinear", "collinear pair", "correlates above 0.9")


@rule(
    "SR04",
    "No negative correlations within groups",
    source=COMPOSER_CORR,
    source_url="https://github.com/finddx/composer",
    reads=("data.values", "structure", "structure.children.direction"),
    needs_data=True,
    scoring="2 = no pair in a group correlates below -0.4 after directions are applied (pairs significant at "
    "p < 0.05); 1 = up to the option's number of pairs; 0 = more.",
    options={"pairs-for-1": Option(2, "most negative pairs that still score 1 (proposal)")},
)
def negative_correlations(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Indicators of one group that run against each other cancel out in an average: a city gains on one what
    it loses on the other, and the group score means little. JRC-COIN audits flag within-group correlations below
    -0.4, which often reveal a wrong direction."""
    return _pair_verdict(ctx, options, "negative", "negatively correlated pair", "correlates below -0.4")


def _pair_verdict(ctx: AuditContext, options: dict[str, Any], kind: str, noun: str, threshold: str) -> Verdict:
    """Flagged correlation pairs within groups: none met, up to `pairs-for-1` partly, more not met."""
    pairs = _pairs(_stats(ctx), kind)
    if not pairs:
        return met(f"no pair within a group {threshold}", ("structure",))
    desc = few([f"{a}~{b} (r = {r:.2f})" for a, b, r, _ in pairs])
    msg = f"{plural(len(pairs), noun)} within groups: {desc}"
    second = pairs[0][1]
    path = _ind_path(ctx, second) if second in {i.id for i in ctx.indicators} else _group_path(ctx, second)
    pair_list = [[a, b] for a, b, _, _ in pairs]
    if len(pairs) <= options["pairs-for-1"]:
        return partly(msg, path, pairs=pair_list)
    return not_met(msg, path, pairs=pair_list)


def _groups_below_index(s: StatsResult) -> list[Any]:
    top = max((g.level for g in s.groups), default=0)
    return [g for g in s.groups if g.level < top and len(g.children) >= 2]


@rule(
    "SR05",
    "Internal consistency of groups",
    source="COINr get_cronbach (vignettes/analysis.Rmd); Cronbach's alpha >= 0.7 convention",
    source_url=COINR_URL,
    reads=("data.values", "structure"),
    needs_data=True,
    scoring="2 = Cronbach's alpha >= 0.7 in every group of two or more members; 1 = all >= 0.6; 0 = a group "
    "below 0.6.",
    options={"alpha-for-2": Option(0.7, "lowest alpha that scores 2 (convention)"),
             "alpha-for-1": Option(0.6, "lowest alpha that scores 1 (proposal)")},
)
def internal_consistency(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A group score summarises its members only if they measure a common thing. Cronbach's alpha, computed per
    group as in COINr, is conventionally acceptable from 0.7."""
    groups = [g for g in _groups_below_index(_stats(ctx)) if g.cronbach_alpha is not None]
    if not groups:
        return not_applicable("no group below the index has two or more members with complete data", ("structure",))
    worst = min(groups, key=lambda g: g.cronbach_alpha)
    low = [f"{g.id} ({g.cronbach_alpha:.2f})" for g in groups if g.cronbach_alpha < options["alpha-for-2"]]
    evidence = {"alpha": {g.id: g.cronbach_alpha for g in groups}}
    if worst.cronbach_alpha >= options["alpha-for-2"]:
        return met(f"Cronbach's alpha is at least {options['alpha-for-2']} in all {plural(len(groups), 'group')}",
                   ("structure",), **evidence)
    msg = f"Cronbach's alpha below {options['alpha-for-2']} in {few(low)}"
    if worst.cronbach_alpha >= options["alpha-for-1"]:
        return partly(msg, _group_path(ctx, worst.id), **evidence)
    return not_met(msg, _group_path(ctx, worst.id), **evidence)


@rule(
    "SR06",
    "One dimension per group",
    source="COINr get_PCA (vignettes/analysis.Rmd); Kaiser rule (retain eigenvalues > 1)",
    source_url=COINR_URL,
    reads=("data.values", "structure"),
    needs_data=True,
    scoring="2 = every group has one eigenvalue above 1 (PCA on standardised members); 1 = at most two; 0 = a group "
    "with three or more.",
)
def dimensionality(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A group that aggregates several independent dimensions hides which one drives a city's score. Principal
    components per group with the Kaiser rule (eigenvalues above 1) show how many dimensions a group holds."""
    groups = [g for g in _groups_below_index(_stats(ctx)) if g.pca is not None]
    if not groups:
        return not_applicable("no group below the index has two or more members with complete data", ("structure",))
    multi = [g for g in groups if g.pca.n_eigen_gt_1 > 1]
    evidence = {"eigenvalues_gt_1": {g.id: g.pca.n_eigen_gt_1 for g in groups}}
    if not multi:
        return met(f"each of the {plural(len(groups), 'group')} has one principal component with eigenvalue > 1",
                   ("structure",), **evidence)
    worst = max(multi, key=lambda g: g.pca.n_eigen_gt_1)
    msg = (f"{plural(len(multi), 'group')} with more than one eigenvalue above 1: "
           f"{few([f'{g.id} ({g.pca.n_eigen_gt_1})' for g in multi])}")
    if worst.pca.n_eigen_gt_1 <= 2:
        return partly(msg, _group_path(ctx, worst.id), **evidence)
    return not_met(msg, _group_path(ctx, worst.id), **evidence)


@rule(
    "SR07",
    "No scale bias",
    source="COINr get_denom_corr (vignettes/analysis.Rmd, |r| > 0.7 suggests per-capita scaling); GII 2012 on "
    "count variables biasing results",
    source_url=COINR_URL,
    reads=("data.denominators", "data.values"),
    needs_data=True,
    scoring="2 = no indicator correlates with a size variable beyond |r| = 0.7; 1 = one indicator does; 0 = more.",
)
def scale_bias(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """An indicator that tracks population or GDP rewards big cities for being big. COINr flags indicators whose
    correlation with a denominator exceeds 0.7 as candidates for per-capita scaling."""
    s = _stats(ctx)
    if not s.denominators:
        return not_applicable("no size variable (data.denominators) was given", ("data",))
    hits = [d for d in s.denominators if d.flagged]
    inds = sorted({d.indicator for d in hits})
    if not inds:
        return met("no indicator correlates with a size variable beyond |r| = 0.7", ("data", "denominators"))
    verb = "follows" if len(inds) == 1 else "follow"
    msg = f"{plural(len(inds), 'indicator')} {verb} city size: " + few(
        [f"{d.indicator}~{d.denominator} (r = {d.r:.2f})" for d in hits])
    ev = {"pairs": [[d.indicator, d.denominator] for d in hits]}
    if len(inds) == 1:
        return partly(msg, _ind_path(ctx, inds[0]), **ev)
    return not_met(msg, _ind_path(ctx, inds[0]), **ev)


@rule(
    "SR08",
    "Weights deliver the stated importance",
    source=PARUOLO_2013,
    source_url="https://doi.org/10.1111/j.1467-985X.2012.01059.x",
    reads=("data.values", "structure"),
    needs_data=True,
    scoring="2 = divergence between normalised main effects and effective weights <= 0.2; 1 = <= 0.35; 0 = more "
    "(rankaudit's cut-offs).",
    options={"divergence-for-2": Option(0.2, "largest divergence that scores 2 (proposal)"),
             "divergence-for-1": Option(0.35, "largest divergence that scores 1 (proposal)")},
)
def weights_vs_importance(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Nominal weights are not the influence an indicator has on the index: correlations between indicators
    shift it. Paruolo, Saisana and Saltelli measure influence by the correlation ratio (main effect) and found that
    nominal weights are hardly ever matched."""
    s = _stats(ctx)
    imp = s.importance
    if imp is None or imp.divergence is None:
        return not_applicable("importance could not be estimated", ("structure",))
    div = imp.divergence
    under = [i.indicator for i in imp.items if i.ratio is not None and i.ratio < 0.5]
    over = [i.indicator for i in imp.items if i.ratio is not None and i.ratio > 2]
    detail = ""
    if under:
        detail += f"; under half their weight: {few(under)}"
    if over:
        detail += f"; over twice their weight: {few(over)}"
    msg = f"divergence between main effects and weights is {div:.2f} (0 = match, 1 = disjoint){detail}"
    ev = {"divergence": div, "under": under, "over": over}
    path = _ind_path(ctx, under[0]) if under else ("structure",)
    return graded(
        div, options["divergence-for-2"], options["divergence-for-1"], msg, path,
        higher_is_better=False, met_path=("structure",), **ev,
    )


@rule(
    "SR09",
    "Published results reproducible",
    source=f"{JRC_HANDBOOK}; IREG Ranking Audit Manual (2011) on replicability; CWTS 10 principles (2017)",
    source_url="https://doi.org/10.1787/9789264043466-en",
    reads=("data.values", "data.published", "cities.list"),
    needs_data=True,
    scoring="2 = the rebuilt index reproduces the published ranks (Spearman >= 0.99, no rank off by more than the "
    "option); 1 = Spearman >= 0.9; 0 = less.",
    options={"max-shift-for-2": Option(1, "largest rank difference that still scores 2 (proposal)")},
)
def reproducibility(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """If the stated method applied to the stated data does not give the published ranks, the method is not the
    one used or the data are not those used. Rebuilding the index is the JRC audit's first check."""
    rep = _stats(ctx).reproduction
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
    if rho is not None and rho >= 0.99 and shift <= options["max-shift-for-2"]:
        return met(msg, ("data",), **ev)
    if rho is not None and rho >= 0.9:
        return partly(msg, ("data",), **ev)
    return not_met(msg, ("data",), **ev)


@rule(
    "SR10",
    "Ranks robust to modelling assumptions",
    core=True,
    source=SAISANA_2005,
    source_url="https://doi.org/10.1111/j.1467-985X.2005.00350.x",
    reads=("data.values", "uncertainty"),
    needs_data=True,
    scoring="The lower of two scores. Share of cities within 2 ranks of their Monte Carlo median rank: 2 = at least "
    "75 %, 1 = at least 50 %. Median width of the 90 % rank interval over the number of cities: 2 = at most 0.10, "
    "1 = at most 0.20. 0 otherwise. Not applicable below `min-replications` (100) replications.",
    options={"share-for-2": Option(0.75, "share that scores 2 (JRC CCCM 2019 benchmark)"),
             "share-for-1": Option(0.5, "share that scores 1 (proposal)"),
             "width-for-2": Option(0.10, "largest median interval width / cities that scores 2 (proposal)"),
             "width-for-1": Option(0.20, "largest median interval width / cities that scores 1 (proposal)"),
             "min-replications": Option(100, "fewest replications from which rank intervals are judged (proposal)")},
)
def rank_uncertainty(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A rank that moves when defensible choices of weights, normalisation or aggregation change is an artefact of
    those choices. The JRC reports median ranks with 90 % intervals and the share of units close to their median;
    the Cultural and Creative Cities Monitor met it for 75 % of cities."""
    s = _stats(ctx)
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
    share = rob.share_nominal_within_2_of_median
    rel = rob.median_interval_width_over_n or 0.0
    by_share = band(share, options["share-for-2"], options["share-for-1"], higher_is_better=True)
    by_width = band(rel, options["width-for-2"], options["width-for-1"], higher_is_better=False)
    driver = f"; the assumption that moves ranks most: {rob.dominant_assumption}" if rob.dominant_assumption else ""
    width = rob.median_interval_width
    msg = (f"{share:.0%} of cities rank within 2 places of their median rank over {rob.replications} replications; "
           f"the median 90 % rank interval spans {width:g} ranks ({rel:.0%} of the cities){driver}")
    ev = {"share": share, "median_interval_width": width, "width_over_n": rel,
          "dominant_assumption": rob.dominant_assumption}
    where: Path = ("uncertainty",) if ctx.spec.uncertainty is not None else ("data",)
    return verdict_for(min(by_share, by_width), msg, where, **ev)

"""QB08 (quantitative bias): Geographic balance of a 'global' city sample."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rankaudit.rules.base import Option, Verdict, not_applicable, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import band, capped_verdict, pct, plural


@rule(
    "QB08",
    "Geographic balance of a 'global' city sample",
    sources=(
        Cite("berlin-principles-2006", "principle 3: recognise the diversity of those ranked"),
        "jrc-10-step-guide#data-selection",
    ),
    reads=("ranking.geographic_claim", "cities.list[].region", "cities.count"),
    scoring="For a ranking that claims to be global, over the listed cities with a region: 2 = no world region "
    "holds more than {max-region-share-full:%} of cities and at least {min-regions} regions appear; 1 = "
    "the largest region holds at most {max-region-share-partial:%}; 0 = more (rankaudit's cut-offs, "
    "configurable). When more than half the listed cities have no region in the spec, a 2 becomes 1 with 1 "
    "point not assessed (a city's region is the spec's reading, never a publisher's silence); 0 (undisclosed) when "
    "none has. n.a. when the claim is not global, or the spec lists no cities or fewer than "
    "{min-listed-share:%} of `cities.count` (a top-N excerpt says little about the sample), or the count "
    "is not stated.",
    options={
        "max-region-share-full": Option(0.5, "largest share of cities from one region for 2 points"),
        "max-region-share-partial": Option(0.7, "largest share of cities from one region for 1 point"),
        "min-regions": Option(3, "fewest world regions represented for 2 points"),
        "min-listed-share": Option(
            0.8, "share of the ranked cities the spec must list for the check to run (a top-10 excerpt is skewed)"
        ),
    },
)
def geographic_balance(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A 'global' ranking drawn mostly from one continent will crown that continent's cities and leave
    most of the world's urban population out. The claim should be matched by the spread of the sample."""
    claim = ctx.spec.ranking.geographic_claim
    if claim != "global":
        return not_applicable(f"the ranking does not claim global coverage ({claim or 'no claim recorded'})",
                              ("ranking",))
    members = ctx.spec.cities.members
    if not members:
        return not_applicable("the spec lists no cities", ("cities",))
    count = ctx.spec.cities.count
    if not isinstance(count, int):
        return not_applicable(
            f"the spec lists {len(members)} cities but not how many are ranked, so the list may be an excerpt",
            ("cities", "count"),
        )
    if len(members) < options["min-listed-share"] * count:
        return not_applicable(
            f"the spec lists {len(members)} of {count} ranked cities, too few to judge the sample "
            "(list them all to run this check)",
            ("cities", "list"),
        )
    regions = Counter(c.region for c in members if c.region)
    with_region = sum(regions.values())
    if not with_region:
        return undisclosed(f"none of the {len(members)} listed cities has a region", ("cities", "list"))
    top, top_n = regions.most_common(1)[0]
    top_share = top_n / with_region
    score = band(top_share, options["max-region-share-full"], options["max-region-share-partial"],
                 higher_is_better=False)
    notes = []
    unassessed = 0
    if score == 2:
        few_regions = len(regions) < options["min-regions"]
        unplaced = with_region < len(members) / 2
        if few_regions and not unplaced:
            score = 1
            notes.append(f"only {len(regions)} regions appear")
        elif few_regions or unplaced:
            # the cities without a region could add regions or even the balance: the point they decide is open
            score, unassessed = 1, 1
            notes.append(f"only {with_region} of {len(members)} listed cities have a region in the spec, so 1 point "
                         "of 2 is not assessed")
    scope = f"{with_region} cities with a region"
    if count > len(members):
        scope += f", from {len(members)} listed of {count} ranked"
    region = top.replace("_", " ").title()
    message = f"{region} holds {pct(top_share)} of the sample ({top_n} of {scope}); {plural(len(regions), 'region')}"
    if notes:
        message += "; " + "; ".join(notes)
    first = next(i for i, c in enumerate(members) if c.region == top)
    return capped_verdict(score, unassessed, message, ("cities", "list", first, "region"),
                       regions=dict(regions))

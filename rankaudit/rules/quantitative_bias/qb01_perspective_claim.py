"""QB01 (quantitative bias): Declared perspective matches the headline claim."""

from __future__ import annotations

from typing import Any

from rankaudit.evidence import absence_word
from rankaudit.rules.base import Option, Verdict, is_stated, met, not_met, partly, rule, undisclosed
from rankaudit.rules.bibliography import Cite
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import article, declared_perspectives, part, parts_verdict, plain_text

BROAD = ("resident", "general")


SCOPE_WORDS: dict[str, tuple[str, ...]] = {
    "expatriate": ("expat", "assignee", "international employee", "foreign staff", "mobile employee"),
    "investor": ("invest", "business"),
    "firm": ("business", "compan", "corporate", "employer", "firms", "invest"),
    "visitor": ("visitor", "tourist", "travel"),
    "talent": ("talent", "skilled", "professionals", "graduates", "student"),
    "resident": ("resident", "citizen", "locals", "inhabitant"),
}


GENERIC_CLAIMS = (
    "best city,best cities,most liveable,most livable,least liveable,least livable,world's best,best place to live,"
    "best places to live,greatest city,best overall"
)


# how a headline names the publisher itself as a company
PUBLISHER_AS_COMPANY = ("the company's", "the firm's", "our company", "our firm")  # matched in `plain_text`


def _names(ctx: AuditContext) -> list[str]:
    """The publisher's, the sponsors' and the ranking's names as they may appear in a headline, longest first."""
    sponsors = ctx.spec.sponsors if isinstance(ctx.spec.sponsors, list) else []
    names = [ctx.spec.ranking.name, ctx.spec.publisher.name, *(getattr(s, "name", None) for s in sponsors)]
    return sorted({plain_text(n) for n in names if isinstance(n, str) and n}, key=len, reverse=True)


@rule(
    "QB01",
    "Declared perspective matches the headline claim",
    core=True,
    sources=(
        "leff-petersen-2015#perspective",
        Cite(
            "gfmag-best-cities",
            ": EIU and Mercer rate liveability from the narrow perspective of well-paid expatriates",
        ),
        "berlin-principles-2006#target-groups",
        Cite("cwts-10-principles-2017", "principle 1"),
    ),
    reads=("ranking.perspective", "ranking.headline_claim"),
    scoring="2 = a perspective is declared and the headline claim stays within it (a narrow perspective such "
    "as expatriate, investor, firm, visitor or talent must be named in a generic claim); 1 = declared but "
    "the claim is not recorded, names another audience, or a `general` perspective makes a generic "
    "'best city' claim; 0 = a narrow perspective sold with an unscoped generic claim ('best city', 'most "
    "liveable', 'world's best'...); 0 (undisclosed) = no perspective declared. The phrase list is "
    "configurable.",
    options={"generic-claims": Option(GENERIC_CLAIMS, "comma-separated phrases that make a claim generic")},
)
def perspective_claim(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """A cost-of-living table built for companies posting expatriates says little about life for the
    people who already live in a city, yet it is often sold as a verdict on the 'best city'. The
    perspective a ranking measures from should be declared, and its headline should not claim more."""
    perspectives = declared_perspectives(ctx)
    claim = ctx.spec.ranking.headline_claim
    phrases = [p.strip() for p in plain_text(options["generic-claims"]).split(",") if p.strip()]
    text = plain_text(claim) if claim else ""
    generic = next((p for p in phrases if p in text), None)
    if perspectives is None:
        extra = f", and the headline claims '{generic}'" if generic else ""
        state = absence_word(ctx.spec.ranking.perspective, ctx.spec)
        return undisclosed(f"the ranking's perspective is {state}{extra}", ("ranking", "perspective"))
    declared = "/".join(perspectives)
    if claim is None or not is_stated(claim):
        # a claim not found in the sources read costs nothing: the declared perspective earns its 1
        recorded = part(ctx, "the headline claim", ("ranking", "headline_claim"), claim, False)
        said = f"the {declared} perspective is declared" + (
            " but no headline claim is recorded to check it against" if recorded.missing else ""
        )
        return parts_verdict([recorded], lambda ok: 2 if all(ok) else 1, said, ("ranking", "perspective"),
                             premise=True)
    # the publisher's and the ranking's own names scope nothing: "Travel + Leisure" names no audience of travellers;
    # nor does the publisher named as a company ("the company's 2014 ranking" is the publisher's, not for firms)
    scoped = text
    for name in (*_names(ctx), *PUBLISHER_AS_COMPANY):
        scoped = scoped.replace(name, " ")
    addressed = {p for p, words in SCOPE_WORDS.items() if any(w in scoped for w in words)}
    path = ("ranking", "headline_claim")
    if addressed and not addressed & set(perspectives):
        return partly(
            f"the headline addresses {'/'.join(sorted(addressed))} but the declared perspective is {declared}", path
        )
    broad = [p for p in perspectives if p in BROAD]
    if not broad:
        if addressed & set(perspectives):
            return met(f"the headline claim is scoped to the declared {declared} perspective", path)
        if generic:
            sold = f"{article(declared)} {declared} perspective is sold as '{generic}'"
            return not_met(f"{sold} without saying for whom", path)
        return met(f"the headline claim does not reach beyond the declared {declared} perspective", path)
    if generic and broad == ["general"] and len(perspectives) == 1:
        return partly(f"a generic perspective makes a generic '{generic}' claim", path)
    return met(f"the {declared} perspective supports the headline claim", path)

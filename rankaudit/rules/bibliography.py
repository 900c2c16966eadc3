"""The bibliography: every published source a rule rests on, once.

A rule names its sources by id in `@rule(sources=...)`: a bare id ("leff-petersen-2015"), an id and one
of the entry's named passages ("leff-petersen-2015#lagging", for a passage several rules quote), or a
`Cite` with a rule-specific locator or quote (`Cite("ireg-audit-manual-2011", "criteria group 2.3")`).
`Rule.source` and `Rule.source_url` are composed from these references, so the citation text of a work
is written here and nowhere else.

Where the stored URL is a copy of the document on a third-party site rather than the publisher's own
page or a DOI, `mirror` is true and `note` says what was read where. Every entry is backed by an item
tagged [V] or [P] in the project's research notes (criteria.md); none is tagged [U].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One published work."""

    id: str
    citation: str  # author(s), title, publisher, year: the text rules show
    url: str | None
    mirror: bool = False  # the URL is a copy on a document-sharing or third-party site
    note: str = ""
    # passages that more than one rule quotes, by key: "leff-petersen-2015#lagging"
    passages: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cite:
    """A rule's reference to an entry: the entry's id, where in it (a locator, a quote) and a deep link.

    `at` is joined to the citation with ", " (a leading ":" or "(" joins directly: "...NARMA: 'quote'").
    `url` links to the cited part when it has an address of its own (a file in a code repository).
    """

    id: str
    at: str = ""
    url: str | None = None


Reference = str | Cite


def _entries(*items: Entry) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for item in items:
        if item.id in out:
            raise ValueError(f"bibliography entry {item.id} is defined twice")
        out[item.id] = item
    return out


ENTRIES: dict[str, Entry] = _entries(
    # ---- rankings and rating methods
    Entry(
        "ireg-audit-manual-2011",
        "IREG Observatory, IREG Ranking Audit Manual (2011)",
        "https://123doc.top/document/1102475-ireg-ranking-audit-manual-pdf.htm",
        mirror=True,
        note="a copy of the manual on a document-sharing site; the publisher's own copy was not found",
        passages={
            "weights": "criterion 8: 'If rankings are using composite indicators the weights of the individual "
            "indicators have to be published.'",
            "changes": "criterion 8: 'Changes in weights over time should be limited and due to methodological or "
            "conception-related considerations.'",
            "publication": "criteria group 2.3 Publication and Presentation of Results",
        },
    ),
    Entry(
        "berlin-principles-2006",
        "Berlin Principles on Ranking of Higher Education Institutions (IREG, 2006)",
        "http://ireg-observatory.org/en/index.php/berlin-principles",
        note="principles 1-3 were read in the copy at https://iqaa-ranking.kz/en/berlin-principles",
        passages={
            "target-groups": "principle 2: indicators built for one target group 'may not be adequate for different "
            "purposes or target groups'",
        },
    ),
    Entry(
        "inorms-rating-the-rankers",
        "INORMS Research Evaluation Group, 'Rating the Rankers' (2020-2022), findings as reported by NARMA",
        "https://narma.no/samarbeid/rating-the-rankers",
        note="NARMA's summary of the findings; the method is Gadd, Holmes & Shearer (2021), "
        "doi:10.29024/sar.31",
    ),
    Entry(
        "inorms-more-than-our-rank",
        "INORMS Research Evaluation Group, More Than Our Rank (2022)",
        "https://inorms.net/more-than-our-rank/",
    ),
    Entry(
        "cwts-10-principles-2017",
        "CWTS Leiden, 10 principles for responsible use of university rankings (2017)",
        "https://www.leidenranking.com/information/responsibleuse",
    ),
    # ---- critiques of city rankings
    Entry(
        "leff-petersen-2015",
        "Leff & Petersen, Beyond the Scorecard: Understanding Global City Rankings, Chicago Council on Global "
        "Affairs (2015)",
        "https://www.thechicagocouncil.org/publication/beyond-scorecard-understanding-global-city-rankings",
        passages={
            "lagging": "executive summary: 'the routine presence of lagging indicators'; cities should use 'the most "
            "recent available data'",
            "data": "executive summary: 'lack of reliable and internationally comparable data'",
            "perspective": "executive summary: biases include 'the author's perspective'",
            "opaque": "as summarised by CityLab: rankings 'arbitrarily or opaquely slapped together'",
        },
    ),
    Entry(
        "wucker-2015",
        "Michele Wucker (Chicago Council), on Beyond the Scorecard",
        "http://cities-today.com/new-report-decodes-global-city-rankings/",
    ),
    Entry(
        "citylab-2011",
        "CityLab, 'Ranking cities is a tricky business' (October 2011)",
        "https://www.citylab.com/equity/2011/10/ranking-cities-tricky-business/236/",
    ),
    Entry(
        "urban-institute-city",
        "Urban Institute, 'What defines a city?' (Urban Wire)",
        "https://www.urban.org/urban-wire/what-defines-city",
        passages={
            "definitions": ": EIU Hot Spots uses the urban agglomeration or metropolitan area, PwC Cities of "
            "Opportunity strict administrative borders",
        },
    ),
    Entry(
        "citymetric-city",
        "CityMetric, 'What is a city, anyway?'",
        "http://www.citymetric.com/what-city-anyway",
    ),
    Entry(
        "gfmag-best-cities",
        "Global Finance, 'Best cities to live'",
        "http://www.gfmag.com/global-data/non-economic-data/best-cities-to-live",
    ),
    # ---- city definitions and standards
    Entry(
        "degurba-2020",
        "Eurostat / EC, FAO, UN-Habitat, OECD, World Bank, Degree of Urbanisation methodology (endorsed by the UN "
        "Statistical Commission, March 2020)",
        "http://ec.europa.eu/eurostat/web/degree-of-urbanisation/methodology",
    ),
    Entry(
        "dijkstra-fua-2019",
        "Dijkstra, Poelman & Veneri, The EU-OECD definition of a functional urban area (2019)",
        "https://vdocuments.site/the-eu-oecd-definition-of-a-functional-urban-area.html",
        mirror=True,
        note="a copy of the OECD paper on a document-sharing site",
    ),
    Entry(
        "iso-37120",
        "ISO 37120 Sustainable cities and communities: Indicators for city services and quality of life (2014, "
        "rev. 2018)",
        "https://www.resiliencefirst.org/our-work/resources/"
        "iso-371202018-sustainable-cities-and-communities-indicators-city-services-and",
        note="a description of the standard on Resilience First's resources page; the standard itself is sold by ISO",
        passages={"verifiable": "for cities measuring performance 'in a comparable and verifiable manner'"},
    ),
    # ---- composite-indicator methodology (JRC, OECD, COINr)
    Entry(
        "jrc-10-step-guide",
        "JRC Competence Centre on Composite Indicators, 10 Step Guide",
        "https://knowledge4policy.ec.europa.eu/composite-indicators/toolkit_en/navigation-page/10-step-guide_en",
        passages={
            "data-selection": "step 2 Data selection ('analytical soundness, measurability, country coverage, and "
            "relevance')",
        },
    ),
    Entry(
        "oecd-jrc-handbook-2008",
        "OECD/JRC Handbook on Constructing Composite Indicators (2008)",
        "https://doi.org/10.1787/9789264043466-en",
    ),
    Entry(
        "coinr",
        "COINr (W. Becker)",
        "https://github.com/bluefoxr/COINr",
        note="an R package by William Becker (formerly JRC-COIN)",
        passages={
            "screen-units": "R/screen_units.R: units with less than 2/3 data availability are screened out "
            "(dat_thresh)",
            "effective-weights": "R/weights.R, get_eff_weights: the index-level weight of each indicator",
            "stats": "R/stats.R get_stats defaults",
        },
    ),
    Entry(
        "composer",
        "{composer} (finddx/composer)",
        "https://github.com/finddx/composer",
        passages={
            "correlations": "app_documentation/correlations.qmd: within-group r > 0.9 collinear, r < -0.4 negative "
            "(JRC-COIN rules of thumb)",
        },
    ),
    Entry(
        "paruolo-2013",
        "Paruolo, Saisana & Saltelli (2013), 'Ratings and rankings: voodoo or science?', JRSS-A 176(3):609-634",
        "https://doi.org/10.1111/j.1467-985X.2012.01059.x",
    ),
    Entry(
        "saisana-2005",
        "Saisana, Saltelli & Tarantola (2005), Uncertainty and sensitivity analysis techniques as tools for the "
        "quality assessment of composite indicators, JRSS-A 168(2)",
        "https://doi.org/10.1111/j.1467-985X.2005.00350.x",
    ),
    Entry(
        "eis-technical-annex",
        "European Innovation Scoreboard, technical annex",
        "http://www.proinno-europe.eu/page/technical-annex",
    ),
    # ---- rankings and indexes cited as examples
    Entry(
        "gii-2012",
        "Cornell, INSEAD & WIPO, The Global Innovation Index 2012",
        "https://www.yumpu.com/en/document/view/14357740/the-global-innovation-index-2012/452",
        mirror=True,
        note="a copy of the report on a document-sharing site",
        passages={
            "count-scaling": "technical notes: count variables are scaled by GDP or population because raw counts "
            "would bias results",
        },
    ),
    Entry(
        "gii-2023",
        "WIPO, Global Innovation Index 2023",
        "https://fliphtml5.com/hspgv/oyls/"
        "wipo-pub-2000-2023-en-main-report-global-innovation-index-2023-16th-edition_%281%29/213",
        mirror=True,
        note="a copy of the report on a flipbook site",
        passages={
            "years": "which reports the share of its data points from each year (3.8% from 2023, 34.7% from 2022 ... "
            "4.2% older than 2018)",
            "types": "report: indicators split into hard data, composite indicators and survey/qualitative data",
        },
    ),
    Entry(
        "gii-2024-profiles",
        "WIPO, Global Innovation Index 2024, economy profiles",
        "https://wipo.int/web-publications/global-innovation-index-2024/en/gii-2024-economy-profiles.html",
        passages={"not-comparable": ": rankings 'are not directly comparable between one year and another'"},
    ),
    Entry(
        "gpci-2015",
        "Mori Memorial Foundation, Global Power City Index 2015",
        "https://deploy.doczz.net/doc/947443/global-power-city-index-2015-5",
        mirror=True,
        note="a copy of the report on a document-sharing site",
        passages={
            "updates": ": updated every year since 2008, and adding 'quantitative data to indicators previously "
            "obtained through surveys alone'",
        },
    ),
    Entry(
        "jrc-cccm",
        "JRC, Cultural and Creative Cities Monitor",
        "https://composite-indicators.jrc.ec.europa.eu/cultural-creative-cities-monitor/",
        passages={
            "selection": ": about 1,000 Urban Audit cities of 50,000+ inhabitants narrowed to 190 by three published "
            "criteria",
        },
    ),
    Entry(
        "jrc-cccm-2019-annex-c",
        "JRC, Cultural and Creative Cities Monitor 2019, Annex C: statistical assessment",
        "https://vdocument.in/annex-c-statistical-assessment-of-the-cultural-and-creative-2-annex-c-statistical.html",
        mirror=True,
        note="a copy of the annex on a document-sharing site",
    ),
    Entry(
        "eiu-hot-spots-2012",
        "EIU, Hot Spots: benchmarking global city competitiveness (2012), as described by knoema",
        "http://knoema.com/GCCI2012/hot-spots-the-global-city-competitiveness-index-2012",
    ),
    Entry(
        "pwc-cities-of-opportunity",
        "PwC & Partnership for New York City, Cities of Opportunity",
        "https://firstbusinessnews.net/economix-what-rankings-show-about-cities/",
        note="the URL is a press article (First Business News) about the ranking, not the publisher's page",
    ),
)


def resolve(ref: Reference) -> tuple[Entry, str, str | None]:
    """The entry a reference names, the locator text it adds, and its own deep link if any."""
    cite = ref if isinstance(ref, Cite) else Cite(ref)
    entry_id, _, passage = cite.id.partition("#")
    entry = ENTRIES.get(entry_id)
    if entry is None:
        raise KeyError(f"no bibliography entry {entry_id!r}")
    at = cite.at
    if passage:
        if passage not in entry.passages:
            raise KeyError(f"bibliography entry {entry_id!r} has no passage {passage!r}")
        at = entry.passages[passage] + (f" {at}" if at else "")
    return entry, at, cite.url


def cite_text(ref: Reference) -> str:
    """One reference as text: the entry's citation followed by the locator or quote."""
    entry, at, _ = resolve(ref)
    if not at:
        return entry.citation
    return entry.citation + (at if at[0] == ":" else f" {at}" if at[0] == "(" else f", {at}")


def source_text(refs: Iterable[Reference]) -> str:
    return "; ".join(cite_text(r) for r in refs)


def source_url(refs: Iterable[Reference]) -> str | None:
    """The link of the first reference: its deep link, else its entry's URL."""
    for ref in refs:
        entry, _, url = resolve(ref)
        return url or entry.url
    return None

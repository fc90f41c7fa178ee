"""Every selector and URL pattern of ccomptes.fr, in one place (data, no code).

They are inferred from the site's public pages and may go stale: ``constats crawl ccomptes
--check`` validates each of them against live pages. When the site changes, this file is
the one edit (and ``tests/test_crawler_ccomptes.py`` the failing test).

Each CSS selector has a short French-free name used in ``--check`` reports.
"""

from __future__ import annotations

import re

# --- entry points (where discovery starts; the listings themselves are discovered)
ENTRY_PATHS = ["/fr/publications"]
SEARCH_PATH = "/fr/recherche"
SEARCH_PARAM = "search"

# --- facets of the publications listing (Drupal "facets" blocks)
#: links of the jurisdiction facet (one per chamber); label in FACET_LABEL
FACET_JURISDICTION = "[data-drupal-facet-id*=juridiction] a[href]"
#: links of the publication-type facet
FACET_TYPE = "[data-drupal-facet-id*=type] a[href]"
FACET_LABEL = ".facet-item__value"
#: which publication type holds the reports of the regional chambers
ROD_TYPE_LABEL = re.compile(r"rapports?\s+d.observations\s+d[ée]finitives", re.I)

# --- a page of results (search or listing)
RESULTS = "ul.search-list-results > li.search-result"
RESULT_LINK = "a[href]"
RESULT_TITLE = "h2.title"
RESULT_DESCRIPTION = "p.description"
RESULT_CHAMBER = "span.title-hover"
RESULT_DATE = "time.date-text[datetime]"
PAGER_NEXT = ["nav.pager a[rel=next]", "li.pager__item--next a[href]"]

# --- a publication page
PUB_TITLE = ["h1.page-title", "article h1", "h1"]
PUB_CHAMBER = [".juridiction-label", ".field--name-field-juridiction", "span.title-hover"]
PUB_DATE = ["article time[datetime]", "time.date-text[datetime]", "time[datetime]"]
PUB_SUMMARY = [".field--name-body", "article .description", "p.description"]
PUB_LINKS = "a[href]"
#: a PDF of a publication
PDF_HREF = re.compile(r"/sites/default/files/\d{4}-\d{2}/[^/?#]+\.pdf$", re.I)
#: link texts that mark a separately published response of the audited body
RESPONSE_TEXT = re.compile(r"r[ée]ponses?", re.I)
#: a publication URL and its slug (``-1``, ``-2`` when a body is audited again)
PUBLICATION_HREF = re.compile(r"/fr/publications/(?P<slug>[^/?#]+)$")

# --- texts
#: "Commune de Lormont (Gironde)"
TITLE_BODY_DEPARTEMENT = re.compile(r"^(?P<body>.+?)\s*\((?P<departement>[^()]+)\)\s*$")
#: "La chambre formule 3 rappels au droit et 5 recommandations"
ANNOUNCED = re.compile(
    r"formule\s+(?:(?P<rappels>\w+)\s+rappels?\s+(?:au|du)\s+droit)?"
    r"(?:\s*(?:et|,)\s*)?(?:(?P<recos>\w+)\s+recommandations?)?", re.I)
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12}

#: every CSS selector above, by name, for ``--check``
LISTING_SELECTORS = {
    "result title": RESULT_TITLE, "result link": RESULT_LINK, "result description": RESULT_DESCRIPTION,
    "result chamber": RESULT_CHAMBER, "result date": RESULT_DATE,
}

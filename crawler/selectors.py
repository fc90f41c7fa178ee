"""Every address, URL pattern and CSS hint of ccomptes.fr, in one place (data, no code).

What public scrapers of the real site document (2025–2026): result lists at
``/fr/publications`` (and ``/fr/recherche?search=…``) paged by ``page=N`` from 0, filters
as Drupal facet parameters (``f[0]=institution:98``, ``f[1]=daterange:2024``) and a chamber
filter ``region=/fr/crc-<slug>``, publication pages ``/fr/publications/<slug>``, PDFs under
``/sites/default/files/YYYY-MM/``, ``/system/files/YYYY-MM/`` or behind document pages
``/fr/documents/NNNNN``.

Discovery rests on **strategies** that do not depend on the markup: URL patterns of
publications, documents and chambers, and the ``page=`` parameter walked until a page
brings nothing new. CSS classes are only **hints**: each is a list whose first selector is
the documented one and whose others are fallbacks; ``constats crawl ccomptes --check``
says, for each strategy and hint, what it found, so that a change of the site is seen the
day it happens, while the crawl goes on.
"""

from __future__ import annotations

import re

# --- addresses (strategies: they do not depend on the markup)
ENTRY_PATH = "/fr/publications"
SEARCH_PATH = "/fr/recherche"
SEARCH_PARAM = "search"
#: result lists are paged by this parameter, counted from FIRST_PAGE
PAGE_PARAM = "page"
FIRST_PAGE = 0
#: asked of the listing: fewer, longer pages (a site that ignores it pages as it likes)
LISTING_PARAMS = {"items_per_page": "50"}
#: a walk stops after this many pages whatever happens (a site that never ends its list)
MAX_LISTING_PAGES = 2000
#: the chamber filter of the listing: ``region=/fr/crc-bretagne``
CHAMBER_PARAM = "region"
#: Drupal facet parameters: ``f[0]=institution:98`` (Cour des comptes), ``f[1]=daterange:2024``
FACET_PARAM = "f[{n}]"
FACET_INSTITUTION = "institution"
FACET_DATERANGE = "daterange"
INSTITUTION_COUR_DES_COMPTES = 98

#: a publication page and its slug (``-1``, ``-2`` when a body is audited again)
PUBLICATION_HREF = re.compile(r"^/fr/publications/(?P<slug>[^/?#]+)/?$")
#: a document page that leads to a file
DOCUMENT_PAGE_HREF = re.compile(r"^/fr/documents/(?P<id>\d+)/?$")
#: a PDF file: the folder is the upload month, not the publication date (many moved to 2023-10)
PDF_HREF = re.compile(r"^/(?:sites/default/files|system/files)/(?:[^?#]+/)?[^/?#]+\.pdf$", re.I)
#: a chamber's own page, which is also the value of the chamber filter
CHAMBER_HREF = re.compile(r"^/fr/(?P<slug>(?:crc|ctc)-[a-z0-9-]+|antilles-guyane)/?$")

#: chambers known from the site (fallback when its pages link none): path -> label
KNOWN_CHAMBERS = {
    "/fr/crc-auvergne-rhone-alpes": "CRC Auvergne-Rhône-Alpes",
    "/fr/crc-bourgogne-franche-comte": "CRC Bourgogne-Franche-Comté",
    "/fr/crc-bretagne": "CRC Bretagne",
    "/fr/crc-centre-val-de-loire": "CRC Centre-Val de Loire",
    "/fr/ctc-corse": "CTC Corse",
    "/fr/crc-grand-est": "CRC Grand Est",
    "/fr/crc-hauts-de-france": "CRC Hauts-de-France",
    "/fr/crc-ile-de-france": "CRC Île-de-France",
    "/fr/crc-normandie": "CRC Normandie",
    "/fr/crc-nouvelle-aquitaine": "CRC Nouvelle-Aquitaine",
    "/fr/crc-occitanie": "CRC Occitanie",
    "/fr/crc-pays-de-la-loire": "CRC Pays de la Loire",
    "/fr/crc-provence-alpes-cote-dazur": "CRC Provence-Alpes-Côte d'Azur",
    "/fr/antilles-guyane": "CRC Antilles-Guyane",
    "/fr/crc-la-reunion-et-mayotte": "CRC La Réunion et Mayotte",
    "/fr/ctc-polynesie-francaise": "CTC Polynésie française",
    "/fr/ctc-nouvelle-caledonie": "CTC Nouvelle-Calédonie",
    "/fr/ctc-saint-pierre-et-miquelon": "CTC Saint-Pierre-et-Miquelon",
}

# --- hints: CSS selectors, the documented one first, then fallbacks (markup may drift)
#: a page of results (listing or search)
LISTING_HINTS: dict[str, list[str]] = {
    "results container": ["div.view-search-publications", "ul.search-list-results", "main", "body"],
    "result item": ["li.search-result", "li", "article", "div"],
    "result title": ["h2.title", "h2", "h3", "h4"],
    "result description": ["p.description", "[class*=description]", "[class*=excerpt]", "[class*=summary]", "p"],
    "result chamber": ["span.title-hover", "[class*=title-hover]"],
    "result date": ["time[datetime]"],
    "result documents": ["p.text"],
    "pager": ["li.pager-item", "[class*=pager] li", "[class*=pagination] a"],
}
#: a publication page
PUBLICATION_HINTS: dict[str, list[str]] = {
    "title": ["h1", "meta[name='twitter:title']", "meta[property='og:title']"],
    "date": ["time.date[datetime]", "time[datetime]", "meta[property='article:published_time']"],
    "thematic": ["span.text-thematic"],
    "teaser": ["div.teaser-text", "[class^=publication-teaser-content]",
               "meta[name=description]", "meta[property='og:description']"],
    "full text": ["div.text-formatted .field__item", "div.text-formatted"],
    "documents": ["div.links-with-buttons .side a[data-document]", "a[data-document]"],
}
#: text of the "show more" button left inside a cut teaser
SHOW_MORE = "button.btn.show-more"
#: the attribute of a document link that carries the document's type
DOCUMENT_TYPE_ATTR = "data-document"

# --- telling a response from a report: by the document's type, then its file name, then the link text
#: a type, name or text that says "report" (even with its responses: one file)
REPORT_WORDS = re.compile(r"rapport|\brod\b|observations\s+d[ée]finitives", re.I)
#: one that says "response" (``r--ponse`` is how the site's file names spell "réponse")
RESPONSE_WORDS = re.compile(r"r[ée]ponses?|r--ponses?|\breo\d", re.I)
#: file names of a report (ROD 2025-225 …, RER2021532, PAR2025-0792) and of a response (REO2021532)
REPORT_FILE = re.compile(r"^(?:rod|rer|par|rop)[\s_-]?\d", re.I)
RESPONSE_FILE = re.compile(r"^reo[\s_-]?\d|(?:^|[\s_-])r(?:e|--)ponses?(?:[\s_-]|\.pdf$)", re.I)
#: a report published with its responses in one file ("…-et-sa-r--ponse.pdf")
REPORT_WITH_RESPONSES_FILE = re.compile(r"(?:^|[\s_-])et[\s_-](?:sa|ses|leurs?)[\s_-]r(?:e|--)ponses?", re.I)

# --- texts
#: "Commune de Lormont (Gironde)"
TITLE_BODY_DEPARTEMENT = re.compile(r"^(?P<body>.+?)\s*\((?P<departement>[^()]+)\)\s*$")
#: "La chambre formule 3 rappels au droit et 5 recommandations"
ANNOUNCED = re.compile(
    r"formule\s+(?:(?P<rappels>\w+)\s+rappels?\s+(?:au|du)\s+droit)?"
    r"(?:\s*(?:et|,)\s*)?(?:(?P<recos>\w+)\s+recommandations?)?", re.I)
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12}
#: "12 Documents" under a result
DOCUMENT_COUNT = re.compile(r"(\d+)\s+documents?", re.I)

"""HTML of the replica, in two flavours.

- ``site``: the shapes public scrapers of ccomptes.fr document (2025–2026), written from
  that evidence and not from the crawler's selectors: results ``div.view-search-publications
  ul.search-list-results > li.search-result`` with ``h2.title``, ``p.description`` (cut),
  ``span.title-hover``, a ``<time datetime>`` without class and ``p.text`` "N Documents"; a
  pager of ``li.pager-item`` (``pager-current``) without any "next" link; filters as URL
  parameters (a ``region`` select, ``institution`` and ``daterange`` facet blocks);
  publication pages with ``h1``, ``meta[name=twitter:title]``, ``time.date.section``,
  ``span.text-thematic``, a teaser cut behind ``button.btn.show-more`` with the full text in
  ``div.text-formatted .field__item``, and ``a[data-document]`` buttons in
  ``div.links-with-buttons .side``.
- ``redesign``: the same content after a redesign: other class names, another order of
  the elements (date and chamber above the title, downloads before the text), cards
  instead of a list, the ``data-document`` attribute renamed, a "next" pager.

The addresses (``/fr/publications/<slug>``, ``page=``, ``region=``, PDFs, document pages)
are the same in both: a redesign changes the markup, not the URLs.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
FLAVOURS = ("site", "redesign")
TEASER_CHARS = 160


def french_date(d) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def cut(text: str, n: int = TEASER_CHARS) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"


class DocLink:
    """A document as a publication page links it."""

    def __init__(self, href: str, label: str, doc_type: str | None):
        self.href, self.label, self.doc_type = href, label, doc_type


class SitePages:
    """The shapes of the real site."""

    name = "site"

    def __init__(self, chambers: list[tuple[str, str]]):
        self.chambers = chambers  # (path, label), for the footer and the filters

    # ------------------------------------------------------------------ frame
    def layout(self, title: str, body: str, head: str = "") -> str:
        footer = "".join(f'<li><a href="{escape(p)}">{escape(label)}</a></li>' for p, label in self.chambers)
        return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} | '
                f'Cour des comptes</title>{head}</head><body><header class="header"><a href="/fr">Cour des '
                f'comptes</a><nav><a href="/fr/publications">Publications</a></nav>'
                f'<form action="/fr/recherche" method="get"><input name="search"></form></header>'
                f'<main role="main">{body}</main><footer><h2>Les juridictions</h2>'
                f'<ul class="menu-juridictions">{footer}</ul><p>Réplique locale de démonstration</p>'
                f'</footer></body></html>')

    def home(self) -> str:
        return self.layout("Accueil", '<h1>Cour des comptes</h1><p><a href="/fr/publications">Publications</a></p>')

    def not_found(self) -> str:
        return self.layout("Page introuvable", "<h1>Page introuvable</h1>")

    def chamber_page(self, path: str, label: str) -> str:
        href = "/fr/publications?" + urlencode({"region": path}, safe="/")
        return self.layout(label, f'<h1>{escape(label)}</h1><p><a href="{escape(href)}">Les publications '
                                  f'de la chambre</a></p>')

    # ------------------------------------------------------------------ lists
    def filters(self, params: dict[str, str], facets: list[tuple[str, str, list[tuple[str, str, int]]]]) -> str:
        options = "".join(f'<option value="{escape(p)}"{" selected" if params.get("region") == p else ""}>'
                          f'{escape(label)}</option>' for p, label in self.chambers)
        blocks = "".join(
            f'<div class="block-facets"><h3>{escape(title)}</h3><ul data-drupal-facet-id="{facet_id}" '
            f'class="facets-widget-links">' + "".join(
                f'<li class="facet-item"><a href="{escape(href)}" rel="nofollow"><span class="facet-item__value">'
                f'{escape(label)}</span> <span class="facet-item__count">({n})</span></a></li>'
                for label, href, n in items) + "</ul></div>" for facet_id, title, items in facets)
        return (f'<form class="views-exposed-form" action="/fr/publications" method="get">'
                f'<select name="region"><option value="">Toutes les juridictions</option>{options}</select>'
                f'<input type="hidden" name="taxonomy_term" value="all"></form>{blocks}')

    def result_item(self, pub, n_docs: int) -> str:
        return (f'<li class="search-result"><a href="/fr/publications/{escape(pub.slug)}">'
                f'<span class="title-hover">{escape(pub.chamber)}</span>'
                f'<h2 class="title">{escape(pub.title)}</h2></a>'
                f'<p class="description">{escape(cut(pub.summary))}</p>'
                f'<time datetime="{pub.date.isoformat()}">{french_date(pub.date)}</time>'
                f'<p class="text">{n_docs} Documents</p></li>')

    def pager(self, page: int, pages: int, params: dict[str, str]) -> str:
        if pages <= 1:
            return ""
        items = "".join(
            f'<li class="pager-item pager-current">{i + 1}</li>' if i == page else
            f'<li class="pager-item"><a href="?{escape(urlencode({**params, "page": i}, safe="/"))}">{i + 1}</a></li>'
            for i in range(pages))
        return f'<nav class="pager-nav" aria-label="Pagination"><ul class="pager">{items}</ul></nav>'

    def results(self, title: str, shown: list[tuple], page: int, pages: int, params: dict[str, str],
                filters: str) -> str:
        items = "".join(self.result_item(p, n) for p, n in shown)
        empty = "" if shown else '<p class="view-empty">Aucun résultat</p>'
        return self.layout(title, f'<h1>{escape(title)}</h1>{filters}<div class="view-search-publications">'
                                  f'<ul class="search-list-results">{items}</ul>{empty}</div>'
                                  f'{self.pager(page, pages, params)}')

    # ------------------------------------------------------------------ a publication
    def head(self, pub) -> str:
        return (f'<meta name="twitter:title" content="{escape(pub.title)}">'
                f'<meta name="description" content="{escape(cut(pub.summary))}">')

    def document_link(self, d: DocLink) -> str:
        # every button carries the attribute; some types say nothing of the role ("Document")
        doc_type = escape(d.doc_type or "Document")
        return (f'<a class="btn btn-download" href="{escape(d.href)}" data-document="{doc_type}">'
                f'{escape(d.label)}</a>')

    def publication(self, pub, chamber_path: str | None, docs: list[DocLink]) -> str:
        chamber = (f'<a class="institution" href="{escape(chamber_path)}">{escape(pub.chamber)}</a>'
                   if chamber_path else f"<span>{escape(pub.chamber)}</span>")
        links = "".join(self.document_link(d) for d in docs)
        return self.layout(pub.title, (
            f'<div class="publication"><span class="text-thematic">{escape(pub.thematic)}</span>'
            f'<h1>{escape(pub.title)}</h1>'
            f'<time class="date section" datetime="{pub.date.isoformat()}">{french_date(pub.date)}</time>'
            f'<div class="juridiction">{chamber}</div>'
            f'<div class="publication-teaser-content"><div class="teaser-text">{escape(cut(pub.summary))}'
            f'<button class="btn show-more" type="button">Lire la suite</button></div></div>'
            f'<div class="links-with-buttons"><div class="side">{links}</div></div>'
            f'<div class="text-formatted"><div class="field__item"><p>{escape(pub.summary)}</p></div></div>'
            f'</div>'), self.head(pub))

    def document_page(self, title: str, file_href: str, name: str) -> str:
        return self.layout(title, f'<h1>{escape(title)}</h1><div class="file file--application-pdf">'
                                  f'<span class="file-link"><a href="{escape(file_href)}" '
                                  f'type="application/pdf">{escape(name)}</a></span></div>')


class RedesignPages(SitePages):
    """The same site after a redesign: other classes, other order, same addresses."""

    name = "redesign"

    def layout(self, title: str, body: str, head: str = "") -> str:
        chambers = "".join(f'<a class="site-footer__link" href="{escape(p)}">{escape(label)}</a>'
                           for p, label in self.chambers)
        return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} — '
                f'Cour des comptes</title>{head}</head><body><div class="site">'
                f'<div class="site-header"><a class="brand" href="/fr">Cour des comptes</a>'
                f'<a href="/fr/publications">Nos publications</a>'
                f'<form role="search" action="/fr/recherche"><input type="search" name="search"></form></div>'
                f'<div id="content" class="site-content">{body}</div>'
                f'<div class="site-footer"><div class="site-footer__chambers">{chambers}</div></div>'
                f'</div></body></html>')

    def filters(self, params, facets) -> str:
        links = "".join(f'<li><a class="chip" href="/fr/publications?{escape(urlencode({"region": p}, safe="/"))}">'
                        f'{escape(label)}</a></li>' for p, label in self.chambers)
        return f'<div class="refine"><p>Filtrer par juridiction</p><ul class="chips">{links}</ul></div>'

    def result_item(self, pub, n_docs: int) -> str:
        chamber_path = getattr(pub, "chamber_path", None)
        source = (f'<a class="card__source" href="{escape(chamber_path)}">{escape(pub.chamber)}</a>'
                  if chamber_path else f'<span class="card__source">{escape(pub.chamber)}</span>')
        return (f'<li class="card"><div class="card__meta"><time class="card__date" '
                f'datetime="{pub.date.isoformat()}">{pub.date:%d.%m.%Y}</time>{source}</div>'
                f'<h3 class="card__heading"><a class="card__link" href="/fr/publications/{escape(pub.slug)}">'
                f'{escape(pub.title)}</a></h3><div class="card__excerpt">{escape(cut(pub.summary))}</div>'
                f'<span class="card__files">{n_docs} fichier(s)</span></li>')

    def pager(self, page: int, pages: int, params: dict[str, str]) -> str:
        def href(n: int) -> str:
            return "?" + escape(urlencode({**params, "page": n}, safe="/"))

        parts = []
        if page > 0:
            parts.append(f'<a class="pagination__prev" href="{href(page - 1)}">Précédent</a>')
        parts.append(f'<span class="pagination__state">Page {page + 1} sur {max(pages, 1)}</span>')
        if page + 1 < pages:
            parts.append(f'<a class="pagination__next" href="{href(page + 1)}">Suivant</a>')
        return f'<nav class="pagination">{"".join(parts)}</nav>'

    def results(self, title, shown, page, pages, params, filters) -> str:
        items = "".join(self.result_item(p, n) for p, n in shown)
        empty = "" if shown else '<p class="catalogue__empty">Aucune publication</p>'
        return self.layout(title, f'<section class="catalogue"><h1 class="catalogue__title">{escape(title)}</h1>'
                                  f'{self.pager(page, pages, params)}<ol class="cards">{items}</ol>{empty}'
                                  f'{filters}</section>')

    def head(self, pub) -> str:
        return f'<meta property="og:title" content="{escape(pub.title)}">'

    def document_link(self, d: DocLink) -> str:
        kind = f' data-kind="{escape(d.doc_type)}"' if d.doc_type else ""
        return f'<li><a class="download" href="{escape(d.href)}"{kind}>{escape(d.label)}</a></li>'

    def publication(self, pub, chamber_path, docs) -> str:
        chamber = (f'<a href="{escape(chamber_path)}">{escape(pub.chamber)}</a>' if chamber_path
                   else escape(pub.chamber))
        links = "".join(self.document_link(d) for d in docs)
        return self.layout(pub.title, (
            f'<article class="pub"><nav class="breadcrumb"><a href="/fr">Accueil</a> › '
            f'<a href="/fr/publications">Publications</a></nav>'
            f'<div class="pub__header"><p class="pub__kicker">{chamber} · <span class="pub__theme">'
            f'{escape(pub.thematic)}</span></p><p class="pub__date">Publié le <time '
            f'datetime="{pub.date.isoformat()}">{french_date(pub.date)}</time></p>'
            f'<h1 class="pub__title">{escape(pub.title)}</h1></div>'
            f'<aside class="pub__downloads"><h2>Télécharger</h2><ul>{links}</ul></aside>'
            f'<div class="pub__lede">{escape(cut(pub.summary))}</div>'
            f'<div class="pub__body"><p>{escape(pub.summary)}</p></div></article>'), self.head(pub))

    def document_page(self, title: str, file_href: str, name: str) -> str:
        return self.layout(title, f'<div class="media"><h1 class="media__title">{escape(title)}</h1>'
                                  f'<a class="media__download" href="{escape(file_href)}">Télécharger le '
                                  f'fichier ({escape(name)})</a></div>')


def pages_for(flavour: str, chambers: list[tuple[str, str]]) -> SitePages:
    if flavour == "site":
        return SitePages(chambers)
    if flavour == "redesign":
        return RedesignPages(chambers)
    raise ValueError(f"unknown flavour {flavour!r} ({', '.join(FLAVOURS)})")

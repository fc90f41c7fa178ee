"""HTML of the replica, shaped like ccomptes.fr (Drupal markup of the public pages).

The crawler's selectors (``crawler.selectors``) are written against the real site; these
templates follow the same structure so that the same parsers read both.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def french_date(d) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def layout(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} | '
            f'Cour des comptes</title></head><body><header><a href="/fr">Cour des comptes</a>'
            f'<form action="/fr/recherche" method="get"><input name="search"></form></header>'
            f'<main>{body}</main><footer>Réplique locale de démonstration</footer></body></html>')


def home() -> str:
    return layout("Accueil", '<h1>Cour des comptes</h1><p><a href="/fr/publications">Publications</a></p>')


def facet_block(facet_id: str, title: str, items: list[tuple[str, str, int]]) -> str:
    lis = "".join(
        f'<li class="facet-item"><a href="{escape(href)}" rel="nofollow">'
        f'<span class="facet-item__value">{escape(label)}</span>'
        f'<span class="facet-item__count">({n})</span></a></li>' for label, href, n in items)
    return (f'<div class="block-facets"><h3>{escape(title)}</h3>'
            f'<ul data-drupal-facet-id="{facet_id}" class="facets-widget-links">{lis}</ul></div>')


def result_item(pub) -> str:
    return (f'<li class="search-result"><a href="/fr/publications/{escape(pub.slug)}">'
            f'<h2 class="title">{escape(pub.title)}</h2></a>'
            f'<span class="title-hover">{escape(pub.chamber)}</span>'
            f'<p class="description">{escape(pub.summary[:300])}</p>'
            f'<time class="date-text" datetime="{pub.date.isoformat()}T12:00:00Z">'
            f'{pub.date:%d/%m/%Y}</time></li>')


def results(title: str, pubs: list, facets: str, page: int, pages: int, params: dict[str, str]) -> str:
    items = "".join(result_item(p) for p in pubs)
    pager = ""
    if page + 1 < pages:
        href = "?" + urlencode({**params, "page": page + 1})
        pager = (f'<nav class="pager" role="navigation"><ul class="pager__items">'
                 f'<li class="pager__item is-active">{page + 1}</li>'
                 f'<li class="pager__item pager__item--next"><a href="{escape(href)}" rel="next">'
                 f'Page suivante</a></li></ul></nav>')
    return layout(title, f'<h1>{escape(title)}</h1><aside>{facets}</aside>'
                         f'<ul class="search-list-results">{items}</ul>{pager}')


def publication(pub, files: list[tuple[str, str]]) -> str:
    links = "".join(f'<li class="document"><a class="document-link" href="{escape(href)}" '
                    f'type="application/pdf">{escape(label)}</a></li>' for href, label in files)
    return layout(pub.title, (
        f'<article class="publication"><h1 class="page-title">{escape(pub.title)}</h1>'
        f'<div class="field--name-field-juridiction"><span class="juridiction-label">'
        f'{escape(pub.chamber)}</span></div>'
        f'<time class="date-text" datetime="{pub.date.isoformat()}T12:00:00Z">{french_date(pub.date)}</time>'
        f'<div class="field--name-body"><p>{escape(pub.summary)}</p></div>'
        f'<div class="documents"><h2>Documents</h2><ul>{links}</ul></div></article>'))


def not_found() -> str:
    return layout("Page introuvable", "<h1>Page introuvable</h1>")

"""Atom feeds of searches (``/api/search.atom?…``): follow new findings on a commune or theme.

``atom_feed`` is pure: search hits in, Atom XML out. Entries are newest first (the route
asks for ``sort=date_desc``); ids are stable ``tag:`` URIs built from finding ids, so a
feed reader shows each finding once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from constats import taxonomy

FEED_SIZE = 50


def _date(value: str | None) -> str:
    if value:
        try:
            return datetime.fromisoformat(str(value)[:10]).replace(tzinfo=UTC).isoformat()
        except ValueError:
            pass
    return "1970-01-01T00:00:00+00:00"


def _title(hit) -> str:
    kind = taxonomy.KINDS.get(hit.kind, hit.kind)
    if hit.number:
        kind += f" n° {hit.number}"
    where = hit.body_name or hit.report_title or "rapport"
    return f"{kind} — {where}" + (f" ({hit.year})" if hit.year else "")


def atom_feed(hits: Iterable, *, title: str, self_url: str, html_url: str, base_url: str) -> str:
    hits = list(hits)
    updated = max((_date(h.date) for h in hits), default=_date(None))
    base = base_url.rstrip("/")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
           f"<title>{escape(title)}</title>",
           f"<id>{escape(self_url)}</id>",
           f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(self_url)}/>",
           f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(html_url)}/>",
           f"<updated>{updated}</updated>",
           "<author><name>Constats</name></author>",
           "<generator>Constats</generator>"]
    for h in hits:
        link = f"{base}/constats/{h.id}"
        summary = h.text or ""
        out += ["<entry>",
                f"<title>{escape(_title(h))}</title>",
                f"<id>tag:constats,2026:{escape(h.id)}</id>",
                f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>",
                f"<link rel=\"related\" type=\"application/pdf\" "
                f"href={quoteattr(f'{base}/api/reports/{h.report_id}/pdf#page={h.page}')}/>",
                f"<updated>{_date(h.date)}</updated>",
                *( [f"<category term={quoteattr(h.primary_theme)} "
                    f"label={quoteattr(taxonomy.THEMES.get(h.primary_theme, h.primary_theme))}/>"]
                   if h.primary_theme else []),
                *( [f"<category term={quoteattr(h.chamber)}/>"] if h.chamber else []),
                f"<summary type=\"text\">{escape(summary[:2000])}</summary>",
                "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"

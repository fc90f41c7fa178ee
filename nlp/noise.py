"""Lines that are never findings: captions, table-of-contents lines, running heads.

A table's caption ("Source : comptes de gestion", "Note : …", "Lecture : …"), a line of a table
of contents ("Recommandation n° 1 : …… page 21", "2.3 La dette ........ 14") and a running head
that survived the layout cleaning are furniture of the report, not what the chamber found:
neither observations nor items.
"""

from __future__ import annotations

import re

CAPTION = re.compile(r"^\s*[(\[]?\s*(?:sources?|notes?|lecture|champ|p[ée]rim[èe]tre|nota|donn[ée]es)\s*(?:\d+\s*)?:"
                     r"|^\s*\(?\s*source\s*[:\-–]|^\s*(?:tableau|graphique|figure|sch[ée]ma|carte|annexe)\s+(?:n\s*°\s*)?"
                     r"\d{1,3}\s*(?:[:\-–.]|$)", re.I)
#: leaders or a "page N" at the end of a short line: an entry of a table of contents
TOC_LINE = re.compile(r"(?:[.…·_]\s*){3,}\s*(?:p(?:age|\.)?\s*)?\d{1,4}\s*$|\s(?:p\.|page)\s*\d{1,4}\s*$", re.I)


def is_caption(text: str) -> bool:
    return bool(CAPTION.match(text))


def is_toc_line(text: str) -> bool:
    tail = text.rstrip()[-120:]  # an entry ends with its page number: tested first, and on the tail only
    return len(text) < 400 and tail[-1:].isdigit() and bool(TOC_LINE.search(tail))


def is_noise(text: str) -> bool:
    """A caption or a table-of-contents line (see the module doc)."""
    return is_caption(text) or is_toc_line(text)

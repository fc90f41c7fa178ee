"""Errors shared by every layer.

Errors of one stage stay with their package and carry a reason code stored on the report
(``crawler.errors.FetchError``, ``nlp.errors.PdfError``); this module holds what crosses
layers: a service that a request or a task needs does not answer.
"""

from __future__ import annotations


class ServiceUnavailable(Exception):
    """A service (store, Meilisearch, Redis) does not answer: retry later, it is not a bug."""

    def __init__(self, service: str, detail: str = ""):
        super().__init__(f"{service}: {detail}")
        self.service = service
        self.detail = detail

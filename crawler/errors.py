"""Typed errors of the crawler: a stable ``code`` plus a human-readable message."""

from __future__ import annotations

#: Codes worth retrying within the same fetch (transient by nature).
RETRYABLE = {"timeout", "network", "truncated"}


class FetchError(Exception):
    """A fetch that failed for a known reason.

    Codes: ``http_<status>``, ``timeout``, ``network``, ``too_large``, ``not_pdf``,
    ``foreign_redirect``, ``redirect_loop``, ``too_many_redirects``, ``truncated``,
    ``robots_disallowed``, ``robots_unavailable``, ``host_not_allowed``,
    ``private_address``, ``dns_error``, ``bad_url``, ``rate_limited``.
    """

    def __init__(self, code: str, message: str, *, status: int | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE or (self.status is not None and self.status >= 500)


class DiscoveryError(Exception):
    """The site's pages no longer have the structure the parsers expect."""

"""robots.txt: fetched once per origin through the fetcher's public path (so rate-limited,
retried, size-capped and cached like any page), then obeyed.

RFC 9309: a 4xx answer means no rules; an unreachable robots.txt or a 5xx means
everything is disallowed for now. A ``Crawl-delay`` slower than the configured rate lowers
the host's rate.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from crawler.errors import FetchError
from crawler.limiter import Limiter
from crawler.safety import host_of


class PageFetcher(Protocol):
    """What robots.txt needs of the fetcher that owns it (``crawler.fetcher.Fetcher``)."""

    settings: Any
    limiter: Limiter

    def get_cached_page(self, url: str) -> Any: ...


class Robots:
    def __init__(self, fetcher: PageFetcher):
        self.fetcher = fetcher
        self.agent = fetcher.settings.user_agent.split("/", 1)[0].strip() or "*"
        self._rules: dict[str, RobotFileParser | FetchError] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> None:
        """Raise ``FetchError`` (robots_disallowed / robots_unavailable) unless allowed."""
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return
        rules = self.rules_for(f"{parts.scheme}://{parts.netloc}")
        if isinstance(rules, FetchError):
            raise rules
        if not rules.can_fetch(self.agent, url):
            raise FetchError("robots_disallowed", f"robots.txt disallows {url}")

    def rules_for(self, origin: str) -> RobotFileParser | FetchError:
        with self._lock:
            if origin in self._rules:
                return self._rules[origin]
        url = origin + "/robots.txt"
        parser = RobotFileParser(url)
        result: RobotFileParser | FetchError = parser
        try:  # the fetcher's public path: checked redirects, retries, size cap, page cache
            page = self.fetcher.get_cached_page(url)
            parser.parse((page.text or "").splitlines())
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                parser.allow_all = True  # type: ignore[attr-defined]  # no robots.txt: allow all
            else:  # unreachable or 5xx: assume complete disallow (RFC 9309 §2.3.1.4)
                result = FetchError("robots_unavailable", f"robots.txt of {origin}: {exc.message}")
        if isinstance(result, RobotFileParser):
            delay = parser.crawl_delay(self.agent)
            if delay:
                rate = self.fetcher.settings.crawl_rate_limit
                self.fetcher.limiter.set_rate(host_of(origin), min(rate, 1.0 / float(delay)))
        with self._lock:
            self._rules[origin] = result
        return result

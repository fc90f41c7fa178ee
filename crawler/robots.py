"""robots.txt: fetched once per origin (through the fetcher, so rate-limited), then obeyed.

RFC 9309: a 4xx answer means no rules; an unreachable robots.txt or a 5xx means
everything is disallowed for now. A ``Crawl-delay`` slower than the configured rate lowers
the host's rate.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from crawler.errors import FetchError
from crawler.safety import host_of


class Robots:
    def __init__(self, fetcher):
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
        parser = RobotFileParser(origin + "/robots.txt")
        result: RobotFileParser | FetchError = parser
        from crawler.fetcher import _conditional
        from crawler.pagecache import CachedPage, PageCache

        url = origin + "/robots.txt"
        cache = PageCache(self.fetcher.settings.state_dir / "page-cache")
        cached = cache.get(url)
        try:
            resp = self.fetcher._send(url, _conditional(cached.etag, cached.last_modified) if cached else {})
            try:
                if resp.status_code == 304 and cached is not None:
                    parser.parse(cached.text.splitlines())
                elif resp.status_code == 200:
                    text = resp.read().decode("utf-8", errors="replace")
                    parser.parse(text.splitlines())
                    cache.put(CachedPage(url, text, resp.headers.get("etag"), resp.headers.get("last-modified")))
                else:  # 4xx (and odd redirects): no rules, everything allowed
                    parser.allow_all = True
            finally:
                resp.close()
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                parser.allow_all = True
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

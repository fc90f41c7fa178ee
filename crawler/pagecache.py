"""A persistent cache of HTML pages and robots.txt with their validators.

Listing pages change when something is published; between two crawls they are asked for
conditionally (If-None-Match / If-Modified-Since) and a 304 answers from this cache, so
a crawl of an unchanged site makes only conditional requests. One small JSON file per
URL under ``state_dir/page-cache``, written atomically; a damaged entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CachedPage:
    url: str
    text: str
    etag: str | None
    last_modified: str | None


class PageCache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, url: str) -> Path:
        return self.root / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")

    def get(self, url: str) -> CachedPage | None:
        try:
            data = json.loads(self._path(url).read_text(encoding="utf-8"))
            return CachedPage(data["url"], data["text"], data.get("etag"), data.get("last_modified"))
        except (OSError, ValueError, KeyError):
            return None

    def put(self, page: CachedPage) -> None:
        if not (page.etag or page.last_modified):
            return  # nothing to revalidate with: not worth keeping
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(page.__dict__, fh, ensure_ascii=False)
        os.replace(tmp, self._path(page.url))

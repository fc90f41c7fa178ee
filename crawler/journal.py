"""A small journal of finished downloads not yet committed to the crawl state.

A download is moved into the raw store, noted here, then committed to the database, then
its note is removed. A crawl killed between the move and the commit finds the note on
restart and asks the server conditionally (304: nothing is downloaded twice).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from crawler.fetcher import Download


class Journal:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, url: str) -> Path:
        return self.root / (hashlib.sha1(url.encode()).hexdigest() + ".json")

    def note(self, d: Download) -> None:
        path = self._path(d.url)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(d.__dict__))
        os.replace(tmp, path)

    def get(self, url: str) -> Download | None:
        try:
            return Download(**json.loads(self._path(url).read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def forget(self, url: str) -> None:
        self._path(url).unlink(missing_ok=True)

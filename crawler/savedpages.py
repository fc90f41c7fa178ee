"""Pages kept as they were fetched (``constats crawl ccomptes --save-pages DIR``).

Every HTML page and robots.txt the fetcher reads is written to ``DIR/pages/`` and described
by one line of ``DIR/manifest.jsonl`` (URL asked, final URL, status, date, response headers,
file), so that the first crawl of the real site becomes test fixtures in one step: copy the
folder under ``tests/fixtures/saved-sites/`` and the tests replay it (``load``). PDFs are
not kept (the raw store has them).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "manifest.jsonl"


@dataclass
class SavedPage:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    fetched_at: str  # ISO 8601, UTC
    headers: dict[str, str]
    text: str | None  # None for a 304 answered without a cached copy


class PageRecorder:
    """Writes pages into a folder as they are fetched (thread-safe, append-only)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        (self.root / "pages").mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.count = 0

    def save(self, url: str, final_url: str, status: int, headers: dict[str, str], text: str | None) -> None:
        name = None
        if text is not None:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
            suffix = ".txt" if final_url.endswith("/robots.txt") else ".html"
            name = f"pages/{digest}{suffix}"
            path = self.root / name
            if not path.exists():
                path.write_text(text, encoding="utf-8")
        line = {"url": url, "final_url": final_url, "status": status,
                "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "headers": dict(headers), "file": name}
        with self._lock, open(self.root / MANIFEST, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.count += 1


def load(root: Path | str) -> list[SavedPage]:
    """The pages of a saved folder, in the order they were fetched."""
    root = Path(root)
    out = []
    with open(root / MANIFEST, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            text = (root / d["file"]).read_text(encoding="utf-8") if d.get("file") else None
            out.append(SavedPage(d["url"], d.get("final_url") or d["url"], int(d["status"]),
                                 d.get("fetched_at") or "", dict(d.get("headers") or {}), text))
    return out

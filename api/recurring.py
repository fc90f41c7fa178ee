"""Recurring findings served by the API: groups of near-identical findings across reports.

The groups are computed in batch (``constats recurring``: every finding of the store
embedded, then ``nlp.recurring.find_recurring``) and written to
``{state_dir}/recurring.json``; the API only reads that file (re-read when it changes), so a
request never embeds the whole corpus. Without the file, the API says the groups have not
been computed yet.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nlp.recurring import DEFAULT_THRESHOLD, find_recurring

FILENAME = "recurring.json"


def groups_path(state_dir: Path) -> Path:
    return Path(state_dir) / FILENAME


class RecurringGroups:
    """The groups file of one app, reloaded when its modification time changes."""

    def __init__(self, path: Path):
        self.path = path
        self._stamp: float | None = None
        self._data: dict[str, Any] = {}
        self._elsewhere: dict[str, int] = {}
        self._lock = threading.Lock()

    def _load(self) -> None:
        try:
            stamp = os.stat(self.path).st_mtime
        except FileNotFoundError:
            self._stamp, self._data, self._elsewhere = None, {}, {}
            return
        if stamp == self._stamp:
            return
        with self._lock:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return  # being rewritten: keep the previous version
            self._data, self._stamp = data, stamp
            self._elsewhere = {fid: g["n_reports"] - 1 for g in data.get("groups", [])
                               for fid in g.get("member_ids", [])}

    def available(self) -> bool:
        self._load()
        return bool(self._data)

    def groups(self, limit: int | None = None, *, chamber: str | None = None) -> list[dict]:
        self._load()
        out = self._data.get("groups", [])
        if chamber:
            out = [g for g in out if chamber in (g.get("by_chamber") or {})]
        return out[:limit] if limit else out

    def info(self) -> dict:
        self._load()
        return {k: v for k, v in self._data.items() if k != "groups"}

    def elsewhere(self, finding_id: str) -> int:
        """Number of OTHER reports where a near-identical finding was found (0 if none)."""
        self._load()
        return self._elsewhere.get(finding_id, 0)

    def group_of(self, finding_id: str) -> dict | None:
        self._load()
        return next((g for g in self._data.get("groups", []) if finding_id in g.get("member_ids", [])), None)


def compute(pairs: Iterable[tuple[Any, Any]], embedder, *, threshold: float | None = None,
            batch: int = 256) -> dict:
    """Groups of recurring findings among (finding row, report row) pairs (batch command)."""
    items, texts = [], []
    for f, r in pairs:
        if f.kind in ("synthese",):
            continue
        items.append({"id": f.id, "report_id": f.report_id, "text": f.text,
                      "chamber": r.chamber, "year": r.year})
        texts.append(f.text)
    for start in range(0, len(texts), batch):
        vectors = embedder.embed(texts[start:start + batch])
        for item, vec in zip(items[start:start + batch], vectors):
            item["vector"] = vec
    thr = DEFAULT_THRESHOLD if threshold is None else threshold
    groups = find_recurring(items, thr) if items else []
    return {"computed_at": datetime.now(UTC).isoformat(), "threshold": thr,
            "embedder": getattr(embedder, "name", type(embedder).__name__),
            "findings": len(items), "groups": [g.as_dict() for g in groups]}


def write(path: Path, data: dict) -> None:
    """Write atomically: readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)

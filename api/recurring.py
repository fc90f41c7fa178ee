"""Recurring findings served by the API: groups of near-identical findings across reports.

The groups are computed in batch (``search.recurring.compute``: by the worker after
indexing, or ``constats recurring``) and written to ``{state_dir}/recurring.json``; the API
only reads that file (re-read when it changes), so a request never embeds the whole corpus.
Without the file, the API says the groups have not been computed yet.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from search.recurring import compute, groups_path, write

__all__ = ["RecurringGroups", "compute", "groups_path", "write"]


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

    def groups(self, limit: int | None = None, *, chamber: str | None = None, theme: str | None = None,
               year: str | None = None) -> list[dict]:
        self._load()
        out = self._data.get("groups", [])
        if chamber:
            out = [g for g in out if chamber in (g.get("by_chamber") or {})]
        if theme:
            out = [g for g in out if theme in (g.get("by_theme") or {}) or g.get("theme") == theme]
        if year:
            out = [g for g in out if str(year) in (g.get("by_year") or {})]
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

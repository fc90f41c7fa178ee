"""Computing the groups of recurring findings (the doctrine page and ``GET /api/recurring``).

Every finding of the store (but the synthèse paragraphs) is embedded and grouped by
``nlp.recurring.find_recurring``; the result is written to ``{state_dir}/recurring.json``
atomically. The worker recomputes it after indexing (``worker.derived``), the command line
on demand (``constats recurring``); the API only reads the file (``api.recurring``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nlp.recurring import DEFAULT_THRESHOLD, find_recurring

FILENAME = "recurring.json"


def groups_path(state_dir: Path) -> Path:
    return Path(state_dir) / FILENAME


def compute(pairs: Iterable[tuple[Any, Any]], embedder, *, threshold: float | None = None,
            batch: int = 256) -> dict:
    """Groups of recurring findings among (finding row, report row) pairs."""
    items, texts = [], []
    for f, r in pairs:
        if f.kind in ("synthese",):
            continue
        items.append({"id": f.id, "report_id": f.report_id, "text": f.text,
                      "chamber": r.chamber, "year": r.year, "theme": getattr(f, "primary_theme", None)})
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


def computed_at(path: Path) -> datetime | None:
    """When the groups file was computed (None when absent or unreadable)."""
    try:
        return datetime.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["computed_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None

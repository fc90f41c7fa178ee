"""Where the lab reads and writes: the repository's own folders (the lab runs from a checkout).

The runtime reads its artefacts as package data (``constats.resources``); the lab writes them
here, in ``models/``, from which the wheel packages them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
THEMES_DIR = MODELS / "themes"
CLASSIFIER_PATH = THEMES_DIR / "classifier.joblib"
LABELS_PATH = THEMES_DIR / "labels.jsonl"
LABELS_MORE_PATH = THEMES_DIR / "labels_more.jsonl"
LABELS_MORE2_PATH = THEMES_DIR / "labels_more2.jsonl"
GOLD_DIR = MODELS / "gold"
GOLD_PATH = GOLD_DIR / "extraction.jsonl"
REFERENCE_PATH = MODELS / "reference" / "geo.json.gz"
BIN_DIR = ROOT / ".bin"


def resolve(path: Path) -> Path:
    """A path relative to the repository (settings such as ``corpus_dir`` are written so)."""
    return path if path.is_absolute() else (ROOT / path).resolve()

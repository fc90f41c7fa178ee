"""The store's vector cache: the worker's indexing fills it, a rebuild reads it instead of
embedding again, and the vectors in the index are the embedder's."""

from __future__ import annotations

import numpy as np
import pytest

from constats.domain import Body
from search import settings as S
from search.client import MeiliClient
from search.indexer import embed_texts, embedder_key, index_reports, rebuild, text_hash
from store import repo
from store.db import session_scope
from tests.search_support import HashingEmbedder, add_report, new_store, unique_prefix


class CountingEmbedder(HashingEmbedder):
    """TEST ONLY: the hashing embedder, counting the texts it is asked to embed."""

    def __init__(self, dim: int = 32, version: str = "hashing-test-1"):
        super().__init__(dim)
        self.version = version
        self.texts: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts += list(texts)
        return super().embed(texts)


def test_cache_keeps_the_first_vector_and_finds_them_by_hash(db_url):
    a, b = np.arange(4, dtype="<f4"), np.ones(4, dtype="<f4")
    with session_scope(db_url) as session:
        repo.save_vectors(session, "emb@1", 4, {"h1": a.tobytes()})
    with session_scope(db_url) as session:  # another worker saving the same text keeps the first
        repo.save_vectors(session, "emb@1", 4, {"h1": b.tobytes(), "h2": b.tobytes()})
        repo.save_vectors(session, "emb@2", 4, {"h1": b.tobytes()})
    with session_scope(db_url) as session:
        got = repo.cached_vectors(session, "emb@1", ["h1", "h2", "h3"])
        assert set(got) == {"h1", "h2"}
        assert np.array_equal(np.frombuffer(got["h1"], dtype="<f4"), a)
        assert np.array_equal(np.frombuffer(repo.cached_vectors(session, "emb@2", ["h1"])["h1"], dtype="<f4"), b)
        many = [f"x{i}" for i in range(2000)]  # more than one query's worth of parameters
        repo.save_vectors(session, "emb@1", 4, {h: a.tobytes() for h in many})
        assert len(repo.cached_vectors(session, "emb@1", many + ["h1"])) == 2001


def test_embed_texts_embeds_only_what_the_cache_lacks(tmp_path):
    url = new_store(tmp_path)
    emb = CountingEmbedder()
    texts = ["Le budget annexe de l'eau.", "La dette de la commune.", "Le budget annexe de l'eau."]
    with session_scope(url) as session:
        first = embed_texts(emb, texts, session)
    assert emb.texts == texts[:2]  # a text twice in a batch is embedded once
    assert np.allclose(first, emb.embed(texts))
    emb.texts.clear()
    with session_scope(url) as session:
        again = embed_texts(emb, texts + ["Un texte nouveau."], session)
    assert emb.texts == ["Un texte nouveau."]
    assert np.allclose(again[:3], first)
    other = CountingEmbedder(version="hashing-test-2")  # another version: nothing reused
    with session_scope(url) as session:
        embed_texts(other, texts[:2], session)
    assert other.texts == texts[:2]
    assert embedder_key(other) != embedder_key(emb)


def test_broken_vectors_are_not_cached(tmp_path):
    url = new_store(tmp_path)

    class Broken(CountingEmbedder):
        def embed(self, texts):
            out = super().embed(texts)
            out[0, 0] = float("nan")
            return out

    emb = Broken()
    with session_scope(url) as session:
        embed_texts(emb, ["Un constat.", "Un autre constat."], session)
        cached = repo.cached_vectors(session, embedder_key(emb), [text_hash("Un constat."),
                                                                  text_hash("Un autre constat.")])
    assert list(cached) == [text_hash("Un autre constat.")]


FINDINGS = [
    dict(kind="observation", page=2 + i, text=f"Observation numéro {i} sur la gestion de la trésorerie "
                                              f"et des régies d'avances du service {i}.")
    for i in range(23)
] + [dict(kind="recommandation", number="1", page=30,
          text="Fiabiliser les restes à réaliser inscrits au compte administratif.")]


@pytest.mark.services
def test_rebuild_reads_the_vectors_the_indexing_cached(live_services, tmp_path):
    url = new_store(tmp_path)
    rid = add_report(url, "cache", FINDINGS, title="Commune de Cachette", chamber="CRC Bretagne",
                     body=Body(name="Cachette", kind="commune"))
    prefix = unique_prefix("vc")
    emb = CountingEmbedder()
    client = MeiliClient(live_services.meili_url, live_services.master_key)
    try:
        with session_scope(url) as session:
            assert index_reports(session, client, [rid], emb, prefix).findings_indexed == len(FINDINGS)
        assert len(emb.texts) == len(FINDINGS)
        emb.texts.clear()
        # small batches, several tasks in flight: every finding arrives, none is embedded again
        with session_scope(url) as session:
            summary = rebuild(session, client, emb, prefix, batch_size=5, in_flight=2)
        assert emb.texts == []
        assert summary.findings_indexed == len(FINDINGS) and not summary.skipped
        uid = S.index_names(prefix)["findings"]
        assert client.stats(uid)["numberOfDocuments"] == len(FINDINGS)
        with session_scope(url) as session:
            row = repo.get_report(session, rid).findings[-1]
            doc = client.get_document(uid, row.id, vectors=True)
            expected = HashingEmbedder(32).embed([row.text])[0]
        got = doc["_vectors"]["default"]
        got = got["embeddings"][0] if isinstance(got, dict) else got
        assert np.allclose(np.asarray(got, dtype=np.float32).ravel(), expected, atol=1e-6)
    finally:
        for name in S.index_names(prefix).values():
            client.delete_index(name)
        client.close()

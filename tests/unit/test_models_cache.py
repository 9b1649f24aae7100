"""The embedding cache encodes each (model, text) once, across instances and processes."""

import numpy as np
import pytest

from models.cache import CachedEmbedder, EmbeddingCache, model_key, text_hashes


class CountingEmbedder:
    """Deterministic vectors derived from the text; records what it was asked to encode."""

    def __init__(self, model_version="v1", dimension=8):
        self.model_id = "counting"
        self.model_version = model_version
        self.dimension = dimension
        self.encoded: list[str] = []

    def encode(self, texts, batch_size=64):
        self.encoded += list(texts)
        rng = [np.random.default_rng(abs(hash(t)) % 2**32) for t in texts]
        vectors = np.array([r.standard_normal(self.dimension) for r in rng], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def cache(tmp_path):
    return EmbeddingCache(tmp_path / "embedding_cache")


def test_second_call_is_all_hits_and_returns_identical_vectors(cache):
    embedder = CountingEmbedder()
    cached = CachedEmbedder(embedder, cache)
    first = cached.encode(["ontslag", "pensioen", "cao"])
    second = cached.encode(["cao", "ontslag", "pensioen"])
    assert embedder.encoded == ["ontslag", "pensioen", "cao"]
    assert (cached.hits, cached.misses) == (3, 3)
    np.testing.assert_array_equal(second, first[[2, 0, 1]])


def test_only_misses_are_encoded_and_duplicates_once(cache):
    embedder = CountingEmbedder()
    cached = CachedEmbedder(embedder, cache)
    cached.encode(["a", "b"])
    embedder.encoded.clear()
    result = cached.encode(["b", "c", "c", "a", "d"])
    assert sorted(embedder.encoded) == ["c", "d"]
    np.testing.assert_array_equal(result[1], result[2])
    assert result.dtype == np.float32 and result.shape == (5, 8)


def test_cache_persists_for_a_new_process(tmp_path):
    root = tmp_path / "embedding_cache"
    first = CachedEmbedder(CountingEmbedder(), EmbeddingCache(root))
    vectors = first.encode(["thuiswerkvergoeding", "ziekte"])
    embedder = CountingEmbedder()
    second = CachedEmbedder(embedder, EmbeddingCache(root))
    np.testing.assert_array_equal(second.encode(["thuiswerkvergoeding", "ziekte"]), vectors)
    assert embedder.encoded == []


def test_other_model_version_does_not_reuse_vectors(cache):
    CachedEmbedder(CountingEmbedder("v1"), cache).encode(["contributie"])
    other = CountingEmbedder("v2")
    CachedEmbedder(other, cache).encode(["contributie"])
    assert other.encoded == ["contributie"]


def test_writers_sharing_a_directory_see_each_others_shards_and_compact(tmp_path):
    root = tmp_path / "embedding_cache"
    reader_cache = EmbeddingCache(root)
    reader = CachedEmbedder(CountingEmbedder(), reader_cache)
    reader.encode(["x"])
    CachedEmbedder(CountingEmbedder(), EmbeddingCache(root)).encode(["y", "z"])
    key = model_key("counting", "v1")
    assert reader_cache.count(key) == 3
    reader_cache.compact(key)
    assert len(list((root / key).glob("shard-*.npz"))) == 1
    embedder = CountingEmbedder()
    assert CachedEmbedder(embedder, EmbeddingCache(root)).encode(["x", "y", "z"]).shape == (3, 8)
    assert embedder.encoded == []


def test_lookup_of_ten_thousand_texts_is_vectorised(cache):
    texts = [f"vraag {i}" for i in range(10_000)]
    key = model_key("counting", "v1")
    cache.store(key, text_hashes(texts), np.ones((10_000, 4), dtype=np.float32))
    found, _ = cache.lookup(key, text_hashes([*texts[:5000], "nieuw"]))
    assert found[:5000].all() and not found[5000]


def test_empty_input(cache):
    assert CachedEmbedder(CountingEmbedder(), cache).encode([]).shape == (0, 8)

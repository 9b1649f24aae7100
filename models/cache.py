"""Embedding cache keyed by (model id + version, sha256 of the text).

Vectors live in `.npz` shards per model under `<data_dir>/embedding_cache/`.
Only hashes are stored, never text. Lookups are one vectorised `searchsorted`
over the sorted hashes, so a 10k-text refit costs milliseconds of lookup.
Writers add new shards (unique names, atomic rename), so several processes can
share a cache; `compact()` merges shards.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from models.embedder import Embedder, load_encoder

if TYPE_CHECKING:
    from models.onnx_embedder import OnnxEmbedder

HASH_DTYPE = "S32"
_SHARD_GLOB = "shard-*.npz"


def text_hashes(texts: Sequence[str]) -> np.ndarray:
    return np.array([hashlib.sha256(t.encode("utf-8")).digest() for t in texts], dtype=HASH_DTYPE)


def model_key(model_id: str, model_version: str) -> str:
    return f"{model_id}@{model_version}"


@dataclass
class _Index:
    shards: frozenset[str] = frozenset()
    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=HASH_DTYPE))
    vectors: np.ndarray | None = None

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        all_keys = np.concatenate([self.keys, keys])
        all_vectors = vectors if self.vectors is None else np.concatenate([self.vectors, vectors])
        # Keep the first occurrence of each hash: two processes may have cached the same text.
        all_keys, first = np.unique(all_keys, return_index=True)
        self.keys, self.vectors = all_keys, all_vectors[first]


class EmbeddingCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._indexes: dict[str, _Index] = {}

    def _model_dir(self, key: str) -> Path:
        return self.root / re.sub(r"[^A-Za-z0-9_.@+-]", "_", key)

    def _index(self, key: str) -> _Index:
        """The in-memory index, refreshed when other writers added or merged shards."""
        directory = self._model_dir(key)
        on_disk = frozenset(p.name for p in directory.glob(_SHARD_GLOB))
        index = self._indexes.get(key)
        if index is not None and on_disk <= index.shards:
            return index
        if index is None or not index.shards <= on_disk:
            index = _Index()  # shards were merged away: rebuild from what is there now
        for name in sorted(on_disk - index.shards):
            try:
                with np.load(directory / name) as shard:
                    index.add(shard["keys"], shard["vectors"])
            except FileNotFoundError:
                return self._index(key)  # compacted while we read; start over
        index.shards = on_disk
        self._indexes[key] = index
        return index

    def lookup(self, key: str, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, row positions into `vectors(key)`) for each hash."""
        index = self._index(key)
        if len(index.keys) == 0:
            return np.zeros(len(hashes), dtype=bool), np.zeros(len(hashes), dtype=np.int64)
        positions = np.searchsorted(index.keys, hashes).clip(max=len(index.keys) - 1)
        return index.keys[positions] == hashes, positions

    def vectors(self, key: str) -> np.ndarray:
        """All cached vectors of one model, rows aligned with `lookup` positions."""
        vectors = self._index(key).vectors
        return vectors if vectors is not None else np.zeros((0, 0), np.float32)

    def count(self, key: str) -> int:
        return len(self._index(key).keys)

    def store(self, key: str, hashes: np.ndarray, vectors: np.ndarray) -> None:
        if len(hashes) == 0:
            return
        directory = self._model_dir(key)
        directory.mkdir(parents=True, exist_ok=True)
        name = f"shard-{uuid.uuid4().hex}.npz"
        partial = directory / f".{name}.partial"
        with partial.open("wb") as handle:
            np.savez(handle, keys=hashes.astype(HASH_DTYPE), vectors=vectors.astype(np.float32))
        os.replace(partial, directory / name)
        index = self._index(key)
        index.add(hashes.astype(HASH_DTYPE), vectors.astype(np.float32))
        index.shards = index.shards | {name}

    def compact(self, key: str) -> None:
        """Merge all shards of one model into one."""
        index = self._index(key)
        old = index.shards
        if len(old) <= 1:
            return
        directory = self._model_dir(key)
        name = f"shard-{uuid.uuid4().hex}.npz"
        partial = directory / f".{name}.partial"
        with partial.open("wb") as handle:
            np.savez(handle, keys=index.keys, vectors=index.vectors)
        os.replace(partial, directory / name)
        for stale in old:
            (directory / stale).unlink(missing_ok=True)
        index.shards = frozenset({name})


class CachedEmbedder:
    """An Embedder that only encodes texts it has not embedded before with this model."""

    def __init__(self, embedder: Embedder | OnnxEmbedder, cache: EmbeddingCache) -> None:
        self.embedder = embedder
        self.cache = cache
        self.key = model_key(embedder.model_id, embedder.model_version)
        self.hits = 0
        self.misses = 0

    @classmethod
    def load(
        cls,
        name_or_path: str,
        device: str | None = None,
        variant: str = "fp32",
        backend: str = "torch",
        *,
        models_dir: Path,
        cache_root: Path,
    ) -> CachedEmbedder:
        """`load_encoder(...)` with its vectors cached under `cache_root`."""
        embedder = load_encoder(name_or_path, backend, variant, device, models_dir=models_dir)
        return cls(embedder, EmbeddingCache(cache_root))

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    @property
    def model_version(self) -> str:
        return self.embedder.model_version

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        texts = list(texts)
        hashes = text_hashes(texts)
        found, positions = self.cache.lookup(self.key, hashes)
        result = np.empty((len(texts), self.embedder.dimension), dtype=np.float32)
        if found.any():
            result[found] = self.cache.vectors(self.key)[positions[found]]
        missing = np.flatnonzero(~found)
        if len(missing):
            # Encode each distinct missing text once, however often it repeats.
            unique_hashes, first, inverse = np.unique(
                hashes[missing], return_index=True, return_inverse=True
            )
            fresh = self.embedder.encode([texts[missing[i]] for i in first], batch_size=batch_size)
            self.cache.store(self.key, unique_hashes, fresh)
            result[missing] = fresh[inverse.reshape(-1)]
        self.hits += int(found.sum())
        self.misses += len(missing)
        return result

"""Embeddings for theme discovery through the shared, disk-cached embedder in `models/`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def embed_texts(texts: Sequence[str], model_name: str) -> np.ndarray:
    """L2-normalised float32 embeddings; texts embedded before with this model come from cache."""
    from models.cache import CachedEmbedder

    return CachedEmbedder.load(model_name).encode(list(texts))

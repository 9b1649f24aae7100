"""Embeddings for theme discovery through the shared, disk-cached embedder in `models/`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def embed_texts(
    texts: Sequence[str], model_name: str, backend: str = "torch", variant: str = "fp32"
) -> np.ndarray:
    """L2-normalised float32 embeddings; texts embedded before with this model come from cache."""
    from models.cache import CachedEmbedder

    encoder = CachedEmbedder.load(model_name, variant=variant, backend=backend)
    return encoder.encode(list(texts))

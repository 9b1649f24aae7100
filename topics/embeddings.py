"""Embeddings for theme discovery through the shared, disk-cached embedder in `models/`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


def embed_texts(
    texts: Sequence[str],
    model_name: str,
    backend: str = "torch",
    variant: str = "fp32",
    *,
    models_dir: Path,
    cache_root: Path,
) -> np.ndarray:
    """L2-normalised float32 embeddings; texts embedded before with this model come from the
    cache under `cache_root`.

    An ensemble name (`a+b`, `models.ensemble`) gives each model's rows side by side, each
    model cached on its own."""
    from models.cache import CachedEmbedder
    from models.ensemble import member_names

    members = member_names(model_name)
    if len(members) > 1:
        return np.hstack(
            [
                embed_texts(
                    texts, m, backend, variant, models_dir=models_dir, cache_root=cache_root
                )
                for m in members
            ]
        )

    encoder = CachedEmbedder.load(
        model_name, variant=variant, backend=backend, models_dir=models_dir, cache_root=cache_root
    )
    return encoder.encode(list(texts))

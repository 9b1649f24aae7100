"""Several sentence encoders side by side, used as one.

Each model's unit vector is one block of the output. Theme discovery centres and normalises
every block on its own (`topics.model.centred`), so each model weighs equally and a
cosine between two contacts is the mean of the models' cosines. The multilingual e5 model
carries meaning across paraphrases, MiniLM's English word pieces carry the words themselves;
together they separate themes better than either alone (docs/themes.md).

    >>> from models.embedder import load_encoder
    >>> both = load_encoder("multilingual-e5-small+minilm", backend="onnx", variant="int8")  # doctest: +SKIP
    >>> both.encode(["Krijg ik thuiswerkvergoeding?"]).shape  # doctest: +SKIP
    (1, 768)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from models.encoder import TextEncoder

SEPARATOR = "+"


def member_names(name: str) -> list[str]:
    """The models of an ensemble name such as `multilingual-e5-small+minilm` (one for a plain name)."""
    return [part.strip() for part in name.split(SEPARATOR)]


def block_count(model_name: str) -> int:
    """How many models' blocks make up vectors labelled `model_id@version` (or a plain name)."""
    return model_name.split("@", 1)[0].count(SEPARATOR) + 1


class EnsembleEncoder:
    def __init__(self, encoders: Sequence[TextEncoder]) -> None:
        if len(encoders) < 2:
            raise ValueError("an ensemble needs at least two encoders")
        self.encoders = list(encoders)
        self.model_id = SEPARATOR.join(e.model_id for e in self.encoders)
        self.model_version = SEPARATOR.join(e.model_version for e in self.encoders)

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """(len(texts), sum of the models' dimensions) float32: each model's unit rows, side by side."""
        texts = list(texts)
        blocks = [
            np.asarray(e.encode(texts, batch_size=batch_size), np.float32) for e in self.encoders
        ]
        dimensions = {block.shape[1] for block in blocks}
        if len(dimensions) > 1:
            # Stored vectors carry only the model name; equal blocks let it say where each begins.
            raise ValueError(f"ensemble members must share a dimension, got {sorted(dimensions)}")
        return np.hstack(blocks)

"""What every encoder shares: the `TextEncoder` protocol, and what a weights directory says
about itself (its version and its prompt).

Kept apart from `models.embedder` (torch) and `models.onnx_export` so that neither needs
the other: the ONNX export and the torch embedder version the same weights alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from models.provision import read_provenance, sha256_file

_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


class TextEncoder(Protocol):
    """Texts to unit-length float32 rows; `model_id@model_version` names the vectors."""

    model_id: str
    model_version: str

    def encode(self, texts: Sequence[str], batch_size: int = ...) -> np.ndarray: ...


def weights_version(directory: Path) -> str:
    """Short content hash of the weights (from provenance.json when recorded at provisioning)."""
    provenance = read_provenance(directory)
    if provenance and "weights_sha256" in provenance:
        return provenance["weights_sha256"][:12]
    for name in _WEIGHT_FILES:
        if (directory / name).is_file():
            return sha256_file(directory / name)[:12]
    raise FileNotFoundError(f"no weights ({' or '.join(_WEIGHT_FILES)}) in {directory}")


def prompt_for_directory(directory: Path) -> str:
    """The text prepended to every input: the model's configured default prompt."""
    config_file = directory / "config_sentence_transformers.json"
    config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.is_file() else {}
    configured = config.get("prompts", {}).get(config.get("default_prompt_name") or "", "")
    if configured:
        return configured
    # e5 checkpoints copied straight from the hub carry no prompt config, yet were
    # trained with "query: "/"passage: " and degrade without them.
    return "query: " if "-e5-" in f"-{directory.name.lower()}-" else ""

"""The encoder that discovers facets at a refit when it is not the stream's (docs/models.md,
"Roles: who discovers, who assigns").

The setting is checked when the sink or a backfill starts: a model that is named but not
provisioned (or, for the onnx backend, not exported) stops the start with what to do, rather
than failing a refit weeks into the stream or exporting for minutes in the middle of it. No
silent fallback to the stream's encoder: whoever opted in expects the other encoder's facets.
The model is loaded for a refit's embedding and let go afterwards (EmbeddingGemma holds about
a gigabyte, and a refit comes once every four weeks). Its vectors are cached on disk per
model version and text (`models.cache`), so a later refit embeds only contacts it has not
seen before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from models.cache import CachedEmbedder, EmbeddingCache
from models.encoder import TextEncoder
from models.encoder_config import split_prompt_name
from models.ensemble import member_names
from models.registry import canonical_name, resolve

SETTING = "LEDENRADAR_DISCOVERY_MODEL"


class DiscoveryModelUnavailable(RuntimeError):
    """The discovery model named in the settings cannot be used; the message says what to do."""


class CachedDiscoveryEncoder:
    """A `TextEncoder` loaded for each `encode` and released after it, its vectors cached."""

    def __init__(
        self, load: Callable[[], TextEncoder], cache_root: Path, batch_size: int = 16
    ) -> None:
        self._load = load
        self._cache_root = cache_root
        self._batch_size = batch_size
        self._identity: tuple[str, str] | None = None
        self.encoded = 0  # texts the model itself encoded (not found in the cache)

    @property
    def model_id(self) -> str:
        return self._identify()[0]

    @property
    def model_version(self) -> str:
        return self._identify()[1]

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        encoder = CachedEmbedder(self._load(), EmbeddingCache(self._cache_root))
        self._identity = (encoder.model_id, encoder.model_version)
        vectors = encoder.encode(list(texts), batch_size=batch_size or self._batch_size)
        self.encoded += encoder.misses
        return vectors

    def _identify(self) -> tuple[str, str]:
        if self._identity is None:
            encoder = self._load()
            self._identity = (encoder.model_id, encoder.model_version)
        return self._identity


def discovery_encoder(
    name: str,
    stream_model: str,
    *,
    backend: str,
    variant: str,
    threads: int | None,
    models_dir: Path,
    cache_root: Path,
    batch_size: int = 16,
) -> CachedDiscoveryEncoder | None:
    """The refit's discovery encoder named `name` (a model name as `LEDENRADAR_EMBEDDING_MODEL`
    takes it), run with the stream's backend and variant; None when `name` is empty or names
    the stream's own encoder `stream_model` (the window's vectors serve then). Raises
    `DiscoveryModelUnavailable` now when the model could not be loaded at a refit."""
    name = name.strip()
    if not name or _same_model(name, stream_model):
        return None
    for member in member_names(name):
        _check_available(member, backend, variant, models_dir)

    def load() -> TextEncoder:
        from models.embedder import load_encoder

        return load_encoder(name, backend, variant, threads=threads, models_dir=models_dir)

    return CachedDiscoveryEncoder(load, cache_root, batch_size)


def _same_model(name: str, stream_model: str) -> bool:
    def key(model: str) -> tuple[str | None, ...]:
        parts = [split_prompt_name(m) for m in member_names(model)]
        return tuple(x for base, prompt in parts for x in (canonical_name(base) or base, prompt))

    return key(name) == key(stream_model)


def _check_available(name: str, backend: str, variant: str, models_dir: Path) -> None:
    base, _ = split_prompt_name(name)
    try:
        model_id, source = resolve(base, models_dir)
    except (FileNotFoundError, ValueError) as error:
        raise DiscoveryModelUnavailable(
            f"{SETTING}={name}: {error}; or leave {SETTING} empty to discover themes with the "
            "stream's encoder"
        ) from error
    if backend != "onnx":
        return
    from models.onnx_files import onnx_model

    exported = onnx_model(model_id, source, models_dir)
    if not exported.is_valid() or not exported.path(variant).is_file():
        raise DiscoveryModelUnavailable(
            f"{SETTING}={name}: the model has no ONNX export in {exported.directory}: run "
            f"`ledenradar models onnx {model_id}` once (EmbeddingGemma: about 9 minutes and "
            f"6 GB of memory), or leave {SETTING} empty to discover themes with the stream's "
            "encoder"
        )

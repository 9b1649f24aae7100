"""The stream's encoder: an exported sentence-transformers model in ONNX Runtime.

Same contract as `models.embedder.Embedder` (unit-length float32 rows, long texts
embedded window by window, `model_id`/`model_version` on every vector), but it imports
neither torch nor transformers: a worker holds the tokenizer, the graph and its weights,
about a third of the memory of the torch path (docs/performance.md).

    >>> encoder = OnnxEmbedder.load("multilingual-e5-small", models_dir=models_dir)  # doctest: +SKIP
    >>> encoder.encode(["Mijn werkgever betaalt de thuiswerkvergoeding niet"]).shape
    (1, 384)
"""

from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.onnx_export import export
from models.onnx_files import FILES, OnnxModel, onnx_model
from models.registry import resolve

log = logging.getLogger(__name__)


def session_options(threads: int | None) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    # Idle intra-op threads that spin steal the cores the broker and the sink need on a
    # small machine (the same effect as OMP_WAIT_POLICY for torch, docs/performance.md).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Every batch has a different shape, so planned memory patterns never get reused.
    options.enable_mem_pattern = False
    return options


@dataclass
class OnnxEmbedder:
    model_id: str
    model_version: str
    dimension: int
    directory: Path
    prompt: str
    max_seq_length: int
    _session: Any
    _tokenizer: Any
    _cls_id: int
    _sep_id: int
    device: str = "cpu"

    @classmethod
    def load(
        cls,
        name_or_path: str,
        variant: str = "int8",
        threads: int | None = None,
        *,
        models_dir: Path,
    ) -> OnnxEmbedder:
        """Load the ONNX export of a registered model or local directory. A model not yet
        exported (only e5 is, by `make setup`) is exported first, once, in a child process,
        so torch never enters the caller's memory."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from models.encoder_config import choose_prompt, prompt_version_tag, split_prompt_name

        base_name, prompt_name = split_prompt_name(name_or_path)
        model_id, source = resolve(base_name, models_dir)
        prompt = choose_prompt(model_id, source, prompt_name)
        exported = onnx_model(model_id, source, models_dir)
        graph = exported.path(variant)
        if not exported.is_valid():
            export_in_child(model_id, source, models_dir)
        config = json.loads((exported.directory / "encoder.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(exported.directory / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        specials = json.loads(
            (exported.directory / "special_tokens_map.json").read_text(encoding="utf-8")
        )
        session = ort.InferenceSession(
            str(graph), session_options(threads), providers=["CPUExecutionProvider"]
        )
        return cls(
            model_id=model_id,
            model_version=version_of(exported, variant) + prompt_version_tag(prompt, source),
            dimension=config["dimension"],
            directory=exported.directory,
            prompt=prompt,
            max_seq_length=config["max_seq_length"],
            _session=session,
            _tokenizer=tokenizer,
            _cls_id=_token_id(tokenizer, specials["cls_token"]),
            _sep_id=_token_id(tokenizer, specials["sep_token"]),
        )

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """(len(texts), dimension) float32, unit rows. Texts are sorted by length and run in
        batches of `batch_size`, each padded only to its own longest text."""
        texts = list(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return vectors
        width = self.max_seq_length - 2  # room for the two special tokens
        encodings = self._tokenizer.encode_batch(
            [self.prompt + text for text in texts], add_special_tokens=False
        )
        token_ids = [encoding.ids for encoding in encodings]
        short = sorted(
            (i for i, ids in enumerate(token_ids) if len(ids) <= width),
            key=lambda i: len(token_ids[i]),
        )
        for start in range(0, len(short), batch_size):
            rows = short[start : start + batch_size]
            vectors[rows] = self._pooled([token_ids[i] for i in rows])
        for i, ids in enumerate(token_ids):
            if len(ids) > width:
                vectors[i] = self._encode_long(ids, width)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)

    def _pooled(self, sequences: list[list[int]]) -> np.ndarray:
        """Mean-pooled hidden states of `sequences`, each wrapped in its special tokens."""
        length = max(len(ids) for ids in sequences) + 2
        input_ids = np.zeros((len(sequences), length), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, ids in enumerate(sequences):
            input_ids[row, : len(ids) + 2] = [self._cls_id, *ids, self._sep_id]
            mask[row, : len(ids) + 2] = 1
        return self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]

    def _encode_long(self, token_ids: list[int], width: int) -> np.ndarray:
        """Windows of `width` tokens, each pooled on its own, averaged by token count (as
        `Embedder._encode_long`), so a long transcript is not cut off after ~400 words."""
        windows = [token_ids[start : start + width] for start in range(0, len(token_ids), width)]
        pooled = self._pooled(windows).astype(np.float64)
        total = (pooled * np.array([len(w) for w in windows])[:, None]).sum(axis=0)
        return (total / np.linalg.norm(total)).astype(np.float32)


def export_in_child(model_id: str, source: Path, models_dir: Path) -> None:
    log.warning("exporting %s to ONNX (once; takes about a minute)", model_id)
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        pool.apply(export, (model_id, source, models_dir))


def version_of(exported: OnnxModel, variant: str) -> str:
    """fp32 in ONNX computes what the torch fp32 model computes (cosine > 0.9999), so it
    shares its version; int8 is a different function and is versioned apart."""
    if variant not in FILES:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(FILES)}")
    return exported.weights_version + ("" if variant == "fp32" else "-onnx-int8")


def _token_id(tokenizer: Any, token: str) -> int:
    token_id = tokenizer.token_to_id(token)
    if token_id is None:
        raise ValueError(f"special token {token!r} is not in the tokenizer")
    return token_id

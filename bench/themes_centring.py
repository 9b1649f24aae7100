"""Does centring embeddings fix e5's collapse on simulator texts? `python bench/themes_centring.py MODEL N`."""

import sys
import time

import numpy as np

from models.cache import CachedEmbedder
from pipeline.content import member_words
from pipeline.settings import Settings
from pipeline.simulator.labelled import labelled_texts
from topics.discovery import DiscoveryConfig, ThemeDiscovery
from topics.metrics import score_clustering

model = sys.argv[1]
n = int(sys.argv[2])
texts, labels = labelled_texts("baseline", limit=n)
words = [member_words(t) for t in texts]
enc = CachedEmbedder.load(model, settings=Settings.load(data_dir="/tmp/centre_data"))
t = time.time()
raw = enc.encode(words)
print("embed", round(time.time() - t), "s", flush=True)


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


for name, vecs in (("raw", raw), ("centred", unit(raw - raw.mean(0)))):
    t = time.time()
    res = ThemeDiscovery(DiscoveryConfig(seed=42)).fit(words, vecs)
    print(
        model,
        name,
        score_clustering(labels, res.assignments),
        round(time.time() - t),
        "s",
        flush=True,
    )

"""Facet names of a demo run renamed afresh by this checkout's rule, and scored.

Reads a warehouse's facets (contacts since a day, their redacted words, subject lines and
vectors), names every facet again with `topics.subject_names.facet_labels` (with the
stream's encoder for the closeness rerank) and scores the names as `ledenradar evaluate
stream` does: a facet is named when a word of its name matches its majority subject's
vocabulary, situations included. Run it in two checkouts over one warehouse to compare two
naming rules on the same facets:

    PYTHONPATH=. .venv/bin/python bench/bench_facet_names.py data/demo/ledenradar.duckdb \\
        E.truth.jsonl [--since 2026-10-01]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np

from pipeline.content import member_words
from pipeline.settings import Settings
from topics.cli import phrase_encoder
from topics.model import centred
from topics.naming_check import named_shares, simulator_vocabularies
from topics.stream_eval import OFF_TOPIC, read_truth
from topics.subject_names import facet_labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--since", default="2026-10-01")
    args = parser.parse_args()
    con = duckdb.connect(str(args.warehouse), read_only=True)
    rows = con.execute(
        """SELECT s.event_id, s.text, s.subject, f.facet_id, tf.theme_id, t.name, s.embedding
           FROM staging.contact_texts s JOIN core.contact_facets f USING (event_id)
           JOIN core.theme_facets tf ON tf.facet_id = f.facet_id
           JOIN core.themes t ON t.theme_id = tf.theme_id
           WHERE s.occurred_at >= ?::DATE ORDER BY s.event_id""",
        [args.since],
    ).fetchall()
    facets = sorted({row[3] for row in rows})
    themes = sorted({row[4] for row in rows})
    facet_of = np.array([facets.index(row[3]) for row in rows])
    theme_of_facet = {row[3]: row[4] for row in rows}
    facet_theme = np.array([themes.index(theme_of_facet[f]) for f in facets])
    theme_names = [next(row[5] for row in rows if row[4] == theme) for theme in themes]
    vectors = np.asarray([row[6] for row in rows], dtype=np.float32)
    center = vectors.mean(axis=0)
    spaced = centred(vectors, center)
    centroids = np.stack([spaced[facet_of == i].mean(axis=0) for i in range(len(facets))])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    settings = Settings.load()
    encode = phrase_encoder(
        settings.embedding_model,
        settings.embedding_backend,
        settings.embedding_variant,
        settings.models_dir,
    )
    labels = facet_labels(
        [member_words(row[1]) for row in rows],
        facet_of,
        facet_theme,
        theme_names,
        subjects=[row[2] for row in rows],
        centroids=centroids,
        embed=lambda phrases: centred(encode(phrases), center),
    )
    truth = read_truth(args.truth)
    subjects: dict[int, Counter[str]] = {}
    for row, facet in zip(rows, facet_of, strict=True):
        if row[0] in truth:
            subjects.setdefault(int(facet), Counter())[truth[row[0]] or OFF_TOPIC] += 1
    named, contacts = named_shares(
        [labels[f] for f in subjects],
        [sum(c.values()) for c in subjects.values()],
        [c.most_common(1)[0][0] for c in subjects.values()],
        simulator_vocabularies(variations=True),
    )
    print(f"facets named {named:.3f}, their contacts {contacts:.3f} ({len(subjects)} facets)")
    for theme, name in enumerate(theme_names):
        members = sorted(np.flatnonzero(facet_theme == theme), key=lambda f: -(facet_of == f).sum())
        if len(members) > 1:
            print(
                f"  {name}: " + ", ".join(f"{labels[f]} {(facet_of == f).sum()}" for f in members)
            )


if __name__ == "__main__":
    main()

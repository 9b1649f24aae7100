"""Stable theme identities across refits, and the lineage that explains changes.

A refit produces clusters without names. `match_themes` pairs them with the previous
themes by a blend of centroid cosine and key-phrase Jaccard, solved as an optimal
one-to-one assignment (Hungarian). Centroids made by another encoder (the stream's encoder
changed) cannot be compared with the new ones; then the themes' words (`word_similarity`,
c-TF-IDF profiles of their members) take the cosine's place. Pairs above `match_threshold` continue the old id.
What is left over is explained: a new cluster close to an old theme that already
continued is a split off it; an old theme close to a new cluster that already took
another id merged into it; everything else is born or died. Pinned themes get a
lower threshold and win ties, so they keep their id unless nothing resembles them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.optimize import linear_sum_assignment

from topics.representation import phrase_analyzer, stopwords_for

LineageKind = Literal["continued", "born", "died", "split", "merged", "dormant"]


@dataclass(frozen=True)
class LineageEvent:
    """One step in a theme's history; `dormant` is a pinned theme with no match this refit."""

    kind: LineageKind
    from_ids: tuple[str, ...]
    to_ids: tuple[str, ...]
    similarity: float | None = None

    def as_record(self, refit_id: str) -> dict[str, Any]:
        return {
            "refit_id": refit_id,
            "kind": self.kind,
            "from_ids": list(self.from_ids),
            "to_ids": list(self.to_ids),
            "similarity": self.similarity,
        }


@dataclass(frozen=True)
class ThemeMatch:
    ids: list[str]  # id for each new cluster, in the order given
    events: list[LineageEvent] = field(default_factory=list)

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for event in self.events:
            counts[event.kind] = counts.get(event.kind, 0) + 1
        return counts


# How much pinning, or making up a whole cluster, weighs in a contest for one cluster.
CONTEST_BONUS = 0.1


def jaccard_matrix(a: Sequence[Iterable[str]], b: Sequence[Iterable[str]]) -> np.ndarray:
    sets_a = [{p.casefold() for p in phrases} for phrases in a]
    sets_b = [{p.casefold() for p in phrases} for phrases in b]
    out = np.zeros((len(sets_a), len(sets_b)))
    for i, sa in enumerate(sets_a):
        for j, sb in enumerate(sets_b):
            union = len(sa | sb)
            out[i, j] = len(sa & sb) / union if union else 0.0
    return out


def similarity_matrix(
    previous_centroids: np.ndarray,
    previous_keyphrases: Sequence[Iterable[str]],
    new_centroids: np.ndarray,
    new_keyphrases: Sequence[Iterable[str]],
    centroid_weight: float = 0.7,
) -> np.ndarray:
    """Blend of centroid cosine and key-phrase Jaccard, previous × new."""
    cosine = _normalise(previous_centroids) @ _normalise(new_centroids).T
    jaccard = jaccard_matrix(previous_keyphrases, new_keyphrases)
    return centroid_weight * cosine + (1 - centroid_weight) * jaccard


def word_similarity(previous_documents: Sequence[str], new_documents: Sequence[str]) -> np.ndarray:
    """Cosine of the themes' c-TF-IDF word profiles, previous × new; each document is one
    theme's member texts joined. Needs no vectors, so it compares themes across encoders."""
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    documents = [*previous_documents, *new_documents]
    vectorizer = CountVectorizer(analyzer=phrase_analyzer(stopwords_for("nl")))
    try:
        counts = vectorizer.fit_transform(documents)
    except ValueError:  # not one word that is not a stopword
        return np.zeros((len(previous_documents), len(new_documents)))
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts).toarray()
    profiles = _normalise(weights)
    n = len(previous_documents)
    return profiles[:n] @ profiles[n:].T


def sequential_ids(start: int) -> Callable[[], str]:
    counter = iter(range(start, 10**9))
    return lambda: f"T{next(counter):04d}"


def match_themes(
    previous_centroids: np.ndarray,
    previous_keyphrases: Sequence[Iterable[str]],
    previous_ids: Sequence[str],
    new_centroids: np.ndarray,
    new_keyphrases: Sequence[Iterable[str]],
    *,
    new_id: Callable[[], str] | None = None,
    pinned: Iterable[str] = (),
    match_threshold: float = 0.6,
    pinned_threshold: float = 0.45,
    relation_threshold: float = 0.5,
    centroid_weight: float = 0.7,
    overlap: np.ndarray | None = None,
    share: np.ndarray | None = None,
    words: np.ndarray | None = None,
) -> ThemeMatch:
    """Give every new cluster an id and explain what happened to every previous theme.

    `new_id` hands out fresh ids for born and split-off themes; pass the taxonomy's
    `id_allocator()` so retired ids are never reused (default: continue the highest
    previous `Tnnnn` number). `relation_threshold` decides whether a leftover is related
    to a matched theme (split/merge) or unrelated (born/died). `overlap` (previous × new,
    `member_overlap`) counts as a similarity too: a cluster that holds most of a theme's
    contacts continues it even where the centroids drifted apart, as they do for a theme
    born between refits from a few days of contacts and then refitted on many. `share`
    (previous × new, `cluster_share`) steers a contest for one cluster, as pinning does, to
    the theme that makes up most of it: when two themes are joined, both hold all their
    contacts in the joined cluster, and the larger one continues (in a demo run a small
    curated theme won that tie and gave its name, "Corona op het werk", to a cluster of
    holidays, overtime and rosters). `words`
    (previous × new, `word_similarity`) says the centroids are not comparable (another
    encoder made the previous ones) and takes the centroid cosine's place in the blend;
    centroids of different sizes without `words` leave the key phrases alone to compare.
    """
    previous_ids = list(previous_ids)
    if len(set(previous_ids)) != len(previous_ids):
        raise ValueError("previous_ids must be unique")
    if new_id is None:
        numbers = [int(i[1:]) for i in previous_ids if i[:1] == "T" and i[1:].isdigit()]
        new_id = sequential_ids(max(numbers, default=0) + 1)
    pinned_set = set(pinned)
    n_prev, n_new = len(previous_ids), len(new_centroids)
    if n_prev == 0 or n_new == 0:
        sim = np.zeros((n_prev, n_new))
    elif words is None and np.shape(previous_centroids)[1] == np.shape(new_centroids)[1]:
        sim = similarity_matrix(
            previous_centroids, previous_keyphrases, new_centroids, new_keyphrases, centroid_weight
        )
    else:
        jaccard = jaccard_matrix(previous_keyphrases, new_keyphrases)
        sim = (
            jaccard if words is None else centroid_weight * words + (1 - centroid_weight) * jaccard
        )
    if overlap is not None and n_prev and n_new:
        sim = np.maximum(sim, overlap)
    is_pinned = np.array([i in pinned_set for i in previous_ids], dtype=bool)
    thresholds = np.where(is_pinned, pinned_threshold, match_threshold)

    # Pinned themes, and themes that make up more of the cluster, win a close contest for
    # the same cluster; the bonus only steers the assignment, acceptance is judged on the
    # true similarity.
    steer = CONTEST_BONUS * is_pinned[:, None]
    if share is not None and n_prev and n_new:
        steer = steer + CONTEST_BONUS * share
    rows, cols = linear_sum_assignment(-(sim + steer))
    ids: list[str | None] = [None] * n_new
    matched_prev: dict[int, int] = {}
    for r, c in zip(rows, cols, strict=True):
        if sim[r, c] >= thresholds[r]:
            ids[c] = previous_ids[r]
            matched_prev[r] = c
    events = [
        LineageEvent("continued", (previous_ids[r],), (previous_ids[r],), float(sim[r, c]))
        for r, c in sorted(matched_prev.items())
    ]

    splits: dict[int, list[int]] = {}
    for c in range(n_new):
        if ids[c] is not None:
            continue
        ids[c] = new_id()
        parent = int(np.argmax(sim[:, c])) if n_prev else -1
        if parent >= 0 and parent in matched_prev and sim[parent, c] >= relation_threshold:
            splits.setdefault(parent, []).append(c)
        else:
            best = float(sim[parent, c]) if parent >= 0 else None
            events.append(LineageEvent("born", (), (ids[c],), best))
    for parent, children in splits.items():
        to = (previous_ids[parent], *(ids[c] for c in children))
        events.append(
            LineageEvent("split", (previous_ids[parent],), to, float(sim[parent, children].min()))
        )

    merges: dict[int, list[int]] = {}
    for r in range(n_prev):
        if r in matched_prev:
            continue
        target = int(np.argmax(sim[r])) if n_new else -1
        if target >= 0 and ids[target] in previous_ids and sim[r, target] >= relation_threshold:
            merges.setdefault(target, []).append(r)
        elif is_pinned[r]:
            events.append(LineageEvent("dormant", (previous_ids[r],), ()))
        else:
            events.append(LineageEvent("died", (previous_ids[r],), ()))
    for target, absorbed in merges.items():
        survivor = ids[target]
        assert survivor is not None
        from_ids = (survivor, *(previous_ids[r] for r in absorbed))
        events.append(
            LineageEvent("merged", from_ids, (survivor,), float(sim[absorbed, target].min()))
        )
    return ThemeMatch(ids=[i for i in ids if i is not None], events=events)


def merged_into(events: Iterable[LineageEvent]) -> dict[str, str]:
    """Each theme the lineage shows merged into another → the theme it went into."""
    return {
        source: event.to_ids[0]
        for event in events
        if event.kind == "merged"
        for source in event.from_ids
        if source != event.to_ids[0]
    }


def member_overlap(
    previous_themes: Sequence[str | None],
    assignments: np.ndarray,
    previous_ids: Sequence[str],
    n_new: int,
) -> np.ndarray:
    """[previous theme, new cluster]: the share of each previous theme's contacts (their
    theme before the refit, aligned with `assignments`) that the new clustering put in each
    new cluster. Rows of themes with no contacts in the window are zero."""
    counts, totals = _theme_cluster_counts(previous_themes, assignments, previous_ids, n_new)
    return counts / np.maximum(totals, 1.0)[:, None]


def cluster_share(
    previous_themes: Sequence[str | None],
    assignments: np.ndarray,
    previous_ids: Sequence[str],
    n_new: int,
) -> np.ndarray:
    """[previous theme, new cluster]: the share of each new cluster's contacts that were in
    each previous theme before the refit (`member_overlap` the other way round)."""
    counts, _ = _theme_cluster_counts(previous_themes, assignments, previous_ids, n_new)
    assigned = np.asarray(assignments)
    sizes = np.bincount(assigned[assigned >= 0], minlength=n_new)[:n_new]
    return counts / np.maximum(sizes, 1)[None, :]


def _theme_cluster_counts(
    previous_themes: Sequence[str | None],
    assignments: np.ndarray,
    previous_ids: Sequence[str],
    n_new: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Contacts per (previous theme, new cluster), and per previous theme in the window."""
    row = {theme_id: r for r, theme_id in enumerate(previous_ids)}
    counts = np.zeros((len(previous_ids), n_new))
    totals = np.zeros(len(previous_ids))
    for theme_id, cluster in zip(previous_themes, assignments, strict=True):
        r = row.get(theme_id) if theme_id is not None else None
        if r is None:
            continue
        totals[r] += 1
        if cluster >= 0:
            counts[r, cluster] += 1
    return counts, totals


def id_stability(ids_before: Sequence[str | None], ids_after: Sequence[str | None]) -> float:
    """Share of contacts themed in both fits that kept the same theme id."""
    pairs = [
        (a, b)
        for a, b in zip(ids_before, ids_after, strict=True)
        if a is not None and b is not None
    ]
    if not pairs:
        return 0.0
    return sum(a == b for a, b in pairs) / len(pairs)


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)

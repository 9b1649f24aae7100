"""Online theme assignment between refits, and the birth of new themes from the leftovers.

Each new contact goes to its nearest theme centroid if it is similar enough, else to
"nog onbekend". Unthemed contacts wait in a bounded buffer; `propose_new_themes` runs a
small density clustering (HDBSCAN) over them and proposes candidate themes with a
centroid and key phrases, so a brand-new theme can appear without a full refit. A group whose
key phrases name no subject (greetings, thanks and goodbyes only) is not proposed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from topics.representation import class_tfidf_keyphrases, meaningful_keyphrases
from topics.subject_names import subject_labels

UNKNOWN_LABEL = "nog onbekend"


@dataclass(frozen=True)
class Assignment:
    theme_id: str | None  # None: no theme is close enough ("nog onbekend")
    similarity: float  # cosine to the nearest theme (or facet) centroid
    facet_id: str | None = None  # the nearest facet, when the model has facets

    @property
    def label(self) -> str:
        return self.theme_id or UNKNOWN_LABEL


class ThemeAssigner:
    """Nearest-centroid assignment with a similarity floor.

    With `facets`, the centroids are facet centroids: a contact goes to its nearest facet and
    is reported with that facet's theme (`ids[i]` is facet i's theme, so themes repeat).
    `floors`, when set, is a floor per centroid used instead of `threshold`.
    """

    def __init__(
        self,
        centroids: np.ndarray,
        ids: Sequence[str],
        threshold: float,
        facets: Sequence[str] | None = None,
        floors: Sequence[float] | None = None,
    ) -> None:
        if len(centroids) != len(ids):
            raise ValueError(f"{len(centroids)} centroids but {len(ids)} ids")
        keys = ids if facets is None else facets
        if facets is not None and len(facets) != len(ids):
            raise ValueError(f"{len(facets)} facets but {len(ids)} themes")
        if len(set(keys)) != len(keys):
            raise ValueError(
                "theme ids must be unique" if facets is None else "facet ids must be unique"
            )
        self.centroids = normalise(np.asarray(centroids, dtype=np.float32))
        self.ids = list(ids)
        self.facets = None if facets is None else list(facets)
        self.threshold = threshold
        if floors is not None and len(floors) != len(ids):
            raise ValueError(f"{len(floors)} floors for {len(ids)} centroids")
        self.floors = None if floors is None else np.asarray(floors, dtype=np.float32)

    @classmethod
    def from_fit(
        cls,
        embeddings: np.ndarray,
        assignments: np.ndarray,
        centroids: np.ndarray,
        ids: Sequence[str],
        coverage: float = 0.9,
    ) -> ThemeAssigner:
        """Set the floor so that `coverage` of the fitted, themed contacts would pass it.

        Similarity scales differ a lot between embedding models (E5 puts everything
        above 0.7), so the floor comes from the fit, not from a fixed number.
        """
        themed = assignments >= 0
        if not themed.any():
            raise ValueError("the fit assigned no contact to a theme")
        sims = np.einsum(
            "ij,ij->i",
            normalise(embeddings[themed]),
            normalise(np.asarray(centroids))[assignments[themed]],
        )
        return cls(centroids, ids, float(np.quantile(sims, 1 - coverage)))

    def assign(self, embeddings: np.ndarray) -> list[Assignment]:
        if len(self.ids) == 0:
            return [Assignment(None, 0.0) for _ in range(len(embeddings))]
        sims = normalise(np.asarray(embeddings, dtype=np.float32)) @ self.centroids.T
        best = np.argmax(sims, axis=1)
        best_sims = sims[np.arange(len(best)), best]
        passed = best_sims >= (self.threshold if self.floors is None else self.floors[best])
        facets = self.facets
        return [
            Assignment(self.ids[b], float(s), facets[b] if facets else None)
            if ok
            else Assignment(None, float(s))
            for b, s, ok in zip(best, best_sims, passed, strict=True)
        ]

    def add_theme(self, theme_id: str, centroid: np.ndarray) -> None:
        if self.facets is not None:
            raise ValueError("a tree of facets grows through births, not add_theme")
        if theme_id in self.ids:
            raise ValueError(f"theme {theme_id} already assigned")
        self.ids.append(theme_id)
        self.centroids = np.vstack([self.centroids, normalise(np.asarray(centroid)[None])])


class UnassignedBuffer:
    """The most recent `capacity` unthemed contacts (oldest dropped first)."""

    def __init__(self, capacity: int = 5000) -> None:
        self._items: deque[tuple[str, np.ndarray, str]] = deque(maxlen=capacity)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, ref: str, embedding: np.ndarray, text: str) -> None:
        self._items.append((ref, np.asarray(embedding, dtype=np.float32), text))

    def refs(self) -> list[str]:
        return [ref for ref, _, _ in self._items]

    def embeddings(self) -> np.ndarray:
        return np.stack([e for _, e, _ in self._items]) if self._items else np.zeros((0, 0))

    def texts(self) -> list[str]:
        return [text for _, _, text in self._items]

    def remove(self, refs: Sequence[str]) -> None:
        """Drop contacts that now belong to an accepted new theme."""
        gone = set(refs)
        self._items = deque((i for i in self._items if i[0] not in gone), maxlen=self._items.maxlen)


@dataclass(frozen=True)
class CandidateTheme:
    centroid: np.ndarray
    keyphrases: list[str]
    label: str  # a noun phrase (`topics.subject_names.subject_labels`), against the background
    members: list[int]  # indices into the embeddings given to propose_new_themes
    cohesion: float  # mean cosine of members to the centroid

    @property
    def size(self) -> int:
        return len(self.members)


def propose_new_themes(
    embeddings: np.ndarray,
    texts: Sequence[str],
    min_size: int = 15,
    min_similarity: float = 0.8,
    n_keyphrases: int = 8,
    background: Sequence[str] = (),
) -> list[CandidateTheme]:
    """Cluster unthemed contacts; every dense group of at least `min_size` is a candidate.

    HDBSCAN on unit vectors (Euclidean distance is monotone in cosine there) finds the
    dense groups; then, as in one k-means step, each contact joins its nearest group
    centroid if it is at least `min_similarity` close. Pass the assigner's threshold, so
    every member of a newborn theme is one the assigner would also put there, and
    scattered one-off contacts stay unthemed. Key phrases are c-TF-IDF over the
    candidates, weighed against `background` (texts of contacts existing themes hold), as
    for themes found by a full refit. A group whose key phrases are not meaningful
    (`meaningful_keyphrases`: empty, or only stopwords and conversation filler) is dropped;
    its contacts stay unthemed.
    """
    from sklearn.cluster import HDBSCAN

    if len(embeddings) < min_size:
        return []
    x = normalise(np.asarray(embeddings, dtype=np.float64))
    labels = HDBSCAN(
        min_cluster_size=min_size,
        min_samples=min(5, min_size),
        allow_single_cluster=True,
        copy=True,
    ).fit_predict(x)
    groups = sorted(set(labels.tolist()) - {-1})
    if not groups:
        return []
    seeds = normalise(np.stack([x[labels == g].mean(axis=0) for g in groups]))
    sims = x @ seeds.T
    nearest = np.argmax(sims, axis=1)
    close = sims[np.arange(len(x)), nearest] >= min_similarity
    clusters = [np.flatnonzero(close & (nearest == g)) for g in range(len(groups))]
    clusters = [members for members in clusters if len(members) >= min_size]
    labels_kept = np.full(len(x), -1)
    for c, members in enumerate(clusters):
        labels_kept[members] = c
    phrases = class_tfidf_keyphrases(
        texts, labels_kept, len(clusters), top_n=n_keyphrases, background=background
    )
    labels = subject_labels(texts, labels_kept, len(clusters), background=background)
    candidates = []
    for members, keyphrases, label in zip(clusters, phrases, labels, strict=True):
        if not meaningful_keyphrases(keyphrases):
            continue
        centroid = normalise(x[members].mean(axis=0)[None])[0]
        cohesion = float((x[members] @ centroid).mean())
        candidates.append(CandidateTheme(centroid, keyphrases, label, members.tolist(), cohesion))
    return sorted(candidates, key=lambda c: -c.size)


def normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)

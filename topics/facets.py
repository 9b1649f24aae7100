"""The two-level theme tree's seam: which facets form one theme, and where a newborn goes.

A *facet* is what discovery finds (one cluster); a *theme* is what an official reads (one
member subject), made of one or more facets. Two pure rules decide the tree:

- `GroupFacets`: given every facet of a refit, the theme group of each. The default,
  `group_by_identity`, makes each facet its own theme (the flat behaviour); the tree
  algorithm plugs in through `FacetGrouping.group` (see `pipeline.themes.files.ThemeFiles`).
- `attach_or_new`: between refits, a newborn joins the theme of its nearest facet when it
  is a variation of it, else it is a new theme. With identity grouping a newborn is always
  a new theme (`FacetGrouping.attach_similarity` None), as a refit would make it one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from topics.discovery import DiscoveryResult
from topics.representation import class_tfidf_keyphrases, representative_quotes, theme_labels


@dataclass(frozen=True)
class FacetSummary:
    """What a grouping sees of one facet: its centroid (unit length), key phrases, size, label."""

    centroid: np.ndarray
    keyphrases: list[str]
    size: int
    label: str


GroupFacets = Callable[[Sequence[FacetSummary]], list[int]]


def group_by_identity(facets: Sequence[FacetSummary]) -> list[int]:
    """Each facet its own theme."""
    return list(range(len(facets)))


@dataclass(frozen=True)
class FacetGrouping:
    """The tree's two rules together, so a refit and a birth never disagree.

    `attach_similarity` None: a newborn is always a new theme (right for identity grouping,
    where a refit would also make it one). `attach_shared_words`: a newborn whose nearest
    facet is within `attach_margin` below the similarity still attaches when they share at
    least this many key-phrase words (members say the subject's words in a new way).
    """

    group: GroupFacets = group_by_identity
    attach_similarity: float | None = None
    attach_margin: float = 0.1
    attach_shared_words: int = 2


def theme_groups(grouping: GroupFacets, facets: Sequence[FacetSummary]) -> list[int]:
    """The grouping's answer checked and numbered 0..k-1 in order of first appearance.

    A grouping is someone else's code: a wrong answer is a clear error, never a silent mix-up
    of contacts between themes.
    """
    groups = list(grouping(facets))
    if len(groups) != len(facets):
        raise ValueError(f"grouping gave {len(groups)} groups for {len(facets)} facets")
    if any(not isinstance(g, int | np.integer) or g < 0 for g in groups):
        raise ValueError(f"groups must be non-negative integers, got {groups}")
    order: dict[int, int] = {}
    return [order.setdefault(int(g), len(order)) for g in groups]


def _words(phrases: Sequence[str]) -> set[str]:
    return {w for phrase in phrases for w in phrase.casefold().split()}


def attach_or_new(
    centroid: np.ndarray,
    keyphrases: Sequence[str],
    facet_centroids: np.ndarray,
    facet_keyphrases: Sequence[Sequence[str]],
    facet_themes: Sequence[str],
    grouping: FacetGrouping,
) -> str | None:
    """The theme a newborn joins as a facet, or None when it is a new theme.

    It joins the theme of its nearest facet (cosine of centroids) when that cosine is at
    least `attach_similarity`, or within `attach_margin` below it while sharing at least
    `attach_shared_words` key-phrase words with that facet.
    """
    if grouping.attach_similarity is None or len(facet_themes) == 0:
        return None
    if len(facet_centroids) != len(facet_themes) or len(facet_keyphrases) != len(facet_themes):
        raise ValueError("facet centroids, key phrases and themes must align")
    unit = np.asarray(centroid, dtype=np.float64)
    unit = unit / max(float(np.linalg.norm(unit)), 1e-12)
    facets = np.asarray(facet_centroids, dtype=np.float64)
    facets = facets / np.maximum(np.linalg.norm(facets, axis=1, keepdims=True), 1e-12)
    sims = facets @ unit
    nearest = int(np.argmax(sims))
    similarity = float(sims[nearest])
    if similarity >= grouping.attach_similarity:
        return facet_themes[nearest]
    shared = len(_words(keyphrases) & _words(facet_keyphrases[nearest]))
    close = similarity >= grouping.attach_similarity - grouping.attach_margin
    return facet_themes[nearest] if close and shared >= grouping.attach_shared_words else None


def facet_summaries(result: DiscoveryResult) -> list[FacetSummary]:
    """What a grouping sees of each facet of a fit."""
    sizes = (
        result.sizes
        or np.bincount(
            result.assignments[result.assignments >= 0], minlength=result.n_themes
        ).tolist()
    )
    return [
        FacetSummary(result.centroids[k], result.keyphrases[k], int(sizes[k]), result.labels[k])
        for k in range(result.n_themes)
    ]


def themes_of(
    facets: DiscoveryResult,
    groups: Sequence[int],
    vectors: np.ndarray,
    texts: Sequence[str],
    language: str = "nl",
) -> DiscoveryResult:
    """The themes a grouping makes of a fit's facets, as a fit of its own.

    A theme of one facet is that facet (centroid, key phrases, label, quotes unchanged, so
    identity grouping changes nothing); a theme of several has the union of their contacts,
    its centroid their mean, and its key phrases and label found anew over the themes.
    """
    groups = np.asarray(groups, dtype=int)
    n_themes = int(groups.max()) + 1 if len(groups) else 0
    assigned = facets.assignments >= 0
    assignments = np.where(assigned, groups[facets.assignments.clip(min=0)], -1)
    single = np.bincount(groups, minlength=n_themes) == 1
    first = [int(np.flatnonzero(groups == g)[0]) for g in range(n_themes)]
    if single.all():
        return replace(facets, assignments=assignments)
    centroids = np.array(facets.centroids[first], dtype=np.float32)
    for g in np.flatnonzero(~single):
        mean = vectors[assignments == g].mean(axis=0)
        centroids[g] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    keyphrases = class_tfidf_keyphrases(texts, assignments, n_themes, language)
    labels = theme_labels(texts, assignments, n_themes, language)
    quotes = representative_quotes(vectors, assignments, centroids, texts)
    floors = facets.floors
    if len(floors):
        floors = np.array([floors[groups == g].min() for g in range(n_themes)], floors.dtype)
    return replace(
        facets,
        assignments=assignments,
        centroids=centroids,
        keyphrases=[
            facets.keyphrases[first[g]] if single[g] else keyphrases[g] for g in range(n_themes)
        ],
        labels=[facets.labels[first[g]] if single[g] else labels[g] for g in range(n_themes)],
        quotes=[facets.quotes[first[g]] if single[g] else quotes[g] for g in range(n_themes)],
        sizes=np.bincount(assignments[assignments >= 0], minlength=n_themes).tolist(),
        floors=floors,
    )

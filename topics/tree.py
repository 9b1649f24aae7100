"""Themes over facets: discovery's fine clusters grouped into the subjects members call about.

Discovery (`topics.discovery`) cuts a window into *facets*: dense, nearly pure clusters, one
per situation ("dubbel afgeschreven", "opzeggen bij pensioen"). A *theme* is one member
subject ("contributie en lidmaatschap") and holds one or more facets. Facets of one subject
share the subject's words even where their embeddings do not meet (neighbour links between
the pieces are no higher than between subjects, see docs/themes.md), so facets are grouped
by their words:

1. each facet's class-based TF-IDF row over words and two-word phrases (BERTopic's
   `ClassTfidfTransformer`, the representation `BERTopic.hierarchical_topics` links by);
2. average-linkage agglomeration of the facets on the cosine of those rows (scipy, as
   `hierarchical_topics` does, with average instead of Ward linkage: Ward measured worse);
3. the cut: two groups are one theme while their facets' mean similarity stands
   `THEME_SPREAD` robust standard deviations (1.4826 · MAD) above the median similarity of
   all facet pairs of the window (the floor), and above the largest gap between consecutive
   merge similarities over that floor (`tree_cut`). Facets of one subject form a population
   of their own, well above the pairs of distinct subjects; where the merges above the floor
   run on without a gap, as between the intents of BANKING77 or CLINC150 that share "card" or
   "account", only the merges above the largest step join. Relative to the window, like every
   rule of discovery, so it holds for windows of any size and vocabulary; no number of themes
   is given.

A facet born between refits joins the theme it is a variation of by the same rule
(`attach_birth`), else it becomes a theme of its own. `word_tree` gives both rules to the jobs
(`topics.facets.FacetGrouping`); theme and facet ids stay stable by `topics.identity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import CountVectorizer

from topics.facets import FacetGrouping, FacetSummary
from topics.representation import phrase_analyzer, stopwords_for

# How far above a window's typical facet-pair similarity two facets' words must lie for them
# to be one subject, in robust SDs. 4–8 gave the same themes within ±0.02 homogeneity and
# completeness on the simulator (docs/themes.md); 6 sits in the middle of that plateau.
THEME_SPREAD = 6.0
# The smallest robust SD of facet-pair similarities the cut trusts. A window with few facets
# shows no spread (3 facets: the median absolute deviation is often 0), and would join any two
# facets that share one word; the demo's 84-day window (70 facets) has 0.041.
MIN_ROBUST_SD = 0.02
UNASSIGNED = -1
T = TypeVar("T")


@dataclass(frozen=True)
class ThemeTree:
    """Facet k belongs to theme `facet_theme[k]`; themes are numbered by decreasing size."""

    facet_theme: np.ndarray  # int per facet
    threshold: float  # the similarity at which this window's facets joined (the cut)

    @property
    def n_themes(self) -> int:
        return int(self.facet_theme.max()) + 1 if len(self.facet_theme) else 0

    def facets_of(self, theme: int) -> list[int]:
        return np.flatnonzero(self.facet_theme == theme).tolist()

    def themes_of(self, facet_assignments: np.ndarray) -> np.ndarray:
        """Each document's theme from its facet (-1 stays -1)."""
        facet_assignments = np.asarray(facet_assignments)
        if not len(self.facet_theme):
            return np.full(len(facet_assignments), UNASSIGNED, dtype=np.int64)
        themes = self.facet_theme[np.maximum(facet_assignments, 0)]
        return np.where(facet_assignments >= 0, themes, UNASSIGNED).astype(np.int64)


def facet_term_weights(texts_per_facet: Sequence[str], language: str = "nl") -> np.ndarray:
    """L2-normalised c-TF-IDF row per facet (one document per facet: its texts joined)."""
    from bertopic.vectorizers import ClassTfidfTransformer

    vectorizer = CountVectorizer(analyzer=phrase_analyzer(stopwords_for(language)))
    try:
        counts = vectorizer.fit_transform(texts_per_facet)
    except ValueError:  # no word but stopwords anywhere: nothing ties facets together
        return np.eye(len(texts_per_facet))
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts).toarray()
    return weights / np.maximum(np.linalg.norm(weights, axis=1, keepdims=True), 1e-12)


def joined_texts(texts: Sequence[str], assignments: np.ndarray, n_facets: int) -> list[str]:
    return [
        "\n".join(texts[i] for i in np.flatnonzero(np.asarray(assignments) == facet))
        for facet in range(n_facets)
    ]


def facet_similarity(
    texts: Sequence[str], assignments: np.ndarray, n_facets: int, language: str = "nl"
) -> np.ndarray:
    """(facet x facet) cosine of the facets' c-TF-IDF rows."""
    weights = facet_term_weights(joined_texts(texts, assignments, n_facets), language)
    return weights @ weights.T


def join_threshold(similarity: np.ndarray, spread: float = THEME_SPREAD) -> float:
    """The window's median facet-pair similarity plus `spread` robust SDs (at least
    `MIN_ROBUST_SD`)."""
    pairs = similarity[np.triu_indices(len(similarity), 1)]
    if len(pairs) == 0:
        return float("inf")
    median = float(np.median(pairs))
    robust_sd = 1.4826 * float(np.median(np.abs(pairs - median)))
    return median + spread * max(robust_sd, MIN_ROBUST_SD)


def largest_gap_cut(merge_similarities: np.ndarray, floor: float) -> float:
    """The similarity just below the largest gap between consecutive merges above `floor`
    (the floor itself counting as the last step): merges above it join, the merge at it and
    those below do not; `floor` when no merge lies above it. A newborn facet then joins a
    theme when it resembles it more than any two themes that stayed apart resemble each other.

    Merges of one subject's facets stand apart from those of distinct subjects; the largest
    step down among the merges above the floor separates the two. On BANKING77 and CLINC150
    the merges above the floor run on in small steps (intents that share "card" or "transfer")
    and the largest step lies high, so they stay apart (docs/themes.md)."""
    merges = np.asarray(merge_similarities)
    above = np.sort(merges[merges > floor])[::-1]
    if len(above) == 0:
        return floor
    steps = np.append(above, floor)
    k = int(np.argmax(steps[:-1] - steps[1:]))
    return float(steps[k + 1])


def _average_linkage(similarity: np.ndarray) -> np.ndarray:
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    return hierarchy.linkage(squareform(distance, checks=False), method="average")


def tree_cut(similarity: np.ndarray, spread: float = THEME_SPREAD) -> float:
    """The similarity above which facets join: the largest gap among the average-linkage
    merges above `join_threshold` (`largest_gap_cut`)."""
    floor = join_threshold(similarity, spread)
    if len(similarity) < 2:
        return floor
    return largest_gap_cut(1.0 - _average_linkage(similarity)[:, 2], floor)


def group_facets(
    similarity: np.ndarray, sizes: Sequence[int], spread: float = THEME_SPREAD
) -> ThemeTree:
    """Average-linkage agglomeration of the facets, cut at `tree_cut`."""
    n_facets = len(similarity)
    if n_facets < 2:
        return ThemeTree(np.zeros(n_facets, dtype=np.int64), tree_cut(similarity, spread))
    linkage = _average_linkage(similarity)
    threshold = largest_gap_cut(1.0 - linkage[:, 2], join_threshold(similarity, spread))
    # Strictly above the cut: where all facets are alike (no spread), none stands out.
    cut = np.nextafter(1.0 - threshold, -np.inf)
    groups = hierarchy.fcluster(linkage, t=cut, criterion="distance") - 1
    return ThemeTree(_by_size(groups, np.asarray(sizes)), threshold)


def _by_size(groups: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Renumber groups 0..k-1 by decreasing total size (ties: lowest facet first)."""
    totals = np.bincount(groups, weights=sizes, minlength=groups.max() + 1)
    first = np.array([np.flatnonzero(groups == g)[0] for g in range(groups.max() + 1)])
    order = np.lexsort((first, -totals))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[groups].astype(np.int64)


def build_tree(
    texts: Sequence[str],
    facet_assignments: np.ndarray,
    n_facets: int,
    language: str = "nl",
    spread: float = THEME_SPREAD,
) -> ThemeTree:
    """The themes over a refit's facets (its discovery result's assignments)."""
    similarity = facet_similarity(texts, facet_assignments, n_facets, language)
    assigned = np.asarray(facet_assignments)
    sizes = np.bincount(assigned[assigned >= 0], minlength=n_facets)
    return group_facets(similarity, sizes, spread)


def attach_birth(
    newborn_texts: Sequence[str],
    facet_texts: Sequence[Sequence[str]],
    facet_theme: Sequence[T],
    language: str = "nl",
    spread: float = THEME_SPREAD,
) -> T | None:
    """The theme a facet born between refits is a variation of, or None for a new subject.

    `facet_texts[k]` are texts of the existing facet k (e.g. its contacts in the window),
    `facet_theme[k]` its theme. The newborn is weighed among the existing facets as a refit
    would weigh it: it joins the theme whose facets its words resemble on average more than
    the refit's cut (`tree_cut` of this window's facets; strictly, as in `group_facets`, so
    where the facets show no spread nothing joins)."""
    if not facet_texts:
        return None
    documents = ["\n".join(texts) for texts in facet_texts] + ["\n".join(newborn_texts)]
    weights = facet_term_weights(documents, language)
    similarity = weights @ weights.T
    threshold = tree_cut(similarity[:-1, :-1], spread)
    to_newborn = similarity[-1, :-1]
    means: dict[T, float] = {}
    for theme in dict.fromkeys(facet_theme):  # first appearance breaks ties
        means[theme] = float(
            np.mean([s for s, t in zip(to_newborn, facet_theme, strict=True) if t == theme])
        )
    best = max(means, key=means.__getitem__)
    return best if means[best] > threshold else None


def word_tree(language: str = "nl", spread: float = THEME_SPREAD) -> FacetGrouping:
    """The tree's rules for the jobs: facets grouped by their words (`group_facets`), and a
    newborn placed by the same words (`attach_birth`)."""

    def group(facets: Sequence[FacetSummary]) -> list[int]:
        weights = facet_term_weights([f.text for f in facets], language)
        return group_facets(
            weights @ weights.T, [f.size for f in facets], spread
        ).facet_theme.tolist()

    def attach(
        newborn: FacetSummary, facets: Sequence[FacetSummary], facet_themes: Sequence[str]
    ) -> str | None:
        return attach_birth(
            [newborn.text], [[f.text] for f in facets], facet_themes, language, spread
        )

    return FacetGrouping(group=group, attach=attach)

"""The two-level theme tree's seam: which facets form one theme, and where a newborn goes.

A *facet* is what discovery finds (one cluster); a *theme* is what an official reads (one
member subject), made of one or more facets. Two pure rules decide the tree:

- `GroupFacets`: given every facet of a refit, the theme group of each. `group_by_identity`
  makes each facet its own theme (the flat behaviour); the tree's grouping by words
  (`topics.tree.facet_tree`) is the one the jobs use (`pipeline.themes.files.ThemeFiles`).
- `AttachFacet`: between refits, a newborn joins the theme it is a variation of, or is a new
  theme (None). With identity grouping a newborn is always a new theme (`never_attach`), as
  a refit would make it one; `AttachByCentroid` is the rule by centroid cosine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from scipy import stats

from topics.discovery import DiscoveryResult
from topics.identity import cluster_share
from topics.representation import class_tfidf_keyphrases, representative_quotes, theme_labels


@dataclass(frozen=True)
class FacetSummary:
    """What a grouping sees of one facet: its centroid (unit length), key phrases, size,
    label, its contacts' words joined (the tree groups facets by words and centroids), and
    the curated theme whose subject it speaks of, if any (`topics.ids.curated_subject`), and
    when in the window it emerged (`emergence`), and the theme most of its contacts had
    before the refit (`previous_themes`)."""

    centroid: np.ndarray
    keyphrases: list[str]
    size: int
    label: str
    text: str = ""
    subject: str | None = None
    emerged: float | None = None
    previous_theme: str | None = None


GroupFacets = Callable[[Sequence[FacetSummary]], list[int]]
# (newborn, existing facets, each existing facet's theme id) -> the theme it joins, or None.
AttachFacet = Callable[[FacetSummary, Sequence[FacetSummary], Sequence[str]], str | None]


def group_by_identity(facets: Sequence[FacetSummary]) -> list[int]:
    """Each facet its own theme."""
    return list(range(len(facets)))


def never_attach(
    newborn: FacetSummary, facets: Sequence[FacetSummary], facet_themes: Sequence[str]
) -> str | None:
    """A newborn is always a new theme (right for identity grouping: a refit would also
    make it one)."""
    return None


@dataclass(frozen=True)
class FacetGrouping:
    """The tree's two rules together, so a refit and a birth never disagree: `group` makes
    themes of a refit's facets, `attach` places a facet born between refits."""

    group: GroupFacets = group_by_identity
    attach: AttachFacet = never_attach


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


@dataclass(frozen=True)
class AttachByCentroid:
    """A newborn joins the theme of its nearest facet (cosine of centroids) when that cosine
    is at least `similarity`, or within `margin` below it while sharing at least
    `shared_words` key-phrase words with that facet (members say the subject's words in a
    new way)."""

    similarity: float
    margin: float = 0.1
    shared_words: int = 2

    def __call__(
        self, newborn: FacetSummary, facets: Sequence[FacetSummary], facet_themes: Sequence[str]
    ) -> str | None:
        if not facets:
            return None
        if len(facets) != len(facet_themes):
            raise ValueError("facets and their themes must align")
        unit = np.asarray(newborn.centroid, dtype=np.float64)
        unit = unit / max(float(np.linalg.norm(unit)), 1e-12)
        centroids = np.asarray([f.centroid for f in facets], dtype=np.float64)
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        sims = centroids @ unit
        nearest = int(np.argmax(sims))
        if sims[nearest] >= self.similarity:
            return facet_themes[nearest]
        shared = len(_words(newborn.keyphrases) & _words(facets[nearest].keyphrases))
        close = sims[nearest] >= self.similarity - self.margin
        return facet_themes[nearest] if close and shared >= self.shared_words else None


# The significance at which a facet's contacts nearer a newborn count as strays: they fit the
# facet worse than its other contacts (one-sided Mann-Whitney U on their cosines to its
# centroid). In the runs that set the rule apart, strays stood at a mean of 0.14-0.42 against
# 0.40-0.63 for the rest of their facet; a subject's own variation at 0.36 against 0.37
# (docs/themes.md, "Strays are contacts that fit their facet worse").
STRAY_SIGNIFICANCE = 0.01


def facet_own_contacts(
    embeddings: np.ndarray, centroid: np.ndarray, newborn_centroid: np.ndarray
) -> np.ndarray:
    """Which of a facet's contacts speak for it when a newborn is weighed against it.

    A newborn is weighed against a facet by the facet's words, and those should be the
    facet's own. A subject's first contacts, before a refit found it, sit in whichever facet
    was least unlike them: in a test run, five contacts about AI monitoring among 52 about app
    accounts gave that facet the newborn's words, and the new subject joined the members'
    service theme at birth instead of being reported as new. Such strays stand nearer
    (cosine) to the newborn's centroid than to their facet's, and fit the facet worse than
    its other contacts (`STRAY_SIGNIFICANCE`); they are left out. Contacts nearer the newborn
    that fit the facet as well as the rest are the facet's own variation of one subject (the
    planted subject born a second time, beside its first facet) and stay."""
    if len(embeddings) == 0:
        return np.zeros(0, dtype=bool)
    vectors = np.vstack([embeddings, centroid, newborn_centroid])
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    contacts, own, newborn = unit[:-2], unit[-2], unit[-1]
    fit = contacts @ own
    nearer_own = fit >= contacts @ newborn
    if nearer_own.all() or not nearer_own.any():
        return np.ones(len(contacts), dtype=bool)
    worse = stats.mannwhitneyu(fit[~nearer_own], fit[nearer_own], alternative="less")
    return nearer_own if worse.pvalue < STRAY_SIGNIFICANCE else np.ones(len(contacts), dtype=bool)


def facet_summaries(
    result: DiscoveryResult,
    texts: Sequence[str] | None = None,
    subjects: Sequence[str | None] | None = None,
    days: Sequence[date] | None = None,
    themes: Sequence[str | None] | None = None,
) -> list[FacetSummary]:
    """What a grouping sees of each facet of a fit (with `texts`, the fit's documents, each
    facet's words joined; with `subjects`, each facet's curated subject; with `days`, the
    day of each document, when each facet emerged; with `themes`, each document's theme
    before the refit, the theme each facet comes from)."""
    sizes = (
        result.sizes
        or np.bincount(
            result.assignments[result.assignments >= 0], minlength=result.n_themes
        ).tolist()
    )
    joined = [""] * result.n_themes
    if texts is not None:
        members: list[list[str]] = [[] for _ in range(result.n_themes)]
        for text, facet in zip(texts, result.assignments, strict=True):
            if facet >= 0:
                members[facet].append(text)
        joined = ["\n".join(m) for m in members]
    emerged = emergence(days, result.assignments, result.n_themes) if days is not None else None
    previous = (
        previous_themes(themes, result.assignments, result.n_themes) if themes is not None else None
    )
    return [
        FacetSummary(
            result.centroids[k],
            result.keyphrases[k],
            int(sizes[k]),
            result.labels[k],
            joined[k],
            subjects[k] if subjects is not None else None,
            emerged[k] if emerged is not None else None,
            previous[k] if previous is not None else None,
        )
        for k in range(result.n_themes)
    ]


# The share of a facet's contacts that must have arrived before it counts as there: a tenth,
# so that a few early look-alikes of a new subject do not date it back.
EMERGED_SHARE = 0.1


def emergence(days: Sequence[date], assignments: np.ndarray, n_facets: int) -> list[float]:
    """When each facet emerged in the window: the day by which `EMERGED_SHARE` of its
    documents had arrived, as a share of the window's span (0 its first day, 1 its last; 0
    for every facet when the window is one day)."""
    assignments = np.asarray(assignments)
    if len(days) != len(assignments):
        raise ValueError(f"{len(days)} days for {len(assignments)} documents")
    ordinal = np.array([d.toordinal() for d in days], dtype=np.float64)
    if not len(ordinal):
        return [0.0] * n_facets
    first, span = ordinal.min(), ordinal.max() - ordinal.min()
    emerged = []
    for facet in range(n_facets):
        members = ordinal[assignments == facet]
        at = float(np.quantile(members, EMERGED_SHARE)) if len(members) else first
        emerged.append((at - first) / span if span else 0.0)
    return emerged


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


def previous_themes(
    themes: Sequence[str | None], assignments: np.ndarray, n_facets: int
) -> list[str | None]:
    """The theme at least half of each facet's documents had before the refit, else None."""
    if len(themes) != len(assignments):
        raise ValueError(f"{len(themes)} themes for {len(assignments)} documents")
    ids = sorted({t for t in themes if t is not None})
    if not ids:
        return [None] * n_facets
    share = cluster_share(themes, assignments, ids, n_facets)
    most = share.argmax(axis=0)
    return [ids[r] if share[r, k] >= 0.5 else None for k, r in enumerate(most)]

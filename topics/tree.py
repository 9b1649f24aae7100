"""Themes over facets: discovery's fine clusters grouped into the subjects members call about.

Discovery (`topics.discovery`) cuts a window into *facets*: dense, nearly pure clusters, one
per situation ("dubbel afgeschreven", "opzeggen bij pensioen"). A *theme* is one member
subject ("contributie en lidmaatschap") and holds one or more facets. Facets of one subject
share the subject's words even where their embeddings do not meet (neighbour links between
the pieces are no higher than between subjects, see docs/themes.md), so facets are grouped
by their words:

1. each facet's class-based TF-IDF row over words and two-word phrases (BERTopic's
   `ClassTfidfTransformer`, the representation `BERTopic.hierarchical_topics` links by);
2. each facet pair's similarity in robust standard deviations (1.4826 · MAD) above the
   median pair of the window: of their words (the cosine of those rows) and, where the
   facets' centroids are known, the mean of that and the same for their centroids. Relative
   to the window, like every rule of discovery, so it holds for windows of any size and
   vocabulary; no number of themes is given;
3. average-linkage agglomeration on it (scipy, as `hierarchical_topics` does, with average
   instead of Ward linkage: Ward measured worse), cut where groups stand `THEME_SPREAD`
   (words alone) or `BLEND_SPREAD` (words and centroids) above the median pair.

Words and centroids: the pieces of a subject members describe in many ways (the demo's
planted subject: camera, score, scanner, app) share few words and are only each other's
nearest facets by either measure; together they stand out (docs/themes.md). Pieces that
emerged together in the window, after it began, stand closer still (`co_emerged`), and so
do facets that speak of one curated subject (`same_subject`); facets of two curated subjects
never join (`apart`).

A facet born between refits joins the theme it is a variation of by its words
(`attach_birth`), else it becomes a theme of its own. `facet_tree` gives both rules to the jobs
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
# The same for the cosine of facet centroids, whose pairs spread wider (the demo window's
# robust SD is 0.125): half of that, as 0.02 is about half the words'.
MIN_CENTROID_SD = 0.06
# The cut when words and centroids are weighed together (their standings averaged), for facets
# the window gives no other reason to be one subject. At 3.3 an intent set without a curated
# subject or a new one (BANKING77) joined 77 intents into 36 themes, distinct intents that
# share a domain's words ("card", "transfer"); at 5 into 52, and a theme named its majority
# intent 0.81 of the time (0.75 at 3.3). The demo's subjects still join: their pieces carry
# the evidence below (docs/themes.md, "Evidence before a join").
BLEND_SPREAD = 5.0
# Facets with evidence of one subject stand this much closer, so they are cut at 3.3 as
# before, and each kind of evidence lowers that further. 3.3 keeps apart the subjects 3 joined
# on weak shared words (holidays with rosters at 3.2, the tax service with the fees at 3.03);
# 3.5 let a planted piece go (docs/themes.md, "The cut raised to 3.3").
EVIDENCE_BONUS = BLEND_SPREAD - 3.3
# Co-emergence: facets that emerged after the window's first quarter (`NEW_AFTER`) and
# within `CO_EMERGED_WITHIN` of its span of each other (under two weeks of the 84-day window)
# join at a mean standing of 1.8. A new subject arrives in many phrasings at once (the demo's
# planted subject: camera, score, scanner, app, algorithm, works council, each other's nearest
# facets at standings 1.7-4.5, mean 2.8); a subject that has been there all along is not
# pulled by it. 1.5 below 3.3: at 1.0 the scanner piece stood at a mean of 3.25 against 3.3 on
# the demo's last window, and went apart in six runs of six; 1.25 to 2 join it and no other
# subjects (docs/themes.md, "Co-emergence raised to 1.5").
NEW_AFTER = 0.25
CO_EMERGED_WITHIN = 0.15
CO_EMERGED_BONUS = EVIDENCE_BONUS + 1.5
# Facets that were in one theme before the refit (`kept_together`) hold at 2.3.
KEPT_TOGETHER_BONUS = EVIDENCE_BONUS + 1.0
# Facets that speak of one curated subject (`same_subject`) join at 0.3: the union defined
# that subject, so its pieces are one theme even where members say them in other words (the
# service desk's address changes, log-in trouble and member magazine share almost none).
# Replaying the demo's last refit, 2.5 to 4 below 3.3 joined the same facets and 2 left the
# address facets apart; 3 sits on that plateau (docs/themes.md, "Curated subjects hold their
# facets together").
SAME_SUBJECT_BONUS = EVIDENCE_BONUS + 3.0
# A pair of facets of two curated subjects stands this many times farther than any cut.
_APART = 10.0
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


def robust_sd(similarity: np.ndarray, floor: float = MIN_ROBUST_SD) -> tuple[float, float]:
    """The median and robust SD (at least `floor`) of a window's facet pairs."""
    pairs = similarity[np.triu_indices(len(similarity), 1)]
    if len(pairs) == 0:
        return 0.0, floor
    median = float(np.median(pairs))
    return median, max(1.4826 * float(np.median(np.abs(pairs - median))), floor)


def join_threshold(similarity: np.ndarray, spread: float = THEME_SPREAD) -> float:
    """The window's median facet-pair similarity plus `spread` robust SDs (at least
    `MIN_ROBUST_SD`)."""
    if len(similarity) < 2:
        return float("inf")
    median, sd = robust_sd(similarity)
    return median + spread * sd


def standing(
    similarity: np.ndarray, reference: np.ndarray | None = None, floor: float = MIN_ROBUST_SD
) -> np.ndarray:
    """Each facet pair's similarity in robust SDs (at least `floor`) above the median pair of
    `reference` (the window's facets; by default `similarity` itself)."""
    median, sd = robust_sd(similarity if reference is None else reference, floor)
    return (similarity - median) / sd


def centroid_similarity(centroids: np.ndarray) -> np.ndarray:
    """(facet x facet) cosine of the facets' centroids."""
    unit = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    return unit @ unit.T


def blended_standing(
    words: np.ndarray, centroids: np.ndarray | None, known: int | None = None
) -> tuple[np.ndarray, float]:
    """How far each facet pair stands above the window's typical pair, and the cut: by
    words alone (`THEME_SPREAD`), or by words and centroids (`BLEND_SPREAD`). `known`: only
    the first `known` facets make the window (the rest are newborns weighed against it)."""
    k = len(words) if known is None else known

    def of(similarity: np.ndarray, floor: float) -> np.ndarray:
        return standing(similarity, similarity[:k, :k], floor)

    if centroids is None:
        return of(words, MIN_ROBUST_SD), THEME_SPREAD
    blend = of(words, MIN_ROBUST_SD) + of(centroid_similarity(centroids), MIN_CENTROID_SD)
    return blend / 2, BLEND_SPREAD


def co_emerged(emerged: Sequence[float]) -> np.ndarray:
    """(facet x facet) True where two facets emerged together, both new in the window
    (`NEW_AFTER`, `CO_EMERGED_WITHIN`; `emerged` as `topics.facets.emergence`)."""
    at = np.asarray(emerged, dtype=np.float64)
    new = at >= NEW_AFTER
    together = (
        new[:, None] & new[None, :] & (np.abs(at[:, None] - at[None, :]) <= CO_EMERGED_WITHIN)
    )
    np.fill_diagonal(together, False)
    return together


def kept_together(previous: Sequence[str | None]) -> np.ndarray:
    """(facet x facet) True where most contacts of both facets were in one theme before the
    refit (`topics.facets.previous_themes`). They stand `KEPT_TOGETHER_BONUS` closer: a
    theme, once joined, holds at a mean standing of 2.3, so a new subject's pieces do not
    fall apart again when they are no longer new in the window (hysteresis)."""
    return _alike(previous)


def same_subject(subjects: Sequence[str | None]) -> np.ndarray:
    """(facet x facet) True where two facets speak of the same curated theme (`apart`'s
    counterpart)."""
    return _alike(subjects)


def _alike(labels: Sequence[str | None]) -> np.ndarray:
    """(facet x facet) True where two different facets carry the same label (None: none)."""
    known = np.array([label or "" for label in labels], dtype=object)
    together = (known[:, None] == known[None, :]) & (known[:, None] != "")
    np.fill_diagonal(together, False)
    return together


def drawn_together(facets: Sequence[FacetSummary]) -> np.ndarray:
    """(facet x facet) how many robust SDs closer each pair stands: `CO_EMERGED_BONUS` where
    two facets emerged together (`co_emerged`, where every facet's emergence is known),
    `KEPT_TOGETHER_BONUS` where they were in one theme before (`kept_together`),
    `SAME_SUBJECT_BONUS` where they speak of one curated subject (`same_subject`); the
    largest that applies."""
    closer = np.maximum(
        KEPT_TOGETHER_BONUS * kept_together([f.previous_theme for f in facets]),
        SAME_SUBJECT_BONUS * same_subject([f.subject for f in facets]),
    )
    if all(f.emerged is not None for f in facets):
        closer = np.maximum(closer, CO_EMERGED_BONUS * co_emerged([f.emerged for f in facets]))
    return closer


def group_facets(
    similarity: np.ndarray, sizes: Sequence[int], spread: float = THEME_SPREAD
) -> ThemeTree:
    """Average-linkage agglomeration of the facets, cut at `join_threshold`."""
    tree = group_standing(standing(similarity), sizes, spread)
    return ThemeTree(tree.facet_theme, join_threshold(similarity, spread))


def group_standing(
    z: np.ndarray,
    sizes: Sequence[int],
    cut: float,
    subjects: Sequence[str | None] | None = None,
) -> ThemeTree:
    """Average-linkage agglomeration of the facets on their pairs' standing (`standing`),
    joined while a group's mean standing is above `cut`; `threshold` is that cut. Facets of
    two different curated `subjects` never join (`apart`)."""
    n_facets = len(z)
    if n_facets < 2:
        return ThemeTree(np.zeros(n_facets, dtype=np.int64), cut)
    top = float(z.max())
    distance = np.clip(top - z, 0.0, None)
    if subjects is not None:
        # Far enough that one such pair outweighs any group's average.
        distance[apart(subjects)] = _APART * (top - cut + 1.0) * n_facets**2
    np.fill_diagonal(distance, 0.0)
    linkage = hierarchy.linkage(squareform(distance, checks=False), method="average")
    # Strictly above the cut: where all facets are alike (no spread), none stands out.
    groups = hierarchy.fcluster(linkage, t=np.nextafter(top - cut, -np.inf), criterion="distance")
    return ThemeTree(_by_size(groups - 1, np.asarray(sizes)), cut)


def apart(subjects: Sequence[str | None]) -> np.ndarray:
    """(facet x facet) True where two facets speak of two different curated themes: the
    union defined those as two subjects (thuiswerkvergoeding and reiskosten, werkdruk and
    overwerk), so the tree does not make them one however alike their words are."""
    labels = np.array([s or "" for s in subjects], dtype=object)
    known = labels != ""
    return known[:, None] & known[None, :] & (labels[:, None] != labels[None, :])


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
    vectors: np.ndarray | None = None,
) -> ThemeTree:
    """The themes over a refit's facets (its discovery result's assignments); with the
    documents' `vectors`, by words and centroids (`blended_standing`)."""
    words = facet_similarity(texts, facet_assignments, n_facets, language)
    assigned = np.asarray(facet_assignments)
    sizes = np.bincount(assigned[assigned >= 0], minlength=n_facets)
    centroids = None
    if vectors is not None:
        centroids = np.stack(
            [np.asarray(vectors)[assigned == facet].mean(axis=0) for facet in range(n_facets)]
        )
    z, cut = blended_standing(words, centroids)
    return group_standing(z, sizes, cut)


def attach_birth(
    newborn_texts: Sequence[str],
    facet_texts: Sequence[Sequence[str]],
    facet_theme: Sequence[T],
    language: str = "nl",
    subjects: Sequence[str | None] | None = None,
    centroids: np.ndarray | None = None,
) -> T | None:
    """The theme a facet born between refits is a variation of, or None for a new subject.

    `facet_texts[k]` are texts of the existing facet k (e.g. its contacts in the window),
    `facet_theme[k]` its theme. The newborn is weighed among the existing facets by their
    words (`blended_standing` without centroids, relative to the existing facets' pairs): it
    joins the theme of the facet it stands closest to, when it stands more than
    `THEME_SPREAD` above the typical pair (strictly, as in `group_standing`, so where the
    facets show no spread nothing joins). The nearest facet, not the theme's average: a
    subject told in many ways is a theme of many facets, and a newborn that repeats one of
    them (the planted subject's camera facet, born again after a refit) stood far below the
    cut on average over the other eight and was reported as a new theme.

    Chosen by words, not by words and centroids as a refit groups: a newborn is most often
    the first days of something new, and a new subject hidden in a theme it only resembles is
    not reported as new (in a demo run that chose by centroids too, the planted subject's first
    facet joined the off-topic theme, and was flagged two weeks late). With `centroids` (the
    existing facets' and, last, the newborn's) the join must also pass the refit's own rule
    for that pair (`blended_standing`, `BLEND_SPREAD`): in a demo run with the cut at 5 and
    words alone, the planted subject's first facet joined the late-pay theme, and was flagged
    two weeks late. A variation that stays apart joins its theme at the next refit.

    `subjects`: the curated subject of each existing facet and, last, of the newborn; a
    newborn never joins a theme with a facet of another curated subject (`apart`), and
    stands closer to the facets of its own (`same_subject`), as at a refit: 3 robust SDs
    by words, `SAME_SUBJECT_BONUS` by the refit's rule."""
    if len(facet_texts) < 2:  # no window to stand out from
        return None
    documents = ["\n".join(texts) for texts in facet_texts] + ["\n".join(newborn_texts)]
    weights = facet_term_weights(documents, language)
    z, cut = blended_standing(weights @ weights.T, None, known=len(facet_texts))
    own_subject = np.zeros(len(facet_texts), dtype=bool)
    barred: set[T] = set()
    if subjects is not None:
        own_subject = same_subject(subjects)[-1, :-1]
        conflicts = apart(subjects)[-1, :-1]
        barred = {t for t, c in zip(facet_theme, conflicts, strict=True) if c}
    # The words' cut did not move when the blend's did (`EVIDENCE_BONUS`).
    to_newborn = z[-1, :-1] + (SAME_SUBJECT_BONUS - EVIDENCE_BONUS) * own_subject
    candidates = [k for k, theme in enumerate(facet_theme) if theme not in barred]
    if not candidates:
        return None
    nearest = max(candidates, key=lambda k: to_newborn[k])  # the first of equals
    if to_newborn[nearest] <= cut:
        return None
    if centroids is not None:
        blend, blend_cut = blended_standing(weights @ weights.T, centroids, len(facet_texts))
        if blend[-1, nearest] + SAME_SUBJECT_BONUS * own_subject[nearest] <= blend_cut:
            return None
    return facet_theme[nearest]


def facet_tree(language: str = "nl") -> FacetGrouping:
    """The tree's rules for the jobs: facets grouped by their words and centroids
    (`blended_standing`), facets with evidence of one subject drawn closer (`drawn_together`),
    and a newborn placed by its words where the refit's rule agrees (`attach_birth`)."""

    def group(facets: Sequence[FacetSummary]) -> list[int]:
        weights = facet_term_weights([f.text for f in facets], language)
        centroids = np.stack([f.centroid for f in facets]) if facets else None
        z, cut = blended_standing(weights @ weights.T, centroids)
        if facets:
            z = z + drawn_together(facets)
        subjects = [f.subject for f in facets]
        return group_standing(z, [f.size for f in facets], cut, subjects).facet_theme.tolist()

    def attach(
        newborn: FacetSummary, facets: Sequence[FacetSummary], facet_themes: Sequence[str]
    ) -> str | None:
        subjects = [f.subject for f in facets] + [newborn.subject]
        centroids = np.stack([f.centroid for f in [*facets, newborn]])
        return attach_birth(
            [newborn.text], [[f.text] for f in facets], facet_themes, language, subjects, centroids
        )

    return FacetGrouping(group=group, attach=attach)

"""A curated subject the discovery did not find: its contacts gathered by its seed phrases.

The union seeds the subjects it wants to see ("Corona op het werk"). Discovery finds a
subject when its contacts form a dense region of their own; a small subject told in many
different situations does not (corona at work in `make demo`: about 80 contacts in a
window of 11,000, in nine situations, most of them inside the leave facet). Such a subject
would never reach an official although the union asked for it, so at a refit the contacts
that use one of its seed phrases become a facet of it, the way commercial tools let a
curated category gather contacts by its terms. Only subjects that no facet speaks of are
gathered (a found subject keeps its facets), only when as many contacts name it as the
discovery's smallest facet holds, and never so many of one facet that it is hollowed out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from topics.discovery import DiscoveryResult
from topics.names import DISCOVERED
from topics.representation import class_tfidf_keyphrases, theme_labels
from topics.second_space import in_space
from topics.taxonomy import Taxonomy

_WORD = re.compile(r"[^\W\d_]+")
# A text word stands for a seed word when it begins with it ("besmettingen" and
# "coronamaatregelen" for "besmetting" and "corona", "mondkapjes" for "mondkapje"), or when
# it is the seed word short of an ending ("besmet" for "besmetting"): at least `MIN_STEM`
# letters and at most `MAX_ENDING` fewer. Not a shorter word the seed is a compound of:
# "thuis" (ziek thuis) is not "thuiswerken", "werk" is not "werkdruk".
MIN_STEM = 5
MAX_ENDING = 4
# The largest share of one facet that a curated subject may take: more, and the facet itself
# is of that subject, which naming and identity already settle.
MAX_TAKEN_SHARE = 0.5


def names_seed(words: Sequence[str], phrase: str) -> bool:
    """Whether `words` (a text's, lower case, in order) contain the seed `phrase`: its words
    in a row, each standing for the seed word (`MIN_STEM`, `MAX_ENDING`)."""
    seeds = phrase.lower().split()
    if not seeds:
        return False
    for start in range(len(words) - len(seeds) + 1):
        if all(
            word.startswith(seed)
            or (
                len(word) >= MIN_STEM
                and len(seed) - len(word) <= MAX_ENDING
                and seed.startswith(word)
            )
            for word, seed in zip(words[start : start + len(seeds)], seeds, strict=True)
        ):
            return True
    return False


def gather_curated(
    facets: DiscoveryResult,
    subjects: Sequence[str | None],
    texts: Sequence[str],
    vectors: np.ndarray,
    taxonomy: Taxonomy,
    min_size: int,
    outlier_spread: float,
    language: str = "nl",
) -> tuple[DiscoveryResult, list[str | None]]:
    """`facets` with one facet more for each curated subject that no facet speaks of
    (`subjects`, per facet) and whose seed phrases at least `min_size` of the contacts use;
    and the subjects with the new facets' appended. A contact that names two such subjects
    joins the first in the taxonomy's order. Centroids, floors and quotes are recomputed
    from the members (in the space of `vectors`); the new facets' key phrases and labels are
    found over all facets, the others keep theirs."""
    present = {subject for subject in subjects if subject}
    words = [_WORD.findall(text.lower()) for text in texts]
    assignments = facets.assignments.copy()
    sizes = np.bincount(assignments[assignments >= 0], minlength=facets.n_themes)
    taken = np.zeros(facets.n_themes, dtype=np.int64)
    gathered: list[str | None] = []
    for theme in taxonomy.active():
        if theme.description == DISCOVERED or theme.id in present or not theme.seed_phrases:
            continue
        new = facets.n_themes + len(gathered)
        named = [
            i
            for i, text_words in enumerate(words)
            if assignments[i] < facets.n_themes
            and any(names_seed(text_words, phrase) for phrase in theme.seed_phrases)
        ]
        members = _spare(named, assignments, sizes, taken)
        if len(members) < min_size:
            continue
        np.add.at(taken, assignments[members][assignments[members] >= 0], 1)
        assignments[members] = new
        gathered.append(theme.id)
    if not gathered:
        return facets, list(subjects)
    n_facets = facets.n_themes + len(gathered)
    keyphrases = class_tfidf_keyphrases(texts, assignments, n_facets, language)
    labels = theme_labels(texts, assignments, n_facets, language)
    widened = replace(
        facets,
        assignments=assignments,
        centroids=np.vstack(
            [facets.centroids, np.zeros((len(gathered), facets.centroids.shape[1]), np.float32)]
        ),
        keyphrases=[*facets.keyphrases, *keyphrases[facets.n_themes :]],
        labels=[*facets.labels, *labels[facets.n_themes :]],
        sizes=np.bincount(assignments[assignments >= 0], minlength=n_facets).tolist(),
    )
    return in_space(widened, vectors, texts, outlier_spread), [*subjects, *gathered]


def _spare(
    named: list[int], assignments: np.ndarray, sizes: np.ndarray, taken: np.ndarray
) -> list[int]:
    """The contacts of `named` whose facet can give them up: no facet gives more than
    `MAX_TAKEN_SHARE` of its members (counting what earlier subjects took); contacts
    without a facet always can."""
    by_facet: dict[int, list[int]] = {}
    for i in named:
        by_facet.setdefault(int(assignments[i]), []).append(i)
    spare: list[int] = []
    for facet, members in by_facet.items():
        if facet < 0 or taken[facet] + len(members) <= MAX_TAKEN_SHARE * sizes[facet]:
            spare.extend(members)
    return sorted(spare)

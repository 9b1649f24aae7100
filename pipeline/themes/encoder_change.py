"""Identity across a change of the stream's encoder (docs/models.md, "When the stream's
encoder changes").

The saved theme model's centroids live in the space of the encoder that made them. After the
stream's encoder changed (another model, maybe another size) they cannot be compared with the
new facets' centroids, so a refit compares what does not depend on vectors: each previous
facet's and theme's member contacts in the window (whichever encoder embedded them) against
each new cluster's members, as c-TF-IDF word profiles (`topics.identity.word_similarity`).
Member overlap still counts where a contact carries both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np

from pipeline.warehouse import theme_store
from topics.discovery import DiscoveryResult
from topics.identity import word_similarity
from topics.model import ThemeModel


def comparable(previous: ThemeModel, embedding_model: str, dimension: int) -> bool:
    """Whether the previous model's centroids share the new vectors' space: the same encoder
    (`model_id@model_version`) and size."""
    return previous.embedding_model == embedding_model and previous.centroids.shape[1:] == (
        dimension,
    )


@dataclass(frozen=True)
class PreviousWords:
    """What each previous theme and facet was about, in its members' words: one document per
    id of the previous model, in its order."""

    themes: list[str]
    facets: list[str]

    def theme_similarity(self, found: DiscoveryResult, texts: Sequence[str]) -> np.ndarray:
        return word_similarity(self.themes, cluster_documents(found, texts))

    def facet_similarity(self, found: DiscoveryResult, texts: Sequence[str]) -> np.ndarray:
        return word_similarity(self.facets, cluster_documents(found, texts))


def previous_words(
    con: duckdb.DuckDBPyConnection, until: date | None, days: int, previous: ThemeModel
) -> PreviousWords:
    """The previous themes' and facets' documents: their members' words in the window; a
    theme with no member there is known by its key phrases."""
    by_theme: dict[str, list[str]] = {}
    by_facet: dict[str, list[str]] = {}
    for words, theme_id, facet_id in theme_store.themed_words(con, until, days):
        if theme_id is not None:
            by_theme.setdefault(theme_id, []).append(words)
        if facet_id is not None:
            by_facet.setdefault(facet_id, []).append(words)

    def documents(
        ids: Sequence[str], members: dict[str, list[str]], phrases: Sequence[Sequence[str]]
    ) -> list[str]:
        return ["\n".join(members.get(i) or phrases[k]) for k, i in enumerate(ids)]

    return PreviousWords(
        documents(previous.ids, by_theme, previous.keyphrases),
        documents(previous.facet_ids, by_facet, previous.facet_keyphrases),
    )


def cluster_documents(found: DiscoveryResult, texts: Sequence[str]) -> list[str]:
    """Each cluster's member texts joined, in cluster order."""
    return [
        "\n".join(texts[i] for i in np.flatnonzero(found.assignments == k))
        for k in range(found.n_themes)
    ]

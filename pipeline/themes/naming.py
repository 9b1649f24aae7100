"""Names for a refit's themes and facets, in the members' own words (`topics.subject_names`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from pipeline.warehouse import theme_store
from topics.discovery import DiscoveryResult
from topics.model import centred
from topics.names import plain_name
from topics.subject_names import facet_labels, subject_labels

PhraseEmbedder = Callable[[list[str]], np.ndarray]


def phrase_embedder(
    encode: PhraseEmbedder | None, center: np.ndarray, blocks: int
) -> PhraseEmbedder | None:
    """Phrases → vectors centred as the window's contacts are, given the stream's encoder;
    names then weigh their candidates by closeness. None without an encoder."""
    if encode is None:
        return None
    return lambda phrases: centred(encode(phrases), center, blocks)


def named_themes(
    themes: DiscoveryResult, window: theme_store.Window, embed: PhraseEmbedder | None
) -> DiscoveryResult:
    """Themes named by the subject in the members' words, subject lines included and, with
    an encoder, weighed by closeness."""
    names = subject_labels(
        window.texts,
        themes.assignments,
        themes.n_themes,
        subjects=window.subjects,
        centroids=themes.centroids,
        embed=embed,
    )
    return replace(themes, labels=names)


def named_facets(
    facets: DiscoveryResult,
    groups: list[int],
    group_names: Sequence[str],
    window: theme_store.Window,
    embed: PhraseEmbedder | None,
) -> DiscoveryResult:
    """Facets named likewise, each by a phrase that the name its theme carries in the
    taxonomy (`group_names`: a curator's, or a machine name kept from an earlier refit) does
    not already say: under "Proeftijd" no facet is called "Proeftijd" again."""
    names = facet_labels(
        window.texts,
        facets.assignments,
        np.asarray(groups),
        [plain_name(name) for name in group_names],
        subjects=window.subjects,
        centroids=facets.centroids,
        embed=embed,
    )
    return replace(facets, labels=names)

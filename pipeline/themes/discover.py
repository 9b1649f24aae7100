"""A refit's discovery: the window's facets, found by the stream's encoder or by another one
(docs/models.md, "Roles: who discovers, who assigns"), always expressed in the stream's space."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from models.ensemble import block_count
from pipeline.themes.naming import PhraseEmbedder, named_themes
from pipeline.warehouse import theme_store
from topics.discovery import (
    DiscoveryConfig,
    DiscoveryResult,
    ThemeDiscovery,
    min_cluster_size_for,
)
from topics.ids import facet_subjects
from topics.model import centred
from topics.sampling import place_rest, stratified_sample
from topics.second_space import in_space
from topics.seeded import gather_curated
from topics.taxonomy import Taxonomy

if TYPE_CHECKING:
    from models.encoder import TextEncoder

log = logging.getLogger(__name__)


def discover_facets(
    window: theme_store.Window,
    vectors: np.ndarray,
    encoder: TextEncoder | None,
    config: DiscoveryConfig,
    sample_size: int,
) -> tuple[DiscoveryResult, str]:
    """The window's facets, in the stream's space (`vectors`, centred), and the
    `model_id@model_version` of the encoder that found them when it was not the stream's
    ('' when it was). Another encoder discovers on its own vectors of what the stream's
    encoder saw, centred by their own mean; its facets are then re-expressed in the stream's
    space from the same members (`topics.second_space`), because the stream compares new
    contacts with the centroids, and identity, names and quotes follow them. That encoder
    sees at most `sample_size` contacts, a sample stratified by week; the others take the
    facet of their nearest sampled neighbours in the stream's space (`topics.sampling`)."""
    if encoder is None:
        return ThemeDiscovery(config).fit(window.texts, vectors), ""
    sample = stratified_sample(window.weeks or [""] * len(vectors), sample_size, config.seed)
    inputs, texts = window.encoder_inputs, window.texts
    raw = encoder.encode([inputs[i] for i in sample])
    name = f"{encoder.model_id}@{encoder.model_version}"
    own = centred(raw, raw.mean(axis=0), block_count(name))
    sampled = [texts[i] for i in sample]
    found = ThemeDiscovery(config).fit(sampled, own)
    found = in_space(found, vectors[sample], sampled, config.outlier_spread)
    if len(sample) == len(texts):
        return found, name
    log.info(
        "refit: %s discovered on %d of the window's %d contacts; the rest placed by their "
        "sampled neighbours",
        name,
        len(sample),
        len(texts),
    )
    spread, cap = config.outlier_spread, config.max_unassigned
    return place_rest(found, sample, vectors, texts, spread, cap), name


def facets_by_subject(
    facets: DiscoveryResult,
    window: theme_store.Window,
    vectors: np.ndarray,
    taxonomy: Taxonomy,
    embed: PhraseEmbedder | None,
    config: DiscoveryConfig,
) -> tuple[DiscoveryResult, list[str | None]]:
    """The facets with each one's curated subject (`topics.ids.facet_subjects`, by its key
    phrases, label and the name its members' words give it), plus a facet for each curated
    subject that none speaks of but whose seed phrases enough contacts use
    (`topics.seeded.gather_curated`: as many as the discovery's smallest facet holds)."""
    own_names = named_themes(facets, window, embed).labels
    subjects = facet_subjects(facets.keyphrases, facets.labels, own_names, taxonomy)
    smallest = config.min_cluster_size or min_cluster_size_for(len(window.texts))
    return gather_curated(
        facets,
        subjects,
        window.texts,
        vectors,
        taxonomy,
        smallest,
        config.outlier_spread,
        config.language,
    )

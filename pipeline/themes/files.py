"""Where the theme jobs keep their files (the current theme model and the taxonomy), the
rules that make themes of facets, the encoder that weighs names, and the one that discovers
facets when it is not the stream's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from topics.facets import FacetGrouping
from topics.taxonomy import TaxonomyFile
from topics.tree import facet_tree

if TYPE_CHECKING:
    from models.encoder import TextEncoder


DISCOVERY_SAMPLE = 6000


@dataclass(frozen=True)
class ThemeFiles:
    model_dir: Path  # the current theme model (`topics.model.ThemeModel`), read by the workers
    taxonomy_path: Path  # the curated taxonomy (`topics.taxonomy`), where every theme id lives
    # Which facets form one theme, and when a newborn joins one (`topics.facets`); by
    # default each facet is its own theme (see `theme_grouping`).
    grouping: FacetGrouping = field(default_factory=FacetGrouping)
    # Phrases -> raw embeddings by the stream's encoder: names are then weighed by how close
    # a phrase lies to its theme (`topics.subject_names`); None: by the words alone.
    phrase_encoder: Callable[[list[str]], np.ndarray] | None = None
    # Texts -> raw vectors by the encoder that discovers facets at a refit, when it is not the
    # stream's (`pipeline.themes.discovery_encoder`); the facets are then re-expressed in the
    # stream's space. None: the stream's encoder discovers, on the vectors the window carries.
    discovery_encoder: TextEncoder | None = None
    # At most this many of the window's contacts, a sample stratified by week, are embedded
    # by that encoder and discovered on; the others are placed by the facets' centroids
    # (`topics.sampling`). Sized so a cold refit of 12 weeks fits its time (docs/models.md).
    discovery_sample: int = DISCOVERY_SAMPLE

    @property
    def taxonomy(self) -> TaxonomyFile:
        return TaxonomyFile(self.taxonomy_path)


def theme_grouping(tree: bool) -> FacetGrouping:
    """The tree's grouping by words and centroids (`topics.tree.facet_tree`) when `tree`, else each facet its
    own theme."""
    return facet_tree() if tree else FacetGrouping()

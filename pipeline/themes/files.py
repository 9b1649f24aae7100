"""Where the theme jobs keep their files (the current theme model and the taxonomy), and
the rules that make themes of facets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from topics.facets import FacetGrouping
from topics.taxonomy import TaxonomyFile


@dataclass(frozen=True)
class ThemeFiles:
    model_dir: Path  # the current theme model (`topics.model.ThemeModel`), read by the workers
    taxonomy_path: Path  # the curated taxonomy (`topics.taxonomy`), where every theme id lives
    # Which facets form one theme, and when a newborn joins one (`topics.facets`). The tree
    # algorithm plugs in here; the default keeps each facet its own theme.
    grouping: FacetGrouping = field(default_factory=FacetGrouping)

    @property
    def taxonomy(self) -> TaxonomyFile:
        return TaxonomyFile(self.taxonomy_path)

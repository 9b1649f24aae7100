"""Where the theme jobs keep their files: the current theme model and the taxonomy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from topics.taxonomy import TaxonomyFile


@dataclass(frozen=True)
class ThemeFiles:
    model_dir: Path  # the current theme model (`topics.model.ThemeModel`), read by the workers
    taxonomy_path: Path  # the curated taxonomy (`topics.taxonomy`), where every theme id lives

    @property
    def taxonomy(self) -> TaxonomyFile:
        return TaxonomyFile(self.taxonomy_path)

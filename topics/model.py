"""The current theme model: what online assignment needs between refits.

A refit writes it atomically to `<data_dir>/themes/`; workers reload it when the
file changes, so new theme ids reach the stream without a restart.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from topics.assign import ThemeAssigner

_ARRAYS = "model.npz"
_META = "model.json"


@dataclass
class ThemeModel:
    ids: list[str]
    names: list[str]
    keyphrases: list[list[str]]
    centroids: np.ndarray
    threshold: float
    embedding_model: str
    refit_id: str
    # Mean embedding of the refit window. Sentence encoders such as e5 put all texts in a
    # narrow cone; themes are found, and contacts assigned, after removing that shared direction.
    center: np.ndarray | None = None
    blocks: int = 1  # encoders side by side in each vector (`models.ensemble`)
    # The facets beneath the themes (`topics.facets`): contacts go to their nearest facet and
    # take its theme. Empty in a model saved before the theme tree: then to the nearest theme.
    facet_ids: list[str] = field(default_factory=list)
    facet_themes: list[str] = field(default_factory=list)  # each facet's theme id
    facet_names: list[str] = field(default_factory=list)
    facet_keyphrases: list[list[str]] = field(default_factory=list)
    facet_centroids: np.ndarray | None = None
    # Each facet's outlier floor from the refit (`topics.discovery.outlier_floors`): the
    # lowest similarity at which the refit kept a contact in it, looser than `threshold`.
    # Used when a week closes (`settling_assigner`). Empty in a model saved before: then
    # `threshold` everywhere.
    facet_floors: list[float] = field(default_factory=list)
    # `model_id@model_version` of the encoder that discovered the facets when it was not the
    # stream's (`pipeline.themes.refit`); the centroids above are in the stream's space all the
    # same. Empty: the stream's encoder discovered them (and in every model saved before).
    discovery_model: str = ""

    def prepare(self, embeddings: np.ndarray) -> np.ndarray:
        return centred(embeddings, self.center, self.blocks)

    def assigner(self) -> ThemeAssigner:
        if self.facet_ids and self.facet_centroids is not None:
            return ThemeAssigner(
                self.facet_centroids, self.facet_themes, self.threshold, self.facet_ids
            )
        return ThemeAssigner(self.centroids, self.ids, self.threshold)

    def settling_assigner(self) -> ThemeAssigner:
        """Nearest facet under the refit's own rule: each facet's outlier floor where the
        model has one, else the stream's threshold."""
        if not self.facet_ids or len(self.facet_floors) != len(self.facet_ids):
            return self.assigner()
        return ThemeAssigner(
            self.facet_centroids,
            self.facet_themes,
            self.threshold,
            self.facet_ids,
            floors=np.minimum(np.asarray(self.facet_floors), self.threshold).tolist(),
        )

    def add_facet(
        self, facet_id: str, theme_id: str, name: str, keyphrases: list[str], centroid: np.ndarray
    ) -> None:
        """A facet born between refits, beneath `theme_id`. Its members all passed the
        stream's threshold, so that is its floor too."""
        row = np.asarray(centroid, dtype=np.float32)[None, :]
        if len(self.facet_floors) == len(self.facet_ids):
            self.facet_floors.append(self.threshold)
        self.facet_ids.append(facet_id)
        self.facet_themes.append(theme_id)
        self.facet_names.append(name)
        self.facet_keyphrases.append(keyphrases)
        self.facet_centroids = (
            row if self.facet_centroids is None else np.vstack([self.facet_centroids, row])
        )

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays = ("centroids", "center", "facet_centroids")
        meta = {k: v for k, v in asdict(self).items() if k not in arrays}
        tmp_arrays = directory / f".{_ARRAYS}.tmp"
        with open(tmp_arrays, "wb") as out:
            center = (
                np.zeros(0, np.float32) if self.center is None else self.center.astype(np.float32)
            )
            facets = (
                np.zeros((0, 0), np.float32)
                if self.facet_centroids is None
                else self.facet_centroids.astype(np.float32)
            )
            np.savez(out, centroids=self.centroids.astype(np.float32), center=center, facets=facets)
        tmp_meta = directory / f".{_META}.tmp"
        tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp_arrays, directory / _ARRAYS)
        # The metadata is replaced last: readers key on it, so they never pair new ids with old centroids.
        os.replace(tmp_meta, directory / _META)

    @classmethod
    def load(cls, directory: Path) -> ThemeModel | None:
        if not (directory / _META).exists():
            return None
        meta = json.loads((directory / _META).read_text(encoding="utf-8"))
        arrays = np.load(directory / _ARRAYS)
        centroids = arrays["centroids"]
        if len(centroids) != len(meta["ids"]):
            raise ValueError(f"theme model in {directory} is inconsistent; run a refit")
        center = arrays["center"] if "center" in arrays and arrays["center"].size else None
        facets = arrays.get("facets")
        if len(meta.get("facet_ids", [])) != (0 if facets is None else len(facets)):
            raise ValueError(f"theme model in {directory} has inconsistent facets; run a refit")
        return cls(centroids=centroids, center=center, facet_centroids=facets, **meta)


def centred(embeddings: np.ndarray, center: np.ndarray | None, blocks: int = 1) -> np.ndarray:
    """Embeddings minus the window's mean, back on the unit sphere.

    Vectors of an ensemble of `blocks` encoders (`models.ensemble`) are centred and normalised
    block by block, then scaled to unit length: normalising the whole instead would let the
    model whose vectors spread least after centring (e5, in a narrow cone) count least.
    """
    shifted = np.asarray(embeddings, dtype=np.float32) - (0.0 if center is None else center)
    rows, dimension = shifted.shape
    parts = shifted.reshape(rows, blocks, dimension // blocks)
    norms = np.linalg.norm(parts, axis=2, keepdims=True)
    return (parts / np.maximum(norms, 1e-12) / np.sqrt(blocks)).reshape(rows, dimension)


class ThemeModelWatcher:
    """Hands out the latest saved model, re-reading it only when it changed on disk."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._stamp: float | None = None
        self._model: ThemeModel | None = None

    def current(self) -> ThemeModel | None:
        meta = self.directory / _META
        stamp = meta.stat().st_mtime if meta.exists() else None
        if stamp != self._stamp:
            self._model = ThemeModel.load(self.directory)
            self._stamp = stamp
        return self._model

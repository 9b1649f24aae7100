"""The refit: rediscover the themes of the recent window and keep their identities stable.

Reads the window through the theme store, runs discovery and identity (`topics/`), settles
ids and names in the taxonomy, then stores themes, assignments, quotes and lineage in one
transaction and saves the theme model the workers assign with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb
import numpy as np
import pandas as pd

from models.ensemble import block_count
from pipeline.themes.files import ThemeFiles
from pipeline.themes.quotes import weekly_quotes
from pipeline.warehouse import theme_store
from topics.assign import ThemeAssigner
from topics.discovery import DiscoveryConfig, DiscoveryResult, ThemeDiscovery
from topics.identity import LineageEvent, match_themes, member_overlap
from topics.ids import fold_same_ids, settle_ids
from topics.model import ThemeModel, centred
from topics.names import follow_labels, register_discovered
from topics.representation import representative_quotes
from topics.taxonomy import TaxonomyFile

REFIT_WINDOW_DAYS = 84
# Fewer contacts than this in the window: no refit, the themes stay as they are.
MIN_WINDOW_CONTACTS = 50


@dataclass
class RefitReport:
    refit_id: str
    documents: int
    themes: int
    coverage: float
    changes: dict[str, int] = field(default_factory=dict)


@dataclass
class _Identified:
    result: DiscoveryResult  # clusters that share an id folded into one
    ids: list[str]
    names: list[str]
    events: list[LineageEvent]


def refit(
    con: duckdb.DuckDBPyConnection,
    files: ThemeFiles,
    until: date | None = None,
    config: DiscoveryConfig | None = None,
) -> RefitReport:
    """Rediscover themes on the window up to `until` and keep their identities stable."""
    now = datetime.now(UTC)
    refit_id = now.strftime("%Y%m%dT%H%M%S%fZ")
    window = theme_store.load_window(con, until, REFIT_WINDOW_DAYS)
    if len(window.event_ids) < MIN_WINDOW_CONTACTS:
        return RefitReport(refit_id, len(window.event_ids), 0, 0.0)
    center = window.embeddings.mean(axis=0)
    blocks = block_count(window.embedding_model)
    vectors = centred(window.embeddings, center, blocks)
    result = ThemeDiscovery(config or DiscoveryConfig(seed=42)).fit(window.texts, vectors)
    previous = ThemeModel.load(files.model_dir)
    found = _identify(result, vectors, window.themes, previous, files.taxonomy)
    result, ids = found.result, found.ids
    assigner = ThemeAssigner.from_fit(vectors, result.assignments, result.centroids, ids)
    with theme_store.transaction(con):
        theme_store.write_themes(con, ids, found.names, result.keyphrases, now)
        theme_store.retire_themes_except(con, ids)
        theme_store.write_contact_themes(
            con, _assignments(window.event_ids, vectors, result, ids, now)
        )
        theme_store.update_first_seen(con)
        ranked = representative_quotes(
            vectors, result.assignments, result.centroids, window.texts, n_quotes=len(vectors)
        )
        for theme_id, members in zip(ids, ranked, strict=True):
            quotes = weekly_quotes(members, window.texts, window.event_ids, window.weeks)
            theme_store.write_quotes(con, theme_id, quotes)
        theme_store.write_lineage(con, _lineage(refit_id, found.events, ids, previous, now))
    ThemeModel(
        ids,
        found.names,
        result.keyphrases,
        result.centroids,
        assigner.threshold,
        window.embedding_model,
        refit_id,
        center,
        blocks,
    ).save(files.model_dir)
    changes: dict[str, int] = {}
    for event in found.events:
        changes[event.kind] = changes.get(event.kind, 0) + 1
    if previous is None:
        changes["born"] = len(ids)
    coverage = float((result.assignments >= 0).mean())
    return RefitReport(refit_id, len(window.event_ids), len(ids), coverage, changes)


def _identify(
    result: DiscoveryResult,
    vectors: np.ndarray,
    themes_before: list[str | None],
    previous: ThemeModel | None,
    taxonomy_file: TaxonomyFile,
) -> _Identified:
    """Ids for the new clusters (continued, curated or new), registered and named in the
    taxonomy; clusters whose ids resolve to one theme are folded into it."""
    taxonomy = taxonomy_file.load()
    new_id = taxonomy.id_allocator()
    if previous is not None and previous.ids:
        match = match_themes(
            previous.centroids,
            previous.keyphrases,
            previous.ids,
            result.centroids,
            result.keyphrases,
            new_id=new_id,
            pinned=[t.id for t in taxonomy.themes.values() if t.pinned],
            overlap=member_overlap(
                themes_before, result.assignments, previous.ids, result.n_themes
            ),
        )
        ids = settle_ids(match.ids, previous.ids, result.keyphrases, taxonomy, result.labels)
        events = match.events
    else:
        ids = settle_ids([None] * result.n_themes, [], result.keyphrases, taxonomy, result.labels)
        events = []
    ids = [theme_id or new_id() for theme_id in ids]
    taxonomy = register_discovered(taxonomy_file, ids, result.keyphrases, result.labels)
    result, ids = fold_same_ids(result, [taxonomy.resolve(i) for i in ids], vectors)
    taxonomy = follow_labels(taxonomy_file, ids, result.keyphrases, result.labels)
    return _Identified(result, ids, [taxonomy.themes[i].name for i in ids], events)


def _assignments(
    event_ids: list[str],
    vectors: np.ndarray,
    result: DiscoveryResult,
    ids: list[str],
    now: datetime,
) -> pd.DataFrame:
    """Each window contact's theme after the refit, with its similarity to the centroid."""
    assignments, centroids = result.assignments, result.centroids
    sims = np.einsum("ij,ij->i", vectors, centroids[np.maximum(assignments, 0)])
    return pd.DataFrame(
        {
            "event_id": event_ids,
            "theme_id": [ids[a] if a >= 0 else None for a in assignments],
            "similarity": np.where(assignments >= 0, sims, 0.0),
            "assigned_by": "refit",
            "assigned_at": now,
        }
    )


def _lineage(
    refit_id: str,
    events: list[LineageEvent],
    ids: list[str],
    previous: ThemeModel | None,
    now: datetime,
) -> list[tuple[str, str, str | None, str | None, float | None, datetime]]:
    rows: list[tuple[str, str, str | None, str | None, float | None, datetime]] = []
    if previous is None:
        rows = [(refit_id, "born", None, i, None, now) for i in ids]
    for event in events:
        sources = event.from_ids or (None,)
        targets = event.to_ids or (None,)
        rows += [
            (refit_id, event.kind, s, t, event.similarity, now) for s in sources for t in targets
        ]
    return rows

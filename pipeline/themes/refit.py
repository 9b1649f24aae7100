"""The refit: rediscover the themes of the recent window and keep their identities stable.

Reads the window through the theme store and runs discovery: its clusters are the facets.
Discovery runs on the stream's vectors, or, when the settings name another discovery
encoder (`ThemeFiles.discovery_encoder`), on that encoder's vectors, with the facets then
re-expressed in the stream's space (`pipeline.themes.discover`): everything after discovery
lives in the stream's space.
Each facet's curated subject is settled, and a curated subject no facet speaks of gathers the
contacts that use its seed phrases as a facet of its own (`topics.seeded`).
The grouping (`ThemeFiles.grouping`, `topics.facets`) makes themes of them; facets a curator
placed stay under their theme. Identity (`topics/`) settles facet ids and theme ids, each
at its own level, and their names in the taxonomy; then themes, facets, assignments, quotes
and both lineages are stored in one transaction and the theme model the workers assign
with is saved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial

import duckdb
import numpy as np
import pandas as pd

from models.ensemble import block_count
from pipeline.themes.discover import discover_facets, facets_by_subject
from pipeline.themes.encoder_change import PreviousWords, comparable, previous_words
from pipeline.themes.files import ThemeFiles
from pipeline.themes.naming import named_facets, named_themes, phrase_embedder
from pipeline.themes.quotes import weekly_quotes
from pipeline.warehouse import theme_store
from topics.assign import ThemeAssigner
from topics.discovery import DiscoveryConfig, DiscoveryResult
from topics.facets import facet_summaries, theme_groups, themes_of
from topics.identity import (
    LineageEvent,
    cluster_share,
    match_themes,
    member_overlap,
    merged_into,
)
from topics.ids import fold_same_ids, follow_curated_subjects, settle_ids
from topics.model import ThemeModel, centred
from topics.names import (
    absorb_found,
    adopt_curated,
    follow_labels,
    register_discovered,
    settle_facets,
)
from topics.representation import representative_quotes
from topics.subject_names import nominal_name, nominal_words
from topics.taxonomy import Taxonomy, TaxonomyFile

REFIT_WINDOW_DAYS = 84
# Fewer contacts than this in the window: no refit, the themes stay as they are.
MIN_WINDOW_CONTACTS = 50

log = logging.getLogger(__name__)


@dataclass
class RefitReport:
    refit_id: str
    documents: int
    themes: int
    coverage: float
    changes: dict[str, int] = field(default_factory=dict)
    facets: int = 0
    discovered_by: str = ""  # the discovery encoder when not the stream's (`ThemeModel`)
    # How ids were matched with the previous model's: "centroids", or "words" after the
    # stream's encoder changed (`pipeline.themes.encoder_change`); "" with no previous model.
    identity_by: str = ""


@dataclass
class _Identified:
    result: DiscoveryResult  # clusters that share an id folded into one
    ids: list[str]
    names: list[str]
    events: list[LineageEvent]
    group_ids: list[str]  # the theme id of each group given, before folding


@dataclass
class _Facets:
    ids: list[str]
    themes: list[str]  # each facet's theme id
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
    config = config or DiscoveryConfig(seed=42)
    facets, discovered_by = discover_facets(
        window, vectors, files.discovery_encoder, config, files.discovery_sample
    )
    embed = phrase_embedder(files.phrase_encoder, center, blocks)
    taxonomy = files.taxonomy.load()
    found_facets = facets.n_themes
    facets, subjects = facets_by_subject(facets, window, vectors, taxonomy, embed, config)
    previous = ThemeModel.load(files.model_dir)
    words = None
    if previous is not None and not comparable(previous, window.embedding_model, vectors.shape[1]):
        log.warning(
            "refit %s: the stream's encoder changed (themes saved with %s, %d-d; the window is "
            "%s, %d-d), so theme and facet ids are matched by their members' words, not by "
            "centroids",
            refit_id,
            previous.embedding_model,
            previous.centroids.shape[1],
            window.embedding_model,
            vectors.shape[1],
        )
        words = previous_words(con, until, REFIT_WINDOW_DAYS, previous)
    facet_ids, facet_events = _facet_ids(
        facets, window.facets, previous, files.taxonomy, window.texts, words
    )
    summaries = facet_summaries(
        facets, window.texts, subjects, window.days or None, window.themes or None
    )
    groups = theme_groups(files.grouping.group, summaries)
    groups, placed = _curated_groups(groups, facet_ids, taxonomy)
    themes = themes_of(facets, groups, vectors, window.texts)
    themes = named_themes(themes, window, embed)
    # A facet its seed phrases gathered makes its theme that subject's, whatever its words.
    gathered = {groups[k]: subjects[k] for k in range(found_facets, facets.n_themes)}
    found = _identify(themes, vectors, window, previous, files.taxonomy, placed, words, gathered)
    result, ids = found.result, found.ids
    carried = dict(zip(found.ids, found.names, strict=True))
    facets = named_facets(facets, groups, [carried[i] for i in found.group_ids], window, embed)
    tree = _settle_facets(facets, facet_ids, facet_events, groups, found.group_ids, files)
    threshold = ThemeAssigner.from_fit(
        vectors, facets.assignments, facets.centroids, facet_ids
    ).threshold
    with theme_store.transaction(con):
        theme_store.write_themes(con, ids, found.names, result.keyphrases, now)
        theme_store.retire_themes_except(con, ids)
        theme_store.rename_inactive_themes(
            con, {t.id: t.name for t in files.taxonomy.load().themes.values()}
        )
        theme_store.write_facets(con, tree.ids, tree.themes, tree.names, facets.keyphrases, now)
        theme_store.retire_facets_except(con, tree.ids)
        theme_store.write_contact_themes(
            con, _assignments(window.event_ids, vectors, facets, tree, now)
        )
        theme_store.update_first_seen(con)
        ranked = representative_quotes(
            vectors, result.assignments, result.centroids, window.texts, n_quotes=len(vectors)
        )
        for theme_id, members in zip(ids, ranked, strict=True):
            quotes = weekly_quotes(members, window.texts, window.event_ids, window.weeks)
            theme_store.write_quotes(con, theme_id, quotes)
        theme_store.write_run(
            con, refit_id, theme_store.last_day(con, window.event_ids) or now.date()
        )
        theme_store.write_lineage(con, _lineage(refit_id, found.events, ids, previous, now))
        theme_store.write_facet_lineage(con, _facet_lineage(refit_id, tree, previous, now))
    ThemeModel(
        ids,
        found.names,
        result.keyphrases,
        result.centroids,
        threshold,
        window.embedding_model,
        refit_id,
        center,
        blocks,
        facet_ids=tree.ids,
        facet_themes=tree.themes,
        facet_names=tree.names,
        facet_keyphrases=facets.keyphrases,
        facet_centroids=facets.centroids,
        facet_floors=[float(floor) for floor in facets.floors],
        discovery_model=discovered_by,
    ).save(files.model_dir)
    changes: dict[str, int] = {}
    for event in found.events:
        changes[event.kind] = changes.get(event.kind, 0) + 1
    if previous is None:
        changes["born"] = len(ids)
    coverage = float((result.assignments >= 0).mean())
    identity_by = "" if previous is None else "centroids" if words is None else "words"
    return RefitReport(
        refit_id,
        len(window.event_ids),
        len(ids),
        coverage,
        changes,
        len(tree.ids),
        discovered_by,
        identity_by,
    )


def _facet_ids(
    facets: DiscoveryResult,
    facets_before: list[str | None],
    previous: ThemeModel | None,
    taxonomy_file: TaxonomyFile,
    texts: list[str],
    words: PreviousWords | None,
) -> tuple[list[str], list[LineageEvent]]:
    """Stable facet ids: the theme identity rules (`topics.identity`) at the facet level;
    by words (`words`) where the previous centroids are another encoder's."""
    new_id = taxonomy_file.load().facet_allocator()
    if previous is None or not previous.facet_ids or previous.facet_centroids is None:
        return [new_id() for _ in range(facets.n_themes)], []
    match = match_themes(
        previous.facet_centroids,
        previous.facet_keyphrases,
        previous.facet_ids,
        facets.centroids,
        facets.keyphrases,
        new_id=new_id,
        overlap=member_overlap(
            facets_before, facets.assignments, previous.facet_ids, facets.n_themes
        ),
        share=cluster_share(facets_before, facets.assignments, previous.facet_ids, facets.n_themes),
        words=None if words is None else words.facet_similarity(facets, texts),
    )
    return match.ids, match.events


def _curated_groups(
    groups: list[int], facet_ids: list[str], taxonomy: Taxonomy
) -> tuple[list[int], dict[int, str]]:
    """The grouping with the facets a curator placed taken out, each placed under its
    chosen theme (one group per such theme); and the theme id each such group must carry."""
    targets: dict[str, int] = {}
    out = list(groups)
    top = max(groups, default=-1) + 1
    for k, facet_id in enumerate(facet_ids):
        facet = taxonomy.facets.get(facet_id)
        if facet is None or not facet.placed:
            continue
        theme_id = taxonomy.resolve(facet.theme_id)
        if not taxonomy.themes[theme_id].is_active:
            continue
        out[k] = targets.setdefault(theme_id, top + len(targets))
    order: dict[int, int] = {}
    renumbered = [order.setdefault(g, len(order)) for g in out]
    return renumbered, {order[g]: theme_id for theme_id, g in targets.items()}


def _settle_facets(
    facets: DiscoveryResult,
    facet_ids: list[str],
    events: list[LineageEvent],
    groups: list[int],
    group_ids: list[str],
    files: ThemeFiles,
) -> _Facets:
    themes = [group_ids[g] for g in groups]
    taxonomy = settle_facets(files.taxonomy, facet_ids, themes, facets.labels, facets.keyphrases)
    names = [taxonomy.facets[f].name for f in facet_ids]
    return _Facets(facet_ids, themes, names, events)


def _identify(
    result: DiscoveryResult,
    vectors: np.ndarray,
    window: theme_store.Window,
    previous: ThemeModel | None,
    taxonomy_file: TaxonomyFile,
    placed: dict[int, str],
    words: PreviousWords | None,
    gathered: dict[int, str],
) -> _Identified:
    """Ids for the new clusters (continued, curated or new), registered and named in the
    taxonomy; clusters whose ids resolve to one theme are folded into it. `placed`: the id
    a cluster must carry (a theme a curator put facets under); `words`: match by words, the
    previous centroids being another encoder's; `gathered`: the curated subject of a cluster
    that holds a facet its seed phrases gathered (`topics.seeded`)."""
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
                window.themes, result.assignments, previous.ids, result.n_themes
            ),
            share=cluster_share(window.themes, result.assignments, previous.ids, result.n_themes),
            words=None if words is None else words.theme_similarity(result, window.texts),
        )
        ids = settle_ids(match.ids, previous.ids, result.keyphrases, taxonomy, result.labels)
        events = match.events
    else:
        ids = settle_ids([None] * result.n_themes, [], result.keyphrases, taxonomy, result.labels)
        events = []
    ids = [placed.get(k) or theme_id or new_id() for k, theme_id in enumerate(ids)]
    ids, adoptions = follow_curated_subjects(
        ids, result.keyphrases, result.labels, taxonomy, fixed=set(placed), known=gathered
    )
    register_discovered(taxonomy_file, ids, result.keyphrases, result.labels)
    taxonomy = adopt_curated(taxonomy_file, adoptions)
    events = events + [LineageEvent("merged", (s,), (c,)) for s, c in adoptions.items()]
    group_ids = [taxonomy.resolve(i) for i in ids]
    result, ids = fold_same_ids(result, group_ids, vectors)
    absorb_found(taxonomy_file, merged_into(events), ids)
    nouns = nominal_words(window.texts, window.subjects)
    taxonomy = follow_labels(
        taxonomy_file,
        ids,
        result.keyphrases,
        result.labels,
        nominal=partial(nominal_name, nouns=nouns),
    )
    return _Identified(result, ids, [taxonomy.themes[i].name for i in ids], events, group_ids)


def _assignments(
    event_ids: list[str],
    vectors: np.ndarray,
    facets: DiscoveryResult,
    tree: _Facets,
    now: datetime,
) -> pd.DataFrame:
    """Each window contact's facet and theme after the refit, with its similarity to the
    facet's centroid."""
    assignments, centroids = facets.assignments, facets.centroids
    sims = np.einsum("ij,ij->i", vectors, centroids[np.maximum(assignments, 0)])
    return pd.DataFrame(
        {
            "event_id": event_ids,
            "theme_id": [tree.themes[a] if a >= 0 else None for a in assignments],
            "similarity": np.where(assignments >= 0, sims, 0.0),
            "assigned_by": "refit",
            "assigned_at": now,
            "facet_id": [tree.ids[a] if a >= 0 else None for a in assignments],
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


def _facet_lineage(
    refit_id: str, tree: _Facets, previous: ThemeModel | None, now: datetime
) -> list[tuple[str, str, str | None, str | None, str | None, str | None, float | None, datetime]]:
    """What happened to each facet, with its theme before and after; a facet that continued
    under another theme also `moved`."""
    before = dict(zip(previous.facet_ids, previous.facet_themes, strict=True)) if previous else {}
    after = dict(zip(tree.ids, tree.themes, strict=True))
    if not tree.events:
        return [(refit_id, "born", None, f, None, after[f], None, now) for f in tree.ids]
    rows = []
    for event in tree.events:
        for s in event.from_ids or (None,):
            for t in event.to_ids or (None,):
                rows.append(
                    (
                        refit_id,
                        event.kind,
                        s,
                        t,
                        before.get(s) if s else None,
                        after.get(t) if t else None,
                        event.similarity,
                        now,
                    )
                )
        if event.kind == "continued":
            (facet_id,) = event.to_ids
            if before.get(facet_id) != after[facet_id]:
                rows.append(
                    (
                        refit_id,
                        "moved",
                        facet_id,
                        facet_id,
                        before.get(facet_id),
                        after[facet_id],
                        event.similarity,
                        now,
                    )
                )
    return rows

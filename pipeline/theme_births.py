"""Themes born between refits, from the contacts no current theme holds.

Every new day the schedule looks at the unassigned contacts since the last refit; a dense
group that names a subject becomes a theme at once, with an id in the taxonomy, quotes and
a lineage entry, and takes along the earlier contacts that are nearest to it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import numpy as np

from pipeline.content import member_words
from pipeline.settings import Settings
from pipeline.theme_assignments import store_nearest_themes, update_first_seen
from pipeline.themes_job import REFIT_WINDOW_DAYS, write_quotes, write_themes
from topics.assign import propose_new_themes
from topics.ids import guided_id
from topics.model import ThemeModel
from topics.names import register_discovered
from topics.taxonomy import TaxonomyFile

# Themed contacts a birth's key phrases are weighed against (the most recent ones).
BIRTH_BACKGROUND_CONTACTS = 2000


def discover_unassigned(
    con: duckdb.DuckDBPyConnection, settings: Settings, since: date, min_size: int = 15
) -> list[str]:
    """Propose themes from contacts no current theme fits; each dense group is born as a theme.

    A group whose key phrases are only greetings, thanks and other filler is not born
    (`topics.assign.propose_new_themes`); its contacts stay unassigned.
    """
    model = ThemeModel.load(settings.themes_dir)
    if model is None:
        return []
    rows = con.execute(
        """SELECT s.event_id, s.text, s.embedding, c.occurred_week FROM staging.contact_texts s
           JOIN core.contact_themes t USING (event_id) JOIN core.contacts c USING (event_id)
           WHERE t.theme_id IS NULL AND s.occurred_at::DATE >= ? AND s.embedding_model = ?""",
        [since, model.embedding_model],
    ).fetchall()
    if len(rows) < min_size:
        return []
    embeddings = model.prepare(np.asarray([r[2] for r in rows], dtype=np.float32))
    texts = [member_words(r[1]) for r in rows]  # key phrases and quotes from the member's own words
    # Key phrases say what sets a newborn apart from the contacts existing themes hold.
    themed = con.execute(
        """SELECT s.text FROM staging.contact_texts s JOIN core.contact_themes t USING (event_id)
           WHERE t.theme_id IS NOT NULL ORDER BY s.occurred_at DESC, s.event_id LIMIT ?""",
        [BIRTH_BACKGROUND_CONTACTS],
    ).fetchall()
    background = [member_words(r[0]) for r in themed]
    candidates = propose_new_themes(
        embeddings, texts, min_size, model.threshold, background=background
    )
    if not candidates:
        return []
    taxonomy_file = TaxonomyFile(settings.data_dir / "taxonomy.yaml")
    taxonomy = taxonomy_file.load()
    new_id = taxonomy.id_allocator()
    ids: list[str] = []
    for candidate in candidates:
        taken = set(model.ids) | set(ids)
        ids.append(guided_id(candidate.keyphrases, taxonomy, taken, candidate.label) or new_id())
    taxonomy = register_discovered(
        taxonomy_file, ids, [c.keyphrases for c in candidates], [c.label for c in candidates]
    )
    now = datetime.now(UTC)
    born: list[str] = []
    con.begin()
    try:
        for theme_id, candidate in zip(ids, candidates, strict=True):
            name = taxonomy.themes[theme_id].name
            members = [rows[i][0] for i in candidate.members]
            write_themes(con, [theme_id], [name], [candidate.keyphrases], now)
            con.executemany(
                "UPDATE core.contact_themes SET theme_id = ?, assigned_by = 'birth', assigned_at = ? WHERE event_id = ?",
                [(theme_id, now, event_id) for event_id in members],
            )
            write_quotes(
                con,
                [theme_id],
                [list(range(len(members)))],
                [texts[i] for i in candidate.members],
                members,
                [rows[i][3] for i in candidate.members],
            )
            con.execute(
                "INSERT INTO core.theme_lineage VALUES (?, 'born', NULL, ?, ?, ?)",
                [f"birth-{now:%Y%m%dT%H%M%S}", theme_id, candidate.cohesion, now],
            )
            model.ids.append(theme_id)
            model.names.append(name)
            model.keyphrases.append(candidate.keyphrases)
            model.centroids = np.vstack(
                [model.centroids, candidate.centroid[None, :].astype(np.float32)]
            )
            born.append(theme_id)
        backdate_births(con, model, born, now)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    model.save(settings.themes_dir)
    return born


def backdate_births(
    con: duckdb.DuckDBPyConnection, model: ThemeModel, born: list[str], now: datetime
) -> int:
    """Give newborn themes the earlier contacts that are nearest to them, as a refit would.

    A birth takes only contacts no theme held. When its subject was there all along, inside
    a neighbouring theme (a refit had merged it) or spread over several, the newborn would
    otherwise start with an empty past and its first week would read as a "new theme".
    Contacts of the refit window whose nearest current theme is now a newborn move to it, so
    the emergence test compares the newborn with its true history. A genuinely new subject
    has no such past, and stays new. Returns the number of contacts moved.
    """
    rows = con.execute(
        """SELECT s.event_id, s.embedding FROM staging.contact_texts s
           JOIN core.contact_themes t USING (event_id)
           WHERE s.embedding_model = ? AND s.embedding IS NOT NULL
             AND (t.theme_id IS NULL OR NOT list_contains(?, t.theme_id))
             AND s.occurred_at::DATE > (SELECT max(occurred_at)::DATE FROM staging.contact_texts) - ?""",
        [model.embedding_model, born, REFIT_WINDOW_DAYS],
    ).fetchall()
    moved = store_nearest_themes(con, model, rows, now, only=born, assigned_by="birth")
    update_first_seen(con, born)
    return moved

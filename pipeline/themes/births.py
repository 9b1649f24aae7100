"""Facets and themes born between refits, from the contacts no current theme holds.

Every new day the schedule looks at the unassigned contacts since the last refit; a dense
group that names a subject becomes a facet at once, with an id in the taxonomy and a
lineage entry, and takes along the earlier contacts that are nearest to it. The facet joins
an existing theme when it is a variation of it (`FacetGrouping.attach`); else it is a
new theme, with its own id, quotes and lineage entry.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import duckdb
import numpy as np
import pandas as pd

from pipeline.themes.files import ThemeFiles
from pipeline.themes.quotes import weekly_quotes
from pipeline.themes.refit import REFIT_WINDOW_DAYS
from pipeline.themes.retheme import store_nearest_themes
from pipeline.warehouse import theme_store
from topics.assign import propose_new_themes
from topics.facets import FacetSummary, facet_own_contacts
from topics.ids import curated_subject, guided_id
from topics.model import ThemeModel
from topics.names import register_discovered, settle_facets
from topics.taxonomy import Taxonomy

# Themed contacts a birth's key phrases are weighed against (the most recent ones).
BIRTH_BACKGROUND_CONTACTS = 2000
# Recent contacts per facet whose words a newborn is compared with (`FacetGrouping.attach`).
ATTACH_CONTACTS_PER_FACET = 300
# A known facet's recent contacts: their member's words and prepared embeddings.
KnownContacts = tuple[list[str], np.ndarray]


def discover_unassigned(
    con: duckdb.DuckDBPyConnection, files: ThemeFiles, since: date, min_size: int = 15
) -> list[str]:
    """Propose facets from contacts no current theme fits; each dense group is born as a
    facet, of an existing theme or of a new one. Returns the ids of the new themes.

    A group whose key phrases are only greetings, thanks and other filler is not born
    (`topics.assign.propose_new_themes`); its contacts stay unassigned.
    """
    model = ThemeModel.load(files.model_dir)
    if model is None:
        return []
    rows = theme_store.unassigned_contacts(con, since, model.embedding_model)
    if len(rows) < min_size:
        return []
    event_ids = [r[0] for r in rows]
    texts = [r[1] for r in rows]  # key phrases and quotes from the member's own words
    weeks = [r[3] for r in rows]
    embeddings = model.prepare(np.asarray([r[2] for r in rows], dtype=np.float32))
    # Key phrases say what sets a newborn apart from the contacts existing themes hold.
    background = theme_store.recent_themed_texts(con, BIRTH_BACKGROUND_CONTACTS)
    candidates = propose_new_themes(
        embeddings, texts, min_size, model.threshold, background=background
    )
    if not candidates:
        return []
    taxonomy_file = files.taxonomy
    taxonomy = taxonomy_file.load()
    new_theme_id, new_facet_id = taxonomy.id_allocator(), taxonomy.facet_allocator()
    facet_ids = [new_facet_id() for _ in candidates]
    # A model saved before the tree has no facets: its workers assign to the nearest theme
    # until the next refit, so newborns join it as themes only.
    tree = bool(model.facet_ids)
    known, known_contacts = _known_facets(con, model, taxonomy) if tree else ([], [])
    theme_ids: list[str] = []
    born: list[str] = []  # the candidates that are new themes, not facets of a known one
    for facet_id, candidate in zip(facet_ids, candidates, strict=True):
        newborn = FacetSummary(
            candidate.centroid,
            candidate.keyphrases,
            candidate.size,
            candidate.label,
            "\n".join(texts[i] for i in candidate.members),
            curated_subject(candidate.keyphrases, taxonomy, candidate.label),
        )
        theme_id = None
        if tree:
            weighed = _as_seen_by(newborn, known, known_contacts)
            theme_id = files.grouping.attach(newborn, weighed, model.facet_themes)
        if theme_id is None:
            taken = set(model.ids) | set(born)
            theme_id = guided_id(candidate.keyphrases, taxonomy, taken, candidate.label)
            theme_id = theme_id or new_theme_id()
            born.append(theme_id)
        theme_ids.append(theme_id)
        if tree:  # a later candidate may attach to this one
            model.add_facet(facet_id, theme_id, "", candidate.keyphrases, candidate.centroid)
            known.append(newborn)
            known_contacts.append(None)
    fresh = [k for k, theme_id in enumerate(theme_ids) if theme_id in born]
    taxonomy = register_discovered(
        taxonomy_file,
        [theme_ids[k] for k in fresh],
        [candidates[k].keyphrases for k in fresh],
        [candidates[k].label for k in fresh],
    )
    taxonomy = settle_facets(
        taxonomy_file,
        facet_ids,
        theme_ids,
        [c.label for c in candidates],
        [c.keyphrases for c in candidates],
    )
    now = datetime.now(UTC)
    birth_id = f"birth-{now:%Y%m%dT%H%M%S}"
    with theme_store.transaction(con):
        born_from = [event_ids[i] for candidate in candidates for i in candidate.members]
        theme_store.write_run(con, birth_id, theme_store.last_day(con, born_from) or now.date())
        members = []
        for facet_id, theme_id, candidate in zip(facet_ids, theme_ids, candidates, strict=True):
            facet_name = taxonomy.facets[facet_id].name
            if tree:
                model.facet_names[model.facet_ids.index(facet_id)] = facet_name
            theme_store.write_facets(
                con, [facet_id], [theme_id], [facet_name], [candidate.keyphrases], now
            )
            theme_store.write_facet_lineage(
                con, [(birth_id, "born", None, facet_id, None, theme_id, candidate.cohesion, now)]
            )
            # A member keeps its similarity: that to its nearest theme before, which it missed.
            members += [
                (event_ids[i], theme_id, rows[i][4], "birth", now, facet_id)
                for i in candidate.members
            ]
            if theme_id not in born:
                continue
            name = taxonomy.themes[theme_id].name
            theme_store.write_themes(con, [theme_id], [name], [candidate.keyphrases], now)
            quotes = weekly_quotes(candidate.members, texts, event_ids, weeks)
            theme_store.write_quotes(con, theme_id, quotes)
            theme_store.write_lineage(
                con, [(birth_id, "born", None, theme_id, candidate.cohesion, now)]
            )
            model.ids.append(theme_id)
            model.names.append(name)
            model.keyphrases.append(candidate.keyphrases)
            model.centroids = np.vstack(
                [model.centroids, candidate.centroid[None, :].astype(np.float32)]
            )
        theme_store.write_contact_themes(
            con, pd.DataFrame(members, columns=list(theme_store.CONTACT_THEME_COLUMNS))
        )
        backdate_births(con, model, facet_ids if tree else born, sorted(set(theme_ids)), now)
    model.save(files.model_dir)
    return born


def _known_facets(
    con: duckdb.DuckDBPyConnection, model: ThemeModel, taxonomy: Taxonomy
) -> tuple[list[FacetSummary], list[KnownContacts | None]]:
    """The model's facets with their curated subjects, and each facet's recent contacts
    (words and prepared embeddings). A facet's words are set per newborn (`_as_seen_by`)."""
    recent = theme_store.recent_facet_contacts(
        con, model.facet_ids, ATTACH_CONTACTS_PER_FACET, model.embedding_model
    )
    facets: list[FacetSummary] = []
    contacts: list[KnownContacts | None] = []
    for facet_id, name, keyphrases, centroid in zip(
        model.facet_ids,
        model.facet_names,
        model.facet_keyphrases,
        model.facet_centroids,
        strict=True,
    ):
        texts = [text for text, _ in recent[facet_id]]
        vectors = np.asarray([vector for _, vector in recent[facet_id]], dtype=np.float32)
        if len(texts):
            vectors = model.prepare(vectors)
        facets.append(
            FacetSummary(
                centroid,
                keyphrases,
                len(texts),
                name,
                "",
                curated_subject(keyphrases, taxonomy, name),
            )
        )
        contacts.append((texts, vectors))
    return facets, contacts


def _as_seen_by(
    newborn: FacetSummary,
    facets: list[FacetSummary],
    contacts: list[KnownContacts | None],
) -> list[FacetSummary]:
    """Each known facet with the words of only its own contacts, not the strays of the
    newborn's subject it holds (`facet_own_contacts`); a facet born in this pass keeps its
    words."""
    seen = []
    for facet, known in zip(facets, contacts, strict=True):
        if known is not None:
            texts, vectors = known
            own = facet_own_contacts(vectors, facet.centroid, newborn.centroid)
            facet = replace(
                facet, text="\n".join(t for t, keep in zip(texts, own, strict=True) if keep)
            )
        seen.append(facet)
    return seen


def backdate_births(
    con: duckdb.DuckDBPyConnection,
    model: ThemeModel,
    newborns: list[str],
    themes: list[str],
    now: datetime,
) -> int:
    """Give newborn facets (and so their themes) the earlier contacts that are nearest to
    them, as a refit would.

    A birth takes only contacts no theme held. When its subject was there all along, inside
    a neighbouring theme (a refit had merged it) or spread over several, the newborn would
    otherwise start with an empty past and its first week would read as a "new theme".
    Contacts of the refit window whose nearest current theme is now a newborn move to it, so
    the emergence test compares the newborn with its true history. A genuinely new subject
    has no such past, and stays new. `newborns`: the facets born (the themes, for a model
    from before the tree); `themes`: theirs, whose first day is updated. Returns the number
    of contacts moved.
    """
    rows = theme_store.recent_contacts_outside(
        con, model.embedding_model, newborns, REFIT_WINDOW_DAYS
    )
    moved = store_nearest_themes(con, model, rows, now, only=newborns, assigned_by="birth")
    theme_store.update_first_seen(con, themes)
    return moved

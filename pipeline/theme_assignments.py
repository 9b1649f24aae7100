"""Storing which theme a contact has, outside a full refit.

The sink themes contacts the worker could not compare with any model yet or gave a theme
that has since ended, and births move earlier contacts to a newborn theme; both store each contact's nearest theme the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd

from pipeline.settings import Settings
from topics.model import ThemeModel


def assign_waiting(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Theme the contacts that wait for a current theme: those the worker could not compare
    with any model, and those it gave a theme that a later refit ended.

    A worker that runs ahead of the sink (a backlog after downtime, a replay of history,
    `make demo`) enriches contacts while the first refit is still running. They land with no
    theme and no similarity; unlike contacts that no theme fits, they were never compared.
    Left so, births took them for a new subject and the emergence scan missed them until
    the next refit. Likewise a worker still holding the previous model themes contacts with
    a theme the refit has just ended (died, or merged into another); left so, they counted
    for a theme that no longer exists, and a short-lived piece raised "new theme" alerts on
    its last days. Returns how many were compared now."""
    model = ThemeModel.load(settings.themes_dir)
    if model is None:
        return 0
    rows = con.execute(
        """SELECT t.event_id, s.embedding FROM core.contact_themes t
           JOIN staging.contact_texts s USING (event_id)
           WHERE s.embedding_model = ?
             AND ((t.similarity IS NULL AND t.theme_id IS NULL)
                  OR NOT list_contains(?, t.theme_id))""",
        [model.embedding_model, model.ids],
    ).fetchall()
    return store_nearest_themes(con, model, rows, datetime.now(UTC))


def store_nearest_themes(
    con: duckdb.DuckDBPyConnection,
    model: ThemeModel,
    rows: list[tuple[str, list[float]]],
    now: datetime,
    only: list[str] | None = None,
    assigned_by: str | None = None,
) -> int:
    """Compare contacts (event_id, embedding) with the model's themes and store each one's
    nearest theme, or none below the model's threshold. With `only`, just the contacts whose
    nearest theme is one of these change. `assigned_by` None keeps what each row said.
    Returns how many contacts were stored."""
    if not rows:
        return 0
    found = model.assigner().assign(model.prepare(np.asarray([r[1] for r in rows], np.float32)))
    nearest = pd.DataFrame(
        [
            (event_id, a.theme_id, a.similarity)
            for (event_id, _), a in zip(rows, found, strict=True)
            if only is None or a.theme_id in only
        ],
        columns=["event_id", "theme_id", "similarity"],
    )
    con.register("nearest", nearest)
    con.execute(
        """UPDATE core.contact_themes t SET theme_id = n.theme_id, similarity = n.similarity,
               assigned_by = coalesce(?, t.assigned_by), assigned_at = ?
           FROM nearest n WHERE t.event_id = n.event_id""",
        [assigned_by, now],
    )
    con.unregister("nearest")
    return len(nearest)


def update_first_seen(con: duckdb.DuckDBPyConnection, theme_ids: list[str] | None = None) -> None:
    """Each theme's day of its earliest contact (of these themes only, when given)."""
    only = "WHERE list_contains(?, ct.theme_id)" if theme_ids else ""
    con.execute(
        f"""UPDATE core.themes t SET first_seen_day = f.first_day
            FROM (SELECT ct.theme_id, min(c.occurred_day) AS first_day FROM core.contact_themes ct
                  JOIN core.contacts c USING (event_id) {only} GROUP BY ct.theme_id) f
            WHERE t.theme_id = f.theme_id""",
        [theme_ids] if theme_ids else [],
    )

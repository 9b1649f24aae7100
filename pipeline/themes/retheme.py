"""Re-theming outside a full refit: each contact's nearest current theme.

The sink themes contacts the worker could not compare with any model yet or gave a theme
that has since ended, and births move earlier contacts to a newborn theme; both store each
contact's nearest theme the same way. When a week closes, the contacts the stream left
unthemed are settled by the refit's own rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipeline.warehouse import theme_store
from topics.assign import ThemeAssigner
from topics.model import ThemeModel


def assign_waiting(con: duckdb.DuckDBPyConnection, model_dir: Path) -> int:
    """Theme the contacts that wait for a current theme: those the worker could not compare
    with any model, and those it gave a theme that a later refit ended.

    A worker that runs ahead of the sink (a backlog after downtime, a replay of history,
    `make demo`) enriches contacts while the first refit is still running. They land with no
    theme and no similarity; unlike contacts that no theme fits, they were never compared.
    Left so, births took them for a new subject and the emergence scan missed them until
    the next refit. Likewise a worker still holding the previous model themes contacts with
    a theme the refit has just ended (died, or merged into another); left so, they counted
    for a theme that no longer exists, and a short-lived piece raised "new theme" alerts on
    its last days. The same holds for facets: a contact whose facet the refit ended, or
    moved under another theme, would keep counting where it no longer belongs, and a
    facet's remaining contacts all after the refit read as a "new facet". Returns how many
    were compared now."""
    model = ThemeModel.load(model_dir)
    if model is None:
        return 0
    facet_themes = dict(zip(model.facet_ids, model.facet_themes, strict=True))
    rows = theme_store.waiting_contacts(con, model.embedding_model, model.ids, facet_themes)
    return store_nearest_themes(con, model, rows, datetime.now(UTC))


def store_nearest_themes(
    con: duckdb.DuckDBPyConnection,
    model: ThemeModel,
    rows: Sequence[tuple[str, list[float], str]],
    now: datetime,
    only: list[str] | None = None,
    assigned_by: str | None = None,
    assigner: ThemeAssigner | None = None,
) -> int:
    """Compare contacts (event_id, embedding, assigned_by) with the model's facets and store
    each one's nearest facet and its theme, or none below the model's threshold (or
    `assigner`'s floors). With `only` (facet ids, or theme ids of a model without facets),
    just the contacts whose nearest facet is one of these change. `assigned_by` None keeps
    what each row said. Returns how many contacts were stored."""
    if not rows:
        return 0
    vectors = model.prepare(np.asarray([r[1] for r in rows], np.float32))
    found = (assigner or model.assigner()).assign(vectors)
    nearest = pd.DataFrame(
        [
            (event_id, a.theme_id, a.similarity, assigned_by or before, now, a.facet_id)
            for (event_id, _, before), a in zip(rows, found, strict=True)
            if only is None or a.facet_id in only or (a.facet_id is None and a.theme_id in only)
        ],
        columns=list(theme_store.CONTACT_THEME_COLUMNS),
    )
    theme_store.write_contact_themes(con, nearest)
    return len(nearest)


def settle_days(con: duckdb.DuckDBPyConnection, model_dir: Path, first: date, last: date) -> int:
    """Give the unthemed contacts of days `first` to `last` their nearest facet where they
    are within its outlier floor, as a refit themes the contacts of its window. Returns how
    many got a theme; the rest stay unthemed.

    Between refits the stream leaves a contact unthemed when it is further from its nearest
    facet than nine in ten of the refit's contacts were, so that births find new subjects
    among those left. About one contact in ten waited so, against 0.3 % of a refit's window,
    and a week the next refit had not yet covered read a tenth short in the digest. Births
    still see the settled contacts (`theme_store.unassigned_contacts`), so they find a new
    subject as before.
    """
    model = ThemeModel.load(model_dir)
    if model is None:
        return 0
    return store_nearest_themes(
        con,
        model,
        theme_store.unthemed_contacts(con, model.embedding_model, first, last),
        datetime.now(UTC),
        only=model.facet_ids or model.ids,  # those that got a theme
        assigned_by=theme_store.SETTLED,
        assigner=model.settling_assigner(),
    )

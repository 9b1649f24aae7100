"""The theme store: every SQL statement that reads or writes themes in the warehouse.

Themes (`core.themes`), each contact's theme (`core.contact_themes`), quotes, lineage and
alerts are read and written here and nowhere else; the theme jobs (`pipeline.themes`) and
the writer's landing call these functions. A contact's theme is written by one function,
`write_contact_themes`, whoever decided it: the worker on arrival, a refit, a birth or
re-theming.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from pipeline.content import encoder_input, member_words
from topics.emergence import Alert

# `assigned_by` of a contact the stream left unthemed and its closed week gave its nearest
# facet (`pipeline.themes.retheme.settle_days`). Such a contact counts for its theme but
# teaches the theme jobs nothing: the refit, births and identity read it as unthemed, as
# they did before weeks were settled, so what they find does not change.
SETTLED = "settled"
_TAUGHT = "coalesce(t.assigned_by, '') <> 'settled'"

# The columns of `core.contact_themes`, in the order `write_contact_themes` expects them.
CONTACT_THEME_COLUMNS = (
    "event_id",
    "theme_id",
    "similarity",
    "assigned_by",
    "assigned_at",
    "facet_id",
)


@dataclass
class Window:
    event_ids: list[str]
    texts: list[str]
    embeddings: np.ndarray
    embedding_model: str
    weeks: list[str] = field(default_factory=list)  # ISO week of each contact, e.g. 2026-W47
    themes: list[str | None] = field(default_factory=list)  # each contact's theme before the refit
    facets: list[str | None] = field(default_factory=list)  # each contact's facet before the refit
    subjects: list[str | None] = field(default_factory=list)  # redacted subject line, if any
    days: list[date] = field(default_factory=list)  # the day of each contact

    @property
    def encoder_inputs(self) -> list[str]:
        """What the stream's encoder saw of each contact (`pipeline.content.embedding_text`),
        for a refit's own discovery encoder."""
        subjects = self.subjects or [None] * len(self.texts)
        return [encoder_input(s, t) for s, t in zip(subjects, self.texts, strict=True)]


@dataclass(frozen=True)
class StoredRun:
    """What a pipeline run left behind, for scoring its alerts (`topics.pipeline_eval`)."""

    assigned: list[tuple[str, str]]  # (event_id, theme_id) of every themed contact
    first_day: date
    last_day: date
    alerts: list[Alert]
    merges: list[tuple[str, str]]  # (from_theme_id, to_theme_id) in the order they happened


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    con.begin()
    try:
        yield
        con.commit()
    except BaseException:
        con.rollback()
        raise


def days_landed(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and last day of the contacts landed so far."""
    return con.execute("SELECT min(occurred_day), max(occurred_day) FROM core.contacts").fetchone()


def load_window(con: duckdb.DuckDBPyConnection, until: date | None, days: int) -> Window:
    """Redacted texts and embeddings of the last `days` days up to `until` (inclusive; default
    the last day with texts), with each contact's theme before the refit."""
    end = _window_end(con, until)
    if end is None:
        return Window([], [], np.zeros((0, 0), dtype=np.float32), "")
    rows = con.execute(
        f"""SELECT s.event_id, s.text, s.embedding, s.embedding_model, c.occurred_week,
                  CASE WHEN {_TAUGHT} THEN t.theme_id END,
                  CASE WHEN {_TAUGHT} THEN f.facet_id END, s.subject, s.occurred_at::DATE
           FROM staging.contact_texts s JOIN core.contacts c USING (event_id)
           LEFT JOIN core.contact_themes t USING (event_id)
           LEFT JOIN core.contact_facets f USING (event_id)
           WHERE s.occurred_at::DATE BETWEEN ? AND ? AND s.embedding IS NOT NULL
           ORDER BY s.event_id""",
        [end - timedelta(days=days - 1), end],
    ).fetchall()
    models = {r[3] for r in rows}
    if len(models) > 1:
        # Mixed encoders cannot share one geometry; refit on the newest model only.
        newest = con.execute(
            "SELECT embedding_model FROM staging.contact_texts ORDER BY landed_at DESC LIMIT 1"
        ).fetchone()[0]
        rows = [r for r in rows if r[3] == newest]
    if not rows:
        return Window([], [], np.zeros((0, 0), dtype=np.float32), "")
    # Key phrases and quotes come from the member's own words, like the embeddings.
    return Window(
        [r[0] for r in rows],
        [member_words(r[1]) for r in rows],
        np.asarray([r[2] for r in rows], dtype=np.float32),
        rows[0][3],
        [r[4] for r in rows],
        [r[5] for r in rows],
        [r[6] for r in rows],
        [r[7] for r in rows],
        [r[8] for r in rows],
    )


def _window_end(con: duckdb.DuckDBPyConnection, until: date | None) -> date | None:
    return (
        until
        or con.execute("SELECT max(occurred_at)::DATE FROM staging.contact_texts").fetchone()[0]
    )


def themed_words(
    con: duckdb.DuckDBPyConnection, until: date | None, days: int
) -> list[tuple[str, str | None, str | None]]:
    """(member's words, theme id, facet id) of every contact of the window a theme or facet
    holds, whichever encoder embedded it: what the themes are about when their centroids
    cannot be compared with a new encoder's (`load_window` keeps only the newest encoder's)."""
    end = _window_end(con, until)
    if end is None:
        return []
    rows = con.execute(
        f"""SELECT s.text, t.theme_id, f.facet_id
           FROM staging.contact_texts s
           LEFT JOIN core.contact_themes t USING (event_id)
           LEFT JOIN core.contact_facets f USING (event_id)
           WHERE s.occurred_at::DATE BETWEEN ? AND ?
             AND (t.theme_id IS NOT NULL OR f.facet_id IS NOT NULL) AND {_TAUGHT}
           ORDER BY s.event_id""",
        [end - timedelta(days=days - 1), end],
    ).fetchall()
    return [(member_words(text), theme_id, facet_id) for text, theme_id, facet_id in rows]


def unassigned_contacts(
    con: duckdb.DuckDBPyConnection, since: date, embedding_model: str
) -> list[tuple[str, str, list[float], str, float | None]]:
    """(event_id, member's words, embedding, ISO week, similarity) of the contacts since
    `since` that the stream left unthemed, embedded by `embedding_model`: those no theme
    holds, and those themed only when their week closed (`SETTLED`)."""
    rows = con.execute(
        """SELECT s.event_id, s.text, s.embedding, c.occurred_week, t.similarity
           FROM staging.contact_texts s
           JOIN core.contact_themes t USING (event_id) JOIN core.contacts c USING (event_id)
           WHERE (t.theme_id IS NULL OR t.assigned_by = ?)
             AND s.occurred_at::DATE >= ? AND s.embedding_model = ?""",
        [SETTLED, since, embedding_model],
    ).fetchall()
    return [(e, member_words(text), emb, week, sim) for e, text, emb, week, sim in rows]


def unthemed_contacts(
    con: duckdb.DuckDBPyConnection, embedding_model: str, first: date, last: date
) -> list[tuple[str, list[float], str]]:
    """(event_id, embedding, assigned_by) of the contacts of days `first` to `last` that no
    theme holds."""
    return con.execute(
        """SELECT t.event_id, s.embedding, t.assigned_by FROM core.contact_themes t
           JOIN staging.contact_texts s USING (event_id) JOIN core.contacts c USING (event_id)
           WHERE t.theme_id IS NULL AND s.embedding_model = ?
             AND c.occurred_day BETWEEN ? AND ?""",
        [embedding_model, first, last],
    ).fetchall()


def recent_themed_texts(con: duckdb.DuckDBPyConnection, limit: int) -> list[str]:
    """The member's words of the `limit` most recent contacts that a theme holds."""
    rows = con.execute(
        f"""SELECT s.text FROM staging.contact_texts s JOIN core.contact_themes t USING (event_id)
           WHERE t.theme_id IS NOT NULL AND {_TAUGHT}
           ORDER BY s.occurred_at DESC, s.event_id LIMIT ?""",
        [limit],
    ).fetchall()
    return [member_words(r[0]) for r in rows]


def recent_facet_contacts(
    con: duckdb.DuckDBPyConnection, facet_ids: Sequence[str], per_facet: int, embedding_model: str
) -> dict[str, list[tuple[str, list[float]]]]:
    """(member's words, embedding) of each facet's `per_facet` most recent contacts embedded
    by `embedding_model`."""
    rows = con.execute(
        f"""SELECT facet_id, text, embedding FROM (
               SELECT f.facet_id, s.text, s.embedding, row_number() OVER (
                   PARTITION BY f.facet_id ORDER BY s.occurred_at DESC, s.event_id) AS n
               FROM core.contact_facets f JOIN staging.contact_texts s USING (event_id)
               JOIN core.contact_themes t USING (event_id)
               WHERE list_contains(?, f.facet_id) AND s.embedding_model = ? AND {_TAUGHT})
           WHERE n <= ? ORDER BY facet_id, n""",
        [list(facet_ids), embedding_model, per_facet],
    ).fetchall()
    contacts: dict[str, list[tuple[str, list[float]]]] = {facet_id: [] for facet_id in facet_ids}
    for facet_id, text, embedding in rows:
        contacts[facet_id].append((member_words(text), embedding))
    return contacts


def waiting_contacts(
    con: duckdb.DuckDBPyConnection,
    embedding_model: str,
    current: Sequence[str],
    facet_themes: Mapping[str, str] | None = None,
) -> list[tuple[str, list[float], str]]:
    """(event_id, embedding, assigned_by) of the contacts that wait for a current theme:
    never compared with a model, or holding a theme not in `current`. With `facet_themes`
    (each current facet's theme), also the themed contacts whose facet is not current or
    whose theme is no longer their facet's."""
    pairs = [f"{facet}|{theme}" for facet, theme in (facet_themes or {}).items()]
    return con.execute(
        """SELECT t.event_id, s.embedding, t.assigned_by FROM core.contact_themes t
           JOIN staging.contact_texts s USING (event_id)
           LEFT JOIN core.contact_facets f USING (event_id)
           WHERE s.embedding_model = ?
             AND ((t.similarity IS NULL AND t.theme_id IS NULL)
                  OR NOT list_contains(?, t.theme_id)
                  OR (? AND t.theme_id IS NOT NULL
                      AND NOT list_contains(?, coalesce(f.facet_id, '') || '|' || t.theme_id)))""",
        [embedding_model, list(current), bool(pairs), pairs],
    ).fetchall()


def recent_contacts_outside(
    con: duckdb.DuckDBPyConnection, embedding_model: str, facets: Sequence[str], days: int
) -> list[tuple[str, list[float], str]]:
    """(event_id, embedding, assigned_by) of the last `days` days' contacts that none of
    `facets` holds."""
    return con.execute(
        """SELECT s.event_id, s.embedding, t.assigned_by FROM staging.contact_texts s
           JOIN core.contact_themes t USING (event_id)
           LEFT JOIN core.contact_facets f USING (event_id)
           WHERE s.embedding_model = ? AND s.embedding IS NOT NULL
             AND (f.facet_id IS NULL OR NOT list_contains(?, f.facet_id))
             AND s.occurred_at::DATE > (SELECT max(occurred_at)::DATE FROM staging.contact_texts) - ?""",
        [embedding_model, list(facets), days],
    ).fetchall()


def write_contact_themes(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame | str) -> None:
    """Store each contact's theme and facet; the one place `core.contact_themes` and
    `core.contact_facets` are written.

    `rows` holds `CONTACT_THEME_COLUMNS`: a frame, or the name of a relation of the current
    transaction (the writer's landed batch). A contact stored before is overwritten. Its
    `theme_id` is the theme (subject) of its facet `facet_id`.
    """
    frame = not isinstance(rows, str)
    if frame:
        if rows.empty:
            return
        if "facet_id" not in rows.columns:
            rows = rows.assign(facet_id=None)
        con.register("contact_theme_rows", rows)
    source = "contact_theme_rows" if frame else rows
    try:
        themes = [c for c in CONTACT_THEME_COLUMNS if c != "facet_id"]
        con.execute(
            f"INSERT OR REPLACE INTO core.contact_themes BY NAME"
            f" SELECT {', '.join(themes)} FROM {source}"
        )
        con.execute(
            f"INSERT OR REPLACE INTO core.contact_facets SELECT event_id, facet_id FROM {source}"
        )
    finally:
        if frame:
            con.unregister("contact_theme_rows")


def write_themes(
    con: duckdb.DuckDBPyConnection,
    ids: list[str],
    names: list[str],
    keyphrases: list[list[str]],
    now: datetime,
) -> None:
    """Add or refresh these themes as active."""
    con.executemany(
        """INSERT INTO core.themes VALUES (?, ?, ?, 'active', ?, NULL, ?)
           ON CONFLICT (theme_id) DO UPDATE SET name = excluded.name, keyphrases = excluded.keyphrases,
               status = 'active', updated_at = excluded.updated_at""",
        [(i, n, k, now, now) for i, n, k in zip(ids, names, keyphrases, strict=True)],
    )


def write_facets(
    con: duckdb.DuckDBPyConnection,
    facet_ids: list[str],
    theme_ids: list[str],
    names: list[str],
    keyphrases: list[list[str]],
    now: datetime,
) -> None:
    """Add or refresh these facets, each beneath its theme, as active."""
    con.executemany(
        """INSERT INTO core.theme_facets VALUES (?, ?, ?, ?, 'active', ?, ?)
           ON CONFLICT (facet_id) DO UPDATE SET theme_id = excluded.theme_id,
               name = excluded.name, keyphrases = excluded.keyphrases, status = 'active',
               updated_at = excluded.updated_at""",
        [
            (f, t, n, k, now, now)
            for f, t, n, k in zip(facet_ids, theme_ids, names, keyphrases, strict=True)
        ],
    )


def retire_facets_except(con: duckdb.DuckDBPyConnection, active: list[str]) -> None:
    """Mark every active facet not in `active` inactive."""
    con.execute(
        "UPDATE core.theme_facets SET status = 'inactive' WHERE status = 'active' AND NOT list_contains(?, facet_id)",
        [active],
    )


def write_facet_lineage(
    con: duckdb.DuckDBPyConnection,
    rows: list[
        tuple[str, str, str | None, str | None, str | None, str | None, float | None, datetime]
    ],
) -> None:
    """Facet lineage rows: (refit_id, change, from_facet_id, to_facet_id, from_theme_id,
    to_theme_id, similarity, changed_at)."""
    if rows:
        con.executemany("INSERT INTO core.facet_lineage VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def retire_themes_except(con: duckdb.DuckDBPyConnection, active: list[str]) -> None:
    """Mark every active theme not in `active` inactive."""
    con.execute(
        "UPDATE core.themes SET status = 'inactive' WHERE status = 'active' AND NOT list_contains(?, theme_id)",
        [active],
    )


def rename_inactive_themes(con: duckdb.DuckDBPyConnection, names: dict[str, str]) -> None:
    """Give each inactive theme its name in the taxonomy (`names`, by id): a theme the refit
    no longer finds may give its name to one it does (`topics.names.follow_labels`), and
    `marts.themes` would otherwise list that name twice."""
    con.executemany(
        "UPDATE core.themes SET name = ? WHERE theme_id = ? AND status = 'inactive' AND name <> ?",
        [(name, theme_id, name) for theme_id, name in names.items()],
    )


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


def write_quotes(
    con: duckdb.DuckDBPyConnection, theme_id: str, quotes: list[tuple[str, str]]
) -> None:
    """Replace a theme's quotes by `quotes`: (quote, event_id quoted), most representative first."""
    con.execute("DELETE FROM core.theme_quotes WHERE theme_id = ?", [theme_id])
    if quotes:
        con.executemany(
            "INSERT INTO core.theme_quotes VALUES (?, ?, ?, ?)",
            [(theme_id, r + 1, q, event_id) for r, (q, event_id) in enumerate(quotes)],
        )


QUOTES_TABLE = "core.theme_quotes"


def purge_quotes(con: duckdb.DuckDBPyConnection) -> int:
    """Delete quotes of themes that are no longer active and quotes whose contact's text
    is gone (purged, or never known); returns the number deleted."""
    return len(
        con.execute(
            """DELETE FROM core.theme_quotes q
               WHERE q.theme_id NOT IN (SELECT theme_id FROM core.themes WHERE status = 'active')
                  OR q.event_id IS NULL
                  OR q.event_id NOT IN (SELECT event_id FROM staging.contact_texts)
               RETURNING q.theme_id"""
        ).fetchall()
    )


def write_run(con: duckdb.DuckDBPyConnection, run_id: str, data_day: date) -> None:
    """Record the last day of contacts a refit or birth saw (`core.theme_runs`)."""
    con.execute("INSERT OR REPLACE INTO core.theme_runs VALUES (?, ?)", [run_id, data_day])


def last_day(con: duckdb.DuckDBPyConnection, event_ids: list[str]) -> date | None:
    """The day of the newest of these contacts."""
    return con.execute(
        "SELECT max(occurred_day) FROM core.contacts WHERE list_contains(?, event_id)",
        [event_ids],
    ).fetchone()[0]


def write_lineage(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple[str, str, str | None, str | None, float | None, datetime]],
) -> None:
    """Lineage rows: (refit_id, change, from_theme_id, to_theme_id, similarity, changed_at)."""
    if rows:
        con.executemany("INSERT INTO core.theme_lineage VALUES (?, ?, ?, ?, ?, ?)", rows)


def themed_contacts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Day, theme, province, sector, id and facet of every contact with a row in
    `contact_themes`."""
    return con.execute(
        """SELECT c.occurred_day AS day, t.theme_id, c.province, c.sector, c.event_id,
                  f.facet_id
           FROM core.contacts c JOIN core.contact_themes t USING (event_id)
           LEFT JOIN core.contact_facets f USING (event_id)"""
    ).df()


def alert_id(alert: Alert) -> str:
    """The deterministic key of an alert: theme, kind (with the facet of a new facet),
    segment, window and day."""
    kind = f"{alert.kind}/{alert.facet_id}" if alert.facet_id else alert.kind
    return f"{alert.theme_id}:{kind}:{alert.segment_kind}:{alert.segment_value}:{alert.window_days}:{alert.day}"


def stored_alert_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT alert_id FROM core.alerts").fetchall()}


def write_alerts(con: duckdb.DuckDBPyConnection, alerts: list[Alert], now: datetime) -> None:
    if not alerts:
        return
    con.executemany(
        "INSERT INTO core.alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                alert_id(a),
                a.theme_id,
                a.kind,
                a.segment_kind,
                a.segment_value,
                a.window_days,
                a.day,
                a.first_seen,
                a.observed,
                a.expected,
                a.rate_ratio,
                a.p_value,
                a.q_value,
                now,
            )
            for a in alerts
        ],
    )
    faceted = [(alert_id(a), a.facet_id) for a in alerts if a.facet_id]
    if faceted:
        con.executemany("INSERT INTO core.alert_facets VALUES (?, ?)", faceted)


def stored_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    """The alerts stored, by day and theme (without their evidence)."""
    rows = con.execute(
        """SELECT theme_id, kind, segment_kind, segment_value, window_days, day, first_seen,
                  observed, expected, rate_ratio, p_value, q_value, f.facet_id
           FROM core.alerts LEFT JOIN core.alert_facets f USING (alert_id)
           ORDER BY day, theme_id"""
    ).fetchall()
    return [
        Alert(t, k, sk, sv, w, d, "", f, o, e, r or 0.0, p or 0.0, q or 0.0, (), facet)
        for t, k, sk, sv, w, d, f, o, e, r, p, q, facet in rows
    ]


def contact_assignments(
    con: duckdb.DuckDBPyConnection, since: date | None = None, level: str = "theme"
) -> tuple[list[tuple[str, str | None]], dict[str, str]]:
    """Every landed contact (since `since`) with its theme, or with `level="facet"` its facet
    (None = none yet), and their names: what `ledenradar evaluate stream` scores."""
    assigned, named = {
        "theme": ("core.contact_themes", "core.themes"),
        "facet": ("core.contact_facets", "core.theme_facets"),
    }[level]
    assignments = con.execute(
        f"""SELECT c.event_id, a.{level}_id
            FROM core.contacts c LEFT JOIN {assigned} a USING (event_id)
            WHERE ? IS NULL OR c.occurred_day >= ?""",
        [since, since],
    ).fetchall()
    names = dict(con.execute(f"SELECT {level}_id, name FROM {named}").fetchall())
    return assignments, names


def contact_theme_weeks(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, str]]:
    """(event_id, theme_id, ISO week) of every landed contact: what `ledenradar evaluate
    digest` weighs the digest's themes against."""
    return con.execute(
        """SELECT c.event_id, t.theme_id, c.occurred_week
           FROM core.contacts c LEFT JOIN core.contact_themes t USING (event_id)"""
    ).fetchall()


def stored_run(con: duckdb.DuckDBPyConnection) -> StoredRun:
    """The themed contacts, days, alerts and merges a pipeline run stored."""
    assigned = con.execute(
        "SELECT event_id, theme_id FROM core.contact_themes WHERE theme_id IS NOT NULL"
    ).fetchall()
    first, last = days_landed(con)
    merges = con.execute(
        """SELECT from_theme_id, to_theme_id FROM core.theme_lineage
           WHERE change = 'merged' ORDER BY changed_at"""
    ).fetchall()
    return StoredRun(assigned, first, last, stored_alerts(con), merges)

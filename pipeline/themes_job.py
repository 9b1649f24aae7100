"""Theme jobs on the warehouse: the refit and the emergence scan (births: `theme_births`).

They run where the one DuckDB writer runs (the sink process, or the batch path), so
theme tables, assignments and alerts change in the same transactional store as the
contacts they describe.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from models.ensemble import block_count
from pipeline.content import member_words
from pipeline.quotes import anonymised_quote
from pipeline.settings import Settings
from pipeline.theme_assignments import update_first_seen
from topics.assign import ThemeAssigner
from topics.discovery import DiscoveryConfig, ThemeDiscovery
from topics.emergence import Alert, SurgeConfig, learn_seasonality, scan
from topics.identity import match_themes, member_overlap
from topics.ids import fold_same_ids, settle_ids
from topics.model import ThemeModel, centred
from topics.names import follow_labels, register_discovered
from topics.representation import representative_quotes
from topics.taxonomy import TaxonomyFile

REFIT_WINDOW_DAYS = 84


# Quotes kept per theme and ISO week: a digest quotes its own week (and, where five
# contacts share them, its province and sector), so one pool per theme would rarely fit.
QUOTES_PER_WEEK = 3


@dataclass
class Window:
    event_ids: list[str]
    texts: list[str]
    embeddings: np.ndarray
    embedding_model: str
    weeks: list[str] = field(default_factory=list)  # ISO week of each contact, e.g. 2026-W47
    themes: list[str | None] = field(default_factory=list)  # each contact's theme before the refit


@dataclass
class RefitReport:
    refit_id: str
    documents: int
    themes: int
    coverage: float
    changes: dict[str, int] = field(default_factory=dict)


def load_window(
    con: duckdb.DuckDBPyConnection, until: date | None = None, days: int = REFIT_WINDOW_DAYS
) -> Window:
    """Redacted texts and embeddings of the last `days` days up to `until` (inclusive)."""
    end = (
        until
        or con.execute("SELECT max(occurred_at)::DATE FROM staging.contact_texts").fetchone()[0]
    )
    if end is None:
        return Window([], [], np.zeros((0, 0), dtype=np.float32), "")
    rows = con.execute(
        """SELECT s.event_id, s.text, s.embedding, s.embedding_model, c.occurred_week, t.theme_id
           FROM staging.contact_texts s JOIN core.contacts c USING (event_id)
           LEFT JOIN core.contact_themes t USING (event_id)
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
    )


def refit(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    until: date | None = None,
    config: DiscoveryConfig | None = None,
) -> RefitReport:
    """Rediscover themes on the recent window and keep their identities stable."""
    now = datetime.now(UTC)
    refit_id = now.strftime("%Y%m%dT%H%M%S%fZ")
    window = load_window(con, until)
    if len(window.event_ids) < 50:
        return RefitReport(refit_id, len(window.event_ids), 0, 0.0)
    center = window.embeddings.mean(axis=0)
    blocks = block_count(window.embedding_model)
    vectors = centred(window.embeddings, center, blocks)
    result = ThemeDiscovery(config or DiscoveryConfig(seed=42)).fit(window.texts, vectors)
    taxonomy_file = TaxonomyFile(settings.data_dir / "taxonomy.yaml")
    taxonomy = taxonomy_file.load()
    previous = ThemeModel.load(settings.themes_dir)
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
    names = [taxonomy.themes[i].name for i in ids]
    assigner = ThemeAssigner.from_fit(vectors, result.assignments, result.centroids, ids)
    con.begin()
    try:
        write_themes(con, ids, names, result.keyphrases, now)
        con.execute(
            "UPDATE core.themes SET status = 'inactive' WHERE status = 'active' AND NOT list_contains(?, theme_id)",
            [ids],
        )
        _write_assignments(
            con, window.event_ids, vectors, result.assignments, result.centroids, ids, now
        )
        ranked = representative_quotes(
            vectors, result.assignments, result.centroids, window.texts, n_quotes=len(vectors)
        )
        write_quotes(con, ids, ranked, window.texts, window.event_ids, window.weeks)
        _write_lineage(con, refit_id, events, ids, previous, now)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    ThemeModel(
        ids,
        names,
        result.keyphrases,
        result.centroids,
        assigner.threshold,
        window.embedding_model,
        refit_id,
        center,
        blocks,
    ).save(settings.themes_dir)
    coverage = float((result.assignments >= 0).mean())
    changes: dict[str, int] = {}
    for event in events:
        changes[event.kind] = changes.get(event.kind, 0) + 1
    if previous is None:
        changes["born"] = len(ids)
    return RefitReport(refit_id, len(window.event_ids), len(ids), coverage, changes)


def themed_contacts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """SELECT c.occurred_day AS day, t.theme_id, c.region AS province, c.sector, c.event_id
           FROM core.contacts c JOIN core.contact_themes t USING (event_id)"""
    ).df()


def scan_alerts(
    con: duckdb.DuckDBPyConnection,
    start: date | None = None,
    end: date | None = None,
    config: SurgeConfig | None = None,
) -> list[Alert]:
    """Run the emergence test and store new alerts; returns the alerts not stored before."""
    contacts = themed_contacts(con)
    contacts = contacts[contacts["theme_id"].notna()]
    alerts = scan(contacts, config, start, end, seasonality=seasonality_before(contacts, start))
    known = {r[0] for r in con.execute("SELECT alert_id FROM core.alerts").fetchall()}
    fresh = [a for a in alerts if alert_id(a) not in known]
    now = datetime.now(UTC)
    if fresh:
        con.executemany(
            "INSERT INTO core.alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    alert_id(a),
                    a.theme_id,
                    a.signal,
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
                for a in fresh
            ],
        )
    return fresh


def seasonality_before(
    contacts: pd.DataFrame, start: date | None
) -> dict[str, dict[int, float]] | None:
    """Monthly theme levels learned only from contacts at least a year before the tested days.

    Learning from the tested period itself would let a surge explain itself away as a season.
    """
    if start is None or contacts.empty:
        return None
    history = contacts[
        pd.to_datetime(contacts["day"]) < pd.Timestamp(start) - pd.Timedelta(days=365)
    ]
    return learn_seasonality(history) if len(history) else None


def alert_id(alert: Alert) -> str:
    return f"{alert.theme_id}:{alert.signal}:{alert.segment_kind}:{alert.segment_value}:{alert.window_days}:{alert.day}"


def write_themes(
    con: duckdb.DuckDBPyConnection,
    ids: list[str],
    names: list[str],
    keyphrases: list[list[str]],
    now: datetime,
) -> None:
    con.executemany(
        """INSERT INTO core.themes VALUES (?, ?, ?, 'active', ?, NULL, ?)
           ON CONFLICT (theme_id) DO UPDATE SET name = excluded.name, keyphrases = excluded.keyphrases,
               status = 'active', updated_at = excluded.updated_at""",
        [(i, n, k, now, now) for i, n, k in zip(ids, names, keyphrases, strict=True)],
    )


def _write_assignments(
    con: duckdb.DuckDBPyConnection,
    event_ids: list[str],
    vectors: np.ndarray,
    assignments: np.ndarray,
    centroids: np.ndarray,
    ids: list[str],
    now: datetime,
) -> None:
    sims = np.einsum("ij,ij->i", vectors, centroids[np.maximum(assignments, 0)])
    frame = pd.DataFrame(
        {
            "event_id": event_ids,
            "theme_id": [ids[a] if a >= 0 else None for a in assignments],
            "similarity": np.where(assignments >= 0, sims, 0.0),
            "assigned_by": "refit",
            "assigned_at": now,
        }
    )
    con.register("refit_assignments", frame)
    con.execute("INSERT OR REPLACE INTO core.contact_themes SELECT * FROM refit_assignments")
    con.unregister("refit_assignments")
    update_first_seen(con)


def write_quotes(
    con: duckdb.DuckDBPyConnection,
    ids: list[str],
    quotes: list[list[int]],
    texts: list[str],
    event_ids: list[str],
    weeks: list[str],
) -> None:
    """Up to `QUOTES_PER_WEEK` quotes per theme and week, each with the contact it quotes
    (for its week and place). `quotes` holds each theme's members, most representative first."""
    for theme_id, indices in zip(ids, quotes, strict=True):
        per_week: Counter[str] = Counter()
        chosen = []
        for i in indices:
            if per_week[weeks[i]] == QUOTES_PER_WEEK:
                continue
            quote = anonymised_quote(texts[i])
            if quote:
                chosen.append((quote, event_ids[i]))
                per_week[weeks[i]] += 1
        con.execute("DELETE FROM core.theme_quotes WHERE theme_id = ?", [theme_id])
        if not chosen:
            continue  # every candidate mentioned health or was too short: no quote rather than a risky one
        con.executemany(
            "INSERT INTO core.theme_quotes VALUES (?, ?, ?, ?)",
            [(theme_id, r + 1, q, event_id) for r, (q, event_id) in enumerate(chosen)],
        )


def _write_lineage(
    con: duckdb.DuckDBPyConnection,
    refit_id: str,
    events: list,
    ids: list[str],
    previous: ThemeModel | None,
    now: datetime,
) -> None:
    rows = []
    if previous is None:
        rows = [(refit_id, "born", None, i, None, now) for i in ids]
    for event in events:
        sources = event.from_ids or (None,)
        targets = event.to_ids or (None,)
        rows += [
            (refit_id, event.kind, s, t, event.similarity, now) for s in sources for t in targets
        ]
    if rows:
        con.executemany("INSERT INTO core.theme_lineage VALUES (?, ?, ?, ?, ?, ?)", rows)

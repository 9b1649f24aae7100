"""Retention of the restricted staging layer: redacted text lives only as long as refits need it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb


def purge_staging(
    con: duckdb.DuckDBPyConnection, retention_days: int, now: datetime | None = None
) -> int:
    """Delete redacted texts and embeddings of contacts older than the retention; returns rows deleted."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    deleted = con.execute(
        "DELETE FROM staging.contact_texts WHERE occurred_at < ? RETURNING event_id", [cutoff]
    )
    return len(deleted.fetchall())

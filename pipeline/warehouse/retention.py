"""Retention of the restricted staging layer: redacted text lives only as long as refits need it.

A purge must erase, not only hide. DuckDB marks deleted rows in their row group and
keeps the bytes until the row group is rewritten, and a block it frees keeps its old
bytes until something else is written there (the file shrinks only when the free
blocks happen to be at its end). So a purge

1. deletes the old texts, and the quotes they or inactive themes left behind;
2. rewrites each table it deleted from (a fresh table from its model, the survivors
   copied in, the old table dropped), so no row group keeps a deleted row, and
   checkpoints, which frees the old blocks;
3. overwrites every free block of the file with filler written uncompressed, then
   drops the filler and checkpoints again.

The write-ahead log is emptied by each checkpoint. The analysts' snapshot holds no
staging text; quotes reach it through `marts.theme_quotes`, so publish a fresh snapshot
after a purge (it is written to a new file, never patched).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from pipeline.warehouse import theme_store
from pipeline.warehouse.database import apply_models

# Characters per filler row: long enough to fill blocks quickly, short enough to be
# stored inline in a block rather than in an overflow chain.
_FILLER_CHARS = 3000
_FILLER_TABLE = "main.retention_filler"


def purge_staging(
    con: duckdb.DuckDBPyConnection, retention_days: int, now: datetime | None = None
) -> int:
    """Erase redacted texts and embeddings of contacts older than the retention, and the
    quotes no longer allowed; returns the number of texts erased."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    con.begin()
    try:
        texts = _count(
            con,
            "DELETE FROM staging.contact_texts WHERE occurred_at < ? RETURNING event_id",
            [cutoff],
        )
        quotes = theme_store.purge_quotes(con)
        if texts:
            _rewrite(con, "staging.contact_texts", "staging")
        if quotes:
            _rewrite(con, theme_store.QUOTES_TABLE, "core_themes")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    if texts or quotes:
        overwrite_free_blocks(con)
    return texts


def overwrite_free_blocks(con: duckdb.DuckDBPyConnection) -> None:
    """Write filler over every free block of the database file, then free it again."""
    con.execute("CHECKPOINT")
    free_blocks, block_size = con.execute(
        "SELECT free_blocks, block_size FROM pragma_database_size()"
        " WHERE database_name = current_database()"
    ).fetchone()
    if not free_blocks:
        return
    compression = con.execute("SELECT current_setting('force_compression')").fetchone()[0]
    # Compressed filler would take a fraction of a block; it must cover them all.
    con.execute("SET force_compression = 'uncompressed'")
    try:
        rows = (free_blocks + 1) * block_size // _FILLER_CHARS + 1
        con.execute(
            f"CREATE OR REPLACE TABLE {_FILLER_TABLE} AS"
            f" SELECT repeat('-', {_FILLER_CHARS}) AS filler FROM range({rows})"
        )
        con.execute("CHECKPOINT")
        con.execute(f"DROP TABLE {_FILLER_TABLE}")
        con.execute("CHECKPOINT")
    finally:
        con.execute(f"SET force_compression = '{compression or 'auto'}'")


def _rewrite(con: duckdb.DuckDBPyConnection, table: str, layer: str) -> None:
    """Move the table aside, create it afresh from its model (constraints and comments
    included), copy the rows back and drop the old one, whose row groups go with it."""
    schema, name = table.split(".")
    con.execute(f"ALTER TABLE {table} RENAME TO {name}_before_purge")
    apply_models(con, (layer,))
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {schema}.{name}_before_purge")
    con.execute(f"DROP TABLE {schema}.{name}_before_purge")


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    return len(con.execute(sql, params or []).fetchall())

"""Warehouse files made by an earlier release, brought to today's names before the models run.

The SQL models create what is missing (`CREATE ... IF NOT EXISTS`) but cannot rename what
exists; every step here does, and checks the catalog first, so `apply_models` runs them on
every open and a second run changes nothing. docs/warehouse.md, "Changes", lists them.
"""

from __future__ import annotations

import duckdb

# Segment kinds before "region" became "province" (core.alerts.segment_kind).
RENAMED_SEGMENT_KINDS = {"region": "province", "region_sector": "province_sector"}


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a warehouse of an earlier release to today's names; nothing to do on a new one."""
    _region_to_province(con)


def _region_to_province(con: duckdb.DuckDBPyConnection) -> None:
    if _has_column(con, "core", "contacts", "region"):
        con.execute("ALTER TABLE core.contacts RENAME COLUMN region TO province")
    # The old mart reads the old column; its successor is marts.theme_week_province.
    con.execute("DROP VIEW IF EXISTS marts.theme_week_region")
    # An alert's id spells its segment kind (`theme_store.alert_id`). The id never leaves the
    # warehouse (contact.alerts carries the fields, not the id), and the scan skips alerts
    # whose id is stored: ids are rewritten with their kind, so an alert found again after the
    # upgrade matches the stored one and is neither stored nor published twice.
    for old, new in RENAMED_SEGMENT_KINDS.items():
        old_part, new_part = f":{old}:", f":{new}:"
        if _has_column(con, "core", "alerts", "segment_kind"):
            con.execute(
                "UPDATE core.alerts SET segment_kind = ?, alert_id = replace(alert_id, ?, ?)"
                " WHERE segment_kind = ?",
                [new, old_part, new_part, old],
            )
        if _has_column(con, "core", "alert_facets", "alert_id"):
            con.execute(
                "UPDATE core.alert_facets SET alert_id = replace(alert_id, ?, ?)"
                " WHERE contains(alert_id, ?)",
                [old_part, new_part, old_part],
            )


def _has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_columns()"
            " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?"
            " AND column_name = ?",
            [schema, table, column],
        ).fetchone()[0]
    )

"""Searching a DuckDB file, and any other output, for planted personal data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb


def planted_values(truths: Iterable[dict], min_length: int = 6) -> dict[str, str]:
    """value → type for every planted personal value long enough to be meaningful."""
    values = {}
    for truth in truths:
        for pii in truth.get("pii", []):
            if len(pii["value"]) >= min_length:
                values[pii["value"]] = pii["type"]
    return values


def text_in_database(path: Path) -> str:
    """All string content of every table, as one searchable text."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = con.execute(
            """SELECT schema_name, table_name, column_name FROM duckdb_columns()
               WHERE data_type IN ('VARCHAR', 'VARCHAR[]') AND NOT internal"""
        ).fetchall()
        parts = []
        for schema, table, column in columns:
            rows = con.execute(f'SELECT "{column}"::VARCHAR FROM "{schema}"."{table}"').fetchall()
            parts.extend(r[0] for r in rows if r[0])
        return "\n".join(parts)
    finally:
        con.close()


def leaks(haystack: str, planted: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for value, kind in planted.items():
        if value in haystack:
            found.setdefault(kind, []).append(value)
    return found

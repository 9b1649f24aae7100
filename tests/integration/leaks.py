"""Searching a DuckDB file for planted personal data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

MIN_LENGTH = 6  # shorter values (a house number, "Jan") also occur innocently


def planted_by_event(truths: Iterable[dict]) -> dict[str, dict[str, str]]:
    """event_id → {planted value → type}, for values long enough to be meaningful."""
    return {
        truth["event_id"]: {
            p["value"]: p["type"] for p in truth.get("pii", []) if len(p["value"]) >= MIN_LENGTH
        }
        for truth in truths
    }


def leaks_in_database(path: Path, planted: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """Planted values found anywhere in the file's string columns, by type.

    Each contact's own text is searched for its own planted values; every other string
    (quotes, theme names, key phrases, dead-letter details, ...) for all planted values.
    """
    found: dict[str, list[str]] = {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        for event_id, subject, text in con.execute(
            "SELECT event_id, coalesce(subject, ''), text FROM staging.contact_texts"
        ).fetchall():
            for value, kind in planted.get(event_id, {}).items():
                if value in text or value in subject:
                    found.setdefault(kind, []).append(value)
        columns = con.execute(
            """SELECT schema_name, table_name, column_name FROM duckdb_columns()
               WHERE data_type IN ('VARCHAR', 'VARCHAR[]') AND NOT internal
                 AND NOT (schema_name = 'staging' AND table_name = 'contact_texts')"""
        ).fetchall()
        others = "\n".join(
            str(value)
            for schema, table, column in columns
            for (value,) in con.execute(
                f'SELECT "{column}"::VARCHAR FROM "{schema}"."{table}"'
            ).fetchall()
            if value
        )
    finally:
        con.close()
    for values in planted.values():
        for value, kind in values.items():
            if value in others:
                found.setdefault(kind, []).append(value)
    return found


def planted_values(truths: Iterable[dict]) -> dict[str, str]:
    """Every planted value → type (for searching small outputs such as reports)."""
    return {
        value: kind
        for values in planted_by_event(truths).values()
        for value, kind in values.items()
    }


def leaks(haystack: str, planted: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for value, kind in planted.items():
        if value in haystack:
            found.setdefault(kind, []).append(value)
    return found

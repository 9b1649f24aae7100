"""Opening the warehouse and applying its layered SQL models in order."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from pipeline.warehouse.disclosure import render_sql


def sql_models() -> list[tuple[str, str]]:
    """(name, sql) of every model file, in layer order (file names start with their layer)."""
    folder = resources.files("pipeline.warehouse") / "sql"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def apply_models(con: duckdb.DuckDBPyConnection, layers: tuple[str, ...] | None = None) -> None:
    """Create or refresh schemas, tables and views; safe to run on every start."""
    for name, sql in sql_models():
        if layers is None or name.split("_", 1)[1].removesuffix(".sql") in layers:
            con.execute(render_sql(sql))


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """The single read-write connection; DuckDB locks the file for this process."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    apply_models(con)
    return con

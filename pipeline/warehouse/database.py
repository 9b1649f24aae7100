"""Opening the warehouse and its snapshot, and applying the layered SQL models in order.

Two kinds of connection, two boundaries (docs/warehouse.md, "Who reads what"):

- the warehouse: one read-write connection, the sink's (or a batch command's); the file
  is the sink's alone (0600), and every file its process creates is at most 0640;
- the snapshot: read-only connections for everyone who reads (`ledenradar sql`, the
  dashboard, the digest, the alert mail), with no access to files, other databases or
  extensions, and the configuration locked so a query cannot turn that back on.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import duckdb

from pipeline.disclosure import render_sql
from pipeline.warehouse.migrations import migrate


def sql_models() -> list[tuple[str, str]]:
    """(name, sql) of every model file, in layer order (file names start with their layer)."""
    folder = resources.files("pipeline.warehouse") / "sql"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def apply_models(con: duckdb.DuckDBPyConnection, layers: tuple[str, ...] | None = None) -> None:
    """Create or refresh schemas, tables and views; safe to run on every start. A full run
    first renames what an earlier release named otherwise (`migrations.migrate`)."""
    if layers is None:
        migrate(con)
    for name, sql in sql_models():
        if layers is None or name.split("_", 1)[1].removesuffix(".sql") in layers:
            con.execute(render_sql(sql))


# New files at most rw-r----- and directories rwxr-x---: the snapshot may be shared with an
# analysts' group, nothing with other users.
PRIVATE_UMASK = 0o027
WAREHOUSE_MODE = 0o600


def restrict_new_files() -> None:
    """Make every file this process creates from now on private to owner (and group)."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """The single read-write connection; DuckDB locks the file for this process."""
    restrict_new_files()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    con = duckdb.connect(str(path))
    os.chmod(path, WAREHOUSE_MODE)  # also for a file created before files were private
    con.execute("SET TimeZone = 'UTC'")
    apply_models(con)
    return con

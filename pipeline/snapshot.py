"""How every reader opens the analysts' snapshot: read-only, and locked down.

The snapshot holds only the marts and ops views. Analysts (`ledenradar sql`), the dashboard,
the digest and the alert mail all connect through `open_snapshot`, so none of them can read
or write files, attach the warehouse, or loosen these settings.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# What a reader's SQL may not do: read or write files (read_csv, COPY ... TO), ATTACH the
# warehouse, install or load extensions, or change these settings back.
READER_CONFIG: dict[str, bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the analysts' snapshot, locked down as `READER_CONFIG`."""
    return duckdb.connect(str(path), read_only=True, config=dict(READER_CONFIG))

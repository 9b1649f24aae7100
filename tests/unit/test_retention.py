from datetime import UTC, datetime

import duckdb
import pytest

from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.retention import purge_staging
from pipeline.warehouse.writer import WarehouseWriter


def test_purge_removes_only_text_older_than_the_retention(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    con.execute(
        """INSERT INTO staging.contact_texts VALUES
           ('old', TIMESTAMPTZ '2026-07-01 10:00:00+00', NULL, 'oud', 0, NULL, NULL, now()),
           ('edge', TIMESTAMPTZ '2026-08-28 12:00:00+00', NULL, 'rand', 0, NULL, NULL, now()),
           ('new', TIMESTAMPTZ '2026-11-20 10:00:00+00', NULL, 'nieuw', 0, NULL, NULL, now())"""
    )
    deleted = purge_staging(con, 90, now=datetime(2026, 11, 26, 12, tzinfo=UTC))
    assert deleted == 1
    assert [
        r[0]
        for r in con.execute("SELECT event_id FROM staging.contact_texts ORDER BY 1").fetchall()
    ] == ["edge", "new"]


PHRASE = "Marieke de Wit uit Tiel over haar ontslagvergoeding"
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def _plant(con, rows: int = 600) -> None:
    """Old contacts that carry the phrase, recent ones that do not, landed in many commits
    as the sink does; quotes of each kind."""
    for batch in range(0, rows, 50):
        con.execute(
            """INSERT INTO staging.contact_texts
               SELECT 'e' || i,
                      CASE WHEN i % 2 = 0 THEN TIMESTAMPTZ '2026-06-01 10:00:00+00'
                           ELSE TIMESTAMPTZ '2026-11-20 10:00:00+00' END,
                      NULL,
                      CASE WHEN i % 2 = 0 THEN ? || ' (' || i || ')'
                           ELSE 'Recente vraag over de cao ' || i END,
                      0, [0.1, 0.2]::FLOAT[], 'm', now()
               FROM range(?, ?) r(i)""",
            [PHRASE, batch, batch + 50],
        )
    con.execute(
        """INSERT INTO core.themes VALUES
           ('T0001', 'Ontslag', ['ontslag'], 'active', now(), NULL, now()),
           ('T0002', 'Oud thema', ['oud'], 'inactive', now(), NULL, now())"""
    )
    con.execute(
        """INSERT INTO core.theme_quotes VALUES
           ('T0001', 1, 'Recente vraag over de cao 1', 'e1'),
           ('T0001', 2, ?, 'e0'),
           ('T0002', 1, 'Recente vraag over de cao 3, ' || ?, 'e3'),
           ('T0001', 3, 'Oud citaat zonder contact: ' || ?, NULL)""",
        [PHRASE, PHRASE, PHRASE],
    )


def _files_holding(root, phrase: str) -> list[str]:
    needle = phrase.encode()
    return [str(f) for f in root.rglob("*") if f.is_file() and needle in f.read_bytes()]


def test_a_purge_erases_the_texts_from_every_database_file(tmp_path):
    data = tmp_path / "data"
    con = open_warehouse(data / "ledenradar.duckdb")
    # Uncompressed, a text's bytes are in the file as they are, so a grep finds every
    # copy left behind; compressed, a leftover could hide from the grep.
    con.execute("SET force_compression = 'uncompressed'")
    _plant(con)
    writer = WarehouseWriter(con)
    snapshot = data / "snapshot" / "ledenradar.duckdb"
    writer.snapshot(snapshot)
    con.execute("CHECKPOINT")
    assert _files_holding(data, PHRASE)  # the test can see what it looks for
    assert purge_staging(con, 90, now=NOW) == 300
    writer.snapshot(snapshot)
    assert _files_holding(data, PHRASE) == []
    con.close()
    assert _files_holding(data, PHRASE) == []
    assert _files_holding(data, "Recente vraag over de cao 599")  # the rest stays


def test_a_purge_keeps_the_tables_as_modelled_and_writable(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    _plant(con, rows=100)
    purge_staging(con, 90, now=NOW)
    assert con.execute("SELECT count(*) FROM staging.contact_texts").fetchone()[0] == 50
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO staging.contact_texts SELECT * FROM staging.contact_texts LIMIT 1")
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'contact_texts'"
    ).fetchone()[0]
    assert comment.startswith("RESTRICTED")
    assert con.execute("SELECT current_setting('force_compression')").fetchone()[0] == "Auto"
    assert (
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%purge%'"
            " OR table_name LIKE '%filler%'"
        ).fetchone()[0]
        == 0
    )


def test_quotes_of_inactive_themes_and_purged_contacts_go(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    _plant(con, rows=100)
    purge_staging(con, 90, now=NOW)
    assert con.execute("SELECT theme_id, rank, event_id FROM core.theme_quotes").fetchall() == [
        ("T0001", 1, "e1")
    ]

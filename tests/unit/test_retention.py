from datetime import UTC, datetime

from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.retention import purge_staging


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

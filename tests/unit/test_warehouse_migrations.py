"""A warehouse file of the release before `region` became `province` opens and keeps its data."""

from datetime import date
from pathlib import Path

from pipeline.warehouse import theme_store
from pipeline.warehouse.database import open_warehouse
from topics.emergence import Alert

# core.contacts as the earlier release created it.
OLD_CONTACTS = """
CREATE TABLE core.contacts (
    event_id VARCHAR PRIMARY KEY, occurred_at TIMESTAMPTZ NOT NULL, occurred_day DATE NOT NULL,
    occurred_week VARCHAR NOT NULL, received_at TIMESTAMPTZ NOT NULL, source VARCHAR NOT NULL,
    channel VARCHAR NOT NULL, direction VARCHAR NOT NULL, language VARCHAR NOT NULL,
    region VARCHAR NOT NULL, sector VARCHAR NOT NULL, union_unit VARCHAR,
    service_line VARCHAR NOT NULL, origin_topic VARCHAR NOT NULL,
    origin_partition INTEGER NOT NULL, origin_offset BIGINT NOT NULL,
    landed_at TIMESTAMPTZ NOT NULL, content_hash BLOB
)"""
DAY = date(2026, 11, 20)


def alert(segment_kind: str, segment_value: str, kind: str = "surge", facet: str | None = None):
    return Alert(
        "T0001", kind, segment_kind, segment_value, 7, DAY, "2026-W47", DAY, 9, 1.0, 9.0,
        1e-6, 1e-4, (), facet,
    )  # fmt: skip


def old_warehouse(path: Path) -> None:
    con = open_warehouse(path)
    con.execute("DROP TABLE core.contacts")
    con.execute(OLD_CONTACTS)
    for i, province in enumerate(["NL-LI"] * 6 + ["NL-GR"] * 2):
        con.execute(
            "INSERT INTO core.contacts VALUES (?, TIMESTAMPTZ '2026-11-20 10:00:00+00',"
            " DATE '2026-11-20', '2026-W47', now(), 'test', 'chat', 'inbound', 'nl', ?,"
            " 'zorg_welzijn', NULL, 'first_line', 'contact.raw', 0, ?, now(), NULL)",
            [f"e{i}", province, i],
        )
    # Alerts as the earlier release stored them: its segment kinds, spelled in their ids.
    for old_kind, value, kind, facet in [
        ("region", "NL-LI", "surge", None),
        ("region_sector", "NL-LI|zorg_welzijn", "new_facet", "F0002"),
        ("national", "NL", "surge", None),
    ]:
        old_id = f"T0001:{kind}{'/' + facet if facet else ''}:{old_kind}:{value}:7:{DAY}"
        con.execute(
            "INSERT INTO core.alerts VALUES (?, 'T0001', ?, ?, ?, 7, ?, ?, 9, 1.0, 9.0,"
            " 1e-6, 1e-4, now())",
            [old_id, kind, old_kind, value, DAY, DAY],
        )
        if facet:
            con.execute("INSERT INTO core.alert_facets VALUES (?, ?)", [old_id, facet])
    con.execute("CREATE VIEW marts.theme_week_region AS SELECT region FROM core.contacts")
    con.close()


def test_an_old_warehouse_opens_with_province_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    old_warehouse(path)
    con = open_warehouse(path)
    columns = {r[0] for r in con.execute("DESCRIBE core.contacts").fetchall()}
    assert "province" in columns and "region" not in columns
    by_province = con.execute(
        "SELECT province, count(*) FROM core.contacts GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert by_province == [("NL-GR", 2), ("NL-LI", 6)]
    kinds = {r[0] for r in con.execute("SELECT segment_kind FROM core.alerts").fetchall()}
    assert kinds == {"province", "province_sector", "national"}
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    assert "theme_week_region" not in views and "theme_week_province" in views
    con.execute("SELECT * FROM marts.theme_episodes").fetchall()  # the marts read the new names


def test_alerts_stored_before_the_rename_are_not_raised_again(tmp_path):
    """The scan skips an alert whose id is stored: the same alert found after the upgrade
    must have the id the migration gave the stored one."""
    path = tmp_path / "old.duckdb"
    old_warehouse(path)
    con = open_warehouse(path)
    found_again = [
        alert("province", "NL-LI"),
        alert("province_sector", "NL-LI|zorg_welzijn", "new_facet", "F0002"),
        alert("national", "NL"),
    ]
    stored = theme_store.stored_alert_ids(con)
    assert {theme_store.alert_id(a) for a in found_again} == stored
    facets = dict(con.execute("SELECT alert_id, facet_id FROM core.alert_facets").fetchall())
    assert facets == {theme_store.alert_id(found_again[1]): "F0002"}


def test_opening_twice_changes_nothing_more(tmp_path):
    path = tmp_path / "old.duckdb"
    old_warehouse(path)
    open_warehouse(path).close()
    con = open_warehouse(path)
    dump = "SELECT * FROM core.alerts ORDER BY alert_id"
    before = con.execute(dump).fetchall()
    contacts = con.execute("SELECT * FROM core.contacts ORDER BY event_id").fetchall()
    con.close()
    con = open_warehouse(path)
    assert con.execute(dump).fetchall() == before
    assert con.execute("SELECT * FROM core.contacts ORDER BY event_id").fetchall() == contacts

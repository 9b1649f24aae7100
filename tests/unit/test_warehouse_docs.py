"""Every SQL block in docs/warehouse.md runs on a snapshot of a small, real warehouse."""

import json
import re
from pathlib import Path

import duckdb
import pytest

from pipeline.contract.dead_letter import Origin
from pipeline.normalise import accept
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import LandedContact, WarehouseWriter

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"
QUERIES = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("docs")
    writer = WarehouseWriter(open_warehouse(tmp / "w.duckdb"))
    contacts = []
    for i in range(40):
        raw = {
            "event_id": f"d{i}",
            "occurred_at": f"2026-11-{16 + i % 7:02d}T10:00:00+01:00",
            "source": "docs",
            "channel": ["phone", "email"][i % 2],
            "text": "vraag",
            "province": ["NL-LI", "NL-NB"][i % 2],
            "sector": "industrie",
            "service_line": ["first_line", "second_line_legal"][i % 3 == 0],
        }
        contacts.append(
            LandedContact(accept(json.dumps(raw).encode()).event, Origin("t", 0, i), 10)
        )
    writer.land(contacts, [], {})
    con = writer.con
    con.execute(
        "INSERT INTO core.themes VALUES ('T0001', 'Reorganisatie', ['reorganisatie'], 'active', now(), NULL, now())"
    )
    con.execute(
        "INSERT INTO core.contact_themes SELECT event_id, 'T0001', 0.9, 'refit', now() FROM core.contacts"
    )
    con.execute("INSERT INTO core.theme_lineage VALUES ('r1', 'born', NULL, 'T0001', NULL, now())")
    con.execute(
        "INSERT INTO core.theme_facets VALUES ('F0001', 'T0001', 'afdeling sluit', ['afdeling'],"
        " 'active', now(), now())"
    )
    con.execute("INSERT INTO core.contact_facets SELECT event_id, 'F0001' FROM core.contacts")
    con.execute(
        "INSERT INTO core.facet_lineage VALUES ('r1', 'born', NULL, 'F0001', NULL, 'T0001', NULL,"
        " now())"
    )
    con.execute(
        "INSERT INTO core.theme_quotes VALUES ('T0001', 1, 'Gaat mijn afdeling ook weg?', 'd0')"
    )
    con.execute(
        "INSERT INTO core.alerts VALUES ('a1', 'T0001', 'surge', 'province', 'NL-LI', 7, DATE '2026-11-22',"
        " DATE '2026-11-18', 9, 2.0, 4.5, 0.0001, 0.001, now())"
    )
    return writer.snapshot(tmp / "snapshot.duckdb")


def test_the_doc_has_queries():
    assert len(QUERIES) >= 6


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{i}" for i in range(len(QUERIES))])
def test_documented_query_runs_on_the_snapshot(snapshot, query):
    con = duckdb.connect(str(snapshot), read_only=True)
    rows = con.execute(query).fetchall()
    assert rows, "every documented query returns rows on the example warehouse"

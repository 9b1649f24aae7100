"""The theme store is the one place theme tables are written; its contact-theme writer overwrites."""

import ast
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.contract.dead_letter import Origin
from pipeline.contract.enriched import Enrichment
from pipeline.normalise import accept
from pipeline.themes.quotes import QUOTES_PER_WEEK, weekly_quotes
from pipeline.warehouse import theme_store
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import LandedContact, WarehouseWriter

ROOT = Path(__file__).resolve().parents[2]
THEME_TABLES = ("core.themes", "core.contact_themes", "core.theme_quotes", "core.theme_lineage")
THEME_TABLES += ("core.alerts", "core.theme_facets", "core.contact_facets", "core.facet_lineage")
THEME_TABLES += ("core.alert_facets",)
WRITES_CONTACT_THEMES = re.compile(
    r"(INSERT( OR REPLACE)? INTO|UPDATE|DELETE FROM)\s+core\.contact_(themes|facets)\b"
)
STORE = ROOT / "pipeline" / "warehouse" / "theme_store.py"


def _sources() -> list[Path]:
    return [
        path
        for package in ("pipeline", "topics", "dashboards", "models", "text")
        for path in (ROOT / package).rglob("*.py")
    ]


def test_only_the_theme_store_names_the_core_theme_tables():
    naming = {
        path.relative_to(ROOT).as_posix()
        for path in _sources()
        if any(table in path.read_text(encoding="utf-8") for table in THEME_TABLES)
    }
    # migrations.py renames what an earlier release created, as the SQL models create it.
    assert naming == {"pipeline/warehouse/theme_store.py", "pipeline/warehouse/migrations.py"}


def test_one_function_writes_a_contacts_theme():
    tree = ast.parse(STORE.read_text(encoding="utf-8"))
    writers = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(
            isinstance(c, ast.Constant)
            and isinstance(c.value, str)
            and WRITES_CONTACT_THEMES.search(c.value)
            for c in ast.walk(node)
        )
    }
    assert writers == {"write_contact_themes"}


def _landed(event_id: str, theme_id: str | None, facet_id: str | None = None) -> LandedContact:
    raw = {
        "event_id": event_id,
        "occurred_at": "2026-11-20T10:00:00+01:00",
        "source": "test",
        "channel": "chat",
        "text": "Hoe zit het met mijn pensioen?",
    }
    enrichment = Enrichment(0, np.ones(4, np.float32), "fake@1", theme_id, 0.7, facet_id)
    return LandedContact(accept(json.dumps(raw).encode()).event, Origin("t", 0, 1), 10, enrichment)


def test_a_landed_contact_keeps_the_worker_theme_until_a_job_overwrites_it(tmp_path):
    writer = WarehouseWriter(open_warehouse(tmp_path / "w.duckdb"))
    writer.land([_landed("e1", "T0001", "F0003")], [], {})
    con = writer.con
    both = "core.contact_themes JOIN core.contact_facets USING (event_id)"
    assert con.execute(f"SELECT theme_id, facet_id, assigned_by FROM {both}").fetchall() == [
        ("T0001", "F0003", "online")
    ]
    now = datetime.now(UTC)
    moved = pd.DataFrame(
        [("e1", "T0002", 0.9, "refit", now, "F0004")],
        columns=list(theme_store.CONTACT_THEME_COLUMNS),
    )
    theme_store.write_contact_themes(con, moved)
    theme_store.write_contact_themes(con, moved.iloc[0:0])  # nothing to store: nothing changes
    assert con.execute(
        f"SELECT event_id, theme_id, facet_id, similarity, assigned_by FROM {both}"
    ).fetchall() == [("e1", "T0002", "F0004", 0.9, "refit")]
    # A job that knows no facet (a frame without the column) leaves none behind.
    theme_store.write_contact_themes(con, moved.drop(columns="facet_id"))
    assert con.execute(f"SELECT facet_id FROM {both}").fetchall() == [(None,)]


def test_weekly_quotes_cap_each_week_and_pass_over_what_must_not_be_quoted():
    texts = ["Mijn werkgever wil de reiskostenvergoeding schrappen, mag dat?"] * 5
    texts.insert(1, "Ik ben ziek thuis en mijn werkgever wil dat ik toch kom werken.")
    weeks = ["2026-W47"] * 5 + ["2026-W48"]
    ids = [f"e{i}" for i in range(6)]
    chosen = weekly_quotes(range(6), texts, ids, weeks)
    assert [event_id for _, event_id in chosen] == ["e0", "e2", "e3", "e5"]
    assert QUOTES_PER_WEEK == 3  # the cap the expectation above is written for


def test_an_inactive_theme_takes_its_name_in_the_taxonomy_and_an_active_one_keeps_its_own(
    tmp_path,
):
    con = open_warehouse(tmp_path / "w.duckdb")
    now = datetime.now(UTC)
    theme_store.write_themes(
        con, ["T0031", "T0038"], ["Faillissement", "Loonstroken"], [[], []], now
    )
    theme_store.retire_themes_except(con, ["T0038"])
    theme_store.write_themes(con, ["T0038"], ["Faillissement"], [[]], now)

    theme_store.rename_inactive_themes(
        con, {"T0031": "Faillissement (T0031)", "T0038": "Iets anders"}
    )

    assert con.execute("SELECT theme_id, name, status FROM core.themes ORDER BY 1").fetchall() == [
        ("T0031", "Faillissement (T0031)", "inactive"),
        ("T0038", "Faillissement", "active"),
    ]

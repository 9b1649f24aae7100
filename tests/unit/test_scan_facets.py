"""Emergence on the tree: a new facet within a known theme is reported as a new facet."""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipeline.themes.scan import new_facet_alerts

START = date(2026, 8, 3)


def _rows(theme, facet, first_day, last_day, per_day, rng):
    rows = []
    for d in range(first_day, last_day):
        for i in range(rng.poisson(per_day)):
            rows.append(
                {
                    "day": pd.Timestamp(START + timedelta(days=d)),
                    "theme_id": theme,
                    "province": "NL-UT",
                    "sector": "transport",
                    "event_id": f"{facet}-{d}-{i}",
                    "facet_id": facet,
                }
            )
    return rows


def _contacts(*parts) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = [row for part in parts for row in _rows(*part, rng=rng)]
    return pd.DataFrame(rows)


def test_a_new_facet_of_a_known_theme_is_a_new_facet_alert():
    contacts = _contacts(
        ("T0001", "F0001", 0, 70, 20),
        ("T0001", "F0002", 56, 70, 25),  # new from day 56 in a theme known since day 0
        ("T0002", "F0003", 0, 70, 40),
    )
    alerts = new_facet_alerts(contacts, start=START + timedelta(days=50))
    assert alerts and {(a.theme_id, a.kind, a.facet_id) for a in alerts} == {
        ("T0001", "new_facet", "F0002")
    }


def test_a_new_theme_of_several_facets_raises_no_new_facet_alert():
    contacts = _contacts(
        ("T0001", "F0001", 56, 70, 20),
        ("T0001", "F0002", 56, 70, 25),
        ("T0002", "F0003", 0, 70, 40),
    )
    assert new_facet_alerts(contacts, start=START + timedelta(days=50)) == []


def test_one_facet_per_theme_tests_nothing_at_the_facet_level():
    contacts = _contacts(("T0001", "F0001", 56, 70, 20), ("T0002", "F0003", 0, 70, 40))
    assert new_facet_alerts(contacts, start=START + timedelta(days=50)) == []


def test_a_new_facet_alert_is_stored_with_its_facet_beside_the_theme_alert(tmp_path):
    from datetime import UTC, datetime

    from pipeline.warehouse import theme_store
    from pipeline.warehouse.database import open_warehouse

    contacts = _contacts(
        ("T0001", "F0001", 0, 70, 20),
        ("T0001", "F0002", 56, 70, 25),
        ("T0002", "F0003", 0, 70, 40),
    )
    (alert, *_) = new_facet_alerts(contacts, start=START + timedelta(days=50))
    con = open_warehouse(tmp_path / "w.duckdb")
    theme_alert = alert.__class__(**{**alert.__dict__, "kind": "surge", "facet_id": None})
    theme_store.write_alerts(con, [alert, theme_alert], datetime.now(UTC))
    assert len(theme_store.stored_alert_ids(con)) == 2
    stored = {(a.kind, a.facet_id) for a in theme_store.stored_alerts(con)}
    assert stored == {("new_facet", "F0002"), ("surge", None)}

"""The emergence scan job: test the completed days for rising themes and store new alerts.

Themes are tested as themes: a new subject of several facets raises one episode per
segment, not one per facet. A new facet within a theme known for longer is reported as
such (`new_facet`, with its facet id), not as a new theme.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import duckdb
import pandas as pd

from pipeline.warehouse import theme_store
from topics.emergence import Alert, SurgeConfig, learn_seasonality, scan


def scan_alerts(
    con: duckdb.DuckDBPyConnection,
    start: date | None = None,
    end: date | None = None,
    config: SurgeConfig | None = None,
) -> list[Alert]:
    """Run the emergence test and store new alerts; returns the alerts not stored before."""
    contacts = theme_store.themed_contacts(con)
    contacts = contacts[contacts["theme_id"].notna()]
    themes = contacts.drop(columns="facet_id")
    alerts = scan(themes, config, start, end, seasonality=seasonality_before(themes, start))
    alerts += new_facet_alerts(contacts, config, start, end)
    known = theme_store.stored_alert_ids(con)
    fresh = [a for a in alerts if theme_store.alert_id(a) not in known]
    theme_store.write_alerts(con, fresh, datetime.now(UTC))
    return fresh


def seasonality_before(
    contacts: pd.DataFrame, start: date | None
) -> dict[str, dict[int, float]] | None:
    """Monthly theme levels learned only from contacts at least a year before the tested days.

    Learning from the tested period itself would let a surge explain itself away as a season.
    """
    if start is None or contacts.empty:
        return None
    history = contacts[
        pd.to_datetime(contacts["day"]) < pd.Timestamp(start) - pd.Timedelta(days=365)
    ]
    return learn_seasonality(history) if len(history) else None


def new_facet_alerts(
    contacts: pd.DataFrame,
    config: SurgeConfig | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Alert]:
    """`new_facet` alerts: a facet the emergence test calls new, within a theme of several
    facets whose first contact is at least a baseline (`SurgeConfig.baseline_days`) older
    than the facet's. A facet of a theme that is new itself is its theme's news, not its own.

    The facets of multi-facet themes are tested in place of their themes, so every other
    theme still counts in the segments' volumes.
    """
    config = config or SurgeConfig()
    faceted = contacts[contacts["facet_id"].notna()]
    facets_per_theme = faceted.groupby("theme_id")["facet_id"].nunique()
    multi = faceted["theme_id"].isin(set(facets_per_theme[facets_per_theme > 1].index))
    if not multi.any():
        return []
    parent = dict(zip(faceted["facet_id"][multi], faceted["theme_id"][multi], strict=True))
    theme_first = pd.to_datetime(faceted[multi].groupby("theme_id")["day"].min())
    facet_first = pd.to_datetime(faceted[multi].groupby("facet_id")["day"].min())
    baseline = pd.Timedelta(days=config.baseline_days)
    known_before = {f for f, day in facet_first.items() if day - theme_first[parent[f]] >= baseline}
    if not known_before:
        return []
    by_facet = contacts.assign(
        theme_id=contacts["theme_id"].where(
            ~contacts["facet_id"].isin(set(parent)), contacts["facet_id"]
        )
    ).drop(columns="facet_id")
    return [
        replace(a, theme_id=parent[a.theme_id], kind="new_facet", facet_id=a.theme_id)
        for a in scan(by_facet, config, start, end)
        if a.kind == "new_theme" and a.theme_id in known_before
    ]

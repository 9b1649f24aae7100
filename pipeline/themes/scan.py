"""The emergence scan job: test the completed days for rising themes and store new alerts."""

from __future__ import annotations

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
    alerts = scan(contacts, config, start, end, seasonality=seasonality_before(contacts, start))
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

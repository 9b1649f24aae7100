"""A theme's page and press dossier as data: one builder for the dashboard and the CLI."""

from __future__ import annotations

from typing import Any

import duckdb

from dashboards import explore
from dashboards.curation import Curation
from dashboards.dutch import IsoWeek
from dashboards.episodes import episode_alerts, episode_blocks, headline
from dashboards.facets import facet_history, several_facets, theme_facets
from dashboards.render import environment
from dashboards.weeks import data_weeks


class UnknownTheme(LookupError):
    """The snapshot has no theme with this id."""


def theme_context(
    con: duckdb.DuckDBPyConnection,
    theme_id: str,
    week: IsoWeek,
    with_quotes: bool,
    curation: Curation,
) -> dict[str, Any]:
    """What the theme page and the dossier show; quotes only when `with_quotes`."""
    info = explore.theme_info(con, theme_id)
    if info is None:
        raise UnknownTheme(f"Onbekend thema {theme_id}")
    info["name"] = curation.name(theme_id, info["name"])
    total, provinces, sectors = explore.where_this_week(con, week, theme_id)
    trend = next((t for t in explore.theme_trends(con, week) if t.theme_id == theme_id), None)
    data = data_weeks(con)
    quotes, quotes_note = explore.quotes(con, theme_id, week) if with_quotes else (None, None)
    return {
        "info": info,
        "merged": curation.merged(theme_id),
        "week": week,
        "data": data,
        "gap": data.gap_sentence(week) if data else None,
        "total": total,
        "provinces": provinces,
        "sectors": sectors,
        "trend": trend,
        # Only weeks with data: a week before the first one is unknown, not zero.
        "trend_weeks": [(w.label, w.contacts) for w in data.observed(trend.weeks)]
        if trend and data
        else [],
        # A theme of one facet: the facet would only repeat the theme.
        "facets": theme_facets(con, theme_id, week) if several_facets(con, [theme_id]) else [],
        "lineage": explore.lineage(con, theme_id),
        "facet_history": facet_history(con, theme_id),
        # Every alert of the theme, one block per episode (segments ranked beneath).
        "episodes": episode_blocks(
            curation.renamed(a, name_field="theme_name") for a in explore.alerts(con, theme_id)
        ),
        # The theme's story in the week shown, as the overview and digest tell it.
        "headline": headline(episode_alerts(con, theme_id, week.monday, week.sunday)),
        # Quotes leave the snapshot only for a logged-in user.
        "quotes": quotes,
        "quotes_note": quotes_note,
    }


def render_dossier(context: dict[str, Any]) -> str:
    return environment().get_template("dossier.html.j2").render(**context)


def dossier_filename(context: dict[str, Any], suffix: str) -> str:
    return f"dossier-{context['info']['theme_id']}-{context['week']}.{suffix}"

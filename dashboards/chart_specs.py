"""Vega-Lite specs for the charts, one pure function per kind (plain dicts, no rendering).

`dashboards.charts` renders them to static SVG. The rules of the hand-drawn charts stay:
a suppressed cell (`None`) never gets a length, a position on a value axis or a colour that
hints at its value (a gap or a hatched tile with '<5'); weeks before the data are absent, not
zero. Every number shown is pre-formatted here in Dutch (`count_text`: 1.234), so what the
SVG shows is exactly the page's wording; the axes use Vega's d3 locale `nl-NL` for theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashboards.dutch import count_text

ACCENT = "#c0392b"
# The lightest tile: 15 % of the accent, as the hand-drawn map had it.
PALE = "#f6e1df"
# `dashboards.charts` puts the pattern of this id into every SVG that uses it.
HATCH = "url(#hatch)"
SUPPRESSED_MARK = "<5"

Spec = dict[str, Any]

# Tile-grid positions (column, row) that keep each province near its neighbours.
PROVINCE_TILES: dict[str, tuple[int, int]] = {
    "NL-FR": (1, 0),
    "NL-GR": (2, 0),
    "NL-NH": (0, 1),
    "NL-FL": (1, 1),
    "NL-DR": (2, 1),
    "NL-ZH": (0, 2),
    "NL-UT": (1, 2),
    "NL-OV": (2, 2),
    "NL-ZE": (0, 3),
    "NL-NB": (1, 3),
    "NL-GE": (2, 3),
    "NL-LI": (2, 4),
}
TILE = 58  # px per grid step (a 54 px tile and its gap)
_AXIS = {
    "labelColor": "#555",
    "labelFontSize": 11,
    "titleColor": "#555",
    "titleFontSize": 11,
    "titleFontWeight": "normal",
    "gridColor": "#e3e3e3",
    "domainColor": "#999",
    "tickColor": "#999",
}


def _base(data: list[dict[str, Any]], **spec: Any) -> Spec:
    # aria off everywhere: Vega's own labels are English ("X-axis titled ..."); the Dutch
    # text is the SVG's title, and the marks that carry a value describe themselves.
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "background": None,
        "config": {"view": {"stroke": None}, "aria": False, "font": "sans-serif", "axis": _AXIS},
        "data": {"values": data},
        **spec,
    }


def summary(title: str, items: Sequence[tuple[str, int | None]]) -> str:
    """The chart in one Dutch sentence with every value: 'T: wk 1 12, wk 2 minder dan 5'."""
    return f"{title}: " + ", ".join(f"{label} {count_text(n)}".strip() for label, n in items)


def trend_spec(weeks: Sequence[tuple[str, int | None]], width: int, height: int) -> Spec:
    """Weekly line with a y axis, week numbers and the value at every published point.

    `weeks` holds only weeks with data; a suppressed one breaks the line and shows '<5'
    at the foot of the plot, never a point.
    """
    data = [
        {
            "week": label,
            "contacts": n,
            "shown": count_text(n),
            "desc": f"{label}: {count_text(n)}",
        }
        for label, n in weeks
    ]
    published = {"filter": "isValid(datum.contacts)"}
    x = {
        "field": "week",
        "type": "ordinal",
        "scale": {"type": "point", "domain": [label for label, _ in weeks], "padding": 0.5},
        "axis": {
            "title": "week",
            "labelAngle": 0,
            "labelExpr": "replace(datum.label, 'wk ', '')",
            "grid": False,
        },
    }
    y = {
        "field": "contacts",
        "type": "quantitative",
        "scale": {"zero": True, "nice": True},
        "axis": {"title": "contacten per week", "format": ",d", "tickMinStep": 1},
    }
    return _base(
        data,
        width=width,
        height=height,
        autosize={"type": "fit", "contains": "padding"},
        encoding={"x": x, "y": y},
        layer=[
            # Without `invalid` Vega-Lite would filter the nulls and join the line across.
            {
                "name": "line",
                "mark": {"type": "line", "color": ACCENT, "invalid": "break-paths-show-domains"},
            },
            {
                "name": "point",
                "transform": [published],
                "mark": {
                    "type": "point",
                    "filled": True,
                    "color": ACCENT,
                    "size": 30,
                    "opacity": 1,
                },
                "encoding": {"description": {"field": "desc"}},
            },
            {
                "name": "value",
                "transform": [published],
                "mark": {"type": "text", "dy": -9, "fontSize": 11, "color": "#222"},
                "encoding": {"text": {"field": "shown"}},
            },
            {
                "name": "gap",
                "transform": [{"filter": "!isValid(datum.contacts)"}],
                "mark": {
                    "type": "text",
                    "fontSize": 10,
                    "color": "#777",
                    "baseline": "bottom",
                    "aria": True,
                },
                "encoding": {
                    "y": {"value": {"expr": "height - 3"}},
                    "text": {"value": SUPPRESSED_MARK},
                    "description": {"field": "desc"},
                },
            },
        ],
    )


def bars_spec(cells: Sequence[tuple[str, int | None]], width: int) -> Spec:
    """Horizontal bars, label left and count right, for the published cells only.

    A cell under 5 gets no bar (a short one would tell its size); the caller's text
    says that the others are not shown.
    """
    data = [
        {"label": label, "contacts": n, "shown": count_text(n), "desc": f"{label}: {count_text(n)}"}
        for label, n in cells
        if n is not None
    ]
    y = {
        "field": "label",
        "type": "nominal",
        "sort": None,
        "title": None,
        "axis": {"labelLimit": 180, "labelFontSize": 12, "labelColor": "#222", "ticks": False},
    }
    x = {
        "field": "contacts",
        "type": "quantitative",
        "scale": {"zero": True, "nice": True},
        "axis": {"title": "contacten", "format": ",d", "tickMinStep": 1, "tickCount": 4},
    }
    return _base(
        data,
        # The value labels sit right of the bars, so keep room for the longest of them.
        width=max(80, width - 240),
        height={"step": 22},
        encoding={"y": y, "x": x},
        layer=[
            {
                "name": "bar",
                "mark": {"type": "bar", "color": ACCENT, "height": 14, "aria": True},
                "encoding": {"description": {"field": "desc"}},
            },
            {
                "name": "value",
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12, "color": "#222"},
                "encoding": {"text": {"field": "shown"}},
            },
        ],
    )


def sparkline_spec(values: Sequence[int | None], width: int, height: int, skip: int) -> Spec:
    """A small line over the weeks, no axes (the table beside it has the numbers).

    `skip` leading weeks have no data at all: they keep their place on the x axis so the
    overview's rows line up, but get no point, not a zero. A suppressed week is a gap; a
    published week between two gaps is a dot, since a line needs two points.
    """
    positions = range(skip, skip + len(values))
    data = []
    for i, (position, n) in enumerate(zip(positions, values, strict=True)):
        before = values[i - 1] if i > 0 else None
        after = values[i + 1] if i + 1 < len(values) else None
        alone = n is not None and before is None and after is None
        data.append({"i": position, "contacts": n, "alone": alone})
    x = {
        "field": "i",
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [0, max(1, skip + len(values) - 1)]},
    }
    y = {"field": "contacts", "type": "quantitative", "axis": None, "scale": {"zero": True}}
    return _base(
        data,
        width=width - 4,
        height=height - 6,
        autosize="none",
        padding={"left": 2, "right": 2, "top": 3, "bottom": 3},
        encoding={"x": x, "y": y},
        layer=[
            {
                "name": "line",
                "mark": {
                    "type": "line",
                    "color": ACCENT,
                    "strokeWidth": 2,
                    "invalid": "break-paths-show-domains",
                },
            },
            {
                "name": "dot",
                "transform": [{"filter": "datum.alone"}],
                "mark": {
                    "type": "point",
                    "filled": True,
                    "color": ACCENT,
                    "size": 16,
                    "opacity": 1,
                },
            },
        ],
    )


def tile_map_spec(cells: Sequence[tuple[str, str, int | None]]) -> Spec:
    """(province code, Dutch name, contacts) as a grid of tiles, darker for more.

    A suppressed province is a hatched tile with '<5'; only published counts set a colour.
    """
    placed = [(code, name, n) for code, name, n in cells if code in PROVINCE_TILES]
    peak = max((n for _, _, n in placed if n), default=1)
    data = [
        {
            "col": PROVINCE_TILES[code][0],
            "row": PROVINCE_TILES[code][1],
            "short": code.removeprefix("NL-"),
            "contacts": n,
            "shown": SUPPRESSED_MARK if n is None else count_text(n),
            "desc": f"{name}: {count_text(n)}",
            "dark": n is not None and n > peak * 0.6,
        }
        for code, name, n in placed
    ]
    grid = {"paddingInner": 4 / TILE, "paddingOuter": 0}
    ink = {"condition": {"test": "datum.dark", "value": "#fff"}, "value": "#222"}
    return _base(
        data,
        width=3 * TILE,
        height=5 * TILE,
        autosize="none",
        padding=1,
        encoding={
            "x": {
                "field": "col",
                "type": "ordinal",
                "axis": None,
                "scale": {**grid, "domain": [0, 1, 2]},
            },
            "y": {
                "field": "row",
                "type": "ordinal",
                "axis": None,
                "scale": {**grid, "domain": [0, 1, 2, 3, 4]},
            },
        },
        layer=[
            {
                "name": "tile",
                # invalid "show": a suppressed province keeps its tile (hatched, below).
                "mark": {
                    "type": "rect",
                    "cornerRadius": 6,
                    "stroke": "#999",
                    "invalid": "show",
                    "aria": True,
                },
                "encoding": {
                    "description": {"field": "desc"},
                    "fill": {
                        "condition": {"test": "!isValid(datum.contacts)", "value": HATCH},
                        "field": "contacts",
                        "type": "quantitative",
                        "scale": {"domain": [0, peak], "range": [PALE, ACCENT]},
                        "legend": None,
                    },
                },
            },
            {
                "name": "short",
                "mark": {"type": "text", "dy": -9, "fontSize": 13, "fontWeight": "bold"},
                "encoding": {"text": {"field": "short"}, "color": ink},
            },
            {
                "name": "value",
                "mark": {"type": "text", "dy": 10, "fontSize": 12},
                "encoding": {"text": {"field": "shown"}, "color": ink},
            },
        ],
    )

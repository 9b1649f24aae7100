"""Every table the dashboard shows, as CSV for Excel: built from the page's own data.

The web handlers pass the very objects they render (no second query), so a CSV always
holds the numbers of the page it was downloaded from. Written for Dutch Excel: UTF-8 with
a byte-order mark (else Excel reads it as Windows-1252), `;` between fields (Dutch Excel's
list separator, as the comma is the decimal sign), decimal commas, Dutch headers, and a
suppressed count as its words ("minder dan 5", "niet getoond"), never a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboards.digest import WeekCount
from dashboards.disclosure import Cell
from dashboards.dutch import count_text, day_label, decimal_text
from dashboards.episodes import EpisodeAlert
from dashboards.explore import Drill, ThemeTrend
from dashboards.periods import ThemePeriod
from dashboards.ranges import RangeSum, ThemeRange, WeekRange
from pipeline.disclosure import MIN_CELL_SIZE

BOM = "\ufeff"
Value = str | int


@dataclass(frozen=True)
class Table:
    name: str  # becomes the file name
    headers: list[str]
    rows: list[list[Value]]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return BOM + out.getvalue()


def count_value(contacts: int | None) -> Value:
    """A whole count as a number Excel can add up; a suppressed one as its Dutch words."""
    return contacts if contacts is not None else count_text(contacts)


def themes_table(overview: dict[str, Any]) -> Table:
    """The overview's theme table, every row the search and sort give (not only the top):
    the period's numbers, then one column per week with data of the 12-week trend."""
    if overview["choice"].weeks:
        return range_table(overview)
    week, period, data = overview["week"], overview["choice"].period, overview["data"]
    rows: Sequence[ThemePeriod] = overview["rows"]
    trends: dict[str, ThemeTrend] = overview["trends"]
    weeks = data.observed(next(iter(trends.values())).weeks) if trends and data else []
    headers = [
        "Thema-id",
        "Thema",
        f"Contacten ({period.label} t/m {week})",
        "Vorige periode",
        "Verandering",
        "Aandeel (%)",
        *(w.iso_week for w in weeks),
    ]
    table = []
    for r in rows:
        counts = (
            {w.iso_week: w.contacts for w in trends[r.theme_id].weeks}
            if r.theme_id in trends
            else {}
        )
        table.append(
            [
                r.theme_id,
                r.name,
                count_value(r.contacts),
                count_value(r.previous) if r.comparable else "",
                r.change_label,
                decimal_text(r.share) if r.share is not None else "",
                *(count_value(counts.get(w.iso_week)) for w in weeks),
            ]
        )
    return Table(f"themas-{period.key}-{week}", headers, table)


def sum_value(total: RangeSum) -> Value:
    """A sum of weeks as a number; where no week was published, its words."""
    return total.value if total.value is not None else total.text


def range_table(overview: dict[str, Any]) -> Table:
    """The overview's table for the reader's own range: the sums, how many weeks each left
    out, then the published weekly cells that were summed (so Excel can check the sum)."""
    weeks: WeekRange = overview["choice"].weeks
    rows: Sequence[ThemeRange] = overview["rows"]
    left_out = f"Weken met minder dan {MIN_CELL_SIZE} (niet meegeteld)"
    headers = [
        "Thema-id",
        "Thema",
        f"Contacten ({weeks.label}, som van de weken)",
        "Vorige periode",
        "Verandering",
        "Aandeel (%)",
        left_out,
        f"{left_out}, vorige periode",
        *(str(w) for w in weeks.weeks),
    ]
    table: list[list[Value]] = [
        [
            r.theme_id,
            r.name,
            sum_value(r.now),
            sum_value(r.previous_sum) if r.comparable else "",
            r.change_label,
            r.share_text.removesuffix("%"),
            r.now.left_out,
            r.previous_sum.left_out if r.comparable else "",
            *(count_value(r.weekly.get(str(w))) for w in weeks.weeks),
        ]
        for r in rows
    ]
    return Table(f"themas-eigen-{weeks.first}-{weeks.last}", headers, table)


def alerts_table(alerts: Sequence[EpisodeAlert]) -> Table:
    headers = [
        "Dag",
        "Thema-id",
        "Thema",
        "Wat",
        "Waar",
        "Sinds",
        "Venster (dagen)",
        "Contacten",
        "Verwacht",
    ]
    rows: list[list[Value]] = [
        [
            a.day_label,
            a.theme_id,
            a.theme_name,
            a.kind_label,
            a.where,
            day_label(a.episode_start),
            a.window_days,
            count_value(a.observed),
            decimal_text(a.expected),
        ]
        for a in alerts
    ]
    return Table("signalen", headers, rows)


def cells_table(name: str, label: str, cells: Sequence[Cell]) -> Table:
    """A breakdown (provinces, sectors, a drill level) exactly as its table shows it."""
    rows: list[list[Value]] = [
        [c.key, c.label, count_value(c.contacts)] for c in cells if c.contacts != 0
    ]
    return Table(name, ["Code", label, "Contacten"], rows)


def drill_table(drill: Drill, week: str, theme_id: str) -> Table:
    path = "-".join(code for _, code, _ in drill.path)
    name = f"inzoomen-{theme_id}-{week}" + (f"-{path}" if path else "")
    table = cells_table(name, drill.level_label or "Niveau", drill.cells)
    # The page's own last row: the values a mart left out, together or each under 5.
    others = "Overige" if drill.cells else "Alle"
    if drill.rest is not None:
        table.rows.append(["", f"{others} {drill.rest_label}, samen", count_value(drill.rest)])
    elif drill.unlisted:
        table.rows.append(["", others, count_value(None)])
    return table


def weeks_table(name: str, weeks: Sequence[WeekCount]) -> Table:
    rows: list[list[Value]] = [[w.iso_week, count_value(w.contacts)] for w in weeks]
    return Table(name, ["Week", "Contacten"], rows)


# Tables of the theme page (and dossier): URL name -> (context key, first column).
THEME_TABLES = {
    "provincies": ("provinces", "Provincie"),
    "sectoren": ("sectors", "Sector"),
    "weken": ("trend", "Week"),
}


def theme_table(table: str, context: dict[str, Any]) -> Table:
    """One table of a theme page, from the context the page itself renders."""
    name = f"{table}-{context['info']['theme_id']}-{context['week']}"
    key, label = THEME_TABLES[table]
    if key == "trend":
        trend, data = context["trend"], context["data"]
        return weeks_table(name, data.observed(trend.weeks) if trend and data else [])
    return cells_table(name, label, context[key])

"""The weekly digest as data: what members contacted the union about, what is new or rising.

Pure: reads only the analysts' snapshot (marts already perturbed and suppressed) and
returns a `Digest`. Counts are the marts' published values, `None` where the mart
suppressed them; nothing here adds, subtracts or reconstructs a cell. Quotes come from `marts.theme_quotes` only,
and only from members in the digest's week (or the weeks just before it) and scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import duckdb

from dashboards.disclosure import Cell
from dashboards.dutch import (
    IsoWeek,
    channel_name,
    province_name,
    sector_name,
    service_line_name,
)
from dashboards.episodes import EpisodeAlert, episode_alerts, headline, places
from dashboards.facets import FACETS_IN_LINE, facet_line, several_facets, week_facets
from pipeline.contract.vocab import CHANNELS, PROVINCES, SECTORS, SERVICE_LINES
from pipeline.disclosure import MIN_CELL_SIZE

BASELINE_WEEKS = 4
TREND_WEEKS = 8
TOP_THEMES = 10
QUOTES_PER_THEME = 3
# A quote is from the week shown or, when that week has too few, from at most this many
# weeks before it; never from a later week.
QUOTE_WEEKS_BACK = BASELINE_WEEKS
TOO_FEW_TO_QUOTE = "te weinig contacten voor een citaat"
NO_THEME = ("alle", "onbekend")
# (week, theme, value of the split dimension) -> (theme name, contacts)
Counts = dict[tuple[str, str, str | None], tuple[str, int | None]]


@dataclass(frozen=True)
class Scope:
    """Which slice of the members the digest covers; None means all."""

    province: str | None = None
    sector: str | None = None

    @property
    def label(self) -> str:
        parts = [province_name(self.province) if self.province else "heel Nederland"]
        if self.sector:
            parts.append(f"sector {sector_name(self.sector)}")
        return ", ".join(parts)


@dataclass(frozen=True)
class WeekCount:
    iso_week: str
    label: str
    contacts: int | None


@dataclass(frozen=True)
class ThemeRow:
    theme_id: str
    name: str
    contacts: int | None
    baseline: float | None
    change: str
    trend: list[WeekCount]
    facets: list[Cell] = field(default_factory=list)  # published facets of the week, most first
    facet_line: str = ""  # the same in one Dutch line; empty for a theme of one facet


@dataclass(frozen=True)
class Emerging:
    theme_id: str
    name: str
    kind: str
    kind_label: str
    since: date
    since_label: str
    where: list[str]
    peak_rate_ratio: float | None
    contacts: int | None
    provinces: list[Cell]
    sectors: list[Cell]
    quotes: list[str]
    quote_note: str | None = None  # why there is no quote, when that is not plain absence
    # The alert behind kind, since and where first: its segment, window and count.
    headline: EpisodeAlert | None = None


@dataclass(frozen=True)
class Digest:
    week: str
    week_label: str
    scope: Scope
    scope_label: str
    total: int | None
    total_baseline: float | None
    total_change: str
    total_trend: list[WeekCount]  # the trend weeks inside the data, oldest first
    unthemed: int | None
    top_themes: list[ThemeRow]
    emerging: list[Emerging]
    channels: list[Cell]
    service_lines: list[Cell]
    # Trend weeks before the first week with data: unknown, not "minder dan 5", so they
    # get no point (a chart keeps their place, so every row's weeks line up).
    weeks_before_data: int = 0


def change_text(contacts: int | None, previous: list[int | None]) -> tuple[float | None, str]:
    """Baseline (mean of the previous weeks) and the change in words.

    A suppressed previous week (1-4 contacts) makes the mean unknowable, so the
    change is only stated when every previous week is known (absent weeks are 0).
    """
    if all(p is None or p == 0 for p in previous) and any(p is None for p in previous):
        return None, f"nieuw (eerder minder dan {MIN_CELL_SIZE} per week)"
    if any(p is None for p in previous):
        return None, "niet te berekenen"
    baseline = sum(previous) / len(previous)  # type: ignore[arg-type]
    if baseline == 0:
        return 0.0, "nieuw" if contacts else "geen"
    if contacts is None:
        return baseline, f"gedaald (nu minder dan {MIN_CELL_SIZE})"
    percent = round(100 * (contacts - baseline) / baseline)
    if percent == 0:
        return baseline, "gelijk"
    return baseline, f"{'+' if percent > 0 else '−'}{abs(percent)}%"


class DigestReader:
    """Queries on one snapshot connection, all through `marts.theme_week_drilldown`, or
    `marts.facet_week_drilldown` for the contacts of one facet (`facet_id`)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, scope: Scope, facet_id: str | None = None
    ) -> None:
        self.con = con
        self.scope = scope
        self.facet_id = facet_id

    def counts(
        self,
        weeks: list[IsoWeek],
        theme_id: str | None = None,
        by: str | None = None,
        channel: str | None = None,
        service_line: str | None = None,
    ) -> Counts:
        """(week, theme, value of `by`) -> (theme name, contacts) at one drill level."""
        dims = {
            "province": self.scope.province,
            "sector": self.scope.sector,
            "channel": channel,
            "service_line": service_line,
        }
        where = ["iso_week IN (SELECT unnest(?))"]
        params: list[object] = [[str(w) for w in weeks]]
        for name, value in dims.items():
            if name == by:
                where.append(f"{name} IS NOT NULL")
            elif value is None:
                where.append(f"{name} IS NULL")
            else:
                where.append(f"{name} = ?")
                params.append(value)
        if theme_id is not None:
            where.append("theme_id = ?")
            params.append(theme_id)
        select_by = by if by else "NULL"
        table, name = "marts.theme_week_drilldown", "theme_name"
        if self.facet_id is not None:
            table, name = "marts.facet_week_drilldown", "facet_name"
            where.append("facet_id = ?")
            params.append(self.facet_id)
        rows = self.con.execute(
            f"SELECT iso_week, theme_id, {select_by}, {name}, contacts "
            f"FROM {table} WHERE {' AND '.join(where)}",
            params,
        ).fetchall()
        return {(w, t, b): (name, n) for w, t, b, name, n in rows}

    def cell(
        self,
        week: IsoWeek,
        theme_id: str,
        channel: str | None = None,
        service_line: str | None = None,
    ) -> int | None:
        """One published cell of the reader's scope; None where the mart leaves it out."""
        found = self.counts([week], theme_id, channel=channel, service_line=service_line)
        return next(iter(found.values()), ("", None))[1]


def week_matrix(
    counts: dict[tuple[str, str], int | None], names: dict[str, str], weeks: list[IsoWeek]
) -> dict[str, list[Cell]]:
    """Per theme, one cell per week from `counts` ((week, theme) -> contacts).

    A week without a row is one the mart left out: fewer than 5 contacts, or none.
    """
    return {t: [Cell(t, name, counts.get((str(w), t))) for w in weeks] for t, name in names.items()}


def trend_of(
    cells: list[Cell], weeks: list[IsoWeek], first: IsoWeek | None = None
) -> list[WeekCount]:
    """The weekly counts from the first week with data (`first`) on."""
    return [
        WeekCount(str(w), w.short_label, c.contacts)
        for w, c in zip(weeks, cells, strict=True)
        if first is None or w >= first
    ]


def build_digest(con: duckdb.DuckDBPyConnection, week: IsoWeek, scope: Scope = Scope()) -> Digest:
    reader = DigestReader(con, scope)
    weeks = [week.shift(-i) for i in range(TREND_WEEKS - 1, -1, -1)]
    first_week = con.execute("SELECT min(iso_week) FROM marts.theme_week").fetchone()[0]
    first = IsoWeek.parse(first_week) if first_week else None
    counts = reader.counts(weeks)
    names = {t: name for (_, t, _), (name, _) in counts.items() if t != "alle"}
    total_series = [counts.get((str(w), "alle", None), ("", None))[1] for w in weeks]
    total_baseline, total_change = change_text(total_series[-1], total_series[-5:-1])
    by_week = {(w, t): n for (w, t, _), (_, n) in counts.items()}
    matrix = week_matrix(by_week, names, weeks)
    themes = []
    for theme_id, cells in matrix.items():
        latest = cells[-1]
        if theme_id in NO_THEME or latest.contacts is None:
            continue
        previous = cells[-1 - BASELINE_WEEKS : -1]
        baseline, change = change_text(latest.contacts, [c.contacts for c in previous])
        trend = trend_of(cells, weeks, first)
        themes.append(ThemeRow(theme_id, names[theme_id], latest.contacts, baseline, change, trend))
    unthemed = matrix.get("onbekend", [Cell("onbekend", "", None)])[-1]
    themes.sort(key=lambda t: (-(t.contacts or 0), t.name))
    top = with_facets(con, week, scope, themes[:TOP_THEMES])

    return Digest(
        week=str(week),
        week_label=week.label,
        scope=scope,
        scope_label=scope.label,
        total=total_series[-1],
        total_baseline=total_baseline,
        total_change=total_change,
        total_trend=trend_of([Cell("alle", "", n) for n in total_series], weeks, first),
        unthemed=unthemed.contacts,
        top_themes=top,
        emerging=emerging_themes(reader, week),
        channels=_mix(reader, week, "channel", CHANNELS, channel_name),
        service_lines=_mix(reader, week, "service_line", SERVICE_LINES, service_line_name),
        weeks_before_data=sum(first is not None and w < first for w in weeks),
    )


def with_facets(
    con: duckdb.DuckDBPyConnection, week: IsoWeek, scope: Scope, themes: list[ThemeRow]
) -> list[ThemeRow]:
    """The themes, each with its facets of the week in the scope (only those published)."""
    ids = [t.theme_id for t in themes]
    faceted = several_facets(con, ids)
    facets = week_facets(con, week, faceted, scope.province, scope.sector)
    rows = []
    for t in themes:
        shown = facets.get(t.theme_id, [])[:FACETS_IN_LINE]
        rows.append(replace(t, facets=shown, facet_line=facet_line(shown)))
    return rows


def _mix(
    reader: DigestReader,
    week: IsoWeek,
    by: str,
    keys: Iterable[str],
    label: Callable[[str], str],
) -> list[Cell]:
    total = reader.cell(week, "alle")
    cells = cells_for(reader.counts([week], theme_id="alle", by=by), keys, label, total)
    return sorted(cells, key=lambda c: (c.contacts is None, -(c.contacts or 0), c.label))


def _in_scope(scope: Scope, segment_kind: str, segment_value: str) -> bool:
    if segment_kind == "national":
        return True
    province, _, sector = segment_value.partition("|")
    if segment_kind == "province":
        sector = ""
    if segment_kind == "sector":
        province, sector = "", segment_value
    if scope.province and province and province != scope.province:
        return False
    return not (scope.sector and sector and sector != scope.sector)


def emerging_themes(reader: DigestReader, week: IsoWeek) -> list[Emerging]:
    """Alerts of the week grouped per theme, within the reader's scope.

    Each theme's story is its headline alert (`dashboards.episodes.headline`): what, where,
    since when, over which window and how many, exactly as `marts.theme_episodes` has it.
    """
    by_theme: dict[str, list[EpisodeAlert]] = {}
    for alert in episode_alerts(reader.con, first_day=week.monday, last_day=week.sunday):
        if _in_scope(reader.scope, alert.segment_kind, alert.segment_value):
            by_theme.setdefault(alert.theme_id, []).append(alert)
    result = []
    for theme_id, alerts in by_theme.items():
        top = headline(alerts)
        assert top is not None
        ratios = [a.rate_ratio for a in alerts if a.rate_ratio is not None]
        # A national alert on a theme the scope has too few contacts of is not news here.
        contacts = reader.cell(week, theme_id)
        if contacts is None and all(a.segment_kind == "national" for a in alerts):
            continue
        provinces = reader.counts([week], theme_id=theme_id, by="province")
        sectors = reader.counts([week], theme_id=theme_id, by="sector")
        quotes, quote_note = theme_quotes(reader.con, theme_id, week, reader.scope)
        result.append(
            Emerging(
                theme_id=theme_id,
                name=top.theme_name,
                kind=top.episode_kind,
                kind_label=top.episode_label,
                since=top.episode_start,
                since_label=top.since_label,
                where=places(alerts),
                peak_rate_ratio=max(ratios) if ratios else None,
                contacts=contacts,
                provinces=cells_for(provinces, PROVINCES, province_name, contacts),
                sectors=cells_for(sectors, SECTORS, sector_name, contacts),
                quotes=quotes,
                quote_note=quote_note,
                headline=top,
            )
        )
    result.sort(key=lambda e: (e.kind != "new_theme", -(e.contacts or 0), e.name))
    return result


def cells_for(
    counts: Counts, keys: Iterable[str], label: Callable[[str], str], total: int | None
) -> list[Cell]:
    """One breakdown of a cell; every key in `keys` gets a cell, None where not published.

    Below a suppressed cell nothing is shown: its parts could only narrow it down.
    """
    if total is None:
        return []
    found = {b: n for (_, _, b), (_, n) in counts.items() if b is not None}
    keys = list(keys)
    cells = [Cell(key, label(key), found.get(key)) for key in keys]
    return cells + [Cell(key, label(key), n) for key, n in found.items() if key not in keys]


def theme_quotes(
    con: duckdb.DuckDBPyConnection,
    theme_id: str,
    week: IsoWeek,
    scope: Scope = Scope(),
    limit: int = QUOTES_PER_THEME,
) -> tuple[list[str], str | None]:
    """Quotes of a theme for the digest or theme page of `week` in `scope`, and a note.

    Only members in the scope's province and sector, from `week` first, then from the
    most recent of the `QUOTE_WEEKS_BACK` weeks before it; never from a later week. When
    the theme has fewer than 5 contacts in the scope that week, a quote could point to the
    member: then no quote, and the note says so.
    """
    if DigestReader(con, scope).cell(week, theme_id) is None:
        return [], TOO_FEW_TO_QUOTE
    where = ["theme_id = ?", "iso_week IN (SELECT unnest(?))"]
    params: list[object] = [theme_id, [str(week.shift(-i)) for i in range(QUOTE_WEEKS_BACK + 1)]]
    # The mart leaves a quote's province or sector NULL where fewer than 5 share it.
    for column, value in (("province", scope.province), ("sector", scope.sector)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = con.execute(
        f"SELECT quote FROM marts.theme_quotes WHERE {' AND '.join(where)}"
        " ORDER BY iso_week DESC, rank LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [r[0] for r in rows], None

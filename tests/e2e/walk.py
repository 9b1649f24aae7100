"""The official's two-minute walk in a real Chromium, checked against the marts at every step.

overview → the rising theme → where and since when (its episode block) → drill down to
channel → a quote → the dossier PDF. Each step is timed (from the click to the page showing
what the step is for), screenshotted, and its numbers compared with the snapshot the
dashboard reads. Used by `tests/e2e/test_two_minute_walk.py` (the test warehouse, desktop
and phone) and `scripts/walk_timing.py` (any warehouse, e.g. the demo's).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pypdf
from playwright.sync_api import Locator, Page, expect

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def chromium_path() -> str:
    return os.environ.get("LEDENRADAR_CHROMIUM", "/usr/bin/chromium")


@contextmanager
def serve(snapshot: Path, data_dir: Path) -> Iterator[str]:
    """`ledenradar dashboard` on a free port for `snapshot`; yields its base URL."""
    from pipeline.kafka_broker import free_port

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "dashboard",
            "--port",
            str(port),
            "--snapshot",
            str(snapshot),
        ],
        cwd=REPO,
        env=dict(os.environ, LEDENRADAR_DATA_DIR=str(data_dir)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    output = server.stdout.read().decode()[-2000:] if server.stdout else ""
                    raise RuntimeError(f"dashboard did not start: {output}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Shot:
    """What a step's screenshot shows: the whole page, or one element of it."""

    element: Locator | None = None
    full_page: bool = True
    prepare: Callable[[], None] | None = None  # run after the timing, before the screenshot


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    screenshot: Path


class Marts:
    """The published numbers the pages must show, read from the dashboard's own snapshot."""

    def __init__(self, snapshot: Path) -> None:
        self.con = duckdb.connect(str(snapshot), read_only=True)

    def one(self, sql: str, params: list) -> int | None:
        row = self.con.execute(sql, params).fetchone()
        return row[0] if row else None

    def period(self, week: str, theme: str) -> int | None:
        return self.one(
            "SELECT contacts FROM marts.theme_period WHERE period_weeks = 1 AND last_week = ?"
            " AND theme_id = ? AND facet_id IS NULL",
            [week, theme],
        )

    def week(self, week: str, theme: str) -> int | None:
        return self.one(
            "SELECT contacts FROM marts.theme_week WHERE iso_week = ? AND theme_id = ?",
            [week, theme],
        )

    def alert(self, theme: str, segment: str, day: str) -> tuple[int, int, str] | None:
        """(window, observed, episode start) of a theme's alert in a segment on a day."""
        kind, _, value = segment.partition(":")
        row = self.con.execute(
            "SELECT window_days, observed, episode_start::VARCHAR FROM marts.theme_episodes"
            " WHERE theme_id = ? AND segment_kind = ? AND segment_value = ? AND day = ?",
            [theme, kind, value, day],
        ).fetchone()
        return tuple(row) if row else None  # type: ignore[return-value]

    def drill(self, query: dict[str, str], level: str | None = None, value: str | None = None):
        """The drill-down cell of a drill page's query (and one value of its next level); a
        level passed over ("alle") is every value of it together, NULL in the mart."""
        levels = ("province", "sector", "channel", "service_line")
        cell = {k: None if query.get(k) == "alle" else query.get(k) for k in levels}
        if level:
            cell[level] = value
        facet = query.get("facet")
        table, subject = (
            ("facet_week_drilldown", "facet_id") if facet else ("theme_week_drilldown", "theme_id")
        )
        return self.one(
            f"SELECT contacts FROM marts.{table} WHERE iso_week = ? AND {subject} = ?"
            " AND province IS NOT DISTINCT FROM ? AND sector IS NOT DISTINCT FROM ?"
            " AND channel IS NOT DISTINCT FROM ? AND service_line IS NOT DISTINCT FROM ?",
            [query["week"], facet or query["theme"], *cell.values()],
        )

    def quotes(self, theme: str) -> set[str]:
        rows = self.con.execute(
            "SELECT quote FROM marts.theme_quotes WHERE theme_id = ?", [theme]
        ).fetchall()
        return {q for (q,) in rows}


@dataclass
class Walk:
    page: Page
    base: str
    out: Path  # screenshots and the dossier PDF
    marts: Marts
    check: Callable[[bool, str], None]  # records (or raises on) a number that disagrees
    steps: list[Step] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[Shot]:
        """Times the block; then the screenshot the block asked for (not timed)."""
        shot = Shot()
        started = time.perf_counter()
        yield shot
        seconds = time.perf_counter() - started
        if shot.prepare:
            shot.prepare()
        path = self.out / f"{len(self.steps) + 1:02d}-{name}.png"
        if shot.element is not None:
            shot.element.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path), full_page=shot.full_page)
        self.steps.append(Step(name, seconds, path))

    def count(self, locator) -> int | None:
        value = locator.first.get_attribute("data-count")
        return int(value) if value else None

    def agree(self, shown: object, published: object, what: str) -> None:
        self.check(shown == published, f"{what}: page {shown!r}, mart {published!r}")


def log_in(page: Page, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text(f"Ingelogd als {name}")).to_be_visible()


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def two_minute_walk(walk: Walk, week: str | None = None) -> list[Step]:
    """The walk; `week` None opens the overview's own (latest) week."""
    page, marts = walk.page, walk.marts
    with walk.step("overzicht"):
        page.goto(walk.base + (f"/?week={week}" if week else "/"))
        card = page.locator(".card.emerging").first
        expect(card).to_be_visible()
    link = card.locator("h3 a")
    week = week or query_of(link.get_attribute("href") or "")["week"]
    theme = (link.get_attribute("href") or "").split("/theme/")[1].split("?")[0]
    walk.agree(walk.count(card.locator(".count")), marts.week(week, theme), "kaart: deze week")
    _check_episode(walk, card.locator(".episode").first, theme, "kaart")
    for row in page.locator("table.trends tr[data-theme]").all():
        row_theme = row.get_attribute("data-theme") or ""
        walk.agree(walk.count(row.locator(".count")), marts.period(week, row_theme), row_theme)

    with walk.step("thema"):
        link.click()
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("#episodes")).to_be_visible()
    walk.agree(walk.count(page.locator("p.sub .count")), marts.week(week, theme), "themakop")

    with walk.step("waar-en-sinds-wanneer") as shot:
        block = shot.element = page.locator(".episode-block").first
        block.scroll_into_view_if_needed()
        expect(block.locator("tr.episode").first).to_be_visible()
    rows = block.locator("tr.episode").all()
    for row in rows:
        _check_episode(walk, row, theme, "episode")
    since = min(r.get_attribute("data-since") or "" for r in rows)
    walk.agree(block.get_attribute("data-start"), since, "begin van het blok")

    with walk.step("inzoomen-tot-kanaal"):
        block.locator("a.segment-link").first.click()
        heading = page.get_by_role("heading", level=2)
        for _ in range(3):  # province, then sector, until the split by channel shows
            expect(heading).to_be_visible()
            if heading.inner_text() == "Per kanaal":
                break
            page.locator("a.drill-link").first.click()
        expect(page.get_by_role("heading", name="Per kanaal")).to_be_visible()
    query = query_of(page.url)
    total = page.locator("p", has_text="Contacten:").locator(".count")
    walk.agree(walk.count(total), marts.drill(query), "inzoomen: totaal")
    for channel_link in page.locator("a.drill-link").all():
        channel = query_of(channel_link.get_attribute("href") or "")["channel"]
        shown = walk.count(channel_link.locator("xpath=../..").locator(".count"))
        walk.agree(shown, marts.drill(query, "channel", channel), f"kanaal {channel}")

    with walk.step("citaat") as shot:
        page.goto(f"{walk.base}/theme/{theme}?week={week}")
        quote = page.locator("blockquote.quote").first
        shot.full_page = False  # the screen the official sees, scrolled to the quote
        quote.scroll_into_view_if_needed()
        expect(quote).to_be_visible()
    walk.check(quote.inner_text() in marts.quotes(theme), "het citaat staat in marts.theme_quotes")

    heading = page.locator("h1").inner_text()
    with walk.step("dossier-pdf") as shot:
        with page.expect_download() as download:
            page.locator("#dossier-pdf").click()
        pdf = walk.out / download.value.suggested_filename
        download.value.save_as(pdf)
        # The screenshot: the same dossier HTML as printed to the PDF.
        shot.prepare = lambda: _show_dossier(page, walk.base, theme, week)
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).split())
    walk.check(f"Dossier: {heading}" in text, "het dossier noemt het thema")
    walk.check(f"{marts.week(week, theme)} contacten deze week" in text, "dossier: deze week")
    return walk.steps


def _check_episode(walk: Walk, element, theme: str, where: str) -> None:
    segment, day = element.get_attribute("data-segment"), element.get_attribute("data-day")
    shown = (
        int(element.get_attribute("data-window")),
        int(element.get_attribute("data-observed")),
        element.get_attribute("data-since"),
    )
    walk.agree(shown, walk.marts.alert(theme, segment, day), f"{where} {segment} {day}")
    walk.agree(walk.count(element.locator(".count")), shown[1], f"{where}: getoond aantal")


def _show_dossier(page: Page, base: str, theme: str, week: str) -> None:
    html = page.request.get(f"{base}/theme/{theme}/dossier?week={week}").text()
    page.emulate_media(media="print")
    page.set_content(html)

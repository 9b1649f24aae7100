"""Issue 20's two-minute walk in real Chromium, at desktop width and as a 390 px phone.

Every step's numbers are compared with the marts of the snapshot the dashboard serves;
the screenshots of each step stay in test-artifacts/walk/<width>/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.warehouse import PLANTED_THEME, build_warehouse
from playwright.sync_api import Browser, sync_playwright

from dashboards.auth import UserStore
from e2e.walk import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    REPO,
    Marts,
    Walk,
    chromium_path,
    log_in,
    serve,
    two_minute_walk,
)

pytestmark = pytest.mark.e2e

ARTIFACTS = REPO / "test-artifacts" / "walk"
PASSWORD = "geheim-wachtwoord"
WEEK = "2026-W47"
STEPS = [
    "overzicht",
    "thema",
    "waar-en-sinds-wanneer",
    "inzoomen-tot-kanaal",
    "citaat",
    "dossier-pdf",
]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("walk"))


@pytest.fixture(scope="module")
def dashboard(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("data")
    UserStore(data_dir / "dashboard_users.json").set("bea", PASSWORD, "official")
    with serve(snapshot, data_dir) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize(("width", "options"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_two_minute_walk_shows_the_marts_numbers(dashboard, snapshot, browser, width, options):
    out = ARTIFACTS / width
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**options, accept_downloads=True)
    page = context.new_page()
    log_in(page, dashboard, "bea", PASSWORD)
    checked: list[tuple[bool, str]] = []
    walk = Walk(page, dashboard, out, Marts(snapshot), lambda ok, what: checked.append((ok, what)))
    steps = two_minute_walk(walk, WEEK)
    context.close()
    assert [s.name for s in steps] == STEPS
    assert all(s.screenshot.stat().st_size > 10_000 for s in steps), "a screenshot of each step"
    assert (out / f"dossier-{PLANTED_THEME[0]}-{WEEK}.pdf").exists()
    # The walk went the planted theme's way and compared many numbers, all equal.
    assert any(PLANTED_THEME[0] in what or "kanaal" in what for _, what in checked)
    assert len(checked) >= 15
    assert [what for ok, what in checked if not ok] == []

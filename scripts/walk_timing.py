"""Time the official's two-minute walk in real Chromium against a warehouse, and screenshot it.

    PYTHONPATH=. .venv/bin/python scripts/walk_timing.py OUT [--snapshot data/demo/ledenradar.duckdb]
    PYTHONPATH=. .venv/bin/python scripts/walk_timing.py OUT --base-url http://127.0.0.1:8050 \\
        --user NAME --password PW --label voor --screens-only

With `--snapshot` it starts its own dashboard on that snapshot (a throw-away data folder and
user, so no real account is touched); with `--base-url` it walks a dashboard already running
(e.g. one of an older version, for "before" screenshots). It writes OUT/<label>-overzicht-<width>.png
and OUT/<label>-thema-<width>.png (desktop 1280 px and phone 390 px), then walks overview →
rising theme → where and since when → drill to channel → quote → dossier PDF at both widths,
prints each step's seconds and the total, and checks every number against the snapshot's marts
(exit 1 when one disagrees). The walk itself is `tests/e2e/walk.py`, the one the browser
test runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from e2e.walk import (  # noqa: E402 - after the path to the tests' walk
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    Marts,
    Walk,
    chromium_path,
    log_in,
    serve,
    two_minute_walk,
)
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from dashboards.auth import UserStore  # noqa: E402
from dashboards.dutch import IsoWeek  # noqa: E402

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def alert_week(marts: Marts) -> str | None:
    """The week of the latest alert: the overview of that week has a rising theme to open."""
    day = marts.con.execute("SELECT max(day) FROM marts.theme_episodes").fetchone()[0]
    return str(IsoWeek.of(day)) if day else None


def screens(
    browser: Browser, base: str, user: str, password: str, week: str, out: Path, label: str
) -> None:
    """The overview and the rising theme's page, as they look now (for before/after)."""
    for width, options in WIDTHS.items():
        context = browser.new_context(**options)
        page = context.new_page()
        log_in(page, base, user, password)
        page.goto(f"{base}/?week={week}")
        page.screenshot(path=str(out / f"{label}-overzicht-{width}.png"), full_page=True)
        link = page.locator(".card.emerging h3 a").first
        if link.count():
            link.click()
            page.wait_for_load_state()
            page.screenshot(path=str(out / f"{label}-thema-{width}.png"), full_page=True)
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the screenshots and the PDF")
    parser.add_argument("--snapshot", type=Path, default=REPO / "data/demo/ledenradar.duckdb")
    parser.add_argument("--base-url", help="walk a dashboard already running on this snapshot")
    parser.add_argument("--user", default="wandeling")
    parser.add_argument("--password", default="wandeling-wachtwoord")
    parser.add_argument("--week", help="ISO week to open (default: the week of the last alert)")
    parser.add_argument("--label", default="na", help="screenshot name prefix, e.g. voor / na")
    parser.add_argument("--screens-only", action="store_true", help="no walk, screenshots only")
    args = parser.parse_args()
    if not args.snapshot.exists():
        parser.error(f"no snapshot at {args.snapshot}")
    args.out.mkdir(parents=True, exist_ok=True)
    marts = Marts(args.snapshot)
    week = args.week or alert_week(marts)
    if week is None:
        parser.error("the snapshot has no alert: give --week")
    disagree: list[str] = []
    with tempfile.TemporaryDirectory() as data_dir:
        if args.base_url:
            running = nullcontext(args.base_url.rstrip("/"))
        else:
            UserStore(Path(data_dir) / "dashboard_users.json").set(
                args.user, args.password, "official"
            )
            running = serve(args.snapshot, Path(data_dir))
        with running as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            screens(browser, base, args.user, args.password, week, args.out, args.label)
            for width, options in ({} if args.screens_only else WIDTHS).items():
                folder = args.out / f"walk-{width}"
                folder.mkdir(exist_ok=True)
                context = browser.new_context(**options, accept_downloads=True)
                page = context.new_page()
                log_in(page, base, args.user, args.password)

                def check(ok: bool, what: str, width: str = width) -> None:
                    if not ok:
                        disagree.append(f"{width}: {what}")

                steps = two_minute_walk(Walk(page, base, folder, marts, check), week)
                context.close()
                print(f"\n{width} ({options['viewport']['width']} px), week {week}:")
                for step in steps:
                    print(f"  {step.name:<24} {step.seconds:6.2f} s")
                print(f"  {'totaal':<24} {sum(s.seconds for s in steps):6.2f} s")
            browser.close()
    for line in disagree:
        print(f"VERSCHIL {line}")
    print(f"\nscreenshots in {args.out}")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())

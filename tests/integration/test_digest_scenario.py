"""The digest on the real batch path: a simulated new theme is named the week after its onset.

new-theme scenario (AI monitoring among Brabant logistics workers from day 30) →
`pipeline.backfill` (validate → redact → embed → assign → land → births, refits and
emergence by event time) → analysts' snapshot → digest. The planted theme is found
through the ground truth: the theme most of its contacts were assigned to.
"""

import json
from dataclasses import replace
from datetime import date, timedelta

import duckdb
import pytest

from dashboards.digest import build_digest
from dashboards.dutch import IsoWeek
from dashboards.render import write_digest
from pipeline.backfill import backfill, open_for_backfill
from pipeline.settings import Settings
from pipeline.simulator.generator import simulate
from pipeline.simulator.scenario import load_scenario
from tests.integration.leaks import leaks, planted_values

pytestmark = pytest.mark.integration

START, DAYS, SEED, PER_WORKING_DAY = date(2026, 8, 3), 42, 7, 80
PLANTED = "ai_monitoring"


def test_digest_names_the_planted_theme_the_week_after_its_onset(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    scenario = replace(load_scenario("new-theme"), per_working_day=PER_WORKING_DAY)
    onset = START + timedelta(days=scenario.effects[0].onset_day)
    pairs = list(simulate(scenario, START, DAYS, SEED))
    planted_ids = {t["event_id"] for _, t in pairs if PLANTED in t["themes"]}
    assert planted_ids

    # The stream's own encoder (e5). With MiniLM, an English model, the planted subject's
    # first contacts shared one theme with the app outages since the encoder reads only the
    # first question (43 % planted); docs/themes.md, "A contact is themed by its first question".
    settings = Settings.load(data_dir=str(tmp_path / "data"))
    writer, enricher, schedule = open_for_backfill(settings)
    report = backfill(
        (json.dumps(event).encode() for event, _ in pairs),
        "new-theme",
        writer,
        enricher,
        schedule,
        settings.max_text_bytes,
    )
    assert report.contacts == len(pairs)
    week_after = IsoWeek.of(onset).shift(1)
    snapshot = writer.snapshot(tmp_path / "snapshot.duckdb")
    con = duckdb.connect(str(snapshot), read_only=True)
    digest = build_digest(con, week_after)
    con.close()
    # The planted theme is the emerging theme made mostly of planted contacts (a theme
    # found before the onset may absorb some of them; that one is not the new theme).
    shares = {}
    for item in digest.emerging:
        members = [
            event_id
            for (event_id,) in writer.con.execute(
                "SELECT event_id FROM core.contact_themes WHERE theme_id = ?", [item.theme_id]
            ).fetchall()
        ]
        shares[item.theme_id] = sum(m in planted_ids for m in members) / max(1, len(members))
    writer.con.close()
    assert shares, f"nothing new or rising in {week_after.label}"
    planted_theme = max(shares, key=shares.get)
    assert shares[planted_theme] >= 0.5, shares
    emerging = {e.theme_id: e for e in digest.emerging}
    name = emerging[planted_theme].name
    print(f"{week_after.label}: {name!r} ({emerging[planted_theme].kind_label}), {shares}")
    assert any(
        c.key == "NL-NB" and c.contacts is not None for c in emerging[planted_theme].provinces
    )

    files = write_digest(digest, tmp_path / "digest")
    texts = {path.name: path.read_text(encoding="utf-8") for path in files}
    for text in texts.values():
        assert name in text
    counts = (
        [c.contacts for e in digest.emerging for c in [*e.provinces, *e.sectors]]
        + [c.contacts for c in digest.channels]
        + [t.contacts for t in digest.top_themes]
    )
    assert all(n is None or n >= 5 for n in counts)
    found = leaks("\n".join(texts.values()), planted_values(t for _, t in pairs))
    assert found == {}, found

"""The digest on the real batch path: a simulated new theme is named the week after its onset.

new-theme scenario (AI monitoring among Brabant logistics workers from day 30) →
`pipeline.backfill` (validate → redact → embed → assign → land → births, refits and
emergence by event time) → analysts' snapshot → digest. The planted theme is found
through the ground truth: the theme most of its contacts were assigned to.
"""

import json
from collections import Counter
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

    settings = Settings.load(data_dir=str(tmp_path / "data"), embedding_model="minilm")
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
    assigned = Counter(
        theme_id
        for (theme_id,) in writer.con.execute(
            "SELECT theme_id FROM core.contact_themes WHERE event_id IN (SELECT unnest(?))"
            " AND theme_id IS NOT NULL",
            [sorted(planted_ids)],
        ).fetchall()
    )
    assert assigned, "no planted contact was assigned to a theme"
    planted_theme, _ = assigned.most_common(1)[0]
    snapshot = writer.snapshot(tmp_path / "snapshot.duckdb")
    writer.con.close()

    week_after = IsoWeek.of(onset).shift(1)
    con = duckdb.connect(str(snapshot), read_only=True)
    digest = build_digest(con, week_after)
    con.close()
    emerging = {e.theme_id: e for e in digest.emerging}
    assert planted_theme in emerging, (week_after.label, assigned, list(emerging))
    name = emerging[planted_theme].name
    print(f"{week_after.label}: {name!r} ({emerging[planted_theme].kind_label}), {assigned}")
    assert "Noord-Brabant" in " ".join(emerging[planted_theme].where) or any(
        c.key == "NL-NB" and c.contacts for c in emerging[planted_theme].provinces
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
    assert all(n is None or n == 0 or n >= 5 for n in counts)
    found = leaks("\n".join(texts.values()), planted_values(t for _, t in pairs))
    assert found == {}, found

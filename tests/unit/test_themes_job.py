"""Theme jobs on a real warehouse file: refit, stable ids, births between refits, alerts."""

import json
from datetime import date, timedelta

import numpy as np
import pytest

from pipeline.contract.dead_letter import Origin
from pipeline.contract.enriched import Enrichment
from pipeline.normalise import accept
from pipeline.themes.births import discover_unassigned
from pipeline.themes.files import ThemeFiles
from pipeline.themes.quotes import QUOTES_PER_WEEK
from pipeline.themes.refit import refit
from pipeline.themes.retheme import assign_waiting, settle_days
from pipeline.themes.scan import scan_alerts
from pipeline.themes.schedule import closed_through
from pipeline.warehouse import theme_store
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import LandedContact, WarehouseWriter
from topics.discovery import DiscoveryConfig
from topics.model import ThemeModel

DIM = 24
START = date(2026, 9, 7)
TOPICS = {
    "pensioen": "Mijn pensioenopbouw bij het pensioenfonds klopt niet, wat is de nieuwe pensioenregeling?",
    "thuiswerk": "Krijg ik thuiswerkvergoeding voor thuiswerken en internetvergoeding voor mijn thuiswerkplek?",
    "ontslag": "Ik krijg ontslag, hoe zit het met de opzegtermijn en de transitievergoeding?",
    "nieuw": "Mijn werkgever volgt mij met een slimme camera en AI-software tijdens het orderpicken.",
    "groet": "Nou, dank je wel, fijne dag. Bedankt, doei!",
}
CONFIG = DiscoveryConfig(reducer="pca", n_components=5, seed=3)


def vector(topic_index: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(0, 0.08, DIM).astype(np.float32)
    v[topic_index * 5] += 1.0
    return v / np.linalg.norm(v)


def contact(
    i: int,
    topic: str,
    day: date,
    rng,
    theme_id=None,
    province="NL-UT",
    text=None,
    similarity=0.0,
    facet_id=None,
) -> LandedContact:
    raw = {
        "event_id": f"c{i}",
        "occurred_at": f"{day.isoformat()}T10:00:00+02:00",
        "source": "test",
        "channel": "email",
        "text": text or TOPICS[topic],
        "province": province,
        "sector": "transport",
    }
    event = accept(json.dumps(raw).encode()).event
    embedding = vector(list(TOPICS).index(topic), rng)
    return LandedContact(
        event,
        Origin("t", 0, i),
        100,
        Enrichment(0, embedding, "fake@1", theme_id, similarity, facet_id),
    )


@pytest.fixture
def warehouse(tmp_path):
    files = ThemeFiles(tmp_path / "themes", tmp_path / "taxonomy.yaml")
    writer = WarehouseWriter(open_warehouse(tmp_path / "ledenradar.duckdb"))
    rng = np.random.default_rng(0)
    rows = [
        contact(i, ["pensioen", "thuiswerk", "ontslag"][i % 3], START + timedelta(days=i % 35), rng)
        for i in range(420)
    ]
    writer.land(rows, [], {})
    return writer.con, files, rng


def test_refit_registers_themes_and_keeps_ids_across_refits(warehouse):
    con, files, _ = warehouse
    first = refit(con, files, config=CONFIG)
    assert first.themes == 3 and first.coverage >= 0.85
    taxonomy = files.taxonomy.load()
    names = {r[0]: r[1] for r in con.execute("SELECT theme_id, name FROM core.themes").fetchall()}
    assert set(names) <= set(taxonomy.themes)
    # Guided by the seed taxonomy: the pension cluster gets the curated theme and its Dutch name.
    assert "Pensioen" in names.values()
    before = dict(con.execute("SELECT event_id, theme_id FROM core.contact_themes").fetchall())

    second = refit(con, files, config=CONFIG)
    after = dict(con.execute("SELECT event_id, theme_id FROM core.contact_themes").fetchall())
    kept = sum(before[e] == after[e] for e in before) / len(before)
    assert kept >= 0.95
    assert second.changes.get("continued") == 3
    quotes = con.execute("SELECT count(*) FROM core.theme_quotes").fetchone()[0]
    assert quotes >= 3
    # Each quote names its contact, one of its theme's (digests quote by week and place).
    own = (
        "SELECT count(*) FROM core.theme_quotes JOIN core.contact_themes USING (event_id, theme_id)"
    )
    assert con.execute(own).fetchone()[0] == quotes


def test_a_new_theme_is_born_between_refits_and_raises_an_alert(warehouse):
    con, files, rng = warehouse
    refit(con, files, config=CONFIG)
    model = ThemeModel.load(files.model_dir)
    onset = START + timedelta(days=35)
    new_rows = [
        contact(1000 + i, "nieuw", onset + timedelta(days=i % 4), rng, province="NL-NB")
        for i in range(60)
    ]
    WarehouseWriter(con).land(new_rows, [], {})
    born = discover_unassigned(con, files, since=onset)
    assert len(born) == 1 and born[0] not in model.ids
    themed = con.execute(
        "SELECT count(*) FROM core.contact_themes WHERE theme_id = ? AND assigned_by = 'birth'",
        [born[0]],
    ).fetchone()[0]
    assert themed >= 50
    assert born[0] in ThemeModel.load(files.model_dir).ids

    alerts = scan_alerts(con)
    assert any(a.theme_id == born[0] and a.kind == "new_theme" for a in alerts)
    assert scan_alerts(con) == [], "alerts are stored once"


def test_a_subject_hidden_in_a_neighbour_is_born_with_its_past_and_is_not_called_new(warehouse):
    con, files, rng = warehouse
    refit(con, files, config=CONFIG)
    neighbour = ThemeModel.load(files.model_dir).ids[0]
    onset = START + timedelta(days=35)
    # The same subject all along, online-assigned to a neighbouring theme before the birth.
    past = [
        contact(3000 + i, "nieuw", START + timedelta(days=i % 35), rng, theme_id=neighbour)
        for i in range(70)
    ]
    recent = [
        contact(1000 + i, "nieuw", onset + timedelta(days=i % 4), rng, province="NL-NB")
        for i in range(60)
    ]
    WarehouseWriter(con).land(past + recent, [], {})

    born = discover_unassigned(con, files, since=onset)

    assert len(born) == 1
    past_themes = con.execute(
        "SELECT theme_id, count(*) FROM core.contact_themes WHERE event_id IN ? GROUP BY 1",
        [[row.event.event_id for row in past]],
    ).fetchall()
    assert past_themes == [(born[0], 70)]
    first_seen = con.execute(
        "SELECT first_seen_day FROM core.themes WHERE theme_id = ?", born
    ).fetchone()[0]
    assert first_seen == START
    assert not [a for a in scan_alerts(con) if a.kind == "new_theme"]


def test_contacts_enriched_before_any_theme_model_are_themed_once_one_exists(warehouse):
    con, files, rng = warehouse
    later = START + timedelta(days=36)
    # The worker ran ahead of the first refit: never compared with any theme.
    waiting = [contact(4000 + i, "pensioen", later, rng, similarity=None) for i in range(10)]
    # Compared with the themes of the time, and nothing fitted: they stay unassigned.
    compared = [contact(5000 + i, "pensioen", later, rng, similarity=0.1) for i in range(5)]
    WarehouseWriter(con).land(waiting + compared, [], {})
    refit(con, files, until=START + timedelta(days=34), config=CONFIG)

    assert assign_waiting(con, files.model_dir) == 10

    def themes_of(rows):
        return con.execute(
            "SELECT theme_id, count(*) FROM core.contact_themes WHERE event_id IN ? GROUP BY 1",
            [[row.event.event_id for row in rows]],
        ).fetchall()

    themed = {t: n for t, n in themes_of(waiting) if t is not None}
    assert len(themed) == 1 and sum(themed.values()) >= 6  # a few fall below the threshold
    unassessed = con.execute(
        "SELECT count(*) FROM core.contact_themes WHERE similarity IS NULL"
    ).fetchone()[0]
    assert unassessed == 0
    assert themes_of(compared) == [(None, 5)]
    assert assign_waiting(con, files.model_dir) == 0


def test_contacts_given_a_theme_that_a_refit_ended_move_to_a_current_theme(warehouse):
    con, files, rng = warehouse
    refit(con, files, until=START + timedelta(days=34), config=CONFIG)
    current = set(ThemeModel.load(files.model_dir).ids)
    later = START + timedelta(days=36)
    # Themed by a worker still holding an older model, with a theme this refit ended.
    orphans = [
        contact(6000 + i, "ontslag", later, rng, theme_id="T0999", similarity=0.9) for i in range(8)
    ]
    WarehouseWriter(con).land(orphans, [], {})

    assert assign_waiting(con, files.model_dir) == 8

    themes = dict(
        con.execute(
            "SELECT theme_id, count(*) FROM core.contact_themes WHERE event_id IN ? GROUP BY 1",
            [[row.event.event_id for row in orphans]],
        ).fetchall()
    )
    themed = {t: n for t, n in themes.items() if t is not None}
    assert len(themed) == 1 and set(themed) <= current  # a few fall below the threshold
    assert sum(themed.values()) >= 4
    assert assign_waiting(con, files.model_dir) == 0


def test_contacts_whose_facet_a_refit_ended_or_moved_follow_the_current_tree(warehouse):
    con, files, rng = warehouse
    refit(con, files, until=START + timedelta(days=34), config=CONFIG)
    model = ThemeModel.load(files.model_dir)
    later = START + timedelta(days=36)
    # Themed by a worker still holding an older model: a facet this refit ended, under a
    # theme that continued; and a current facet under the theme it had before a regrouping.
    theme = model.facet_themes[0]
    other = next(t for t in model.ids if t != theme)
    stale = [
        contact(7000 + i, "pensioen", later, rng, theme_id=theme, similarity=0.9, facet_id="F0999")
        for i in range(6)
    ]
    regrouped = [
        contact(
            7100 + i,
            "pensioen",
            later,
            rng,
            theme_id=other,
            similarity=0.9,
            facet_id=model.facet_ids[0],
        )
        for i in range(4)
    ]
    WarehouseWriter(con).land(stale + regrouped, [], {})

    assert assign_waiting(con, files.model_dir) == 10

    tree = dict(zip(model.facet_ids, model.facet_themes, strict=True))
    rows = con.execute(
        """SELECT t.theme_id, f.facet_id FROM core.contact_themes t
           LEFT JOIN core.contact_facets f USING (event_id) WHERE event_id IN ?""",
        [[row.event.event_id for row in stale + regrouped]],
    ).fetchall()
    themed = [(t, f) for t, f in rows if t is not None]
    assert len(themed) >= 6  # a few fall below the threshold
    assert all(f in tree and tree[f] == t for t, f in themed)
    assert assign_waiting(con, files.model_dir) == 0


def test_contacts_of_greetings_only_are_not_born_as_a_theme_and_stay_unassigned(warehouse):
    con, files, rng = warehouse
    refit(con, files, config=CONFIG)
    onset = START + timedelta(days=35)
    greetings = [
        contact(2000 + i, "groet", onset + timedelta(days=i % 4), rng, province="NL-NB")
        for i in range(40)
    ]
    new_rows = [
        contact(1000 + i, "nieuw", onset + timedelta(days=i % 4), rng, province="NL-NB")
        for i in range(60)
    ]
    WarehouseWriter(con).land(greetings + new_rows, [], {})
    themes_before = set(files.taxonomy.load().themes)

    born = discover_unassigned(con, files, since=onset)

    assert len(born) == 1  # the camera theme; the greetings make none
    keyphrases = con.execute(
        "SELECT keyphrases FROM core.themes WHERE theme_id = ?", born
    ).fetchone()[0]
    assert "camera" in " ".join(keyphrases)
    greeting_themes = con.execute(
        "SELECT theme_id, count(*) FROM core.contact_themes WHERE event_id IN ? GROUP BY 1",
        [[row.event.event_id for row in greetings]],
    ).fetchall()
    assert greeting_themes == [(None, 40)]
    taxonomy = files.taxonomy.load()
    assert set(taxonomy.themes) - themes_before <= set(born)
    name_words = set(taxonomy.themes[born[0]].name.lower().replace("/", " ").split())
    assert not name_words & {"nou", "dank", "fijne", "dag", "bedankt", "doei"}


def test_quotes_are_kept_per_theme_and_week_so_a_digest_can_quote_its_own_week(tmp_path):
    files = ThemeFiles(tmp_path / "themes", tmp_path / "taxonomy.yaml")
    writer = WarehouseWriter(open_warehouse(tmp_path / "ledenradar.duckdb"))
    rng = np.random.default_rng(1)
    topics = ["pensioen", "thuiswerk", "ontslag"]
    rows = []
    for i in range(420):
        topic, day = topics[i % 3], START + timedelta(days=i % 35)
        text = f"{TOPICS[topic]} Dit speelt sinds {day:%d-%m} bij ons op afdeling {i}."
        rows.append(contact(i, topic, day, rng, text=text))
    writer.land(rows, [], {})
    con = writer.con
    assert refit(con, files, config=CONFIG).themes == 3
    per_week = con.execute(
        """SELECT q.theme_id, c.occurred_week, count(*) FROM core.theme_quotes q
           JOIN core.contacts c USING (event_id) GROUP BY ALL"""
    ).fetchall()
    weeks = {week for _, week, _ in per_week}
    landed_weeks = {
        r[0] for r in con.execute("SELECT DISTINCT occurred_week FROM core.contacts").fetchall()
    }
    assert weeks == landed_weeks  # every week of the window can be quoted
    assert max(n for *_, n in per_week) == QUOTES_PER_WEEK
    assert {theme for theme, *_ in per_week} == {
        r[0]
        for r in con.execute("SELECT theme_id FROM core.themes WHERE status = 'active'").fetchall()
    }


def test_a_week_closes_on_its_sunday_or_when_the_contacts_end():
    saturday, sunday, monday = date(2026, 10, 17), date(2026, 10, 18), date(2026, 10, 19)
    assert closed_through(saturday, final=False) == date(2026, 10, 11)
    assert closed_through(sunday, final=False) == sunday
    assert closed_through(monday, final=False) == sunday
    assert closed_through(saturday, final=True) == saturday


def test_a_closed_week_settles_what_the_stream_left_by_the_refits_rule(warehouse):
    con, files, rng = warehouse
    refit(con, files, config=CONFIG)
    week = [START + timedelta(days=35 + d) for d in range(7)]
    # Left unthemed on arrival, as the stream does to contacts at the edge of a theme.
    words = TOPICS["pensioen"] + " Ik zit al weken in de wachtkamer."
    held = [
        contact(8000 + i, "pensioen", week[i % 7], rng, similarity=0.1, text=words)
        for i in range(10)
    ]
    new_subject = [contact(8100 + i, "nieuw", week[2], rng, similarity=0.1) for i in range(3)]
    next_week = [contact(8200, "pensioen", week[6] + timedelta(days=1), rng, similarity=0.1)]
    WarehouseWriter(con).land(held + new_subject + next_week, [], {})

    assert settle_days(con, files.model_dir, week[0], week[6]) == 10

    def themes_of(rows):
        return con.execute(
            """SELECT theme_id, assigned_by, count(*) FROM core.contact_themes
               WHERE event_id IN ? GROUP BY ALL""",
            [[row.event.event_id for row in rows]],
        ).fetchall()

    model = ThemeModel.load(files.model_dir)
    pension = model.ids[model.names.index("Pensioen")]
    assert themes_of(held) == [(pension, "settled", 10)]
    assert themes_of(new_subject) == [(None, "online", 3)]  # under every facet's floor
    assert themes_of(next_week) == [(None, "online", 1)]  # its week is still open
    # Counted for its theme, but the next refit and births read it as the stream left it.
    window = theme_store.load_window(con, None, 90)
    held_ids = {row.event.event_id for row in held}
    before_refit = {
        (t, f)
        for e, t, f in zip(window.event_ids, window.themes, window.facets, strict=True)
        if e in held_ids
    }
    assert before_refit == {(None, None)}
    facets = theme_store.recent_facet_contacts(con, model.facet_ids, 1000, model.embedding_model)
    taught = [t for contacts in facets.values() for t, _ in contacts]
    taught += theme_store.recent_themed_texts(con, 1000)
    assert taught and not [t for t in taught if "wachtkamer" in t]


def test_births_still_find_a_new_subject_among_contacts_a_closed_week_settled(warehouse):
    con, files, rng = warehouse
    refit(con, files, config=CONFIG)
    model = ThemeModel.load(files.model_dir)
    model.facet_floors = [-1.0] * len(model.facet_ids)  # floors loose enough to take anything
    model.save(files.model_dir)
    onset = START + timedelta(days=35)
    new_rows = [
        contact(1000 + i, "nieuw", onset + timedelta(days=i % 4), rng, similarity=0.1)
        for i in range(60)
    ]
    WarehouseWriter(con).land(new_rows, [], {})
    assert settle_days(con, files.model_dir, onset, onset + timedelta(days=6)) == 60

    born = discover_unassigned(con, files, since=onset)

    assert len(born) == 1
    themed = con.execute(
        """SELECT count(*) FROM core.contact_themes
           WHERE event_id IN ? AND theme_id = ? AND assigned_by = 'birth'""",
        [[row.event.event_id for row in new_rows], born[0]],
    ).fetchone()[0]
    assert themed >= 50

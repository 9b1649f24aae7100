"""The two-level theme tree in the jobs: the tree's grouping by words (the default), and a
stand-in grouping by centroids to show any grouping plugs in the same way."""

import json
from datetime import date, timedelta

import numpy as np
import pytest

from pipeline.contract.dead_letter import Origin
from pipeline.contract.enriched import Enrichment
from pipeline.normalise import accept
from pipeline.themes.births import discover_unassigned
from pipeline.themes.files import ThemeFiles, theme_grouping
from pipeline.themes.refit import refit
from pipeline.themes.scan import scan_alerts
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import LandedContact, WarehouseWriter
from topics.discovery import DiscoveryConfig
from topics.facets import AttachByCentroid, FacetGrouping, FacetSummary
from topics.model import ThemeModel
from topics.tree import facet_tree

DIM = 30
START = date(2026, 9, 7)
# facet: (subject direction, own direction or None, text)
FACETS = {
    "pensioen": (0, None, "Mijn pensioenopbouw bij het pensioenfonds klopt niet."),
    "internet": (5, 10, "Valt internet onder de thuiswerkvergoeding voor thuiswerken?"),
    "werkplek": (5, 15, "Valt mijn bureaustoel onder de thuiswerkvergoeding voor thuiswerken?"),
    "ontslag": (20, None, "Ik krijg ontslag, hoe zit het met de opzegtermijn?"),
    "laptop": (5, 25, "Valt een laptop onder de thuiswerkvergoeding voor thuiswerken?"),
    "nieuw": (28, None, "Mijn werkgever volgt mij met een slimme camera en AI-software."),
    # Told in the pension facet's vectors: discovery cannot see it, its words can.
    "corona": (0, None, "Mijn collega's zijn besmet met het virus en er zijn geen mondkapjes."),
}
CONFIG = DiscoveryConfig(reducer="pca", n_components=6, seed=3)


def vector(facet: str, rng: np.random.Generator) -> np.ndarray:
    subject, own, _ = FACETS[facet]
    v = rng.normal(0, 0.03, DIM).astype(np.float32)
    v[subject] += 1.0
    if own is not None:
        v[own] += 0.8
    return v / np.linalg.norm(v)


def contact(i: int, facet: str, day: date, rng) -> LandedContact:
    raw = {
        "event_id": f"c{i}",
        "occurred_at": f"{day.isoformat()}T10:00:00+02:00",
        "source": "test",
        "channel": "email",
        "text": FACETS[facet][2],
        "province": "NL-UT",
        "sector": "transport",
    }
    event = accept(json.dumps(raw).encode()).event
    return LandedContact(
        event, Origin("t", 0, i), 100, Enrichment(0, vector(facet, rng), "fake@1", None, 0.0)
    )


def close_centroids(facets: list[FacetSummary], min_cosine: float = 0.15) -> list[int]:
    """Stand-in grouping: facets joined by a chain of centroid cosines of at least `min_cosine`."""
    groups = list(range(len(facets)))
    for a in range(len(facets)):
        for b in range(a):
            if float(facets[a].centroid @ facets[b].centroid) >= min_cosine:
                old, new = groups[a], groups[b]
                groups = [new if g == old else g for g in groups]
    return groups


BY_CENTROIDS = FacetGrouping(group=close_centroids, attach=AttachByCentroid(similarity=0.25))
TREES = pytest.mark.parametrize(
    "grouping", [facet_tree(), BY_CENTROIDS], ids=["words", "centroids"]
)


@pytest.fixture
def warehouse(tmp_path):
    writer = WarehouseWriter(open_warehouse(tmp_path / "ledenradar.duckdb"))
    rng = np.random.default_rng(0)
    four = ["pensioen", "internet", "werkplek", "ontslag"]
    rows = [contact(i, four[i % 4], START + timedelta(days=i % 35), rng) for i in range(480)]
    writer.land(rows, [], {})
    return writer.con, tmp_path, rng


def _files(tmp_path, grouping: FacetGrouping | None = None) -> ThemeFiles:
    if grouping is None:
        return ThemeFiles(tmp_path / "themes", tmp_path / "taxonomy.yaml")
    return ThemeFiles(tmp_path / "themes", tmp_path / "taxonomy.yaml", grouping)


def _tree(con) -> dict[str, set[str]]:
    tree: dict[str, set[str]] = {}
    for facet_id, theme_id in con.execute(
        "SELECT facet_id, theme_id FROM core.theme_facets WHERE status = 'active'"
    ).fetchall():
        tree.setdefault(theme_id, set()).add(facet_id)
    return tree


def _theme_of(con, event_id: str) -> tuple[str, str]:
    return con.execute(
        "SELECT theme_id, facet_id FROM core.contact_themes JOIN core.contact_facets"
        " USING (event_id) WHERE event_id = ?",
        [event_id],
    ).fetchone()


def test_identity_grouping_keeps_one_facet_per_theme(warehouse):
    con, tmp_path, _ = warehouse
    report = refit(con, _files(tmp_path), config=CONFIG)  # the default
    assert report.themes == report.facets == 4
    assert all(len(facets) == 1 for facets in _tree(con).values())


@TREES
def test_facets_of_one_subject_form_one_theme_with_stable_ids(warehouse, grouping):
    con, tmp_path, _ = warehouse
    files = _files(tmp_path, grouping)
    report = refit(con, files, config=CONFIG)
    assert (report.facets, report.themes) == (4, 3)
    tree = _tree(con)
    internet, werkplek = _theme_of(con, "c1"), _theme_of(con, "c2")
    assert internet[0] == werkplek[0] and internet[1] != werkplek[1]
    assert tree[internet[0]] == {internet[1], werkplek[1]}
    # The marts' column holds the theme: one theme holds both facets' contacts.
    counts = dict(
        con.execute("SELECT theme_id, count(*) FROM core.contact_themes GROUP BY 1").fetchall()
    )
    assert counts[internet[0]] == 240

    second = refit(con, files, config=CONFIG)
    assert _tree(con) == tree, "theme ids and facet ids stay across refits"
    assert second.changes.get("continued") == 3
    kinds = con.execute(
        "SELECT change, count(*) FROM core.facet_lineage GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert kinds == [("born", 4), ("continued", 4)]
    model = ThemeModel.load(files.model_dir)
    assert sorted(model.facet_ids) == sorted(f for fs in tree.values() for f in fs)
    assigned = model.assigner().assign(
        model.prepare(vector("werkplek", np.random.default_rng(1))[None])
    )
    assert (assigned[0].theme_id, assigned[0].facet_id) == werkplek


@TREES
def test_a_curator_moving_a_facet_is_kept_by_the_next_refit(warehouse, grouping):
    con, tmp_path, _ = warehouse
    files = _files(tmp_path, grouping)
    refit(con, files, config=CONFIG)
    pension, (_, werkplek) = _theme_of(con, "c0")[0], _theme_of(con, "c2")
    files.taxonomy.apply(
        "move-facet", lambda t: ([t.move_facet(werkplek, pension).id], "m"), reason="r"
    )
    refit(con, files, config=CONFIG)
    assert _theme_of(con, "c2") == (pension, werkplek)
    assert werkplek in _tree(con)[pension]
    moved = con.execute(
        "SELECT from_theme_id, to_theme_id FROM core.facet_lineage WHERE change = 'moved'"
    ).fetchall()
    assert moved == [(_theme_of(con, "c1")[0], pension)]


@TREES
def test_a_promoted_facet_is_its_own_theme_after_the_next_refit(warehouse, grouping):
    con, tmp_path, _ = warehouse
    files = _files(tmp_path, grouping)
    refit(con, files, config=CONFIG)
    _, internet = _theme_of(con, "c1")
    files.taxonomy.apply(
        "promote-facet",
        lambda t: ([t.promote_facet(internet, "Internet thuis").id], "p"),
        reason="r",
    )
    promoted = files.taxonomy.load().facet(internet).theme_id
    report = refit(con, files, config=CONFIG)
    assert report.themes == 4 and _tree(con)[promoted] == {internet}
    name = con.execute("SELECT name FROM core.themes WHERE theme_id = ?", [promoted]).fetchone()
    assert name == ("Internet thuis",)


@TREES
def test_a_birth_joins_its_subject_as_a_facet_or_founds_a_new_theme(warehouse, grouping):
    con, tmp_path, rng = warehouse
    files = _files(tmp_path, grouping)
    refit(con, files, config=CONFIG)
    thuiswerk = _theme_of(con, "c1")[0]
    onset = START + timedelta(days=35)
    fresh = [contact(1000 + i, "laptop", onset + timedelta(days=i % 4), rng) for i in range(40)]
    fresh += [contact(2000 + i, "nieuw", onset + timedelta(days=i % 4), rng) for i in range(40)]
    WarehouseWriter(con).land(fresh, [], {})

    born = discover_unassigned(con, files, since=onset)

    assert len(born) == 1 and born[0] != thuiswerk
    laptop, nieuw = _theme_of(con, "c1000"), _theme_of(con, "c2000")
    assert laptop[0] == thuiswerk and nieuw[0] == born[0]
    assert len(_tree(con)[thuiswerk]) == 3
    lineage = con.execute(
        "SELECT to_facet_id, to_theme_id FROM core.facet_lineage WHERE refit_id LIKE 'birth-%'"
    ).fetchall()
    assert sorted(lineage) == sorted([(laptop[1], thuiswerk), (nieuw[1], born[0])])
    new_theme_alerts = {a.theme_id for a in scan_alerts(con) if a.kind == "new_theme"}
    assert thuiswerk not in new_theme_alerts and born[0] in new_theme_alerts


def test_a_new_subject_whose_first_contacts_a_facet_holds_is_still_a_new_theme(warehouse):
    con, tmp_path, rng = warehouse
    files = _files(tmp_path, facet_tree())
    refit(con, files, config=CONFIG)
    pension, pension_facet = _theme_of(con, "c0")
    # Its first few contacts arrived before a refit found it, and a facet least unlike them
    # holds them (as a refit folds a handful into the nearest cluster).
    onset = START + timedelta(days=35)
    first = [contact(3000 + i, "nieuw", onset - timedelta(days=1), rng) for i in range(6)]
    WarehouseWriter(con).land(first, [], {})
    ids = [c.event.event_id for c in first]
    con.execute(
        "UPDATE core.contact_themes SET theme_id = ?, assigned_by = 'refit', similarity = 0.5"
        " WHERE list_contains(?, event_id)",
        [pension, ids],
    )
    con.executemany(
        "INSERT OR REPLACE INTO core.contact_facets VALUES (?, ?)",
        [(i, pension_facet) for i in ids],
    )
    fresh = [contact(2000 + i, "nieuw", onset + timedelta(days=i % 4), rng) for i in range(40)]
    WarehouseWriter(con).land(fresh, [], {})

    born = discover_unassigned(con, files, since=onset)

    assert len(born) == 1 and born[0] != pension
    assert _theme_of(con, "c2000")[0] == born[0]


def test_a_curated_subject_hidden_in_another_facet_is_gathered_by_its_seed_phrases(warehouse):
    con, tmp_path, rng = warehouse
    corona = [contact(3000 + i, "corona", START + timedelta(days=i), rng) for i in range(30)]
    WarehouseWriter(con).land(corona, [], {})

    report = refit(con, _files(tmp_path), config=CONFIG)

    assert report.facets == 5
    theme, _ = _theme_of(con, "c3000")
    name = con.execute("SELECT name FROM core.themes WHERE theme_id = ?", [theme]).fetchone()
    assert (theme, name[0]) == ("T0008", "Corona op het werk")  # the seed taxonomy's
    themed = con.execute(
        "SELECT count(*) FROM core.contact_themes WHERE theme_id = 'T0008'"
    ).fetchone()
    assert themed[0] == 30 and _theme_of(con, "c0")[0] != theme


def test_the_tree_setting_chooses_the_grouping_by_words(warehouse):
    con, tmp_path, _ = warehouse
    report = refit(con, _files(tmp_path, theme_grouping(tree=True)), config=CONFIG)
    assert (report.facets, report.themes) == (4, 3)
    assert _theme_of(con, "c1")[0] == _theme_of(con, "c2")[0]


def test_lineage_speaks_of_the_day_of_the_data_not_of_the_run(warehouse):
    con, tmp_path, rng = warehouse
    files = _files(tmp_path, facet_tree())
    refit(con, files, config=CONFIG)
    onset = START + timedelta(days=35)
    fresh = [contact(2000 + i, "nieuw", onset + timedelta(days=i % 4), rng) for i in range(40)]
    WarehouseWriter(con).land(fresh, [], {})
    discover_unassigned(con, files, since=onset)

    days = con.execute(
        "SELECT DISTINCT refit_id LIKE 'birth-%', data_day, changed_at::DATE FROM marts.theme_lineage"
        " UNION SELECT DISTINCT refit_id LIKE 'birth-%', data_day, changed_at::DATE"
        " FROM marts.facet_lineage ORDER BY 1"
    ).fetchall()
    run_day = days[0][2]
    # The refit's window ended with the last contact; the birth's newest contact is 3 days on.
    assert [(birth, day) for birth, day, _ in days] == [
        (False, START + timedelta(days=34)),
        (True, onset + timedelta(days=3)),
    ]
    assert run_day > onset + timedelta(days=3)  # the jobs ran today, long after

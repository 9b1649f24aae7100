"""The theme page and dossier tell a theme's signals per episode: one block per episode (or
overlapping episodes in several segments), its segments ranked beneath, from the mart."""

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fixtures.warehouse import FACETED_THEME, PLANTED_THEME, build_warehouse
from starlette.testclient import TestClient

from dashboards.auth import UserStore
from dashboards.episodes import EpisodeAlert, episode_blocks
from dashboards.web import DashboardConfig, create_app

WEEK = "2026-W47"
PASSWORD = "geheim-wachtwoord"
BLOCK = re.compile(r'<div class="card episode-block" data-start="([-\d]+)" data-end="([-\d]+)">')
SEGMENT = re.compile(
    r'<tr class="episode" data-theme="[^"]+" data-segment="([^"]+)" data-day="([-\d]+)"'
    r' data-window="\d+" data-since="([-\d]+)" data-observed="\d+">(.*?)</tr>',
    re.S,
)


def alert(segment: str, day: int, window: int, start: int, ratio: float, facet=None):
    kind, _, value = segment.partition(":")
    return EpisodeAlert(
        "T1", "Thema", "surge", kind, value, date(2026, 11, day), date(2026, 11, start),
        "surge", window, 20, 5.0, ratio, 1, facet, facet,
    )  # fmt: skip


def test_overlapping_episodes_form_one_block_with_segments_ranked():
    alerts = [
        alert("national:NL", 14, 3, 14, 2.0),
        alert("national:NL", 16, 3, 14, 3.0),
        alert("province:NL-LI", 16, 7, 16, 9.0),  # its window reaches back to the 10th
        alert("sector:zorg_welzijn", 2, 1, 2, 4.0),  # two weeks earlier: a block of its own
        alert("national:NL", 15, 7, 15, 1.5, facet="F1"),  # a new facet: apart from the theme
    ]
    blocks = episode_blocks(alerts)
    assert [(b.start, b.end) for b in blocks] == [
        (date(2026, 11, 14), date(2026, 11, 16)),
        (date(2026, 11, 15), date(2026, 11, 15)),
        (date(2026, 11, 2), date(2026, 11, 2)),
    ]
    theme = blocks[0]
    assert [s.latest.where for s in theme.segments] == ["Limburg", "heel Nederland"]
    assert [len(s.alerts) for s in theme.segments] == [1, 2]
    assert theme.title == "Sterk stijgend sinds 14 november 2026 (eerst in heel Nederland)"
    assert theme.headline.segment_kind == "province"  # latest day, highest rate ratio
    assert sorted(a.day for b in blocks for a in b.alerts) == sorted(a.day for a in alerts)


def test_a_gap_between_windows_starts_a_new_block():
    near = episode_blocks(
        [alert("national:NL", 10, 7, 10, 2.0), alert("province:NL-LI", 16, 7, 16, 2)]
    )
    far = episode_blocks(
        [alert("national:NL", 10, 3, 10, 2.0), alert("province:NL-LI", 16, 3, 16, 2)]
    )
    assert len(near) == 1 and len(far) == 2


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("blocks"))


@pytest.fixture(scope="module")
def client(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    folder = tmp_path_factory.mktemp("dashboard")
    store = UserStore(folder / "users.json")
    store.set("bea", PASSWORD, "official")
    client = TestClient(
        create_app(DashboardConfig(snapshot, store.path, folder / "taxonomy.yaml", "secret"))
    )
    client.post("/login", data={"name": "bea", "password": PASSWORD, "next": "/"})
    return client


def episodes_of(snapshot: Path, theme: str) -> dict[tuple[str, str], tuple[str, int]]:
    """(segment, episode start) -> (its latest alert day, its number of alert days)."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        rows = con.execute(
            "SELECT segment_kind || ':' || segment_value, episode_start::VARCHAR,"
            " max(day)::VARCHAR, count(*) FROM marts.theme_episodes WHERE theme_id = ?"
            " GROUP BY ALL",
            [theme],
        ).fetchall()
    return {(seg, start): (last, n) for seg, start, last, n in rows}


@pytest.mark.parametrize("path", ["/theme/{}", "/theme/{}/dossier"])
def test_the_planted_theme_is_one_block_of_every_episode_in_the_mart(client, snapshot, path):
    page = client.get(path.format(PLANTED_THEME[0]) + f"?week={WEEK}").text
    mart = episodes_of(snapshot, PLANTED_THEME[0])
    assert BLOCK.findall(page) == [(min(s for _, s in mart), max(d for d, _ in mart.values()))]
    shown = {}
    for segment, day, since, row in SEGMENT.findall(page):
        days = re.findall(r'data-label="Signaaldagen">(\d+)</td>', row)
        shown[(segment.replace("&amp;", "&"), since)] = (day, int(days[0]))
    assert shown == mart and len(mart) >= 3
    # Ranked: the Limburg episode (highest rate ratio on its latest day) first.
    assert SEGMENT.findall(page)[0][0] == "province:NL-LI"
    assert ("segment-link" in page) == (not path.endswith("dossier"))
    assert "<h2>Signalen</h2>" not in page


def test_separate_episodes_are_separate_blocks_newest_first(client, snapshot):
    page = client.get(f"/theme/{FACETED_THEME}?week={WEEK}").text
    blocks = BLOCK.findall(page)
    assert len(blocks) == len(episodes_of(snapshot, FACETED_THEME)) == 3
    assert blocks == sorted(blocks, reverse=True)
    assert "Nieuw aspect: vakantiegeld ingehouden sinds 18 november 2026" in page


def test_a_segment_opens_its_drill_down_cell(client):
    page = client.get(f"/theme/{PLANTED_THEME[0]}?week={WEEK}").text
    link = re.search(r'class="segment-link" href="([^"]+)">Transport en logistiek in Limburg', page)
    drill = client.get(link[1].replace("&amp;", "&")).text
    crumbs = re.sub(r"<[^>]+>", "", re.search(r'<p class="crumbs">(.*?)</p>', drill, re.S)[1])
    assert "Limburg › Transport en logistiek" in crumbs and "Per kanaal" in drill

"""A curator's rename or merge shows at once; the curate page has counts, key phrases, search."""

import re
from pathlib import Path

import pytest
import yaml
from fixtures.warehouse import PLANTED_THEME, THEMES, TINY_THEME, build_warehouse
from starlette.testclient import TestClient

from dashboards.auth import UserStore
from dashboards.web import DashboardConfig, create_app
from topics.taxonomy import Taxonomy, TaxonomyFile, Theme, taxonomy_to_dict

PASSWORD = "geheim-wachtwoord"
WEEK = "2026-W47"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture
def taxonomy(tmp_path: Path) -> TaxonomyFile:
    """The installation's taxonomy holds every theme id of the snapshot, as a refit leaves it."""
    file = TaxonomyFile(tmp_path / "taxonomy.yaml")
    named = {t: name for t, (name, _) in THEMES.items()} | dict([PLANTED_THEME, TINY_THEME])
    taxonomy = Taxonomy({t: Theme(t, name) for t, name in named.items()})
    file.path.write_text(yaml.safe_dump(taxonomy_to_dict(taxonomy)), encoding="utf-8")
    return file


@pytest.fixture
def client(snapshot: Path, taxonomy: TaxonomyFile, tmp_path: Path) -> TestClient:
    store = UserStore(tmp_path / "users.json")
    store.set("cor", PASSWORD, "curator")
    client = TestClient(create_app(DashboardConfig(snapshot, store.path, taxonomy.path, "s")))
    client.post("/login", data={"name": "cor", "password": PASSWORD, "next": "/"})
    return client


def token(client: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/curate").text)[1]


def test_a_rename_shows_on_every_page_at_once(client):
    client.post(
        "/curate/rename",
        data={"csrf": token(client), "theme_id": "T0010", "name": "Sluiting DC", "reason": "kort"},
    )
    for path in (f"/?week={WEEK}", f"/theme/T0010?week={WEEK}", "/alerts", f"/drill?week={WEEK}"):
        page = client.get(path).text
        assert "Sluiting DC" in page and PLANTED_THEME[1] not in page, path
    csv = client.get(f"/export/themas.csv?week={WEEK}").content.decode("utf-8-sig")
    assert "T0010;Sluiting DC;" in csv


def test_a_merged_theme_says_where_it_went_and_cannot_be_renamed(client):
    client.post(
        "/curate/merge",
        data={"csrf": token(client), "source_id": "T0003", "target_id": "T0002", "reason": "één"},
    )
    theme = client.get(f"/theme/T0003?week={WEEK}").text
    assert 'Dit thema is samengevoegd met <a href="/theme/T0002?week=2026-W47">' in theme
    assert 'action="/curate/rename"' not in theme
    overview = client.get(f"/?week={WEEK}").text
    assert "(samengevoegd met <a" in overview
    assert 'action="/curate/rename"' in client.get(f"/theme/T0002?week={WEEK}").text


def test_curate_page_shows_counts_and_key_phrases_and_searches(client):
    page = client.get("/curate").text
    row = re.search(r'<tr data-theme="T0010">.*?</tr>', page, flags=re.S)[0]
    overview = client.get(f"/?week={WEEK}").text
    shown = re.search(r'href="/theme/T0010\?week=2026-W47".*?data-count="(\d+)"', overview, re.S)
    assert f'data-count="{shown[1]}"' in row
    assert "sluiting" in row, "the snapshot's key phrases"
    found = client.get("/curate?q=pensioen").text
    assert re.findall(r'<tr data-theme="(T\d+)">', found) == ["T0003"]
    assert "Geen thema gevonden." in client.get("/curate?q=bestaat-niet").text


def test_a_refused_rename_offers_to_merge_into_the_theme_with_that_name(client, taxonomy):
    refused = client.post(
        "/curate/rename",
        data={
            "csrf": token(client),
            "theme_id": "T0003",
            "name": "ontslag en REORGANISATIE",
            "reason": "zelfde",
        },
    )
    assert refused.status_code == 400 and "al in gebruik door T0002" in refused.text
    form = re.search(r'<form class="edit suggestion".*?</form>', refused.text, flags=re.S)[0]
    assert 'name="source_id" value="T0003"' in form and 'name="target_id" value="T0002"' in form
    assert "Samenvoegen met Ontslag en reorganisatie" in form
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)) | {"reason": "zelfde"}
    client.post("/curate/merge", data=fields)
    assert taxonomy.load().get("T0003").merged_into == "T0002"

import re
from pathlib import Path

import pytest
from fixtures.warehouse import PLANTED_BSN, PLANTED_THEME, QUOTES, build_warehouse
from starlette.testclient import TestClient

from dashboards import explore
from dashboards.auth import UserStore
from dashboards.disclosure import Cell
from dashboards.web import DashboardConfig, create_app
from topics.taxonomy import TaxonomyFile

PASSWORD = "geheim-wachtwoord"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture
def config(snapshot: Path, tmp_path: Path) -> DashboardConfig:
    store = UserStore(tmp_path / "users.json")
    for name, role in (("bea", "official"), ("ali", "analyst"), ("cor", "curator")):
        store.set(name, PASSWORD, role)
    return DashboardConfig(snapshot, store.path, tmp_path / "taxonomy.yaml", "test-secret")


@pytest.fixture
def client(config: DashboardConfig) -> TestClient:
    return TestClient(create_app(config))


def login(client: TestClient, name: str, password: str = PASSWORD):
    return client.post("/login", data={"name": name, "password": password, "next": "/"})


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def test_overview_shows_trends_and_alerts_without_login(client):
    page = client.get("/?week=2026-W47")
    assert page.status_code == 200
    assert "Waar bellen leden over?" in page.text
    assert PLANTED_THEME[1] in page.text and "Waar: heel Nederland, Limburg" in page.text
    earlier = client.get("/?week=2026-W43")
    assert "Deze week geen nieuwe of sterk stijgende thema" in earlier.text


def test_drill_down_for_one_theme(client):
    page = client.get(f"/drill?week=2026-W47&theme={PLANTED_THEME[0]}")
    links = re.findall(r'class="drill-link" href="[^"]*province=([A-Z-]+)"', page.text)
    assert links == ["NL-LI"]
    assert f'value="{PLANTED_THEME[0]}" selected' in page.text


def test_quotes_need_a_login(client):
    anonymous = client.get(f"/theme/{PLANTED_THEME[0]}?week=2026-W47")
    assert anonymous.status_code == 200
    assert all(q not in anonymous.text for q in QUOTES[PLANTED_THEME[0]])
    assert "om geanonimiseerde citaten te zien" in anonymous.text
    dossier = client.get(f"/theme/{PLANTED_THEME[0]}/dossier", follow_redirects=False)
    assert dossier.status_code == 303 and dossier.headers["location"].startswith("/login")
    assert login(client, "bea").status_code == 200
    signed_in = client.get(f"/theme/{PLANTED_THEME[0]}?week=2026-W47")
    assert QUOTES[PLANTED_THEME[0]][0] in signed_in.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/alerts", "/alerts"),
        ("//evil.test/x", "/"),
        ("/\\evil.test", "/"),
        ("https://e.test", "/"),
    ],
)
def test_login_only_redirects_within_the_dashboard(client, target, expected):
    response = client.post(
        "/login",
        data={"name": "bea", "password": PASSWORD, "next": target},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == expected


def test_wrong_password_is_refused(client):
    page = login(client, "bea", "fout-wachtwoord")
    assert "Naam of wachtwoord klopt niet." in page.text
    assert "Ingelogd als" not in page.text
    assert "Ingelogd als" not in login(client, "onbekend").text


def test_drill_down_province_sector_channel_service_line(client):
    path = "/drill?week=2026-W47&theme=alle"
    levels = ["Per provincie", "Per sector", "Per kanaal", "Per lijn"]
    steps = {"province": "NL-LI", "sector": "transport", "channel": "phone"}
    for level, (key, value) in zip(levels, [*steps.items(), (None, None)], strict=True):
        page = client.get(path)
        assert page.status_code == 200 and level in page.text
        counts = [int(n) for n in re.findall(r'data-count="(\d+)"', page.text)]
        assert counts and all(c >= 5 for c in counts)
        if key:
            assert f"&amp;{key}={value}" in page.text
            path += f"&{key}={value}"
    bottom = client.get(path + "&service_line=first_line")
    assert "diepste niveau" in bottom.text and "Eerste lijn (ledenservice)" in bottom.text


def test_dossier_export_for_a_logged_in_user(client):
    login(client, "bea")
    response = client.get(f"/theme/{PLANTED_THEME[0]}/dossier?week=2026-W47")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert (
        PLANTED_THEME[1] in response.text and "Hoe komen deze cijfers tot stand?" in response.text
    )
    assert QUOTES[PLANTED_THEME[0]][2].replace("?", "") in response.text.replace("?", "")
    assert PLANTED_BSN not in response.text
    counts = [int(n) for n in re.findall(r'data-count="(\d+)"', response.text)]
    assert counts and all(c == 0 or c >= 5 for c in counts)


@pytest.mark.parametrize("name", [None, "bea", "ali"])
def test_only_a_curator_can_edit(client, config, name):
    if name:
        login(client, name)
    assert client.get("/curate").status_code == 403
    theme = client.get(f"/theme/{PLANTED_THEME[0]}")
    assert 'class="edit"' not in theme.text and "/curate" not in theme.text
    refused = client.post(
        "/curate/rename", data={"theme_id": "T0001", "name": "Iets anders", "reason": "test"}
    )
    assert refused.status_code == 403
    assert not config.taxonomy.exists()


def test_curator_renames_merges_and_pins_through_the_audited_taxonomy(client, config):
    login(client, "cor")
    page = client.get("/curate")
    assert page.status_code == 200
    token = csrf_token(page.text)
    renamed = client.post(
        "/curate/rename",
        data={"csrf": token, "theme_id": "T0001", "name": "Contributie", "reason": "korter"},
    )
    assert renamed.status_code == 200 and "Contributie" in renamed.text
    client.post(
        "/curate/pin", data={"csrf": token, "theme_id": "T0002", "pinned": "1", "reason": "vast"}
    )
    client.post(
        "/curate/merge",
        data={"csrf": token, "source_id": "T0004", "target_id": "T0003", "reason": "zelfde"},
    )
    file = TaxonomyFile(config.taxonomy)
    taxonomy = file.load()
    assert taxonomy.get("T0001").name == "Contributie"
    assert taxonomy.get("T0002").pinned
    assert taxonomy.get("T0004").merged_into == "T0003"
    assert [(e.action, e.by) for e in file.audit()] == [
        ("rename", "cor"),
        ("pin", "cor"),
        ("merge", "cor"),
    ]


def test_curation_refuses_a_forged_form_and_explains_invalid_changes(client, config):
    login(client, "cor")
    forged = client.post(
        "/curate/rename", data={"csrf": "nep", "theme_id": "T0001", "name": "X", "reason": "r"}
    )
    assert forged.status_code == 403
    token = csrf_token(client.get("/curate").text)
    no_reason = client.post(
        "/curate/rename", data={"csrf": token, "theme_id": "T0001", "name": "X", "reason": " "}
    )
    assert no_reason.status_code == 400 and "reden" in no_reason.text
    assert not TaxonomyFile(config.taxonomy).audit()


def test_alert_list_names_the_planted_theme(client):
    page = client.get("/alerts")
    assert PLANTED_THEME[1] in page.text
    assert "Transport en logistiek in Limburg" in page.text
    assert "Zeldzame vraag" not in page.text  # an alert on 3 contacts never reaches the mart


def test_drilling_into_a_province_left_out_shows_nothing_more(client):
    """The old hole: a hidden province typed into the URL showed its count and parts."""
    top = client.get("/drill?week=2026-W47&theme=alle").text
    listed = set(re.findall(r'class="drill-link" href="[^"]*province=([A-Z-]+)"', top))
    left_out = sorted({"NL-ZE", "NL-LI", "NL-UT", "NL-FR", "NL-GR"} - listed)
    assert left_out
    for province in left_out:
        for logged_in in (False, True):
            if logged_in:
                login(client, "bea")
            page = client.get(f"/drill?week=2026-W47&theme=alle&province={province}").text
            counts = re.findall(r'data-count="(\d*)"', page.split("Contacten: ", 1)[1])
            assert counts == [""], (province, counts)  # only "minder dan 5", no parts
            assert "geen verdeling" in page


def test_a_level_whose_values_are_all_hidden_is_passed_over_not_a_dead_end(client):
    hidden = explore.Drill(
        [("province", "NL-ZH", "Zuid-Holland")], "sector", "Sector", 16, [], True, None
    )
    assert (hidden.pass_over, hidden.pass_over_label) == ("channel", "Kanaal")
    shown = explore.Drill(
        [], "province", "Provincie", 16, [Cell("NL-ZH", "Zuid-Holland", 16)], False, None
    )
    assert shown.pass_over is None
    suppressed = explore.Drill([], "province", "Provincie", None, [], True, None)
    assert suppressed.pass_over is None  # below a hidden cell nothing is split

    page = client.get("/drill?week=2026-W47&theme=alle&province=NL-LI&sector=alle")
    assert page.status_code == 200
    assert "alle sectoren" in page.text and "Per kanaal" in page.text
    counts = [int(n) for n in re.findall(r'data-count="(\d+)"', page.text)]
    assert counts and all(c >= 5 for c in counts)
    assert "&amp;sector=alle&amp;channel=" in page.text

"""Login, sessions and cookies of the dashboard: no user-name oracle, throttled guessing,
logout that ends the session on the server, and a Secure cookie behind HTTPS."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fixtures.warehouse import PLANTED_THEME, QUOTES, build_warehouse
from starlette.testclient import TestClient

from dashboards import auth
from dashboards.auth import UserStore
from dashboards.sessions import SessionStore
from dashboards.throttle import LoginThrottle, login_keys
from dashboards.web import DashboardConfig, create_app
from pipeline.settings import Settings

PASSWORD = "geheim-wachtwoord"
COOKIE = "ledenradar_session"
LOCKED = "Te vaak een verkeerde naam of een verkeerd wachtwoord"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture
def store(tmp_path: Path) -> UserStore:
    store = UserStore(tmp_path / "users.json")
    for name, role in (("bea", "official"), ("cor", "curator")):
        store.set(name, PASSWORD, role)
    return store


@pytest.fixture
def config(snapshot: Path, store: UserStore, tmp_path: Path) -> DashboardConfig:
    return DashboardConfig(snapshot, store.path, tmp_path / "taxonomy.yaml", "test-secret")


def login(client: TestClient, name: str, password: str = PASSWORD):
    return client.post(
        "/login", data={"name": name, "password": password, "next": "/"}, follow_redirects=False
    )


# One password hash per attempt, known name or not.


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    calls: list[bytes] = []
    real = hashlib.scrypt

    def counting(password: bytes, **kwargs):
        calls.append(password)
        return real(password, **kwargs)

    monkeypatch.setattr(auth.hashlib, "scrypt", counting)
    return calls


@pytest.mark.parametrize(
    ("name", "password", "accepted"),
    [("bea", PASSWORD, True), ("bea", "fout-wachtwoord", False), ("nobody", PASSWORD, False)],
)
def test_every_login_costs_exactly_one_password_hash(store, scrypt_calls, name, password, accepted):
    scrypt_calls.clear()  # the fixture's store.set hashed too
    user = store.authenticate(name, password)
    assert (user is not None) == accepted
    assert scrypt_calls == [password.encode()]


def test_an_unknown_name_is_refused_whatever_the_password(store):
    assert store.authenticate("nobody", "") is None
    assert store.authenticate("", PASSWORD) is None


# The throttle on its own, with a clock the test moves.


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_lock_a_key_until_the_window_has_passed():
    clock = Clock()
    throttle = LoginThrottle(max_failures=5, window_seconds=900, clock=clock)
    keys = login_keys("Bea", "10.0.0.1")
    for _ in range(4):
        throttle.failed(keys)
        clock.now += 10
    assert throttle.wait_seconds(keys) == 0
    throttle.failed(keys)
    assert throttle.wait_seconds(keys) == pytest.approx(900 - 40)
    # The same name from elsewhere, and the same address with another name, wait too.
    assert throttle.wait_seconds(login_keys(" bea ", "10.0.0.2")) > 0
    assert throttle.wait_seconds(login_keys("cor", "10.0.0.1")) > 0
    assert throttle.wait_seconds(login_keys("cor", "10.0.0.2")) == 0
    clock.now += 900 - 40
    assert throttle.wait_seconds(keys) == 0


def test_a_successful_login_clears_the_names_failures():
    throttle = LoginThrottle(max_failures=2, clock=Clock())
    throttle.failed(login_keys("bea", "10.0.0.1"))
    throttle.succeeded(login_keys("bea", "10.0.0.1")[0])
    throttle.failed(login_keys("bea", "10.0.0.2"))
    assert throttle.wait_seconds(login_keys("bea", "10.0.0.3")) == 0


# Through the dashboard.


def test_after_five_wrong_passwords_even_the_right_one_waits(config):
    app = create_app(config)
    attacker = TestClient(app, client=("10.0.0.9", 40000))
    for _ in range(5):
        assert "Naam of wachtwoord klopt niet." in login(attacker, "bea", "fout").text
    refused = login(attacker, "bea")
    assert refused.status_code == 429
    assert LOCKED in refused.text and "Probeer het over 15 minuten opnieuw." in refused.text
    assert "Ingelogd als" not in attacker.get("/").text
    # The name is locked from any address; another name from another address is not.
    assert login(TestClient(app, client=("10.0.0.10", 1)), "bea").status_code == 429
    assert login(TestClient(app, client=("10.0.0.11", 1)), "cor").status_code == 303


def test_one_address_trying_many_names_is_locked(config):
    app = create_app(config)
    client = TestClient(app, client=("10.0.0.12", 40000))
    for name in ("anna", "bram", "carla", "daan", "eva"):
        login(client, name, "raden")
    assert login(client, "cor").status_code == 429


def test_logout_ends_the_session_for_every_copy_of_the_cookie(config):
    app = create_app(config)
    official = TestClient(app)
    assert login(official, "bea").status_code == 303
    stolen = official.cookies[COOKIE]
    theme = f"/theme/{PLANTED_THEME[0]}?week=2026-W47"
    assert QUOTES[PLANTED_THEME[0]][0] in official.get(theme).text
    official.post("/logout")
    replayed = TestClient(app, cookies={COOKIE: stolen})
    page = replayed.get(theme)
    assert "Ingelogd als" not in page.text
    assert all(q not in page.text for q in QUOTES[PLANTED_THEME[0]])
    dossier = replayed.get(f"/theme/{PLANTED_THEME[0]}/dossier", follow_redirects=False)
    assert dossier.status_code == 303 and dossier.headers["location"].startswith("/login")


def test_a_second_login_replaces_the_session(config):
    app = create_app(config)
    official = TestClient(app)
    login(official, "bea")
    before = official.cookies[COOKIE]
    login(official, "bea")
    assert "Ingelogd als bea" in official.get("/alerts").text
    assert "Ingelogd als" not in TestClient(app, cookies={COOKIE: before}).get("/alerts").text


def test_an_ended_session_stays_ended():
    sessions = SessionStore()
    first = sessions.start("bea")
    sessions.end(first)
    assert sessions.user_of(first) is None
    assert sessions.user_of(sessions.start("bea")) == "bea"
    assert sessions.user_of(None) is None and sessions.user_of(["x"]) is None


def test_sessions_expire_on_the_server():
    clock = Clock()
    sessions = SessionStore(lifetime_seconds=60, clock=clock)
    session = sessions.start("bea")
    clock.now += 59
    assert sessions.user_of(session) == "bea"
    clock.now += 1
    assert sessions.user_of(session) is None


# The Secure flag.


@pytest.mark.parametrize("secure", [False, True])
def test_the_session_cookie_is_secure_when_configured(config, secure):
    config = DashboardConfig(config.snapshot, config.users, config.taxonomy, "s", secure)
    client = TestClient(create_app(config), base_url="https://dashboard.test")
    cookie = login(client, "bea").headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert ("; secure" in cookie.lower()) == secure
    assert "samesite=strict" in cookie.lower() and "httponly" in cookie.lower()


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("1", True), ("false", False)])
def test_secure_cookies_from_the_environment(monkeypatch, snapshot, value, expected):
    monkeypatch.setenv("LEDENRADAR_DASHBOARD_SECURE_COOKIES", value)
    config = DashboardConfig.from_settings(Settings.load(), snapshot)
    assert config.secure_cookies is expected


def test_a_flag_that_is_not_yes_or_no_is_an_error(monkeypatch):
    monkeypatch.setenv("LEDENRADAR_DASHBOARD_SECURE_COOKIES", "misschien")
    with pytest.raises(ValueError, match="DASHBOARD_SECURE_COOKIES|dashboard_secure_cookies"):
        Settings.load()

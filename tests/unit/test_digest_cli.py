import json
from pathlib import Path

import pytest
from fixtures.warehouse import PLANTED_THEME, build_warehouse
from typer.testing import CliRunner

from dashboards.auth import UserStore
from pipeline.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.mark.parametrize("flag", ["--province", "--region"])  # --region: the deprecated name
def test_digest_command_writes_three_files_for_a_province_and_sector(snapshot, tmp_path, flag):
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "digest",
            "--week",
            "2026-W47",
            flag,
            "Limburg",
            "--sector",
            "transport",
            "--out",
            str(out),
            "--snapshot",
            str(snapshot),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["digest.html", "digest.json", "digest.md"]
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert data["scope"] == {"province": "NL-LI", "sector": "transport"}
    assert data["emerging"][0]["name"] == PLANTED_THEME[1]


@pytest.mark.parametrize(
    "args", [["--week", "2026-47"], ["--province", "Atlantis"], ["--sector", "ruimtevaart"]]
)
def test_digest_command_refuses_bad_input(snapshot, tmp_path, args):
    result = runner.invoke(
        app, ["digest", *args, "--out", str(tmp_path), "--snapshot", str(snapshot)]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "digest.html").exists()


def test_adduser_stores_an_scrypt_hash_not_the_password(tmp_path):
    users = tmp_path / "users.json"
    result = runner.invoke(
        app,
        ["dashboard", "adduser", "cor", "--role", "curator", "--users", str(users)],
        input="lang-genoeg-1\nlang-genoeg-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "lang-genoeg-1" not in users.read_text()
    record = json.loads(users.read_text())["cor"]
    assert record["role"] == "curator" and record["n"] >= 2**14
    store = UserStore(users)
    assert store.authenticate("cor", "lang-genoeg-1").role == "curator"
    assert store.authenticate("cor", "fout") is None
    refused = runner.invoke(
        app,
        ["dashboard", "adduser", "x", "--role", "baas", "--users", str(users)],
        input="lang-genoeg-1\nlang-genoeg-1\n",
    )
    assert refused.exit_code == 2

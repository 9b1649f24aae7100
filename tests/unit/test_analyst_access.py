"""Analyst access is a boundary: the snapshot's tables and nothing else; private data files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.snapshot import open_snapshot
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import WarehouseWriter

runner = CliRunner()
SECRET = "Tekst die alleen in staging staat"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("access") / "data"
    con = open_warehouse(data / "ledenradar.duckdb")
    con.execute(
        "INSERT INTO staging.contact_texts VALUES ('e1', now(), NULL, ?, 0, NULL, NULL, now())",
        [SECRET],
    )
    WarehouseWriter(con).snapshot(data / "snapshot" / "ledenradar.duckdb")
    con.close()
    return data


def sql(data_dir: Path, query: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEDENRADAR_DATA_DIR", str(data_dir))
    return runner.invoke(app, ["sql", query, "--json"])


def test_the_snapshot_answers_queries(data_dir, monkeypatch) -> None:
    result = sql(data_dir, "SELECT contacts FROM ops.landed", monkeypatch)
    assert result.exit_code == 0, result.output
    assert '"contacts": 0' in result.output


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('/etc/passwd', sep = ':')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
    ],
)
def test_reading_files_is_refused(data_dir, monkeypatch, query) -> None:
    result = sql(data_dir, query, monkeypatch)
    assert result.exit_code == 3
    assert "Not allowed" in result.output and "root:" not in result.output


def test_writing_files_is_refused(data_dir, monkeypatch, tmp_path) -> None:
    target = tmp_path / "copy.csv"
    result = sql(data_dir, f"COPY (SELECT * FROM ops.landed) TO '{target}'", monkeypatch)
    assert result.exit_code == 3 and "Not allowed" in result.output
    assert not target.exists()


def test_attaching_the_warehouse_is_refused(data_dir, monkeypatch) -> None:
    warehouse = data_dir / "ledenradar.duckdb"
    query = f"ATTACH '{warehouse}' AS w (READ_ONLY)"
    result = sql(data_dir, query, monkeypatch)
    assert result.exit_code == 3 and "Not allowed" in result.output
    assert SECRET not in result.output


@pytest.mark.parametrize(
    "query",
    [
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "SET lock_configuration = false",
        "CREATE TABLE marts.mine AS SELECT 1",
    ],
)
def test_the_configuration_and_the_file_stay_as_they_are(data_dir, monkeypatch, query) -> None:
    result = sql(data_dir, query, monkeypatch)
    assert result.exit_code == 3 and "Not allowed" in result.output


def test_every_reader_connection_is_locked_down(data_dir) -> None:
    con = open_snapshot(data_dir / "snapshot" / "ledenradar.duckdb")
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings()"
            " WHERE name IN ('enable_external_access', 'lock_configuration')"
        ).fetchall()
    )
    assert settings == {"enable_external_access": "false", "lock_configuration": "true"}
    with pytest.raises(duckdb.PermissionException):
        con.execute("SELECT * FROM read_csv('/etc/passwd')")
    con.close()


def test_data_files_are_private(data_dir) -> None:
    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(data_dir / "ledenradar.duckdb") == 0o600
    snapshot = data_dir / "snapshot" / "ledenradar.duckdb"
    assert mode(snapshot) & 0o037 == 0  # at most rw-r-----
    assert mode(data_dir) & 0o027 == 0 and mode(snapshot.parent) & 0o027 == 0


def test_an_old_world_readable_warehouse_is_made_private(tmp_path) -> None:
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()
    path.chmod(0o644)
    open_warehouse(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_every_command_creates_private_files(data_dir, monkeypatch) -> None:
    previous = os.umask(0o022)
    try:
        assert sql(data_dir, "SELECT 1", monkeypatch).exit_code == 0
        assert os.umask(0o022) & 0o027 == 0o027
    finally:
        os.umask(previous)

"""`ledenradar evaluate themes`: its options reach the discovery it scores."""

import json

import pytest
from typer.testing import CliRunner

import topics.evaluate
from pipeline.cli import app
from topics.discovery import DiscoveryConfig


class Scored(Exception):
    """Raised in place of scoring, once the discovery's settings are seen."""


@pytest.fixture
def tiny_set(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDENRADAR_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "set.jsonl"
    rows = [{"text": f"vraag {n} over pensioen", "label": "pensioen"} for n in range(3)]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    return path


def test_merge_neighbours_reaches_the_discovery_config(tiny_set, monkeypatch):
    seen = []

    def capture(dataset, embeddings, model, config, *args):
        seen.append(config.merge_neighbours)
        raise Scored

    monkeypatch.setattr(topics.evaluate, "evaluate_discovery", capture)
    runner = CliRunner()
    default = DiscoveryConfig().merge_neighbours
    for option, expected in (([], default), (["--merge-neighbours", "7"], 7)):
        result = runner.invoke(app, ["evaluate", "themes", "--dataset", str(tiny_set), *option])
        assert isinstance(result.exception, Scored), result.output
        assert seen[-1] == expected


def test_merge_neighbours_below_one_is_refused(tiny_set):
    result = CliRunner().invoke(
        app, ["evaluate", "themes", "--dataset", str(tiny_set), "--merge-neighbours", "0"]
    )
    assert result.exit_code == 2
    assert "--merge-neighbours" in result.output

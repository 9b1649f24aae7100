"""Encoders side by side (`models.ensemble`) and the block-wise centring that weighs them equally."""

from collections.abc import Sequence

import numpy as np
import pytest

from models.embedder import load_encoder
from models.ensemble import EnsembleEncoder, block_count, member_names
from models.onnx_export import export
from models.provision import provision
from models.registry import E5_SMALL, MINILM, resolve
from pipeline.settings import Settings
from topics.model import ThemeModel, centred

MODELS_DIR = Settings.load().models_dir


class FixedEncoder:
    def __init__(self, model_id: str, dimension: int, seed: int) -> None:
        self.model_id, self.model_version = model_id, f"v{seed}"
        self.dimension, self.seed = dimension, seed

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        rng = np.random.default_rng([self.seed, len(texts)])
        rows = rng.normal(size=(len(texts), self.dimension)).astype(np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_an_ensemble_puts_each_models_rows_side_by_side_under_a_joined_name():
    a, b = FixedEncoder("a", 4, 1), FixedEncoder("b", 4, 2)
    both = EnsembleEncoder([a, b])
    vectors = both.encode(["x", "y", "z"])
    assert vectors.shape == (3, 8)
    np.testing.assert_array_equal(vectors[:, :4], a.encode(["x", "y", "z"]))
    np.testing.assert_array_equal(vectors[:, 4:], b.encode(["x", "y", "z"]))
    assert (both.model_id, both.model_version) == ("a+b", "v1+v2")
    assert block_count(f"{both.model_id}@{both.model_version}") == 2
    assert block_count("multilingual-e5-small@abc") == 1
    assert member_names("e5 + minilm") == ["e5", "minilm"]


def test_models_of_different_dimensions_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="share a dimension"):
        EnsembleEncoder([FixedEncoder("a", 4, 1), FixedEncoder("b", 6, 2)]).encode(["x"])
    with pytest.raises(ValueError, match="at least two"):
        EnsembleEncoder([FixedEncoder("a", 4, 1)])


def test_blockwise_centring_gives_each_model_equal_weight():
    rng = np.random.default_rng(0)
    # One model in a narrow cone (like e5), one spread out: after centring the first block
    # is tiny, and a whole-vector norm would let the second model decide every cosine.
    narrow = 5.0 + rng.normal(0, 0.05, (50, 4))
    wide = rng.normal(0, 1.0, (50, 4))
    vectors = np.hstack([narrow, wide]).astype(np.float32)
    out = centred(vectors, vectors.mean(axis=0), blocks=2)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(out[:, :4], axis=1), np.sqrt(0.5), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(out[:, 4:], axis=1), np.sqrt(0.5), atol=1e-5)
    whole = centred(vectors, vectors.mean(axis=0))
    assert np.linalg.norm(whole[:, :4], axis=1).max() < 0.2


def test_a_theme_model_centres_as_its_refit_did():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(10, 8)).astype(np.float32)
    center = vectors.mean(axis=0)
    model = ThemeModel(
        ["T1"], ["t"], [["x"]], np.ones((1, 8), np.float32), 0.3, "a+b@1+2", "r", center, 2
    )
    np.testing.assert_allclose(model.prepare(vectors), centred(vectors, center, 2))


def test_the_stream_encoder_loads_e5_and_minilm_as_one():
    provision(MODELS_DIR)
    export(*resolve(E5_SMALL, MODELS_DIR), MODELS_DIR)
    both = load_encoder(f"{E5_SMALL}+minilm", backend="onnx", variant="int8", models_dir=MODELS_DIR)
    alone = load_encoder(E5_SMALL, backend="onnx", variant="int8", models_dir=MODELS_DIR)
    texts = ["Krijg ik thuiswerkvergoeding?", "Mijn werkgever betaalt het loon te laat."]
    vectors = both.encode(texts)
    assert vectors.shape == (2, 768)
    np.testing.assert_allclose(vectors[:, :384], alone.encode(texts), atol=1e-6)
    assert both.model_id == f"{E5_SMALL}+{resolve(MINILM, MODELS_DIR)[0]}"

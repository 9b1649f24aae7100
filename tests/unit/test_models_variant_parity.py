"""A quantised variant passes parity only when its vectors keep the fp32 directions."""

import numpy as np
import pytest

from models.variant_parity import MIN_MEAN_COSINE, compare_variants, row_cosines


class _Encoder:
    """Fixed vectors per text, optionally bent by a rotation in the first two axes."""

    model_id = "fake"
    model_version = "v1"

    def __init__(self, angle: float = 0.0, scale: float = 1.0) -> None:
        self.angle, self.scale = angle, scale
        self.calls: list[int] = []

    def encode(self, texts, batch_size=16):
        self.calls.append(batch_size)
        rows = []
        for text in texts:
            rng = np.random.default_rng(sum(map(ord, text)))
            rows.append(rng.standard_normal(8))
        vectors = np.array(rows) * self.scale
        c, s = np.cos(self.angle), np.sin(self.angle)
        first, second = vectors[:, 0].copy(), vectors[:, 1].copy()
        vectors[:, 0], vectors[:, 1] = c * first - s * second, s * first + c * second
        return vectors.astype(np.float32)


SENTENCES = [f"vraag {i} over de cao" for i in range(20)]


def test_identical_vectors_pass_with_cosine_one():
    parity = compare_variants(_Encoder(), _Encoder(), SENTENCES)
    assert parity.sentences == 20
    assert parity.mean_cosine == pytest.approx(1.0, abs=1e-6)
    assert parity.passed


def test_length_does_not_count_only_direction():
    parity = compare_variants(_Encoder(scale=3.0), _Encoder(), SENTENCES)
    assert parity.min_cosine == pytest.approx(1.0, abs=1e-6)


def test_a_variant_that_bends_the_vectors_fails():
    parity = compare_variants(_Encoder(angle=0.5), _Encoder(), SENTENCES)
    assert parity.mean_cosine < MIN_MEAN_COSINE
    assert not parity.passed


def test_row_cosines_pairs_rows_in_order():
    a = np.array([[1.0, 0.0], [0.0, 2.0]])
    b = np.array([[0.0, 1.0], [0.0, 1.0]])
    np.testing.assert_allclose(row_cosines(a, b), [0.0, 1.0])


def test_nothing_compared_is_an_error_not_a_pass():
    with pytest.raises(ValueError, match="no sentences"):
        compare_variants(_Encoder(), _Encoder(), [])


def test_different_dimensions_are_refused():
    with pytest.raises(ValueError, match="cannot be compared"):
        row_cosines(np.ones((2, 3)), np.ones((2, 4)))


def test_batch_size_reaches_both_encoders():
    candidate, reference = _Encoder(), _Encoder()
    compare_variants(candidate, reference, SENTENCES, batch_size=4)
    assert candidate.calls == [4] and reference.calls == [4]


def test_parity_command_refuses_more_sentences_than_composed(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pipeline.models_cli import app

    monkeypatch.setenv("LEDENRADAR_CACHE", str(tmp_path))  # no model is ever loaded
    result = CliRunner().invoke(app, ["parity", "gemma", "--sentences", "100000"])
    assert result.exit_code == 2
    assert "composed sentences" in result.output

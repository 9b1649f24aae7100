"""The ONNX export and `OnnxEmbedder` (the stream's encoder) against the torch reference."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.embedder import Embedder, load_encoder
from models.onnx_embedder import OnnxEmbedder
from models.onnx_export import export
from models.onnx_files import onnx_model
from models.parity import compose_member_questions
from models.provision import provision
from models.registry import E5_SMALL, resolve
from pipeline.settings import Settings

MODELS_DIR = Settings.load().models_dir

LONG_TRANSCRIPT = " ".join(
    f"Beller: ik heb een vraag over mijn vakantiegeld van het jaar {year}, want de werkgever "
    "heeft het niet uitbetaald en ik weet niet of dat mag volgens de cao."
    for year in range(1990, 2030)
)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [*compose_member_questions()[::60], LONG_TRANSCRIPT, "ok"]


@pytest.fixture(scope="module")
def torch_e5() -> Embedder:
    provision(MODELS_DIR)
    export(*resolve(E5_SMALL, MODELS_DIR), MODELS_DIR)  # idempotent; `make setup` has normally
    return Embedder.load(E5_SMALL, device="cpu", models_dir=MODELS_DIR)


@pytest.fixture(scope="module")
def reference(torch_e5, texts) -> np.ndarray:
    return torch_e5.encode(texts)


def test_the_long_text_needs_several_windows(torch_e5):
    tokens = torch_e5.sentence_transformer.tokenizer(LONG_TRANSCRIPT)["input_ids"]
    assert len(tokens) > 2 * torch_e5.sentence_transformer.max_seq_length


def test_onnx_fp32_computes_what_torch_computes(torch_e5, texts, reference):
    onnx = OnnxEmbedder.load(E5_SMALL, variant="fp32", models_dir=MODELS_DIR)
    vectors = onnx.encode(texts, batch_size=4)
    assert vectors.dtype == np.float32 and vectors.shape == reference.shape
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.sum(vectors * reference, axis=1).min() > 0.9999
    # Same function, so the same version: themes fitted on one serve the other.
    assert onnx.model_version == torch_e5.model_version


def test_onnx_int8_stays_close_to_fp32_and_is_versioned_apart(torch_e5, texts, reference):
    int8 = load_encoder(E5_SMALL, backend="onnx", variant="int8", models_dir=MODELS_DIR)
    cosines = np.sum(int8.encode(texts) * reference, axis=1)
    assert cosines.mean() >= 0.99 and cosines.min() >= 0.98, cosines
    assert int8.model_version == torch_e5.model_version + "-onnx-int8"


def test_batching_and_order_do_not_change_the_vectors(texts):
    onnx = OnnxEmbedder.load(E5_SMALL, variant="fp32", models_dir=MODELS_DIR)
    together = onnx.encode(texts, batch_size=16)
    one_by_one = np.vstack([onnx.encode([text]) for text in reversed(texts)])[::-1]
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)
    assert onnx.encode([]).shape == (0, onnx.dimension)


def test_unknown_backend_and_cuda_on_onnx_are_refused():
    with pytest.raises(ValueError, match="unknown backend"):
        load_encoder(E5_SMALL, backend="tensorflow", models_dir=MODELS_DIR)
    with pytest.raises(ValueError, match="runs on CPU"):
        load_encoder(E5_SMALL, backend="onnx", device="cuda", models_dir=MODELS_DIR)


def test_another_model_is_exported_on_first_use_and_matches_torch(tmp_path):
    models_dir = Settings(cache_dir=tmp_path).models_dir
    model_id, directory = resolve("minilm", models_dir)
    assert not onnx_model(model_id, directory, models_dir).is_valid()
    sentences = ["The union pays for legal advice.", "My employer cut my holiday pay."]
    onnx = OnnxEmbedder.load(str(directory), variant="fp32", models_dir=models_dir)
    exported = onnx_model(model_id, directory, models_dir)
    assert exported.is_valid() and exported.directory.is_relative_to(tmp_path)
    recorded = json.loads((exported.directory / "onnx.json").read_text())
    assert recorded["weights_version"] == exported.weights_version
    torch_vectors = Embedder.load("minilm", device="cpu", models_dir=models_dir).encode(sentences)
    assert np.sum(onnx.encode(sentences) * torch_vectors, axis=1).min() > 0.9999
    # A damaged file makes the export invalid, so the next load or provisioning rebuilds it.
    with exported.path("int8").open("ab") as handle:
        handle.write(b"\0")
    assert not onnx_model(model_id, directory, models_dir).is_valid()
    assert export(model_id, directory, models_dir).is_valid()


def test_the_stream_encoder_loads_without_torch(tmp_path):
    """What keeps the worker's memory down: nothing on its path imports torch."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.settings import Settings\n"
        "from pipeline.worker import load_enricher\n"
        f"enricher = load_enricher(Settings(data_dir=Path({str(tmp_path)!r})))\n"
        "assert enricher.encoder.encode(['vraag over mijn pensioen']).shape == (1, 384)\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"

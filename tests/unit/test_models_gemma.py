"""EmbeddingGemma's registry entry and pins; the real 1.15 GB model is never needed here."""

import pytest

from models import gemma
from models.registry import canonical_name, resolve


def test_aliases_name_embeddinggemma():
    assert canonical_name("gemma") == "embeddinggemma-300m"
    assert canonical_name("EmbeddingGemma") == "embeddinggemma-300m"


def test_unprovisioned_embeddinggemma_says_how_to_provision(tmp_path):
    with pytest.raises(FileNotFoundError, match="ledenradar models provision embeddinggemma-300m"):
        resolve("embeddinggemma", tmp_path / "models")


def test_every_part_and_the_upstream_files_are_pinned():
    assert gemma.SPEC.versions[0] == "0.2.1" and gemma.SPEC.versions[-1] == "0.2.25"
    assert set(gemma.CHUNK_SHA256) == set(gemma.VERSIONS)
    assert {"model.safetensors", "2_Dense/model.safetensors", "3_Dense/model.safetensors"} <= set(
        gemma.FILE_SHA256
    )
    assert all(len(digest) == 64 for digest in gemma.FILE_SHA256.values())
    assert "Gemma Terms of Use" in gemma.LICENCE_NOTICE

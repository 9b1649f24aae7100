"""A model name's `:prompt` suffix picks one of its configured prompts, and the prompt is
part of the model version, so vectors made with different prompts are never mixed."""

import json

import pytest

from models.encoder_config import (
    choose_prompt,
    choose_roles,
    prompt_version_tag,
    split_prompt_name,
)

PROMPTS = {
    "query": "task: search result | query: ",
    "Clustering": "task: clustering | query: ",
    "STS": "task: sentence similarity | query: ",
}


@pytest.fixture
def model_dir(tmp_path):
    directory = tmp_path / "embeddinggemma-300m"
    directory.mkdir()
    config = {"prompts": PROMPTS, "default_prompt_name": None}
    (directory / "config_sentence_transformers.json").write_text(json.dumps(config))
    return directory


def test_suffix_names_the_prompt_and_paths_keep_their_colons():
    assert split_prompt_name("gemma:clustering") == ("gemma", "clustering")
    assert split_prompt_name("gemma") == ("gemma", None)
    assert split_prompt_name("/models/a:b/c") == ("/models/a:b/c", None)


def test_named_prompt_matches_without_regard_to_case(model_dir):
    assert choose_prompt("x", model_dir, "sts") == "task: sentence similarity | query: "
    assert choose_prompt("x", model_dir, "none") == ""


def test_embeddinggemma_defaults_to_its_measured_prompt(model_dir):
    config = model_dir / "config_sentence_transformers.json"
    config.write_text(json.dumps({"prompts": PROMPTS, "default_prompt_name": "query"}))
    assert choose_prompt("embeddinggemma-300m", model_dir, None) == ""  # measured: no prompt
    assert choose_prompt("some-other-model", model_dir, None) == PROMPTS["query"]


def test_unknown_prompt_lists_the_known_ones(model_dir):
    with pytest.raises(ValueError, match="no prompt 'retrieval'.*Clustering, STS, none, query"):
        choose_prompt("x", model_dir, "retrieval")


def test_each_prompt_is_its_own_model_version(model_dir):
    tags = {prompt_version_tag(p, model_dir) for p in ["", *PROMPTS.values()]}
    assert prompt_version_tag("", model_dir) == ""  # the directory's default keeps the version
    assert len(tags) == 1 + len(PROMPTS)


def test_stream_assigns_with_e5_and_the_strong_model_discovers_only_when_provisioned():
    with_gemma = choose_roles(lambda name: True)
    assert (with_gemma.discovery, with_gemma.assignment) == (
        "embeddinggemma-300m",
        "multilingual-e5-small",
    )
    assert with_gemma.needs_second_space
    fallback = choose_roles(lambda name: False)
    assert fallback.discovery == fallback.assignment == "multilingual-e5-small"
    assert not fallback.needs_second_space

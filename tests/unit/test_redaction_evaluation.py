"""Quality thresholds on the DEV part of the hand-annotated set (the held-out part is
only scored by `ledenradar evaluate redaction --split test`)."""

from pathlib import Path

import pytest

from pipeline.redaction import Redactor
from pipeline.redaction.annotations import parse_marked, parse_source, read_jsonl
from pipeline.redaction.cli import ANNOTATED_SET, TARGETS
from pipeline.redaction.evaluate import Report, evaluate, score_message
from pipeline.redaction.spans import Span

SOURCE = Path(__file__).resolve().parents[1] / "data" / "redaction" / "annotated_source.txt"


@pytest.fixture(scope="module")
def dev_report() -> Report:
    messages = [m for m in read_jsonl(ANNOTATED_SET) if m.split == "dev"]
    return evaluate(((m.message_id, m.text, m.spans) for m in messages), Redactor().detect)


def test_the_set_is_large_and_its_jsonl_matches_the_marked_up_source():
    from_source = parse_source(SOURCE.read_text(encoding="utf-8"))
    from_jsonl = list(read_jsonl(ANNOTATED_SET))
    assert len(from_jsonl) >= 200
    assert from_source == from_jsonl
    assert 0.2 <= sum(m.split == "test" for m in from_jsonl) / len(from_jsonl) <= 0.3


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_dev_set_meets_the_issue_targets(dev_report, kind):
    recall_target, precision_target = TARGETS[kind]
    score = dev_report.per_type[kind]
    assert score.gold > 0
    assert score.recall >= recall_target, dev_report.misses
    assert score.precision >= precision_target, dev_report.false_alarms


def test_partial_cover_is_a_miss_and_a_stray_span_a_false_alarm():
    text, gold = parse_marked("IBAN [[IBAN|NL06RABO2786036663]] van Jan")
    report = Report()
    half = Span(gold[0].start, gold[0].start + 8, "IBAN")
    score_message(report, "x", text, gold, [half, Span(text.index("Jan"), len(text), "NAAM")])
    assert report.per_type["IBAN"].recall == 0.0
    assert report.per_type["IBAN"].precision == 1.0
    assert report.per_type["NAAM"].precision == 0.0
    assert report.leaked_chars == 10

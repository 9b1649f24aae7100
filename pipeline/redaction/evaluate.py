"""Per-type precision and recall of a detector against gold spans.

A gold span counts as found only when predicted spans of the same type cover every
one of its non-space characters: half a redacted IBAN is a leak. A predicted span is
correct when it overlaps a gold span of its type. `leaked_chars` counts gold
characters that no prediction of any type covers, the number that matters for privacy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.redaction.spans import PII_TYPES, Span


@dataclass
class TypeScore:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


@dataclass
class Report:
    per_type: dict[str, TypeScore] = field(
        default_factory=lambda: {t: TypeScore() for t in PII_TYPES}
    )
    messages: int = 0
    gold_chars: int = 0
    leaked_chars: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "messages": self.messages,
            "leaked_char_fraction": self.leaked_chars / self.gold_chars if self.gold_chars else 0.0,
            "per_type": {
                kind: {
                    "gold": s.gold,
                    "predicted": s.predicted,
                    "recall": round(s.recall, 4),
                    "precision": round(s.precision, 4),
                }
                for kind, s in self.per_type.items()
                if s.gold or s.predicted
            },
        }


def score_message(
    report: Report, message_id: str, text: str, gold: Iterable[Span], predicted: Iterable[Span]
) -> None:
    gold = list(gold)
    predicted = list(predicted)
    report.messages += 1
    covered_any = _covered(predicted)
    for span in gold:
        stats = report.per_type[span.type]
        stats.gold += 1
        same_type = _covered(p for p in predicted if p.type == span.type)
        needed = [i for i in range(span.start, span.end) if not text[i].isspace()]
        if all(i in same_type for i in needed):
            stats.found += 1
        else:
            report.misses.append((message_id, span.type, text[span.start : span.end]))
        report.gold_chars += len(needed)
        report.leaked_chars += sum(1 for i in needed if i not in covered_any)
    for span in predicted:
        stats = report.per_type[span.type]
        stats.predicted += 1
        if any(g.type == span.type and g.start < span.end and span.start < g.end for g in gold):
            stats.correct += 1
        else:
            report.false_alarms.append((message_id, span.type, text[span.start : span.end]))


def evaluate(
    examples: Iterable[tuple[str, str, Iterable[Span]]], detect: Callable[[str], Iterable[Span]]
) -> Report:
    """Score `detect` on (message_id, text, gold spans) examples."""
    report = Report()
    for message_id, text, gold in examples:
        score_message(report, message_id, text, gold, detect(text))
    return report


def _covered(spans: Iterable[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}

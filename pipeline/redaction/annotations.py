"""The hand-annotated redaction set: inline markup, and the JSONL it is stored as.

People write and review annotations as inline markup (`[[NAAM|Jan de Vries]]`), which
is easy to read; evaluation reads JSONL with character offsets, which nothing can
misparse. `python -m pipeline.redaction.annotations SRC OUT` turns the first into the
second.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.redaction.spans import PII_TYPES, Span

_MARK = re.compile(r"\[\[([A-Z]+)\|(.*?)\]\]", re.DOTALL)
_HEADER = re.compile(r"^### (\S+) (\S+)$", re.MULTILINE)
HELD_OUT_EVERY = 4  # every 4th message (by number) is the held-out test part


@dataclass(frozen=True)
class AnnotatedMessage:
    message_id: str
    kind: str
    split: str
    text: str
    spans: tuple[Span, ...]


def parse_marked(marked: str) -> tuple[str, tuple[Span, ...]]:
    """Strip `[[TYPE|value]]` markup; return the plain text and the spans it marked."""
    parts: list[str] = []
    spans: list[Span] = []
    cursor = 0
    length = 0
    for match in _MARK.finditer(marked):
        kind, value = match.group(1), match.group(2)
        if kind not in PII_TYPES:
            raise ValueError(f"unknown PII type {kind!r} in {match.group(0)!r}")
        before = marked[cursor : match.start()]
        parts.append(before)
        length += len(before)
        spans.append(Span(length, length + len(value), kind))
        parts.append(value)
        length += len(value)
        cursor = match.end()
    parts.append(marked[cursor:])
    return "".join(parts), tuple(spans)


def split_for(message_id: str) -> str:
    """Fixed before any tuning: every HELD_OUT_EVERY-th message is held out."""
    number = int(re.sub(r"\D", "", message_id))
    return "test" if number % HELD_OUT_EVERY == 0 else "dev"


def parse_source(source: str) -> list[AnnotatedMessage]:
    headers = list(_HEADER.finditer(source))
    messages = []
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(source)
        body = source[header.end() + 1 : end].rstrip("\n")
        text, spans = parse_marked(body)
        message_id, kind = header.group(1), header.group(2)
        messages.append(AnnotatedMessage(message_id, kind, split_for(message_id), text, spans))
    return messages


def write_jsonl(messages: list[AnnotatedMessage], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for message in messages:
            record = {
                "id": message.message_id,
                "kind": message.kind,
                "split": message.split,
                "text": message.text,
                "spans": [
                    {
                        "start": s.start,
                        "end": s.end,
                        "type": s.type,
                        "value": message.text[s.start : s.end],
                    }
                    for s in message.spans
                ],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> Iterator[AnnotatedMessage]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            spans = tuple(Span(s["start"], s["end"], s["type"]) for s in record["spans"])
            yield AnnotatedMessage(
                record["id"], record["kind"], record["split"], record["text"], spans
            )


if __name__ == "__main__":
    source_path, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    write_jsonl(parse_source(source_path.read_text(encoding="utf-8")), out_path)

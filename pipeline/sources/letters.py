"""Scanned letters: one OCR'd `.txt` file per letter, its first line the date received."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipeline.sources.base import Source
from pipeline.sources.emit import Emit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class LetterSource(Source):
    """Scanned letters (`*.txt`: a date line, then the text); ids from the file names."""

    name = "letters"

    def __init__(self, path: str | Path, **options: Any) -> None:
        super().__init__(**options)
        self.path = Path(path)

    def run(self, emit: Emit) -> None:
        for _ in self.passes():
            for file in sorted(self.path.glob("*.txt")):
                if self.stopped:
                    return
                raw = file.read_bytes()
                try:
                    first_line, _, text = raw.decode("utf-8").partition("\n")
                    day = date.fromisoformat(first_line.strip())
                except UnicodeDecodeError:
                    emit.reject("undecodable", "the file is not UTF-8", raw, ref=file.name)
                    continue
                except ValueError:
                    emit.reject("bad_timestamp", "line 1 is no date", raw, ref=file.name)
                    continue
                record = {
                    "event_id": self.event_id(file.stem),
                    "occurred_at": datetime.combine(day, time(), AMSTERDAM).isoformat(),
                    "channel": "letter",
                    "text": text,
                }
                emit(record, ref=file.name)

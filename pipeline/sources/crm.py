"""CRM exports (CSV or JSONL) with a YAML column mapping, e.g. dossier notes.

Only mapped columns travel: an export holds names, addresses and phone numbers
in columns nobody maps, and those never leave the source. The mapping names, for
each ContactEvent field, the export's column; `id` is the source's own record id
(the dossier or note id), from which the event id derives:

    mapping:             # or a path to a YAML file with this mapping
      id: notitie_id
      occurred_at: aangemaakt_op
      text: notitie
      subject: onderwerp
      province: provincie
      member_ref: lid_pseudoniem
    defaults: {channel: letter, service_line: second_line_legal}
    metadata_columns: [dossiertype]
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from pipeline.contract.schema import DEPRECATED_FIELDS
from pipeline.sources.base import Source
from pipeline.sources.emit import Emit

MAPPABLE_FIELDS = frozenset(
    {
        "id",
        "occurred_at",
        "text",
        "subject",
        "channel",
        "direction",
        "language",
        "province",
        "sector",
        "union_unit",
        "service_line",
        "member_ref",
        *DEPRECATED_FIELDS,  # mappings written for an earlier release; the door maps them
    }
)
REQUIRED_MAPPING = ("id", "occurred_at", "text")
# Dutch CRM exports often write local time without an offset.
_LOCAL_FORMATS = ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y")


class CrmExportSource(Source):
    """Rows of a CSV or JSONL export, one contact each, through a YAML column mapping.

    Config: `path`, `mapping` (inline or a YAML file), `format` (auto, csv, jsonl),
    `defaults`, `metadata_columns`, `timezone` (for times without an offset),
    `delimiter`, `encoding`, `follow`, `poll_interval`.
    """

    name = "crm"

    def __init__(
        self,
        path: str | Path,
        mapping: dict[str, str] | str | Path,
        format: str = "auto",
        defaults: dict[str, str] | None = None,
        metadata_columns: list[str] | None = None,
        timezone: str = "Europe/Amsterdam",
        delimiter: str = ",",
        encoding: str = "utf-8-sig",
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.path = Path(path)
        self.mapping = _load_mapping(mapping)
        self.format = (
            format if format != "auto" else ("jsonl" if self.path.suffix == ".jsonl" else "csv")
        )
        if self.format not in ("csv", "jsonl"):
            raise ValueError("format must be csv or jsonl")
        self.defaults = dict(defaults or {})
        self.metadata_columns = list(metadata_columns or [])
        self.timezone = ZoneInfo(timezone)
        self.delimiter, self.encoding = delimiter, encoding

    def run(self, emit: Emit) -> None:
        for _ in self.passes():
            for line, row, original in self._rows():
                if self.stopped:
                    return
                ref = f"{self.path.name}:{line}"
                if row is None:
                    emit.reject("bad_json", f"line {line} is not a JSON object", original, ref=ref)
                    continue
                own_id = str(row.get(self.mapping["id"]) or "").strip()
                if not own_id:
                    emit.reject("missing_source_id", f"line {line} has no id", original, ref=ref)
                    continue
                emit(self._record(own_id, row), ref=ref)

    def _record(self, own_id: str, row: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {"channel": "letter", **self.defaults}
        for field, column in self.mapping.items():
            value = row.get(column)
            if field != "id" and value not in (None, ""):
                record[field] = value
        record["event_id"] = self.event_id(own_id)
        if isinstance(record.get("occurred_at"), str):
            record["occurred_at"] = self._timestamp(record["occurred_at"])
        record["metadata"] = {
            column: row[column]
            for column in self.metadata_columns
            if row.get(column) not in (None, "")
        }
        return record

    def _timestamp(self, value: str) -> str:
        """ISO 8601 with an offset; local times get the configured zone; else as given."""
        value = value.strip()
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = next((p for p in (_strptime(value, f) for f in _LOCAL_FORMATS) if p), None)
            if parsed is None:
                return value  # normalise.accept turns it into a clear bad_timestamp
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.timezone)
        return parsed.isoformat()

    def _rows(self) -> Iterator[tuple[int, dict[str, Any] | None, bytes]]:
        with self.path.open(encoding=self.encoding, newline="") as handle:
            if self.format == "jsonl":
                for line, text in enumerate(handle, start=1):
                    if text.strip():
                        yield line, _json_object(text), text.encode("utf-8")
                return
            reader = csv.DictReader(handle, delimiter=self.delimiter)
            for row in reader:
                yield reader.line_num, row, _csv_bytes(row, self.delimiter)


def _load_mapping(mapping: dict[str, str] | str | Path) -> dict[str, str]:
    if not isinstance(mapping, dict):
        mapping = yaml.safe_load(Path(mapping).read_text(encoding="utf-8"))
    if not isinstance(mapping, dict):
        raise ValueError("the column mapping must be a YAML mapping of field: column")
    unknown = set(mapping) - MAPPABLE_FIELDS
    if unknown:
        raise ValueError(f"unknown fields in the column mapping: {', '.join(sorted(unknown))}")
    missing = [field for field in REQUIRED_MAPPING if field not in mapping]
    if missing:
        raise ValueError(f"the column mapping lacks {', '.join(missing)}")
    return {str(key): str(value) for key, value in mapping.items()}


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _csv_bytes(row: dict[str, Any], delimiter: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerow(
        value if not isinstance(value, list) else delimiter.join(value) for value in row.values()
    )
    return buffer.getvalue().encode("utf-8")


def _strptime(value: str, pattern: str) -> datetime | None:
    try:
        return datetime.strptime(value, pattern)
    except ValueError:
        return None

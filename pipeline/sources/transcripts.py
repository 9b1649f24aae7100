"""Call transcripts from a speech-to-text engine: JSON with speaker turns and timestamps.

One JSON file per call, in a folder:

    {"call_id": "C-2026-1102-0042", "started_at": "2026-11-02T09:14:05+01:00",
     "language": "nl", "speakers": {"spk_0": "member", "spk_1": "agent"},
     "turns": [{"speaker": "spk_0", "start": 0.0, "end": 4.2, "text": "..."}, ...]}

The text becomes turns prefixed "Lid:" and "Medewerker:". Speaker labels,
employee names and ids never travel: Ledenradar measures what members ask, not
how employees perform. Roles come from the file's `speakers`, else from the
configured `speaker_roles`; a speaker without a role makes the call a dead letter.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pipeline.contract.schema import DEPRECATED_FIELDS
from pipeline.sources.base import Source
from pipeline.sources.emit import Emit

MEMBER, STAFF = "Lid", "Medewerker"
_ROLE_WORDS = {
    MEMBER: frozenset({"member", "lid", "caller", "beller", "customer", "klant"}),
    STAFF: frozenset({"agent", "staff", "employee", "medewerker", "operator", "advisor"}),
}
COPIED_FIELDS = (
    "language",
    "province",
    "sector",
    "union_unit",
    "service_line",
    "member_ref",
    "subject",
    *DEPRECATED_FIELDS,  # files written for an earlier release; the door maps them
)


class TranscriptError(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


class TranscriptSource(Source):
    """Call transcripts (`*.json` in a folder); event ids derive from `call_id`.

    Config: `path`, `speaker_roles` (speaker label: member or agent, for engines
    that do not name roles), `follow`, `poll_interval`.
    """

    name = "transcripts"

    def __init__(
        self, path: str | Path, speaker_roles: dict[str, str] | None = None, **options: Any
    ) -> None:
        super().__init__(**options)
        self.path = Path(path)
        self.speaker_roles = dict(speaker_roles or {})

    def run(self, emit: Emit) -> None:
        for _ in self.passes():
            files = [self.path] if self.path.is_file() else sorted(self.path.rglob("*.json"))
            for file in files:
                if self.stopped:
                    return
                raw = file.read_bytes()
                ref = f"transcript:{file.name}"
                try:
                    record = self.record(json.loads(raw))
                except json.JSONDecodeError as error:
                    emit.reject("bad_json", f"{error.msg} at line {error.lineno}", raw, ref=ref)
                except TranscriptError as error:
                    emit.reject(error.reason, error.detail, raw, ref=ref)
                else:
                    emit(record, ref=ref)

    def record(self, call: Any) -> dict[str, Any]:
        """The ContactEvent-shaped record of one call; raises `TranscriptError`."""
        if not isinstance(call, dict):
            raise TranscriptError("bad_json", "a transcript is a JSON object")
        call_id = call.get("call_id")
        if not isinstance(call_id, str | int) or str(call_id).strip() == "":
            raise TranscriptError("missing_source_id", "the transcript has no call_id")
        turns = call.get("turns")
        if not isinstance(turns, list) or not turns:
            raise TranscriptError("missing_field", "the transcript has no turns")
        roles = {**self.speaker_roles, **(call.get("speakers") or {})}
        lines, duration = _lines(turns, roles)
        record = {key: call[key] for key in COPIED_FIELDS if call.get(key) is not None}
        record.update(
            event_id=self.event_id(str(call_id)),
            occurred_at=call.get("started_at"),
            channel="phone",
            direction=call.get("direction", "inbound"),
            text="\n".join(lines),
            metadata={"turns": len(turns), "duration_seconds": round(duration, 1)},
        )
        return record


def _lines(turns: list[Any], roles: dict[str, Any]) -> tuple[list[str], float]:
    lines: list[str] = []
    previous: str | None = None
    duration = 0.0
    for number, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
            raise TranscriptError("bad_turn", f"turn {number} has no text")
        role = _role(roles.get(turn.get("speaker")))
        if role is None:
            raise TranscriptError("unknown_speaker", f"turn {number}: speaker has no known role")
        end = turn.get("end")
        if isinstance(end, int | float) and not isinstance(end, bool):
            duration = max(duration, float(end))
        text = " ".join(turn["text"].split())
        if not text:
            continue
        if role == previous:
            lines[-1] = f"{lines[-1]} {text}"
        else:
            lines.append(f"{role}: {text}")
        previous = role
    return lines, duration


def _role(label: Any) -> str | None:
    """'member', 'Medewerker', 'Petra (agent)' name a role; a bare name does not."""
    if not isinstance(label, str):
        return None
    words = set(re.findall(r"[a-z]+", label.lower()))
    roles = [role for role, known in _ROLE_WORDS.items() if words & known]
    return roles[0] if len(roles) == 1 else None

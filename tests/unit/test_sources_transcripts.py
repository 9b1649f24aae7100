"""Call transcripts: speaker turns become "Lid:"/"Medewerker:" lines, never names."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.kafka_topics import RAW
from pipeline.normalise import Accepted, accept
from pipeline.sources import Emitter, MemoryTarget
from pipeline.sources.transcripts import TranscriptSource
from tests.contract.source_contract import SourceContract


def call(call_id: str, speakers: dict | None = None, **extra) -> dict:
    return {
        "call_id": call_id,
        "started_at": "2026-11-02T09:14:05+01:00",
        "language": "nl",
        "province": "Gelderland",
        "speakers": speakers
        if speakers is not None
        else {"spk_0": "member", "spk_1": "Petra (agent)"},
        "agent_name": "Petra de Wit",
        "turns": [
            {
                "speaker": "spk_1",
                "start": 0.0,
                "end": 3.1,
                "text": "Goedemorgen, u spreekt met Petra.",
            },
            {"speaker": "spk_0", "start": 3.4, "end": 9.8, "text": "Ik heb een vraag over mijn"},
            {
                "speaker": "spk_0",
                "start": 9.9,
                "end": 14.0,
                "text": "ontslag. Mail jan.jansen@example.nl, 06-12345678.",
            },
            {"speaker": "spk_1", "start": 14.5, "end": 20.25, "text": "Ik verbind u door."},
        ],
        **extra,
    }


def write_calls(folder: Path, calls: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for item in calls:
        (folder / f"{item['call_id']}.json").write_text(json.dumps(item), encoding="utf-8")


class TestTranscripts(SourceContract):
    expected_events = 2
    bad_reasons = {"bad_json", "unknown_speaker", "missing_field", "missing_source_id"}

    def make_source(self, tmp_path: Path) -> TranscriptSource:
        write_calls(
            tmp_path / "calls", [call("C-1"), call("C-2", speakers={}, direction="outbound")]
        )
        return TranscriptSource(
            path=tmp_path / "calls", speaker_roles={"spk_0": "lid", "spk_1": "medewerker"}
        )

    def bad_input(self, tmp_path: Path) -> TranscriptSource:
        folder = tmp_path / "bad"
        write_calls(
            folder,
            [call("C-3", speakers={"spk_0": "member", "spk_1": "Petra"}), {"call_id": "C-4"}],
        )
        (folder / "broken.json").write_text('{"call_id": "C-5", "turns": [', encoding="utf-8")
        return TranscriptSource(path=folder)


def test_turns_become_role_lines_without_names_or_staff_fields(tmp_path: Path) -> None:
    write_calls(tmp_path, [call("C-1")])
    target = MemoryTarget()
    TranscriptSource(path=tmp_path).run(Emitter("transcripts", target))
    [record] = target.on(RAW)
    outcome = accept(record.value)
    assert isinstance(outcome, Accepted)
    event = outcome.event
    assert event.text == (
        "Medewerker: Goedemorgen, u spreekt met Petra.\n"
        "Lid: Ik heb een vraag over mijn ontslag. Mail jan.jansen@example.nl, 06-12345678.\n"
        "Medewerker: Ik verbind u door."
    )
    assert "Petra de Wit" not in record.value.decode()
    assert "(agent)" not in record.value.decode()
    assert event.metadata == {"turns": 4, "duration_seconds": 20.2}
    assert (event.channel, event.province) == ("phone", "NL-GE")

"""Call recordings (WAV, MP3, Opus, ...) transcribed in Dutch with faster-whisper.

A folder of recordings, or one file. A two-channel recording is split by
channel (by default 0 = the member, 1 = the contact centre) and its segments
interleaved by start time into "Lid: …" / "Medewerker: …" turns, like the
`transcripts` source, so `pipeline.content.member_words` keeps the member's
words. A mono recording becomes one unlabelled paragraph (or, with
`mono_role: member`, a "Lid:" turn, for voicemail). Audio is only read: it is
never copied, stored, moved or put in a dead letter; an unreadable or silent
recording becomes a dead letter whose original is a small JSON note (file
name, size, sha256), never the audio. Runnable:

>>> from pathlib import Path
>>> from pipeline.sources import Emitter, MemoryTarget
>>> from pipeline.sources.call_audio import CallAudioSource
>>> target = MemoryTarget()
>>> source = CallAudioSource(path=Path("tests/fixtures/audio/call_stereo.opus"))
>>> source.run(Emitter("call-audio", target))
>>> [record.topic for record in target.records]
['contact.raw']

Optional sidecar `<recording>.json` beside a recording carries what the
telephony system knows: `call_id`, `started_at`, `direction` and the
transcripts source's fields (`province`, `sector`, ...); staff fields in it never
travel. Without one, the event id derives from the file name and the time from
the container's creation_time tag, else the file's modification time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.sources.base import Source
from pipeline.sources.call_audio.audio import EXTENSIONS, AudioError, probe
from pipeline.sources.call_audio.speech import (
    Progress,
    Stopped,
    Transcriber,
    Transcript,
)
from pipeline.sources.call_audio.speech import channel_roles as channel_roles_of
from pipeline.sources.emit import Emit
from pipeline.sources.transcripts import COPIED_FIELDS

log = logging.getLogger(__name__)


class CallAudioSource(Source):
    """Call recordings in a folder, transcribed in Dutch (faster-whisper); ids from file names.

    Config: `path`, `model` (whisper-base, a name under the models cache or a
    CTranslate2 directory), `channel_roles` ({0: member, 1: agent}), `mono_role`,
    `language`, `beam_size`, `cpu_threads`, `chunk_seconds`, `min_age_seconds`
    (skip files younger than this, still being written), `progress`, `follow`,
    `poll_interval`.
    """

    name = "call-audio"

    def __init__(
        self,
        path: str | Path,
        model: str = "whisper-base",
        channel_roles: dict[Any, str] | None = None,
        mono_role: str | None = None,
        language: str = "nl",
        beam_size: int = 5,
        cpu_threads: int = 0,
        chunk_seconds: float = 60.0,
        min_age_seconds: float = 0.0,
        progress: bool | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.path = Path(path)
        self.language = language
        self.min_age_seconds = min_age_seconds
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.transcriber = Transcriber(
            model,
            language=language,
            beam_size=beam_size,
            cpu_threads=cpu_threads,
            chunk_seconds=chunk_seconds,
            roles=channel_roles_of(channel_roles),
            mono_role=mono_role,
        )
        # Files transcribed in this run, by (path, size, mtime): following a folder must not
        # transcribe every recording again at each poll. A restart does (ids stay the same).
        self._done: set[tuple[str, int, int]] = set()

    def run(self, emit: Emit) -> None:
        for _ in self.passes():
            files = self._recordings()
            for number, file in enumerate(files, start=1):
                if self.stopped:
                    return
                try:
                    stat = file.stat()
                except FileNotFoundError:
                    continue  # moved away between listing and reading
                key = (str(file), stat.st_size, stat.st_mtime_ns)
                if key in self._done or time.time() - stat.st_mtime < self.min_age_seconds:
                    continue
                try:
                    with progress_bar(self.progress, f"call {number}/{len(files)}") as progress:
                        self._process(file, emit, progress)
                except Stopped:
                    return
                self._done.add(key)

    def _recordings(self) -> list[Path]:
        if self.path.is_file():
            return [self.path]
        found = (p for p in self.path.rglob("*") if p.suffix.lower() in EXTENSIONS)
        return sorted(p for p in found if p.is_file())

    def _process(self, file: Path, emit: Emit, progress: Progress | None) -> None:
        ref = f"call-audio:{file.name}"
        try:
            call = _sidecar(file)
            transcript = self.transcriber.transcribe(file, progress, lambda: self.stopped)
            record = self.record(file, call, transcript)
        except AudioError as error:
            emit.reject(error.reason, error.detail, _note(file, error.reason), ref=ref)
            return
        emit(record, ref=ref)

    def record(self, file: Path, call: dict[str, Any], transcript: Transcript) -> dict[str, Any]:
        """The ContactEvent-shaped record of one transcribed recording."""
        record = {key: call[key] for key in COPIED_FIELDS if call.get(key) is not None}
        record.setdefault("language", self.language)
        record.update(
            event_id=self.event_id(str(call.get("call_id") or file.name)),
            occurred_at=call.get("started_at") or _recorded_at(file).isoformat(),
            channel="phone",
            direction=call.get("direction", "inbound"),
            text=transcript.text,
            metadata={
                "duration_seconds": round(transcript.duration, 1),
                "audio_channels": transcript.channels,
                "speakers_split": transcript.split,
                "segments": len(transcript.segments),
                "turns": len(transcript.lines()),
                "speech_model": self.transcriber.model_name,
            },
        )
        return record


def _sidecar(file: Path) -> dict[str, Any]:
    sidecar = file.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        call = json.loads(sidecar.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise AudioError("bad_json", "the sidecar is no JSON") from error
    if not isinstance(call, dict):
        raise AudioError("bad_json", "the sidecar is no JSON object")
    return call


def _recorded_at(file: Path) -> datetime:
    created = probe(file).created
    if created is not None:
        return created
    return datetime.fromtimestamp(file.stat().st_mtime, UTC)


def _note(file: Path, reason: str) -> bytes:
    """What a dead letter keeps instead of the audio: enough to find the file again."""
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    note = {
        "file": file.name,
        "bytes": file.stat().st_size,
        "sha256": digest.hexdigest(),
        "reason": reason,
        "audio": "not kept: the pipeline never stores recordings",
    }
    return json.dumps(note).encode("utf-8")


@contextlib.contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Progress | None]:
    """A rich progress bar over the seconds of one recording, on stderr."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f} s of audio"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: float, total: float | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


__all__ = ["AudioError", "CallAudioSource", "Transcriber", "Transcript"]

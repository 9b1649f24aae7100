"""Dutch speech-to-text with faster-whisper, one channel at a time, chunk by chunk.

A two-channel call recording has the member on one channel and the contact
centre on the other; transcribing each channel alone and interleaving the
segments by start time gives speaker turns without diarisation guesswork.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.settings import Settings
from pipeline.sources.call_audio.audio import SILENCE_PEAK, AudioError, chunks, probe
from pipeline.sources.transcripts import MEMBER, STAFF, _role

DEFAULT_ROLES = {0: MEMBER, 1: STAFF}
Progress = Callable[[float, float | None], None]
_PAUSE = 1.5


class Stopped(Exception):
    """The source was stopped in the middle of a recording; nothing is emitted for it."""


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    channel: int
    text: str
    speaker: str | None = None  # "Lid" / "Medewerker"; None for a mono recording

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "channel": self.channel,
            "speaker": self.speaker,
            "text": self.text,
        }


@dataclass
class Transcript:
    channels: int
    duration: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def split(self) -> bool:
        return self.channels == 2

    def lines(self) -> list[str]:
        """'Lid: …' / 'Medewerker: …' turns (consecutive segments of one speaker merged)."""
        lines: list[str] = []
        previous: str | None = None
        for segment in self.segments:
            if segment.speaker is not None and segment.speaker == previous:
                lines[-1] = f"{lines[-1]} {segment.text}"
            elif segment.speaker is not None:
                lines.append(f"{segment.speaker}: {segment.text}")
            elif lines and previous is None:
                lines[-1] = f"{lines[-1]} {segment.text}"
            else:
                lines.append(segment.text)
            previous = segment.speaker
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


def channel_roles(config: dict[Any, str] | None) -> dict[int, str]:
    """{0: "member", 1: "agent"} (any role word of the transcripts source) -> labels."""
    roles: dict[int, str] = {}
    for channel, label in (config or {}).items():
        role = _role(label)
        if role is None or int(channel) not in (0, 1):
            raise ValueError(f"channel_roles: {channel!r}: {label!r} names no member or staff role")
        roles[int(channel)] = role
    merged = {**DEFAULT_ROLES, **roles}
    if merged[0] == merged[1]:
        raise ValueError("channel_roles: the two channels need different roles")
    return merged


@lru_cache(maxsize=2)
def _load(directory: str, compute_type: str, cpu_threads: int) -> Any:
    # Loaded once per process: a source re-created per config run or test reuses it.
    from faster_whisper import WhisperModel

    return WhisperModel(directory, device="cpu", compute_type=compute_type, cpu_threads=cpu_threads)


_model_lock = threading.Lock()


class Transcriber:
    """Whisper on CPU (int8). `model` is `whisper-base`, a name under the models cache,
    or a local CTranslate2 directory (see `models.whisper.resolve`)."""

    def __init__(
        self,
        model: str = "whisper-base",
        *,
        language: str = "nl",
        beam_size: int = 5,
        cpu_threads: int = 0,
        compute_type: str = "int8",
        chunk_seconds: float = 60.0,
        roles: dict[int, str] | None = None,
        mono_role: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        from models.whisper import resolve

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.model_name = model
        self.directory = resolve(model, (settings or Settings.load()).models_dir)
        self.language = language
        self.beam_size = beam_size
        self.cpu_threads = cpu_threads or min(4, os.cpu_count() or 1)
        self.compute_type = compute_type
        self.chunk_seconds = chunk_seconds
        self.roles = roles or dict(DEFAULT_ROLES)
        self.mono_role = _role(mono_role) if mono_role else None

    @property
    def model(self) -> Any:
        with _model_lock:
            return _load(str(self.directory), self.compute_type, self.cpu_threads)

    def transcribe(
        self,
        path: Path,
        progress: Progress | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> Transcript:
        """The transcript; raises `AudioError` (unreadable, silent, no speech) or `Stopped`."""
        info = probe(path)
        transcript = Transcript(info.channels, 0.0)
        heard = False
        for chunk in chunks(path, self.chunk_seconds):
            if should_stop():
                raise Stopped("stopped while transcribing")
            for channel, samples in enumerate(chunk.samples):
                if float(abs(samples).max(initial=0.0)) < SILENCE_PEAK:
                    continue
                heard = True
                found = self._channel(samples, chunk.start, channel, info, should_stop)
                transcript.segments.extend(found)
            transcript.duration = chunk.start + chunk.seconds
            if progress is not None:
                progress(transcript.duration, info.duration)
        if transcript.duration == 0:
            raise AudioError("unreadable_audio", "the file holds no audio samples")
        if not heard:
            raise AudioError(
                "silent_audio", f"{transcript.duration:.1f} s without sound above -50 dBFS"
            )
        if not transcript.segments:
            raise AudioError("no_speech", f"no speech recognised in {transcript.duration:.1f} s")
        transcript.segments.sort(key=lambda segment: (segment.start, segment.channel))
        return transcript

    def _channel(
        self,
        samples: Any,
        offset: float,
        channel: int,
        info: Any,
        should_stop: Callable[[], bool],
    ) -> list[Segment]:
        speaker = self.roles[channel] if info.channels == 2 else self.mono_role
        found, _ = self.model.transcribe(
            samples,
            language=self.language,
            beam_size=self.beam_size,
            # Each channel is mostly silence while the other side talks; VAD keeps
            # Whisper from inventing subtitles ("Ondertiteling door ...") in the gaps.
            vad_filter=True,
            condition_on_previous_text=False,
            # Word times place a turn where it was said; segment times alone drift by
            # seconds around VAD gaps, which would put answers before their questions.
            word_timestamps=True,
        )
        segments = []
        for segment in found:  # decoded lazily, one 30 s window at a time
            if should_stop():
                raise Stopped("stopped while transcribing")
            for start, end, text in _phrases(segment):
                segments.append(Segment(offset + start, offset + end, channel, text, speaker))
        return segments


def _phrases(segment: Any) -> list[tuple[float, float, str]]:
    """A Whisper segment cut where its words pause longer than `_PAUSE` seconds: the
    other side may have spoken in that pause, and interleaving needs the pieces."""
    words = [word for word in (segment.words or []) if word.word.strip()]
    if not words:
        text = " ".join(segment.text.split())
        return [(segment.start, segment.end, text)] if text else []
    phrases: list[list[Any]] = [[words[0]]]
    for word in words[1:]:
        if word.start - phrases[-1][-1].end > _PAUSE:
            phrases.append([])
        phrases[-1].append(word)
    return [
        (
            float(group[0].start),
            float(group[-1].end),
            " ".join("".join(w.word for w in group).split()),
        )
        for group in phrases
    ]

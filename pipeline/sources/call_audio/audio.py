"""Decode a recording in bounded chunks with PyAV (FFmpeg inside the wheel, no system ffmpeg).

faster-whisper's own `decode_audio` reads the whole file into memory (an hour of
16 kHz stereo float32 is 460 MB); this reads it frame by frame and hands out
chunks of at most `chunk_seconds`, so memory stays about
`chunk_seconds * 16000 * channels * 4` bytes (60 s stereo: 7.7 MB) plus one
decoded frame, whatever the length of the call. A chunk ends at the quietest
100 ms within its last few seconds, so a cut rarely falls inside a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path

import numpy as np

RATE = 16_000
EXTENSIONS = frozenset({".wav", ".mp3", ".opus", ".ogg", ".oga", ".flac", ".m4a"})
# Peaks below -50 dBFS are line hiss or digital silence: nothing for Whisper to hear.
SILENCE_PEAK = 10 ** (-50 / 20)
_QUIET_WINDOW = RATE // 10
_CUT_SEARCH_SECONDS = 5.0


class AudioError(ValueError):
    """A recording that cannot become a transcript; `reason` is the dead letter's reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Chunk:
    start: float  # seconds from the start of the recording
    samples: np.ndarray  # float32, shape (channels, n), 16 kHz

    @property
    def seconds(self) -> float:
        return self.samples.shape[1] / RATE

    def is_silent(self) -> bool:
        return self.samples.size == 0 or float(np.abs(self.samples).max()) < SILENCE_PEAK


@dataclass(frozen=True)
class Probe:
    channels: int  # 1, or 2 for anything with more (FFmpeg's stereo down-mix)
    duration: float | None  # seconds, when the container says
    created: datetime | None  # the container's creation_time tag, when present


def probe(path: Path) -> Probe:
    """Channels, duration and creation time from the container header; raises `AudioError`."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError("unreadable_audio", "the file has no audio stream")
            stream = container.streams.audio[0]
            duration = None
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            created = _timestamp(container.metadata.get("creation_time"))
            return Probe(1 if stream.channels == 1 else 2, duration, created)
    except av.FFmpegError as error:
        raise AudioError("unreadable_audio", f"FFmpeg cannot open it: {_message(error)}") from error


def chunks(path: Path, chunk_seconds: float = 60.0) -> Iterator[Chunk]:
    """The recording as consecutive 16 kHz float32 chunks of at most `chunk_seconds`."""
    import av

    if chunk_seconds < 1:
        raise ValueError("chunk_seconds must be at least 1")
    limit = int(chunk_seconds * RATE)
    search = min(int(_CUT_SEARCH_SECONDS * RATE), limit // 2)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError("unreadable_audio", "the file has no audio stream")
            stream = container.streams.audio[0]
            layout = "mono" if stream.channels == 1 else "stereo"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=RATE)
            decoded = (
                out.to_ndarray()
                for frame in chain(_frames(container, stream), [None])  # None flushes
                for out in resampler.resample(frame)
            )
            yield from _split(decoded, limit, search)
    except av.FFmpegError as error:
        raise AudioError(
            "unreadable_audio", f"FFmpeg cannot decode it: {_message(error)}"
        ) from error


def _split(decoded: Iterator[np.ndarray], limit: int, search: int) -> Iterator[Chunk]:
    pending: list[np.ndarray] = []
    buffered, start = 0, 0
    for samples in decoded:
        pending.append(samples)
        buffered += samples.shape[1]
        while buffered >= limit:
            block = np.concatenate(pending, axis=1)
            cut = _quiet_cut(block[:, :limit], search)
            yield Chunk(start / RATE, np.ascontiguousarray(block[:, :cut]))
            start += cut
            pending, buffered = [block[:, cut:]], block.shape[1] - cut
    if buffered:
        yield Chunk(start / RATE, np.concatenate(pending, axis=1))


def _frames(container: object, stream: object) -> Iterator[object]:
    """Decoded frames; a damaged packet mid-file is skipped, as FFmpeg's own tools do."""
    import av

    for packet in container.demux(stream):  # type: ignore[attr-defined]
        try:
            yield from packet.decode()
        except av.InvalidDataError:
            continue


def _quiet_cut(block: np.ndarray, search: int) -> int:
    """Index to end the chunk: the middle of the quietest 100 ms in the last `search` samples."""
    length = block.shape[1]
    if search < 2 * _QUIET_WINDOW:
        return length
    tail = np.abs(block[:, length - search :]).sum(axis=0)
    windows = tail[: search - search % _QUIET_WINDOW].reshape(-1, _QUIET_WINDOW).sum(axis=1)
    quietest = int(np.argmin(windows))
    return length - search + quietest * _QUIET_WINDOW + _QUIET_WINDOW // 2


def _timestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _message(error: Exception) -> str:
    # FFmpeg errors repeat the file path; the dead letter's ref already says which file.
    return getattr(error, "strerror", None) or type(error).__name__

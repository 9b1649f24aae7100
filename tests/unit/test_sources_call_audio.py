"""Call recordings become Dutch transcripts: real Whisper (base, int8, CPU) on espeak-ng fixtures.

The fixtures are synthetic speech (tests/fixtures/audio/make_fixtures.py), which
whisper-base hears imperfectly, so word checks are tolerant: enough of the key
words, not the exact sentence. The model comes from `make setup`; without it
these tests fail with the command that provisions it, they never skip.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import shutil
import tracemalloc
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from typer.testing import CliRunner

from models import whisper
from pipeline.cli import app
from pipeline.content import member_words
from pipeline.contract.dead_letter import DeadLetter
from pipeline.kafka_topics import DLQ, RAW
from pipeline.normalise import Accepted, accept
from pipeline.settings import Settings
from pipeline.sources import Emitter, MemoryTarget
from pipeline.sources.call_audio import CallAudioSource, progress_bar
from pipeline.sources.call_audio.audio import RATE, AudioError, chunks
from pipeline.sources.call_audio.speech import Stopped, Transcriber, Transcript
from tests.contract.source_contract import SourceContract

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
MONO, SHORT, STEREO, SILENCE = (
    FIXTURES / "member_mono.mp3",
    FIXTURES / "member_short.mp3",
    FIXTURES / "call_stereo.opus",
    FIXTURES / "silence.wav",
)
# What the member says in member_mono.mp3; whisper-base hears espeak-ng's Dutch roughly.
MONO_WORDS = {"mijn", "naam", "jan", "jansen", "werkgever", "loon", "twee", "maanden", "laat"}
MONO_WORDS |= {"wat", "kan", "vakbond", "voor", "doen"}
# How alike a written word must be to a spoken one (difflib's ratio): "vermelend" for
# "vervelend" is 0.89, "vakpond" for "vakbond" 0.86; "loon" and "laat" are 0.5.
HEARD_AS = 0.8


@pytest.fixture(scope="module", autouse=True)
def whisper_model() -> Path:
    try:
        return whisper.resolve(whisper.WHISPER_BASE, Settings.load().models_dir)
    except FileNotFoundError as error:
        pytest.fail(f"{error} (the call-audio tests need the real model)", pytrace=False)


def words(text: str) -> set[str]:
    return {word.strip(".,?!:;").lower() for word in text.split()}


def heard(expected: set[str], text: str) -> set[str]:
    """The expected words Whisper wrote down, a letter or two off allowed: its int8 kernels
    differ between CPUs, and on an AMD EPYC "vervelend" came out as "vermelend"."""
    written = words(text)
    return {word for word in expected if difflib.get_close_matches(word, written, 1, HEARD_AS)}


def folder_with(tmp_path: Path, *files: Path) -> Path:
    folder = tmp_path / "calls"
    folder.mkdir(exist_ok=True)
    for file in files:
        shutil.copy2(file, folder / file.name)  # keeps the mtime: the same recording again
    return folder


class RememberingTranscriber(Transcriber):
    """Real Whisper, run once per recording for the whole contract: its seven runs test
    the source (listing, ids, dead letters, stop), not the recogniser again."""

    heard: ClassVar[dict[bytes, Transcript]] = {}

    def transcribe(self, path: Path, *args: Any, **kwargs: Any) -> Transcript:
        key = hashlib.sha256(path.read_bytes()).digest()
        if key not in self.heard:
            self.heard[key] = super().transcribe(path, *args, **kwargs)
        return self.heard[key]


def remembering(source: CallAudioSource) -> CallAudioSource:
    source.transcriber.__class__ = RememberingTranscriber
    return source


class TestCallAudio(SourceContract):
    expected_events = 1
    bad_reasons = {"unreadable_audio", "silent_audio", "no_speech", "bad_json"}
    # Spoken, so only what Whisper writes down can be planted: the member's surname.
    planted_personal_data = ("Jansen",)

    def make_source(self, tmp_path: Path) -> CallAudioSource:
        return remembering(CallAudioSource(path=folder_with(tmp_path, SHORT), progress=False))

    def bad_input(self, tmp_path: Path) -> CallAudioSource:
        folder = tmp_path / "bad"
        folder.mkdir()
        (folder / "kapot.mp3").write_bytes(b"ID3 dit is geen audio" * 50)
        shutil.copyfile(SILENCE, folder / "stil.wav")
        return remembering(CallAudioSource(path=folder, progress=False))


@pytest.fixture(scope="module")
def stereo() -> Transcript:
    return Transcriber().transcribe(STEREO)


def test_two_channels_become_member_and_staff_turns_in_order(stereo: Transcript) -> None:
    lines = stereo.lines()
    assert [line.split(":")[0] for line in lines] == ["Medewerker", "Lid", "Medewerker", "Lid"]
    starts = [segment.start for segment in stereo.segments]
    assert starts == sorted(starts)
    assert {segment.channel for segment in stereo.segments if segment.speaker == "Lid"} == {0}
    member = " ".join(line for line in lines if line.startswith("Lid:"))
    staff = " ".join(line for line in lines if line.startswith("Medewerker:"))
    assert (
        len(heard({"ik", "heb", "een", "over", "mijn", "werkgever", "wil", "contract"}, member))
        >= 5
    )
    # The contact centre's word is in its own turns, never in the member's.
    assert heard({"vervelend"}, staff) and not heard({"vervelend"}, member)
    # The pipeline's theme input keeps only the member's turns.
    assert not heard({"vervelend"}, member_words(stereo.text))
    assert heard({"contract"}, member_words(stereo.text))


def test_mono_recording_event_with_sidecar_validates(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, MONO)
    sidecar = {
        "call_id": "C-2026-1102-0042",
        "started_at": "2026-11-02T09:14:05+01:00",
        "province": "Gelderland",
        "agent_name": "Petra de Wit",
        "agent_id": "E-1234",
    }
    (folder / "member_mono.json").write_text(json.dumps(sidecar), encoding="utf-8")
    target = MemoryTarget()
    CallAudioSource(path=folder, progress=False).run(Emitter("call-audio", target))
    [record] = target.on(RAW)
    assert "Petra" not in record.value.decode() and "E-1234" not in record.value.decode()
    outcome = accept(record.value)
    assert isinstance(outcome, Accepted), outcome
    event = outcome.event
    assert (event.source, event.channel, event.province) == ("call-audio", "phone", "NL-GE")
    assert event.event_id == CallAudioSource(path=folder).event_id("C-2026-1102-0042")
    assert event.occurred_at == datetime.fromisoformat("2026-11-02T09:14:05+01:00")
    assert len(heard(MONO_WORDS, event.text)) >= 6, event.text
    assert event.metadata["audio_channels"] == 1 and not event.metadata["speakers_split"]
    assert 14 < event.metadata["duration_seconds"] < 17


def test_unreadable_and_silent_files_are_dead_letters_without_audio(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    garbage = b"RIFF\x00\x00\x00\x00WAVEfmt kapot" * 20
    (folder / "kapot.wav").write_bytes(garbage)
    (folder / "leeg.opus").write_bytes(b"")
    shutil.copyfile(SILENCE, folder / "stil.wav")
    target = MemoryTarget()
    emitter = Emitter("call-audio", target)
    CallAudioSource(path=folder, progress=False).run(emitter)
    assert target.on(RAW) == []
    letters = {
        json.loads(letter.original)["file"]: letter
        for letter in (DeadLetter.from_json(record.value) for record in target.on(DLQ))
    }
    assert {name: letter.reason for name, letter in letters.items()} == {
        "kapot.wav": "unreadable_audio",
        "leeg.opus": "unreadable_audio",
        "stil.wav": "silent_audio",
    }
    silent = json.loads(letters["stil.wav"].original)
    assert silent["bytes"] == SILENCE.stat().st_size and len(silent["sha256"]) == 64
    assert garbage not in letters["kapot.wav"].original
    assert emitter.counts.reasons == {"unreadable_audio": 2, "silent_audio": 1}
    # Recordings are only read: nothing moved, copied or written beside them.
    assert sorted(path.name for path in folder.iterdir()) == ["kapot.wav", "leeg.opus", "stil.wav"]


def test_a_broken_sidecar_is_a_dead_letter(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, SILENCE)
    (folder / "silence.json").write_text("{kapot", encoding="utf-8")
    target = MemoryTarget()
    CallAudioSource(path=folder, progress=False).run(Emitter("call-audio", target))
    [letter] = [DeadLetter.from_json(record.value) for record in target.on(DLQ)]
    assert letter.reason == "bad_json"


def test_channel_roles_can_be_swapped_and_must_differ() -> None:
    source = CallAudioSource(path=FIXTURES, channel_roles={"0": "agent", "1": "beller"})
    assert source.transcriber.roles == {0: "Medewerker", 1: "Lid"}
    with pytest.raises(ValueError, match="different roles"):
        CallAudioSource(path=FIXTURES, channel_roles={0: "agent"})
    with pytest.raises(ValueError, match="no member or staff role"):
        CallAudioSource(path=FIXTURES, channel_roles={0: "Petra"})


def test_a_missing_model_says_how_to_provision_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no CTranslate2 model"):
        Transcriber(str(tmp_path))
    with pytest.raises(FileNotFoundError, match="no Whisper model"):
        Transcriber(str(tmp_path / "nergens"))


def write_wav(path: Path, samples: np.ndarray) -> None:
    """16 kHz 16-bit PCM (channels x n) with PyAV, frame by frame."""
    import av

    layout = "mono" if samples.shape[0] == 1 else "stereo"
    pcm = (samples * 32767).astype(np.int16)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=RATE, layout=layout)
        for start in range(0, pcm.shape[1], RATE):
            block = np.ascontiguousarray(pcm[:, start : start + RATE].T.reshape(1, -1))
            frame = av.AudioFrame.from_ndarray(block, format="s16", layout=layout)
            frame.sample_rate = RATE
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def test_long_recordings_are_decoded_in_bounded_chunks_cut_in_pauses(tmp_path: Path) -> None:
    seconds = 120
    time = np.arange(seconds * RATE) / RATE
    # 0.7 s of tone, 0.3 s of silence, every second: the pauses are where cuts belong.
    tone = np.where(time % 1.0 < 0.7, 0.3 * np.sin(2 * np.pi * 220 * time), 0.0)
    path = tmp_path / "lang.wav"
    write_wav(path, np.stack([tone, 0.5 * tone]).astype(np.float32))
    whole_file_bytes, chunk_bytes = seconds * RATE * 2 * 4, 2 * RATE * 2 * 4
    tracemalloc.start()
    parts = []
    for chunk in chunks(path, chunk_seconds=2):
        assert chunk.samples.shape[0] == 2 and chunk.samples.shape[1] <= 2 * RATE
        parts.append((chunk.start, chunk.samples.shape[1], chunk.samples[0, -1]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # A few chunks' worth (pending frames, the joined block, the chunk handed out), never the file.
    assert peak < min(8 * chunk_bytes, whole_file_bytes / 8), f"peak {peak} bytes"
    assert sum(length for _, length, _ in parts) == seconds * RATE
    assert all(
        abs(start - (previous_start + previous_length / RATE)) < 1e-6
        for (previous_start, previous_length, _), (start, _, _) in itertools.pairwise(parts)
    )
    assert all(abs(last) < 1e-3 for _, _, last in parts[:-1]), "a chunk was cut inside a tone"


def test_transcribe_command_prints_segments_as_json() -> None:
    result = CliRunner().invoke(app, ["transcribe", str(SHORT), "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["audio_channels"] == 1 and document["segments"]
    segment = document["segments"][0]
    assert set(segment) == {"start", "end", "channel", "speaker", "text"}
    assert 0 <= segment["start"] < segment["end"] <= document["duration_seconds"] + 0.5
    assert "jansen" in words(document["text"])
    failed = CliRunner().invoke(app, ["transcribe", str(SILENCE), "--no-progress"])
    assert failed.exit_code == 1 and "silent_audio" in failed.output


def test_progress_reports_seconds_done_of_total() -> None:
    calls: list[tuple[float, float | None]] = []
    with progress_bar(True, "call 1/1") as update:
        assert update is not None
        update(1.0, 2.0)
    with pytest.raises(AudioError):
        Transcriber().transcribe(SILENCE, lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == pytest.approx(1.0, abs=0.05)
    assert calls[-1][1] == pytest.approx(1.0, abs=0.05)


def test_a_stop_interrupts_a_recording_and_emits_nothing_for_it() -> None:
    with pytest.raises(Stopped):
        Transcriber().transcribe(STEREO, should_stop=lambda: True)


def test_provisioning_refuses_parts_that_do_not_rebuild_the_upstream_model(tmp_path: Path) -> None:
    source = tmp_path / "packages"
    for part in whisper.PARTS:
        (source / part.module / "data").mkdir(parents=True)
    first = source / whisper.PARTS[0].module / "data"
    for name in ("config.json", "tokenizer.json", "vocabulary.txt", "model.bin.part1"):
        (first / name).write_text("{}", encoding="utf-8")
    (source / whisper.PARTS[1].module / "data" / "model.bin.part2").write_bytes(b"\0" * 10)
    settings = Settings(cache_dir=tmp_path / "cache")
    with pytest.raises(whisper.IntegrityError, match="differs from the upstream"):
        whisper.provision(settings.models_dir, source)
    assert not whisper.model_dir(settings.models_dir).exists()
    assert not list((tmp_path / "cache" / "models").iterdir()), "no half-built model is left"
    # The real one was verified when it was provisioned; its provenance says so.
    provenance = json.loads(
        (whisper.model_dir(Settings.load().models_dir) / "provenance.json").read_text(
            encoding="utf-8"
        )
    )
    assert provenance["files"]["model.bin"]["sha256"] == whisper.EXPECTED["model.bin"][1]
    assert "MIT" in provenance["licence"]

"""Word error rate and speed of the call-audio transcriber on synthetic Dutch speech.

Synthesises 30 member sentences with espeak-ng (voice nl), adds pink noise made
by sox at a chosen SNR, transcribes clean and noisy versions with the same code
path as the source (`Transcriber.transcribe` on a file), and prints WER
(lower case, punctuation stripped, word-level edit distance) and the real-time
factor (transcription seconds / audio seconds) on this machine's CPU.

Needs espeak-ng and sox (`apt-get install -y espeak-ng sox`); not part of the tests.

    .venv/bin/python bench/eval_transcription.py [--snr 10] [--model whisper-base] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from pipeline.sources.call_audio.speech import Transcriber

SENTENCES = [
    "Mijn werkgever betaalt mijn loon al twee maanden te laat.",
    "Ik wil weten of ik recht heb op een transitievergoeding.",
    "Mijn contract wordt niet verlengd en ik ben zwanger.",
    "Hoeveel vakantiedagen heb ik volgens de cao?",
    "Mijn baas wil dat ik in het weekend werk zonder toeslag.",
    "Ik ben ziek en mijn werkgever wil mij ontslaan.",
    "Kan de vakbond mij helpen met een bezwaar tegen mijn beoordeling?",
    "Ik heb een vraag over mijn pensioen.",
    "Wanneer krijg ik de loonsverhoging uit de nieuwe cao?",
    "Mijn werkgever betaalt de reiskosten niet meer.",
    "Ik wil mijn lidmaatschap opzeggen.",
    "Moet ik overwerk uitbetaald krijgen of mag ik het opnemen?",
    "Ik heb een vaststellingsovereenkomst gekregen en weet niet of ik moet tekenen.",
    "Mijn uren worden steeds minder en ik verdien te weinig.",
    "Hoe lang is mijn opzegtermijn als ik zelf ontslag neem?",
    "Ik word gepest op het werk en mijn leidinggevende doet niets.",
    "Mag mijn werkgever mijn vakantie intrekken?",
    "Ik werk via een uitzendbureau en krijg minder betaald dan mijn collega's.",
    "Wanneer wordt de eindejaarsuitkering uitbetaald?",
    "Ik heb een arbeidsongeval gehad en wil juridisch advies.",
    "Mijn werkgever gaat reorganiseren en mijn functie vervalt.",
    "Heb ik recht op ouderschapsverlof?",
    "Mijn loonstrook klopt niet, er ontbreken uren.",
    "Ik wil graag weten wat de staking voor mij betekent.",
    "Mijn werkgever wil mijn contract omzetten naar nul uren.",
    "Krijg ik een uitkering als ik word ontslagen?",
    "Ik moet steeds langer werken zonder pauze.",
    "Wie betaalt mijn loon als het bedrijf failliet gaat?",
    "Ik heb een conflict met mijn leidinggevende over mijn rooster.",
    "Mag ik thuiswerken als mijn kind ziek is?",
]
RATE = 16_000


def normalise(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower().replace("'", "")).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions, insertions, deletions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i]
        for j, hyp in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def synthesise(text: str, path: Path, speed: int) -> np.ndarray:
    raw = path.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", "nl", "-s", str(speed), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(path)], check=True)
    return read_wav(path)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as handle:
        return np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16) / 32768.0


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())


def add_noise(speech: np.ndarray, snr_db: float, path: Path, seed: int) -> None:
    """Pink noise from sox, scaled so that speech RMS / noise RMS is `snr_db`."""
    noise_file = path.with_suffix(".noise.wav")
    seconds = f"{len(speech) / RATE:.3f}"
    subprocess.run(
        ["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(noise_file),
         "synth", seconds, "pinknoise"],
        check=True,
    )  # fmt: skip
    noise = read_wav(noise_file)[: len(speech)]
    noise = np.pad(noise, (0, len(speech) - len(noise)))
    rms = lambda x: float(np.sqrt(np.mean(np.square(x))) or 1e-9)  # noqa: E731
    rng = np.random.default_rng(seed)
    noise = np.roll(noise, int(rng.integers(len(noise))))
    write_wav(path, speech + noise * (rms(speech) / rms(noise)) / 10 ** (snr_db / 20))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="whisper-base")
    parser.add_argument("--snr", type=float, default=10.0, help="noisy condition, dB")
    parser.add_argument("--speed", type=int, default=140, help="espeak-ng words per minute")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write per-sentence results here")
    args = parser.parse_args()
    transcriber = Transcriber(args.model, beam_size=args.beam_size)
    _ = transcriber.model  # loaded before timing starts
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for condition in ("clean", f"snr{args.snr:g}"):
            edits = words = 0
            audio_seconds = busy = 0.0
            rows = []
            for number, sentence in enumerate(SENTENCES):
                path = Path(tmp) / f"s{number:02d}.wav"
                speech = synthesise(sentence, path, args.speed)
                if condition != "clean":
                    add_noise(speech, args.snr, path, seed=number)
                started = time.perf_counter()
                hypothesis = transcriber.transcribe(path).text
                busy += time.perf_counter() - started
                audio_seconds += len(speech) / RATE
                reference = normalise(sentence)
                errors = edit_distance(reference, normalise(hypothesis))
                edits, words = edits + errors, words + len(reference)
                rows.append({"reference": sentence, "hypothesis": hypothesis, "errors": errors})
            results[condition] = {
                "wer": edits / words,
                "rtf": busy / audio_seconds,
                "audio_seconds": audio_seconds,
                "sentences": rows,
            }
        # Per-file overhead (probe, VAD, model warm-up per call) dominates 4 s clips; one
        # long recording of all sentences shows the rate a real call gets.
        gap = np.zeros(RATE // 2)
        path = Path(tmp) / "all.wav"
        joined = np.concatenate(
            [np.concatenate([synthesise(text, path, args.speed), gap]) for text in SENTENCES]
        )
        write_wav(path, joined)
        started = time.perf_counter()
        hypothesis = transcriber.transcribe(path).text
        busy = time.perf_counter() - started
        reference = normalise(" ".join(SENTENCES))
        results["clean, one recording"] = {
            "wer": edit_distance(reference, normalise(hypothesis)) / len(reference),
            "rtf": busy / (len(joined) / RATE),
            "audio_seconds": len(joined) / RATE,
            "hypothesis": hypothesis,
        }
    print(f"model {args.model}, int8 on CPU ({os.cpu_count()} cores), beam {args.beam_size}, "
          f"espeak-ng nl at {args.speed} wpm, {len(SENTENCES)} sentences, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| condition | WER | real-time factor | audio |\n|---|---|---|---|")
    for condition, result in results.items():
        print(
            f"| {condition} | {result['wer']:.3f} | {result['rtf']:.3f} | "
            f"{result['audio_seconds']:.0f} s |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

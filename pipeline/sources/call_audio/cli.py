"""`ledenradar transcribe FILE [--json]`: the Dutch transcript of one call recording.

Prints the transcript as the pipeline would emit it (before redaction: run it
only on recordings you may listen to). Nothing is written to disk.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

err = Console(stderr=True)


def transcribe(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="WAV, MP3, Opus, ..."),
    as_json: bool = typer.Option(False, "--json", help="Segments with times and speakers."),
    model: str = typer.Option("whisper-base", help="Model name or CTranslate2 directory."),
    language: str = typer.Option("nl", help="Spoken language (ISO 639-1)."),
    chunk_seconds: float = typer.Option(60.0, help="Decode and transcribe this much at a time."),
    mono_role: str = typer.Option(None, help="Label a mono recording's speaker (member, agent)."),
    progress: bool = typer.Option(True, help="Show a progress bar on stderr."),
) -> None:
    """Transcribe one recording; a two-channel call gets Lid:/Medewerker: turns."""
    from pipeline.sources.call_audio import progress_bar
    from pipeline.sources.call_audio.audio import AudioError
    from pipeline.sources.call_audio.speech import Transcriber

    try:
        transcriber = Transcriber(
            model, language=language, chunk_seconds=chunk_seconds, mono_role=mono_role
        )
    except (FileNotFoundError, ValueError) as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    try:
        with progress_bar(progress, file.name) as bar:
            transcript = transcriber.transcribe(file, bar)
    except AudioError as error:
        err.print(f"[red]{file.name}: {error.reason}: {error.detail}[/red]")
        raise typer.Exit(1) from error
    if as_json:
        document = {
            "file": file.name,
            "language": language,
            "model": model,
            "duration_seconds": round(transcript.duration, 2),
            "audio_channels": transcript.channels,
            "speakers_split": transcript.split,
            "segments": [segment.to_dict() for segment in transcript.segments],
            "text": transcript.text,
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        typer.echo(transcript.text)

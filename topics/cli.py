"""`ledenradar evaluate themes` and `evaluate stream`: score themes against labelled truth.

Heavy imports (torch, UMAP, BERTopic) stay inside the command so `ledenradar --help` is fast.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Texts per encoder call: small enough for the bar to move, large enough to batch well.
EMBED_BLOCK = 2048

if TYPE_CHECKING:
    import numpy as np


def evaluate_themes(
    dataset: Annotated[
        str, typer.Option(help="banking77, clinc150, sim:SCENARIO, or a CSV/JSONL with text,label.")
    ] = "banking77",
    model: Annotated[
        str, typer.Option(help="Embedding model name (see `ledenradar models list`).")
    ] = "minilm",
    backend: Annotated[
        str, typer.Option(help="torch (the reference) or onnx (the stream's encoder).")
    ] = "torch",
    variant: Annotated[str, typer.Option(help="fp32 or int8.")] = "fp32",
    use_extra: Annotated[
        bool,
        typer.Option(help="Also fit on the set's unlabelled extra texts (e.g. a train split)."),
    ] = True,
    seed: Annotated[int, typer.Option(help="Random seed for reduction and clustering.")] = 42,
    show_themes: Annotated[int, typer.Option(help="Print this many of the largest themes.")] = 0,
    names: Annotated[
        str,
        typer.Option(
            help="Who names the themes: subject (nominal phrases, the default) or a BERTopic "
            "representation: ctfidf, keybert, mmr, keybert+mmr."
        ),
    ] = "subject",
    merge_neighbours: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Neighbour links the merge of over-split themes counts (default: the "
            "discovery's; never more than the smallest theme is large).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """NMI, ARI, Hungarian ACC, coverage and number of themes found (the true number is not given);
    with --json also each theme's label, size, majority true label, purity and whether the label
    names it."""
    import numpy as np

    from pipeline.progress import progress_bar
    from pipeline.settings import Settings
    from topics.datasets import load_dataset
    from topics.discovery import DiscoveryConfig
    from topics.embeddings import embed_texts
    from topics.evaluate import NAMERS, evaluate_discovery

    if names not in NAMERS:
        raise typer.BadParameter(f"one of {', '.join(NAMERS)}", param_hint="--names")
    try:
        labelled = load_dataset(dataset, use_extra=use_extra)
    except (ValueError, FileNotFoundError) as error:
        raise typer.BadParameter(str(error), param_hint="--dataset") from error
    settings = Settings.load()
    texts = labelled.to_embed()
    blocks = []
    with progress_bar(f"{dataset}: embedding (texts)", len(texts)) as bar:
        # In blocks, so the bar moves; each text is cached on its own either way.
        for begin in range(0, len(texts), EMBED_BLOCK):
            block = texts[begin : begin + EMBED_BLOCK]
            blocks.append(
                embed_texts(
                    block,
                    model,
                    backend,
                    variant,
                    models_dir=settings.models_dir,
                    cache_root=settings.embedding_cache_dir,
                )
            )
            bar.advance(len(block))
    config = DiscoveryConfig(language=labelled.language, seed=seed)
    if merge_neighbours is not None:
        config = dataclasses.replace(config, merge_neighbours=merge_neighbours)
    with progress_bar(f"{dataset}: discovering themes", 1) as bar:
        evaluation = evaluate_discovery(
            labelled,
            np.vstack(blocks),
            model,
            config,
            phrase_encoder(model, backend, variant, settings.models_dir),
            names,
        )
        bar.advance()
    report = evaluation.as_dict()
    if as_json:
        typer.echo(json.dumps(report))
        return
    levels = {"facets": report, "themes": report.get("theme_level", {})}
    for level, scores in levels.items():
        typer.echo(level)
        for key, value in scores.items():
            if isinstance(value, float):
                typer.echo(f"{key:>16}: {value:.4f}")
            elif isinstance(value, (int, str)):
                typer.echo(f"{key:>16}: {value}")
    result = evaluation.result
    for theme in evaluation.themes[:show_themes]:
        typer.echo(f"{theme.label} ({theme.size}, {theme.majority} {theme.purity:.0%})")
        for facet in theme.facets:
            phrases = ", ".join(result.keyphrases[facet][:5])
            typer.echo(f"    {result.labels[facet]} ({result.sizes[facet]}): {phrases}")


def phrase_encoder(
    model: str, backend: str, variant: str, models_dir: Path
) -> Callable[[list[str]], np.ndarray]:
    """Short phrases → raw embeddings by the model the themes were found with, each model
    of an ensemble loaded once (phrases are not cached: they are few and change per run)."""
    import numpy as np

    from models.embedder import load_encoder
    from models.ensemble import member_names

    encoders = [
        load_encoder(m, backend, variant, models_dir=models_dir) for m in member_names(model)
    ]
    return lambda phrases: np.hstack([encoder.encode(list(phrases)) for encoder in encoders])


def evaluate_stream(
    truth: Annotated[
        Path, typer.Option(help="Ground truth of the simulated run (`*.truth.jsonl`).")
    ],
    warehouse: Annotated[
        Path | None,
        typer.Option(help="DuckDB file the run landed in (default: the settings' warehouse)."),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Score only contacts of this day and later."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Homogeneity, completeness, ARI, themes per true subject, each subject's share in its
    main theme and the share of themes (and facets) whose name names their subject."""
    import duckdb

    from pipeline.settings import Settings
    from pipeline.warehouse.theme_store import contact_assignments
    from topics.stream_eval import evaluate_stream as score

    if not truth.is_file():
        raise typer.BadParameter(f"{truth} does not exist", param_hint="--truth")
    warehouse = warehouse or Settings.load().duckdb_path
    if not warehouse.is_file():
        raise typer.BadParameter(f"{warehouse} does not exist", param_hint="--warehouse")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        day = since.date() if since else None
        assignments, names = contact_assignments(con, day)
        facets = contact_assignments(con, day, level="facet")
    finally:
        con.close()
    try:
        result = score(assignments, names, truth, facets)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--truth") from error
    if as_json:
        typer.echo(json.dumps(result.as_dict()))
        return
    report = {k: v for k, v in result.as_dict().items() if k != "subjects"}
    for key, value in report.items():
        typer.echo(f"{key:>20}: {value:.3f}" if isinstance(value, float) else f"{key:>20}: {value}")
    for spread in result.subjects:
        typer.echo(
            f"{spread.subject:>32}: {spread.contacts:5d} contacts, {spread.main_share:4.0%} in "
            f"'{spread.main_theme_name}' ({spread.main_theme}), {spread.themes} themes"
        )

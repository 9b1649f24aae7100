"""`ledenradar evaluate themes`: score theme discovery on a labelled set.

Heavy imports (torch, UMAP, BERTopic) stay inside the command so `ledenradar --help` is fast.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

# Texts per encoder call: small enough for the bar to move, large enough to batch well.
EMBED_BLOCK = 2048


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
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """NMI, ARI, Hungarian ACC, coverage and number of themes found (the true number is not given)."""
    import numpy as np

    from pipeline.progress import progress_bar
    from pipeline.settings import Settings
    from topics.datasets import load_dataset
    from topics.discovery import DiscoveryConfig
    from topics.embeddings import embed_texts
    from topics.evaluate import evaluate_discovery

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
    with progress_bar(f"{dataset}: discovering themes", 1) as bar:
        evaluation = evaluate_discovery(labelled, np.vstack(blocks), model, config)
        bar.advance()
    report = evaluation.as_dict()
    if as_json:
        typer.echo(json.dumps(report))
        return
    for key, value in report.items():
        typer.echo(f"{key:>16}: {value:.4f}" if isinstance(value, float) else f"{key:>16}: {value}")
    result = evaluation.result
    for theme in range(min(show_themes, result.n_themes)):  # themes are numbered by size
        phrases = ", ".join(result.keyphrases[theme][:5])
        typer.echo(f"[{theme}] {result.labels[theme]} ({result.sizes[theme]}): {phrases}")

"""`ledenradar sources list|run`: run any registered source against Kafka."""

from __future__ import annotations

import logging
import signal
from pathlib import Path

import typer
import yaml
from rich.console import Console
from rich.table import Table

from pipeline.kafka_security import kafka_python_config
from pipeline.kafka_topics import DLQ, ensure_topics
from pipeline.settings import Settings
from pipeline.sources import registry
from pipeline.sources.emit import Emitter
from pipeline.sources.targets import KafkaTarget, MemoryTarget

app = typer.Typer(
    help="Stream sources: connectors that put member contacts on contact.raw.",
    no_args_is_help=True,
)
console = Console()


@app.command("list")
def list_sources() -> None:
    """Show the registered sources (entry-point group `ledenradar.sources`)."""
    table = Table("name", "class", "what")
    for name, entry in sorted(registry.registered().items()):
        table.add_row(name, entry.value, registry.summary(registry.load(name)))
    console.print(table)


@app.command("run")
def run(
    name: str = typer.Argument(..., help="A name from `ledenradar sources list`."),
    config: Path = typer.Option(..., "--config", exists=True, dir_okay=False, help="YAML file."),
    bootstrap: str = typer.Option(None, help="Kafka bootstrap (default: settings)."),
    dry_run: bool = typer.Option(False, help="Validate and count, send nothing."),
) -> None:
    """Run a source until its input is exhausted (or, when following, until Ctrl-C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.load()
    try:
        source_class = registry.load(name)
    except registry.UnknownSource as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    try:
        source = source_class.from_config(yaml.safe_load(config.read_text(encoding="utf-8")) or {})
    except (TypeError, ValueError, OSError) as error:
        console.print(f"[red]{config}: invalid configuration for {name}: {error}[/red]")
        raise typer.Exit(2) from error
    if dry_run:
        target: KafkaTarget | MemoryTarget = MemoryTarget()
    else:
        address = bootstrap or settings.kafka_bootstrap
        kafka_config = kafka_python_config(settings)
        ensure_topics(address, (source.default_topic, DLQ), **kafka_config)
        target = KafkaTarget(address, wait_for_ack=source.acknowledge_each, **kafka_config)
    emitter = Emitter(
        source.name, target, topic=source.default_topic, max_text_bytes=settings.max_text_bytes
    )
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    for number in previous:
        signal.signal(number, lambda *_: source.stop())
    try:
        source.run(emitter)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        counts = emitter.close()
        if isinstance(target, KafkaTarget):
            target.close()
    console.print(
        f"{name}: {counts.emitted} emitted, {counts.duplicates} duplicates, "
        f"{counts.dead_lettered} dead letters {counts.reasons or ''}"
    )

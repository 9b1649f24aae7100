"""`ledenradar kafka start|stop|status`: the embedded development broker."""

from __future__ import annotations

import typer
from rich.console import Console

from pipeline.kafka_broker import KafkaBroker, KafkaUnavailable
from pipeline.kafka_topics import ensure_topics
from pipeline.settings import Settings

app = typer.Typer(
    help="Run a real single-node Kafka broker (KRaft) on 127.0.0.1.", no_args_is_help=True
)
console = Console()


def broker_for(settings: Settings, port: int | None = None) -> KafkaBroker:
    return KafkaBroker(
        home=settings.data_dir / "kafka",
        cache_dir=settings.cache_dir,
        port=port or settings.kafka_port,
    )


@app.command()
def start(
    port: int = typer.Option(None, help="Listener port (default: settings.kafka_port)."),
) -> None:
    """Start the broker (or reuse a running one) and create the pipeline's topics."""
    broker = broker_for(Settings.load(), port)
    try:
        seconds = broker.start()
    except KafkaUnavailable as error:
        console.print(f"[red]Kafka could not start:[/red] {error}")
        raise typer.Exit(1) from error
    created = ensure_topics(broker.bootstrap)
    console.print(
        f"Kafka answers on {broker.bootstrap} (ready after {seconds:.1f}s); created topics: {created or 'none'}"
    )


@app.command()
def stop(port: int = typer.Option(None)) -> None:
    """Stop the broker started from this data directory."""
    broker_for(Settings.load(), port).stop()
    console.print("Kafka stopped.")


@app.command()
def status(port: int = typer.Option(None)) -> None:
    """Say whether the broker runs and answers."""
    broker = broker_for(Settings.load(), port)
    if broker.is_running():
        console.print(f"Kafka runs on {broker.bootstrap} (pid {broker.pid()}).")
    else:
        console.print("Kafka is not running.")
        raise typer.Exit(3)

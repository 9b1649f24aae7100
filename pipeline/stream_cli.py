"""Commands that run the stream: `worker`, `sink`, plus `sql` and `schema` for analysts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from pipeline.settings import Settings
from pipeline.snapshot import open_snapshot

if TYPE_CHECKING:
    from pipeline.themes.discovery_encoder import CachedDiscoveryEncoder

console = Console()


def worker(loglevel: str = typer.Option("warning", help="faust log level")) -> None:
    """Run the faust worker: validate, then redact, embed and assign themes."""
    from pipeline.worker import run_worker

    run_worker(Settings.load(), loglevel)


def sink(
    idle_exit: float = typer.Option(None, help="Exit after this many idle seconds (batch use)."),
    snapshot_every: float = typer.Option(
        5.0,
        help="Seconds between analyst snapshots; longer while one snapshot takes over a third "
        "of that, as the warehouse grows.",
    ),
    themes: bool = typer.Option(
        True,
        "--themes/--no-themes",
        help="Run theme refits, births and the emergence scan by event time.",
    ),
) -> None:
    """Land enriched contacts and dead letters in DuckDB exactly once; run the theme jobs."""
    from pipeline.alerts import AlertPublisher
    from pipeline.kafka_security import kafka_python_config
    from pipeline.themes.files import ThemeFiles, theme_grouping
    from pipeline.themes.schedule import ThemeSchedule
    from pipeline.warehouse.database import open_warehouse
    from pipeline.warehouse.sink import WarehouseSink
    from pipeline.warehouse.writer import WarehouseWriter

    settings = Settings.load()
    discovery = _discovery_encoder_or_exit(settings) if themes else None
    writer = WarehouseWriter(open_warehouse(settings.duckdb_path))
    kafka_config = kafka_python_config(settings)
    publisher = AlertPublisher(settings.kafka_bootstrap, **kafka_config) if themes else None
    files = ThemeFiles(
        settings.themes_dir,
        settings.data_dir / "taxonomy.yaml",
        theme_grouping(settings.theme_tree),
        phrase_encoder=_encoder_on_first_use(settings),
        discovery_encoder=discovery,
    )
    runner = WarehouseSink(
        writer,
        settings.kafka_bootstrap,
        snapshot_path=settings.snapshot_path,
        snapshot_every=snapshot_every,
        schedule=ThemeSchedule(writer.con, files) if themes else None,
        alerts=publisher.publish if publisher else None,
        retention_days=settings.staging_retention_days,
        kafka_config=kafka_config,
    )
    runner.stop_on_signals()
    stats = runner.run(idle_exit_after=idle_exit)
    console.print(
        f"landed {stats.contacts} contacts, {stats.dead_letters} dead letters, "
        f"{stats.duplicates} duplicates, {stats.redelivered} re-deliveries skipped "
        f"in {stats.batches} batches"
    )


def sql(
    query: str = typer.Argument(..., help="SQL to run on the latest analyst snapshot."),
    as_json: bool = typer.Option(False, "--json", help="Rows as JSON lines."),
) -> None:
    """Query the read-only analyst snapshot (never blocks, never sees a lock)."""
    path = Settings.load().snapshot_path
    if not path.exists():
        console.print(f"[red]No snapshot at {path} yet:[/red] run the pipeline (make demo) first.")
        raise typer.Exit(1)
    con = open_snapshot(path)
    try:
        result = con.execute(query)
    except (duckdb.PermissionException, duckdb.InvalidInputException) as error:
        if not _refused_by_the_boundary(error):
            console.print(f"[red]SQL error:[/red] {error}")
            raise typer.Exit(2) from error
        console.print(
            "[red]Not allowed:[/red] analysts query the snapshot's tables only; reading or "
            "writing files, ATTACH, extensions and settings are switched off "
            f"(docs/warehouse.md, 'Who reads what').\n{error}"
        )
        raise typer.Exit(3) from error
    except duckdb.Error as error:
        console.print(f"[red]SQL error:[/red] {error}")
        raise typer.Exit(2) from error
    columns = [d[0] for d in result.description or []]
    rows = result.fetchall()
    if as_json:
        for row in rows:
            typer.echo(
                json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False)
            )
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def _refused_by_the_boundary(error: duckdb.Error) -> bool:
    text = str(error)
    return isinstance(error, duckdb.PermissionException) or any(
        marker in text for marker in ("configuration has been locked", "read-only mode")
    )


def export_schema(out: Path = typer.Option(Path("docs/contact_event.schema.json"))) -> None:
    """Write the ContactEvent v1 JSON Schema."""
    from pipeline.contract.schema import json_schema

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"wrote {out}")


def backfill(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="ContactEvent JSON lines."),
    snapshot: bool = typer.Option(
        True, "--snapshot/--no-snapshot", help="Publish the analysts' snapshot afterwards."
    ),
) -> None:
    """Load history from a file through the same core as the stream (no Kafka needed)."""
    from rich.progress import Progress

    from pipeline.backfill import backfill as run_backfill
    from pipeline.backfill import open_for_backfill, read_lines

    settings = Settings.load()
    _discovery_encoder_or_exit(settings)
    writer, enricher, schedule = open_for_backfill(settings)
    total = sum(1 for _ in read_lines(path))
    with Progress(console=console) as bar:
        task = bar.add_task(f"backfill {path.name}", total=total)
        report = run_backfill(
            read_lines(path),
            path.name,
            writer,
            enricher,
            schedule,
            settings.max_text_bytes,
            progress=lambda n: bar.advance(task, n),
        )
    if snapshot:
        writer.snapshot(settings.snapshot_path)
    log = report.schedule
    console.print(
        f"landed {report.contacts} contacts, {report.dead_letters} dead letters, {report.duplicates} duplicates, "
        f"{report.skipped} skipped (already landed, not encoded again); "
        f"{len(log.refits)} refits, {len(log.births)} new themes between refits, {len(log.alerts)} alerts"
    )
    discovered_by = {r.discovered_by for r in log.refits if r.discovered_by}
    if discovered_by:
        console.print(f"facets discovered by {', '.join(sorted(discovered_by))}")
    if any(r.identity_by == "words" for r in log.refits):
        console.print(
            "the stream's encoder changed since the saved themes: their ids were matched by "
            "their members' words, not by centroids (docs/models.md)"
        )


def purge(days: int = typer.Option(None, help="Retention in days (default: settings).")) -> None:
    """Erase redacted texts older than the retention (and quotes no longer allowed) from the
    warehouse file, then republish the snapshot. The running sink also purges daily."""
    from pipeline.warehouse.database import open_warehouse
    from pipeline.warehouse.retention import purge_staging
    from pipeline.warehouse.writer import WarehouseWriter

    settings = Settings.load()
    try:
        con = open_warehouse(settings.duckdb_path)
    except duckdb.IOException as error:
        console.print(
            "[red]The warehouse is in use by the sink[/red], which purges daily by itself."
        )
        raise typer.Exit(1) from error
    deleted = purge_staging(con, days or settings.staging_retention_days)
    snapshot = settings.snapshot_path
    if snapshot.exists():  # quotes of erased texts must leave the analysts' copy too
        WarehouseWriter(con).snapshot(snapshot)
    con.close()
    console.print(
        f"erased {deleted} redacted texts older than {days or settings.staging_retention_days} days"
    )


def _discovery_encoder_or_exit(settings: Settings) -> CachedDiscoveryEncoder | None:
    """The refit's discovery encoder, checked at start: a model named but not there stops
    the command with what to do, not a refit weeks later."""
    from pipeline.backfill import discovery_encoder_from_settings
    from pipeline.themes.discovery_encoder import DiscoveryModelUnavailable

    try:
        return discovery_encoder_from_settings(settings)
    except DiscoveryModelUnavailable as error:
        console.print(f"[red]Cannot start:[/red] {error}")
        raise typer.Exit(2) from error


def _encoder_on_first_use(settings: Settings) -> Callable[[list[str]], np.ndarray]:
    """The settings' encoder for theme names, loaded at the first refit, not at start: the
    sink lands contacts without it, and a refit comes once every few weeks."""
    from functools import cache

    from models.embedder import load_encoder
    from models.encoder import TextEncoder

    @cache
    def encoder() -> TextEncoder:
        return load_encoder(
            settings.embedding_model,
            settings.embedding_backend,
            settings.embedding_variant,
            threads=settings.encode_threads or None,
            models_dir=settings.models_dir,
        )

    return lambda phrases: encoder().encode(phrases)

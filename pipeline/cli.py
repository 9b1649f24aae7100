"""The `ledenradar` command line: one Typer app that mounts each package's commands.

Each package owns its commands in its own module and keeps heavy imports (torch,
BERTopic) inside the command functions, so `ledenradar --help` stays fast.
"""

from __future__ import annotations

import typer

from dashboards import cli as dashboards_cli
from pipeline import digest_eval, kafka_cli, models_cli, stream_cli
from pipeline.redaction import cli as redaction_cli
from pipeline.simulator import cli as simulator_cli
from pipeline.sources import cli as sources_cli
from pipeline.sources.call_audio import cli as call_audio_cli
from pipeline.warehouse.database import restrict_new_files
from topics import cli as topics_cli
from topics import emergence_cli, taxonomy_cli

app = typer.Typer(
    help="Ledenradar: member-contact insight for a Dutch trade union.", no_args_is_help=True
)
evaluate_app = typer.Typer(help="Measure quality against labelled data.", no_args_is_help=True)


@app.callback()
def private_files() -> None:
    """Ledenradar: member-contact insight for a Dutch trade union."""
    # Warehouse, snapshot, taxonomy, theme models, users: nothing is for other users.
    restrict_new_files()


# Running the pipeline
app.add_typer(kafka_cli.app, name="kafka")
app.command("worker")(stream_cli.worker)
app.command("sink")(stream_cli.sink)
app.command("backfill")(stream_cli.backfill)
app.command("purge")(stream_cli.purge)
app.add_typer(sources_cli.app, name="sources")
app.command("simulate")(simulator_cli.simulate)
app.command("redact")(redaction_cli.redact)
app.command("transcribe")(call_audio_cli.transcribe)
app.add_typer(models_cli.app, name="models")

# Reading and curating
app.command("sql")(stream_cli.sql)
app.command("export-schema")(stream_cli.export_schema)
app.add_typer(taxonomy_cli.app, name="themes")
app.command("digest")(dashboards_cli.digest)
app.command("dossier")(dashboards_cli.dossier)
app.add_typer(dashboards_cli.dashboard_app, name="dashboard")
app.command("mail-alerts")(dashboards_cli.mail_alerts)

# Measuring quality
app.add_typer(evaluate_app, name="evaluate")
evaluate_app.command("redaction")(redaction_cli.evaluate_redaction)
evaluate_app.command("themes")(topics_cli.evaluate_themes)
evaluate_app.command("stream")(topics_cli.evaluate_stream)
evaluate_app.command("emergence")(emergence_cli.evaluate_emergence)
evaluate_app.command("alerts")(emergence_cli.evaluate_alerts)
evaluate_app.command("digest")(digest_eval.evaluate_digest)

"""The `ledenradar` command line: one Typer app that mounts each package's commands.

Each package owns its commands in its own module and keeps heavy imports (torch,
BERTopic) inside the command functions, so `ledenradar --help` stays fast.
"""

from __future__ import annotations

import typer

from pipeline import kafka_cli

app = typer.Typer(
    help="Ledenradar: member-contact insight for a Dutch trade union.", no_args_is_help=True
)
evaluate_app = typer.Typer(help="Measure quality against labelled data.", no_args_is_help=True)

app.add_typer(kafka_cli.app, name="kafka")
app.add_typer(evaluate_app, name="evaluate")

# Package commands are mounted below, one block per package.

from topics import taxonomy_cli  # noqa: E402

app.add_typer(taxonomy_cli.app, name="themes")
from pipeline import stream_cli  # noqa: E402

app.command("worker")(stream_cli.worker)
app.command("sink")(stream_cli.sink)
app.command("sql")(stream_cli.sql)
app.command("export-schema")(stream_cli.export_schema)
from models import cli as models_cli  # noqa: E402

app.add_typer(models_cli.app, name="models")

from pipeline.redaction import cli as redaction_cli  # noqa: E402

app.command("redact")(redaction_cli.redact)
evaluate_app.command("redaction")(redaction_cli.evaluate_redaction)

from pipeline.simulator import cli as simulator_cli  # noqa: E402

app.command("simulate")(simulator_cli.simulate)
app.command("backfill")(stream_cli.backfill)

from pipeline.sources import cli as sources_cli  # noqa: E402

app.add_typer(sources_cli.app, name="sources")

from dashboards import cli as dashboards_cli  # noqa: E402

app.command("digest")(dashboards_cli.digest)
app.add_typer(dashboards_cli.dashboard_app, name="dashboard")
app.command("mail-alerts")(dashboards_cli.mail_alerts)

from topics import emergence_cli  # noqa: E402

evaluate_app.command("emergence")(emergence_cli.evaluate_emergence)
app.command("purge")(stream_cli.purge)

from topics import cli as topics_cli  # noqa: E402

evaluate_app.command("themes")(topics_cli.evaluate_themes)

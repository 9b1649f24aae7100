"""`ledenradar digest` and `ledenradar dashboard`: the weekly digest and the web dashboard."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from pipeline.contract.vocab import PROVINCES, SECTORS, province_code
from pipeline.settings import Settings
from pipeline.snapshot import open_snapshot

console = Console()
dashboard_app = typer.Typer(help="Het dashboard voor bestuurders.", invoke_without_command=True)


def _snapshot(path: Path | None) -> Path:
    found = path or Settings.load().snapshot_path
    if not found.exists():
        console.print(f"[red]Geen snapshot op {found}:[/red] draai eerst de pijplijn.")
        raise typer.Exit(1)
    return found


def digest(
    week: str = typer.Option(None, help="ISO week, e.g. 2026-W47 (default: last full week)."),
    province: str = typer.Option(
        None,
        "--province",
        "--region",  # deprecated name, for scripts written before the rename
        help="Province code or name, e.g. NL-LI or Limburg (--region: deprecated name).",
    ),
    sector: str = typer.Option(None, help=f"Sector: {', '.join(SECTORS)}."),
    out: Path = typer.Option(Path("digest"), help="Folder for digest.html, .md and .json."),
    snapshot: Path = typer.Option(None, help="Analysts' snapshot (default from settings)."),
) -> None:
    """Write the weekly digest (HTML, Markdown, JSON) for union officials."""
    from dashboards.digest import Scope, build_digest
    from dashboards.dutch import IsoWeek
    from dashboards.render import write_digest

    try:
        iso = IsoWeek.parse(week) if week else IsoWeek.of(date.today()).shift(-1)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    code = province_code(province) if province else None
    if province and code not in PROVINCES:
        console.print(f"[red]Onbekende provincie:[/red] {province}")
        raise typer.Exit(2)
    if sector and sector not in SECTORS:
        console.print(f"[red]Onbekende sector:[/red] {sector} (kies uit {', '.join(SECTORS)})")
        raise typer.Exit(2)
    con = open_snapshot(_snapshot(snapshot))
    try:
        result = build_digest(con, iso, Scope(code, sector))
    finally:
        con.close()
    for path in write_digest(result, out):
        console.print(f"geschreven: {path}")


def dossier(
    theme: str = typer.Argument(..., help="Theme id, e.g. T0010."),
    week: str = typer.Option(None, help="ISO week, e.g. 2026-W47 (default: last week with data)."),
    pdf: Path = typer.Option(None, help="Write the dossier as PDF (printed by headless Chromium)."),
    html: Path = typer.Option(None, help="Write the dossier as self-contained HTML."),
    snapshot: Path = typer.Option(None, help="Analysts' snapshot (default from settings)."),
) -> None:
    """Write a theme's press dossier (with anonymised quotes) as PDF and/or HTML."""
    from dashboards.curation import Curation
    from dashboards.dossier import UnknownTheme, render_dossier, theme_context
    from dashboards.dutch import IsoWeek
    from dashboards.explore import latest_week
    from dashboards.pdf import PdfError, html_to_pdf
    from topics.taxonomy import TaxonomyFile

    if pdf is None and html is None:
        console.print("[red]Geef --pdf en/of --html op.[/red]")
        raise typer.Exit(2)
    curation = Curation.load(TaxonomyFile(Settings.load().data_dir / "taxonomy.yaml"))
    con = open_snapshot(_snapshot(snapshot))
    try:
        iso = IsoWeek.parse(week) if week else latest_week(con)
        if iso is None:
            raise ValueError("de snapshot bevat nog geen weken")
        page = render_dossier(theme_context(con, theme, iso, True, curation))
    except (ValueError, UnknownTheme) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    finally:
        con.close()
    if html:
        html.write_text(page, encoding="utf-8")
        console.print(f"geschreven: {html}")
    if pdf:
        try:
            pdf.write_bytes(html_to_pdf(page))
        except PdfError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from error
        console.print(f"geschreven: {pdf}")


@dashboard_app.callback()
def dashboard(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8050, help="Port to listen on."),
    snapshot: Path = typer.Option(None, help="Analysts' snapshot (default from settings)."),
) -> None:
    """Start the dashboard (read-only on the analysts' snapshot)."""
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from dashboards.web import DashboardConfig, create_app

    settings = Settings.load()
    config = DashboardConfig.from_settings(settings, _snapshot(snapshot))
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")


@dashboard_app.command("adduser")
def adduser(
    name: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., help="official, analyst or curator."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="Password."
    ),
    users: Path = typer.Option(None, help="Users file (default <data_dir>/dashboard_users.json)."),
) -> None:
    """Add or update a dashboard user; the password is stored as an scrypt hash."""
    from dashboards.auth import UserStore

    store = UserStore(users or Settings.load().data_dir / "dashboard_users.json")
    try:
        store.set(name, password, role)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    console.print(f"gebruiker {name} ({role}) opgeslagen in {store.path}")


def mail_alerts(
    to: list[str] = typer.Option(..., "--to", help="Recipient (repeatable)."),
    sender: str = typer.Option("ledenradar@localhost", "--from", help="Sender address."),
    smtp_host: str = typer.Option("127.0.0.1", help="SMTP server."),
    smtp_port: int = typer.Option(25, help="SMTP port."),
    starttls: bool = typer.Option(
        False, help="Upgrade the connection with STARTTLS (certificate verified)."
    ),
    smtp_ca_file: Path = typer.Option(
        None,
        envvar="LEDENRADAR_SMTP_CA_FILE",
        help="PEM file of a private CA that signed the SMTP server's certificate.",
    ),
    smtp_user: str = typer.Option(None, envvar="LEDENRADAR_SMTP_USER", help="SMTP login."),
    smtp_password: str = typer.Option(
        None, envvar="LEDENRADAR_SMTP_PASSWORD", help="SMTP password."
    ),
    days: int = typer.Option(7, help="Look back this many days."),
    dashboard_url: str = typer.Option(None, help="Dashboard address for links in the mail."),
    snapshot: Path = typer.Option(None, help="Analysts' snapshot (default from settings)."),
) -> None:
    """E-mail new and rising themes that were not mailed before."""
    import smtplib
    from datetime import timedelta

    from dashboards.alerts_mail import SentLog, SmtpServer
    from dashboards.alerts_mail import mail_alerts as send
    from pipeline.tls import TlsError

    settings = Settings.load()
    con = open_snapshot(_snapshot(snapshot))
    try:
        sent = send(
            con,
            SmtpServer(smtp_host, smtp_port, starttls, smtp_user, smtp_password, smtp_ca_file),
            sender,
            to,
            date.today() - timedelta(days=days),
            SentLog(settings.data_dir / "alerts_mailed.json"),
            dashboard_url,
        )
    except (ValueError, OSError, smtplib.SMTPException, TlsError) as error:
        # Nothing was recorded as sent: the next run tries these alerts again.
        console.print(f"[red]mail niet verstuurd:[/red] {error}")
        raise typer.Exit(1) from error
    finally:
        con.close()
    console.print(f"{len(sent)} signalen gemaild" if sent else "geen nieuwe signalen")

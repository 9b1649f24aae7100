"""`ledenradar themes ...`: read and change the theme taxonomy; every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from pipeline.settings import Settings
from topics.taxonomy import Taxonomy, TaxonomyError, TaxonomyFile

app = typer.Typer(help="Thema-taxonomie bekijken en beheren (met auditlog).", no_args_is_help=True)
console = Console()

TaxonomyPath = typer.Option(
    None, "--taxonomy", help="Taxonomy YAML (default <data_dir>/taxonomy.yaml)."
)
Reason = typer.Option(..., "--reason", help="Why: recorded in the audit log.")
By = typer.Option(None, "--by", help="Who (default $USER).")
Seeds = typer.Option(None, "--seed", help="Seed phrase (repeatable).")


def _file(path: Path | None) -> TaxonomyFile:
    return TaxonomyFile(path or Settings.load().data_dir / "taxonomy.yaml")


def _fail(error: TaxonomyError) -> None:
    console.print(f"[red]Fout:[/red] {error}")
    raise typer.Exit(code=1)


def _change(
    file: TaxonomyFile,
    action: str,
    change: Callable[[Taxonomy], tuple[list[str], str]],
    reason: str,
    by: str | None,
) -> None:
    try:
        entry = file.apply(action, change, reason=reason, by=by)
    except TaxonomyError as error:
        _fail(error)
        return
    console.print(f"{entry.detail}  [dim]({entry.by}, {entry.at})[/dim]")


@app.command("list")
def list_themes(
    all_themes: bool = typer.Option(False, "--all", help="Also merged and retired themes."),
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """List the themes."""
    try:
        loaded = _file(taxonomy).load()
    except TaxonomyError as error:
        _fail(error)
        return
    table = Table("id", "naam", "status", "vast", "zaadwoorden")
    for theme in loaded.themes.values():
        if theme.is_active or all_themes:
            status = theme.status if theme.merged_into is None else f"→ {theme.merged_into}"
            table.add_row(
                theme.id,
                theme.name,
                status,
                "ja" if theme.pinned else "",
                ", ".join(theme.seed_phrases[:4]),
            )
    console.print(table)


@app.command("show")
def show_theme(theme_id: str, taxonomy: Path | None = TaxonomyPath) -> None:
    """Show one theme with its audit history."""
    file = _file(taxonomy)
    try:
        theme = file.load().get(theme_id)
    except TaxonomyError as error:
        _fail(error)
        return
    console.print(
        f"[bold]{theme.id} {theme.name}[/bold]  ({theme.status}{', vastgezet' if theme.pinned else ''})"
    )
    if theme.merged_into:
        console.print(f"Samengevoegd in: {theme.merged_into}")
    console.print(f"Omschrijving: {theme.description}")
    console.print(f"Zaadwoorden: {', '.join(theme.seed_phrases)}")
    if theme.former_names:
        console.print(f"Eerdere namen: {', '.join(theme.former_names)}")
    for facet in file.load().facets.values():
        if facet.theme_id == theme_id:
            console.print(
                f"  facet {facet.id} {facet.name}{' (geplaatst)' if facet.placed else ''}"
            )
    for entry in file.audit(theme_id):
        console.print(f"  {entry.at} {entry.by}: {entry.detail} — {entry.reason}")


@app.command("add")
def add_theme(
    name: str,
    description: str = typer.Option("", "--description"),
    seed: list[str] | None = Seeds,
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Add a guided theme."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        theme = t.add(name, description, seed or [])
        return [theme.id], f"{theme.id} toegevoegd: '{theme.name}'"

    _change(_file(taxonomy), "add", change, reason, by)


@app.command("rename")
def rename_theme(
    theme_id: str,
    new_name: str,
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Give a theme a new Dutch name; the id stays."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        old = t.get(theme_id).name
        t.rename(theme_id, new_name)
        return [theme_id], f"{theme_id} hernoemd: '{old}' → '{t.get(theme_id).name}'"

    _change(_file(taxonomy), "rename", change, reason, by)


@app.command("merge")
def merge_themes(
    source_ids: list[str],
    into: str = typer.Option(..., "--into", help="Theme that absorbs the sources."),
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Merge one or more themes into another."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        t.merge(source_ids, into)
        return [*source_ids, into], f"{', '.join(source_ids)} samengevoegd in {into}"

    _change(_file(taxonomy), "merge", change, reason, by)


@app.command("pin")
def pin_theme(
    theme_id: str,
    unpin: bool = typer.Option(False, "--unpin", help="Release the pin instead."),
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Pin a theme so refits keep its id (or release it with --unpin)."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        t.set_pinned(theme_id, not unpin)
        return [theme_id], f"{theme_id} {'losgemaakt' if unpin else 'vastgezet'}"

    _change(_file(taxonomy), "unpin" if unpin else "pin", change, reason, by)


@app.command("retire")
def retire_theme(
    theme_id: str,
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Retire a theme that no longer occurs."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        t.retire(theme_id)
        return [theme_id], f"{theme_id} opgeheven"

    _change(_file(taxonomy), "retire", change, reason, by)


@app.command("facets")
def list_facets(
    theme_id: str | None = typer.Argument(None, help="Only this theme's facets."),
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """List the facets (variations beneath a theme)."""
    try:
        loaded = _file(taxonomy).load()
    except TaxonomyError as error:
        _fail(error)
        return
    table = Table("facet", "naam", "thema", "geplaatst")
    for facet in loaded.facets.values():
        if theme_id in (None, facet.theme_id):
            theme = loaded.themes.get(facet.theme_id)
            table.add_row(
                facet.id,
                facet.name,
                f"{facet.theme_id} {theme.name if theme else ''}",
                "ja" if facet.placed else "",
            )
    console.print(table)


@app.command("rename-facet")
def rename_facet(
    facet_id: str,
    new_name: str,
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Give a facet a new Dutch name; refits keep it."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        old = t.facet(facet_id).name
        facet = t.rename_facet(facet_id, new_name)
        return [facet_id, facet.theme_id], f"{facet_id} hernoemd: '{old}' → '{facet.name}'"

    _change(_file(taxonomy), "rename-facet", change, reason, by)


@app.command("move-facet")
def move_facet(
    facet_id: str,
    to: str = typer.Option(..., "--to", help="Theme the facet belongs to from now on."),
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Move a facet to another theme; refits keep it there."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        old = t.facet(facet_id).theme_id
        t.move_facet(facet_id, to)
        return [facet_id, old, to], f"{facet_id} verplaatst: {old} → {to}"

    _change(_file(taxonomy), "move-facet", change, reason, by)


@app.command("promote-facet")
def promote_facet(
    facet_id: str,
    name: str | None = typer.Option(None, "--name", help="Name of the new theme."),
    reason: str = Reason,
    by: str | None = By,
    taxonomy: Path | None = TaxonomyPath,
) -> None:
    """Make a facet a theme of its own."""

    def change(t: Taxonomy) -> tuple[list[str], str]:
        old = t.facet(facet_id).theme_id
        theme = t.promote_facet(facet_id, name)
        return [
            facet_id,
            old,
            theme.id,
        ], f"{facet_id} uit {old} wordt thema {theme.id} '{theme.name}'"

    _change(_file(taxonomy), "promote-facet", change, reason, by)

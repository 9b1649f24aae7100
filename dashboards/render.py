"""The digest as a self-contained HTML page (inline CSS and SVG), Markdown and JSON."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from dashboards import charts
from dashboards.digest import Digest, Emerging
from dashboards.dutch import SUPPRESSED, count_text, decimal_text
from pipeline.disclosure import MIN_CELL_SIZE, NOISE_BOUND

if TYPE_CHECKING:
    from dashboards.ranges import RangeSum

METHODS = (
    "De cijfers tellen contacten van leden met de ledenservice en de juridische lijn "
    "(telefoon, e-mail, chat, webformulier en brief). Elk contact krijgt automatisch één "
    "thema op basis van de tekst; persoonsgegevens worden vóór die stap verwijderd. "
    "‘Nieuw of sterk stijgend’ betekent: duidelijk meer contacten dan verwacht op basis van "
    "de weken ervoor, getoetst per provincie en sector, met een correctie voor het aantal "
    f"toetsen. Aantallen onder de {MIN_CELL_SIZE} tonen we niet (‘{SUPPRESSED}’), en elk "
    f"aantal kan tot {NOISE_BOUND} afwijken van het echte aantal, zodat niemand herkenbaar is, "
    "ook niet door aantallen van elkaar af te trekken; een totaal is daarom niet altijd precies "
    "de som van de delen. Citaten zijn geanonimiseerd en ingekort. De "
    "vergelijking is met het gemiddelde van de vorige 4 weken."
)


# Characters that start inline Markdown anywhere (emphasis, code, links, images, autolinks,
# raw HTML, entities, table cells, headings) and, at the start of a line, a block.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|&~#])")
_MD_BLOCK_START = re.compile(r"^(\d*)([-+=.)])")


def md(text: object) -> str:
    """Data as literal Markdown text: one line, every markup character escaped.

    Theme names, labels and quotes come from data (curators, members), so none of them may
    turn into a link, emphasis, HTML, a table cell or a new block in `digest.md`.
    """
    line = " ".join(str(text).split())
    line = _MD_INLINE.sub(r"\\\1", line)
    return _MD_BLOCK_START.sub(r"\1\\\2", line)


def count_cell(contacts: int | None) -> Markup:
    """Every count in HTML goes through here, so tests can find and check each one."""
    value = "" if contacts is None else str(contacts)
    text = escape(count_text(contacts))
    return Markup(f'<span class="count" data-count="{value}">{text}</span>')


def sum_cell(total: RangeSum) -> Markup:
    """A sum of published weekly cells (the overview's own range): marked apart from
    `count_cell`, because it is no cell of a mart; `data-left-out` counts the weeks under 5."""
    value = "" if total.value is None else str(total.value)
    return Markup(
        f'<span class="sum" data-sum="{value}" data-left-out="{total.left_out}">'
        f"{escape(total.text)}</span>"
    )


def url(path: str, **params: object) -> str:
    """A link with its query string encoded; templates escape it like any other text."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{path}?{query}" if query else path


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dashboards", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["count"] = count_cell
    env.filters["count_text"] = count_text
    env.filters["sum"] = sum_cell
    env.filters["decimal"] = decimal_text
    env.filters["triples"] = lambda cells: [(c.key, c.label, c.contacts) for c in cells]
    env.filters["pairs"] = lambda cells: [(c.label, c.contacts) for c in cells]
    env.globals.update(charts=charts, methods=METHODS, url=url)
    return env


def render_html(digest: Digest) -> str:
    return environment().get_template("digest.html.j2").render(d=digest)


def render_markdown(digest: Digest) -> str:
    """digest.md: every value from data goes through `md`, so it stays literal text."""

    def cells(items: list) -> str:
        return ", ".join(f"{md(c.label)} {md(count_text(c.contacts))}" for c in items)

    lines = [
        f"# Waar bellen leden deze week over? — {md(digest.week_label)}",
        "",
        f"Gebied: {md(digest.scope_label)}. Totaal: {md(count_text(digest.total))} contacten "
        f"({md(digest.total_change)} t.o.v. gemiddelde van de vorige 4 weken).",
        "",
        "## Nieuw of sterk stijgend",
        "",
    ]
    if not digest.emerging:
        lines += ["Deze week geen nieuwe of sterk stijgende thema's.", ""]
    for item in digest.emerging:
        lines += [
            f"### {md(item.name)} — {md(item.kind_label.lower())}, {md(item.since_label)}",
            "",
            f"- Contacten deze week: {md(count_text(item.contacts))}",
            f"- Signaal: {md(_signal(item))}",
            f"- Waar: {', '.join(md(w) for w in item.where)}",
        ]
        top = [c for c in item.provinces if c.contacts is not None]
        if top:
            lines.append(f"- Per provincie: {cells(top)}")
        sectors = [c for c in item.sectors if c.contacts is not None]
        if sectors:
            lines.append(f"- Per sector: {cells(sectors)}")
        lines.append("")
        for quote in item.quotes:
            lines += [f"> {md(quote)}", ""]
        if item.quote_note:
            lines += [f"Geen citaat: {md(item.quote_note)}.", ""]
    lines += [
        "## Meest genoemde thema's",
        "",
        "| Thema | Contacten | t.o.v. gemiddelde van de vorige 4 weken |",
        "|---|---:|---|",
    ]
    lines += [
        f"| {md(t.name)}{' — ' + md(t.facet_line) if t.facet_line else ''} "
        f"| {md(count_text(t.contacts))} | {md(t.change)} |"
        for t in digest.top_themes
    ]
    lines += ["", "## Hoe kwamen leden binnen?", ""]
    lines += [
        f"- {md(c.label)}: {md(count_text(c.contacts))}"
        for c in (*digest.channels, *digest.service_lines)
    ]
    lines += ["", "## Hoe komen deze cijfers tot stand?", "", md(METHODS), ""]
    return "\n".join(lines)


def _signal(item: Emerging) -> str:
    top = item.headline
    return f"{top.where}: {top.count_sentence}" if top else ""


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def render_json(digest: Digest) -> str:
    data = asdict(digest)
    data["methods"] = METHODS
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2)


def write_digest(digest: Digest, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        ("digest.html", render_html(digest)),
        ("digest.md", render_markdown(digest)),
        ("digest.json", render_json(digest)),
    ):
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

"""digest.md keeps data literal: a theme name, label or quote never becomes markup."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest
from fixtures.warehouse import build_warehouse
from markdown_it import MarkdownIt

from dashboards.digest import build_digest
from dashboards.disclosure import Cell
from dashboards.dutch import IsoWeek
from dashboards.render import md, render_markdown

EVIL = "*x* [link](http://a) <b>"
BLOCKS = "# kop\n- lijst\n1. punt | cel > citaat"


@pytest.fixture(scope="module")
def digest(tmp_path_factory: pytest.TempPathFactory):
    snapshot = build_warehouse(tmp_path_factory.mktemp("warehouse"))
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return build_digest(con, IsoWeek.parse("2026-W47"))
    finally:
        con.close()


def poisoned(digest):
    """The week's digest with markup in every place that data reaches."""
    cell = Cell("evil", EVIL, 7)
    assert digest.emerging and digest.top_themes
    emerging = [
        dataclasses.replace(
            e,
            name=EVIL,
            where=[EVIL],
            provinces=[cell],
            sectors=[cell],
            quotes=[EVIL, BLOCKS],
            quote_note=EVIL,
        )
        for e in digest.emerging
    ]
    top = [dataclasses.replace(t, name=f"{EVIL} | {BLOCKS}") for t in digest.top_themes]
    return dataclasses.replace(
        digest,
        scope_label=EVIL,
        emerging=emerging,
        top_themes=top,
        channels=[cell] * len(digest.channels),
        service_lines=[cell] * len(digest.service_lines),
    )


def html_of(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markup_in_data_stays_text(digest):
    clean = html_of(render_markdown(digest))
    bad = poisoned(digest)
    html = html_of(render_markdown(bad))
    for tag in ("<a ", "<em>", "<strong>", "<b>", "<img", "<code>", "<ol", "<h4"):
        assert tag not in html, tag
    # The literal text is there, escaped for HTML by the renderer, not interpreted.
    assert "*x* [link](http://a) &lt;b&gt;" in html
    # Quotes and names add no headings, lists or table cells of their own.
    for tag in ("<h1>", "<h2>", "<h3>", "<li>", "<tr>", "<td"):
        assert html.count(tag) == clean.count(tag), tag
    quotes = sum(len(e.quotes) for e in bad.emerging)
    assert html.count("<blockquote>") == quotes


def test_every_table_row_keeps_three_cells(digest):
    html = html_of(render_markdown(poisoned(digest)))
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.split("<tr>")[1:]
    assert len(rows) == len(digest.top_themes)
    assert all(row.count("<td") == 3 for row in rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EVIL, r"\*x\* \[link\](http://a) \<b\>"),
        ("1. punt", r"1\. punt"),
        ("- lijst", r"\- lijst"),
        ("regel\neen", "regel een"),
        ("a|b & c_d", r"a\|b \& c\_d"),
        ("Noord-Holland, 10,2", "Noord-Holland, 10,2"),  # ordinary text stays readable
    ],
)
def test_md_escapes(text, expected):
    assert md(text) == expected

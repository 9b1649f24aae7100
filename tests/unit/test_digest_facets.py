"""The digest's top themes are themes, with their facets as one line beneath each."""

import json
import re
from pathlib import Path

import duckdb
import pytest
from fixtures.warehouse import FACETED_THEME, FACETS, build_warehouse

from dashboards.digest import Scope, build_digest
from dashboards.dutch import IsoWeek
from dashboards.render import render_html, render_json, render_markdown

WEEK = IsoWeek.parse("2026-W47")


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    snapshot: Path = build_warehouse(tmp_path_factory.mktemp("facets"))
    with duckdb.connect(str(snapshot), read_only=True) as connection:
        yield connection


def _published(con, **where) -> dict[str, int]:
    province, sector = where.get("province"), where.get("sector")
    return dict(
        con.execute(
            "SELECT facet_id, contacts FROM marts.facet_week_drilldown WHERE iso_week = ?"
            " AND province IS NOT DISTINCT FROM ? AND sector IS NOT DISTINCT FROM ?"
            " AND channel IS NULL AND service_line IS NULL",
            [str(WEEK), province, sector],
        ).fetchall()
    )


def test_a_theme_of_several_facets_lists_them_in_one_line_most_first(con):
    digest = build_digest(con, WEEK)
    row = next(t for t in digest.top_themes if t.theme_id == FACETED_THEME)
    published = _published(con)
    assert {c.key for c in row.facets} == {"F0011", "F0012", "F0013"}
    assert [c.contacts for c in row.facets] == sorted(
        (c.contacts for c in row.facets), reverse=True
    )
    assert all(published[c.key] == c.contacts for c in row.facets)  # the mart's numbers, as is
    assert row.facet_line.startswith("o.a. ")
    for cell in row.facets:
        assert f"{FACETS[cell.key][1]} ({cell.contacts})" in row.facet_line
    assert "\n" not in row.facet_line


def test_a_facet_under_five_in_the_week_is_not_named(con):
    digest = build_digest(con, WEEK)
    row = next(t for t in digest.top_themes if t.theme_id == "T0002")
    assert [c.key for c in row.facets] == ["F0021"]
    assert FACETS["F0022"][1] not in render_markdown(digest) + render_html(digest)
    assert all(c.contacts >= 5 for t in digest.top_themes for c in t.facets)


def test_a_theme_of_one_facet_has_no_facet_line(con):
    digest = build_digest(con, WEEK)
    row = next(t for t in digest.top_themes if t.theme_id == "T0003")
    assert row.facets == [] and row.facet_line == ""


def test_a_scoped_digest_counts_facets_in_its_scope(con):
    digest = build_digest(con, WEEK, Scope("NL-NH"))
    published = _published(con, province="NL-NH")
    shown = {c.key: c.contacts for t in digest.top_themes for c in t.facets}
    assert shown and all(published[k] == n for k, n in shown.items())
    national = {c.key: c.contacts for t in build_digest(con, WEEK).top_themes for c in t.facets}
    assert shown != {k: national[k] for k in shown}


def test_every_output_carries_the_facet_line(con):
    digest = build_digest(con, WEEK)
    row = next(t for t in digest.top_themes if t.theme_id == FACETED_THEME)
    markdown = render_markdown(digest)
    assert f"| {row.name} — o.a. " in markdown
    line = next(t for t in markdown.splitlines() if t.startswith(f"| {row.name}"))
    assert all(int(n) >= 5 for n in re.findall(r"\((\d+)\)", line))
    html = render_html(digest)
    facets_html = re.search(r'<span class="facets muted">(.*?)</span></td>', html)[1]
    assert re.findall(r'data-count="(\d+)"', facets_html) == [str(c.contacts) for c in row.facets]
    data = json.loads(render_json(digest))
    top = next(t for t in data["top_themes"] if t["theme_id"] == FACETED_THEME)
    assert top["facet_line"] == row.facet_line and len(top["facets"]) == 3

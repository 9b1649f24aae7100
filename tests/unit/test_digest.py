import json
import re
from pathlib import Path

import duckdb
import pytest
from fixtures.warehouse import (
    PLANTED_BSN,
    PLANTED_NAME,
    PLANTED_PHONE,
    PLANTED_THEME,
    QUOTES,
    TINY_THEME,
    build_warehouse,
)

from dashboards.digest import (
    QUOTE_WEEKS_BACK,
    TOO_FEW_TO_QUOTE,
    Digest,
    Scope,
    build_digest,
    change_text,
    theme_quotes,
)
from dashboards.dutch import IsoWeek
from dashboards.render import render_html, render_json, render_markdown, write_digest


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture
def con(snapshot: Path):
    connection = duckdb.connect(str(snapshot), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def outputs(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    con = duckdb.connect(str(snapshot), read_only=True)
    digest = build_digest(con, IsoWeek.parse("2026-W47"))
    con.close()
    out = tmp_path_factory.mktemp("digest")
    write_digest(digest, out)
    return {p.suffix: p.read_text(encoding="utf-8") for p in out.iterdir()}


def test_week_label_is_plain_dutch():
    assert IsoWeek.parse("2026-W47").label == "week 47 (16–22 november 2026)"
    assert IsoWeek.parse("2026-W49").label == "week 49 (30 november – 6 december 2026)"
    assert IsoWeek.parse("2026-W53").label == "week 53 (28 december 2026 – 3 januari 2027)"
    with pytest.raises(ValueError):
        IsoWeek.parse("2025-W53")


def test_change_against_four_week_average():
    assert change_text(30, [20, 20, 20, 20]) == (20.0, "+50%")
    assert change_text(10, [None, 0, None, 0]) == (None, "nieuw (eerder minder dan 5 per week)")
    assert change_text(10, [8, None, 9, 9]) == (None, "niet te berekenen")
    assert change_text(None, [8, 8, 8, 8]) == (8.0, "gedaald (nu minder dan 5)")


def test_planted_theme_is_named_as_new_with_where_and_since(con):
    digest = build_digest(con, IsoWeek.parse("2026-W47"))
    planted = next(e for e in digest.emerging if e.theme_id == PLANTED_THEME[0])
    assert planted.name == PLANTED_THEME[1]
    assert planted.kind_label == "Nieuw thema"
    # The headline is the best-ranked segment on the latest alert day (Limburg on the 22nd,
    # over 7 days); its episode began with the 1-day alert of the 18th, not at the onset.
    assert planted.since_label == "sinds 18 november 2026"
    assert (planted.headline.where, planted.headline.window_days) == ("Limburg", 7)
    assert "Limburg" in planted.where
    assert {c.key: c.contacts for c in planted.provinces}["NL-LI"] >= 5
    assert planted.quotes == QUOTES[PLANTED_THEME[0]]
    # The week before the alerts fired the theme was not yet flagged.
    earlier = build_digest(con, IsoWeek.parse("2026-W45"))
    assert all(e.theme_id != PLANTED_THEME[0] for e in earlier.emerging)


def test_top_themes_never_list_a_suppressed_theme(con):
    digest = build_digest(con, IsoWeek.parse("2026-W47"))
    assert TINY_THEME[0] not in {t.theme_id for t in digest.top_themes}
    assert digest.top_themes[0].theme_id == PLANTED_THEME[0]
    assert all(t.contacts is not None and t.contacts >= 5 for t in digest.top_themes)
    assert {c.key: c.contacts for c in digest.channels}["letter"] is None


def test_scope_limits_counts_and_alerts(con):
    limburg = build_digest(con, IsoWeek.parse("2026-W47"), Scope("NL-LI", "transport"))
    assert [t.theme_id for t in limburg.top_themes] == [PLANTED_THEME[0]]
    assert [e.theme_id for e in limburg.emerging] == [PLANTED_THEME[0]]
    assert limburg.scope_label == "Limburg, sector Transport en logistiek"
    holland = build_digest(con, IsoWeek.parse("2026-W47"), Scope("NL-NH"))
    # T0002's provincial surge, and T0001's national new facet (T0001 has 5+ contacts here).
    assert [e.theme_id for e in holland.emerging] == ["T0001", "T0002"]
    limburg_only = build_digest(con, IsoWeek.parse("2026-W47"), Scope("NL-LI"))
    assert limburg_only.emerging[0].where[0] == "heel Nederland"


def _json_counts(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_counts(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _json_counts(v, key)
    elif key in ("contacts", "total", "unthemed"):
        yield value


def test_no_cell_under_five_in_json(outputs):
    counts = list(_json_counts(json.loads(outputs[".json"])))
    assert None in counts  # the fixture has suppressed cells, so this test can fail
    assert all(c is None or c == 0 or c >= 5 for c in counts)


def test_no_cell_under_five_in_html(outputs):
    html = outputs[".html"]
    shown = re.findall(r'class="count" data-count="(\d*)">([^<]*)<', html)
    assert shown and "minder dan 5" in html
    assert all(value == "" or int(value) >= 5 for value, _ in shown)
    # Map tiles and bars show their counts as the charts' value texts: check those too.
    groups = re.findall(r'<g class="[^"]*\bvalue_marks"[^>]*>(.*?)</g>', html, flags=re.S)
    svg_numbers = [n for g in groups for n in re.findall(r"<text[^>]*>([\d.]+)</text>", g)]
    assert svg_numbers and all(int(n.replace(".", "")) >= 5 for n in svg_numbers)


def test_no_cell_under_five_in_markdown(outputs):
    numbers = re.findall(r"(?:: |\| |Limburg |Industrie )(\d+)\b", outputs[".md"])
    assert numbers and all(int(n) >= 5 for n in numbers)
    assert "minder dan 5" in outputs[".md"]


def test_no_planted_personal_value_anywhere(outputs):
    for text in outputs.values():
        for value in (PLANTED_BSN, PLANTED_PHONE, PLANTED_NAME, "Joris"):
            assert value not in text


def test_quotes_come_only_from_the_quotes_mart(con, outputs):
    mart = {q for (q,) in con.execute("SELECT quote FROM marts.theme_quotes").fetchall()}
    shown = {q for e in json.loads(outputs[".json"])["emerging"] for q in e["quotes"]}
    assert shown and shown <= mart
    blockquotes = re.findall(r'<blockquote class="quote">([^<]*)</blockquote>', outputs[".html"])
    assert blockquotes and {b.replace("&#39;", "'") for b in blockquotes} <= mart


def test_html_is_self_contained_and_prints_on_a4(outputs):
    html = outputs[".html"]
    assert "<svg" in html and "@page { size: A4" in html
    assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="(https?:)?//', html)
    assert "Hoe komen deze cijfers tot stand?" in html
    assert "t.o.v. gemiddelde van de vorige 4 weken" in html


def test_renderers_agree_on_the_planted_theme(con):
    digest = build_digest(con, IsoWeek.parse("2026-W47"))
    for text in (render_html(digest), render_markdown(digest), render_json(digest)):
        assert PLANTED_THEME[1] in text
        assert "week 47 (16–22 november 2026)" in text


# Quotes: from the digest's week (or the weeks just before it) and scope, never from a
# segment with fewer than 5 contacts. Where a quote came from is looked up in the
# restricted warehouse the fixture built, never in the snapshot under test.

QUOTE_WEEKS = [IsoWeek.parse("2026-W47").shift(-i) for i in range(4)]


@pytest.fixture(scope="module")
def warehouse(snapshot: Path):
    connection = duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def quoted(warehouse) -> dict[str, tuple[str, str, str, str]]:
    """quote -> (theme, ISO week, province, sector) of the contact quoted."""
    rows = warehouse.execute(
        "SELECT q.quote, q.theme_id, c.occurred_week, c.province, c.sector"
        " FROM core.theme_quotes q JOIN core.contacts c USING (event_id)"
    ).fetchall()
    return {quote: rest for quote, *rest in rows}


@pytest.fixture(scope="module")
def cells(warehouse) -> dict[tuple[str, str, str, str], int]:
    """(theme, week, province, sector) -> contacts, unsuppressed, from the warehouse."""
    rows = warehouse.execute(
        "SELECT t.theme_id, c.occurred_week, c.province, c.sector, count(*)"
        " FROM core.contacts c JOIN core.contact_themes t USING (event_id)"
        " WHERE t.theme_id IS NOT NULL GROUP BY ALL"
    ).fetchall()
    return {tuple(key): n for *key, n in rows}


def contacts_in(cells, theme_id: str, week: str, scope: Scope) -> int:
    return sum(
        n
        for (t, w, province, sector), n in cells.items()
        if t == theme_id
        and w == week
        and scope.province in (None, province)
        and scope.sector in (None, sector)
    )


@pytest.fixture(scope="module")
def scoped_digests(snapshot: Path, cells) -> list[Digest]:
    provinces = sorted({key[2] for key in cells})
    sectors = sorted({key[3] for key in cells})
    scopes = [Scope(), *(Scope(r) for r in provinces), *(Scope(sector=s) for s in sectors)]
    scopes += [Scope(r, s) for r in provinces for s in sectors]
    con = duckdb.connect(str(snapshot), read_only=True)
    digests = [build_digest(con, IsoWeek.parse("2026-W47"), scope) for scope in scopes]
    con.close()
    return digests


def test_a_scoped_digest_quotes_only_members_of_its_province_and_sector(scoped_digests, quoted):
    for digest in scoped_digests:
        for item in digest.emerging:
            for quote in item.quotes:
                theme_id, _, province, sector = quoted[quote]
                assert theme_id == item.theme_id
                assert digest.scope.province in (None, province), (digest.scope, quote)
                assert digest.scope.sector in (None, sector), (digest.scope, quote)
    # Not vacuous: a province's digest quotes a theme that members elsewhere were quoted on.
    shown = [
        (d.scope.province, e.theme_id)
        for d in scoped_digests
        if d.scope.province and not d.scope.sector
        for e in d.emerging
        if e.quotes
    ]
    assert any(
        theme == t and province != r for r, t in shown for theme, _, province, _ in quoted.values()
    )


def test_quotes_come_from_the_week_shown_or_the_weeks_before_never_later(con, quoted):
    checked_with_later_quotes = 0
    for week in QUOTE_WEEKS:
        allowed = [str(week.shift(-i)) for i in range(QUOTE_WEEKS_BACK + 1)]
        for theme_id in {t for t, *_ in quoted.values()}:
            for scope in (Scope(), Scope("NL-NH"), Scope("NL-LI")):
                quotes, _ = theme_quotes(con, theme_id, week, scope)
                weeks = [quoted[q][1] for q in quotes]
                assert all(w in allowed for w in weeks), (week, theme_id, scope, weeks)
                assert weeks == sorted(weeks, reverse=True)  # the week shown first
                later = any(t == theme_id and w > str(week) for t, w, *_ in quoted.values())
                checked_with_later_quotes += bool(quotes and later)
    assert checked_with_later_quotes
    # The digest's quotes are the theme page's choice for the same week and scope.
    for digest in (
        build_digest(con, QUOTE_WEEKS[0]),
        build_digest(con, QUOTE_WEEKS[0], Scope("NL-NH")),
    ):
        assert any(e.quotes for e in digest.emerging)
        for item in digest.emerging:
            assert (item.quotes, item.quote_note) == theme_quotes(
                con, item.theme_id, QUOTE_WEEKS[0], digest.scope
            )


def test_no_quote_where_the_theme_has_fewer_than_5_contacts_in_the_scope(
    con, scoped_digests, quoted, cells
):
    too_few = [(d, e) for d in scoped_digests for e in d.emerging if e.contacts is None]
    assert too_few
    for digest, item in too_few:
        assert item.quotes == [] and item.quote_note == TOO_FEW_TO_QUOTE
        assert TOO_FEW_TO_QUOTE in render_markdown(digest)
        assert TOO_FEW_TO_QUOTE in render_html(digest)
    # Even when earlier weeks of that province had plenty to quote from.
    checked = 0
    provinces = {key[2] for key in cells}
    for week in QUOTE_WEEKS:
        for theme_id in {t for t, *_ in quoted.values()}:
            for province in provinces:
                scope = Scope(province)
                if not 1 <= contacts_in(cells, theme_id, str(week), scope) <= 4:
                    continue
                earlier = [
                    q
                    for q, (t, w, r, _) in quoted.items()
                    if t == theme_id
                    and r == province
                    and w < str(week)
                    and contacts_in(cells, theme_id, w, scope) >= 5
                ]
                checked += bool(earlier)
                assert theme_quotes(con, theme_id, week, scope) == ([], TOO_FEW_TO_QUOTE)
    assert checked
    # A theme that never has 5 contacts in a week is never quoted, not even nationally.
    for week in QUOTE_WEEKS:
        assert theme_quotes(con, TINY_THEME[0], week) == ([], TOO_FEW_TO_QUOTE)


def test_the_quotes_mart_tells_where_a_quote_is_from_only_for_5_or_more(con, quoted, cells):
    rows = con.execute(
        "SELECT quote, iso_week, province, sector FROM marts.theme_quotes"
    ).fetchall()
    assert {q for q, *_ in rows} == set(quoted)
    disclosed = 0
    for quote, week, province, sector in rows:
        theme_id, true_week, true_province, true_sector = quoted[quote]
        if week is None:
            assert province is None and sector is None
            continue
        scope = Scope(province, sector)
        assert (week, province or true_province, sector or true_sector) == (
            true_week,
            true_province,
            true_sector,
        )
        assert contacts_in(cells, theme_id, week, scope) >= 5, (quote, week, scope)
        disclosed += bool(province or sector)
    assert disclosed
    assert any(week is None for _, week, *_ in rows)


def test_trend_weeks_before_the_data_are_unknown_not_minder_dan_5(con):
    digest = build_digest(con, IsoWeek.parse("2026-W42"))  # its 8 weeks start at W35
    assert digest.weeks_before_data == 5
    assert [w.iso_week for w in digest.total_trend] == ["2026-W40", "2026-W41", "2026-W42"]
    assert all(len(t.trend) <= 3 for t in digest.top_themes)
    page = render_html(digest)
    # The charts read out the weeks they show; a week before the data is not one of them.
    assert "wk 35" not in page and "wk 39" not in page and "wk 40" in page
    assert build_digest(con, IsoWeek.parse("2026-W47")).weeks_before_data == 0

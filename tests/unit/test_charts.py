"""Charts: the Vega-Lite specs (pure) and their SVG (rendered by vl-convert).

Same facts as the hand-drawn charts: no invented zeros, a suppressed cell never gets a
length, position or colour of its own, Dutch numbers and Dutch accessible text.
"""

import re

from dashboards import chart_specs, charts

WEEKS = [("wk 44", None), ("wk 45", 12), ("wk 46", 1234), ("wk 47", None)]
PROVINCES = [
    ("NL-LI", "Limburg", None),
    ("NL-GR", "Groningen", 12),
    ("NL-NH", "Noord-Holland", 1234),
]


def _layer(spec: dict, name: str) -> dict:
    return next(layer for layer in spec["layer"] if layer.get("name") == name)


def test_trend_spec_keeps_a_suppressed_week_empty_and_breaks_the_line():
    spec = chart_specs.trend_spec(WEEKS, 520, 190)
    data = spec["data"]["values"]
    assert [d["week"] for d in data] == ["wk 44", "wk 45", "wk 46", "wk 47"], "no week added"
    assert [d["contacts"] for d in data] == [None, 12, 1234, None], "never a zero for <5"
    assert [d["shown"] for d in data] == ["minder dan 5", "12", "1.234", "minder dan 5"]
    assert _layer(spec, "line")["mark"]["invalid"] == "break-paths-show-domains"
    assert "isValid" in _layer(spec, "point")["transform"][0]["filter"]
    assert _layer(spec, "gap")["encoding"]["text"] == {"value": "<5"}
    assert spec["encoding"]["x"]["scale"]["domain"] == ["wk 44", "wk 45", "wk 46", "wk 47"]


def test_bars_spec_gives_only_published_cells_a_bar():
    spec = chart_specs.bars_spec([("Industrie", 1234), ("Zorg", None), ("Onderwijs", 7)], 400)
    assert [(d["label"], d["shown"]) for d in spec["data"]["values"]] == [
        ("Industrie", "1.234"),
        ("Onderwijs", "7"),
    ]


def test_sparkline_spec_keeps_weeks_before_the_data_in_place_without_a_value():
    spec = chart_specs.sparkline_spec([None, 12, None, 30, 31], 200, 30, skip=4)
    data = spec["data"]["values"]
    assert [d["i"] for d in data] == [4, 5, 6, 7, 8] and spec["encoding"]["x"]["scale"] == {
        "domain": [0, 8]
    }
    assert [d["contacts"] for d in data] == [None, 12, None, 30, 31]
    assert [d["alone"] for d in data] == [False, True, False, False, False], "a dot, not a line"


def test_tile_map_spec_hatches_a_suppressed_province_and_colours_only_published_ones():
    spec = chart_specs.tile_map_spec(PROVINCES)
    data = {d["short"]: d for d in spec["data"]["values"]}
    assert data["LI"]["contacts"] is None and data["LI"]["shown"] == "<5"
    assert data["LI"]["desc"] == "Limburg: minder dan 5"
    assert data["NH"]["shown"] == "1.234" and data["NH"]["dark"] and not data["GR"]["dark"]
    fill = _layer(spec, "tile")["encoding"]["fill"]
    assert fill["condition"] == {"test": "!isValid(datum.contacts)", "value": chart_specs.HATCH}
    assert fill["scale"]["domain"] == [0, 1234]


def test_the_svg_is_an_image_with_dutch_text_that_reads_every_value():
    svg = str(charts.trend_chart(WEEKS, "Contacten per week: Loonstrook"))
    root = re.match(r"<svg [^>]*>", svg)[0]
    expected = (
        "Contacten per week: Loonstrook: wk 44 minder dan 5, wk 45 12, wk 46 1.234, "
        "wk 47 minder dan 5"
    )
    assert 'class="chart trend"' in root and 'role="img"' in root
    assert f'aria-label="{expected}"' in root and f"<svg {root[5:]}<title>{expected}</title>" in svg
    assert "axis" not in re.sub(r'class="[^"]*"|aria-roledescription="[^"]*"', "", svg).lower(), (
        "no English labels from Vega"
    )
    assert 'aria-label="wk 45: 12"' in svg and 'aria-label="wk 44: minder dan 5"' in svg


def test_numbers_and_axis_ticks_are_written_the_dutch_way():
    svg = str(charts.trend_chart([("wk 1", 1234), ("wk 2", 2500)], "T"))
    values = re.search(r'value_marks"[^>]*>(.*?)</g>', svg, flags=re.S)[1]
    assert re.findall(r"<text[^>]*>([^<]+)</text>", values) == ["1.234", "2.500"]
    ticks = re.findall(r'<text text-anchor="end"[^>]*>([^<]+)</text>', svg)
    assert "1.000" in ticks and "2.000" in ticks and "1,000" not in svg


def test_a_suppressed_province_is_hatched_and_labelled_not_coloured():
    svg = str(charts.tile_map(PROVINCES, "Contacten per provincie"))
    tile = re.search(r'<path aria-label="Limburg: minder dan 5"[^>]*>', svg)[0]
    assert 'fill="url(#hatch)"' in tile and '<pattern id="hatch"' in svg
    values = re.search(r'value_marks"[^>]*>(.*?)</g>', svg, flags=re.S)[1]
    assert re.findall(r"<text[^>]*>([^<]+)</text>", values) == ["&lt;5", "12", "1.234"]
    assert "minder dan 5 (of geen)" in svg, "the legend explains <5"


def test_bars_say_the_others_are_not_shown_and_an_empty_chart_is_words():
    svg = str(charts.bars([("Industrie", 20), ("Zorg", None)], "Contacten per sector"))
    assert (
        'aria-label="Contacten per sector: Industrie 20; de overige minder dan 5 (of geen)"' in svg
    )
    assert re.findall(r'aria-label="([^"]+)" role="graphics-symbol"', svg) == ["Industrie: 20"]
    assert "<svg" not in str(charts.bars([("Zorg", None)], "Contacten per sector"))


def test_text_from_data_is_escaped():
    svg = str(charts.bars([('<b>"x"</b>', 9)], "Sector & <script>"))
    assert "<b>" not in svg and "<script>" not in svg and "&lt;b&gt;" in svg


def test_a_sparkline_reads_its_weeks_and_draws_no_line_across_a_gap():
    svg = str(charts.sparkline([("wk 46", 12), ("wk 47", None), ("wk 48", 30)], "Loon", 200, 30))
    assert 'aria-label="Loon: wk 46 12, wk 47 minder dan 5, wk 48 30"' in svg
    line = re.search(r'line_marks"[^>]*><path[^>]*d="([^"]+)"', svg)[1]
    dots = re.search(r'dot_marks"[^>]*>(.*?)</g>', svg, flags=re.S)[1]
    assert "L" not in line and dots.count("<path") == 2, "two dots, no line"


def test_a_chart_drawn_again_comes_from_the_cache():
    spec = chart_specs.sparkline_spec([7, 8, 9], 120, 28, 0)
    charts.render(spec, "spark", "a")
    before = charts._render.cache_info().hits
    again = charts.render(spec, "spark", "b")
    assert charts._render.cache_info().hits == before + 1 and 'aria-label="b"' in again

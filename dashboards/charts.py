"""Charts as static SVG: Vega-Lite specs (`dashboards.chart_specs`) rendered by vl-convert.

One renderer for the dashboard, the digest, the dossier PDF and mail: the SVG is inlined in
the page, with no scripts and no external files. Each SVG is an image to assistive
technology (`role="img"`) with a Dutch `aria-label` and `<title>` that read every value;
the marks that carry a value describe themselves too (`aria-label="Limburg: 12"`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape

import vl_convert
from markupsafe import Markup

from dashboards.chart_specs import (
    HATCH,
    Spec,
    bars_spec,
    sparkline_spec,
    summary,
    tile_map_spec,
    trend_spec,
)
from dashboards.dutch import count_text

_HATCH_DEFS = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>'
)
_ROOT = re.compile(r'<svg ([^>]*?)class="marks"([^>]*)>')


@lru_cache(maxsize=1024)
def _render(spec_json: str) -> str:
    # Keyed by the spec's JSON: the same chart (a page opened again, the sparklines of an
    # overview) is drawn once per process. No base URL is allowed: the data is inline.
    return vl_convert.vegalite_to_svg(
        json.loads(spec_json), format_locale="nl-NL", allowed_base_urls=[]
    )


def render(spec: Spec, css_class: str, label: str) -> Markup:
    """The spec as an inline SVG element with a class, `role="img"` and its Dutch text."""
    spec_json = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    svg = _render(spec_json)
    text = escape(label)
    svg = _ROOT.sub(
        lambda m: (
            f'<svg {m[1]}class="chart {css_class}" role="img" aria-label="{text}"{m[2]}>'
            f"<title>{text}</title>" + (_HATCH_DEFS if HATCH in spec_json else "")
        ),
        svg,
        count=1,
    )
    return Markup(svg)


def warm_up() -> None:
    """Start the JavaScript runtime (about a second) before the first page needs it."""
    render(sparkline_spec([5, 6], 20, 10, 0), "spark", "")


def tile_map(cells: Sequence[tuple[str, str, int | None]], title: str) -> Markup:
    """(province code, Dutch name, contacts) as a grid of tiles, darker for more."""
    label = summary(title, [(name, n) for _, name, n in cells])
    legend = '<div class="legend muted">&lt;5 minder dan 5 (of geen) · donkerder = meer</div>'
    return render(tile_map_spec(cells), "tilemap", label) + Markup(legend)


def bars(cells: Sequence[tuple[str, int | None]], title: str, width: int = 420) -> Markup:
    """Horizontal bars with the label left and the count right; (label, contacts).

    Only published cells get a bar; the rest had fewer than 5 contacts (or none).
    """
    shown = [(label, n) for label, n in cells if n is not None]
    if not shown:
        return Markup('<p class="muted">Geen waarde van 5 of meer contacten.</p>')
    label = summary(title, shown)
    if len(shown) < len(cells):
        label += "; de overige minder dan 5 (of geen)"
    return render(bars_spec(cells, width), "bars", label)


def sparkline(
    weeks: Sequence[tuple[str, int | None]],
    title: str,
    width: int = 120,
    height: int = 28,
    skip: int = 0,
) -> Markup:
    """A small line over the weeks, (week label, contacts); a suppressed week is a gap.

    `skip` leading weeks have no data at all (before the first week in the snapshot):
    they keep their place on the x axis so rows line up, but get no point, not a zero.
    The accessible text is the title with every week's count.
    """
    values = [n for _, n in weeks]
    return render(sparkline_spec(values, width, height, skip), "spark", summary(title, weeks))


def trend_chart(
    weeks: Sequence[tuple[str, int | None]],
    title: str,
    width: int = 520,
    height: int = 190,
) -> Markup:
    """A weekly line with a y axis, week labels and the value at every point.

    `weeks` is (week label, contacts) for the weeks with data only: the caller
    leaves out weeks before the data, so nothing is drawn as an invented zero. A
    suppressed week is a gap with '<5', never a point. A table with the same values
    follows the chart for screen readers, printing and copying.
    """
    chart = render(trend_spec(weeks, width, height), "trend", summary(title, weeks))
    cells = "".join(
        f'<tr><td>{escape(label)}</td><td class="num">{escape(count_text(n))}</td></tr>'
        for label, n in weeks
    )
    table = (
        f'<details class="trend-data"><summary>Als tabel</summary><table>'
        f'<tr><th>Week</th><th class="num">Contacten</th></tr>{cells}</table></details>'
    )
    return chart + Markup(table)

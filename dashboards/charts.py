"""Inline SVG charts (no scripts, no external files): province tile map, bars, sparklines.

Suppressed cells are drawn as hatched and labelled 'minder dan 5'; they never get a
length or a colour that would hint at their value.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from dashboards.dutch import SUPPRESSED, count_text

# Tile-grid positions (column, row) that keep each province near its neighbours.
PROVINCE_TILES: dict[str, tuple[int, int]] = {
    "NL-FR": (1, 0),
    "NL-GR": (2, 0),
    "NL-NH": (0, 1),
    "NL-FL": (1, 1),
    "NL-DR": (2, 1),
    "NL-ZH": (0, 2),
    "NL-UT": (1, 2),
    "NL-OV": (2, 2),
    "NL-ZE": (0, 3),
    "NL-NB": (1, 3),
    "NL-GE": (2, 3),
    "NL-LI": (2, 4),
}
SHORT_NAMES = {
    "NL-GR": "GR",
    "NL-FR": "FR",
    "NL-DR": "DR",
    "NL-OV": "OV",
    "NL-FL": "FL",
    "NL-GE": "GE",
    "NL-UT": "UT",
    "NL-NH": "NH",
    "NL-ZH": "ZH",
    "NL-ZE": "ZE",
    "NL-NB": "NB",
    "NL-LI": "LI",
}
ACCENT = "#c0392b"
_HATCH = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>'
)


def _shade(value: int, peak: int) -> str:
    # Light to the accent colour; 5 is the smallest value ever shown.
    share = 0.15 + 0.85 * (value / peak if peak else 0)
    r, g, b = 192, 57, 43
    mix = [round(255 - (255 - c) * share) for c in (r, g, b)]
    return f"rgb({mix[0]},{mix[1]},{mix[2]})"


def tile_map(cells: Sequence[tuple[str, str, int | None]], title: str) -> Markup:
    """(province code, Dutch name, contacts) as a grid of tiles, darker for more."""
    size, gap = 54, 4
    peak = max((n for _, _, n in cells if n), default=0)
    parts = [
        f'<svg class="tilemap" role="img" viewBox="0 0 {3 * (size + gap)} {5 * (size + gap)}"'
        f' width="{3 * (size + gap)}" height="{5 * (size + gap)}">'
        f"<title>{escape(title)}</title>{_HATCH}"
    ]
    for code, name, contacts in cells:
        if code not in PROVINCE_TILES:
            continue
        col, row = PROVINCE_TILES[code]
        x, y = col * (size + gap), row * (size + gap)
        if contacts is None:
            fill, text, label = "url(#hatch)", "<5", SUPPRESSED
        else:
            fill, text, label = _shade(contacts, peak), str(contacts), str(contacts)
        ink = "#fff" if contacts and contacts > peak * 0.6 else "#222"
        parts.append(
            f'<g class="tile" data-province="{code}"><title>{escape(name)}: {label}</title>'
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="6" fill="{fill}"'
            f' stroke="#999"/><text x="{x + size / 2}" y="{y + 22}" text-anchor="middle"'
            f' font-size="13" font-weight="bold" fill="{ink}">{SHORT_NAMES[code]}</text>'
            f'<text x="{x + size / 2}" y="{y + 42}" text-anchor="middle" font-size="12"'
            f' fill="{ink}">{escape(text)}</text></g>'
        )
    parts.append("</svg>")
    legend = '<div class="legend muted">&lt;5 minder dan 5 (of geen) · donkerder = meer</div>'
    return Markup("".join(parts) + legend)


def bars(cells: Sequence[tuple[str, int | None]], title: str, width: int = 420) -> Markup:
    """Horizontal bars with the label left and the count right; (label, contacts).

    Only published cells get a bar; the rest had fewer than 5 contacts (or none).
    """
    shown = [(label, n) for label, n in cells if n is not None]
    row, label_w, value_w = 22, 190, 90
    bar_w = width - label_w - value_w
    peak = max((n for _, n in shown if n), default=1)
    parts = [
        f'<svg class="bars" role="img" viewBox="0 0 {width} {row * len(shown) + 4}"'
        f' width="{width}" height="{row * len(shown) + 4}"><title>{escape(title)}</title>{_HATCH}'
    ]
    for i, (label, contacts) in enumerate(shown):
        y = i * row + 2
        length = max(2, round(bar_w * contacts / peak))
        rect = (
            f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{row - 8}" fill="{ACCENT}"/>'
        )
        value = str(contacts)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>{rect}"
            f'<text x="{width - value_w + 4}" y="{y + 15}" font-size="12">{escape(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(
    values: Sequence[int | None],
    title: str,
    width: int = 120,
    height: int = 28,
    skip: int = 0,
) -> Markup:
    """A small line over the weeks; a suppressed week is a gap, never a guessed point.

    `skip` leading weeks have no data at all (before the first week in the snapshot):
    they keep their place on the x axis so rows line up, but get no point, not a zero.
    """
    peak = max((v for v in values if v), default=1)
    step = width / max(1, len(values) + skip - 1)
    segments: list[list[str]] = [[]]
    for i, value in enumerate(values, start=skip):
        if value is None:
            segments.append([])
            continue
        y = height - 3 - (height - 6) * value / peak
        segments[-1].append(f"{i * step:.1f},{y:.1f}")
    lines = "".join(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
        for points in segments
        if len(points) > 1
    )
    dots = "".join(
        f'<circle cx="{points[0].split(",")[0]}" cy="{points[0].split(",")[1]}" r="2" fill="{ACCENT}"/>'
        for points in segments
        if len(points) == 1
    )
    return Markup(
        f'<svg class="spark" role="img" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}"><title>{escape(title)}</title>{lines}{dots}</svg>'
    )


def _tick_step(peak: int) -> int:
    """A round step (1, 2, 5 × 10^n) that gives three to five gridlines up to `peak`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if peak / (step * factor) <= 4:
                return step * factor
        step *= 10


def trend_chart(
    weeks: Sequence[tuple[str, int | None]],
    title: str,
    width: int = 520,
    height: int = 190,
) -> Markup:
    """A weekly line with a y axis, week labels and the value at every point.

    `weeks` is (week label, contacts) for the weeks with data only: the caller
    leaves out weeks before the data, so nothing is drawn as an invented zero. A
    suppressed week is a gap with its Dutch label, never a point. A table with
    the same values follows the chart for screen readers, printing and copying.
    """
    left, right, top, bottom = 40, 12, 18, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((n for _, n in weeks if n), default=0)
    step = _tick_step(max(peak, 1))
    axis_max = step * -(-max(peak, 1) // step)
    x_step = plot_w / max(1, len(weeks) - 1)

    def x(i: int) -> float:
        return left + (i * x_step if len(weeks) > 1 else plot_w / 2)

    def y(value: int) -> float:
        return top + plot_h - plot_h * value / axis_max

    summary = f"{title}: " + ", ".join(f"{label} {count_text(n)}" for label, n in weeks)
    parts = [
        f'<svg class="trend" role="img" aria-label="{escape(summary)}"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(summary)}</title>"
    ]
    for tick in range(0, axis_max + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"'
            f' stroke="#e3e3e3"/><text x="{left - 5}" y="{y(tick) + 4:.1f}" text-anchor="end"'
            f' font-size="11" fill="#555">{tick}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#999"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"'
        f' stroke="#999"/>'
    )
    segments: list[list[tuple[float, float]]] = [[]]
    for i, (label, contacts) in enumerate(weeks):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" font-size="11"'
            f' fill="#555">{escape(label.removeprefix("wk "))}</text>'
        )
        if contacts is None:
            segments.append([])
            parts.append(
                f'<text class="gap" x="{x(i):.1f}" y="{top + plot_h - 4}" text-anchor="middle"'
                f' font-size="10" fill="#777">&lt;5</text>'
            )
            continue
        segments[-1].append((x(i), y(contacts)))
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(contacts):.1f}" r="3" fill="{ACCENT}"/>'
            f'<text class="value" x="{x(i):.1f}" y="{y(contacts) - 6:.1f}" text-anchor="middle"'
            f' font-size="11">{contacts}</text>'
        )
    parts.extend(
        f'<polyline points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}" fill="none"'
        f' stroke="{ACCENT}" stroke-width="2"/>'
        for points in segments
        if len(points) > 1
    )
    parts.append(
        f'<text x="{left}" y="11" font-size="11" fill="#555">contacten per week</text></svg>'
    )
    cells = "".join(
        f'<tr><td>{escape(label)}</td><td class="num">{escape(count_text(n))}</td></tr>'
        for label, n in weeks
    )
    table = (
        f'<details class="trend-data"><summary>Als tabel</summary><table>'
        f'<tr><th>Week</th><th class="num">Contacten</th></tr>{cells}</table></details>'
    )
    return Markup("".join(parts) + table)

"""Charts as inline SVG strings, drawn here in Python: no script library, no network, and the same
numbers give the same bytes (coordinates are rounded to one decimal).

Two kinds are enough for an auditor: horizontal bars (counts by rule, by region, by status) and a
small line chart of one figure over an office's years (points labelled with their values, a gap
where a year has no number).
"""
from __future__ import annotations

from html import escape

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 190
BAR_WIDTH = 140
BAR_COLOUR = "#c62828"


def _n(x: float) -> str:
    """A coordinate with one decimal at most, so output does not depend on float noise."""
    return f"{round(x, 1):g}"


def bar_chart(items: list, title: str, colour: str = BAR_COLOUR, chart: str = "") -> str:
    """Horizontal bars of (label, count[, colour[, key]]) in the order given; `title` names the
    chart for screen readers, `chart` names it for the page's script, which redraws each bar
    (`data-key`) under the filters. An empty list gives a one-line 'none' chart, never an error."""
    width = LABEL_WIDTH + BAR_WIDTH + 40
    name = f' data-chart="{escape(chart)}" data-bar-width="{BAR_WIDTH}" data-label-width="{LABEL_WIDTH}"' if chart else ""
    if not items:
        return f'<svg class="chart" role="img" aria-label="{escape(title)}"{name} width="{width}" ' \
               f'height="24" viewBox="0 0 {width} 24"><text x="0" y="16">无 (none)</text></svg>'
    top = max(v for _, v, *_ in items) or 1
    height = len(items) * (BAR_HEIGHT + BAR_GAP)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}"{name} width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for i, (label, value, *rest) in enumerate(items):
        y = i * (BAR_HEIGHT + BAR_GAP)
        w = BAR_WIDTH * value / top
        fill = (rest[0] if rest and rest[0] else None) or colour
        key = f' data-key="{escape(str(rest[1]))}"' if len(rest) > 1 else ""
        parts.append(f'<g class="bar"{key}><text x="{LABEL_WIDTH - 6}" y="{_n(y + 13)}" text-anchor="end">'
                     f'{escape(str(label))}</text>'
                     f'<rect x="{LABEL_WIDTH}" y="{_n(y)}" width="{_n(max(w, 1))}" height="{BAR_HEIGHT}" '
                     f'fill="{fill}"><title>{escape(str(label))}: {value}</title></rect>'
                     f'<text class="n" x="{_n(LABEL_WIDTH + w + 4)}" y="{_n(y + 13)}">{value}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


LINE_WIDTH, LINE_HEIGHT, PAD = 250, 110, 24


def line_chart(points: list, title: str, percent: bool = False) -> str:
    """One figure over the years: points is [(year, value or None)] sorted by year. Values are
    printed beside their points (an auditor reads numbers, the line only shows the direction)."""
    known = [(y, v) for y, v in points if v is not None]
    years = [y for y, _ in points]
    parts = [f'<svg class="chart line" role="img" aria-label="{escape(title)}" width="{LINE_WIDTH}" '
             f'height="{LINE_HEIGHT}" viewBox="0 0 {LINE_WIDTH} {LINE_HEIGHT}">',
             f'<text x="4" y="12" class="ct">{escape(title)}</text>']
    if not years:
        return "".join(parts) + "</svg>"
    lo, hi = (min(v for _, v in known), max(v for _, v in known)) if known else (0, 1)
    lo = min(lo, 0)
    span = (hi - lo) or 1

    def xy(year, value):
        x = PAD + (LINE_WIDTH - 2 * PAD) * ((years.index(year) / (len(years) - 1)) if len(years) > 1 else 0.5)
        y = LINE_HEIGHT - PAD - (LINE_HEIGHT - 2 * PAD - 8) * (value - lo) / span
        return x, y

    parts.append(f'<line x1="{PAD}" y1="{LINE_HEIGHT - PAD}" x2="{LINE_WIDTH - PAD}" y2="{LINE_HEIGHT - PAD}" '
                 f'stroke="#999"/>')
    run = []
    for year, value in points + [(None, None)]:
        if value is None:
            if len(run) > 1:
                parts.append('<polyline fill="none" stroke="#1565c0" stroke-width="2" points="'
                             + " ".join(f"{_n(x)},{_n(y)}" for x, y in run) + '"/>')
            run = []
            continue
        run.append(xy(year, value))
    for year, value in points:
        x = xy(year, 0)[0]
        parts.append(f'<text x="{_n(x)}" y="{LINE_HEIGHT - 8}" text-anchor="middle" class="ax">{year}</text>')
        if value is None:
            parts.append(f'<text x="{_n(x)}" y="{LINE_HEIGHT - PAD - 4}" text-anchor="middle" class="ax">–</text>')
            continue
        x, y = xy(year, value)
        label = f"{value * 100:.1f}%" if percent else f"{value:.10g}"
        parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="#1565c0"><title>{year}: {label}</title></circle>'
                     f'<text x="{_n(x)}" y="{_n(y - 6)}" text-anchor="middle" class="vl">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)

"""Charts drawn on the server as SVG, for the PDF report (WeasyPrint draws SVG but runs no
script) and as the fallback of the pages: a radar of an enterprise's indicator shares and a
horizontal bar chart (ranking, weakest indicators). Plain strings; labels are escaped."""

from math import cos, pi, sin

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
RED, BLUE, GRID, INK, MUTED = "#9e1b1b", "#1d4f91", "#d9dde3", "#1f2328", "#5c6670"


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -pi / 2 + 2 * pi * index / count
    return cx + radius * cos(angle), cy + radius * sin(angle)


def _polygon(points: list[tuple[float, float]], **attrs: str) -> str:
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    extra = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<polygon points="{coords}" {extra}/>'


def radar(labels: list[str], shares: list[int], size: int = 360, compare: list[int] | None = None) -> SafeString:
    """Shares in per mille (-1: nothing to judge, drawn at 0 and its label greyed); `compare`
    (e.g. the federation's average) as a dashed second polygon."""
    count = len(labels)
    if count < 3:
        return mark_safe("")
    cx = cy = size / 2
    radius = size / 2 - 62
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
             f'font-family="{FONT}" font-size="11" role="img">']
    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        parts.append(_polygon([_point(cx, cy, radius * ring, i, count) for i in range(count)],
                              fill="none", stroke=GRID, stroke_width="1"))
    for i in range(count):
        x, y = _point(cx, cy, radius, i, count)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
    if compare:
        parts.append(_polygon([_point(cx, cy, radius * max(v, 0) / 1000, i, count) for i, v in enumerate(compare)],
                              fill="none", stroke=BLUE, stroke_width="1.5", stroke_dasharray="4 3"))
    parts.append(_polygon([_point(cx, cy, radius * max(v, 0) / 1000, i, count) for i, v in enumerate(shares)],
                          fill=RED, fill_opacity="0.18", stroke=RED, stroke_width="2"))
    for i, (label, share) in enumerate(zip(labels, shares, strict=True)):
        x, y = _point(cx, cy, radius + 16, i, count)
        anchor = "middle" if abs(x - cx) < 8 else ("start" if x > cx else "end")
        value = "—" if share < 0 else f"{share / 10:.0f}%"
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{MUTED if share < 0 else INK}">'
                     f'{escape(label)}<tspan x="{x:.1f}" dy="13" fill="{MUTED}">{value}</tspan></text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bars(labels: list[str], values: list[int], maximum: int, formatted: list[str], width: int = 560,
         highlight_below: int | None = None) -> SafeString:
    """Horizontal bars, one row per label, each with its formatted value; bars under
    `highlight_below` in red, the others in blue."""
    row, label_width, value_width = 22, 150, 56
    height = row * len(labels) + 8
    span = width - label_width - value_width
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" font-family="{FONT}" font-size="11" role="img">']
    for i, (label, value, shown) in enumerate(zip(labels, values, formatted, strict=True)):
        y = 4 + i * row
        length = span * max(value, 0) / maximum if maximum else 0
        colour = RED if highlight_below is not None and value < highlight_below else BLUE
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" fill="{INK}">'
                     f'{escape(label[:14])}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{colour}"/>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + 14}" fill="{INK}">{escape(shown)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))

"""Charts as plain SVG, written here: they work offline, in the static site and from the CLI, need no
JavaScript and no further package, and the same data always gives the same bytes. Labels are escaped."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 40, 48
INK, GRID, ACCENT, GOOD, BAD = "#1f2937", "#e5e7eb", "#2563eb", "#15803d", "#b91c1c"
FONT = 'font-family="Helvetica, Arial, sans-serif"'


def _frame(title: str, body: list[str]) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="24" {FONT} font-size="15" font-weight="bold" fill="{INK}">{escape(title)}</text>',
        *body, "</svg>", ""])


def _scale(values: list[float], extra: list[float]) -> tuple[float, float]:
    everything = values + extra + [0.0]
    low, high = min(everything), max(everything)
    if high == low:
        high = low + 1
    pad = (high - low) * 0.08
    return low - (pad if low < 0 else 0), high + pad


def _axes(low: float, high: float) -> list[str]:
    parts = []
    inner = HEIGHT - TOP - BOTTOM
    for index in range(5):
        value = low + (high - low) * index / 4
        y = TOP + inner - inner * index / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" {FONT} font-size="10" text-anchor="end" '
                     f'fill="{INK}">{value:.0f}</text>')
    return parts


def _y(value: float, low: float, high: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner - inner * (value - low) / (high - low)


def line_chart(title: str, points: list[tuple[str, float | None]], target: float | None = None) -> str:
    """A trend: one point per period (None: no data, left out), with an optional target line."""
    known = [v for _, v in points if v is not None]
    low, high = _scale(known, [target] if target is not None else [])
    step = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    body = _axes(low, high)
    if target is not None:
        y = _y(target, low, high)
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GOOD}" '
                    'stroke-dasharray="6 4"/>')
        body.append(f'<text x="{WIDTH - RIGHT}" y="{y - 4:.1f}" {FONT} font-size="10" text-anchor="end" '
                    f'fill="{GOOD}">target {target:g}</text>')
    coordinates, marks = [], []
    for index, (name, value) in enumerate(points):
        x = LEFT + step * (index + 0.5)
        marks.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" {FONT} font-size="10" text-anchor="middle" '
                     f'fill="{INK}">{escape(name)}</text>')
        if value is not None:
            y = _y(value, low, high)
            coordinates.append(f"{x:.1f},{y:.1f}")
            marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{ACCENT}"><title>{escape(name)}: '
                         f"{value:g}</title></circle>")
            marks.append(f'<text x="{x:.1f}" y="{y - 9:.1f}" {FONT} font-size="10" text-anchor="middle" '
                         f'fill="{INK}">{value:g}</text>')
    if len(coordinates) > 1:  # the line goes under the points
        body.append(f'<polyline points="{" ".join(coordinates)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    return _frame(title, body + marks)


def bar_chart(title: str, bars: list[tuple[str, float]]) -> str:
    """Bars, e.g. complaints per process."""
    low, high = _scale([v for _, v in bars], [])
    step = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    body = _axes(low, high)
    for index, (name, value) in enumerate(bars):
        x, top, zero = LEFT + step * index + step * 0.15, _y(value, low, high), _y(0, low, high)
        body.append(f'<rect x="{x:.1f}" y="{min(top, zero):.1f}" width="{step * 0.7:.1f}" '
                    f'height="{abs(zero - top):.1f}" fill="{ACCENT}"><title>{escape(name)}: {value:g}</title></rect>')
        body.append(f'<text x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM + 18}" {FONT} font-size="10" '
                    f'text-anchor="middle" fill="{INK}">{escape(name[:18])}</text>')
    return _frame(title, body)


def waterfall(title: str, steps: list[tuple[str, float]]) -> str:
    """How a total builds up step by step, e.g. the days of delay each process added to an order."""
    running, tops = 0.0, []
    for _, delta in steps:
        tops.append((running, running + delta))
        running += delta
    low, high = _scale([v for pair in tops for v in pair], [])
    step = (WIDTH - LEFT - RIGHT) / max(len(steps) + 1, 1)
    body = _axes(low, high)
    for index, ((name, delta), (start, end)) in enumerate(zip(steps, tops, strict=True)):
        x = LEFT + step * index + step * 0.15
        y1, y2 = _y(start, low, high), _y(end, low, high)
        colour = BAD if delta > 0 else GOOD
        body.append(f'<rect x="{x:.1f}" y="{min(y1, y2):.1f}" width="{step * 0.7:.1f}" '
                    f'height="{max(abs(y2 - y1), 1):.1f}" fill="{colour}"><title>{escape(name)}: {delta:+g}</title>'
                    "</rect>")
        body.append(f'<text x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM + 18}" {FONT} font-size="9" '
                    f'text-anchor="middle" fill="{INK}">{escape(name.split(".")[-1][:14])}</text>')
    x = LEFT + step * len(steps) + step * 0.15
    zero, total = _y(0, low, high), _y(running, low, high)
    body.append(f'<rect x="{x:.1f}" y="{min(zero, total):.1f}" width="{step * 0.7:.1f}" '
                f'height="{abs(total - zero):.1f}" fill="{INK}"/>')
    body.append(f'<text x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM + 18}" {FONT} font-size="9" '
                f'text-anchor="middle" fill="{INK}">total {running:+g}</text>')
    return _frame(title, body)

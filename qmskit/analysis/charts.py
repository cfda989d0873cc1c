"""Charts as plain SVG, written here: they work offline, in the static site and from the CLI, need no
JavaScript and no further package, and the same data always gives the same bytes. Labels are escaped.

The value axis has "nice" ticks (1, 2, 2.5 or 5 x 10^n apart), each drawn on its own gridline, and every label
is laid out whole (wrapped, never cut) inside the picture, judged by an estimate of the text's width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from qmskit.i18n import _, format_number

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 52, 30  # TOP leaves room for a value label above the highest point
TITLE_SIZE, LABEL_SIZE, LINE_GAP = 15, 10, 1.25
INK, GRID, ACCENT, GOOD, BAD = "#1f2937", "#e5e7eb", "#2563eb", "#15803d", "#b91c1c"
FONT = 'font-family="Helvetica, Arial, sans-serif"'
# Helvetica's widest common glyphs are about 0.6 em; a generous average keeps the estimate on the safe side.
EM_PER_CHAR = 0.6
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
BREAK_AFTER = " .-/_"


def text_width(text: str, size: float) -> float:
    """Estimated width of `text` at font size `size` (no font metrics offline: a per-character estimate)."""
    return len(text) * size * EM_PER_CHAR


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of at most `width`, broken after spaces, dots, dashes or slashes, else mid-word; nothing is lost."""
    most = max(1, int(width / (size * EM_PER_CHAR)))
    pieces, piece = [], ""
    for char in text:
        piece += char
        if char in BREAK_AFTER:
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    lines, line = [], ""
    for piece in pieces:
        part = piece
        while len(part) > most:  # one word wider than the room: break it hard
            if line:
                lines.append(line)
                line = ""
            lines.append(part[:most])
            part = part[most:]
        if len((line + part).rstrip()) > most:
            lines.append(line)
            line = part.lstrip()
        else:
            line += part
    if line or not lines:
        lines.append(line)
    return [line.rstrip() for line in lines]


# --- the value axis -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Axis:
    low: float
    high: float
    step: float

    @property
    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + self.step * index for index in range(count + 1)]

    def label(self, value: float) -> str:
        decimals = max(0, -math.floor(math.log10(self.step) + 1e-9)) + (1 if _mantissa(self.step) == 2.5 else 0)
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if float(text) == 0 else format_number(float(text))  # never "-0"; the language's decimal sign


def _mantissa(step: float) -> float:
    return round(step / 10.0 ** math.floor(math.log10(step) + 1e-9), 6)


def nice_axis(values: list[float], *, whole: bool = False, most: int = 6) -> Axis:
    """The axis through 0 and every value, with at most `most` intervals of a nice step (whole numbers only when
    the values are counts)."""
    low, high = min([*values, 0.0]), max([*values, 0.0])
    if high == low:
        high = low + 1
    span = high - low
    for exponent in range(math.floor(math.log10(span / most)) - 1, math.floor(math.log10(span)) + 2):
        for mantissa in NICE_STEPS:
            step = mantissa * 10.0 ** exponent
            if whole and (step < 1 or step != int(step)):
                continue
            bottom, top = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
            if round((top - bottom) / step) <= most:
                # rounded to the step's own precision, so that 0.1 * 3 reads 0.3 and not 0.30000000000000004
                digits = max(0, -math.floor(math.log10(step)) + 2)
                return Axis(round(bottom, digits), round(top, digits), step)
    raise AssertionError("a step of 10^(log10(span) + 1) always fits")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class _Plot:
    """Where the plot area is: the picture grows by the lines that a long title or long category labels need,
    so the plot keeps its size and every label stays whole."""

    top: float
    bottom: float
    height: float  # of the whole picture
    axis: Axis

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * (value - self.axis.low) / (self.axis.high - self.axis.low)


def _text(x: float, y: float, lines: list[str], size: float, anchor: str, *, fill: str = INK, extra: str = "") -> str:
    """A text element; several lines become tspans, each starting at x."""
    head = (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size:g}" text-anchor="{anchor}" fill="{fill}"'
            f"{extra}>")
    if len(lines) == 1:
        return f"{head}{escape(lines[0])}</text>"
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if index == 0 else size * LINE_GAP:g}">{escape(line)}</tspan>'
                    for index, line in enumerate(lines))
    return f"{head}{spans}</text>"


def _frame(title: str, categories: list[str], slot: float, values: list[float], *, whole: bool = False,
           label_size: float = LABEL_SIZE) -> tuple[_Plot, list[str], list[list[str]]]:
    """The title, the axis with its gridlines and labels; returns the plot and each category's label lines."""
    title_lines = wrap(title, TITLE_SIZE, WIDTH - LEFT - RIGHT)
    labels = [wrap(name, label_size, slot - 4) for name in categories]
    label_lines = max((len(lines) for lines in labels), default=1)
    title_room = (len(title_lines) - 1) * TITLE_SIZE * LINE_GAP
    label_room = (label_lines - 1) * label_size * LINE_GAP
    plot = _Plot(TOP + title_room, HEIGHT - BOTTOM + title_room, HEIGHT + title_room + label_room,
                 nice_axis(values, whole=whole))
    body = [_text(LEFT, 24, title_lines, TITLE_SIZE, "start", extra=' font-weight="bold"')]
    for tick in plot.axis.ticks:
        y = plot.y(tick)
        body.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        # the baseline a third of the font size below the gridline centres the label's digits on it
        body.append(_text(LEFT - 6, y + LABEL_SIZE / 3, [plot.axis.label(tick)], LABEL_SIZE, "end",
                          extra=' class="tick"'))
    return plot, body, labels


def _svg(title: str, body: list[str], height: float) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:g}" '
        f'viewBox="0 0 {WIDTH} {height:g}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height:g}" fill="white"/>',
        *body, "</svg>", ""])


def _number(value: float, *, sign: bool = False) -> str:
    """A value as the chart's language writes it, to the precision `:g` gives (2.5, 2,5; +3 with `sign`)."""
    shown = format_number(float(f"{value:g}"))
    return f"+{shown}" if sign and value > 0 else shown


def _label_y(plot: _Plot) -> float:
    return plot.bottom + 18


def line_chart(title: str, points: list[tuple[str, float | None]], target: float | None = None) -> str:
    """A trend: one point per period (None: no data, left out), with an optional target line."""
    known = [v for _, v in points if v is not None]
    step = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    plot, body, labels = _frame(title, [name for name, _ in points], step,
                                known + ([target] if target is not None else []))
    if target is not None:
        y = plot.y(target)
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GOOD}" '
                    'stroke-dasharray="6 4"/>')
        body.append(_text(WIDTH - RIGHT, y - 4, [_("target {value}").format(value=_number(target))], LABEL_SIZE,
                          "end", fill=GOOD))
    coordinates, marks = [], []
    for index, ((name, value), lines) in enumerate(zip(points, labels, strict=True)):
        x = LEFT + step * (index + 0.5)
        marks.append(_text(x, _label_y(plot), lines, LABEL_SIZE, "middle"))
        if value is not None:
            y = plot.y(value)
            coordinates.append(f"{x:.1f},{y:.1f}")
            marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{ACCENT}"><title>{escape(name)}: '
                         f"{escape(_number(value))}</title></circle>")
            marks.append(_text(x, y - 9, [_number(value)], LABEL_SIZE, "middle"))
    if len(coordinates) > 1:  # the line goes under the points
        body.append(f'<polyline points="{" ".join(coordinates)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    return _svg(title, body + marks, plot.height)


def bar_chart(title: str, bars: list[tuple[str, float]], *, counts: bool = False) -> str:
    """Bars, e.g. complaints per process (`counts`: whole-number ticks only)."""
    step = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    plot, body, labels = _frame(title, [name for name, _ in bars], step, [v for _, v in bars], whole=counts)
    for index, ((name, value), lines) in enumerate(zip(bars, labels, strict=True)):
        x, top, zero = LEFT + step * index + step * 0.15, plot.y(value), plot.y(0)
        body.append(f'<rect x="{x:.1f}" y="{min(top, zero):.1f}" width="{step * 0.7:.1f}" '
                    f'height="{abs(zero - top):.1f}" fill="{ACCENT}"><title>{escape(name)}: '
                    f"{escape(_number(value))}</title></rect>")
        body.append(_text(x + step * 0.35, _label_y(plot), lines, LABEL_SIZE, "middle"))
    return _svg(title, body, plot.height)


def waterfall(title: str, steps: list[tuple[str, float]]) -> str:
    """How a total builds up step by step, e.g. the days of delay each process added to an order."""
    running, tops = 0.0, []
    for _name, delta in steps:
        tops.append((running, running + delta))
        running += delta
    step = (WIDTH - LEFT - RIGHT) / max(len(steps) + 1, 1)
    names = [name for name, _delta in steps] + [_("total {value}").format(value=_number(running, sign=True))]
    plot, body, labels = _frame(title, names, step, [v for pair in tops for v in pair], label_size=9)
    for index, ((name, delta), (start, end)) in enumerate(zip(steps, tops, strict=True)):
        x = LEFT + step * index + step * 0.15
        y1, y2 = plot.y(start), plot.y(end)
        colour = BAD if delta > 0 else GOOD
        body.append(f'<rect x="{x:.1f}" y="{min(y1, y2):.1f}" width="{step * 0.7:.1f}" '
                    f'height="{max(abs(y2 - y1), 1):.1f}" fill="{colour}"><title>{escape(name)}: '
                    f"{escape(_number(delta, sign=True))}</title>"
                    "</rect>")
        body.append(_text(x + step * 0.35, _label_y(plot), labels[index], 9, "middle"))
    x = LEFT + step * len(steps) + step * 0.15
    zero, total = plot.y(0), plot.y(running)
    body.append(f'<rect x="{x:.1f}" y="{min(zero, total):.1f}" width="{step * 0.7:.1f}" '
                f'height="{abs(total - zero):.1f}" fill="{INK}"/>')
    body.append(_text(x + step * 0.35, _label_y(plot), labels[-1], 9, "middle"))
    return _svg(title, body, plot.height)

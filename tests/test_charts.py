"""Charts read back from their SVG: ticks are nice values drawn on their gridlines at their value's height, bars and
points sit where the axis says, no label is cut or leaves the picture, and the dashboards page has each title once."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from qmskit.analysis import charts
from qmskit.loading.load import load_manual
from qmskit.site.generate import SiteInput, build_pages
from qmskit.vcs.history import History
from tests.conftest import EXAMPLE, Result

SVG = "{http://www.w3.org/2000/svg}"
# Helvetica's glyphs average about 0.55 em; 0.6 em per character is this test's own, cautious estimate.
EM = 0.6
Qms = Callable[..., Result]


def _lines(text: ET.Element) -> list[tuple[float, float, str]]:
    """(x, y, words) of each line of a text element (its tspans, or itself)."""
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    spans = text.findall(f"{SVG}tspan")
    if not spans:
        return [(x, y, text.text or "")]
    lines = []
    for span in spans:
        y += float(span.get("dy", "0"))
        lines.append((float(span.get("x", x)), y, span.text or ""))
    return lines


def _value_axis(root: ET.Element) -> tuple[list[float], Callable[[float], float]]:
    """The tick values, checked against their gridlines, and the value -> y mapping they define."""
    grid = sorted(float(line.get("y1", "nan")) for line in root.iter(f"{SVG}line") if line.get("class") == "grid")
    ticks = []
    for text in root.iter(f"{SVG}text"):
        if text.get("class") == "tick":
            label_y, size = float(text.get("y", "nan")), float(text.get("font-size", "nan"))
            nearest = min(grid, key=lambda y: abs(y - label_y))
            assert 0 < label_y - nearest < size / 2, f"tick {text.text} is not on a gridline"
            ticks.append((float((text.text or "nan").replace(",", "")), nearest))  # English groups: 1,000
    labels = [value for value, _ in ticks]
    assert len(labels) == len(set(labels)) >= 2, f"duplicate or missing tick labels: {labels}"
    assert len(ticks) == len(grid), "a gridline without a label"
    ticks.sort()
    steps = {round(b[0] - a[0], 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1, f"ticks are not evenly spaced: {labels}"
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, nice) for nice in (1, 2, 2.5, 5)), f"step {step} is not 1, 2, 2.5 or 5 x 10^n"
    (low, y_low), (high, y_high) = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return y_low + (y_high - y_low) * (value - low) / (high - low)

    for value, y in ticks:  # every tick at its own value's height, not merely in order
        assert abs(y - y_of(value)) <= 0.11, f"tick {value} at y={y}, expected {y_of(value):.2f}"
    return labels, y_of


def _check_text_inside(root: ET.Element) -> list[str]:
    width, height = (float(v) for v in (root.get("viewBox") or "").split()[2:])
    shown = []
    for text in root.iter(f"{SVG}text"):
        size, anchor = float(text.get("font-size", "nan")), text.get("text-anchor", "start")
        for x, y, words in _lines(text):
            extent = len(words) * size * EM
            left = {"start": x, "middle": x - extent / 2, "end": x - extent}[anchor]
            assert left >= 0 and left + extent <= width, f"{words!r} leaves the picture sideways"
            assert size * 0.8 <= y <= height, f"{words!r} leaves the picture vertically"
        shown.append("".join(words for _, _, words in _lines(text)))
    return shown


def _read(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _bars(root: ET.Element) -> list[tuple[str, float, float, float]]:
    """(name, value, top, bottom) of each bar, its value from its tooltip."""
    bars = []
    for rect in root.iter(f"{SVG}rect"):
        tip = rect.find(f"{SVG}title")
        if tip is not None and tip.text:
            name, _, value = tip.text.rpartition(": ")
            top = float(rect.get("y", "nan"))
            bars.append((name, float(value.replace(",", "")), top, top + float(rect.get("height", "nan"))))
    return bars


def test_bar_chart_of_counts_has_whole_distinct_ticks_at_their_values() -> None:
    svg = charts.bar_chart("Internal complaints per supplying process",
                           [("purchasing", 3.0), ("production.planning", 2.0), ("sales", 1.0)], counts=True)
    root = _read(svg)
    labels, y_of = _value_axis(root)
    assert labels == [0, 1, 2, 3]  # once read 0,1,2,2,3
    for name, value, top, bottom in _bars(root):
        assert abs(top - y_of(value)) <= 0.11 and abs(bottom - y_of(0)) <= 0.11, name
    shown = _check_text_inside(root)
    assert "production.planning" in shown  # once cut to production.plannin


@pytest.mark.parametrize("values", [[103.0, 77.0, 51.0, 26.0], [-33.0, 25.0, 40.0, None], [0.07, 0.02],
                                    [1234.5, 987.0], [5.0, 5.0]])
def test_line_chart_ticks_are_nice_and_points_sit_at_their_values(values: list[float | None]) -> None:
    points = [(f"2026-Q{n}", v) for n, v in enumerate(values, start=1)]
    root = _read(charts.line_chart("A KPI by quarter", points, target=40.0))
    labels, y_of = _value_axis(root)
    known = [v for v in values if v is not None]
    assert min(labels) <= min([*known, 0, 40]) and max(labels) >= max([*known, 40])
    for circle in root.iter(f"{SVG}circle"):
        tip = circle.find(f"{SVG}title")
        value = float((tip.text or "").rpartition(": ")[2].replace(",", "")) if tip is not None else math.nan
        assert abs(float(circle.get("cy", "nan")) - y_of(value)) <= 0.11
    _check_text_inside(root)


def test_waterfall_steps_start_and_end_at_their_running_totals() -> None:
    steps = [("sales", 0.0), ("production.planning", 1.35), ("production.machining", 4.05),
             ("purchasing-of-raw-materials-and-parts", -1.0), ("delivery", 2.0)]
    root = _read(charts.waterfall("Days of delay per step, order ORD-2026-0042", steps))
    _, y_of = _value_axis(root)
    running = 0.0
    for (name, delta), (bar, _, top, bottom) in zip(steps, _bars(root), strict=True):
        assert bar == name
        ends = sorted((y_of(running), y_of(running + delta)))
        running += delta
        assert abs(top - ends[0]) <= 0.11 and (abs(bottom - ends[1]) <= 0.11 or bottom - top == 1)
    shown = _check_text_inside(root)
    for name, _ in steps:  # every label whole, however it was wrapped
        assert name in shown


def test_long_titles_and_many_long_labels_stay_inside() -> None:
    names = [f"process-with-a-rather-long-name-{n}" for n in range(12)]
    root = _read(charts.bar_chart("A title that is much longer than the chart is wide, so it has to be wrapped "
                                  "onto a second line to fit", [(n, float(i)) for i, n in enumerate(names)]))
    _value_axis(root)
    shown = _check_text_inside(root)
    assert all(name in shown for name in names)


def test_many_categories_grow_the_picture_instead_of_cutting_labels() -> None:
    names = [f"supplier-{n:02d}-with-a-long-name" for n in range(40)]
    root = _read(charts.bar_chart("Complaints", [(n, 1.0 + i % 3) for i, n in enumerate(names)], counts=True))
    _, y_of = _value_axis(root)
    assert y_of(0) - y_of(3) > 150  # the plot keeps its height
    shown = _check_text_inside(root)
    assert all(name in shown for name in names)


@pytest.mark.parametrize("args", [("nps",), ("kpi", "--kpi", "delivery/on-time-delivery"), ("complaints",),
                                  ("delay",)])
def test_every_chart_of_the_example_reads_back(qms: Qms, tmp_path: Path, args: tuple[str, ...]) -> None:
    target = tmp_path / "chart.svg"
    assert qms("report", "chart", args[0], EXAMPLE, *args[1:], "-o", target).code == 0
    root = ET.parse(target).getroot()
    _value_axis(root)
    _check_text_inside(root)


def test_dashboards_page_has_each_heading_once() -> None:
    manual = load_manual(EXAMPLE).manual
    pages, _ = build_pages(SiteInput(manual, History(available=False), date(2026, 11, 27)))
    page = next(p for p in pages if p.path == "dashboards.md").content
    headings = re.findall(r"^## (.+)$", page, flags=re.MULTILINE)
    assert len(headings) >= 3 and len(headings) == len(set(headings)), headings
    chart_titles = re.findall(r"<svg[^>]*>\s*<title>([^<]+)</title>", page)
    assert len(chart_titles) == len(headings)
    assert not set(headings) & set(chart_titles), "a chart repeats its heading as its title"

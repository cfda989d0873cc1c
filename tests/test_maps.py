"""Readable process maps: within the page column, nothing overlapping, no small text, parents framing their
sub-processes, nodes linked and reachable by keyboard; on the example and on generated manuals of 20 to 40
processes (another company's: tests/process_manual.py), checked from dot's own layout and in Chromium.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from qmskit.analysis.processmap import ProcessMap
from qmskit.diagram import views
from qmskit.diagram.layout import clashes, read_layout
from qmskit.diagram.render import fitted, render
from qmskit.diagram.style import PAGE_WIDTH, node_name
from qmskit.loading.load import load_manual
from qmskit.model import Manual
from tests.conftest import EXAMPLE, commit_all, git, site_server
from tests.process_manual import process_manual

SVG = "{http://www.w3.org/2000/svg}"
SMALLEST_PX = 11.0


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Manual]:
    base = tmp_path_factory.mktemp("generated")
    return {count: load_manual(process_manual(base / str(count), count, seed=count)).manual for count in (20, 30, 40)}


def _boxes(source: str) -> dict[str, Any]:
    """Nodes, text lines and clusters as dot laid them out (read independently of qmskit.diagram.layout)."""
    done = subprocess.run(["dot", "-Tjson"], input=source.encode(), capture_output=True, check=True, timeout=60)
    graph = json.loads(done.stdout)
    names = {o["_gvid"]: o["name"] for o in graph.get("objects", [])}
    nodes, texts, clusters = {}, [], []
    for item in graph.get("objects", []):
        ops = item.get("_ldraw_", [])
        if "nodes" in item:
            if item["name"].startswith("cluster"):
                box = tuple(float(v) for v in item["bb"].split(","))
                clusters.append((item["name"], box, {names[n] for n in item["nodes"]}))
        else:
            x, y = map(float, item["pos"].split(","))
            half_w, half_h = float(item["width"]) * 36, float(item["height"]) * 36
            nodes[item["name"]] = (x - half_w, y - half_h, x + half_w, y + half_h)
        if "nodes" in item:
            texts += [(item["name"], box) for box in _text(ops)]
    for edge in graph.get("edges", []):
        texts += [(f"edge {edge['_gvid']}", box) for box in _text([*edge.get("_ldraw_", []),
                                                                    *edge.get("_xldraw_", [])])]
    width = float(graph["bb"].split(",")[2]) - float(graph["bb"].split(",")[0])
    return {"nodes": nodes, "texts": texts, "clusters": clusters, "width": width}


def _text(ops: list[dict[str, Any]]) -> list[tuple[float, ...]]:
    boxes, size = [], 14.0
    for op in ops:
        if op["op"] == "F":
            size = op["size"]
        elif op["op"] == "T":
            x, y = op["pt"]
            left = {"c": x - op["width"] / 2, "l": x}.get(op["align"], x - op["width"])
            boxes.append((left, y - size * 0.25, left + op["width"], y + size * 0.85))
    return boxes


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _problems(source: str) -> list[str]:
    laid = _boxes(source)
    nodes, texts = laid["nodes"], laid["texts"]
    found = [f"width {laid['width']:.0f} pt"] if laid["width"] > PAGE_WIDTH else []
    items = sorted(nodes.items())
    found += [f"{a} on {b}" for i, (a, box) in enumerate(items) for b, other in items[i + 1:] if _overlap(box, other)]
    found += [f"text of {owner} on {name}" for owner, box in texts for name, node in nodes.items()
              if _overlap(box, node)]
    found += [f"text of {a} on text of {b}" for i, (a, box) in enumerate(texts) for b, other in texts[i + 1:]
              if a != b and _overlap(box, other)]
    found += [f"{name} on {cluster}" for cluster, frame, members in laid["clusters"] for name, node in nodes.items()
              if name not in members and _overlap(frame, node)]
    return found


def _maps(manual: Manual) -> Iterator[tuple[int, str]]:
    for depth in (1, 2):
        yield depth, fitted(views.map_variants(manual, depth), PAGE_WIDTH)


def test_example_map_fits_the_column_with_nothing_overlapping() -> None:
    manual = load_manual(EXAMPLE).manual
    for depth, source in _maps(manual):
        assert _problems(source) == [], depth
        assert source in views.map_variants(manual, depth)


@pytest.mark.parametrize("count", [20, 30, 40])
def test_generated_maps_fit_the_column_with_nothing_overlapping(generated: dict[int, Manual], count: int) -> None:
    manual = generated[count]
    assert len(manual.processes) == count
    pmap = ProcessMap(manual)
    for depth, source in _maps(manual):
        assert _problems(source) == [], (count, depth)
        shown = {node_name("p", p) for p in pmap.processes if pmap.level(p) <= depth}
        assert shown <= set(_boxes(source)["nodes"]), (count, depth)  # every process at that depth is drawn


def test_the_fitted_map_uses_the_widest_rows_that_fit(generated: dict[int, Manual]) -> None:
    manual = generated[30]
    variants = views.map_variants(manual, 1)
    chosen = fitted(variants, PAGE_WIDTH)
    index = variants.index(chosen)
    assert all(_boxes(v)["width"] > PAGE_WIDTH for v in variants[:index])  # every wider grid was too wide
    assert index < len(variants) - 1  # and the map is not squeezed to the narrowest


def test_map_text_is_never_below_11_px_at_natural_size(generated: dict[int, Manual]) -> None:
    for manual in (load_manual(EXAMPLE).manual, generated[40]):
        for depth, source in _maps(manual):
            svg = ET.fromstring(render(source, "svg"))
            assert float(svg.get("width", "").removesuffix("pt")) <= PAGE_WIDTH
            sizes = {float(t.get("font-size", "0")) * 4 / 3 for t in svg.iter(f"{SVG}text")}
            assert sizes and min(sizes) >= SMALLEST_PX, (depth, sorted(sizes))


def test_parents_frame_their_sub_processes_at_depth_2(generated: dict[int, Manual]) -> None:
    for manual in (load_manual(EXAMPLE).manual, generated[30]):
        pmap = ProcessMap(manual)
        laid = _boxes(views.interaction_map(manual, 2).source)
        frames = {name: (box, members) for name, box, members in laid["clusters"]}
        assert pmap.children
        for parent, kids in pmap.children.items():
            if pmap.level(parent) != 1:
                continue
            box, members = frames[f"cluster_{node_name('f', parent)}"]
            expected = {node_name("p", kid) for kid in kids} | {node_name("p", parent)}
            assert members == expected, parent
            for member in members:  # drawn inside the frame
                node = laid["nodes"][member]
                assert box[0] <= node[0] and node[2] <= box[2] and box[1] <= node[1] and node[3] <= box[3]


def test_every_flow_keeps_its_names_in_the_tooltip() -> None:
    manual = load_manual(EXAMPLE).manual
    svg = render(views.interaction_map(manual).source, "svg").decode()
    titles = set(re.findall(r'xlink:title="([^"]*)"', svg))
    for edge in ProcessMap(manual).edges(1):
        assert any(all(name.replace("'", "&#39;") in title for name in edge.names) for title in titles), edge


def test_a_hostile_organisation_name_wraps_within_the_column(tmp_path: Path) -> None:
    manual = process_manual(tmp_path / "manual", 12)
    config = manual / "qms.yaml"
    config.write_text(config.read_text().replace("name: Example Company Ltd", "name: " + "W" * 300 + " <b>&amp;"))
    source = fitted(views.map_variants(load_manual(manual).manual), PAGE_WIDTH)
    assert _problems(source) == []
    assert "&lt;b&gt;&amp;amp;" in source


def test_layout_reports_what_overlaps() -> None:
    source = 'digraph { a [pos="0,0"]; b [pos="20,10"]; c [pos="400,0"] }'
    done = subprocess.run(["neato", "-n", "-Tjson"], input=source.encode(), capture_output=True, check=True)
    laid = read_layout(done.stdout)
    assert ("a", "b") in clashes(laid)
    assert not any("c" in pair for pair in clashes(laid))
    assert laid.width > 400


def test_qms_diagram_draws_the_map_that_fits(qms: Any, tmp_path: Path) -> None:
    assert qms("diagram", EXAMPLE, "-o", tmp_path / "map.svg").code == 0
    svg = ET.parse(tmp_path / "map.svg").getroot()
    assert float(svg.get("width", "").removesuffix("pt")) <= PAGE_WIDTH
    assert qms("diagram", EXAMPLE, "--all", "-o", tmp_path / "all").code == 0
    for name in ("map.svg", "map-detailed.svg"):
        width = ET.parse(tmp_path / "all" / name).getroot().get("width", "")
        assert float(width.removesuffix("pt")) <= PAGE_WIDTH, name
    dot = qms("diagram", EXAMPLE, "-f", "dot", "--base-url", "")  # without dot: the default grid of three
    assert dot.code == 0 and dot.out.strip() == views.interaction_map(load_manual(EXAMPLE).manual).source.strip()


# -- the built site, in Chromium --------------------------------------------------------------------------------

_MEASURE = """(selector) => {
  const box = document.querySelector(selector);
  const svg = box.querySelector('svg');
  const column = document.querySelector('.md-content__inner');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;  // CSS px per SVG unit
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  const links = [...svg.querySelectorAll('a')].map(a => a.getAttribute('xlink:href') || a.getAttribute('href'))
    .filter(Boolean);
  return {svg: svg.getBoundingClientRect().width, column: column.getBoundingClientRect().width,
          scroll: box.scrollWidth - box.clientWidth, smallest: Math.min(...sizes), links: links,
          tabindex: box.getAttribute('tabindex'), label: box.getAttribute('aria-label')};
}"""


_FOCUSED = """() => {
  const a = document.activeElement;
  return a.closest('.qms-map svg a') ? 'node' : a.closest('.qms-map') ? 'map' : '';
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("maps")
    built = {}
    for name, manual in (("example", EXAMPLE), ("generated", process_manual(base / "src-gen", 30, seed=30))):
        copy = base / f"manual-{name}"
        subprocess.run(["cp", "-r", str(manual), str(copy)], check=True)
        git(copy, "init", "-q", "-b", "main")
        commit_all(copy, "Manual")
        out = base / name
        done = subprocess.run([str(Path(sys.executable).parent / "qms"), "build", str(copy), "-o", str(out),
                               "--today", "2026-11-27", "--no-strict"], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        built[name] = out
    return built


@pytest.mark.browser
@pytest.mark.parametrize("name", ["example", "generated"])
def test_site_maps_fit_the_column_and_read_at_11_px(browser: Any, sites: dict[str, Path], name: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with site_server(sites[name]) as url:
        for address, selector in ((url + "/", ".qms-map"), (url + "/processes/", ".qms-map")):
            page.goto(address)
            found = page.evaluate(_MEASURE, selector)
            assert found["svg"] <= found["column"], (address, found["svg"], found["column"])
            assert found["scroll"] <= 0, address  # nothing hidden sideways
            assert found["smallest"] >= SMALLEST_PX, (address, found["smallest"])
            assert found["tabindex"] == "0" and found["label"], address
            processes = [link for link in found["links"] if "processes/" in link]
            assert len(processes) >= 12, address
            # every node link leads to a process page that exists
            for link in processes[:5]:
                assert page.request.get(page.url.rsplit("/", 1)[0] + "/" + link).ok, link
        page.goto(url + "/")
        focused = ""
        for _ in range(200):  # Tab from the top of the page reaches the map and a node link inside it
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED)
            if focused == "node":
                break
        assert focused == "node"
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/processes/[^/]+/$"))
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["example", "generated"])
def test_process_cards_fit_the_column_and_read_at_11_px(browser: Any, sites: dict[str, Path], name: str) -> None:
    """The card on every process page: at full size (never scaled below 11 px), in the layout that fits the column
    (top to bottom when left to right is too wide); a card too wide in every layout scrolls sideways in a region
    the keyboard reaches and screen readers name."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    processes = sorted(p.name for p in (sites[name] / "processes").iterdir() if (p / "index.html").is_file())
    assert len(processes) >= 12
    fitting = 0
    with site_server(sites[name]) as url:
        for process in processes:
            page.goto(f"{url}/processes/{process}/")
            found = page.evaluate(_MEASURE, ".md-content .qms-diagram")
            assert found["smallest"] >= SMALLEST_PX, (process, found["smallest"])
            assert found["tabindex"] == "0" and found["label"], process
            if found["svg"] <= found["column"]:
                fitting += 1
            else:
                assert found["scroll"] > 0, process  # what is wider than the column can be scrolled to
    assert fitting >= len(processes) // 2  # most cards fit at full size
    context.close()

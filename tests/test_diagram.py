"""Process diagrams: structure checked through Graphviz's own parser, hostile names, determinism, rendering."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from qmskit.analysis.processmap import ProcessMap
from qmskit.diagram import views
from qmskit.diagram.style import node_name
from qmskit.loading.load import load_manual
from qmskit.model import Manual
from tests.conftest import EXAMPLE, Result, edit

Qms = Callable[..., Result]
SVG = "{http://www.w3.org/2000/svg}"


def parsed(source: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Node names and visible edges (tail, head) as dot itself reads the DOT source."""
    done = subprocess.run(["dot", "-Tjson0"], input=source.encode(), capture_output=True, check=True)
    graph = json.loads(done.stdout)
    objects = graph.get("objects", [])
    nodes = {o["name"] for o in objects if "nodes" not in o and not o["name"].startswith("legend_")}
    edges = {(objects[e["tail"]]["name"], objects[e["head"]]["name"]) for e in graph.get("edges", [])
             if e.get("style") != "invis"}
    return nodes, edges


def _manual(root: Path = EXAMPLE) -> Manual:
    return load_manual(root).manual


def _linked(edges: set[tuple[str, str]], a: str, b: str) -> bool:
    return (a, b) in edges or (b, a) in edges  # flows within a row may be drawn reversed with dir=back


def _endpoint_names(pmap: ProcessMap, node: str, side: str) -> set[str]:
    if node in pmap.processes:
        return {node_name("p", node)}
    if pmap.is_customer(node):
        return {node_name("x" + side, node)}
    return {node_name("x", node)}


def test_map_has_every_process_and_every_flow() -> None:
    manual = _manual()
    pmap = ProcessMap(manual)
    nodes, edges = parsed(views.interaction_map(manual).source)
    top = {node_name("p", p.id) for p in pmap.top_level()}
    assert len(top) == 12
    assert top <= nodes
    expected = pmap.edges(1)
    assert len(expected) >= 35
    pairs = set()
    for edge in expected:
        [tail] = _endpoint_names(pmap, edge.source, "in")
        [head] = _endpoint_names(pmap, edge.target, "out")
        assert _linked(edges, tail, head), edge
        pairs.add(frozenset((tail, head)))
    # and nothing else is drawn (flows both ways within a row share one double-headed edge)
    assert {frozenset(edge) for edge in edges} == pairs


def test_detailed_map_shows_sub_processes_framed_by_their_parents() -> None:
    manual = _manual()
    nodes, _ = parsed(views.interaction_map(manual, depth=2).source)
    assert node_name("p", "production.machining") in nodes
    assert node_name("p", "leadership") in nodes  # no sub-processes: drawn as itself
    done = subprocess.run(["dot", "-Tjson0"], input=views.interaction_map(manual, depth=2).source.encode(),
                          capture_output=True, check=True)
    objects = json.loads(done.stdout)["objects"]
    frame = next(o for o in objects if o["name"] == f"cluster_{node_name('f', 'production')}")
    members = {objects[n]["name"] for n in frame["nodes"]}
    assert members == {node_name("p", p) for p in ("production", "production.planning", "production.machining",
                                                    "production.inspection")}


def test_every_process_card_shows_its_inputs_and_outputs() -> None:
    manual = _manual()
    for process in manual.processes:
        nodes, edges = parsed(views.process_card(manual, process.id).source)
        card = node_name("card", process.id)
        assert card in nodes
        # one edge per party on each side: parallel flows from one party share it
        assert sum(1 for tail, head in edges if head == card) == len({f.party for f in process.inputs}), process.id
        assert sum(1 for tail, head in edges if tail == card) == len({f.party for f in process.outputs}), process.id


def test_card_drills_down_into_sub_processes() -> None:
    manual = _manual()
    nodes, edges = parsed(views.process_card(manual, "production").source)
    kids = [node_name("p", k) for k in ("production.planning", "production.machining", "production.inspection")]
    assert set(kids) <= nodes
    assert (kids[0], kids[1]) in edges and (kids[1], kids[2]) in edges


def test_value_chain_follows_order_to_delivery_with_lead_times() -> None:
    manual = _manual()
    steps = ProcessMap(manual).value_chain()
    assert [(s.process.id, s.start_day, s.end_day) for s in steps] == [
        ("sales.quotation", 0, 3), ("sales.order-handling", 3, 4), ("production.planning", 4, 6),
        ("production.machining", 6, 13), ("production.inspection", 13, 14), ("delivery", 14, 16)]
    source = views.value_chain(manual).source
    assert "16 days planned" in source
    _, edges = parsed(source)
    chain = ["order", *(node_name("p", s.process.id) for s in steps), "delivered"]
    assert edges == set(pairwise(chain))


HOSTILE = [
    'Evil "quote" <b>bold</b> & {braces} ] ; -> x',
    "Two\nlines \\N \\G \\l",
    "Lähetys ja ääkköset ÅÄÖ",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_do_not_change_the_graph(name: str, example: Path) -> None:
    before = {kind: parsed(source) for kind, source in _sources(_manual(example)).items()}
    quoted = json.dumps(name)  # a JSON string is a valid YAML double-quoted scalar
    edit(example / "processes/production.yaml", "name: Production\n", f"name: {quoted}\n")
    edit(example / "processes/production.yaml", "{name: Nonconformity reports, to: improvement}",
         f"{{name: {quoted}, to: improvement}}")
    edit(example / "organisation/parties.yaml", "name: Customers\n", f"name: {quoted}\n")
    edit(example / "organisation/roles.yaml", "name: Production manager", f"name: {quoted}")
    manual = _manual(example)
    assert next(p.name for p in manual.processes if p.id == "production") == name
    after = {kind: parsed(source) for kind, source in _sources(manual).items()}
    assert after == before


def _sources(manual: Manual) -> dict[str, str]:
    return {"map": views.interaction_map(manual).source, "card": views.process_card(manual, "production").source,
            "chain": views.value_chain(manual).source}


def test_hostile_label_is_escaped_in_svg(example: Path, qms: Qms) -> None:
    edit(example / "processes/production.yaml", "name: Production\n", 'name: "<script>alert(1)</script> & Co"\n')
    result = qms("diagram", example, "--view", "process", "--process", "production")
    assert result.code == 0
    root = ET.fromstring(result.out)  # still well-formed XML
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</script> &amp; Co" not in result.out
    assert any("<script>alert(1)</script> & Co" in t for t in texts)
    assert root.find(f".//{SVG}script") is None


def test_output_is_deterministic(example: Path, qms: Qms, tmp_path: Path) -> None:
    first = qms("diagram", EXAMPLE, "--format", "svg").out
    second = qms("diagram", example, "--format", "svg").out
    assert first == second
    assert qms("diagram", EXAMPLE, "--format", "dot").out == qms("diagram", example, "--format", "dot").out


def test_nodes_link_to_their_pages(qms: Qms) -> None:
    out = qms("diagram", EXAMPLE, "--base-url", "../").out
    root = ET.fromstring(out)
    links = {a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")}
    assert "../processes/production/" in links
    assert "../processes/sales/" in links


def test_all_views_render_to_valid_svg(tmp_path: Path, qms: Qms) -> None:
    out = tmp_path / "diagrams"
    assert qms("diagram", EXAMPLE, "--all", "-o", out).code == 0
    drawn = [p for p in out.iterdir() if p.name != ".qms-output"]  # the marker of a qms output folder
    files = sorted(p.name for p in drawn)
    assert len(files) == 3 + len(_manual().processes)
    assert {"map.svg", "map-detailed.svg", "chain.svg", "process-production.machining.svg"} <= set(files)
    for path in drawn:
        assert ET.parse(path).getroot().tag == f"{SVG}svg", path


def test_png_and_pdf(tmp_path: Path, qms: Qms) -> None:
    assert qms("diagram", EXAMPLE, "-f", "png", "-o", tmp_path / "map.png").code == 0
    assert (tmp_path / "map.png").read_bytes().startswith(b"\x89PNG")
    assert qms("diagram", EXAMPLE, "--view", "chain", "-f", "pdf", "-o", tmp_path / "c.pdf").code == 0
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")


def test_missing_dot_says_how_to_install(monkeypatch: pytest.MonkeyPatch, qms: Qms, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = qms("diagram", EXAMPLE)
    assert result.code == 2
    assert "apt-get install graphviz" in result.err
    dot = qms("diagram", EXAMPLE, "--format", "dot")
    assert dot.code == 0
    assert dot.out.startswith("digraph process_map {")


def test_usage_errors(qms: Qms) -> None:
    assert qms("diagram", EXAMPLE, "--view", "process").code == 2
    assert qms("diagram", EXAMPLE, "--view", "process", "--process", "nope").code == 2
    assert qms("diagram", EXAMPLE, "--view", "pie").code == 2
    assert qms("diagram", EXAMPLE, "--all").code == 2


def test_core_band_reads_from_the_customer_along_the_chain_to_the_customer() -> None:
    """Requirements above the core processes, the chain left to right (rows wrap), the customer below."""
    source = views.interaction_map(_manual(), per_row=5).source
    done = subprocess.run(["dot", "-Tplain"], input=source.encode(), capture_output=True, check=True)
    at = {parts[1]: (float(parts[2]), float(parts[3])) for line in done.stdout.decode().splitlines()
          if (parts := line.split()) and parts[0] == "node"}
    chain = [node_name("p", p) for p in ("sales", "production", "delivery")]
    assert [at[key][0] for key in chain] == sorted(at[key][0] for key in chain)
    assert len({at[key][1] for key in chain}) == 1  # one row
    assert at[node_name("xin", "customer")][1] > at[chain[0]][1] > at[node_name("xout", "customer")][1]

"""dot's own layout of a graph (its `-Tjson` output), read back: how wide it is, and whether any node, any line
of text or any frame lands on another. Pure: `render.fitted` runs dot and asks these questions.

Coordinates are points (1/72 inch); a browser shows an SVG from dot at 4/3 px per point.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float
    owner: str  # the node, edge or cluster the box belongs to

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.bottom < other.top \
            and other.bottom < self.top


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    nodes: tuple[Box, ...]
    texts: tuple[Box, ...]  # every line of an edge's or a cluster's label
    frames: tuple[tuple[Box, frozenset[str]], ...]  # each cluster's box, with the nodes inside it


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float, str)) else 0.0


def _text_boxes(ops: Iterable[Mapping[str, Any]], owner: str) -> list[Box]:
    """Boxes of the text lines an xdot drawing draws (`T` operations), from their anchor, alignment and width."""
    boxes, size = [], 14.0
    for op in ops:
        if op.get("op") == "F":
            size = _number(op.get("size"))
        elif op.get("op") == "T":
            x, y = (_number(v) for v in op.get("pt", (0, 0)))
            width = _number(op.get("width"))
            left = {"c": x - width / 2, "l": x}.get(str(op.get("align")), x - width)
            boxes.append(Box(left, y - size * 0.25, left + width, y + size * 0.85, owner))
    return boxes


def read_layout(output: str | bytes) -> Layout:
    """A layout from `dot -Tjson` output."""
    graph = json.loads(output)
    left, bottom, right, top = (float(v) for v in str(graph.get("bb", "0,0,0,0")).split(","))
    objects = graph.get("objects", [])
    names = {item["_gvid"]: str(item.get("name", "")) for item in objects}
    nodes, texts, frames = [], [], []
    for item in objects:
        name = names[item["_gvid"]]
        if "nodes" in item or "subgraphs" in item:  # a subgraph
            if name.startswith("cluster") and "bb" in item:
                x0, y0, x1, y1 = (float(v) for v in str(item["bb"]).split(","))
                members = frozenset(names.get(gvid, "") for gvid in item.get("nodes", ()))
                frames.append((Box(x0, y0, x1, y1, name), members))
                texts += _text_boxes(item.get("_ldraw_", ()), name)
        elif "pos" in item:
            x, y = (float(v) for v in str(item["pos"]).split(","))
            half_w, half_h = float(item["width"]) * 36, float(item["height"]) * 36
            nodes.append(Box(x - half_w, y - half_h, x + half_w, y + half_h, name))
    for edge in graph.get("edges", []):
        owner = f"edge {edge.get('_gvid')}"
        texts += _text_boxes([*edge.get("_ldraw_", ()), *edge.get("_xldraw_", ())], owner)
    return Layout(right - left, top - bottom, tuple(nodes), tuple(texts), tuple(frames))


def clashes(layout: Layout) -> list[tuple[str, str]]:
    """Pairs of things that overlap: two nodes, a line of text and a node, lines of two different labels, or a
    node and a frame it does not belong to."""
    found = []
    nodes, texts = layout.nodes, layout.texts
    found += [(a.owner, b.owner) for i, a in enumerate(nodes) for b in nodes[i + 1:] if a.overlaps(b)]
    found += [(t.owner, n.owner) for t in texts for n in nodes if t.overlaps(n)]
    found += [(a.owner, b.owner) for i, a in enumerate(texts) for b in texts[i + 1:]
              if a.owner != b.owner and a.overlaps(b)]
    found += [(frame.owner, n.owner) for frame, members in layout.frames for n in nodes
              if n.owner not in members and frame.overlaps(n)]
    return found

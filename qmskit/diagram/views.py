"""Manual -> Graphviz graphs: the interaction map, the process card ("turtle") and the value chain.

Pure: builds DOT source with python-graphviz and never runs `dot`. Everything from the manual enters a label
through `style.text` (HTML-like labels) or `style.plain` (tooltips), and node names come from `style.node_name`,
so no name can change the structure of the graph. Output is sorted, so the same manual gives the same DOT.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import graphviz

from qmskit import i18n, urls
from qmskit.analysis.processmap import Edge, ProcessMap
from qmskit.diagram.style import (
    CATEGORY_TITLES,
    EDGE_COLOUR,
    FONT,
    category_colours,
    node_name,
    party_colours,
    plain,
    text,
)
from qmskit.escape import safe_url
from qmskit.i18n import N_, NP_, _, format_number, pgettext
from qmskit.model import Flow, Manual, Process

VIEWS = ("map", "process", "chain")
# Parallel flows between the same two nodes share one edge; past this many names its label shows a count
# instead of every name, so ten thousand flows make one short label rather than a page of text for dot.
MAX_NAMES = 6
# What a party's node says under its name: its side of the map, or its kind (message context, English id)
PARTY_WORDS = {"in": NP_("party on the map", "requirements"), "out": NP_("party on the map", "receives"),
               "customer": NP_("party kind", "customer"), "supplier": NP_("party kind", "supplier"),
               "regulator": NP_("party kind", "regulator"), "partner": NP_("party kind", "partner"),
               "other": NP_("party kind", "other")}


@dataclass(frozen=True, slots=True)
class Links:
    """Prefix for node links: the site's root URL, or a relative path from the page that shows the diagram."""

    base: str = ""
    # the site's page names (urls.distinct_names); empty: every id by its slug
    processes: urls.PageNames = urls.SLUGS
    documents: urls.PageNames = urls.SLUGS

    @classmethod
    def site(cls, manual: Manual, base: str = "") -> Links:
        """Links to the pages `qms build` makes of this manual, named as it names them."""
        return cls(base, urls.PageNames.of(p.id for p in manual.processes),
                   urls.PageNames.of(d.id for d in manual.documents))

    def process(self, process_id: str) -> str:
        # dot writes URLs into the SVG unescaped
        return safe_url(self.base + urls.process_page(process_id, self.processes))

    def document(self, document_id: str) -> str:
        return safe_url(self.base + urls.document_page(document_id, self.documents))


def _graph(name: str, title: str, rankdir: str = "LR") -> graphviz.Digraph:
    graph = graphviz.Digraph(name=name)
    graph.attr(rankdir=rankdir, newrank="true", compound="true", fontname=FONT, fontsize="16", labelloc="t",
               label=f"<<b>{text(title)}</b>>", bgcolor="white", pad="0.3", nodesep="0.35", ranksep="0.8",
               charset="UTF-8", forcelabels="true")
    graph.attr("node", fontname=FONT, fontsize="11", shape="box", style="rounded,filled", penwidth="1.2",
               margin="0.15,0.07")
    graph.attr("edge", fontname=FONT, fontsize="9", color=EDGE_COLOUR, fontcolor="#374151", arrowsize="0.7")
    return graph


def _wrap(value: str, width: int = 28) -> str:
    return "<br/>".join(text(line) for line in textwrap.wrap(value, width) or [""])


def _process_node(graph: graphviz.Digraph, process: Process, manual: Manual, links: Links,
                  bold: bool = False) -> None:
    fill, border, ink = category_colours(process.category)
    owner = next((r.name for r in manual.roles if r.id == process.owner), process.owner)
    label = f'<<b>{_wrap(process.name, 22)}</b><br/><font point-size="9" color="{ink}">{text(owner)}</font>>'
    graph.node(node_name("p", process.id), label=label, fillcolor=fill, color=border, fontcolor=ink,
               penwidth="2.4" if bold else "1.2", URL=plain(links.process(process.id)), target="_top",
               tooltip=plain(f"{process.name}: {process.purpose}" if process.purpose else process.name))


def _party_node(graph: graphviz.Digraph, pmap: ProcessMap, party_id: str, side: str = "") -> str:
    party = pmap.parties.get(party_id)
    name = party.name if party else party_id
    kind = party.kind if party else "other"
    fill, border, ink = party_colours(kind)
    key = node_name("x" + side, party_id)
    words = PARTY_WORDS.get(side) or PARTY_WORDS.get(kind)
    suffix = pgettext(*words) if words else kind
    graph.node(key, label=f'<{_wrap(name, 22)}<br/><font point-size="9">{text(suffix)}</font>>', shape="box",
               style="filled,dashed" if kind != "customer" else "rounded,filled,bold", fillcolor=fill,
               color=border, fontcolor=ink, tooltip=plain(name))
    return key


def _lines(names: Iterable[str], width: int) -> str:
    """Label lines for the flows of one edge: every name, or the first few and a count of all."""
    listed = list(names)
    if len(listed) <= MAX_NAMES:
        return "<br/>".join(_wrap(n, width) for n in listed)
    shown = listed[: MAX_NAMES - 1]
    more = "<i>" + text(_("+ {more} more ({count} flows)").format(more=format_number(len(listed) - len(shown)),
                                                                   count=format_number(len(listed)))) + "</i>"
    return "<br/>".join([*(_wrap(n, width) for n in shown), more])


def _edge(graph: graphviz.Digraph, tail: str, head: str, names: Iterable[str], wrap: int = 24, **attrs: str) -> None:
    graph.edge(tail, head, label=f"<{_lines(names, wrap)}>", **attrs)


# Nodes side by side in a row of the map, most first: the edge (`render.fitted`) keeps the widest grid that dot
# lays out within the page column. One column would make every flow a flat edge (slow in dot, and unreadable).
ROW_LENGTHS = (5, 4, 3, 2)


def map_variants(manual: Manual, depth: int = 1, links: Links = Links()) -> list[str]:
    """The interaction map's DOT source in each row length, widest first, for `render.fitted` to choose from."""
    return [interaction_map(manual, depth, links, per_row).source for per_row in ROW_LENGTHS]


def interaction_map(manual: Manual, depth: int = 1, links: Links = Links(), per_row: int = 3) -> graphviz.Digraph:
    """Every process (to `depth` levels) grouped by category, every flow between them, parties at the edges.

    Top-down rows: management processes, the customer's requirements, the core processes along the value
    chain, what the customer receives, support processes, then the other parties. A row holds at most
    `per_row` nodes and wraps, so the width does not grow with the number of processes. A process whose
    sub-processes are drawn (depth > 1) heads a frame around them. Rows are fixed by invisible
    edges; the real flows do not constrain the layout, so they cannot scramble it.

    Flows are arrows; what flows is the arrow's tooltip (and the process pages list it): labels for dozens of
    flows cannot fit a page column at a readable size without overlapping (decision 0024).
    """
    pmap = ProcessMap(manual)
    graph = _graph("process_map", "", rankdir="LR")
    # the name on lines that fit the narrowest grid (34 of the widest letters at 16 pt), what it is below
    name = _wrap(manual.config.organisation or _("Quality management system"), 34)
    what = text(_("process map"))
    graph.attr(ranksep="0.45", nodesep="0.25", label=f"<<b>{name}</b><br/>{what}>")
    order = _chain_order(pmap, depth)
    drawn = {p.id for p in _shown(pmap, depth)}
    edges = _without_summaries(pmap, pmap.edges(depth), depth)
    customers_in = sorted({e.source for e in edges if pmap.is_customer(e.source)})
    customers_out = sorted({e.target for e in edges if pmap.is_customer(e.target)})
    others = sorted({end for e in edges for end in (e.source, e.target)
                     if end not in pmap.processes and not pmap.is_customer(end)})
    rows: list[list[str]] = []
    frame = _Frames(pmap, manual, links=links, depth=depth, per_row=per_row, order=order, drawn=drawn, rows=rows)
    tops = [p for p in pmap.top_level() if p.id in drawn or p.id in pmap.children]
    has_core = any(p.category == "core" for p in tops)
    if not has_core:
        _party_rows(graph, pmap, customers_in, "in", per_row=per_row, rows=rows)
    for category in (*CATEGORIES, ""):
        members = [p.id for p in tops if (p.category == category if category else p.category not in CATEGORIES)]
        if not members:
            continue
        _fill, border, ink = category_colours(category)
        with graph.subgraph(name=f"cluster_{category or 'other'}") as cluster:
            title = _(CATEGORY_TITLES.get(category, N_("Other processes")))
            cluster.attr(label=f"<<b>{text(title)}</b>>",
                         style="rounded,dashed", color=border, fontcolor=ink, fontsize="12")
            if category == "core":  # the core band reads from the customer's requirements to the customer
                _party_rows(cluster, pmap, customers_in, "in", per_row=per_row, rows=rows, framed=False)
            frame.fill(cluster, members, 1)
            if category == "core":
                _party_rows(cluster, pmap, customers_out, "out", per_row=per_row, rows=rows, framed=False)
    if not has_core:
        _party_rows(graph, pmap, customers_out, "out", per_row=per_row, rows=rows)
    _party_rows(graph, pmap, others, "", per_row=per_row, rows=rows)
    place = {key: (r, c) for r, row in enumerate(rows) for c, key in enumerate(row)}
    for edge in edges:
        tail, head = _endpoint(pmap, edge.source, "in"), _endpoint(pmap, edge.target, "out")
        # constraint=false: the grid alone decides where nodes go. Two nodes in one column share a rank, and
        # the edges that order the rows run upwards there (see _stack_rows): a flow running downwards is drawn
        # upwards with its arrow reversed, because opposing edges within a rank can keep dot from finishing.
        upside_down = tail in place and head in place and place[tail][1] == place[head][1] \
            and place[tail][0] < place[head][0]
        if upside_down:
            graph.edge(head, tail, tooltip=_tooltip(edge.names), constraint="false", dir="back")
        else:
            graph.edge(tail, head, tooltip=_tooltip(edge.names), constraint="false")
    _stack_rows(graph, rows)
    return graph


CATEGORIES = tuple(CATEGORY_TITLES)


def _tooltip(names: Iterable[str]) -> graphviz.quoting.NoHtml:
    """The flows of an edge drawn without a label: their names where the pointer (or a screen reader) finds them."""
    listed = list(names)
    shown = listed if len(listed) <= MAX_NAMES else [*listed[: MAX_NAMES - 1],
                                                      f"+ {len(listed) - MAX_NAMES + 1:,} more ({len(listed):,} flows)"]
    return plain("; ".join(name or "(unnamed)" for name in shown))


class _Frames:
    """Places processes into wrapped rows; a process whose sub-processes are drawn becomes a frame (a cluster)
    around them. Nesting goes only as deep as `depth` (at most 9 on the command line), never as deep as the
    manual's hierarchy."""

    def __init__(self, pmap: ProcessMap, manual: Manual, *, links: Links, depth: int, per_row: int,
                 order: dict[str, int], drawn: set[str], rows: list[list[str]]) -> None:
        self.pmap, self.manual, self.links, self.depth = pmap, manual, links, depth
        self.per_row, self.order, self.drawn, self.rows = max(per_row, 1), order, drawn, rows

    def _sorted(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda pid: (self.order.get(pid, len(self.order)), pid))

    def fill(self, graph: graphviz.Digraph, ids: Iterable[str], level: int) -> None:
        run: list[str] = []
        for pid in self._sorted(ids):
            if pid in self.drawn:
                run.append(pid)
                continue
            self._rows(graph, run)
            run = []
            kids = self.pmap.children.get(pid, ())
            if level >= self.depth or not kids:
                continue
            process = self.pmap.processes[pid]
            _fill, border, _ink = category_colours(process.category)
            with graph.subgraph(name=f"cluster_{node_name('f', pid)}") as frame:
                # the parent heads its frame as a node of its own: dot reserves room for a node, while a
                # cluster's label in a left-to-right layout can land on the nodes below it
                frame.attr(label="", style="rounded", color=border, penwidth="1.6")
                _process_node(frame, process, self.manual, self.links, bold=True)
                self.rows.append([node_name("p", pid)])
                self.fill(frame, kids, level + 1)
        self._rows(graph, run)

    def _rows(self, graph: graphviz.Digraph, ids: list[str]) -> None:
        for start in range(0, len(ids), self.per_row):
            row = ids[start:start + self.per_row]
            for pid in row:
                _process_node(graph, self.pmap.processes[pid], self.manual, self.links)
            self.rows.append([node_name("p", pid) for pid in row])


def _party_rows(graph: graphviz.Digraph, pmap: ProcessMap, parties: list[str], side: str, *, per_row: int,
                rows: list[list[str]], framed: bool = True) -> None:
    """Parties in rows of their own; `framed`: inside a frameless cluster, because dot keeps a cluster's nodes
    together and in the order of the clusters, where loose nodes would drift to wherever their flows pull."""
    if not parties:
        return
    if framed:
        with graph.subgraph(name=f"cluster_parties_{side or 'other'}") as group:
            group.attr(label="", peripheries="0")
            _party_rows(group, pmap, parties, side, per_row=per_row, rows=rows, framed=False)
        return
    for start in range(0, len(parties), max(per_row, 1)):
        rows.append([_party_node(graph, pmap, party, side) for party in parties[start:start + max(per_row, 1)]])


def _chain_order(pmap: ProcessMap, depth: int) -> dict[str, int]:
    """Position of each visible process (and its ancestors) along the value chain, so the core rows read order
    -> delivery."""
    order: dict[str, int] = {}
    for step in pmap.value_chain():
        for level in range(1, depth + 1):
            order.setdefault(pmap.visible(step.process.id, level), len(order))
    return order


def _stack_rows(graph: graphviz.Digraph, rows: list[list[str]]) -> None:
    """The rows as a grid: dot lays out left to right, so each column is one rank and the width is the number
    of columns, whatever the flows (a flow across columns adds height, never width). Invisible edges keep each
    row's order; flat edges up the first column keep the rows in order."""
    columns = max((len(row) for row in rows), default=0)
    for column in range(columns):
        with graph.subgraph(name=f"column_{column}") as rank:
            rank.attr(rank="same")
            for row in rows:
                if column < len(row):
                    rank.node(row[column])
            if column == 0:  # dot orders a rank left to right, which rankdir=LR turns into bottom to top
                for above, below in pairwise(rows):
                    rank.edge(below[0], above[0], style="invis")
    for row in rows:
        for left, right in pairwise(row):
            graph.edge(left, right, style="invis", weight="100")


def _shown(pmap: ProcessMap, depth: int) -> list[Process]:
    """Processes drawn as nodes at `depth`: those at that level, and shallower ones without children."""
    return [p for p in sorted(pmap.processes.values(), key=lambda p: p.id)
            if pmap.level(p.id) == depth or (pmap.level(p.id) < depth and p.id not in pmap.children)]


def _without_summaries(pmap: ProcessMap, edges: list[Edge], depth: int) -> list[Edge]:
    """At depth > 1 a parent's own flows repeat what its sub-processes show in detail: keep only the detail."""
    drawn = {p.id for p in _shown(pmap, depth)}
    kept = []
    for edge in edges:
        hidden = [end for end in (edge.source, edge.target) if end in pmap.processes and end not in drawn]
        if hidden:
            continue  # a flow of a parent drawn as its sub-processes; the sub-processes' flows carry it
        kept.append(edge)
    return kept


def _endpoint(pmap: ProcessMap, node_id: str, side: str) -> str:
    if node_id in pmap.processes:
        return node_name("p", node_id)
    return node_name("x" + (side if pmap.is_customer(node_id) else ""), node_id)


def card_variants(manual: Manual, process_id: str, depth: int = 1, links: Links = Links()) -> list[str]:
    """A process card's DOT source left to right (the turtle diagram's reading), then top to bottom (narrower when
    the card has many inputs and outputs), for `render.fitted` to choose from."""
    return [process_card(manual, process_id, depth, links, rankdir=rankdir, wrap=wrap).source
            for rankdir, wrap in (("LR", 24), ("TB", 24), ("TB", 14))]


def process_card(manual: Manual, process_id: str, depth: int = 1, links: Links = Links(), *,
                 rankdir: str = "LR", wrap: int = 24) -> graphviz.Digraph:
    """One process: inputs with their sources, the card, outputs with their receivers; sub-processes below."""
    pmap = ProcessMap(manual)
    process = pmap.processes[process_id]
    graph = _graph(f"process_{node_name('p', process_id)}", _("{process} — process card").format(process=process.name),
                   rankdir)
    card = node_name("card", process.id)
    graph.node(card, label=_card_label(manual, process, 48 if wrap >= 24 else 28), shape="plain", fillcolor="white",
               style="filled",
               URL=plain(links.process(process.id)),
               target="_top", tooltip=plain(process.name))
    # one node and one edge per party on each side: parallel flows from one party share an edge
    if wrap < 24:
        graph.attr(nodesep="0.15")
    for index, (party, names) in enumerate(_by_party(process.inputs)):
        source = _card_party(graph, pmap, party, links=links, key=f"in{index}", wrap=wrap)
        _edge(graph, source, card, names, wrap)
    for index, (party, names) in enumerate(_by_party(process.outputs)):
        target = _card_party(graph, pmap, party, links=links, key=f"out{index}", wrap=wrap)
        _edge(graph, card, target, names, wrap)
    kids = _descendants(pmap, process.id, depth)
    if kids:
        with graph.subgraph(name="cluster_subprocesses") as cluster:
            cluster.attr(label="<<b>" + text(_("Sub-processes")) + "</b>>", style="rounded,dashed", color="#9ca3af")
            for kid in kids:
                _process_node(cluster, pmap.processes[kid], manual, links)
        for edge in pmap.edges(pmap.level(process.id) + depth, within=kids):
            _edge(graph, node_name("p", edge.source), node_name("p", edge.target), edge.names)
    return graph


def _by_party(flows: Iterable[Flow]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for flow in flows:
        grouped.setdefault(flow.party, []).append(flow.name)
    return [(party, sorted(set(names))) for party, names in sorted(grouped.items())]


def _descendants(pmap: ProcessMap, process_id: str, depth: int) -> list[str]:
    found: list[str] = []
    frontier = [process_id]
    for _level in range(depth):
        frontier = [kid for parent in frontier for kid in pmap.children.get(parent, ())]
        found += frontier
    deepest = set(frontier)
    return sorted(k for k in found if k in deepest or k not in pmap.children)


def _card_party(graph: graphviz.Digraph, pmap: ProcessMap, party: str, *, links: Links, key: str,
                wrap: int = 24) -> str:
    """A separate node per input and output, so the card reads like a turtle diagram (left in, right out)."""
    name = node_name(key, party)
    other = pmap.processes.get(party)
    if other is not None:
        fill, border, ink = category_colours(other.category)
        graph.node(name, label=f"<{_wrap(other.name, wrap)}>", fillcolor=fill, color=border, fontcolor=ink,
                   URL=plain(links.process(other.id)), target="_top", tooltip=plain(other.name))
        return name
    party_obj = pmap.parties.get(party)
    fill, border, ink = party_colours(party_obj.kind if party_obj else "other")
    graph.node(name, label=f"<{_wrap(party_obj.name if party_obj else party, wrap)}>", fillcolor=fill,
               color=border, fontcolor=ink, style="filled,dashed", tooltip=plain(party))
    return name


def _card_label(manual: Manual, process: Process, wrap: int = 48) -> str:
    fill, border, ink = category_colours(process.category)
    roles = {r.id: r.name for r in manual.roles}
    documents = {d.id: d.title for d in manual.documents}
    forms = {f.id: f.title for f in manual.forms}
    risks = {r.id: r.title for r in manual.risks}
    rows = [
        (_("Owner"), [roles.get(process.owner, process.owner)]),
        (_("Purpose"), [process.purpose]),
        (_("Customer"), [_party_name(manual, process.customer)]),
        (_("Lead time"), [i18n.days(process.lead_time_days)] if process.lead_time_days is not None else []),
        (_("Resources"), list(process.resources)),
        (_("Documents"), [f"{d} {documents.get(d, '')}".strip() for d in process.documents]),
        (_("Forms"), [forms.get(f, f) for f in process.forms]),
        (_("KPIs"), [f"{k.name}: {k.target}" for k in process.kpis]),
        (_("Risks"), [f"{r} {risks.get(r, '')}".strip() for r in process.risks]),
    ]
    cells = "".join(
        f'<tr><td align="left" valign="top"><font point-size="9" color="{ink}"><b>{text(name)}</b></font></td>'
        f'<td align="left" balign="left">{"<br/>".join(_wrap(v, wrap) for v in values)}</td></tr>'
        for name, values in rows if values and any(values)
    )
    return (f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="5" color="{border}">'
            f'<tr><td colspan="2" bgcolor="{fill}"><font point-size="13" color="{ink}"><b>{text(process.name)}'
            f'</b></font><br/><font point-size="9">{text(process.id)} · {text(_category(process.category))}'
            "</font></td></tr>"
            f"{cells}</table>>")


def _category(category: str) -> str:
    """A process category as the card names it (a category qmskit does not know stays as written)."""
    known = {"management": NP_("process category", "management"), "core": NP_("process category", "core"),
             "support": NP_("process category", "support")}
    return pgettext(*known[category]) if category in known else category


def _party_name(manual: Manual, party_id: str) -> str:
    names = {p.id: p.name for p in manual.parties} | {p.id: p.name for p in manual.processes}
    return names.get(party_id, party_id)


def value_chain(manual: Manual, links: Links = Links()) -> graphviz.Digraph:
    """The critical path from the customer's order to delivery, with each step's planned days."""
    pmap = ProcessMap(manual)
    steps = pmap.value_chain()
    total = steps[-1].end_day if steps else 0
    graph = _graph("value_chain", _("Value chain: order to delivery, {days} planned").format(days=i18n.days(total)))
    fill, border, ink = party_colours("customer")
    order = "<b>" + text(_("Customer order")) + "</b><br/>" + text(_("day {day}").format(day=format_number(0)))
    graph.node("order", label=f"<{order}>", fillcolor=fill, color=border, fontcolor=ink,
               style="rounded,filled,bold")
    previous = "order"
    longest = max((s.end_day - s.start_day for s in steps), default=0)
    for step in steps:
        process = step.process
        p_fill, p_border, p_ink = category_colours(process.category)
        days = step.end_day - step.start_day
        key = node_name("p", process.id)
        span = _("day {start} → {end} ({days} d)").format(start=format_number(step.start_day),
                                                         end=format_number(step.end_day), days=format_number(days))
        graph.node(key, label=f'<<b>{_wrap(process.name, 22)}</b><br/><font point-size="9">{text(span)}</font>>',
                   fillcolor=p_fill, color=p_border,
                   fontcolor=p_ink, penwidth="2.6" if days == longest and days > 0 else "1.2",
                   URL=plain(links.process(process.id)), target="_top",
                   tooltip=plain(_("{process}: planned lead time {days}").format(process=process.name,
                                                                                  days=i18n.days(days))))
        graph.edge(previous, key)
        previous = key
    delivered = ("<b>" + text(_("Delivered to the customer")) + "</b><br/>"
                 + text(_("day {day}").format(day=format_number(total))))
    graph.node("delivered", label=f"<{delivered}>", fillcolor=fill,
               color=border, fontcolor=ink, style="rounded,filled,bold")
    graph.edge(previous, "delivered")
    return graph


def view(manual: Manual, name: str, process_id: str = "", depth: int = 1, links: Links = Links()) -> graphviz.Digraph:
    """One view by name; `process` needs `process_id`."""
    if name == "map":
        return interaction_map(manual, depth, links)
    if name == "chain":
        return value_chain(manual, links)
    return process_card(manual, process_id, depth, links)


def all_views(manual: Manual, links: Links = Links()) -> dict[str, graphviz.Digraph]:
    """Every view, keyed by a file name stem: map, chain, and process-<id> for each process."""
    views = {"map": interaction_map(manual, 1, links), "map-detailed": interaction_map(manual, 2, links),
             "chain": value_chain(manual, links)}
    names = urls.PageNames.of(p.id for p in manual.processes)  # one file per process, however their ids slug
    for process in sorted(manual.processes, key=lambda p: p.id):
        views.setdefault(f"process-{names(process.id)}", process_card(manual, process.id, 1, links))
    return views

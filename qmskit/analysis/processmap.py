"""The process map as a graph: who delivers what to whom, at a chosen depth, and the value chain with its lead
times. Pure functions over the model; the diagrams and the flow reports draw on them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from qmskit.model import Manual, Party, Process


@dataclass(frozen=True, slots=True)
class Edge:
    """Something that flows from `source` to `target` (process or party ids); `names` are what flows."""

    source: str
    target: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChainStep:
    process: Process
    start_day: float  # planned, counted from the customer's order
    end_day: float


class ProcessMap:
    """Processes, parties and flows of one manual, with the parent hierarchy resolved once."""

    def __init__(self, manual: Manual) -> None:
        self.manual = manual
        self.processes: dict[str, Process] = {}
        for process in manual.processes:
            self.processes.setdefault(process.id, process)
        self.parties: dict[str, Party] = {}
        for party in manual.parties:
            self.parties.setdefault(party.id, party)
        self._visible: dict[int, Mapping[str, str]] = {}  # depth -> process id -> the ancestor drawn there

    # The hierarchy is resolved once, in time linear in the number of processes and without recursion: a
    # manual may nest processes as deep as it likes, and parent cycles (reported by QMS-PROC-003) end nowhere.

    @cached_property
    def in_cycle(self) -> frozenset[str]:
        """Processes on a loop of parent links: drawn as top-level processes."""
        state: dict[str, int] = {}  # 1 = on the walk being followed, 2 = finished
        looped: set[str] = set()
        for start in self.processes:
            walk: list[str] = []
            current: str | None = start
            while current is not None and current in self.processes and current not in state:
                state[current] = 1
                walk.append(current)
                current = self.processes[current].parent
            if current is not None and state.get(current) == 1:  # the walk came back onto itself
                looped.update(walk[walk.index(current):])
            for node in walk:
                state[node] = 2
        return frozenset(looped)

    def parent_of(self, process_id: str) -> str | None:
        """The parent a process is drawn under: None for top-level processes and those on a parent loop."""
        parent = self.processes[process_id].parent
        return parent if parent in self.processes and process_id not in self.in_cycle else None

    @cached_property
    def children(self) -> Mapping[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for process in self.processes.values():
            parent = self.parent_of(process.id)
            if parent is not None:
                found.setdefault(parent, []).append(process.id)
        return {parent: tuple(sorted(kids)) for parent, kids in found.items()}

    def top_level(self) -> list[Process]:
        return [p for p in self._sorted() if self.parent_of(p.id) is None]

    def _sorted(self) -> list[Process]:
        return sorted(self.processes.values(), key=lambda p: p.id)

    @cached_property
    def levels(self) -> Mapping[str, int]:
        """1 for a top-level process, 2 for its sub-processes, ... (children are found from their parents)."""
        found: dict[str, int] = {}
        frontier = [p.id for p in self.top_level()]
        depth = 1
        while frontier:
            for node in frontier:
                found[node] = depth
            frontier = [kid for node in frontier for kid in self.children.get(node, ())]
            depth += 1
        return found

    def level(self, process_id: str) -> int:
        return self.levels[process_id]

    def visible(self, node_id: str, depth: int) -> str:
        """The ancestor of a process that is drawn at `depth` (parties are always themselves)."""
        if node_id not in self.processes:
            return node_id
        return self._visible_at(depth)[node_id]

    def _visible_at(self, depth: int) -> Mapping[str, str]:
        cached = self._visible.get(depth)
        if cached is None:
            cached = {}
            for node, level in sorted(self.levels.items(), key=lambda item: item[1]):  # parents before children
                parent = self.parent_of(node)
                cached[node] = cached[parent] if level > depth and parent is not None else node
            self._visible[depth] = cached
        return cached

    def flows(self) -> list[tuple[str, str, str]]:
        """(source, target, name) for every output, and for every input that comes from an external party."""
        found: set[tuple[str, str, str]] = set()
        for process in self.processes.values():
            for flow in process.outputs:
                found.add((process.id, flow.party, flow.name))
            for flow in process.inputs:
                if flow.party not in self.processes:
                    found.add((flow.party, process.id, flow.name))
        return sorted(found)

    def edges(self, depth: int, within: Iterable[str] | None = None) -> list[Edge]:
        """Flows lifted to the processes visible at `depth`, merged per pair; flows inside one node vanish.

        `within` limits the edges to those between the given nodes.
        """
        keep = set(within) if within is not None else None
        own: dict[tuple[str, str], set[str]] = {}  # declared by the visible processes themselves
        lifted: dict[tuple[str, str], set[str]] = {}  # declared by their sub-processes
        for source, target, name in self.flows():
            a, b = self.visible(source, depth), self.visible(target, depth)
            if a == b or (keep is not None and not (a in keep and b in keep)):
                continue
            (own if (a, b) == (source, target) else lifted).setdefault((a, b), set()).add(name)
        # A parent's own flow summarises its sub-processes' flows: where it exists, it names the edge.
        pairs = sorted(own.keys() | lifted.keys())
        return [Edge(a, b, tuple(sorted(own.get((a, b)) or lifted[(a, b)]))) for a, b in pairs]

    def is_customer(self, node_id: str) -> bool:
        party = self.parties.get(node_id)
        return party is not None and party.kind == "customer"

    def leaves(self, category: str) -> list[Process]:
        return [p for p in self._sorted() if p.category == category and p.id not in self.children]

    def value_chain(self) -> list[ChainStep]:
        """The critical path through the core processes, from the customer's order to delivery.

        Uses the most detailed (leaf) core processes and their planned lead times; of all paths from a process
        that receives from a customer to one that delivers to a customer, the one with the longest total lead
        time is the one that decides the delivery date.
        """
        core = {p.id: p for p in self.leaves("core")}
        successors: dict[str, set[str]] = {pid: set() for pid in core}
        for pid, process in core.items():
            for flow in process.outputs:
                successors[pid].update(self._receivers(flow.party, pid, core))
            for flow in process.inputs:
                for supplier in self._suppliers(flow.party, pid, core):
                    successors[supplier].add(pid)
        starts = [pid for pid in core if any(self.is_customer(f.party) for f in core[pid].inputs)]
        ends = {pid for pid in core if any(self.is_customer(f.party) for f in core[pid].outputs)}
        dag = _acyclic(sorted(starts), successors)
        memo: dict[str, tuple[float, str | None] | None] = {}
        best: tuple[float, str | None] = (-1.0, None)
        for start in sorted(starts):
            candidate = _longest(start, dag, core, ends, memo)
            if candidate is not None and candidate[0] > best[0]:
                best = (candidate[0], start)
        path, current = [], best[1]
        while current is not None:
            path.append(current)
            step = memo[current]
            current = step[1] if step is not None else None
        steps, day = [], 0.0
        for pid in path:
            duration = core[pid].lead_time_days or 0.0
            steps.append(ChainStep(core[pid], day, day + duration))
            day += duration
        return steps

    def _lineage(self, process_id: str) -> set[str]:
        lineage, current = set(), process_id
        while current in self.processes and current not in lineage:
            lineage.add(current)
            current = self.processes[current].parent
        return lineage

    def _under(self, node_id: str, core: Mapping[str, Process]) -> list[Process]:
        """The core leaves at or below `node_id` (a stack, not recursion: hierarchies may be deep)."""
        found, pending = [], [node_id]
        while pending:
            node = pending.pop()
            if node in core:
                found.append(core[node])
            else:
                pending.extend(reversed(self.children.get(node, ())))
        return found

    def _receivers(self, target: str, source: str, core: Mapping[str, Process]) -> set[str]:
        """Core leaves that receive what `source` delivers to `target` (a leaf, or a parent of the receivers)."""
        lineage = self._lineage(source)
        leaves = self._under(target, core)
        if len(leaves) == 1:
            return {leaves[0].id} - {source}
        return {leaf.id for leaf in leaves if any(f.party in lineage for f in leaf.inputs)} - {source}

    def _suppliers(self, origin: str, receiver: str, core: Mapping[str, Process]) -> set[str]:
        """Core leaves that deliver to `receiver` what it lists as coming from `origin`."""
        lineage = self._lineage(receiver)
        leaves = self._under(origin, core)
        if len(leaves) == 1:
            return {leaves[0].id} - {receiver}
        return {leaf.id for leaf in leaves if any(f.party in lineage for f in leaf.outputs)} - {receiver}


def _acyclic(starts: list[str], successors: Mapping[str, set[str]]) -> dict[str, list[str]]:
    """The successor graph reachable from `starts`, without the edges that close a cycle (found by DFS)."""
    dag: dict[str, list[str]] = {}
    on_stack: set[str] = set()
    for start in starts:
        if start in dag:
            continue
        stack = [(start, iter(sorted(successors[start])))]
        dag[start], on_stack = [], on_stack | {start}
        while stack:
            node, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                on_stack.discard(node)
                stack.pop()
            elif nxt in on_stack:
                continue  # a back edge: following it would loop
            else:
                dag[node].append(nxt)
                if nxt not in dag:
                    dag[nxt] = []
                    on_stack.add(nxt)
                    stack.append((nxt, iter(sorted(successors[nxt]))))
    return dag


def _longest(start: str, dag: Mapping[str, list[str]], core: Mapping[str, Process], ends: set[str],
             memo: dict[str, tuple[float, str | None] | None]) -> tuple[float, str | None] | None:
    """Longest lead-time path from `start` to a customer-facing process: (total days, the next process on it).

    Memoised and iterative (children before parents from an explicit stack): linear in the DAG's size, and a
    chain of ten thousand processes needs no ten thousand nested calls.
    """
    stack = [(start, False)]
    while stack:
        node, expanded = stack.pop()
        if node in memo:
            continue
        if not expanded:
            stack.append((node, True))
            stack.extend((nxt, False) for nxt in reversed(dag[node]) if nxt not in memo)
            continue
        own = core[node].lead_time_days or 0.0
        best: tuple[float, str | None] | None = (own, None) if node in ends else None
        for nxt in dag[node]:
            tail = memo[nxt]
            if tail is not None and (best is None or own + tail[0] > best[0]):
                best = (own + tail[0], nxt)
        memo[node] = best
    return memo[start]

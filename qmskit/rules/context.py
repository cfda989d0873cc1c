"""What every rule receives: the manual and an index of its ids, built once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qmskit.diagnostics import Location
from qmskit.model import Document, Manual, Origin, Party, Process


@dataclass(frozen=True, slots=True)
class Context:
    manual: Manual
    ids: Mapping[str, Mapping[str, Any]]  # kind -> id -> first object with that id
    lineage: Mapping[str, tuple[str, ...]]  # process id -> itself and its ancestors, upwards
    subtree: Mapping[str, tuple[str, ...]]  # process id -> itself and all its descendants

    @classmethod
    def of(cls, manual: Manual) -> Context:
        ids: dict[str, dict[str, Any]] = {}
        for kind, items in manual.groups():
            index = ids.setdefault(kind, {})
            for item in items:
                index.setdefault(item.id, item)
        parents = {p.id: p.parent for p in reversed(manual.processes)}
        lineage = {pid: _lineage(pid, parents) for pid in parents}
        subtree: dict[str, list[str]] = {}
        for pid, line in lineage.items():
            for ancestor in line:
                subtree.setdefault(ancestor, []).append(pid)
        return cls(manual, ids, lineage, {k: tuple(v) for k, v in subtree.items()})

    def has(self, kind: str, item_id: str) -> bool:
        return item_id in self.ids.get(kind, {})

    def process(self, process_id: str) -> Process | None:
        found = self.ids.get("process", {}).get(process_id)
        return found if isinstance(found, Process) else None

    def party(self, party_id: str) -> Party | None:
        found = self.ids.get("party", {}).get(party_id)
        return found if isinstance(found, Party) else None

    def document(self, document_id: str) -> Document | None:
        found = self.ids.get("document", {}).get(document_id)
        return found if isinstance(found, Document) else None

    def at(self, origin: Origin, *parts: str | int, key: bool = False) -> Location:
        return self.manual.locate(origin, *parts, key=key)



def _lineage(process_id: str, parents: Mapping[str, str]) -> tuple[str, ...]:
    """The process and its parents upwards (stops on cycles, which another rule reports)."""
    chain: list[str] = []
    current = process_id
    while current and current not in chain:
        chain.append(current)
        current = parents.get(current, "")
    return tuple(chain)


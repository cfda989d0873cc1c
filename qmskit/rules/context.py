"""What every rule receives: the manual and an index of its ids, built once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from qmskit.control.register import DocumentControl
from qmskit.diagnostics import Location
from qmskit.model import Document, Form, Manual, Origin, Party, Process
from qmskit.vcs.history import History, Revision

if TYPE_CHECKING:  # the types only: `qms rules` loads neither the trust edge (Git, forges) nor YAML machinery
    from qmskit.control.lifecycle import DeletedRecord, Withdrawal
    from qmskit.control.trust import Trust


@dataclass(frozen=True, slots=True)
class Context:
    manual: Manual
    ids: Mapping[str, Mapping[str, Any]]  # kind -> id -> first object with that id
    lineage: Mapping[str, tuple[str, ...]]  # process id -> itself and its ancestors, upwards
    subtree: Mapping[str, tuple[str, ...]]  # process id -> itself and all its descendants
    today: date = field(default_factory=date.today)
    history: History = field(default_factory=lambda: History(available=False))
    # ids a file had in the past: manual path -> id at its first revision; and id -> path of deleted documents
    first_ids: Mapping[str, str] = field(default_factory=dict)
    deleted_ids: Mapping[str, str] = field(default_factory=dict)
    control: DocumentControl | None = None
    # forms as they were at the revisions records were made with: (form id, revision) -> form
    form_versions: Mapping[tuple[str, int], Form] = field(default_factory=dict)
    # closed records changed afterwards: record path -> the latest revision that changed it
    closed_changes: Mapping[str, Revision] = field(default_factory=dict)
    trust: Trust | None = None  # the policy that judges the history, and the policy changes it did not approve
    # documents deleted or moved out of active, and records deleted (both read from Git by check.py)
    withdrawals: tuple[Withdrawal, ...] = ()
    deleted_records: tuple[DeletedRecord, ...] = ()
    # the commits a baseline pinned to a commit releases; None when the pin names no commit of this history
    baseline_commits: frozenset[str] | None = frozenset()

    @classmethod
    def of(cls, manual: Manual, *, today: date | None = None, history: History | None = None,
           first_ids: Mapping[str, str] | None = None, deleted_ids: Mapping[str, str] | None = None,
           form_versions: Mapping[tuple[str, int], Form] | None = None,
           closed_changes: Mapping[str, Revision] | None = None, trust: Trust | None = None,
           withdrawals: Iterable[Withdrawal] = (), deleted_records: Iterable[DeletedRecord] = (),
           baseline_commits: frozenset[str] | None = frozenset()) -> Context:
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
        history = history or History(available=False)
        return cls(manual, ids, lineage, {k: tuple(v) for k, v in subtree.items()}, today or date.today(),
                   history, first_ids or {}, deleted_ids or {},
                   trust.control if trust else DocumentControl(manual, history, baseline_commits=baseline_commits),
                   form_versions or {}, closed_changes or {}, trust, tuple(withdrawals), tuple(deleted_records),
                   baseline_commits)

    def has(self, kind: str, item_id: str) -> bool:
        return item_id in self.ids.get(kind, {})

    def process(self, process_id: str) -> Process | None:
        found = self.ids.get("process", {}).get(process_id)
        return found if isinstance(found, Process) else None

    def party(self, party_id: str) -> Party | None:
        found = self.ids.get("party", {}).get(party_id)
        return found if isinstance(found, Party) else None

    def form(self, form_id: str) -> Form | None:
        found = self.ids.get("form", {}).get(form_id)
        return found if isinstance(found, Form) else None

    def form_revision(self, form: Form) -> int:
        """The form's current revision: its latest committed one, or one more while it has uncommitted edits."""
        file = self.history.of(form.origin.path) if self.history.usable else None
        latest = file.latest.number if file and file.latest else 0
        return latest + 1 if form.origin.path in self.history.uncommitted or not file else latest

    def document(self, document_id: str) -> Document | None:
        found = self.ids.get("document", {}).get(document_id)
        return found if isinstance(found, Document) else None

    def at(self, origin: Origin, *parts: str | int, key: bool = False) -> Location:
        return self.manual.locate(origin, *parts, key=key)



def _lineage(process_id: str, parents: Mapping[str, str]) -> tuple[str, ...]:
    """The process and its parents upwards (stops on cycles, which another rule reports)."""
    chain: list[str] = []
    seen: set[str] = set()  # a set beside the list: membership in a 500-deep chain must not cost 500 steps
    current = process_id
    while current and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents.get(current, "")
    return tuple(chain)


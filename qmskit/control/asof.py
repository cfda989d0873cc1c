"""The register as it stood on a past day: "what was effective on 12 March?", the auditor's question.

What was effective is what had been approved by then: each document's last revision up to that day with an
approval given by that day. A later unapproved revision is shown apart, as pending. Front matter at every
revision up to the day is read in one batch from Git.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qmskit.control.lifecycle import is_document, past_document
from qmskit.control.register import DocumentControl, RegisterRow, Verdict, day_of
from qmskit.model import Document, Manual
from qmskit.vcs.gitrepo import read_blobs
from qmskit.vcs.history import FileHistory, History, Revision


def register_at(root: Path, manual: Manual, history: History, when: date,
                control: DocumentControl | None = None) -> list[RegisterRow]:
    control = control or DocumentControl(manual, history)
    candidates: list[tuple[FileHistory, list[Revision]]] = []
    for file in (*history.files.values(), *history.deleted):
        if not is_document(file.path):
            continue
        if file.deleted_at and day_of(file.deleted_at) <= when:
            continue  # already withdrawn on that day
        upto = [r for r in file.revisions if day_of(r.date) <= when]
        if upto:
            candidates.append((file, upto))
    blobs = read_blobs(root, [(r.commit.sha, r.path) for _, upto in candidates for r in upto])
    rows = []
    for file, upto in candidates:
        latest = upto[-1]
        current = past_document(blobs.get((latest.commit.sha, latest.path), ""), latest.path)
        if current is None:
            continue
        effective, shown, counted = _effective(control, blobs, upto, current, when)
        pending = "" if effective is latest else (f"pending approval: revision {latest.number} "
                                                  f"({latest.date[:10]}, {latest.commit.sha[:10]})")
        shortened = FileHistory(file.path, tuple(r for r in file.revisions if r.number <= latest.number))
        review = control.next_review(current, shortened)
        rows.append(RegisterRow(
            shown.id, shown.title, shown.type, shown.owner, effective.number if effective else 0,
            control.effective_day(effective, counted),
            tuple(v.person.name for v in counted if v.person is not None),
            review.isoformat() if review else "", current.status, latest.path,
            tuple(v.label for v in counted), pending,
            effective.commit.sha if effective else ""))
    return sorted(rows, key=lambda r: r.id)


def _effective(control: DocumentControl, blobs: dict[tuple[str, str], str], upto: list[Revision],
               current: Document, when: date) -> tuple[Revision | None, Document, list[Verdict]]:
    """The last revision up to `when` approved by then (approvals given later do not count on that day)."""
    for revision in reversed(upto):
        document = past_document(blobs.get((revision.commit.sha, revision.path), ""), revision.path) or current
        counted = [v for v in control.counted(document, revision) if v.approval.date[:10] <= when.isoformat()]
        if counted:
            return revision, document, counted
    return None, current, []

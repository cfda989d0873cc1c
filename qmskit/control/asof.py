"""The register as it stood on a past day: "what was effective on 12 March?", the auditor's question.

Reads each document's front matter as it was at its revision effective on that day, in one batch from Git.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qmskit.control.register import DocumentControl, RegisterRow, day_of
from qmskit.loading import assemble
from qmskit.loading.markdown import split_front_matter
from qmskit.loading.yamlsource import parse_yaml
from qmskit.model import Document, Manual, Origin
from qmskit.vcs.gitrepo import read_blobs
from qmskit.vcs.history import FileHistory, History, Revision


def register_at(root: Path, manual: Manual, history: History, when: date,
                control: DocumentControl | None = None) -> list[RegisterRow]:
    effective: list[tuple[FileHistory, Revision]] = []
    for file in (*history.files.values(), *history.deleted):
        if not file.path.startswith("documents/") or not file.path.endswith(".md"):
            continue
        if file.deleted_at and day_of(file.deleted_at) <= when:
            continue  # already withdrawn on that day
        revision = next((r for r in reversed(file.revisions) if day_of(r.date) <= when), None)
        if revision is not None:
            effective.append((file, revision))
    blobs = read_blobs(root, [(r.commit.sha, r.path) for _, r in effective])
    control = control or DocumentControl(manual, history)
    rows = []
    for file, revision in effective:
        document = _document(blobs.get((revision.commit.sha, revision.path), ""), revision.path)
        if document is None:
            continue
        approved = control.approvers(document, revision)
        shortened = FileHistory(file.path, tuple(r for r in file.revisions if r.number <= revision.number))
        review = control.next_review(document, shortened)
        rows.append(RegisterRow(document.id, document.title, document.type, document.owner, revision.number,
                                revision.date[:10], tuple(p.name for p in approved),
                                review.isoformat() if review else "", document.status, revision.path))
    return sorted(rows, key=lambda r: r.id)


def _document(text: str, path: str) -> Document | None:
    split = split_front_matter(text)
    if split.front_matter is None:
        return None
    data = parse_yaml(split.front_matter, path, 1).data
    return assemble.document(data, Origin(path), "", split.body_line, ()) if isinstance(data, dict) else None

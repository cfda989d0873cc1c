"""Documents and records leaving the manual: withdrawal and deletion are changes, judged like any other.

Pure: takes the history and the texts of past revisions (read by the caller in one batch), returns what left.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from qmskit.loading import assemble
from qmskit.loading.markdown import TRANSLATION_FILE, headings, split_front_matter
from qmskit.loading.yamlsource import parse_yaml
from qmskit.model import Document, Manual, Origin
from qmskit.records.workflow import PROVISIONAL_ID
from qmskit.vcs.history import FileHistory, History, Revision

Blobs = Mapping[tuple[str, str], str]  # (commit, manual path) -> text


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A document taken out of use: deleted, or moved from active to obsolete or draft, in `revision`."""

    document: Document  # as it was before (deleted) or is now (status changed)
    revision: Revision  # the change that withdrew it: the deleting commit, or the revision that left active
    kind: str  # deleted | obsolete | draft
    path: str  # where the document is (or was, when deleted)


@dataclass(frozen=True, slots=True)
class DeletedRecord:
    id: str
    path: str
    revision: Revision | None  # the deleting commit; None when deleted in the working tree only
    renamed_to: str = ""


def is_document(path: str) -> bool:
    """A document's file (a translation beside it is part of that document, not a document of its own)."""
    return path.startswith("documents/") and path.endswith(".md") and not TRANSLATION_FILE.fullmatch(path)


def is_record(path: str) -> bool:
    """A record file as the loader sees one: YAML under records/, not hidden."""
    return (path.startswith("records/") and path.endswith((".yaml", ".yml"))
            and not any(part.startswith(".") for part in path.split("/")))


def past_document(text: str, path: str, *, body: bool = False) -> Document | None:
    """A document as it stood in a past revision: its front matter, and with `body` its text and headings
    (None: no readable front matter)."""
    split = split_front_matter(text)
    if split.front_matter is None:
        return None
    data = parse_yaml(split.front_matter, path, 1).data
    if not isinstance(data, dict):
        return None
    if not body:
        return assemble.document(data, Origin(path), "", split.body_line, ())
    return assemble.document(data, Origin(path), split.body, split.body_line, headings(split.body, split.body_line))


def withdrawal_candidates(manual: Manual, history: History) -> list[FileHistory]:
    """Document files whose past revisions must be read: deleted ones, and current ones that are not active."""
    if not history.usable:
        return []
    current = [history.of(d.origin.path) for d in manual.documents if d.status != "active"]
    deleted = [f for f in history.deleted if is_document(f.path) and f.deletion is not None]
    return [f for f in (*current, *deleted) if f is not None and f.revisions]


def withdrawals(manual: Manual, history: History, blobs: Blobs) -> list[Withdrawal]:
    """Every withdrawal of a document that had been active: the deletion of a document that was ever active,
    and the last move of a current document from active to obsolete or draft."""
    found: list[Withdrawal] = []
    current = {d.origin.path: d for d in manual.documents}
    for file in withdrawal_candidates(manual, history):
        past = [past_document(blobs.get((r.commit.sha, r.path), ""), r.path) for r in file.revisions]
        statuses = [d.status if d else "" for d in past]
        if file.path in current and not file.deleted:
            document = current[file.path]
            moves = [i for i in range(1, len(statuses)) if statuses[i - 1] == "active" and statuses[i] != "active"]
            if moves and statuses[-1] != "active":  # the committed move out of use, whatever the work tree says
                found.append(Withdrawal(document, file.revisions[moves[-1]], statuses[moves[-1]], file.path))
        elif file.deletion is not None and "active" in statuses:
            last = next((d for d in reversed(past) if d is not None), None)
            if last is not None:
                found.append(Withdrawal(last, file.deletion, "deleted", file.path))
    return sorted(found, key=lambda w: (w.path, w.revision.commit.sha))


def deleted_records(manual: Manual, history: History, present: Iterable[str],
                    missing: Iterable[str]) -> list[DeletedRecord]:
    """Records gone from the manual, tracked by id: deleted in a commit, renamed to another id, or deleted in
    the working tree (`missing`: committed record files that are not on disk). A record whose id is still
    `present` (a file of that name exists, or a loaded record has that id) was moved or restored, not deleted."""
    if not history.usable:
        return []
    here = set(present) | {r.id for r in manual.records}
    gone: dict[str, DeletedRecord] = {}
    for file in history.deleted:
        if is_record(file.path):
            record_id = PurePosixPath(file.path).stem
            gone[record_id] = DeletedRecord(record_id, file.path, file.deletion)  # the latest deletion wins
    for file in history.files.values():
        for old in file.previous_paths:
            record_id = PurePosixPath(old).stem
            if is_record(old) and record_id != PurePosixPath(file.path).stem:
                gone.setdefault(record_id, DeletedRecord(record_id, old, None, file.path))
    for path in missing:
        if is_record(path):
            record_id = PurePosixPath(path).stem
            gone[record_id] = DeletedRecord(record_id, path, None)
    # a provisional id (a record filled in on the site, not numbered yet) gives way to its numbered record
    return [gone[i] for i in sorted(gone) if i not in here and not PROVISIONAL_ID.match(i)]


def earlier_lives(history: History) -> dict[str, list[Revision]]:
    """Revisions of deleted record files by record id, oldest first: a record deleted and added again is the
    same record, and its earlier life counts when judging whether it changed after it was closed."""
    lives: dict[str, list[Revision]] = {}
    for file in history.deleted:  # in the order they were deleted
        if is_record(file.path):
            lives.setdefault(PurePosixPath(file.path).stem, []).extend(file.revisions)
    return lives

"""The documents in time: which revision was in effect from which day to which, and the register as it stood on
a past day or at a release tag ("what was effective on 12 March?", the auditor's question).

What was effective on a day is what had been approved by then: each document's last revision committed by that
day with an approval given by that day. A later unapproved revision is shown apart, as pending. Every revision
is judged once and the front matter of every revision is read in one batch from Git (`read_timelines`); after
that, the register on any day or at any tag is a look-up (DESIGN 0022).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from qmskit.control.lifecycle import Blobs, is_document, past_document
from qmskit.control.register import (
    DocumentControl,
    RegisterRow,
    Verdict,
    add_months,
    day_of,
    pending_approval,
    pending_revision,
)
from qmskit.control.release import accepted_section, is_release
from qmskit.loading.markdown import split_front_matter
from qmskit.model import Document, Manual
from qmskit.vcs.gitrepo import Tag, annotated_tags, read_blobs, tag_messages
from qmskit.vcs.history import FileHistory, History, Revision

MAX_RELEASES = 1000  # release pages built: the newest ones (a page per release, each as long as the register)


@dataclass(frozen=True, slots=True)
class Step:
    """One revision of a document in time: what its front matter said, who approved it, when it was in effect."""

    revision: Revision
    document: Document | None  # as it stood at this revision (None: no readable front matter)
    counted: tuple[Verdict, ...]  # the approvals that count, one per person
    approved: str  # the day of its earliest approval that counts ("" = not approved)
    start: str = ""  # the first day it was the effective revision ("" = never)
    end: str = ""  # the last day it was ("" = it still is, or never was)

    @property
    def committed(self) -> str:
        return self.revision.date[:10]

    def counted_on(self, day: str) -> list[Verdict]:
        return [v for v in self.counted if v.approval.date[:10] <= day]

    @property
    def superseded(self) -> bool:
        """Approved, but a later revision took effect first: it was never the effective one on any day."""
        return bool(self.approved) and not self.start


@dataclass(frozen=True, slots=True)
class Timeline:
    """A document file's revisions, oldest first, with the days each was in effect."""

    file: FileHistory
    steps: tuple[Step, ...]
    withdrawn: str = ""  # the day the file was deleted ("" = still in the manual)
    # main-line positions of the steps' commits (ascending) and of the deletion, for registers at a tag
    positions: tuple[int, ...] = field(default=(), compare=False)
    deleted_position: int = 0

    @property
    def pending(self) -> tuple[Step, ...]:
        """Revisions after the last approved one: waiting for approval, never the effective text."""
        last = max((i for i, s in enumerate(self.steps) if s.approved), default=-1)
        return self.steps[last + 1:]

    def effective_on(self, day: str, cut: int | None = None) -> tuple[Step | None, Step | None]:
        """(the step in effect on `day`, the newest step that existed then). On a day, the revisions committed by
        then existed; at a tag (`cut`: its commit's main-line position), those up to the tagged commit."""
        if self.withdrawn and self.withdrawn <= day and (cut is None or self.deleted_position <= cut):
            return None, None
        if cut is not None:
            existing = self.steps[:bisect.bisect_right(self.positions, cut)]
        else:  # committer dates need not grow along the main line: filter, never bisect
            existing = tuple(s for s in self.steps if s.committed <= day)
        effective = next((s for s in reversed(existing) if s.approved and s.approved <= day), None)
        return effective, existing[-1] if existing else None


@dataclass(frozen=True, slots=True)
class Release:
    """A release tag made by `qms release`, and where it stands on the main line (None: off it)."""

    tag: Tag
    position: int | None
    accepted: str = ""  # what its message records about accepted findings: the release's claim, shown as such

    @property
    def day(self) -> str:
        return self.tag.date[:10]


def document_files(history: History) -> list[FileHistory]:
    if not history.usable:
        return []
    return [f for f in (*history.files.values(), *history.deleted) if is_document(f.path) and f.revisions]


def read_timelines(root: Path, history: History, control: DocumentControl) -> list[Timeline]:
    """Every document file's timeline: the front matter of all their revisions in one `git cat-file` batch."""
    files = document_files(history)
    blobs = read_blobs(root, [(r.commit.sha, r.path) for f in files for r in f.revisions])
    return build_timelines(files, control, blobs, positions(history))


def positions(history: History) -> dict[str, int]:
    return {sha: index for index, sha in enumerate(history.mainline)}


def build_timelines(files: Iterable[FileHistory], control: DocumentControl, blobs: Blobs,
                    where: Mapping[str, int], current: Mapping[str, Document] | None = None) -> list[Timeline]:
    """Timelines of these files. A revision whose text is not in `blobs` is judged as the document stands in
    `current` (by path), when given."""
    read = _front_matter_reader()
    return [timeline(file, control, blobs, where, fallback=(current or {}).get(file.path), read=read)
            for file in files]


def _front_matter_reader() -> Callable[[str, str], Document | None]:
    """past_document for many revisions: most change the body only, so each distinct front matter is parsed once."""
    parsed: dict[tuple[str, int, str], Document | None] = {}

    def read(text: str, path: str) -> Document | None:
        split = split_front_matter(text)
        if split.front_matter is None:
            return None
        key = (split.front_matter, split.body_line, path)
        if key not in parsed:
            parsed[key] = past_document(text, path)
        return parsed[key]

    return read


def timeline(file: FileHistory, control: DocumentControl, blobs: Blobs, where: Mapping[str, int], *,
             fallback: Document | None = None,
             read: Callable[[str, str], Document | None] = past_document) -> Timeline:
    """A file's steps, each judged with the document as it stood then, and the days each was in effect: from
    the later of its commit and its first approval, until the next revision took effect or the file was
    deleted (the day before). A revision overtaken before it took effect was never in effect."""
    raw: list[Step] = []
    latest = fallback
    for revision in file.revisions:
        document = read(blobs.get((revision.commit.sha, revision.path), ""), revision.path)
        latest = document or latest
        judged = document or latest
        counted = tuple(control.counted(judged, revision)) if judged is not None else ()
        approved = min((v.approval.date[:10] for v in counted), default="")
        raw.append(Step(revision, document, counted, approved))
    withdrawn = file.deleted_at[:10] if file.deleted and file.deleted_at else ""
    steps: list[Step] = []
    following = withdrawn  # the first day a later revision (or the deletion) took over
    for step in reversed(raw):
        begins = max(step.committed, step.approved) if step.approved else ""
        if begins and (not following or begins < following):
            end = _day_before(following) if following else ""
            steps.append(Step(step.revision, step.document, step.counted, step.approved, begins, end))
            following = begins
        else:
            steps.append(step)
    steps.reverse()
    last = len(where)
    deletion = where.get(file.deletion.commit.sha, last) if file.deletion is not None else last
    return Timeline(file, tuple(steps), withdrawn, tuple(where.get(s.revision.commit.sha, last) for s in steps),
                    deletion)


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def register_on(timelines: Iterable[Timeline], control: DocumentControl, day: str,
                cut: int | None = None) -> list[RegisterRow]:
    """The register on `day` (at a tag: `cut` is its commit's main-line position, `day` its date)."""
    rows = []
    for line in timelines:
        effective, latest = line.effective_on(day, cut)
        if latest is None or latest.document is None:
            continue  # not yet written, already withdrawn, or unreadable then
        current = latest.document
        shown = (effective.document if effective else None) or current
        counted = effective.counted_on(day) if effective else []
        begins = max(effective.committed, effective.approved) if effective else ""
        review = add_months(day_of(effective.approved), control.review_interval(current)) if effective else None
        waiting = None if effective is latest else pending_approval(
            [pending_revision(latest.revision.number, latest.committed, latest.revision.commit.sha)])
        rows.append(RegisterRow(
            shown.id, shown.title, shown.type, shown.owner, effective.revision.number if effective else 0, begins,
            tuple(v.person.name for v in counted if v.person is not None),
            review.isoformat() if review else "", current.status, latest.revision.path,
            tuple(v.label for v in counted), waiting.english() if waiting else "",
            effective.revision.commit.sha if effective else "", waiting))
    return sorted(rows, key=lambda r: r.id)


def register_at(root: Path, manual: Manual, history: History, when: date,
                control: DocumentControl | None = None) -> list[RegisterRow]:
    control = control or DocumentControl(manual, history)
    return register_on(read_timelines(root, history, control), control, when.isoformat())


def releases(tags: Sequence[Tag], history: History, messages: Mapping[str, str] | None = None,
             limit: int = MAX_RELEASES) -> list[Release]:
    """The tags `qms release` made, newest first (at most `limit`), each placed on the main line, with what
    their messages (by tag object) record about accepted findings."""
    where = positions(history)
    found = [Release(tag, where.get(tag.commit), accepted_section((messages or {}).get(tag.object, "")))
             for tag in tags if is_release(tag.name, tag.subject)]
    found.sort(key=lambda r: (r.tag.date, r.tag.name), reverse=True)
    return found[:limit]


def release_tags(root: Path, history: History) -> list[Release]:
    """The releases of the repository holding the manual: one `git for-each-ref` and one `git cat-file`."""
    if not history.usable:
        return []
    tags = [t for t in annotated_tags(root) if is_release(t.name, t.subject)]
    newest = sorted(tags, key=lambda t: (t.date, t.name), reverse=True)[:MAX_RELEASES]
    return releases(newest, history, tag_messages(root, [t.object for t in newest]))


def register_at_release(timelines: Iterable[Timeline], control: DocumentControl, release: Release) -> list[RegisterRow]:
    """The register as it stood at a release: revisions up to the tagged commit, approvals given by its day."""
    if release.position is None:
        return []
    return register_on(timelines, control, release.day, release.position)

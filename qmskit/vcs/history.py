"""Git history as data: commits of the main line, and per file its revisions and approval evidence.

Pure: parses the text of one `git log` pass (see gitrepo.read_log) and never runs git itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qmskit.messages import Message

# The fields of one commit in `git log --format=...`, in order (see gitrepo.LOG_FORMAT).
FIELDS = ("sha", "parents", "author_name", "author_email", "author_date", "committer_name", "committer_email",
          "committer_date", "subject", "body", "approved_by", "reviewed_by", "co_authors", "notes")
TRAILER_SEPARATOR = "\x1d"
_IDENTITY = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<email>[^>]*)>\s*$")


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    email: str = ""
    login: str = ""  # a forge account (e.g. GitHub) where no e-mail is known

    @classmethod
    def parse(cls, text: str) -> Identity:
        match = _IDENTITY.match(text)
        if match:
            return cls(match["name"], match["email"].lower())
        return cls(text.strip())

    def __str__(self) -> str:
        return self.name or self.email or self.login


@dataclass(frozen=True, slots=True)
class Approval:
    """Evidence that someone reviewed, approved or released a change."""

    who: Identity
    meaning: str  # reviewed | approved | released
    date: str  # ISO 8601
    source: str  # trailer | note | qms approve | github | gitlab | baseline
    commit: str
    document: str = "*"  # the document id (or manual-relative path) it is about; "*" = everything in the commit
    signature: str = ""  # an SSH signature (armored) over `payload`, for approvals made with `qms approve --sign`
    payload: str = ""
    # how strong the evidence is (DESIGN 0016): forge (read from the forge's API when judged), signed (an SSH
    # signature, still to be verified), asserted (a trailer or unsigned note anyone could write), baseline
    level: str = "asserted"

    @property
    def signed(self) -> bool:
        return bool(self.signature)


@dataclass(frozen=True, slots=True)
class Change:
    status: str  # A, M, D or R
    path: str  # manual-relative, POSIX
    old_path: str = ""
    similarity: int = 100


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: Identity
    author_date: str
    committer: Identity
    date: str  # committer date: when the change reached the main line
    subject: str
    body: str
    approvals: tuple[Approval, ...]
    co_authors: tuple[Identity, ...]
    changes: tuple[Change, ...]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True, slots=True)
class Revision:
    number: int
    commit: Commit
    path: str  # where the file was at this revision
    authors: frozenset[str]  # e-mails of everyone who wrote the change (side-branch authors for merges)
    committers: frozenset[str] = frozenset()  # e-mails of everyone who committed it (side branch and merge)

    @property
    def writers(self) -> frozenset[str]:
        """Everyone who authored or committed the change: none of them may approve it."""
        return self.authors | self.committers

    @property
    def date(self) -> str:
        return self.commit.date

    def approvals_for(self, document_id: str) -> list[Approval]:
        return [a for a in self.commit.approvals if a.document in ("*", document_id, self.path)]


@dataclass(frozen=True, slots=True)
class FileHistory:
    path: str  # current path (or the last one, for deleted files)
    revisions: tuple[Revision, ...]
    deleted: bool = False
    previous_paths: tuple[str, ...] = ()
    deleted_at: str = ""  # date of the commit that deleted it
    # the deletion as a change like any other: the main-line commit that deleted the file, with its authors
    deletion: Revision | None = None

    @property
    def latest(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None


@dataclass(frozen=True, slots=True)
class History:
    """What Git says about the manual. `available` is False outside a repository; `shallow` means the history
    is cut off, so revision numbers would be wrong and nothing history-based may be judged."""

    available: bool
    shallow: bool = False
    head: str = ""
    first: str = ""  # the first commit that touched the manual
    branch: str = ""
    files: Mapping[str, FileHistory] = field(default_factory=dict)
    deleted: tuple[FileHistory, ...] = ()
    uncommitted: frozenset[str] = frozenset()
    reason: Message | str = ""  # why there is no usable history: qmskit's words, or a tool's error text
    commits: tuple[Commit, ...] = ()  # main-line commits that touched the manual, oldest first
    # commit -> e-mails of everyone who committed to its note in refs/notes/qms (who wrote the note)
    note_writers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # every commit of the first-parent line up to HEAD, oldest first (also those that did not touch the manual):
    # where a tag stands on the main line
    mainline: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.available and not self.shallow

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)


def parse_log(text: str, prefix: str = "") -> list[Commit]:
    """Commits from `git log -z --name-status --format=\\x1e...` output, with paths made manual-relative."""
    parser = LogParser(prefix)
    parser.feed(text)
    return parser.close()


class LogParser:
    """Parses `git log` output as it arrives, so parsing overlaps with git still producing it."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.pending = ""
        self.commits: list[Commit] = []

    def feed(self, text: str) -> None:
        chunks = (self.pending + text).split("\x1e")
        self.pending = chunks.pop()  # the last chunk may be incomplete
        for chunk in chunks:
            if chunk:
                self._parse(chunk)

    def close(self) -> list[Commit]:
        if self.pending:
            self._parse(self.pending)
            self.pending = ""
        return self.commits

    def _parse(self, chunk: str) -> None:
        header, _, rest = chunk.partition("\0")
        values = dict(zip(FIELDS, header.split("\x1f"), strict=False))
        self.commits.append(_commit(values, _changes(rest.lstrip("\n").split("\0"), self.prefix)))


def _commit(values: Mapping[str, str], changes: tuple[Change, ...]) -> Commit:
    sha, date = values.get("sha", ""), values.get("committer_date", "")
    approvals = [Approval(Identity.parse(v), "approved", date, "trailer", sha)
                 for v in _trailers(values.get("approved_by", ""))]
    approvals += [Approval(Identity.parse(v), "reviewed", date, "trailer", sha)
                  for v in _trailers(values.get("reviewed_by", ""))]
    approvals += parse_notes(values.get("notes", ""), sha)
    return Commit(
        sha=sha, parents=tuple(values.get("parents", "").split()),
        author=Identity(values.get("author_name", ""), values.get("author_email", "").lower()),
        author_date=values.get("author_date", ""),
        committer=Identity(values.get("committer_name", ""), values.get("committer_email", "").lower()),
        date=date, subject=values.get("subject", ""), body=values.get("body", "").strip(),
        approvals=tuple(approvals),
        co_authors=tuple(Identity.parse(v) for v in _trailers(values.get("co_authors", ""))), changes=changes,
    )


def _trailers(text: str) -> list[str]:
    return [v.strip() for v in text.split(TRAILER_SEPARATOR) if v.strip()]


def _within(path: str, prefix: str) -> str | None:
    if not prefix:
        return path
    return path[len(prefix) + 1:] if path.startswith(prefix + "/") else None


def _changes(tokens: list[str], prefix: str) -> tuple[Change, ...]:
    changes: list[Change] = []
    index = 0
    while index < len(tokens):
        status = tokens[index]
        if not status:
            index += 1
            continue
        kind = status[0]
        if kind in "RC":
            old, new = _within(tokens[index + 1], prefix), _within(tokens[index + 2], prefix)
            index += 3
            if kind == "C":
                if new is not None:
                    changes.append(Change("A", new))
            elif old is not None and new is not None:
                changes.append(Change("R", new, old, int(status[1:] or 100)))
            elif new is not None:
                changes.append(Change("A", new))
            elif old is not None:
                changes.append(Change("D", old))
        else:
            path = _within(tokens[index + 1], prefix)
            index += 2
            if path is not None:
                changes.append(Change("A" if kind == "A" else "D" if kind == "D" else "M", path))
    return tuple(changes)


def parse_notes(text: str, sha: str) -> list[Approval]:
    """Approvals recorded by `qms approve` or an import: one JSON object per line in the note."""
    approvals = []
    for line in text.splitlines():
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue  # a note written by someone else: not ours to judge
        if not isinstance(data, dict) or data.get("qms") != 1:
            continue
        who = Identity(str(data.get("name", "")), str(data.get("email", "")).lower(), str(data.get("login", "")))
        signature = str(data.pop("signature", ""))
        # whatever source a note names, it is only as strong as its signature: a live forge review is "forge"
        approvals.append(Approval(who, str(data.get("meaning", "approved")), str(data.get("date", "")),
                                  str(data.get("source", "note")), sha, str(data.get("document", "*")), signature,
                                  signed_payload(data, sha) if signature else "",
                                  "signed" if signature else "asserted"))
    return approvals


def signed_payload(fields: Mapping[str, Any], commit: str) -> str:
    """What a signature covers: the approval's fields and the commit, so it cannot be moved to another change."""
    return json.dumps(dict(fields), ensure_ascii=False, sort_keys=True) + f"\ncommit {commit}\n"


def note_fields(who: Identity, meaning: str, date: str, source: str, document: str) -> dict[str, Any]:
    fields = {"qms": 1, "document": document, "meaning": meaning, "name": who.name, "email": who.email,
              "login": who.login, "date": date, "source": source}
    return {k: v for k, v in fields.items() if v != ""}


def note_line(who: Identity, meaning: str, date: str, source: str, document: str, *, signature: str = "") -> str:
    fields = note_fields(who, meaning, date, source, document)
    if signature:
        fields["signature"] = signature
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def build_files(commits: Iterable[Commit], side_authors: Mapping[str, frozenset[str]],
                side_committers: Mapping[str, frozenset[str]] | None = None) -> tuple[
        dict[str, FileHistory], list[FileHistory]]:
    """Per file: its revisions along the main line, following renames. A pure rename (100 % similar) is not a
    new revision. Returns (files that exist now by path, files that were deleted)."""
    live: dict[str, _Builder] = {}
    gone: list[_Builder] = []
    for commit in commits:
        authors = side_authors.get(commit.sha) if commit.is_merge else None
        if authors is None:
            authors = frozenset({commit.author.email, *(c.email for c in commit.co_authors if c.email)})
        committers = frozenset({commit.committer.email, *(side_committers or {}).get(commit.sha, frozenset())})
        for change in commit.changes:
            if change.status == "R":
                builder = live.pop(change.old_path, None) or _Builder(change.old_path)
                builder.previous.append(change.old_path)
                builder.path = change.path
                if change.similarity < 100:
                    builder.add(commit, authors, committers)
                _replace(live, gone, change.path, builder)
            elif change.status == "D":
                removed = live.pop(change.path, None)
                if removed is not None:
                    removed.deleted_at = commit.date
                    removed.deletion = Revision(len(removed.revisions) + 1, commit, removed.path, authors)
                    gone.append(removed)
            else:
                existing = live.get(change.path)
                if existing is None or change.status == "A":
                    existing = _Builder(change.path)
                    _replace(live, gone, change.path, existing)
                existing.add(commit, authors, committers)
    return {path: b.freeze() for path, b in sorted(live.items())}, [b.freeze() for b in gone]


def _replace(live: dict[str, _Builder], gone: list[_Builder], path: str, builder: _Builder) -> None:
    old = live.get(path)
    if old is not None and old is not builder:
        old.deleted_at = old.revisions[-1].date if old.revisions else ""
        gone.append(old)
    live[path] = builder


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.revisions: list[Revision] = []
        self.previous: list[str] = []
        self.deleted_at = ""
        self.deletion: Revision | None = None

    def add(self, commit: Commit, authors: frozenset[str], committers: frozenset[str]) -> None:
        if self.revisions and self.revisions[-1].commit.sha == commit.sha:
            return
        self.revisions.append(Revision(len(self.revisions) + 1, commit, self.path, authors, committers))

    def freeze(self) -> FileHistory:
        return FileHistory(self.path, tuple(self.revisions), bool(self.deleted_at), tuple(self.previous),
                           self.deleted_at, self.deletion)


def merged_identities(graph_text: str, mainline: set[str]) -> tuple[dict[str, frozenset[str]],
                                                                   dict[str, frozenset[str]]]:
    """For each main-line merge: e-mails of the (authors, committers) of the commits it brought in (its side
    branch).

    `graph_text` has one `sha parents... \\x1f author email \\x1f committer email` line per commit; the walk
    from a merge's second parent stops at main-line commits, so every side commit is visited once per merge.
    """
    parents: dict[str, list[str]] = {}
    emails: dict[str, str] = {}
    committer_of: dict[str, str] = {}
    for line in graph_text.splitlines():
        ids, _, rest_of_line = line.partition("\x1f")
        email, _, committer = rest_of_line.partition("\x1f")
        sha, *rest = ids.split()
        parents[sha] = rest
        emails[sha] = email.strip().lower()
        committer_of[sha] = committer.strip().lower()
    result: dict[str, frozenset[str]] = {}
    committed: dict[str, frozenset[str]] = {}
    for sha in mainline:
        mine = parents.get(sha, [])
        if len(mine) < 2:
            continue
        seen: set[str] = set()
        stack = list(mine[1:])
        while stack:
            current = stack.pop()
            if current in seen or current in mainline or current not in parents:
                continue
            seen.add(current)
            stack.extend(parents[current])
        result[sha] = frozenset(emails[s] for s in seen)
        committed[sha] = frozenset(committer_of[s] for s in seen if committer_of[s])
    return result, committed


def parse_note_writers(log_text: str) -> dict[str, frozenset[str]]:
    """Commit -> e-mails of everyone who committed to its note, from `git log --format=%x1e%ce --name-only
    refs/notes/qms` (note paths are the annotated commit's hash, possibly split into fan-out folders)."""
    writers: dict[str, set[str]] = {}
    for chunk in log_text.split("\x1e"):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        committer = lines[0].lower()
        for path in lines[1:]:
            writers.setdefault(path.replace("/", ""), set()).add(committer)
    return {sha: frozenset(emails) for sha, emails in writers.items()}

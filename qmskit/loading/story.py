"""`qms init --example`: a starter's story file (`.qms/story.yaml`) turned into a dated history of commits.

Pure: the starter's files, its people and the story go in; the commits come out, each with its author, times,
approval trailers and the files it writes. vcs/gitrepo.py writes them with real git. Nothing here knows any
starter's names: which file changes when, by whom and approved by whom is the story file's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qmskit.errors import ConfigError
from qmskit.loading.schemas import check
from qmskit.loading.yamlsource import parse_yaml

STORY_FILE = ".qms/story.yaml"
RECORDS = "records/"
MAX_CHANGES = 1000  # a story is a year of a small company, not an import of a forge's history


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    email: str

    def __post_init__(self) -> None:
        if any(c in self.name + self.email for c in "<>\n") or "@" not in self.email:
            raise _fail(f"{self.name!r} <{self.email}> is not a name and an e-mail address git can record")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True, slots=True)
class Edit:
    file: str
    was: str
    now: str


@dataclass(frozen=True, slots=True)
class Change:
    at: datetime  # written (the author date)
    approved: datetime  # merged with its approvals (the committer date)
    by: str  # person id
    approved_by: tuple[str, ...]
    message: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class Release:
    tag: str
    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class Story:
    identity: Identity
    start: Change
    changes: tuple[Change, ...]
    release: Release | None = None


@dataclass(frozen=True, slots=True)
class Commit:
    author: Identity
    authored: datetime
    committed: datetime
    message: str
    writes: Mapping[str, str] = field(default_factory=dict)  # manual path -> its text from this commit on


def _fail(problem: str) -> ConfigError:
    return ConfigError(f"{STORY_FILE}: {problem}", "The story file belongs to the starter: fix it there "
                                                   "(see the comments at its top).")


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{where} needs `{key}` (text)")
    return value


def _time(data: Mapping[str, Any], key: str, where: str) -> datetime:
    value = _text(data, key, where)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _fail(f"{where}: `{key}` {value!r} is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        raise _fail(f"{where}: `{key}` {value!r} needs its UTC offset, e.g. +02:00")
    return moment


def _change(data: object, where: str) -> Change:
    if not isinstance(data, dict):
        raise _fail(f"{where} is not a mapping")
    at = _time(data, "at", where)
    approved = _time(data, "approved", where) if "approved" in data else at
    if approved < at:
        raise _fail(f"{where} is approved before it was written")
    approvers = data.get("approved_by", [])
    if not isinstance(approvers, list) or not all(isinstance(a, str) for a in approvers):
        raise _fail(f"{where}: `approved_by` is a list of person ids")
    edits = []
    for number, edit in enumerate(data.get("edits") or [], start=1):
        if not isinstance(edit, dict) or not isinstance(edit.get("was"), str) or not isinstance(edit.get("now"), str):
            raise _fail(f"{where}, edit {number}: needs `file`, `was` and `now` (text)")
        file = _text(edit, "file", f"{where}, edit {number}")
        if file.startswith((RECORDS, ".qms/")):
            raise _fail(f"{where}, edit {number}: records arrive at their own time and .qms/ is qmskit's: "
                        f"{file!r} cannot be edited")
        if not edit["now"]:
            raise _fail(f"{where}, edit {number}: `now` is the text as it is today and cannot be empty")
        edits.append(Edit(file, edit["was"], edit["now"]))
    return Change(at, approved, _text(data, "by", where), tuple(approvers), _text(data, "message", where),
                  tuple(edits))


def parse_story(text: str) -> Story:
    doc = parse_yaml(text, STORY_FILE)
    data = doc.data
    if doc.diagnostics or not isinstance(data, dict):
        raise _fail("is not a YAML mapping")
    for problem in check("story", data):  # the first one is enough: the file ships with qmskit
        where = doc.source.key(problem.pointer) if problem.at_key else doc.source.value(problem.pointer)
        raise _fail(f"line {where.line}: {problem.message}")
    identity = data.get("identity")
    if not isinstance(identity, dict):
        raise _fail("needs `identity: {name, email}`, the merge identity that commits every change")
    changes = data.get("changes") or []
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        raise _fail(f"`changes` is a list of at most {MAX_CHANGES} changes")
    release = data.get("release")
    return Story(
        Identity(_text(identity, "name", "identity"), _text(identity, "email", "identity")),
        _change(data.get("start"), "start"),
        tuple(_change(c, f"change {n}") for n, c in enumerate(changes, start=1)),
        Release(_text(release, "tag", "release"), _time(release, "at", "release"), _text(release, "by", "release"))
        if isinstance(release, dict) else None)


def record_time(text: str) -> tuple[datetime | None, str]:
    """When a record reached the state it is in (the latest of `created_at` and its workflow steps), and who
    made it."""
    data = parse_yaml(text, "record").data
    if not isinstance(data, dict):
        return None, ""
    stamps = [data.get("created_at"), *(s.get("at") for s in data.get("history") or [] if isinstance(s, dict))]
    moments = []
    for stamp in stamps:
        try:
            moments.append(datetime.fromisoformat(str(stamp)))
        except ValueError:
            continue
    aware = [m for m in moments if m.tzinfo is not None]
    author = data.get("created_by")
    return (max(aware) if aware else None), author if isinstance(author, str) else ""


def plan(story: Story, files: Mapping[str, str], people: Mapping[str, Identity]) -> list[Commit]:
    """The commits that tell the story and end with exactly `files` (path -> text): the first holds every file
    as it was then; each change writes the texts it changed; each record arrives at its own time."""
    def person(person_id: str, where: str) -> Identity:
        if person_id not in people:
            raise _fail(f"{where} names {person_id!r}, who is not in organisation/people.yaml")
        return people[person_id]

    changes = sorted(story.changes, key=lambda c: c.approved)
    if changes and changes[0].at < story.start.at:
        raise _fail("a change is dated before the start")
    # each edited file's texts, newest first: undo the changes from the last to the first
    after: dict[tuple[int, str], str] = {}  # (change index, file) -> the file's text that change made
    current = {edit.file: files.get(edit.file) for change in changes for edit in change.edits}
    for index in range(len(changes) - 1, -1, -1):
        for edit in changes[index].edits:
            text = current[edit.file]
            if text is None:
                raise _fail(f"change {index + 1} edits {edit.file}, which the starter does not have")
            if text.count(edit.now) != 1:
                raise _fail(f"change {index + 1}: {edit.file} must contain {edit.now!r} exactly once "
                            f"(it does {text.count(edit.now)} times)")
            after[(index, edit.file)] = text
            current[edit.file] = text.replace(edit.now, edit.was, 1)
    first: dict[str, str] = {}
    arrivals: list[Commit] = []
    for path, text in sorted(files.items()):
        if path in current:
            if current[path]:  # empty: the file arrives with its first change
                first[path] = str(current[path])
            continue
        moment, maker = record_time(text) if path.startswith(RECORDS) else (None, "")
        if moment is None or moment <= story.start.approved:  # paper records entered when the manual moved
            first[path] = text
            continue
        author = people.get(maker, story.identity)
        arrivals.append(Commit(author, moment, moment, f"Record {path.rsplit('/', 1)[-1].removesuffix('.yaml')}",
                               {path: text}))
    commits = [_commit(story, story.start, person(story.start.by, "start"), first, people)]
    for index, change in enumerate(changes):
        writes = {edit.file: after[(index, edit.file)] for edit in change.edits}
        commits.append(_commit(story, change, person(change.by, f"change {index + 1}"), writes, people))
    told = commits[:1] + sorted(commits[1:] + arrivals, key=lambda c: (c.committed, c.message))
    if story.release is not None:
        person(story.release.by, "release")
        if story.release.at < told[-1].committed:
            raise _fail(f"the release is dated before the last commit ({told[-1].committed.isoformat()})")
    return told


def fast_import(commits: list[Commit], committer: Identity, ref: str) -> bytes:
    """The commits as a `git fast-import` stream onto `ref`: real commits, each with its own dates."""
    out = bytearray()

    def data(text: str) -> None:
        raw = text.encode("utf-8")
        out.extend(b"data %d\n" % len(raw) + raw + b"\n")

    for commit in commits:
        out.extend(f"commit {ref}\n".encode())
        out.extend(f"author {commit.author} {_stamp(commit.authored)}\n".encode())
        out.extend(f"committer {committer} {_stamp(commit.committed)}\n".encode())
        data(commit.message)
        for path, text in sorted(commit.writes.items()):
            out.extend(f"M 100644 inline {_quoted(path)}\n".encode())
            data(text)
    out.extend(b"done\n")
    return bytes(out)


def _quoted(path: str) -> str:
    """A path as fast-import reads it: C-style quoted when it holds a space, quote, backslash or line break."""
    if not any(c in path for c in ' "\\\n') and not path.startswith('"'):
        return path
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _stamp(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "-" if minutes < 0 else "+"
    return f"{int(moment.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _commit(story: Story, change: Change, author: Identity, writes: Mapping[str, str],
            people: Mapping[str, Identity]) -> Commit:
    trailers = []
    for approver in change.approved_by:
        if approver not in people:
            raise _fail(f"an approval names {approver!r}, who is not in organisation/people.yaml")
        if approver == change.by:
            raise _fail(f"{change.message!r}: its author cannot approve it")
        trailers.append(f"Approved-by: {people[approver]}")
    message = change.message + ("\n\n" + "\n".join(trailers) if trailers else "")
    return Commit(author, change.at, change.approved, message, writes)

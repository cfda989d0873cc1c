"""The Git edge: everything qmskit asks of git goes through here (gitpython, with git's own CLI underneath).

History is read in one pass (`git log` over the main line, parsed in Python), never one `git log` per file.

Every question is one git process that ends before the answer is used (`rev-parse`, `cat-file -e`, a `git log`
read to its end). gitpython's object model (`repo.head.commit`, trees, blobs) is never used: it starts
`git cat-file --batch` processes that live as long as the `Repo`, and a `Repo` sits in a reference cycle, so
they would live until Python's cycle collector happened to run, one set per call, in a test session or under
`mkdocs serve` by the thousand. A `Repo` is opened only to find the work tree and closed at once.
"""

from __future__ import annotations

import abc
import codecs
import contextlib
import fcntl
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING

from qmskit.errors import RepoError, ToolMissingError
from qmskit.i18n import _
from qmskit.messages import say
from qmskit.vcs.history import History, Identity, LogParser, build_files, merged_identities, parse_note_writers

if TYPE_CHECKING:
    import git

NOTES_REF = "refs/notes/qms"
_FORMAT_FIELDS = ("%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%s", "%b",
                  "%(trailers:key=Approved-by,valueonly,separator=%x1d)",
                  "%(trailers:key=Reviewed-by,valueonly,separator=%x1d)",
                  "%(trailers:key=Co-authored-by,valueonly,separator=%x1d)", "%N")
LOG_FORMAT = "%x1e" + "%x1f".join(_FORMAT_FIELDS)


def _gitpython() -> ModuleType:
    """GitPython, imported by the first function that needs it: commands that never touch Git do not pay for it."""
    import git  # noqa: PLC0415

    return git


@dataclass(frozen=True, slots=True)
class RepoInfo:
    runner: git.Git  # gitpython's runner of one-shot git commands in the work tree (never a persistent one)
    top: Path  # the work tree's root
    prefix: str  # the manual folder relative to `top` ("" when they are the same)

    def path(self, manual_path: str) -> str:
        """A manual-relative path as git sees it (relative to the work tree)."""
        return f"{self.prefix}/{manual_path}" if self.prefix else manual_path


def open_repo(root: Path) -> RepoInfo | None:
    """The repository holding the manual, or None when the manual is not in a Git work tree."""
    git = _gitpython()
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    except git.GitCommandNotFound as exc:
        raise ToolMissingError(_("git is not installed"), _("Install git, e.g. `apt-get install git`.")) from exc
    with repo:  # closed here: only its command runner is kept (with the environment it set up for git)
        if repo.bare or repo.working_tree_dir is None:
            return None
        top = Path(repo.working_tree_dir).resolve()
        runner = repo.git
    prefix = root.resolve().relative_to(top).as_posix()
    return RepoInfo(runner, top, "" if prefix == "." else prefix)


def _run(info: RepoInfo, *args: str) -> str:
    git = _gitpython()
    try:
        return str(info.runner.execute([_git_binary(), *args], strip_newline_in_stdout=False))
    except git.GitCommandNotFound as exc:
        raise ToolMissingError(_("git is not installed"), _("Install git, e.g. `apt-get install git`.")) from exc
    except git.GitCommandError as exc:
        raise RepoError(f"git {args[0]} failed: {str(exc.stderr).strip()}", "Check the repository's state.") from exc


def read_history(root: Path) -> History:
    """Everything qmskit needs from Git about the manual at `root`, in a few passes whatever its size.

    Without git or outside a repository the history is unavailable (with the reason), never an error: the rest
    of the manual can still be checked.
    """
    with start_history(root) as pending:
        return pending()


class PendingHistory(abc.ABC):
    """The history as it is being read: call it to wait for it. Use it as a context manager (or `close` it), so
    that git's processes end also when the caller fails before it calls it."""

    @abc.abstractmethod
    def __call__(self) -> History: ...

    @abc.abstractmethod
    def close(self) -> None:
        """Stop reading: nothing of it is left running."""

    def __enter__(self) -> PendingHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_history(root: Path) -> PendingHistory:
    """Start reading the history in the background; call the result to wait for it.

    `git log` over a long history is the slowest step of most commands, and it runs in git's own process: the
    caller can load the manual meanwhile, and the log is parsed while git is still writing it.
    """
    try:
        info = open_repo(root)
        if info is None:
            return _Ready(History(available=False, reason=say("{folder} is not in a Git repository",
                                                              folder=str(root))))
        shallow, head = _shallow_and_head(info)
        if not head:
            return _Ready(History(available=True, shallow=shallow, reason=say("the repository has no commits yet"),
                                  uncommitted=_uncommitted(info)))
        return _BackgroundLog(info, head, shallow)
    except ToolMissingError as missing:
        return _Ready(History(available=False, reason=missing.message))


class _Ready(PendingHistory):
    def __init__(self, history: History) -> None:
        self.history = history

    def __call__(self) -> History:
        return self.history

    def close(self) -> None:
        pass  # no git process was started


class _BackgroundLog(PendingHistory):
    def __init__(self, info: RepoInfo, head: str, shallow: bool) -> None:
        self.info, self.head, self.shallow = info, head, shallow
        self.processes: list[subprocess.Popen[bytes]] = []
        self.reader: threading.Thread | None = None
        try:
            self._start()
        except BaseException:
            self.close()  # a git that failed to start leaves none of the others running
            raise

    def _start(self) -> None:
        info, head = self.info, self.head
        pathspec = [info.prefix] if info.prefix else []
        self.parser = LogParser(info.prefix)
        self.log = self._spawn("-c", "core.quotepath=off", "log", "--first-parent", "--reverse", "-M",
                               "--name-status", "-z", f"--notes={NOTES_REF}", f"--format={LOG_FORMAT}", head, "--",
                               *pathspec)
        # Who wrote what a merge brings in needs the whole commit graph; it is cheap, so read it alongside.
        self.mainline = self._spawn("rev-list", "--first-parent", head)
        self.graph = self._spawn("log", "--format=%H %P%x1f%ae%x1f%ce", head)
        # who wrote each approval note: a note counts as asserted evidence only when a merge identity wrote it
        has_notes = _run(info, "for-each-ref", "--format=%(refname)", NOTES_REF).strip() == NOTES_REF
        self.notes = self._spawn("log", "--format=%x1e%ce", "--name-only", NOTES_REF) if has_notes else None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _spawn(self, *args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([_git_binary(), "-C", str(self.info.top), *args], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        self.processes.append(process)
        return process

    def _read(self) -> None:
        stream = self.log.stdout
        if stream is None:
            return
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        with stream:
            while block := stream.read(1 << 16):
                self.parser.feed(decoder.decode(block))
        self.parser.feed(decoder.decode(b"", final=True))

    def _collect(self, process: subprocess.Popen[bytes]) -> str:
        out, _ = process.communicate()
        if process.returncode != 0:
            raise RepoError(f"git failed reading the history of {self.head[:10]}", "Check the repository.")
        return out.decode("utf-8", "replace")

    def __call__(self) -> History:
        try:
            return self._result()
        finally:
            self.close()  # also when one of the answers failed: the others' processes end too

    def _result(self) -> History:
        if self.reader is not None:
            self.reader.join()
        if self.log.wait() != 0:
            raise RepoError("git log failed", "Check the repository (`git log` should work in it).")
        commits = self.parser.close()
        mainline, graph = self._collect(self.mainline), self._collect(self.graph)
        side, side_committers = (merged_identities(graph, set(mainline.split()))
                                 if any(c.is_merge for c in commits) else ({}, {}))
        files, gone = build_files(commits, side, side_committers)
        writers = parse_note_writers(self._collect(self.notes)) if self.notes else {}
        return History(available=True, shallow=self.shallow, head=self.head,
                       first=commits[0].sha if commits else "", branch=_branch(self.info), files=files,
                       deleted=tuple(gone), uncommitted=_uncommitted(self.info),
                       commits=tuple(commits), note_writers=writers, mainline=tuple(reversed(mainline.split())))

    def close(self) -> None:
        """Kill the git processes still running, then wait for each and for the reader: none is left, not even as
        a zombie, and no pipe stays open. Killing first lets the reader see the log's end rather than block."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
        if self.reader is not None:
            self.reader.join()
        for process in self.processes:
            process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _git_binary() -> str:
    git = _gitpython()
    return str(git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git")


def _asked(info: RepoInfo, *args: str) -> tuple[bool, str]:
    """git's answer to a yes-or-no question (asked with --quiet: no is not an error): (yes, what it printed)."""
    git = _gitpython()
    try:
        status, out, _err = info.runner.execute([_git_binary(), *args], with_exceptions=False,
                                                with_extended_output=True)
    except git.GitCommandNotFound as exc:
        raise ToolMissingError(_("git is not installed"), _("Install git, e.g. `apt-get install git`.")) from exc
    return status == 0, str(out).strip()


def _head(info: RepoInfo) -> str:
    """The commit HEAD names; "" in a repository without commits yet."""
    found, head = _asked(info, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return head if found else ""


def _shallow_and_head(info: RepoInfo) -> tuple[bool, str]:
    """Whether the clone is shallow, and `_head`: one `git rev-parse` for both (it says the first either way)."""
    found, out = _asked(info, "rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD^{commit}")
    shallow, _, head = out.partition("\n")
    if shallow not in ("true", "false"):
        raise RepoError(f"git rev-parse failed in {info.top}", "Check the repository's state (`git status`).")
    return shallow == "true", head.strip() if found else ""


def _branch(info: RepoInfo) -> str:
    on_branch, ref = _asked(info, "symbolic-ref", "--quiet", "HEAD")
    if not on_branch:
        return ""  # detached HEAD (as in most CI checkouts)
    return ref.removeprefix("refs/heads/")


def _uncommitted(info: RepoInfo) -> frozenset[str]:
    """Manual-relative paths with changes not yet committed (modified, added, deleted or untracked)."""
    pathspec = [info.prefix] if info.prefix else ["."]
    out = _run(info, "-c", "core.quotepath=off", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
               *pathspec)
    paths = set()
    tokens = iter(out.split("\0"))
    for token in tokens:
        if len(token) < 4:
            continue
        if token[0] in "RC":
            next(tokens, None)  # the rename's source follows
        rel = token[3:]
        if not info.prefix:
            paths.add(rel)
        elif rel.startswith(info.prefix + "/"):
            paths.add(rel[len(info.prefix) + 1:])
    return frozenset(paths)


def read_blobs(root: Path, specs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """File contents at commits, in one `git cat-file --batch` process: {(commit, manual path): text}. A file
    git does not have at that commit is left out; so is a path with a line break, which the request (one line
    per file) cannot carry."""
    info = open_repo(root)
    wanted = [spec for spec in dict.fromkeys(specs) if "\n" not in spec[0] + spec[1]]
    if info is None or not wanted:
        return {}
    request = "".join(f"{commit}:{info.path(path)}\n" for commit, path in wanted).encode("utf-8")
    answers = parse_batch(_cat_file_batch(info, request), len(wanted))
    return {spec: answer[1].decode("utf-8", "replace") for spec, answer in zip(wanted, answers, strict=True)
            if answer is not None and answer[0] == "blob"}


def _cat_file_batch(info: RepoInfo, request: bytes) -> bytes:
    """`git cat-file --batch`'s whole answer to these requests (one object name a line)."""
    try:
        done = subprocess.run([_git_binary(), "-C", str(info.top), "cat-file", "--batch"], input=request,
                              capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise ToolMissingError(_("git is not installed"), _("Install git, e.g. `apt-get install git`.")) from exc
    if done.returncode != 0:
        raise RepoError(f"git cat-file failed: {done.stderr.decode('utf-8', 'replace').strip()[:500]}",
                        "Check the repository (`git fsck`), then run the command again.")
    return done.stdout


# An object as `git cat-file --batch` announces it: its id, type and size (bounded: a size is a 64-bit number).
_OBJECT_HEADER = re.compile(rb"([0-9a-f]{40}|[0-9a-f]{64}) (blob|tree|commit|tag) ([0-9]{1,19})")


def parse_batch(out: bytes, count: int) -> list[tuple[str, bytes] | None]:
    """`git cat-file --batch`'s answer to `count` requests, in their order: each object's (type, content), or
    None for one git does not have (missing, ambiguous). An answer cut short or out of form raises RepoError:
    reading on would hand one file's text to another, or a file that is there would seem missing."""
    found: list[tuple[str, bytes] | None] = []
    offset = 0
    for number in range(count):
        end = out.find(b"\n", offset)
        if end < 0:
            raise _batch_broken(f"it ended after {number} of {count} objects")
        header, offset = out[offset:end], end + 1
        if header.endswith((b" missing", b" ambiguous")):
            found.append(None)
            continue
        match = _OBJECT_HEADER.fullmatch(header)
        if match is None:
            raise _batch_broken(f"object {number + 1} of {count} has no id, type and size")
        size = int(match[3])
        if len(out) <= offset + size or out[offset + size] != ord("\n"):
            raise _batch_broken(f"object {number + 1} of {count} is shorter than its size")
        found.append((match[2].decode("ascii"), out[offset:offset + size]))
        offset += size + 1
    return found


def _batch_broken(what: str) -> RepoError:
    return RepoError(f"git cat-file's answer is incomplete: {what}",
                     "Check the repository (`git fsck`) and that git was not stopped, then run the command again.")


def texts_ever(root: Path, folders: Iterable[str]) -> dict[str, str]:
    """Every version any main-line commit wrote of the files in these manual folders: {manual path@blob: text}.

    Blobs are named by their object id from one `git log --raw` pass and read in one `git cat-file --batch`, so
    a version shared by several commits is read once, and no tree is walked per request (which costs seconds
    on long histories)."""
    info = open_repo(root)
    if info is None:
        return {}
    if not _head(info):
        return {}
    # One plain pass over the manual (a pathspec per folder makes git slower than filtering here).
    pathspec = [info.prefix] if info.prefix else []
    log = subprocess.run([_git_binary(), "-C", str(info.top), "-c", "core.quotepath=off", "log", "--first-parent",
                          "--raw", "--no-abbrev", "-z", "--format=", "HEAD", "--", *pathspec],
                         capture_output=True, check=False)
    if log.returncode != 0:
        raise RepoError("git log failed", "Check the repository (`git log` should work in it).")
    out = log.stdout.decode("utf-8", "replace")
    inside = tuple(f"{folder}/" for folder in folders)
    wanted: dict[str, str] = {}  # blob -> manual path (one of them)
    tokens = out.split("\0")
    index = 0
    while index < len(tokens):
        head = tokens[index].lstrip("\n")
        if not head.startswith(":"):
            index += 1
            continue
        fields = head.split()
        status, blob = fields[-1], fields[3]
        count = 2 if status[0] in "RC" else 1
        path = _manual_relative(info, tokens[index + count]) if index + count < len(tokens) else None
        index += count + 1
        if path is not None and path.startswith(inside) and set(blob) != {"0"}:
            wanted.setdefault(blob, path)
    if not wanted:
        return {}
    request = "".join(f"{blob}\n" for blob in wanted).encode("ascii")
    answers = parse_batch(_cat_file_batch(info, request), len(wanted))
    return {f"{path}@{blob}": answer[1].decode("utf-8", "replace")
            for (blob, path), answer in zip(wanted.items(), answers, strict=True)
            if answer is not None and answer[0] == "blob"}


def current_identity(root: Path) -> Identity:
    """The user as git knows them (user.name, user.email)."""
    info = open_repo(root)
    if info is None:
        raise RepoError(_("{folder} is not in a Git repository").format(folder=root),
                        _("Run the command inside the manual's repository."))
    # git's own answer (one process each): it follows GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM, includes and
    # GIT_CONFIG_COUNT as every commit does; gitpython's reader of the files does not.
    name, email = _config(info, "user.name"), _config(info, "user.email")
    if not email:
        raise RepoError(_("git does not know who you are"), _("Set `git config user.email` (and user.name)."))
    return Identity(name, email.lower())


def add_note(root: Path, commit: str, line: str) -> None:
    """Append one line to the commit's note in refs/notes/qms (creating the note if needed)."""
    info = open_repo(root)
    if info is None:
        raise RepoError(_("{folder} is not in a Git repository").format(folder=root),
                        _("Approvals are stored in Git notes."))
    _run(info, "notes", f"--ref={NOTES_REF}", "append", "-m", line, commit)


def commit_exists(root: Path, sha: str) -> bool:
    git = _gitpython()
    info = open_repo(root)
    if info is None or not re.fullmatch(r"[0-9a-fA-F]{4,64}", sha):
        return False
    try:
        info.runner.cat_file("-e", f"{sha}^{{commit}}")
    except git.GitCommandError:
        return False
    return True


def enclosing_work_tree(folder: Path) -> Path | None:
    """The top of the Git work tree that contains `folder`, if any."""
    git = _gitpython()
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    with repo:
        return Path(repo.working_tree_dir or folder)


def init_and_commit(folder: Path, message: str) -> str:
    """`git init` the folder, add everything, commit; return the commit hash."""
    git = _gitpython()
    try:
        with git.Repo.init(folder) as repo:
            repo.git.add(A=True)
            repo.git.commit("-q", "-m", message)  # git itself: it honours the user's identity, hooks and signing
            return str(repo.git.rev_parse("--verify", "HEAD^{commit}")).strip()
    except git.GitCommandNotFound as exc:
        raise ToolMissingError(_("git is not installed"), _("Install git, e.g. `apt-get install git`.")) from exc
    except git.GitCommandError as exc:
        raise RepoError(f"git failed: {str(exc.stderr).strip() or exc}",
                        _("If git asks who you are, set `git config --global user.name` and `user.email`; "
                          "the files are written, so you can commit by hand.")) from exc


def _require(root: Path) -> RepoInfo:
    info = open_repo(root)
    if info is None:
        raise RepoError(_("{folder} is not in a Git repository").format(folder=root),
                        _("This command reads and writes Git history."))
    return info


def resolve_ref(root: Path, ref: str) -> str:
    git = _gitpython()
    info = _require(root)
    try:
        return str(info.runner.rev_parse("--verify", "--end-of-options", f"{ref}^{{commit}}")).strip()
    except git.GitCommandError as exc:
        raise RepoError(_("'{ref}' is not a commit in this repository").format(ref=ref),
                        _("Fetch it first (e.g. `git fetch origin main`) or name a branch, tag or commit.")) from exc


def merge_base(root: Path, ref: str) -> str:
    info = _require(root)
    target = resolve_ref(root, ref)
    return _run(info, "merge-base", target, "HEAD").strip()


def changed_paths(root: Path, base: str, include_worktree: bool = True) -> list[tuple[str, str, str]]:
    """(status, manual path, old manual path) of files changed between `base` and HEAD (and the work tree)."""
    info = _require(root)
    pathspec = [info.prefix] if info.prefix else ["."]
    args = ["-c", "core.quotepath=off", "diff", "--name-status", "-M", "-z", base]
    if not include_worktree:
        args.append("HEAD")
    tokens = _run(info, *args, "--", *pathspec).split("\0")
    result, index = [], 0
    while index < len(tokens) and tokens[index]:
        status = tokens[index]
        if status[0] in "RC":
            old, new, index = tokens[index + 1], tokens[index + 2], index + 3
        else:
            old, new, index = "", tokens[index + 1], index + 2
        rel_new, rel_old = _manual_relative(info, new), _manual_relative(info, old) if old else ""
        if rel_new is not None:
            result.append((status[0], rel_new, rel_old or ""))
    return result


def _manual_relative(info: RepoInfo, path: str) -> str | None:
    if not info.prefix:
        return path
    return path[len(info.prefix) + 1:] if path.startswith(info.prefix + "/") else None


def diff_text(root: Path, base: str, path: str, old_path: str = "") -> str:
    info = _require(root)
    paths = [info.path(p) for p in (old_path, path) if p]
    return _run(info, "-c", "core.quotepath=off", "diff", "-M", base, "--", *paths)


def ancestry(root: Path, sha: str) -> frozenset[str] | None:
    """The commits that touched the manual in the ancestry of `sha` (itself included), or None when `sha` is not
    a full commit hash of a commit in HEAD's history: a baseline pinned to a commit releases just these."""
    git = _gitpython()
    info = open_repo(root)
    if info is None or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha) or not commit_exists(root, sha):
        return None
    try:
        info.runner.merge_base("--is-ancestor", sha, "HEAD")
    except git.GitCommandError:
        return None
    pathspec = [info.prefix] if info.prefix else []
    return frozenset(_run(info, "rev-list", sha, "--", *pathspec).split()) | {sha}


def reachable(root: Path, ref: str) -> set[str]:
    """Commits reachable from `ref` that touched the manual."""
    info = _require(root)
    pathspec = [info.prefix] if info.prefix else []
    return set(_run(info, "rev-list", ref, "--", *pathspec).split())


@dataclass(frozen=True, slots=True)
class Tag:
    """An annotated tag as Git records it (lightweight tags carry no message or date of their own)."""

    name: str
    commit: str  # the commit it points to
    date: str  # the tagger's date, ISO 8601
    tagger: str
    subject: str  # the first line of its message
    object: str = ""  # the tag object (its message: tag_messages)


MAX_TAGS = 100_000  # tags read at all: more is not a manual's release history


def annotated_tags(root: Path) -> list[Tag]:
    """Every annotated tag of the repository holding the manual, oldest first, in one `git for-each-ref`."""
    info = open_repo(root)
    if info is None:
        return []
    fields = ("%(objecttype)", "%(refname:strip=2)", "%(*objectname)", "%(taggerdate:iso-strict)",
              "%(taggername)", "%(contents:subject)", "%(objectname)")
    done = subprocess.run([_git_binary(), "-C", str(info.top), "for-each-ref", "--sort=taggerdate",
                           f"--count={MAX_TAGS}", "--format=" + "%00".join(fields) + "%00", "refs/tags"],
                          capture_output=True, check=False)
    if done.returncode != 0:
        return []
    values = done.stdout.decode("utf-8", "replace").split("\0")
    found = []
    for start in range(0, len(values) - len(fields) + 1, len(fields)):
        kind, name, commit, day, tagger, subject, tag_object = (v.strip("\n") if i == 0 else v for i, v in
                                                                enumerate(values[start:start + len(fields)]))
        if kind == "tag" and re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
            found.append(Tag(name, commit, day, tagger, subject, tag_object))
    return found


def tag_messages(root: Path, objects: Iterable[str], keep: int = 1 << 16) -> dict[str, str]:
    """The messages of these tag objects, in one streamed `git cat-file --batch`: {object: message}. Of a
    message longer than 2 x `keep` bytes only its beginning and its end are kept (joined by a line "..."), so
    that no tag, however large, is held in memory whole."""
    info = open_repo(root)
    wanted = [o for o in dict.fromkeys(objects) if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", o)]
    if info is None or not wanted:
        return {}
    process = subprocess.Popen([_git_binary(), "-C", str(info.top), "cat-file", "--batch"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None  # noqa: S101 - both are pipes
    request = "".join(f"{o}\n" for o in wanted).encode("ascii")
    writer = threading.Thread(target=_feed, args=(process.stdin, request), daemon=True)
    writer.start()
    found = {}
    with process.stdout as out:
        for tag_object in wanted:
            header = out.readline().split()
            if len(header) != 3 or not header[2].isdigit():
                continue  # missing
            size = int(header[2])
            head = out.read(min(size, 2 * keep + 4096))
            rest, tail = size - len(head), b""
            while rest > 0:  # long: keep its end, let the middle go by
                chunk = out.read(min(rest, 1 << 16))
                if not chunk:
                    break
                rest -= len(chunk)
                tail = (tail + chunk)[-keep:]
            out.read(1)  # the newline after each object
            text = head.decode("utf-8", "replace") + ("\n...\n" + tail.decode("utf-8", "replace") if tail else "")
            if header[1] == b"tag":
                found[tag_object] = text.partition("\n\n")[2]
    writer.join()
    process.wait()
    return found


def _feed(stream: IO[bytes], data: bytes) -> None:
    with stream:
        stream.write(data)


def create_tag(root: Path, name: str, message: str, *, target: str = "HEAD",
               tagger: tuple[str, str, str] | None = None) -> str:
    """An annotated tag; `tagger` (name, e-mail, ISO 8601 time) dates it, as `qms init --example` does for the
    release its story tells."""
    info = _require(root)
    if _asked(info, "show-ref", "--verify", "--quiet", f"refs/tags/{name}")[0]:
        raise RepoError(_("tag {tag} already exists").format(tag=name),
                        _("Release records are never replaced: choose a new name."))
    try:
        _run(info, "check-ref-format", f"refs/tags/{name}")
    except RepoError as exc:
        raise RepoError(_("'{tag}' is not a valid tag name").format(tag=name),
                        _("Use letters, digits, '.', '-' and '/'.")) from exc
    if tagger is None:
        _run(info, "tag", "-a", name, "-m", message, target)
    else:
        env = {"GIT_COMMITTER_NAME": tagger[0], "GIT_COMMITTER_EMAIL": tagger[1], "GIT_COMMITTER_DATE": tagger[2]}
        _git(info.top, "-c", "tag.gpgSign=false", "tag", "-a", name, "-m", message, "--end-of-options", target,
             env=env)
    return _run(info, "rev-parse", "--verify", f"refs/tags/{name}^{{commit}}").strip()


def _git(folder: Path, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> str:
    """git itself, for what gitpython does not pass through: an input stream, or another identity and date."""
    try:
        done = subprocess.run([_git_binary(), "-C", str(folder), *args], input=stdin, capture_output=True, check=False,
                              env={**os.environ, **(env or {})}, timeout=600)
    except FileNotFoundError as exc:
        raise ToolMissingError(_("git is not installed"), _("Install git, e.g. `apt-get install git`.")) from exc
    if done.returncode != 0:
        command = next((a for a in args if not a.startswith("-") and "=" not in a), "")
        raise RepoError(f"git {command} failed: {done.stderr.decode('utf-8', 'replace').strip()}",
                        "Check the repository's state.")
    return done.stdout.decode("utf-8", "replace")


def init_with_history(folder: Path, stream: Callable[[str], bytes]) -> str:
    """`git init` a folder that already holds the last commit's files, then write its history with
    `git fast-import` (every commit with its own author, committer and dates) onto the branch HEAD names;
    `stream(ref)` gives the import. Returns the last commit. The work tree must come out clean: a history that
    does not end in exactly the files written is refused."""
    _git(folder, "init", "-q")
    ref = _git(folder, "symbolic-ref", "HEAD").strip()
    _git(folder, "fast-import", "--quiet", "--done", stdin=stream(ref))
    _git(folder, "reset", "-q")
    left = _git(folder, "status", "--porcelain", "--untracked-files=all")
    if left.strip():
        raise RepoError(f"the story's history does not end in the files written ({left.splitlines()[0].strip()})",
                        "The starter's story file is out of date: fix it where qmskit is installed.")
    return _git(folder, "rev-parse", "HEAD").strip()


def commit_files(root: Path, paths: Iterable[str], message: str) -> str:
    """Commit just these manual files (others staged or not are left alone); returns the commit hash.

    Git refuses to work while another git process holds the index lock: wait for it, a bounded while."""
    info = _require(root)
    files = [info.path(p) for p in paths]
    _retry_locked(info, "add", "--", *files)
    _retry_locked(info, "commit", "-q", "-m", message, "--only", "--", *files)
    return _run(info, "rev-parse", "--verify", "HEAD^{commit}").strip()


def unstage(root: Path, paths: Iterable[str]) -> None:
    """Take files out of the index again (after a commit that failed), waiting for the index lock."""
    info = _require(root)
    _retry_locked(info, "reset", "-q", "--", *(info.path(p) for p in paths))


# How long a writer waits for another writer (qms or any git process) before giving up: long enough for a
# burst of concurrent writers to finish one after the other, short enough that a stuck lock is reported.
LOCK_WAIT_SECONDS = 120.0
_POLL_SECONDS = 0.05


def _retry_locked(info: RepoInfo, *args: str) -> str:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return _run(info, *args)
        except RepoError as failed:
            if "index.lock" not in failed.message or time.monotonic() > deadline:
                raise
            time.sleep(_POLL_SECONDS)


@contextlib.contextmanager
def writer_lock(root: Path, wait: float | None = None) -> Iterator[None]:
    """One committing qms writer at a time per repository, so that a write and its commit happen together.

    An advisory lock on a file in the git folder (released by the kernel even if the process dies); waits at
    most `wait` seconds, then fails before anything is written. Also waits until no other git process holds
    the index lock, so the commit that follows is not refused."""
    info = _require(root)
    limit = LOCK_WAIT_SECONDS if wait is None else wait
    git_dir = Path(_run(info, "rev-parse", "--absolute-git-dir").strip())
    deadline = time.monotonic() + limit
    with (git_dir / "qms-writer.lock").open("a") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RepoError(_("another qms writer has held the repository for over {seconds} s").format(
                        seconds=f"{limit:.0f}"), _("Nothing was written. Try again when it has finished.")) from None
                time.sleep(_POLL_SECONDS)
        try:
            while (git_dir / "index.lock").exists():
                if time.monotonic() > deadline:
                    raise RepoError(_("git's index is locked ({file}) for over {seconds} s").format(
                        file=git_dir / "index.lock", seconds=f"{limit:.0f}"),
                                    _("Nothing was written. If no git command is running, remove the stale lock "
                                      "file, then try again."))
                time.sleep(_POLL_SECONDS)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


SIGNING_NAMESPACE = "qms-approval"


def _config(info: RepoInfo, key: str) -> str:
    """A configuration value as git reads it (its last value), "" when it is not set."""
    found, value = _asked(info, "config", "--get", key)
    return value if found else ""


def sign(root: Path, payload: str) -> str:
    """An SSH signature of `payload` with the key git signs commits with (gpg.format ssh, user.signingkey)."""
    info = _require(root)
    if _config(info, "gpg.format") != "ssh" or not _config(info, "user.signingkey"):
        raise RepoError(_("signing needs an SSH signing key configured in git"),
                        "git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub")
    key = str(Path(_config(info, "user.signingkey")).expanduser())
    done = subprocess.run(["ssh-keygen", "-Y", "sign", "-f", key, "-n", SIGNING_NAMESPACE], input=payload.encode(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise RepoError(f"ssh-keygen could not sign: {done.stderr.decode(errors='replace').strip()}",
                        _("Check user.signingkey (a key file, or a public key whose private key is in "
                          "ssh-agent)."))
    return done.stdout.decode()


def verify(allowed_signers: str, signed: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], bool]:
    """For each (signer e-mail, payload, signature): whether `ssh-keygen -Y verify` accepts it against the text
    of an allowed-signers file (read from the trusted base by the caller, never from the work tree)."""
    results: dict[tuple[str, str], bool] = {}
    with tempfile.TemporaryDirectory(prefix="qms-verify-") as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_text(allowed_signers, encoding="utf-8")
        signature_file = Path(folder) / "approval.sig"
        for email, payload, signature in signed:
            signature_file.write_text(signature, encoding="utf-8")
            try:
                done = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", email, "-n",
                                       SIGNING_NAMESPACE, "-s", str(signature_file)], input=payload.encode(),
                                      capture_output=True, check=False, timeout=30)
            except FileNotFoundError as exc:
                raise ToolMissingError(_("ssh-keygen is not installed (needed to verify signed approvals)"),
                                       _("Install OpenSSH's client, e.g. `apt-get install openssh-client`.")) from exc
            except subprocess.TimeoutExpired:
                results[(payload, signature)] = False
                continue
            results[(payload, signature)] = done.returncode == 0
    return results


def repository_path(root: Path, manual_path: str) -> str:
    """A manual-relative path as a path from the repository root."""
    info = _require(root)
    return info.path(manual_path)


def manual_path(root: Path, repo_path: str) -> str | None:
    """A path from the repository root as a manual-relative one (None when it lies outside the manual)."""
    info = open_repo(root)
    return _manual_relative(info, repo_path) if info else None


def read_file_at(root: Path, commit: str, repo_path: str) -> str | None:
    """A file's text at a commit, by its path from the repository root; None when it is not there.

    The path comes from configuration, so it is checked: relative, no `..`, no control characters."""
    info = open_repo(root)
    parts = repo_path.split("/")
    if (info is None or not repo_path or repo_path.startswith("/") or ".." in parts or "" in parts
            or any(ord(c) < 32 for c in repo_path) or not re.fullmatch(r"[0-9a-fA-F]{4,64}", commit)):
        return None
    done = subprocess.run([_git_binary(), "-C", str(info.top), "cat-file", "blob", f"{commit}:{repo_path}"],
                          capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def is_head_or_its_merge(root: Path, checked_out: str, head: str) -> bool:
    """Whether `checked_out` is `head` itself, or a merge whose parents include it (the forge's test merge of a
    pull request, refs/pull/N/merge) — the commits whose content a review of `head` approved."""
    if checked_out == head:
        return True
    info = open_repo(root)
    if info is None or not re.fullmatch(r"[0-9a-f]{40,64}", checked_out):
        return False
    parents = _run(info, "rev-list", "--parents", "-n", "1", checked_out).split()[1:]
    return len(parents) > 1 and head in parents

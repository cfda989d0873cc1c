"""No command leaves a process or a file descriptor behind: a long-lived process (the mkdocs plugin under
`mkdocs serve`, which rebuilds the site in the same process on every edit; a test session) runs many of them.

Python's cycle collector is switched off while the calls run: it would free some of gitpython's objects at a
moment nobody chooses, and what is released must not depend on that moment."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from qmskit.loading import editorschemas
from tests.conftest import ITSERVICES, Result, commit_all, git

Qms = Callable[..., Result]
REBUILDS = 3


def children() -> dict[int, str]:
    """This process's child processes, also those that have ended but were not waited for (zombies):
    {pid: "state command"}, from /proc."""
    me, found = os.getpid(), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # it ended meanwhile
        command, _, rest = stat.partition(" (")[2].rpartition(") ")
        state, parent = rest.split()[:2]
        if int(parent) == me:
            found[int(entry.name)] = f"{state} {command}"
    return found


def open_descriptors() -> list[str]:
    """What each of this process's open file descriptors points to (a file, a pipe, a socket)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):  # the descriptor of the listing itself is gone by now
            found.append(str(fd.readlink()))
    return sorted(found)


@pytest.fixture
def no_cycle_collector() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def assert_nothing_left(run: Callable[[], None], calls: int = REBUILDS) -> None:
    """`run` once to warm up (imports, caches), then `calls` more times: after each, the child processes there
    were before (none of its own) and as many open file descriptors as after the first."""
    before = children().keys()
    run()
    assert children().keys() == before, f"after the first call: {children()}"
    settled = open_descriptors()
    for call in range(calls):
        run()
        assert children().keys() == before, f"after call {call + 2}: {children()}"
        now = open_descriptors()
        assert len(now) == len(settled), f"after call {call + 2}: {sorted(set(now) - set(settled))}"


@pytest.mark.usefixtures("no_cycle_collector")
def test_validate_leaves_no_git_process(itservices: Path, qms: Qms) -> None:
    def validate() -> None:
        assert qms("validate", itservices, "--format", "json").code in (0, 1)

    assert_nothing_left(validate)


@pytest.mark.usefixtures("no_cycle_collector")
def test_validate_of_a_manual_in_a_sub_folder_leaves_no_git_process(tmp_path: Path, qms: Qms) -> None:
    company = tmp_path / "company"
    (company / "src").mkdir(parents=True)
    (company / "src" / "main.c").write_text("int main(void) { return 0; }\n", encoding="utf-8")
    manual = company / "quality"
    shutil.copytree(ITSERVICES, manual)
    editorschemas.sync(manual)
    git(company, "init", "-q", "-b", "main")
    commit_all(company, "Code and manual")

    def validate() -> None:
        assert qms("validate", manual, "--format", "json").code in (0, 1)

    assert_nothing_left(validate)


@pytest.mark.usefixtures("no_cycle_collector")
def test_site_rebuilds_through_the_mkdocs_plugin_leave_no_git_process(itservices: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """As `mkdocs serve` does on every edit: the configuration loaded again, the site built, in one process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # the plugin's build folders, in here
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)  # mkdocs checks that its docs_dir exists before the plugin replaces it
    config = project / "mkdocs.yml"
    config.write_text(f"site_name: Manual\ntheme: {{name: material}}\nplugins:\n  - search\n"
                      f"  - qms: {{manual: {itservices}}}\n", encoding="utf-8")
    site = project / "site"

    def rebuild() -> None:
        build(load_config(str(config), site_dir=str(site)))
        assert (site / "index.html").is_file()

    assert_nothing_left(rebuild)


@pytest.mark.usefixtures("no_cycle_collector")
def test_qms_build_leaves_no_git_process(itservices: Path, tmp_path: Path, qms: Qms) -> None:
    def build() -> None:
        done = qms("build", "-C", itservices, "-o", tmp_path / "site")
        assert done.code == 0, done.err

    assert_nothing_left(build, calls=1)


@pytest.mark.usefixtures("no_cycle_collector")
def test_every_question_to_git_leaves_no_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each function of the Git edge, on a manual in a sub-folder of a repository with history, tags and notes:
    commands that are not `validate` or `build` (approve, record, release, changes) use them too."""
    from qmskit.vcs import gitrepo

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    company = tmp_path / "company"
    manual = company / "quality"
    (manual / "documents").mkdir(parents=True)
    (manual / "documents" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    first = gitrepo.init_and_commit(company, "Start")
    branch = git(company, "branch", "--show-current").strip()
    git(company, "config", "user.email", "aino@example.com")
    counter = iter(range(1_000_000))

    def ask() -> None:
        n = next(counter)
        (manual / "documents" / "guide.md").write_text(f"# Guide {n}\n", encoding="utf-8")
        with gitrepo.writer_lock(manual):
            head = gitrepo.commit_files(manual, ["documents/guide.md"], f"Revision {n}")
        gitrepo.add_note(manual, head, f"approved {n}")
        tag = gitrepo.create_tag(manual, f"release-{n}", f"Release {n}")
        assert tag == head == gitrepo.resolve_ref(manual, f"release-{n}")
        history = gitrepo.read_history(manual)
        assert (history.head, history.branch, history.first) == (head, branch, first)
        assert gitrepo.texts_ever(manual, ["documents"])
        assert gitrepo.read_blobs(manual, [(head, "documents/guide.md")])
        assert gitrepo.read_file_at(manual, head, "quality/documents/guide.md") == f"# Guide {n}\n"
        assert gitrepo.commit_exists(manual, head) and not gitrepo.commit_exists(manual, "f" * 40)
        assert gitrepo.merge_base(manual, first) == first
        assert gitrepo.changed_paths(manual, first) and gitrepo.diff_text(manual, first, "documents/guide.md")
        assert head in (gitrepo.ancestry(manual, head) or ()) and head in gitrepo.reachable(manual, "HEAD")
        tags = gitrepo.annotated_tags(manual)
        assert gitrepo.tag_messages(manual, [t.object for t in tags])
        assert gitrepo.is_head_or_its_merge(manual, head, head)
        assert gitrepo.current_identity(manual).email == "aino@example.com"
        assert gitrepo.enclosing_work_tree(manual) == company

    assert_nothing_left(ask)


class Interrupted(Exception):
    """A failure between starting to read the history and waiting for it (Ctrl-C, a bug, a full disk)."""


def _interrupt(*args: object, **kwargs: object) -> None:
    raise Interrupted


@pytest.mark.usefixtures("no_cycle_collector")
@pytest.mark.parametrize("caller", ["check", "build", "control"])
def test_a_failure_while_the_history_is_read_leaves_no_git_process(caller: str, itservices: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each caller of start_history loads the manual while git reads; loading fails here, so the history is
    never waited for: its git processes must end all the same."""
    from qmskit import check
    from qmskit.cli import control
    from qmskit.site import build

    module = {"check": check, "build": build, "control": control}[caller]
    monkeypatch.setattr(module, "load_manual", _interrupt)
    calls: dict[str, Callable[[], object]] = {
        "check": lambda: check.check_manual(itservices),
        "build": lambda: build.generate(itservices, tmp_path / "pages", "internal", date(2026, 11, 27)),
        "control": lambda: control._load(itservices, None)}

    def fail() -> None:
        with pytest.raises(Interrupted):
            calls[caller]()

    assert_nothing_left(fail)


@pytest.mark.usefixtures("no_cycle_collector")
def test_a_history_closed_unread_leaves_no_git_process(itservices: Path) -> None:
    """Closed while git is still writing a long log (it is killed, not waited for to the end)."""
    from qmskit.vcs import gitrepo

    for n in range(300):
        (itservices / "notes.md").write_text(f"{n}\n" * 200, encoding="utf-8")
        git(itservices, "add", "notes.md")
        git(itservices, "commit", "-q", "-m", f"Note {n}")

    def close_unread() -> None:
        with gitrepo.start_history(itservices):
            pass

    assert_nothing_left(close_unread)
    with gitrepo.start_history(itservices) as pending:
        assert len(pending().commits) == 301  # read to its end, it is the whole history

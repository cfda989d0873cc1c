"""The Git edge (vcs/gitrepo.py) on real repositories in the states a manual meets: no repository, a repository
without commits, a shallow clone, a detached HEAD, a manual in a sub-folder of a larger repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from qmskit.errors import RepoError
from qmskit.vcs import gitrepo
from qmskit.vcs.history import Identity
from tests.conftest import commit_all, git

DOCUMENT = "documents/guide.md"


def manual_files(folder: Path, text: str = "# Guide\n") -> Path:
    """A few plain files where a manual would keep them (gitrepo never needs qms.yaml to be valid)."""
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / DOCUMENT).write_text(text, encoding="utf-8")
    (folder / "qms.yaml").write_text("name: Somewhere\n", encoding="utf-8")
    return folder


def test_outside_a_repository(tmp_path: Path) -> None:
    loose = manual_files(tmp_path / "loose")
    history = gitrepo.read_history(loose)
    assert (history.available, history.head) == (False, "")
    assert "not in a Git repository" in str(history.reason)
    assert gitrepo.open_repo(loose) is None
    assert gitrepo.enclosing_work_tree(loose) is None
    assert gitrepo.texts_ever(loose, ["documents"]) == {}
    assert gitrepo.read_blobs(loose, [("0" * 40, DOCUMENT)]) == {}
    assert gitrepo.annotated_tags(loose) == []
    assert gitrepo.manual_path(loose, DOCUMENT) is None
    assert not gitrepo.commit_exists(loose, "0" * 40)
    with pytest.raises(RepoError, match="not in a Git repository"):
        gitrepo.current_identity(loose)
    with pytest.raises(RepoError, match="not in a Git repository"):
        gitrepo.commit_files(loose, [DOCUMENT], "Nothing to commit into")


def test_a_repository_without_commits(tmp_path: Path) -> None:
    manual = manual_files(tmp_path / "new")
    git(manual, "init", "-q", "-b", "main")
    git(manual, "add", "qms.yaml")  # one file staged, one untracked: both are uncommitted
    history = gitrepo.read_history(manual)
    assert (history.available, history.shallow, history.head, history.commits) == (True, False, "", ())
    assert str(history.reason) == "the repository has no commits yet"
    assert history.uncommitted == {"qms.yaml", DOCUMENT}
    assert gitrepo.texts_ever(manual, ["documents"]) == {}
    assert gitrepo.enclosing_work_tree(manual) == manual
    assert gitrepo.annotated_tags(manual) == []


def test_head_branch_and_a_detached_head(tmp_path: Path) -> None:
    manual = manual_files(tmp_path / "manual")
    git(manual, "init", "-q", "-b", "main")
    first = commit_all(manual, "First")
    manual_files(manual, "# Guide, revised\n")
    second = commit_all(manual, "Second")
    history = gitrepo.read_history(manual)
    assert (history.head, history.first, history.branch, history.shallow) == (second, first, "main", False)
    assert [c.sha for c in history.commits] == [first, second]
    assert history.uncommitted == frozenset()
    git(manual, "checkout", "-q", "-b", "feature/guide")
    assert gitrepo.read_history(manual).branch == "feature/guide"
    git(manual, "tag", "main")  # a tag with the branch's name does not change the branch's name
    git(manual, "checkout", "-q", "main")
    assert gitrepo.read_history(manual).branch == "main"
    git(manual, "checkout", "-q", "--detach", first)
    detached = gitrepo.read_history(manual)
    assert (detached.head, detached.branch) == (first, "")


def test_a_shallow_clone(tmp_path: Path) -> None:
    origin = manual_files(tmp_path / "origin")
    git(origin, "init", "-q", "-b", "main")
    commit_all(origin, "First")
    manual_files(origin, "# Guide, revised\n")
    last = commit_all(origin, "Second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    history = gitrepo.read_history(clone)
    assert (history.available, history.shallow, history.usable, history.head) == (True, True, False, last)
    assert not gitrepo.read_history(origin).shallow


def test_a_manual_in_a_sub_folder_of_a_larger_repository(tmp_path: Path) -> None:
    company = tmp_path / "company"
    (company / "src").mkdir(parents=True)
    (company / "src" / "main.c").write_text("int main(void) { return 0; }\n", encoding="utf-8")
    manual = manual_files(company / "quality")
    git(company, "init", "-q", "-b", "main")
    first = commit_all(company, "Everything")
    (company / "src" / "main.c").write_text("int main(void) { return 1; }\n", encoding="utf-8")
    commit_all(company, "Code, not the manual")
    manual_files(manual, "# Guide, revised\n")
    last = commit_all(company, "The manual")
    (manual / "documents" / "draft.md").write_text("# Draft\n", encoding="utf-8")
    (company / "src" / "new.c").write_text("\n", encoding="utf-8")

    history = gitrepo.read_history(manual)
    assert history.head == last and [c.sha for c in history.commits] == [first, last]  # only the manual's
    assert set(history.files) == {"qms.yaml", DOCUMENT}
    assert history.uncommitted == {"documents/draft.md"}
    info = gitrepo.open_repo(manual)
    assert info is not None and (info.top, info.prefix) == (company.resolve(), "quality")
    assert gitrepo.enclosing_work_tree(manual) == company
    assert gitrepo.repository_path(manual, DOCUMENT) == f"quality/{DOCUMENT}"
    assert gitrepo.manual_path(manual, f"quality/{DOCUMENT}") == DOCUMENT
    assert gitrepo.manual_path(manual, "src/main.c") is None
    assert gitrepo.read_blobs(manual, [(first, DOCUMENT), (last, DOCUMENT)]) == {
        (first, DOCUMENT): "# Guide\n", (last, DOCUMENT): "# Guide, revised\n"}
    assert sorted(gitrepo.texts_ever(manual, ["documents"]).values()) == ["# Guide\n", "# Guide, revised\n"]
    assert gitrepo.read_file_at(manual, first, "src/main.c") == "int main(void) { return 0; }\n"


def test_commits_and_tags_name_the_commits_they_made(tmp_path: Path) -> None:
    manual = manual_files(tmp_path / "manual")
    made = gitrepo.init_and_commit(manual, "Start")
    assert made == git(manual, "rev-parse", "HEAD").strip()
    assert gitrepo.commit_exists(manual, made) and gitrepo.commit_exists(manual, made[:7])
    assert not gitrepo.commit_exists(manual, git(manual, "rev-parse", "HEAD^{tree}").strip())  # a tree
    assert not gitrepo.commit_exists(manual, "f" * 40)
    assert not gitrepo.commit_exists(manual, "HEAD")  # only hashes

    manual_files(manual, "# Guide, revised\n")
    (manual / "left-alone.md").write_text("not committed\n", encoding="utf-8")
    second = gitrepo.commit_files(manual, [DOCUMENT], "Revise the guide")
    assert second == git(manual, "rev-parse", "HEAD").strip() != made
    assert gitrepo.read_history(manual).uncommitted == {"left-alone.md"}

    assert gitrepo.create_tag(manual, "release-1", "First release", target=made) == made
    dated = gitrepo.create_tag(manual, "release-2", "Second", tagger=("Tagger", "tagger@example.com",
                                                                       "2026-02-01T10:00:00+02:00"))
    assert dated == second
    assert [(t.name, t.commit, t.tagger) for t in gitrepo.annotated_tags(manual)] == [
        ("release-1", made, "Test Person"), ("release-2", second, "Tagger")]
    with pytest.raises(RepoError, match="already exists"):
        gitrepo.create_tag(manual, "release-1", "Again")
    with pytest.raises(RepoError, match="not a valid tag name"):
        gitrepo.create_tag(manual, "two..dots", "Bad name")


def test_the_user_as_git_knows_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # nobody in the machine's own ~/.gitconfig
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    manual = manual_files(tmp_path / "manual")
    git(manual, "init", "-q", "-b", "main")
    git(manual, "config", "user.name", "Aino Lahtinen")
    git(manual, "config", "user.email", "Aino.Lahtinen@Example.COM")
    assert gitrepo.current_identity(manual) == Identity("Aino Lahtinen", "aino.lahtinen@example.com")
    git(manual, "config", "--unset", "user.email")
    with pytest.raises(RepoError, match="does not know who you are"):
        gitrepo.current_identity(manual)


def test_the_user_as_git_knows_them_follows_gits_own_configuration(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM, GIT_CONFIG_NOSYSTEM and configuration given in the environment
    decide who commits; they decide who approves too."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Home Person\n\temail = home@example.com\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    manual = manual_files(tmp_path / "manual")
    git(manual, "init", "-q", "-b", "main")
    chosen = tmp_path / "chosen.gitconfig"
    chosen.write_text("[user]\n\tname = Aino Lahtinen\n\temail = Aino@Example.COM\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(chosen))  # instead of ~/.gitconfig
    assert gitrepo.current_identity(manual) == Identity("Aino Lahtinen", "aino@example.com")

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")  # no global configuration, whatever ~/.gitconfig says
    with pytest.raises(RepoError, match="does not know who you are"):
        gitrepo.current_identity(manual)

    system = tmp_path / "system.gitconfig"
    system.write_text("[user]\n\tname = System Person\n\temail = system@example.com\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(system))  # the conftest sets GIT_CONFIG_NOSYSTEM: not read
    with pytest.raises(RepoError, match="does not know who you are"):
        gitrepo.current_identity(manual)
    monkeypatch.delenv("GIT_CONFIG_NOSYSTEM")
    assert gitrepo.current_identity(manual) == Identity("System Person", "system@example.com")

    for name, value in {"COUNT": "1", "KEY_0": "user.email", "VALUE_0": "env@example.com"}.items():
        monkeypatch.setenv(f"GIT_CONFIG_{name}", value)  # configuration in the environment, over every file
    assert gitrepo.current_identity(manual) == Identity("System Person", "env@example.com")


def _batch_answer(manual: Path, request: str) -> bytes:
    """What the real `git cat-file --batch` answers."""
    return subprocess.run(["git", "-C", str(manual), "cat-file", "--batch"], input=request.encode(),
                          capture_output=True, check=True).stdout


def test_a_batch_answer_is_read_whole_or_refused(tmp_path: Path) -> None:
    manual = manual_files(tmp_path / "manual", "# Guide\n\nwith a blank line\n")
    git(manual, "init", "-q", "-b", "main")
    head = commit_all(manual, "First")
    out = _batch_answer(manual, f"{head}:{DOCUMENT}\n{head}:gone.md\n{head}:qms.yaml\n")
    assert gitrepo.parse_batch(out, 3) == [("blob", b"# Guide\n\nwith a blank line\n"), None,
                                           ("blob", b"name: Somewhere\n")]
    for cut in range(len(out)):  # an answer cut anywhere, even just before its last line break, is refused
        with pytest.raises(RepoError, match="incomplete") as refused:
            gitrepo.parse_batch(out[:cut], 3)
        assert "git fsck" in refused.value.hint
    blob = git(manual, "rev-parse", f"{head}:{DOCUMENT}").strip()
    for broken in (b"not an object header\n", f"{blob} blob 99999999999999999999\n".encode(),
                   f"{blob} blob -1\n".encode(), f"{blob} file 8\n# Guide\n\n".encode()):
        with pytest.raises(RepoError, match="incomplete"):
            gitrepo.parse_batch(broken, 1)


def _git_cutting_batches(tmp_path: Path, keep: int) -> Path:
    """A git that answers `cat-file --batch` with only its first `keep` bytes, as a git stopped half-way
    would; every other command is the real git's."""
    script = tmp_path / "bin" / "git-cut"
    script.parent.mkdir(exist_ok=True)
    real = shutil.which("git")
    script.write_text(f'#!/bin/sh\ncase " $* " in *" cat-file --batch "*) "{real}" "$@" | head -c {keep}; exit 0;; '
                      f'esac\nexec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def test_blobs_are_read_with_the_git_gitpython_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_blobs and texts_ever run the git configured for gitpython (GIT_PYTHON_GIT_EXECUTABLE), as every
    other question does; an answer it cuts short is an error with a hint, never a traceback or a wrong text."""
    import git as gitpython

    manual = manual_files(tmp_path / "manual")
    git(manual, "init", "-q", "-b", "main")
    head = commit_all(manual, "First")
    monkeypatch.setattr(gitpython.Git, "GIT_PYTHON_GIT_EXECUTABLE", str(_git_cutting_batches(tmp_path, 50)))
    with pytest.raises(RepoError, match="incomplete"):
        gitrepo.read_blobs(manual, [(head, DOCUMENT)])
    with pytest.raises(RepoError, match="incomplete"):
        gitrepo.texts_ever(manual, ["documents"])
    monkeypatch.setattr(gitpython.Git, "GIT_PYTHON_GIT_EXECUTABLE", str(_git_cutting_batches(tmp_path, 1 << 20)))
    assert gitrepo.read_blobs(manual, [(head, DOCUMENT)]) == {(head, DOCUMENT): "# Guide\n"}


def test_a_path_with_a_line_break_is_not_asked_for(tmp_path: Path) -> None:
    """The request is one line per file: such a path would split into two requests and shift every answer
    after it onto the wrong file."""
    manual = manual_files(tmp_path / "manual")
    (manual / "documents" / "odd\nname.md").write_text("# Odd\n", encoding="utf-8")
    git(manual, "init", "-q", "-b", "main")
    head = commit_all(manual, "First")
    assert gitrepo.read_blobs(manual, [(head, "documents/odd\nname.md"), (head, DOCUMENT)]) == {
        (head, DOCUMENT): "# Guide\n"}

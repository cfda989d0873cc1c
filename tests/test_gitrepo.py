"""The Git edge (vcs/gitrepo.py) on real repositories in the states a manual meets: no repository, a repository
without commits, a shallow clone, a detached HEAD, a manual in a sub-folder of a larger repository."""

from __future__ import annotations

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

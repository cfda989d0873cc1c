"""The Git edge: everything qmskit asks of git goes through here (gitpython, with git's own CLI underneath)."""

from __future__ import annotations

from pathlib import Path

import git

from qmskit.errors import RepoError, ToolMissingError


def enclosing_work_tree(folder: Path) -> Path | None:
    """The top of the Git work tree that contains `folder`, if any."""
    try:
        return Path(git.Repo(folder, search_parent_directories=True).working_tree_dir or folder)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def init_and_commit(folder: Path, message: str) -> str:
    """`git init` the folder, add everything, commit; return the commit hash."""
    try:
        repo = git.Repo.init(folder)
        repo.git.add(A=True)
        repo.git.commit("-q", "-m", message)  # git itself: it honours the user's identity, hooks and signing
        return str(repo.head.commit.hexsha)
    except git.GitCommandNotFound as exc:
        raise ToolMissingError("git is not installed", "Install git, e.g. `apt-get install git`.") from exc
    except git.GitCommandError as exc:
        raise RepoError(f"git failed: {str(exc.stderr).strip() or exc}",
                        "If git asks who you are, set `git config --global user.name` and `user.email`; "
                        "the files are written, so you can commit by hand.") from exc

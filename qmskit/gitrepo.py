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
        repo.index.commit(message)
        return str(repo.head.commit.hexsha)
    except git.GitCommandNotFound as exc:
        raise ToolMissingError("git is not installed", "Install git, e.g. `apt-get install git`.") from exc
    except git.GitCommandError as exc:
        raise RepoError(f"git failed: {exc.stderr.strip() or exc}", "Check the folder and your git setup.") from exc

"""The Git edge: everything qmskit asks of git goes through here (gitpython, with git's own CLI underneath)."""

from __future__ import annotations

from pathlib import Path

import git

from qmskit.errors import RepoError, ToolMissingError


def init_and_commit(folder: Path, message: str) -> str:
    """`git init` the folder (unless it is already inside a work tree), add everything, commit; return the hash."""
    try:
        repo = git.Repo.init(folder)
        repo.git.add(A=True)
        repo.index.commit(message)
        return str(repo.head.commit.hexsha)
    except git.GitCommandNotFound as exc:
        raise ToolMissingError("git is not installed", "Install git, e.g. `apt-get install git`.") from exc
    except git.GitCommandError as exc:
        raise RepoError(f"git failed: {exc.stderr.strip() or exc}", "Check the folder and your git setup.") from exc

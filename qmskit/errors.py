"""Exit codes and the small family of errors a user can cause; the CLI handles them in one place."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # the manual has findings at or above the failing severity
    USAGE = 2  # wrong arguments, missing manual or tool: nothing was checked
    BUG = 3  # an unexpected error inside qmskit
    INTERRUPTED = 130


class QmsError(Exception):
    """A problem the user can fix; `hint` says how."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(QmsError):
    """The manual or the command line asks for something impossible."""


class RepoError(QmsError):
    """Git is missing, or the repository is not in the state a command needs."""


class ToolMissingError(QmsError):
    """An external program (git, dot) is not installed."""

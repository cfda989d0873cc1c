"""Output formats for findings. Machine formats are pure functions returning text; `text` needs a terminal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qmskit.diagnostics import Diagnostic, Severity

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")


@dataclass(frozen=True, slots=True)
class ReportInput:
    diagnostics: list[Diagnostic]
    files: tuple[str, ...]  # every file that was checked, manual-relative
    root: Path  # the manual folder
    prefix: str  # the manual folder relative to the repository root ("" when they are the same)
    version: str

    def repo_path(self, path: str) -> str:
        """A manual-relative path as CI sees it: relative to the repository root."""
        return f"{self.prefix}/{path}" if self.prefix else path

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


def repository_prefix(root: Path) -> str:
    """Where the manual sits inside its Git work tree (found by walking up to `.git`), POSIX style."""
    resolved = root.resolve()
    for folder in (resolved, *resolved.parents):
        if (folder / ".git").exists():
            rel = resolved.relative_to(folder).as_posix()
            return "" if rel == "." else rel
    return ""

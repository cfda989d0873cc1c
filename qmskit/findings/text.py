"""Findings for people: grouped by file, with the offending source line and a hint."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.markup import escape as escape_markup

from qmskit.diagnostics import Diagnostic, Severity
from qmskit.escape import terminal
from qmskit.findings import ReportInput


def escape(value: str) -> str:
    """Rich markup escaped, and no control characters or escape sequences from the manual reach the terminal."""
    return escape_markup(terminal(value))


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class _Sources:
    """Reads each file at most once, and only files that have findings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.cache:
            try:
                self.cache[path] = (self.root / path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self.cache[path] = []
        lines = self.cache[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def render_text(report: ReportInput, console: Console) -> None:
    sources = _Sources(report.root)
    for path, group in groupby(report.diagnostics, key=lambda d: d.location.path):
        console.print(f"[bold underline]{escape(report.repo_path(path))}[/]")
        for finding in group:
            _finding(console, finding, sources)
        console.print()
    _summary(console, report)


def _finding(console: Console, d: Diagnostic, sources: _Sources) -> None:
    position = f"{d.location.line}:{d.location.column}" if d.location.line else "-"
    console.print(f"  [dim]{position:>7}[/]  [{_STYLE[d.severity]}]{d.severity.label:<7}[/] "
                  f"{escape(d.message)} [dim]\\[{d.rule}][/]")
    source = sources.line(d.location.path, d.location.line) if d.location.line else None
    if source is not None and len(source) <= 200:
        console.print(f"  [dim]{d.location.line:>7} |[/] {escape(source)}", highlight=False)
        console.print(f"  [dim]{'':>7} |[/] {' ' * max(d.location.column - 1, 0)}[{_STYLE[d.severity]}]^[/]")
    if d.hint:
        console.print(f"  {'':>7}  [green]hint:[/] {escape(d.hint)}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(console: Console, report: ReportInput) -> None:
    errors, warnings, notes = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    files = len({d.location.path for d in report.diagnostics})
    checked = _plural(len(report.files), "file")
    if not report.diagnostics:
        console.print(f"[bold green]✓[/] {checked} checked, no findings")
        return
    style = "bold red" if errors else "yellow" if warnings else "cyan"
    noted = f", {_plural(notes, 'note')}" if notes else ""
    console.print(f"[{style}]{_plural(errors, 'error')}, {_plural(warnings, 'warning')}[/]{noted} "
                  f"in {_plural(files, 'file')} ({checked} checked)")

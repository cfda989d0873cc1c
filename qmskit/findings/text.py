"""Findings for people: grouped by file, with the offending source line and a hint."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.markup import escape as escape_markup

from qmskit.diagnostics import Diagnostic, Severity
from qmskit.escape import terminal
from qmskit.findings import ReportInput
from qmskit.i18n import N_, _, format_number, ngettext


def escape(value: str) -> str:
    """Rich markup escaped, and no control characters or escape sequences from the manual reach the terminal."""
    return escape_markup(terminal(value))


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_LABEL = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"), Severity.INFO: N_("info")}


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
    console.print(f"  [dim]{position:>7}[/]  [{_STYLE[d.severity]}]{_(_LABEL[d.severity]):<7}[/] "
                  f"{escape(d.text())} [dim]\\[{d.rule}][/]")
    source = sources.line(d.location.path, d.location.line) if d.location.line else None
    if source is not None and len(source) <= 200:
        console.print(f"  [dim]{d.location.line:>7} |[/] {escape(source)}", highlight=False)
        console.print(f"  [dim]{'':>7} |[/] {' ' * max(d.location.column - 1, 0)}[{_STYLE[d.severity]}]^[/]")
    if d.hint:
        console.print(f"  {'':>7}  [green]{escape(_('hint:'))}[/] {escape(d.hint_text())}")


_COUNTS = {
    "file": lambda n: ngettext("{n} file", "{n} files", n),
    "error": lambda n: ngettext("{n} error", "{n} errors", n),
    "warning": lambda n: ngettext("{n} warning", "{n} warnings", n),
    "note": lambda n: ngettext("{n} note", "{n} notes", n),
}


def _plural(n: int, word: str) -> str:
    return _COUNTS[word](n).format(n=format_number(n))


def _summary(console: Console, report: ReportInput) -> None:
    errors, warnings, notes = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    files = len({d.location.path for d in report.diagnostics})
    checked = _plural(len(report.files), "file")
    if not report.diagnostics:
        clean = _("{files} checked, no findings").format(files=checked)
        console.print(f"[bold green]✓[/] {escape(clean)}")
        return
    style = "bold red" if errors else "yellow" if warnings else "cyan"
    noted = f", {_plural(notes, 'note')}" if notes else ""
    found = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    where = _("in {files} ({checked} checked)").format(files=_plural(files, "file"), checked=checked)
    console.print(f"[{style}]{escape(found)}[/]{escape(noted)} {escape(where)}")

"""The one finding type every check produces, and where it points."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from qmskit.i18n import _
from qmskit.messages import Message


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` selects what fails a run."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in the manual: a path relative to the manual root (POSIX separators), 1-based line and column.

    Line 0 means "the file as a whole" (e.g. a file that could not be decoded).
    """

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    location: Location
    rule: str
    severity: Severity
    message: str  # English: ids, fingerprints, baselines, caches and machine formats rest on it
    hint: str = ""
    # The template and values the message and hint were made of, to show them in the reader's language; not part
    # of what the finding is (two findings with the same English text are the same finding).
    said: Message | None = field(default=None, compare=False)
    hint_said: Message | None = field(default=None, compare=False)

    def text(self) -> str:
        """The message in the current language."""
        return self.said.text() if self.said is not None else self.message

    def hint_text(self) -> str:
        """The hint in the current language: one made for this finding, or the rule's own (a catalogue message)."""
        if self.hint_said is not None:
            return self.hint_said.text()
        return _(self.hint) if self.hint else ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule, self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.label}: {self.message} [{self.rule}]"

    def line(self) -> str:
        """One line for people, in the current language (str() is the English one machine formats keep)."""
        return f"{self.location}: {_(self.severity.label)}: {self.text()} [{self.rule}]"


def finding(location: Location, rule: str, severity: Severity, message: Message,
            hint: Message | str = "") -> Diagnostic:
    """A finding whose English message and hint are made from their templates, so the two always agree. A hint
    given as text is a rule's own hint from the catalogue (translated where it is shown)."""
    if isinstance(hint, Message):
        return Diagnostic(location, rule, severity, message.english(), hint.english(), message, hint)
    return Diagnostic(location, rule, severity, message.english(), hint, message)


def finding_id(finding: Diagnostic) -> str:
    """Stable across line moves: rule, file and message, not the position (SARIF and GitLab fingerprints,
    the ids `qms release --accept` takes)."""
    key = "\x1f".join((finding.rule, finding.location.path, finding.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Deterministic order (file, line, column, rule) with exact duplicates removed."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)

"""Internal complaints between processes: which process complained to which about which input, late or faulty,
and whether it was closed; per complaint, per receiving process and per pair of processes.

Pure, and read only through declared meanings (`purpose: internal-complaint`, `binds: {receiving-process,
supplying-process, input, problem, delay, closed}`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qmskit.model import Manual, Record
from qmskit.records.meaning import LATE_PROBLEM, Meanings


@dataclass(frozen=True, slots=True)
class InternalComplaint:
    record: Record
    day: date | None
    receiver: str  # the process that received the input and complains
    supplier: str  # the process that supplied it
    input: str
    problem: str
    delay: float | None  # days late, when the problem is lateness
    open: bool
    closed: date | None


@dataclass(frozen=True, slots=True)
class Pair:
    receiver: str
    supplier: str
    complaints: int
    late: int
    other: int  # faulty, incomplete, ...: every problem but lateness
    days_late: float
    open: int


def internal_complaints(manual: Manual, meaning: Meanings | None = None) -> list[InternalComplaint]:
    """Every internal complaint, oldest first."""
    meaning = meaning or Meanings(manual)
    found = []
    for record in meaning.records("internal-complaint"):
        problem = _text(meaning.value(record, "problem"))
        delay = meaning.number(record, "delay") if problem in ("", LATE_PROBLEM) else None
        found.append(InternalComplaint(record, meaning.event_day(record),
                                       _text(meaning.value(record, "receiving-process")),
                                       _text(meaning.value(record, "supplying-process")),
                                       _text(meaning.value(record, "input")), problem, delay, meaning.is_open(record),
                                       meaning.closed_day(record)))
    return sorted(found, key=lambda c: (c.day or date.min, c.record.id))


def pairs(complaints: list[InternalComplaint]) -> list[Pair]:
    """Per (receiving, supplying) process: how many complaints, of which kind, days late and still open; the pair
    with the most complaints first."""
    grouped: dict[tuple[str, str], list[InternalComplaint]] = {}
    for complaint in complaints:
        grouped.setdefault((complaint.receiver, complaint.supplier), []).append(complaint)
    rows = [Pair(receiver, supplier, len(items), sum(1 for c in items if c.problem == LATE_PROBLEM),
                 sum(1 for c in items if c.problem != LATE_PROBLEM), sum(c.delay or 0.0 for c in items),
                 sum(1 for c in items if c.open))
            for (receiver, supplier), items in grouped.items()]
    return sorted(rows, key=lambda p: (-p.complaints, p.receiver, p.supplier))


def by_receiver(complaints: list[InternalComplaint]) -> dict[str, list[InternalComplaint]]:
    """Receiving process -> the complaints it made, in the order given."""
    found: dict[str, list[InternalComplaint]] = {}
    for complaint in complaints:
        found.setdefault(complaint.receiver, []).append(complaint)
    return found


def _text(value: object) -> str:
    return "" if value is None else str(value)

"""The internal audit programme (ISO 9001 9.2) as data: each process's last audit, what the period planned and
what was done, per process and per clause, and each audit's findings with the records it raised.

Pure, and read only through declared meanings (`purpose: audit`, `binds: {process, findings, actions, ...}`), so
any manual's audit form works. An audit of a process covers its sub-processes, as QMS-AUD-001 judges it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from qmskit.analysis.measures import Period
from qmskit.control.register import add_months
from qmskit.model import Manual, Process, Record
from qmskit.records.meaning import Meanings

DONE, PLANNED, OVERDUE, NEVER, NOT_DUE = "done", "planned", "overdue", "never", "not-due"
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a record id inside free text ("NC-2026-0004, NC-2026-0005")


@dataclass(frozen=True, slots=True)
class Audit:
    record: Record
    day: date | None
    process: str
    findings: str
    conclusion: str
    nonconformities: float | None
    raised: tuple[Record, ...]  # the records the audit names as its actions, and records that name the audit


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One process in the programme: when it was last audited (itself or through a parent), when the next audit
    is due, and what the period did about it."""

    process: Process
    last: Audit | None
    done: tuple[Audit, ...]  # audits in the period that covered it
    due: date | None  # next audit due: the last one plus the cycle; None when never audited (due now)
    status: str  # DONE, PLANNED (due within the period), OVERDUE, NEVER, NOT_DUE


@dataclass(frozen=True, slots=True)
class ClauseRow:
    clause: str
    processes: tuple[Process, ...]  # the processes that declare the clause
    done: tuple[Audit, ...]  # audits in the period of any of them


@dataclass(frozen=True, slots=True)
class Programme:
    audits: tuple[Audit, ...]  # newest first
    plan: tuple[PlanRow, ...]
    clauses: tuple[ClauseRow, ...]
    cycle_months: int


def audits(manual: Manual, meaning: Meanings | None = None) -> list[Audit]:
    """Every record of an `audit` form, newest first, with the records it raised."""
    meaning = meaning or Meanings(manual)
    known = {r.id: r for r in manual.records}
    naming = _records_naming(manual, meaning)
    found = []
    for record in meaning.records("audit"):
        raised = {r.id: r for r in (*_named_in(meaning.value(record, "actions"), known),
                                    *naming.get(record.id, ())) if r.id != record.id}
        found.append(Audit(record, meaning.event_day(record), _text(meaning.value(record, "process")),
                           _text(meaning.value(record, "findings")), _text(meaning.value(record, "conclusion")),
                           meaning.number(record, "nonconformities"), tuple(sorted(raised.values(),
                                                                                   key=lambda r: r.id))))
    return sorted(found, key=lambda a: (a.day or date.min, a.record.id), reverse=True)


def programme(manual: Manual, span: Period, today: date, meaning: Meanings | None = None) -> Programme:
    meaning = meaning or Meanings(manual)
    every = audits(manual, meaning)
    cycle = manual.config.audit_cycle_months
    covered = _covered(manual)
    by_process: dict[str, list[Audit]] = {}
    for audit in every:  # newest first, so each list is too
        for process_id in covered.get(audit.process, (audit.process,)):
            by_process.setdefault(process_id, []).append(audit)
    plan = []
    ordered = sorted(manual.processes, key=lambda p: (p.category, p.parent, p.id))
    for process in ordered:
        dated = [a for a in by_process.get(process.id, []) if a.day is not None and a.day <= today]
        last = dated[0] if dated else None
        done = tuple(a for a in dated if a.day is not None and span.contains(a.day))
        due = add_months(last.day, cycle) if last is not None and last.day is not None else None
        plan.append(PlanRow(process, last, done, due, _status(done, due, last, span, today)))
    by_id = {row.process.id: row for row in plan}
    clauses: dict[str, list[Process]] = {}
    for process in ordered:
        for clause in process.clauses:
            clauses.setdefault(clause, []).append(process)
    clause_rows = tuple(ClauseRow(c, tuple(ps), tuple(sorted({a.record.id: a for p in ps for a in by_id[p.id].done}
                                                             .values(), key=lambda a: a.record.id)))
                        for c, ps in sorted(clauses.items(), key=lambda item: _clause_key(item[0])))
    return Programme(tuple(every), tuple(plan), clause_rows, cycle)


def _status(done: tuple[Audit, ...], due: date | None, last: Audit | None, span: Period, today: date) -> str:
    if done:
        return DONE
    if last is None:
        return NEVER
    if due is not None and due < today:
        return OVERDUE
    return PLANNED if due is not None and due <= span.end else NOT_DUE


def _covered(manual: Manual) -> dict[str, tuple[str, ...]]:
    """Process id -> itself and every process below it (without recursion: a parent chain may be long)."""
    children: dict[str, list[str]] = {}
    for process in manual.processes:
        if process.parent:
            children.setdefault(process.parent, []).append(process.id)
    found: dict[str, tuple[str, ...]] = {}
    for process in manual.processes:
        seen, stack = {process.id}, [process.id]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        found[process.id] = tuple(sorted(seen))
    return found


def _records_naming(manual: Manual, meaning: Meanings) -> dict[str, list[Record]]:
    """Record id -> the records whose record-reference fields name it (a nonconformity that names its audit)."""
    found: dict[str, list[Record]] = {}
    for record in manual.records:
        form = meaning.forms.get(record.form)
        for field in form.fields if form else ():
            value = record.values.get(field.id)
            if field.type == "reference" and field.spec.get("of") == "record" and isinstance(value, str):
                found.setdefault(value, []).append(record)
    return found


def _named_in(value: object, known: dict[str, Record]) -> list[Record]:
    """Records an audit's `actions` names: a reference, a list of them, or ids written into free text."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, str):
            found += [known[token] for token in _TOKEN.findall(item) if token in known]
    return found


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _clause_key(clause: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (1 << 30, part) for part in clause.split("."))

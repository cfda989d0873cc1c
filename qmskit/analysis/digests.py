"""To-do digests, one per person, ready to send by whatever mail or chat a company uses (ISO 9001 7.4), and
the open items nobody is assigned to, each routed to the owner of the process it concerns. Pure."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from qmskit.analysis.communication import communicators, due_within
from qmskit.escape import markdown_text as md
from qmskit.i18n import N_, _, current, format_date, format_number, ngettext
from qmskit.model import Form, Manual, Person, Record
from qmskit.records.forms import workflow

# The file of open items nobody is assigned to: an id never starts with "_", so no person's digest can take it
UNASSIGNED = "_unassigned"

# Kinds of to-do items: the key stays in JSON, people read the word
KINDS = {"review": N_("review"), "approve": N_("approve"), "action": N_("action"), "training": N_("training"),
         "renew": N_("renew"), "read": N_("read"), "communicate": N_("communicate"), "assign": N_("assign"),
         "answer": N_("answer")}


def kind_text(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


def due_text(due: str, overdue: bool, escape: Callable[[object], str]) -> str:
    """" (due 27.11.2026, OVERDUE)": a due date (ISO in the records) in the language's form; anything else a
    record holds is shown escaped as it is."""
    if not due:
        return ""
    try:
        shown = format_date(date.fromisoformat(due))
    except ValueError:
        shown = escape(due)
    return (_(" (due {day}, OVERDUE)") if overdue else _(" (due {day})")).format(day=shown)


@dataclass(frozen=True, slots=True)
class Unassigned:
    """An open workflow record that names no person to act, and who should assign it."""

    record: Record
    form: Form
    owners: tuple[Person, ...]  # holders of the owning role of the process it concerns


def assignee(form: Form, record: Record) -> str:
    """The person a record names to act: the field the form binds to `responsible`, else its first filled-in
    reference to a person ("" when none)."""
    bound = record.values.get(form.binds.get("responsible", ""))
    if isinstance(bound, str) and bound:
        return bound
    for field in form.fields:
        value = record.values.get(field.id)
        if field.type == "reference" and field.spec.get("of") == "person" and isinstance(value, str) and value:
            return value
    return ""


def unassigned(manual: Manual) -> list[Unassigned]:
    """Open workflow records without anyone to act: routed to the owner of the process they concern (the
    process they name, else the form's first process)."""
    processes = {p.id: p for p in manual.processes}
    found = []
    for form in manual.forms:
        flow = workflow(form)
        if flow is None:
            continue
        for record in manual.records:
            if record.form != form.id or record.status == flow.final or assignee(form, record):
                continue
            named = next((str(record.values.get(f.id)) for f in form.fields if f.type == "reference"
                          and f.spec.get("of") == "process" and record.values.get(f.id) in processes), "")
            process = processes.get(named) or next((processes[p] for p in form.processes if p in processes), None)
            owners = tuple(p for p in manual.people if process and process.owner in p.roles)
            found.append(Unassigned(record, form, owners))
    return sorted(found, key=lambda u: (u.record.created_at, u.record.id))


@dataclass(frozen=True, slots=True)
class Line:
    kind: str
    item: str
    detail: str
    due: str = ""
    overdue: bool = False


def communication_lines(manual: Manual, today: date) -> dict[str, list[Line]]:
    """Person id -> the communication they are due to hold (within two weeks, or overdue)."""
    found: dict[str, list[Line]] = {}
    for due in due_within(manual, today):
        for person in communicators(manual, due.item):
            found.setdefault(person.id, []).append(Line(
                "communicate", due.item.id, _("{what} (with {whom}; {how})").format(
                    what=due.item.what, whom=", ".join(due.item.with_), how=due.item.how),
                due.due.isoformat(), due.overdue))
    return found


def _ordered(lines: Iterable[Line]) -> list[Line]:
    return sorted(lines, key=lambda i: (not i.overdue, i.due or "9999", i.kind, i.item))


def _title(name: str, count: int, today: date) -> str:
    return ngettext("{name}: {count} open item on {day}", "{name}: {count} open items on {day}", count).format(
        name=name, count=format_number(count), day=format_date(today))


def markdown(person: Person, lines: Iterable[Line], today: date) -> str:
    mine = _ordered(lines)
    out = [f"# {_title(md(person.name), len(mine), today)}", ""]
    out += [f"- [ ] **{md(kind_text(line.kind))}** {md(line.item)}: {md(line.detail)}"
            f"{due_text(line.due, line.overdue, md)}" for line in mine]
    return "\n".join(out) + "\n"


def html_page(person: Person, lines: Iterable[Line], today: date) -> str:
    """The same digest as a small standalone HTML page: every value escaped, no script, nothing external."""
    mine = _ordered(lines)
    title = _title(person.name, len(mine), today)
    items = [f"<li><strong>{html.escape(kind_text(line.kind))}</strong> {html.escape(line.item)}: "
             f"{html.escape(line.detail)}{html.escape(due_text(line.due, line.overdue, str))}</li>" for line in mine]
    return _page(title, items)


def unassigned_lines(items: list[Unassigned]) -> list[Line]:
    return [Line("assign", u.record.id, _("{form}, {status}: assign someone; for {owners}").format(
                form=u.form.title, status=u.record.status,
                owners=", ".join(p.name for p in u.owners) or _("no process owner")))
            for u in items]


def unassigned_markdown(items: list[Unassigned], today: date) -> str:
    out = [f"# {_unassigned_title(len(items), today)}", ""]
    out += [f"- [ ] {md(line.item)} ({md(line.detail)})" for line in unassigned_lines(items)]
    return "\n".join(out) + "\n"


def unassigned_html(items: list[Unassigned], today: date) -> str:
    lines = [f"<li>{html.escape(line.item)} ({html.escape(line.detail)})</li>" for line in unassigned_lines(items)]
    return _page(_unassigned_title(len(items), today), lines)


def _unassigned_title(count: int, today: date) -> str:
    return _("Open items without anyone assigned: {count} on {day}").format(count=format_number(count),
                                                                            day=format_date(today))


def _page(title: str, items: list[str]) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"{current()}\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title></head><body>\n<h1>{html.escape(title)}</h1>\n<ul>\n"
            + "\n".join(items) + "\n</ul>\n</body></html>\n")

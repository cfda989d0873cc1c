"""`qms competence` (matrix, gaps, expiring, unread) and `qms ack` (read and understood)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from qmskit.analysis.competence import EXPIRED, EXPIRING, MISSING, Competences, expiring, gaps, unread
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    OutputOption,
    TodayOption,
    acting_person,
    app,
    check_choice,
    complete_choices,
    emit,
    escape,
    parse_day,
    resolve_manual,
    speak,
    stdout,
)
from qmskit.cli.tables import show
from qmskit.control.register import current_revisions
from qmskit.errors import ConfigError
from qmskit.i18n import N_, NP_, _, format_date, pgettext
from qmskit.loading.load import load_manual
from qmskit.model import Form, Manual
from qmskit.records.meaning import Meanings
from qmskit.records.store import NewRecord, create
from qmskit.tables import TABLE_FORMATS, TableData
from qmskit.vcs import gitrepo
from qmskit.wording import abbreviate, quantity

_STYLE = {"valid": "green", EXPIRING: "yellow", EXPIRED: "bold red", MISSING: "red"}
_MARK = {"valid": "", EXPIRING: "!", EXPIRED: "✗", MISSING: "-"}


def _days(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*d?\s*", text)
    if match is None:
        raise ConfigError(_("--within {value} is not a number of days").format(value=repr(text)),
                          _("Write it like 60d or 60."))
    return int(match[1])


@app.command()
def competence(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    show_gaps: Annotated[bool, typer.Option("--gaps", help="Who lacks what their roles need.")] = False,
    show_expiring: Annotated[bool, typer.Option("--expiring", help="Qualifications that expire soon.")] = False,
    show_unread: Annotated[bool, typer.Option("--unread", help="Who has not acknowledged the current revision of "
                                                               "a document that concerns them.")] = False,
    within: Annotated[str, typer.Option("--within", help="With --expiring: how far ahead, e.g. 90d.")] = "60d",
    person: Annotated[str | None, typer.Option("--person", help="Only this person.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only holders of this role.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help=f"{', '.join(TABLE_FORMATS)}.",
                                                            autocompletion=complete_choices(TABLE_FORMATS))] = "text",
    output: OutputOption = None,
    today: TodayOption = None,
) -> None:
    """The competence matrix (people x competences, levels and validity), or its gaps, expiring or unread."""
    check_choice(output_format, TABLE_FORMATS, "format")
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    index = Competences(manual, manual.config.judged_day(parse_day(today) or date.today()))
    columns: tuple[str, ...]
    _filter(index, manual, person, role)
    if show_gaps:
        found = list(gaps(index))
        records = [{"person": g.person.id, "name": g.person.name, "role": g.role, "competence": g.competence,
                    "required": g.required_level, "held": g.held_level, "problem": g.problem,
                    "training": f"{g.training.id} on {g.training.planned}" if g.training else ""} for g in found]
        planned = {f"{g.training.id} on {g.training.planned}": _("{training} on {day}").format(
            training=g.training.id, day=_day(g.training.planned)) for g in found if g.training}
        columns = (N_("Person"), N_("Name"), N_("Role"), N_("Competence"), N_("Required"), N_("Held"), N_("Problem"),
                   N_("Training planned"))
        show(TableData.of(_("Competence gaps on {day}").format(day=format_date(index.today)), columns, records,
                          ("person", "name", "role", "competence", "required", "held", "problem", "training"),
                          words={"problem": _problem, "training": planned.__getitem__}), output_format, output)
    elif show_expiring:
        days = _days(within)
        records = [{"person": c.person.id, "name": c.person.name, "competence": c.competence,
                    "valid_until": str(c.until), "days_left": (c.until - index.today).days if c.until else None,
                    "required": bool(c.required_level)} for c in expiring(index, days)]
        columns = (N_("Person"), N_("Name"), N_("Competence"), N_("Valid until"), N_("Days left"),
                   N_("Required by a role"))
        show(TableData.of(_("Qualifications expiring within {days} of {day}").format(
            days=quantity(days, "day"), day=format_date(index.today)), columns, records,
                          ("person", "name", "competence", "valid_until", "days_left", "required")),
             output_format, output)
    elif show_unread:
        history = gitrepo.read_history(root)
        revisions = current_revisions(manual, history)
        people = {p.id for p in index.people}
        records = [{"person": u.person.id, "name": u.person.name, "document": u.document.id,
                    "title": u.document.title, "revision": u.revision}
                   for u in unread(manual, revisions) if u.person.id in people]
        columns = (N_("Person"), N_("Name"), N_("Document"), N_("Title"), N_("Revision"))
        show(TableData.of(_("Not yet read and understood"), columns, records,
                          ("person", "name", "document", "title", "revision")), output_format, output)
    else:
        _matrix(index, output_format, output)


_PROBLEM_WORDS = {"missing": NP_("competence problem", "missing"), "expired": NP_("competence problem", "expired"),
                  "level too low": NP_("competence problem", "level too low")}


def _problem(problem: str) -> str:
    """A gap's problem as people read it (the site says the same words); JSON and CSV keep the English."""
    return pgettext(*_PROBLEM_WORDS[problem]) if problem in _PROBLEM_WORDS else problem


def _day(text: str) -> str:
    """A planned day (YYYY-MM-DD in the manual) as the language writes it; anything else as it is."""
    try:
        return format_date(date.fromisoformat(text))
    except ValueError:
        return text


def _filter(index: Competences, manual: Manual, person: str | None, role: str | None) -> None:
    if person is not None:
        if person not in {p.id for p in manual.people}:
            raise ConfigError(_("no person '{person}'").format(person=person),
                              _("Use an id from organisation/people.yaml."))
        index.people = [p for p in index.people if p.id == person]
    if role is not None:
        if role not in index.roles:
            raise ConfigError(_("no role '{role}'").format(role=role), _("Use an id from organisation/roles.yaml."))
        index.people = [p for p in index.people if role in p.roles]


def _matrix(index: Competences, output_format: str, output: Path | None) -> None:
    columns = index.columns()
    rows = [(person, index.cells(person)) for person in index.people]
    used = [c for c in columns if any(c in cells for _, cells in rows)]  # leave out columns nobody needs or has
    if output_format == "json":
        payload = {"today": index.today.isoformat(), "competences": used, "people": [
            {"id": p.id, "name": p.name, "roles": list(p.roles), "cells": {
                c: {"level": cell.level, "required": cell.required_level, "status": cell.status,
                    "valid_until": str(cell.until) if cell.until else None} for c, cell in cells.items()}}
            for p, cells in rows]}
        emit(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", output)
        return
    if output_format in ("csv", "markdown"):
        records = [{"person": p.name, **{c: _cell_text(cells.get(c)) for c in used}} for p, cells in rows]
        title = _("Competence matrix on {day}").format(day=format_date(index.today))
        table = TableData.of(title, [N_("Person"), *used], records, ["person", *used])
        show(table, output_format, output)
        return
    # A grid of narrow columns, drawn line by line: a rich Table of 300 columns and 2,000 rows takes seconds.
    if output is not None:
        emit("\n".join(line.plain for line in _grid(index, rows, used, styled=False)) + "\n", output)
        return
    console = stdout()
    for line in _grid(index, rows, used, styled=console.color_system is not None):
        console.print(line, soft_wrap=True, overflow="ignore", crop=False)


def _grid(index: Competences, rows: list[tuple[Any, dict[str, Any]]], used: list[str], styled: bool) -> list[Text]:
    name_width = max((len(p.name) for p, _ in rows), default=6) + 2
    width = max(4, min(12, max((len(c) for c in used), default=4) + 1))
    lines = [Text(_("Competence matrix on {day}: level; ! expiring, ✗ expired, - missing").format(
        day=format_date(index.today)), style="bold")]
    header = Text(" " * name_width)
    shown = abbreviate(used, width - 1)  # never two columns under one heading
    for heading in shown:
        header.append(heading.ljust(width), style="bold")
    lines.append(header)
    for person, cells in rows:
        line = Text(person.name.ljust(name_width))
        for column in used:
            cell = cells.get(column)
            line.append(_cell_text(cell).ljust(width), style=_STYLE[cell.status] if styled and cell else "")
        lines.append(line)
    key = [f"{heading} = {column}" for heading, column in zip(shown, used, strict=True) if heading != column]
    if key:
        lines.append(Text(_("Columns: {key}").format(key="; ".join(key)), style="dim"))
    return lines


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    level = str(cell.level) if cell.level else ""
    return f"{level}{_MARK[cell.status]}"




@app.command()
def ack(
    document: Annotated[str, typer.Argument(help="The document id, e.g. PRO-008.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    by: Annotated[str | None, typer.Option("--by", help="Who (a person id). Default: the git user.")] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the acknowledgement.")] = False,
    form_id: Annotated[str | None, typer.Option("--form", help="The form to record it in, when several forms "
                                                               "declare purpose: acknowledgement.")] = None,
) -> None:
    """Record that you have read and understood the current revision of a document."""
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    doc = next((d for d in manual.documents if d.id == document), None)
    if doc is None:
        raise ConfigError(_("no document '{document}'").format(document=document),
                          _("List the documents with `qms register`."))
    form = _acknowledgement_form(manual, form_id)
    history = gitrepo.read_history(root)
    file = history.of(doc.origin.path) if history.usable else None
    if file is None or file.latest is None:
        raise ConfigError(_("{document} has no committed revision to acknowledge").format(document=doc.id),
                          _("Commit the document first."))
    form_file = history.of(form.origin.path)
    form_revision = form_file.latest.number if form_file and form_file.latest else 0
    who = acting_person(root, manual, by)
    values = {form.binds["document"]: doc.id, form.binds["revision"]: file.latest.number, form.binds["person"]: who}
    written = create(root, NewRecord(form, form_revision, datetime.now().astimezone(), who, values), history)
    stdout().print(escape(_("{person} has read {document} revision {revision}: {record}").format(
        person=who, document=doc.id, revision=file.latest.number, record=written.id)))
    if commit:
        sha = gitrepo.commit_files(root, [written.rel], f"Read and understood: {doc.id} rev {file.latest.number}")
        stdout().print(_("Committed {commit}").format(commit=sha[:10]))


def _acknowledgement_form(manual: Manual, form_id: str | None) -> Form:
    """The form acknowledgements are recorded in: the one declaring `purpose: acknowledgement` (or `--form`)."""
    forms = Meanings(manual).forms_for("acknowledgement")
    if form_id is not None:
        forms = [f for f in forms if f.id == form_id]
    if len(forms) == 1 and all(m in forms[0].binds for m in ("document", "revision", "person")):
        return forms[0]
    if not forms:
        raise ConfigError(_("no form with id '{form}' declares `purpose: acknowledgement`").format(form=form_id)
                          if form_id else _("no form declares `purpose: acknowledgement`"),
                          _("Add `purpose: acknowledgement` and `binds: {{document: ..., revision: ..., person: ...}}` "
                            "to the read-and-understood form (templates/manual/forms/acknowledgement.yaml; "
                            "docs/forms.md)."))
    if len(forms) > 1:
        raise ConfigError(_("{count} forms declare `purpose: acknowledgement`: {forms}").format(
            count=len(forms), forms=", ".join(f.id for f in forms)), _("Choose one with --form."))
    raise ConfigError(_("form {form} does not bind document, revision and person").format(form=forms[0].id),
                      _("Run `qms validate`: QMS-FORM-004 names what is missing."))

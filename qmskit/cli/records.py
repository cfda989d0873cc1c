"""Forms and records: `qms record new|update`, `qms records`, `qms form render|schema`."""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.prompt import Prompt

from qmskit.atomic import write_text
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    OutputOption,
    QmsTyper,
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
from qmskit.errors import ConfigError, QmsError
from qmskit.i18n import N_, NP_, SOURCE_LANGUAGE, _, pgettext, use
from qmskit.loading.load import load_manual
from qmskit.loading.yamlsource import parse_yaml
from qmskit.model import Form, FormField, Manual, Record
from qmskit.records.blank import blank_form
from qmskit.records.forms import REFERENCE_KINDS, record_values_schema, shown, workflow
from qmskit.records.meaning import day_of, event_day
from qmskit.records.store import NewRecord, create, update
from qmskit.records.workflow import (
    BadValue,
    check_value,
    example_of,
    missing_required,
    parse_value,
    step_problem,
    summary,
    values_problems,
)
from qmskit.rules.context import Context
from qmskit.rules.records import flow_problems, reference_problems
from qmskit.safepaths import inside
from qmskit.tables import TABLE_FORMATS, TableData
from qmskit.vcs import gitrepo
from qmskit.wording import quantity

record_app = QmsTyper(help="Fill in a form (a new record) or move a workflow record on.", no_args_is_help=True)
form_app = QmsTyper(help="Form templates: print a blank form or its JSON Schema.", no_args_is_help=True)
app.add_typer(record_app, name="record")
app.add_typer(form_app, name="form")

SetOption = Annotated[list[str] | None, typer.Option("--set", help="FIELD=VALUE; repeatable.")]


def _manual(path: Path | None, manual_dir: Path | None) -> tuple[Path, Manual]:
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    return root, manual


def _form(manual: Manual, form_id: str) -> Form:
    form = next((f for f in manual.forms if f.id == form_id), None)
    if form is None:
        raise ConfigError(_("no form '{form}'").format(form=form_id),
                          _("Forms: {forms}.").format(forms=", ".join(sorted(f.id for f in manual.forms))))
    return form


def _field(form: Form, field_id: str) -> FormField:
    field = next((f for f in form.fields if f.id == field_id), None)
    if field is None:
        raise ConfigError(_("form {form} has no field '{field}'").format(form=form.id, field=field_id),
                          _("Fields: {fields}.").format(fields=", ".join(f.id for f in form.fields)))
    return field


def _assignments(form: Form, settings: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for setting in settings:
        name, sep, text = setting.partition("=")
        if not sep:
            raise ConfigError(_("--set {setting} is not FIELD=VALUE").format(setting=repr(setting)),
                              _("e.g. --set severity=major"))
        field = _field(form, name.strip())
        try:
            values[field.id] = parse_value(field, text)
        except BadValue as bad:
            raise ConfigError(f"{field.id}: {bad}", _describe(field)) from bad
    return values


def _from_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("cannot read {path}: {problem}").format(path=path, problem=exc),
                          _("Give a UTF-8 YAML or JSON file of field: value.")) from exc
    data: Any
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(_("{path} is not valid JSON: {problem}").format(path=path, problem=exc),
                              _("Give a mapping of field ids to values.")) from exc
    else:
        parsed = parse_yaml(text, str(path))
        if parsed.diagnostics:
            raise ConfigError(f"{parsed.diagnostics[0]}", parsed.diagnostics[0].hint)
        data = parsed.data
    if not isinstance(data, dict):
        raise ConfigError(_("{path} is not a mapping of field ids to values").format(path=path),
                          _("e.g. severity: major"))
    return data


# A field's type as the prompt and the hint name it (a form's own type names stay the manual's words elsewhere)
FIELD_TYPES = {"text": NP_("field type", "text"), "longtext": NP_("field type", "longtext"),
               "number": NP_("field type", "number"), "integer": NP_("field type", "integer"),
               "scale": NP_("field type", "scale"), "date": NP_("field type", "date"),
               "datetime": NP_("field type", "datetime"), "boolean": NP_("field type", "boolean"),
               "reference": NP_("field type", "reference"), "choice": NP_("field type", "choice"),
               "multichoice": NP_("field type", "multichoice")}


def _describe(field: FormField) -> str:
    kind = pgettext(*FIELD_TYPES[field.type]) if field.type in FIELD_TYPES else field.type
    parts = [_("{type}; YYYY-MM-DD").format(type=kind) if field.type == "date" else kind]  # päivämäärä; VVVV-KK-PP
    if field.spec.get("options"):
        parts.append(_("one of: {options}").format(options=", ".join(map(str, field.spec["options"]))))
    if "min" in field.spec or "max" in field.spec:
        parts.append(_("from {low} to {high}").format(low=field.spec.get("min", "…"), high=field.spec.get("max", "…")))
    if isinstance(field.spec.get("pattern"), str):
        parts.append(example_of(field))
    return "; ".join(parts)


MAX_LISTED = 40  # a prompt lists at most this many valid ids; longer lists are cut with a count


def _choices(manual: Manual, field: FormField) -> list[tuple[str, str]]:
    """The ids a reference field may take, with names: what `validate` would accept."""
    kind = REFERENCE_KINDS.get(str(field.spec.get("of")))
    groups = dict(manual.groups())
    if kind is None or kind == "record":
        return []
    found = [(str(item.id), str(getattr(item, "name", "") or getattr(item, "title", "")))
             for item in groups.get(kind, ())
             if field.spec.get("of") != "customer" or getattr(item, "kind", "customer") == "customer"]
    return sorted(dict(found).items())


def _ask(form: Form, values: dict[str, Any], console: Console, manual: Manual) -> dict[str, Any]:
    """Ask for each field not yet given, in order, showing help and choices; re-ask until the answer fits."""
    section = ""
    ctx = Context.of(manual)
    console.print(f"[bold]{escape(form.title)}[/] ({escape(form.id)})")
    for field in form.fields:
        if field.id in values or not shown(field, values):
            continue
        if field.spec.get("section") and field.spec["section"] != section:
            section = str(field.spec["section"])
            console.print(f"\n[bold underline]{escape(section)}[/]")
        if field.spec.get("help"):
            console.print(f"[dim]{escape(str(field.spec['help']))}[/]")
        options = [str(o) for o in field.spec.get("options") or []]
        for number, option in enumerate(options, start=1):
            console.print(f"  {number}. {escape(option)}")
        known = _choices(manual, field)
        for item_id, name in known[:MAX_LISTED]:
            console.print(f"  {escape(item_id)}" + (f"  [dim]{escape(name)}[/]" if name and name != item_id else ""))
        if len(known) > MAX_LISTED:
            console.print("  " + escape(_("… and {count} more").format(count=len(known) - MAX_LISTED)))
        label = f"{field.label}{'' if field.required else ' ' + _('(optional)')} [{_describe(field)}]"
        while True:
            answer = Prompt.ask(escape(label), console=console, default="", show_default=False) or ""
            if not answer.strip():
                if field.required:
                    console.print(f"[red]{escape(_('This field is required.'))}[/]")
                    continue
                break
            try:
                value = parse_value(field, answer)
            except BadValue as bad:
                console.print(f"[red]{escape(str(bad))}[/]")
                continue
            wrong = next((m for _, m in reference_problems(ctx, form, {field.id: value})), None)
            if wrong is not None:
                console.print(f"[red]{escape(wrong)}[/]")
                continue
            values[field.id] = value
            break
    return values


def _now() -> datetime:
    return datetime.now().astimezone()


def _check_before_writing(manual: Manual, form: Form, values: dict[str, Any], today: date) -> None:
    """What `qms validate` would say about the new record's values, said before anything is written."""
    for field in form.fields:
        if field.id in values:
            try:
                check_value(field, values[field.id])
            except BadValue as bad:
                raise ConfigError(f"{field.id}: {bad}", _describe(field)) from bad
    problems = values_problems(form, values)
    if problems:
        raise ConfigError(problems[0].said.text(), _("Check the value against the form (`qms form render`)."))
    ctx = Context.of(manual, today=today)
    for name, message in reference_problems(ctx, form, values):
        known = [i for i, _ in _choices(manual, _field(form, name))]
        listed = ", ".join(known[:MAX_LISTED]) + (" …" if len(known) > MAX_LISTED else "")
        raise ConfigError(message, _("Known: {ids}.").format(ids=listed) if known
                          else _("Add it to the manual first."))
    for name, message in flow_problems(ctx, form, values):
        raise ConfigError(f"{name}: {message}",
                          _("Name an input the receiving process gets from the supplying one."))
    event = event_day(Record("", form.id, form.origin, values=values), form) if form.binds.get("date") else None
    if event is not None and event > today:
        raise ConfigError(_("{field} {day} is in the future").format(field=form.binds["date"], day=event),
                          _("Records are of events that happened; give the day it happened."))


@record_app.command("new")
def record_new(
    form_id: Annotated[str, typer.Argument(metavar="FORM", help="The form to fill in.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    source: Annotated[Path | None, typer.Option("--from", help="A YAML or JSON file of field: value.")] = None,
    settings: SetOption = None,
    by: Annotated[str | None, typer.Option("--by", help="Who records it (a person id). Default: the git "
                                                          "user.")] = None,
    interactive: Annotated[bool | None, typer.Option("--interactive/--no-input", help="Ask for missing fields "
                                                                                        "(default: when in a "
                                                                                        "terminal).")] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the new record.")] = False,
    on: Annotated[str | None, typer.Option("--on", help="The day the event happened (YYYY-MM-DD), for entering "
                                                        "past events such as paper records; fills the form's "
                                                        "declared date field.")] = None,
    today: TodayOption = None,
) -> None:
    """Fill in a form: a new record with the next free id, written atomically, never over another record. It is
    checked as `qms validate` would (values, references, flows) before it is written. `created_at` is the time
    of entry; the day of the event is the form's declared date field."""
    root, manual = _manual(path, manual_dir)
    form = _form(manual, form_id)
    values = _from_file(source) if source else {}
    values.update(_assignments(form, settings or []))
    unknown = sorted(set(values) - {f.id for f in form.fields})
    if unknown:
        raise ConfigError(_("form {form} has no field '{field}'").format(form=form.id, field=", ".join(unknown)),
                          _("Fields: {fields}.").format(fields=", ".join(f.id for f in form.fields)))
    day = parse_day(on, "--on")
    event_field = form.binds.get("date")
    if day is not None:
        if not event_field:
            raise ConfigError(_("form {form} declares no event date").format(form=form.id),
                              _("Bind its date field: `binds: {{date: FIELD}}` (see docs/forms.md)."))
        values.setdefault(event_field, day.isoformat())
    if sys.stdin.isatty() if interactive is None else interactive:
        values = _ask(form, values, stdout(), manual)
    missing = missing_required(form, values)
    if missing:
        raise ConfigError(_("required fields missing: {fields}").format(fields=", ".join(f.id for f in missing)),
                          _("Give them with --set FIELD=VALUE or --from FILE, or run in a terminal to be asked."))
    _check_before_writing(manual, form, values, parse_day(today) or date.today())
    history = gitrepo.read_history(root)
    file = history.of(form.origin.path) if history.usable else None
    revision = file.latest.number if file and file.latest and form.origin.path not in history.uncommitted else 0
    now = _now()
    happened = datetime.combine(day, time(), now.tzinfo) if day is not None else None
    new = NewRecord(form, revision, now, acting_person(root, manual, by), values, happened_at=happened)
    if not commit:
        written = create(root, new, history)
        stdout().print(escape(_("Recorded {record} in {file}").format(record=written.id, file=written.rel)))
        return
    # The record and its commit go together: wait for other writers first, and take the record back if the
    # commit fails, so a reported failure never leaves a record behind (a retry would make a duplicate).
    with gitrepo.writer_lock(root):
        written = create(root, new, history)
        try:
            sha = gitrepo.commit_files(root, [written.rel], f"Record {written.id} ({form.title})")
        except QmsError as failed:
            _take_back(root, written.rel, None)
            raise QmsError(_("{problem}; {record} was not recorded").format(problem=failed.message,
                                                                              record=written.id),
                           failed.hint) from failed
    stdout().print(escape(_("Recorded {record} in {file}").format(record=written.id, file=written.rel)))
    stdout().print(_("Committed {commit}").format(commit=sha[:10]))


def _take_back(root: Path, rel: str, old_text: str | None) -> None:
    """Undo a write whose commit failed: remove the new file (or put the old text back) and unstage it."""
    if old_text is None:
        (root / rel).unlink(missing_ok=True)
    else:
        write_text(root / rel, old_text)
    with contextlib.suppress(QmsError):
        gitrepo.unstage(root, [rel])


@record_app.command("update")
def record_update(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record, e.g. NC-2026-0042.")],
    to: Annotated[str, typer.Option("--to", help="The state to move it to.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    settings: SetOption = None,
    note: Annotated[str, typer.Option("--note", help="Why, in a few words.")] = "",
    by: Annotated[str | None, typer.Option("--by", help="Who (a person id). Default: the git user.")] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the change.")] = False,
    on: Annotated[str | None, typer.Option("--on", help="The day the step happened (YYYY-MM-DD), when entering "
                                                        "it later, e.g. from paper.")] = None,
    today: TodayOption = None,
) -> None:
    """Move a workflow record, such as a corrective action, to its next state, with the fields that state needs.
    Only the states the record passes through need their fields."""
    root, manual = _manual(path, manual_dir)
    record = next((r for r in manual.records if r.id == record_id), None)
    if record is None:
        raise ConfigError(_("no record '{record}'").format(record=record_id), _("List records with `qms records`."))
    form = _form(manual, record.form)
    flow = workflow(form)
    if flow is None:
        raise ConfigError(_("form {form} has no workflow").format(form=form.id),
                          _("Only workflow records move between states."))
    values = {**record.values, **_assignments(form, settings or [])}
    problem = step_problem(flow, record.status, to, values, [c.state for c in record.history])
    if problem is not None:
        raise QmsError(f"{record.id}: {problem.message}", problem.hint)
    file = inside(root, *record.origin.path.split("/"))  # rewritten in place: it must be the manual's own file
    before = file.read_text(encoding="utf-8")
    parsed = parse_yaml(before, record.origin.path).data
    if not isinstance(parsed, dict):
        raise QmsError(_("{file} cannot be read").format(file=record.origin.path), _("Run `qms validate`."))
    now = _now()
    step = {"state": to, "at": now.isoformat(timespec="seconds"), "by": acting_person(root, manual, by)}
    day = parse_day(on, "--on")
    if day is not None:
        _check_step_day(record, day, parse_day(today) or date.today())
        step["at"] = datetime.combine(day, time(), now.tzinfo).isoformat(timespec="seconds")
        step["recorded_at"] = now.isoformat(timespec="seconds")
    if note:
        step["note"] = note
    parsed["status"] = to
    parsed["history"] = [*(parsed.get("history") or []), step]
    parsed["values"] = values
    if not commit:
        update(file, parsed)
        stdout().print(f"{escape(record.id)}: {escape(record.status)} → {escape(to)}")
        return
    with gitrepo.writer_lock(root):
        if file.read_text(encoding="utf-8") != before:
            raise QmsError(_("{record} was changed by someone else meanwhile").format(record=record.id),
                           _("Nothing was written; try again."))
        update(file, parsed)
        try:
            sha = gitrepo.commit_files(root, [record.origin.path], f"{record.id}: {record.status} -> {to}")
        except QmsError as failed:
            _take_back(root, record.origin.path, before)
            raise QmsError(_("{problem}; {record} was left as it was").format(problem=failed.message,
                                                                                record=record.id),
                           failed.hint) from failed
    stdout().print(f"{escape(record.id)}: {escape(record.status)} → {escape(to)}")
    stdout().print(_("Committed {commit}").format(commit=sha[:10]))


def _check_step_day(record: Record, day: date, today: date) -> None:
    if day > today:
        raise ConfigError(_("--on {day} is in the future").format(day=day), _("Give the day the step happened."))
    earlier = [d for c in record.history if (d := day_of(c.at)) is not None]
    if earlier and day < max(earlier):
        raise ConfigError(_("--on {day} is before the record's last step ({last})").format(day=day,
                                                                                           last=max(earlier)),
                          _("Steps are entered in the order they happened."))


def records_list(
    form_id: Annotated[str | None, typer.Argument(metavar="FORM", help="Only this form's records.")] = None,
    manual_dir: ManualOption = None,
    where: Annotated[list[str] | None, typer.Option("--where", help="FIELD=VALUE (also id, status, "
                                                                     "created_by); repeatable.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Created on or after this day.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                               help=f"One of: {', '.join(TABLE_FORMATS)}.",
                                               autocompletion=complete_choices(TABLE_FORMATS))] = "text",
    output: OutputOption = None,
) -> None:
    """List records, newest first."""
    output_format = "text" if output_format == "table" else output_format  # the name it had before 0.2
    check_choice(output_format, TABLE_FORMATS, "format")
    _, manual = _manual(None, manual_dir)
    forms = {f.id: f for f in manual.forms}
    if form_id is not None:
        _form(manual, form_id)
    day = parse_day(since, "--since")
    conditions = [c.partition("=")[::2] for c in where or []]
    chosen = [r for r in manual.records if (form_id is None or r.form == form_id)
              and (day is None or r.created_at[:10] >= day.isoformat())
              and all(_matches(r, name, value) for name, value in conditions)]
    chosen.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    if output_format == "json":
        emit(json.dumps([_as_dict(r) | {"date": _event(forms, r)} for r in chosen], indent=2, ensure_ascii=False)
             + "\n", output)
        return
    with use(SOURCE_LANGUAGE):  # a spreadsheet gets the days as the manual writes them (ISO)
        english = [summary(forms.get(r.form), r) for r in chosen]
    said = {text: summary(forms.get(r.form), r) for text, r in zip(english, chosen, strict=True)}
    records = [{"id": r.id, "form": r.form, "date": _event(forms, r), "created": r.created_at[:10],
                "by": r.created_by, "status": r.status, "summary": text}
               for r, text in zip(chosen, english, strict=True)]
    columns = (N_("ID"), N_("Form"), N_("Date"), N_("Created"), N_("By"), N_("Status"), N_("Summary"))
    table = TableData.of(quantity(len(chosen), "record"), columns, records, ("id", "form", "date", "created", "by",
                                                                            "status", "summary"),
                         words={"summary": lambda text: said.get(str(text), str(text))})
    show(table, output_format, output)


def _event(forms: dict[str, Form], record: Record) -> str:
    """The day the recorded event happened (the form's `date`), else the day it was entered."""
    day = event_day(record, forms.get(record.form))
    return day.isoformat() if day else ""


def _matches(record: Record, name: str, value: str) -> bool:
    own = {"id": record.id, "status": record.status, "created_by": record.created_by, "form": record.form}
    actual = own[name] if name in own else record.values.get(name)
    if isinstance(actual, list):
        return value in map(str, actual)
    if isinstance(actual, bool):
        return str(actual).lower() == value.lower()
    return str(actual) == value


def _as_dict(record: Record) -> dict[str, Any]:
    return {"id": record.id, "form": record.form, "form_revision": record.form_revision,
            "created_at": record.created_at, "created_by": record.created_by, "status": record.status,
            "values": dict(record.values), "path": record.origin.path}


@form_app.command("render")
def form_render(
    form_id: Annotated[str, typer.Argument(metavar="FORM")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output: OutputOption = None,
) -> None:
    """A readable blank form in Markdown, for paper or the site."""
    _, manual = _manual(path, manual_dir)
    emit(blank_form(_form(manual, form_id), manual.config.organisation), output)


@form_app.command("schema")
def form_schema(
    form_id: Annotated[str, typer.Argument(metavar="FORM")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output: OutputOption = None,
) -> None:
    """The JSON Schema the form compiles to (what its records' values are checked against)."""
    _, manual = _manual(path, manual_dir)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **record_values_schema(_form(manual,
                                                                                                        form_id))}
    emit(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", output)

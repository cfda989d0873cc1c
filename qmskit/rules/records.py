"""Records and their forms (ISO 9001 7.5.3: retained information, identifiable and protected)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import pairwise
from typing import Any

from qmskit.diagnostics import Diagnostic, Location
from qmskit.loading import schemas
from qmskit.messages import Count, Day, Message, Word, say
from qmskit.model import Form, Record
from qmskit.patterns import pattern_problem
from qmskit.records.forms import REFERENCE_KINDS, Workflow, form_problems, needed_on, record_values_schema, workflow
from qmskit.records.meaning import day_of, declaration_problems
from qmskit.records.workflow import PROVISIONAL_ID, RECORD_ID
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

MISMATCH, PLACE, DANGLING, STATE, OVERDUE, EDITED, PROVISIONAL, NO_FLOW = (rule(f"QMS-REC-00{n}")
                                                                           for n in range(1, 9))
FORM_BROKEN, FORM_BREAKS, PREFIX, MEANING, PATTERN = (rule(f"QMS-FORM-00{n}") for n in range(1, 6))


class _Validators:
    """One compiled validator per form revision, shared by all its records."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, int], schemas.Compiled] = {}

    def get(self, form: Form, revision: int) -> schemas.Compiled:
        key = (form.id, revision)
        if key not in self.cache:
            self.cache[key] = schemas.compiled(record_values_schema(form))
        return self.cache[key]


def _version(ctx: Context, form: Form, record: Record) -> tuple[Form, int]:
    """The form as it was when the record was made (the current one when that revision is unknown)."""
    revision = record.form_revision
    if revision is None:
        return form, ctx.form_revision(form)
    return ctx.form_versions.get((form.id, revision), form), revision


def check_records(ctx: Context) -> Iterator[Diagnostic]:
    validators = _Validators()
    for record in ctx.manual.records:
        form = ctx.form(record.form)
        if form is None:
            continue  # QMS-REF-001 reports the unknown form
        yield from _place(ctx, record, form)
        version, revision = _version(ctx, form, record)
        for problem in schemas.problems(validators.get(version, revision), dict(record.values)):
            where = ctx.at(record.origin, "values", *problem.pointer, key=problem.at_key)
            yield MISMATCH.at(where, say("{record}: {problem} (form {form} revision {revision})", record=record.id,
                                         problem=problem.said, form=form.id, revision=revision))
        yield from _references(ctx, record, version)
        for name, message in flow_messages(ctx, version, record.values):
            yield NO_FLOW.at(ctx.at(record.origin, "values", name), say("{record}: {problem}", record=record.id,
                                                                        problem=message))
        flow = workflow(version)
        if flow is not None:
            # the action's due date: the field bound to `due`, or the workflow's older `due_field`
            due_field = version.binds.get("due") or str(version.workflow.get("due_field", ""))
            yield from _workflow(ctx, record, flow, due_field)


def _place(ctx: Context, record: Record, form: Form) -> Iterator[Diagnostic]:
    if PROVISIONAL_ID.match(record.id):
        yield PROVISIONAL.at(ctx.at(record.origin, "id"), say("record {record} has the provisional id a site form "
                                                             "gave it", record=record.id),
                             say("Number it: qms records add {path}", path=record.origin.path))
        return
    match = RECORD_ID.match(record.id)
    if match is None or match["prefix"] != form.record_prefix:
        yield PLACE.at(ctx.at(record.origin, "id"),
                       say("record id '{record}' should look like {prefix}-YYYY-NNNN", record=record.id,
                           prefix=form.record_prefix))
    elif record.created_at[:4].isdigit() and match["year"] != record.created_at[:4]:
        yield PLACE.at(ctx.at(record.origin, "id"), say("record id '{record}' has year {year}, but it was created "
                                                        "in {created}", record=record.id, year=match["year"],
                                                        created=record.created_at[:4]))
    expected = f"records/{form.id}/{record.id}"
    if record.origin.path not in (f"{expected}.yaml", f"{expected}.yml"):
        yield PLACE.at(ctx.at(record.origin, "id"),
                       say("record {record} of form {form} belongs in records/{form}/{record}.yaml",
                           record=record.id, form=form.id))


def _references(ctx: Context, record: Record, form: Form) -> Iterator[Diagnostic]:
    for name, message in reference_messages(ctx, form, record.values):
        yield DANGLING.at(ctx.at(record.origin, "values", name), say("{record}: {problem}", record=record.id,
                                                                     problem=message))


def reference_problems(ctx: Context, form: Form, values: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(field id, message in the current language) for each reference value that points at nothing; `qms record
    new` asks the same."""
    return ((name, message.text()) for name, message in reference_messages(ctx, form, values))


def flow_problems(ctx: Context, form: Form, values: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(field id, message in the current language) when an internal complaint names no flow between its two
    processes."""
    return ((name, message.text()) for name, message in flow_messages(ctx, form, values))


def reference_messages(ctx: Context, form: Form, values: Mapping[str, Any]) -> Iterator[tuple[str, Message]]:
    """(field id, message) for each reference value that points at nothing."""
    for field in form.fields:
        if field.type != "reference":
            continue
        value = values.get(field.id)
        kind = REFERENCE_KINDS.get(str(field.spec.get("of")))
        if not isinstance(value, str) or kind is None or ctx.manual.incomplete & {kind}:
            continue
        if not ctx.has(kind, value) and not (kind == "party" and ctx.has("process", value)):
            yield field.id, say("{field} '{value}' is not a known {kind}", field=field.id, value=value,
                                kind=Word(str(field.spec.get("of"))))


def flow_messages(ctx: Context, form: Form, values: Mapping[str, Any]) -> Iterator[tuple[str, Message]]:
    """An internal complaint must be about a flow between its two processes: (field id, message)."""
    if form.purpose != "internal-complaint":
        return
    fields = form.binds
    receiver, supplier = (values.get(fields.get(m, "")) for m in ("receiving-process", "supplying-process"))
    if not isinstance(receiver, str) or not isinstance(supplier, str) or ctx.manual.incomplete & {"process"}:
        return
    flows = between(ctx, supplier, receiver)
    if flows is None:
        return  # an unknown process: QMS-REC-003 says so
    if not flows:
        yield fields["supplying-process"], say("{receiver} receives no input from {supplier} (no flow between the "
                                               "two processes)", receiver=receiver, supplier=supplier)
        return
    named = fields.get("input")
    given = values.get(named) if named else None
    if isinstance(given, str) and given.casefold() not in {f.casefold() for f in flows}:
        yield str(named), say("'{given}' is not an input {receiver} receives from {supplier} (flows: {flows})",
                              given=given, receiver=receiver, supplier=supplier, flows=", ".join(sorted(flows)))


def between(ctx: Context, supplier: str, receiver: str) -> set[str] | None:
    """Names of the flows from one process to another, as either side declares them; a process's parents and
    sub-processes stand for it. None when either process is unknown."""
    source, target = ctx.process(supplier), ctx.process(receiver)
    if source is None or target is None:
        return None
    suppliers = {*ctx.lineage.get(supplier, (supplier,)), *ctx.subtree.get(supplier, (supplier,))}
    receivers = {*ctx.lineage.get(receiver, (receiver,)), *ctx.subtree.get(receiver, (receiver,))}
    names = set()
    for process in ctx.manual.processes:
        if process.id in receivers:
            names |= {f.name for f in process.inputs if f.party in suppliers}
        if process.id in suppliers:
            names |= {f.name for f in process.outputs if f.party in receivers}
    return names


def _workflow(ctx: Context, record: Record, flow: Workflow, due_field: str) -> Iterator[Diagnostic]:
    def where() -> Location:  # positions may need a parse (cached files): only ask when reporting
        return ctx.at(record.origin, "status")

    if record.status not in flow.states:
        yield STATE.at(where(), say("{record}: status '{status}' is not a state of the form ({states})",
                                    record=record.id, status=record.status, states=", ".join(flow.states)))
        return
    steps = [change.state for change in record.history]
    if not steps or steps[-1] != record.status:
        yield STATE.at(where(), say("{record}: status '{status}' is not the last step of its history",
                                    record=record.id, status=record.status))
    for before, after in pairwise(steps):
        if after not in flow.transitions.get(before, ()):
            yield STATE.at(where(), say("{record}: history moves from '{before}' to '{after}', which the form does "
                                        "not allow", record=record.id, before=before, after=after))
    # only the states this record passed through need their fields (a form may let records skip states)
    path = steps if steps and steps[-1] == record.status else [record.status]
    missing = [name for name in needed_on(flow, path) if record.values.get(name) in (None, "", [])]
    if missing:
        yield STATE.at(where(), say("{record} is '{status}' but has no {fields}", record=record.id,
                                    status=record.status, fields=", ".join(missing)))
    if record.status in flow.open_states:
        yield from _overdue(ctx, record, due_field)
    if record.status == flow.final:
        yield from _edited_after_closing(ctx, record)


def _overdue(ctx: Context, record: Record, due_field: str) -> Iterator[Diagnostic]:
    due = day_of(record.values.get(due_field)) if due_field else None
    if due is not None and due < ctx.today:
        yield OVERDUE.at(ctx.at(record.origin, "values", due_field),
                         say("{record} is '{status}' and its action was due on {day} ({late} ago)",
                             record=record.id, status=record.status, day=Day(str(due)),
                             late=Count((ctx.today - due).days, "day")))


def _edited_after_closing(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    later = ctx.closed_changes.get(record.origin.path)
    if later is not None:
        yield EDITED.at(ctx.at(record.origin, "id"),
                        say("{record} was already closed when it was changed in {commit} ({day}, \"{subject}\")",
                            record=record.id, commit=later.commit.sha[:10], day=Day(later.date[:10]),
                            subject=later.commit.subject))


def check_forms(ctx: Context) -> Iterator[Diagnostic]:
    prefixes: dict[str, str] = {}
    for form in ctx.manual.forms:
        for problem in form_problems(form):
            yield FORM_BROKEN.at(ctx.at(form.origin, *problem.pointer), say("form {form}: {problem}", form=form.id,
                                                                            problem=problem.message))
        for pointer, message in declaration_problems(form):
            yield MEANING.at(ctx.at(form.origin, *pointer), say("form {form}: {problem}", form=form.id,
                                                                problem=message))
        for index, field in enumerate(form.fields):
            pattern = field.spec.get("pattern")
            why = pattern_problem(pattern) if isinstance(pattern, str) else None
            if why is not None:
                yield PATTERN.at(ctx.at(form.origin, "fields", index, "pattern"),
                                 say("form {form}: the pattern of field '{field}' cannot run: {why}", form=form.id,
                                     field=field.id, why=why))
        if form.record_prefix in prefixes:
            yield PREFIX.at(ctx.at(form.origin, "record_prefix"),
                            say("forms {first} and {second} both number records {prefix}-…",
                                first=prefixes[form.record_prefix], second=form.id, prefix=form.record_prefix))
        prefixes.setdefault(form.record_prefix, form.id)
    yield from _form_changes(ctx)


def _form_changes(ctx: Context) -> Iterator[Diagnostic]:
    """Records made with an earlier form revision that the current revision would not accept."""
    validators = _Validators()
    for form in ctx.manual.forms:
        current = ctx.form_revision(form)
        refused = []
        for record in ctx.manual.records:
            if record.form != form.id or record.form_revision is None or record.form_revision >= current:
                continue
            first = next(schemas.problems(validators.get(form, current), dict(record.values)), None)
            if first is not None:
                refused.append((record.id, first.said))
        if refused:
            yield FORM_BREAKS.at(ctx.at(form.origin, "id"),
                                 say("form {form} revision {revision} would not accept {records} made with earlier "
                                     "revisions (e.g. {record}: {problem})", form=form.id, revision=current,
                                     records=Count(len(refused), "record"), record=refused[0][0],
                                     problem=refused[0][1]))


DELETED = rule("QMS-REC-009")


def check_deleted(ctx: Context) -> Iterator[Diagnostic]:
    """Records are retained evidence: deleting one (or renaming it to another id) is a finding."""
    for gone in ctx.deleted_records:
        where = Location(gone.path)  # the file is gone: point at its path as a whole
        if gone.revision is not None:
            commit = gone.revision.commit
            how = say("was deleted in {commit} ({day}, \"{subject}\")", commit=commit.sha[:10],
                      day=Day(commit.date[:10]), subject=commit.subject)
        elif gone.renamed_to:
            how = say("was renamed to {record}, which is another id", record=gone.renamed_to)
        else:
            how = say("is deleted in the working tree")
        yield DELETED.at(where, say("record {record} ({path}) {how}", record=gone.id, path=gone.path, how=how))

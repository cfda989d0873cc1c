"""Every id resolves and every id is unique (DESIGN 3: references)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qmskit import urls
from qmskit.analysis.coverage import resolve
from qmskit.diagnostics import Diagnostic
from qmskit.i18n import N_
from qmskit.messages import Join, Message, Word, say
from qmskit.model import Origin
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

UNRESOLVED, DUPLICATE, CLAUSE = rule("QMS-REF-001"), rule("QMS-REF-002"), rule("QMS-REF-003")
TOPIC, ALIKE = rule("QMS-REF-004"), rule("QMS-REF-005")

# The kinds of thing an id names, as findings say them (`Word`s: written in the reader's language). A form's
# reference field may also say `customer`.
KINDS = (N_("document"), N_("process"), N_("form"), N_("record"), N_("role"), N_("person"), N_("competence"),
         N_("training"), N_("party"), N_("objective"), N_("risk"), N_("communication"), N_("document type"),
         N_("customer"))

# A reference: where it stands, the id it names, and which kinds of object may answer it.
Ref = tuple[Origin, tuple[str | int, ...], str, tuple[str, ...]]


def _each(origin: Origin, field: str, values: tuple[str, ...], kinds: tuple[str, ...]) -> Iterator[Ref]:
    for index, value in enumerate(values):
        yield origin, (field, index), value, kinds


def _one(origin: Origin, field: str, value: str, kinds: tuple[str, ...]) -> Iterator[Ref]:
    if value:
        yield origin, (field,), value, kinds


PARTY = ("process", "party")


def references(ctx: Context) -> Iterator[Ref]:
    m = ctx.manual
    for doc in m.documents:
        yield from _one(doc.origin, "owner", doc.owner, ("role",))
        yield from _one(doc.origin, "type", doc.type, ("document type",))
        yield from _each(doc.origin, "processes", doc.processes, ("process",))
        yield from _each(doc.origin, "references", doc.references, ("document",))
        yield from _each(doc.origin, "roles", doc.roles, ("role",))
    for proc in m.processes:
        yield from _one(proc.origin, "owner", proc.owner, ("role",))
        yield from _one(proc.origin, "parent", proc.parent, ("process",))
        yield from _one(proc.origin, "customer", proc.customer, PARTY)
        for flow in proc.inputs:
            yield from _one(flow.origin, "from", flow.party, PARTY)
        for flow in proc.outputs:
            yield from _one(flow.origin, "to", flow.party, PARTY)
        yield from _each(proc.origin, "documents", proc.documents, ("document",))
        yield from _each(proc.origin, "forms", proc.forms, ("form",))
        yield from _each(proc.origin, "risks", proc.risks, ("risk",))
    for form in m.forms:
        yield from _each(form.origin, "processes", form.processes, ("process",))
    for record in m.records:
        yield from _one(record.origin, "form", record.form, ("form",))
        yield from _one(record.origin, "created_by", record.created_by, ("person",))
    for role in m.roles:
        for req in role.requires:
            yield from _one(req.origin, "competence", req.competence, ("competence",))
    for person in m.people:
        yield from _each(person.origin, "roles", person.roles, ("role",))
        for qual in person.qualifications:
            yield from _one(qual.origin, "competence", qual.competence, ("competence",))
    for item in m.training:
        yield from _one(item.origin, "person", item.person, ("person",))
        yield from _one(item.origin, "competence", item.competence, ("competence",))
    for objective in m.objectives:
        yield from _one(objective.origin, "owner", objective.owner, ("role",))
        yield from _one(objective.origin, "process", objective.process, ("process",))
    for risk in m.risks:
        yield from _one(risk.origin, "owner", risk.owner, ("role",))
        yield from _each(risk.origin, "processes", risk.processes, ("process",))
    for name, doc_type in m.config.document_types.items():
        origin = m.config.origin.child("document_types", name)
        yield from _each(origin, "approvers", doc_type.approvers, ("role",))


def check_references(ctx: Context) -> Iterator[Diagnostic]:
    types = ctx.manual.config.document_types
    for origin, parts, value, kinds in references(ctx):
        if ctx.manual.incomplete.intersection(kinds):
            continue  # a file of that kind could not be read: its ids are unknown, and it is reported already
        found = any(value in types if kind == "document type" else ctx.has(kind, value) for kind in kinds)
        if not found:
            yield UNRESOLVED.at(ctx.at(origin, *parts),
                                say("{field} '{value}' is not a known {kind}", field=str(parts[0]), value=value,
                                    kind=Join(tuple(Word(kind) for kind in kinds), "or")),
                                _suggest(ctx, value, kinds))
    yield from _kpi_references(ctx)


def _kpi_references(ctx: Context) -> Iterator[Diagnostic]:
    for objective in ctx.manual.objectives:
        process = ctx.process(objective.process)
        if objective.kpi and process is not None and objective.kpi not in {k.id for k in process.kpis}:
            yield UNRESOLVED.at(ctx.at(objective.origin, "kpi"),
                                say("kpi '{kpi}' is not a KPI of process '{process}'", kpi=objective.kpi,
                                    process=process.id),
                                say("Use one of: {choices}.", choices=', '.join(k.id for k in process.kpis))
                                if process.kpis else say("Use one of: (the process has none)."))


def _suggest(ctx: Context, value: str, kinds: tuple[str, ...]) -> Message:
    known: list[str] = []
    for kind in kinds:
        known += list(ctx.manual.config.document_types) if kind == "document type" else list(ctx.ids.get(kind, {}))
    close = [k for k in known if k.casefold() == value.casefold() or value.casefold() in k.casefold()]
    if close:
        return say("Did you mean '{id}'?", id=sorted(close)[0])
    return say("Add the {kind} or use an existing id ({count} known).", kind=Word(kinds[0]), count=len(known))


def check_unique(ctx: Context) -> Iterator[Diagnostic]:
    for kind, items in ctx.manual.groups():
        first: dict[str, Origin] = {}
        for item in items:
            if item.id in first:
                where = first[item.id]
                yield DUPLICATE.at(ctx.at(item.origin, "id"),
                                   say("{kind} id '{id}' is already used in {path}:{line}", kind=Word(kind),
                                       id=item.id, path=where.path, line=ctx.at(where, 'id').line))
            else:
                first[item.id] = item.origin
        yield from _alike(ctx, kind, items)

def _alike(ctx: Context, kind: str, items: tuple[Any, ...]) -> Iterator[Diagnostic]:
    """Ids of one kind that are not equal but name the same page (`urls.slug`) or the same file where case does
    not count (`urls.folded`): the later one, naming the first. Equal ids are QMS-REF-002's."""
    by_fold: dict[str, Any] = {}
    by_slug: dict[str, Any] = {}
    for item in items:
        fold, page = urls.folded(item.id), urls.slug(item.id)
        same_fold, same_page = by_fold.setdefault(fold, item), by_slug.setdefault(page, item)
        if same_fold.id != item.id:
            where = same_fold.origin
            yield ALIKE.at(ctx.at(item.origin, "id"),
                           say("{kind} id '{id}' differs only in case from '{other}' in {path}:{line}",
                               kind=Word(kind), id=item.id, other=same_fold.id, path=where.path,
                               line=ctx.at(where, "id").line))
        elif same_page.id != item.id:
            where = same_page.origin
            yield ALIKE.at(ctx.at(item.origin, "id"),
                           say("{kind} id '{id}' gets the same site page '{page}' as '{other}' in {path}:{line}",
                               kind=Word(kind), id=item.id, page=page, other=same_page.id, path=where.path,
                               line=ctx.at(where, "id").line))
    for party in ctx.manual.parties:
        if ctx.has("process", party.id):
            yield DUPLICATE.at(ctx.at(party.origin, "id"),
                               say("party id '{id}' is also a process id, so flows naming it are ambiguous",
                                   id=party.id),
                               say("Rename the party or the process."))


def check_clauses(ctx: Context) -> Iterator[Diagnostic]:
    """Every clause reference means a clause of a declared standard; every topic is one a clause asks about."""
    m = ctx.manual
    for owner in m.clause_owners():
        for index, reference in enumerate(owner.clauses):
            meant = resolve(reference, m.catalogues)
            if isinstance(meant, Message):
                yield CLAUSE.at(ctx.at(owner.origin, "clauses", index), meant)
    for exclusion in m.config.exclusions:
        meant = resolve(exclusion.clause, m.catalogues)
        if isinstance(meant, Message):
            yield CLAUSE.at(ctx.at(exclusion.origin, "clause"), say("excluded clause {problem}", problem=meant))
    topics = {t.id for c in m.catalogues for clause in c.clauses for t in clause.topics}
    named: list[tuple[Origin, tuple[str, ...]]] = [(o.origin, getattr(o, "topics", ())) for o in m.clause_owners()]
    named += [(p.origin, p.topics) for p in m.parties]
    # Editions without topics (iso9001:2015 before its amendment) judge none: QMS-STD-002 asks to move on.
    for origin, names in named if topics else ():
        for index, topic in enumerate(names):
            if topic not in topics:
                yield TOPIC.at(ctx.at(origin, "topics", index),
                               say("'{topic}' is not a topic any clause of the declared standards asks about "
                                   "(they ask about: {topics})", topic=topic, topics=', '.join(sorted(topics))))

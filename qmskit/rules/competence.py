"""Competence rules (ISO 9001 7.2): gaps, expiry, owners and approvers, training follow-up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from qmskit.analysis.competence import EXPIRED, EXPIRING, Competences, gaps
from qmskit.diagnostics import Diagnostic, Severity
from qmskit.messages import Day, Message, say
from qmskit.model import Person, Qualification
from qmskit.records.meaning import day_of
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

GAP, EXPIRED_RULE, EXPIRING_RULE, OWNER, TRAINING_LATE, NO_EVALUATION = (
    rule(f"QMS-COMP-00{n}") for n in range(1, 7)
)


def _qualification(person: Person, competence: str) -> tuple[int, Qualification] | None:
    for index, qualification in enumerate(person.qualifications):
        if qualification.competence == competence:
            return index, qualification
    return None


def check_people(ctx: Context) -> Iterator[Diagnostic]:
    index = Competences(ctx.manual, ctx.today)
    critical = {c.id for c in ctx.manual.competences if c.critical}
    for gap in gaps(index):
        where = ctx.at(gap.person.origin, "roles")
        held = _qualification(gap.person, gap.competence)
        if gap.problem == "expired" and held is not None:
            finding = EXPIRED_RULE.at(ctx.at(gap.person.origin, "qualifications", held[0], "valid_until"),
                                      say("{person}'s {competence} qualification has expired; role '{role}' "
                                          "requires it (renewal planned {day})", person=gap.person.name,
                                          competence=gap.competence, role=gap.role,
                                          day=Day(str(gap.training.planned))) if gap.training else
                                      say("{person}'s {competence} qualification has expired; role '{role}' "
                                          "requires it", person=gap.person.name, competence=gap.competence,
                                          role=gap.role))
            if gap.competence not in critical:
                finding = replace(finding, severity=Severity.WARNING)
            yield finding
        elif gap.training is None:
            if gap.problem == "level too low":
                yield GAP.at(where, say("{person} ({role}) lacks {competence} level {required} (holds {held}) and no "
                                        "training is planned", person=gap.person.name, role=gap.role,
                                        competence=gap.competence, required=gap.required_level, held=gap.held_level))
            else:
                yield GAP.at(where, say("{person} ({role}) lacks {competence} and no training is planned",
                                        person=gap.person.name, role=gap.role, competence=gap.competence))
    for person in index.people:
        for competence, cell in index.cells(person).items():
            held = _qualification(person, competence)
            if cell.status == EXPIRING and held is not None:
                yield EXPIRING_RULE.at(ctx.at(person.origin, "qualifications", held[0]),
                                       say("{person}'s {competence} qualification expires on {day}",
                                           person=person.name, competence=competence, day=Day(str(cell.until))))


def check_owners(ctx: Context) -> Iterator[Diagnostic]:
    """A role that owns a process or approves documents needs at least one holder who has all it requires."""
    index = Competences(ctx.manual, ctx.today)
    holders: dict[str, list[str]] = {}
    competent: set[str] = set()
    for person in index.people:
        cells = index.cells(person)
        for role_id in person.roles:
            role = index.roles.get(role_id)
            holders.setdefault(role_id, []).append(person.name)
            if all((cell := cells.get(r.competence)) is not None and cell.status != EXPIRED and cell.level >= r.level
                   for r in (role.requires if role else ())):
                competent.add(role_id)

    def owner(process: str, role_id: str) -> Message:
        if role_id not in holders:
            return say("process '{process}' is owned by role '{role}', but nobody holds it", process=process,
                       role=role_id)
        return say("process '{process}' is owned by role '{role}', but none of its holders ({holders}) has all the "
                   "competences it requires", process=process, role=role_id, holders=', '.join(holders[role_id]))

    def approver(kind: str, role_id: str) -> Message:
        if role_id not in holders:
            return say("role '{role}' approves {kind} documents, but nobody holds it", role=role_id, kind=kind)
        return say("role '{role}' approves {kind} documents, but none of its holders ({holders}) has all the "
                   "competences it requires", role=role_id, kind=kind, holders=', '.join(holders[role_id]))

    for process in ctx.manual.processes:
        if process.owner and process.owner not in competent and process.owner in index.roles:
            yield OWNER.at(ctx.at(process.origin, "owner"),
                           owner(process.id, process.owner))
    for name, doc_type in ctx.manual.config.document_types.items():
        for position, role_id in enumerate(doc_type.approvers):
            if role_id not in competent and role_id in index.roles:
                yield OWNER.at(ctx.at(ctx.manual.config.origin, "document_types", name, "approvers", position),
                               approver(name, role_id))


def check_training(ctx: Context) -> Iterator[Diagnostic]:
    for item in ctx.manual.training:
        planned = day_of(item.planned)
        if item.status == "planned" and planned is not None and planned < ctx.today:
            yield TRAINING_LATE.at(ctx.at(item.origin, "planned"),
                                   say("training {training} ({person}, {competence}) was planned for {day}",
                                       training=item.id, person=item.person, competence=item.competence,
                                       day=Day(str(planned))))
        if item.status == "done" and not item.effectiveness.strip():
            yield NO_EVALUATION.at(ctx.at(item.origin, "status"),
                                   say("training {training} ({person}, {competence}) is done but its "
                                       "effectiveness was not evaluated", training=item.id, person=item.person,
                                       competence=item.competence))

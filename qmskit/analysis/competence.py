"""Competence (ISO 9001 7.2): who holds what, what roles need, what expires, what training is planned, and
who has not yet read a new revision of a document that concerns them. Pure; `today` is always explicit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from qmskit.control.register import add_months
from qmskit.model import Competence, Document, Manual, Person, Qualification, Training
from qmskit.records.meaning import Meanings

VALID, EXPIRING, EXPIRED, MISSING = "valid", "expiring", "expired", "missing"


def valid_until(qualification: Qualification, competence: Competence | None) -> date | None:
    """The last day the qualification is valid: as written, or gained + the competence's validity."""
    try:
        if qualification.valid_until:
            return date.fromisoformat(qualification.valid_until)
        if competence is not None and competence.valid_months and qualification.gained:
            return add_months(date.fromisoformat(qualification.gained), competence.valid_months)
    except ValueError:
        return None  # the schema reports a malformed date
    return None


def status(until: date | None, today: date, window_days: int) -> str:
    """valid through `until` inclusive; expiring when `until` falls within the window from today."""
    if until is None:
        return VALID
    if until < today:
        return EXPIRED
    if until <= today + timedelta(days=window_days):
        return EXPIRING
    return VALID


@dataclass(frozen=True, slots=True)
class Cell:
    person: Person
    competence: str
    level: int
    until: date | None
    status: str
    required_level: int = 0  # what the person's roles need (0: not required)


class Competences:
    """The manual's competence data, indexed once."""

    def __init__(self, manual: Manual, today: date, window_days: int | None = None) -> None:
        self.manual, self.today = manual, today
        self.window = manual.config.expiry_warning_days if window_days is None else window_days
        self.catalogue = {c.id: c for c in manual.competences}
        self.roles = {r.id: r for r in manual.roles}
        self.people = sorted(manual.people, key=lambda p: p.name)

    def required(self, person: Person) -> dict[str, tuple[int, str]]:
        """competence -> (highest level any of the person's roles needs, the role that needs it)."""
        needs: dict[str, tuple[int, str]] = {}
        for role_id in person.roles:
            role = self.roles.get(role_id)
            for requirement in role.requires if role else ():
                if requirement.level > needs.get(requirement.competence, (0, ""))[0]:
                    needs[requirement.competence] = (requirement.level, role_id)
        return needs

    def cells(self, person: Person) -> dict[str, Cell]:
        needs = self.required(person)
        found: dict[str, Cell] = {}
        for qualification in person.qualifications:
            until = valid_until(qualification, self.catalogue.get(qualification.competence))
            cell = Cell(person, qualification.competence, qualification.level, until,
                        status(until, self.today, self.window), needs.get(qualification.competence, (0, ""))[0])
            best = found.get(qualification.competence)
            if best is None or (cell.status != EXPIRED, cell.level) > (best.status != EXPIRED, best.level):
                found[qualification.competence] = cell
        for competence, (level, _) in needs.items():
            found.setdefault(competence, Cell(person, competence, 0, None, MISSING, level))
        return found

    def columns(self) -> list[str]:
        return [c.id for c in sorted(self.manual.competences, key=lambda c: c.name)]


@dataclass(frozen=True, slots=True)
class Gap:
    person: Person
    role: str
    competence: str
    required_level: int
    held_level: int
    problem: str  # missing | level too low | expired
    training: Training | None  # planned training that would close it


def planned_training(manual: Manual) -> dict[tuple[str, str], Training]:
    return {(t.person, t.competence): t for t in manual.training if t.status == "planned"}


def gaps(index: Competences) -> Iterator[Gap]:
    """Who lacks what their roles need: missing, at too low a level, or expired."""
    planned = planned_training(index.manual)
    for person in index.people:
        cells = index.cells(person)
        for competence, (level, role) in sorted(index.required(person).items()):
            cell = cells[competence]
            problem = ("missing" if cell.status == MISSING else "expired" if cell.status == EXPIRED
                       else "level too low" if cell.level < level else "")
            if problem:
                yield Gap(person, role, competence, level, cell.level, problem, planned.get((person.id, competence)))


def expiring(index: Competences, within_days: int) -> list[Cell]:
    """Qualifications that expire from today up to `within_days` ahead (those already expired are gaps)."""
    window_end = index.today + timedelta(days=within_days)
    found = [cell for person in index.people for cell in index.cells(person).values()
             if cell.until is not None and index.today <= cell.until <= window_end]
    return sorted(found, key=lambda c: (c.until or index.today, c.person.name, c.competence))


def concerned_roles(manual: Manual, document: Document) -> set[str]:
    """Roles a document concerns: its owner, the roles it names, the owners of the processes it belongs to."""
    owners = {p.id: p.owner for p in manual.processes}
    return {document.owner, *document.roles, *(owners[p] for p in document.processes if p in owners)} - {""}


@dataclass(frozen=True, slots=True)
class Unread:
    person: Person
    document: Document
    revision: int


def acknowledged(manual: Manual) -> set[tuple[str, str, int]]:
    """(person, document, revision) of every record of a form declared `purpose: acknowledgement`."""
    meaning = Meanings(manual)
    found = set()
    for record in meaning.records("acknowledgement"):
        revision = meaning.value(record, "revision")
        person = meaning.value(record, "person") or record.created_by
        if isinstance(revision, int) and not isinstance(revision, bool):
            found.add((str(person), str(meaning.value(record, "document")), revision))
    return found


def unread(manual: Manual, revisions: Mapping[str, int]) -> list[Unread]:
    """Who has not acknowledged the current revision of each active document that concerns their roles.
    `revisions` maps document ids to their current revision (from Git)."""
    done = acknowledged(manual)
    result = []
    for document in sorted(manual.documents, key=lambda d: d.id):
        revision = revisions.get(document.id, 0)
        if document.status != "active" or revision == 0:
            continue
        roles = concerned_roles(manual, document)
        for person in sorted(manual.people, key=lambda p: p.name):
            if roles & set(person.roles) and (person.id, document.id, revision) not in done:
                result.append(Unread(person, document, revision))
    return result

"""Clause coverage per standard: what a clause reference means, what addresses each clause, what an edition changes.

A manual declares its standards in `qms.yaml` (`standards:`, the first is the primary one). A reference such as
`"9.2"` means that clause in the primary standard and in every other declared standard where the number is a
clause of the harmonized structure (the same requirement in each); `"iso14001 6.1.2"` means one standard's
clause. See docs/decisions/0011-standards-as-data.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qmskit.messages import Message, say
from qmskit.model import Catalogue, Clause, Document, Form, Manual, Objective, Process, Risk, Topic

Owner = Document | Process | Form | Objective | Risk


def covers(declared: str, number: str) -> bool:
    """Declaring a clause addresses it and its sub-clauses; a whole chapter ("8") is too broad to count."""
    if "." not in declared:
        return declared == number
    return number == declared or number.startswith(declared + ".")


def resolve(reference: str, catalogues: Sequence[Catalogue]) -> tuple[tuple[Catalogue, str], ...] | Message:
    """The (catalogue, clause number) pairs a clause reference means, or why it means none."""
    family, _, number = reference.strip().rpartition(" ")
    if not catalogues:
        return ()  # no known standard: another finding says so
    if family:
        return _qualified(reference, family, number, catalogues)
    primary = catalogues[0]
    meant = tuple((c, number) for c in catalogues
                  if (found := c.get(number)) is not None and (c is primary or found.hs))
    if meant:
        return meant
    elsewhere = [c.family for c in catalogues[1:] if c.get(number) is not None]
    if elsewhere:
        return say("'{reference}' is not a clause of {standard}; for {other}'s clause write '{other} {number}'",
                   reference=reference, standard=primary.label, other=elsewhere[0], number=number)
    return say("'{reference}' is not a clause of {standard}", reference=reference, standard=primary.label)


def _qualified(reference: str, family: str, number: str,
               catalogues: Sequence[Catalogue]) -> tuple[tuple[Catalogue, str], ...] | Message:
    chosen = next((c for c in catalogues if c.family == family), None)
    if chosen is None:
        return say("'{reference}' names {family}, which is not among the standards in qms.yaml",
                   reference=reference, family=family)
    if chosen.get(number) is None:
        return say("'{reference}': {number} is not a clause of {standard}", reference=reference, number=number,
                   standard=chosen.label)
    return ((chosen, number),)


def counting_owners(manual: Manual) -> tuple[Owner, ...]:
    """What may address clauses: processes, forms, objectives, risks and *active* documents (drafts do not count)."""
    return tuple(o for o in manual.clause_owners() if not isinstance(o, Document) or o.status == "active")


def declared(owners: Iterable[Owner], catalogue: Catalogue, catalogues: Sequence[Catalogue]) -> dict[str, list[Owner]]:
    """Clause number in `catalogue` -> the owners whose references mean it."""
    found: dict[str, list[Owner]] = {}
    for owner in owners:
        for reference in owner.clauses:
            meant = resolve(reference, catalogues)
            for target, number in meant if isinstance(meant, tuple) else ():
                if target is catalogue:
                    found.setdefault(number, []).append(owner)
    return found


@dataclass(frozen=True, slots=True)
class Row:
    clause: Clause
    excluded: bool
    addressed_by: tuple[Owner, ...]  # what addresses the clause or one of its parents


@dataclass(frozen=True, slots=True)
class StandardCoverage:
    catalogue: Catalogue
    rows: tuple[Row, ...]

    def row(self, number: str) -> Row | None:
        return next((r for r in self.rows if r.clause.number == number), None)

    @property
    def leaves(self) -> tuple[Row, ...]:
        parents = {r.clause.parent for r in self.rows}
        return tuple(r for r in self.rows if r.clause.number not in parents)

    @property
    def addressed(self) -> int:
        return sum(1 for r in self.leaves if r.addressed_by or r.excluded)


def excluded_numbers(manual: Manual, catalogue: Catalogue) -> set[str]:
    """The clauses of `catalogue` that `exclusions:` in qms.yaml remove (with their sub-clauses)."""
    found = set()
    for exclusion in manual.config.exclusions:
        meant = resolve(exclusion.clause, manual.catalogues)
        found |= {n for c, n in (meant if isinstance(meant, tuple) else ()) if c is catalogue}
    return found


def coverage(manual: Manual) -> tuple[StandardCoverage, ...]:
    """For each declared standard, every clause with what addresses it."""
    owners = counting_owners(manual)
    result = []
    for catalogue in manual.catalogues:
        by_number = declared(owners, catalogue, manual.catalogues)
        excluded = excluded_numbers(manual, catalogue)
        rows = []
        for clause in catalogue.clauses:
            addressed_by = _distinct(o for number, found in by_number.items() if covers(number, clause.number)
                                     for o in found)
            rows.append(Row(clause, any(covers(e, clause.number) for e in excluded), addressed_by))
        result.append(StandardCoverage(catalogue, tuple(rows)))
    return tuple(result)


def _distinct(owners: Iterable[Owner]) -> tuple[Owner, ...]:
    """Each owner once, in order (owners hold mappings, so they are not hashable)."""
    found: dict[int, Owner] = {}
    for owner in owners:
        found.setdefault(id(owner), owner)
    return tuple(found.values())


@dataclass(frozen=True, slots=True)
class Change:
    """How one clause differs between two editions, and what in the manual addresses it today."""

    number: str
    kind: str  # "added", "removed", "retitled" or "topics"
    old_title: str
    new_title: str
    detail: str  # in English, for JSON and CSV: what the new topics ask
    addressed_by: tuple[Owner, ...]
    topics: tuple[Topic, ...] = ()  # the topics the target edition adds (kind "topics")


def transition(manual: Manual, current: Catalogue, target: Catalogue) -> tuple[Change, ...]:
    """What moving from the `current` edition to `target` changes, clause by clause, in clause order."""
    today = next((s for s in coverage(manual) if s.catalogue is current), None)

    def users(number: str) -> tuple[Owner, ...]:
        row = today.row(number) if today else None
        return row.addressed_by if row else ()

    changes = []
    for clause in target.clauses:
        old = current.get(clause.number)
        if old is None:
            changes.append(Change(clause.number, "added", "", clause.title, "", users(clause.parent)))
            continue
        if old.title != clause.title:
            changes.append(Change(clause.number, "retitled", old.title, clause.title, "", users(clause.number)))
        new_topics = [t for t in clause.topics if t.id not in {o.id for o in old.topics}]
        if new_topics:
            detail = "; ".join(f"{'shall determine' if t.required else 'note:'} {t.asks} (topic {t.id})"
                               for t in new_topics)
            changes.append(Change(clause.number, "topics", old.title, clause.title, detail, users(clause.number),
                                  tuple(new_topics)))
    kept = {c.number for c in target.clauses}
    changes += [Change(c.number, "removed", c.title, "", "", users(c.number)) for c in current.clauses
                if c.number not in kept]
    order = {c.number: i for i, c in enumerate((*target.clauses, *current.clauses))}
    return tuple(sorted(changes, key=lambda c: order.get(c.number, 0)))

"""ISO 9001 clause coverage: every clause addressed, the mandatory documented information present (DESIGN 3)."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit.diagnostics import Diagnostic, Location
from qmskit.model import Clause, Document
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

UNCOVERED, NO_DOCUMENT, NO_RECORDS, EXCLUSION = (rule(f"QMS-COV-00{n}") for n in range(1, 5))


def _covers(declared: str, clause: Clause) -> bool:
    """Declaring a clause addresses it and its sub-clauses; a whole chapter ("8") is too broad to count."""
    if "." not in declared:
        return declared == clause.number
    return clause.number == declared or clause.number.startswith(declared + ".")


def _addressed(numbers: set[str], clause: Clause) -> bool:
    return any(_covers(number, clause) for number in numbers)


def check_coverage(ctx: Context) -> Iterator[Diagnostic]:
    m = ctx.manual
    if m.incomplete & {"document", "process", "form"}:
        return  # coverage cannot be judged while files that declare clauses are unreadable
    active_documents = [d for d in m.documents if d.status == "active"]
    by_documents = {n for d in active_documents for n in d.clauses}
    by_forms = {n for f in m.forms for n in f.clauses}
    others = {n for owner in m.clause_owners() if not isinstance(owner, Document) for n in owner.clauses}
    everything = by_documents | others
    leaves = {c.number for c in m.catalogue.leaves()}
    excluded = {e.clause for e in m.config.exclusions}
    def where() -> Location:  # only when reporting: qms.yaml's positions may need a parse
        return ctx.at(m.config.origin, "standard")

    for clause in m.catalogue.clauses:
        if _addressed(excluded, clause):
            continue
        label = f"{clause.number} {clause.title}"
        if clause.number in leaves and not _addressed(everything, clause):
            yield UNCOVERED.at(where(), f"ISO 9001 clause {label} is not addressed by any document, process or form")
        if clause.maintain and not _addressed(by_documents, clause):
            yield NO_DOCUMENT.at(where(), f"clause {label} asks to maintain documented information "
                                        f"({clause.maintain}), but no active document addresses it")
        if clause.retain and not _addressed(by_forms, clause):
            yield NO_RECORDS.at(where(), f"clause {label} asks to retain documented information "
                                       f"({clause.retain}), but no form keeps such records")
    for exclusion in m.config.exclusions:
        if not exclusion.clause.startswith("8."):
            yield EXCLUSION.at(ctx.at(exclusion.origin, "clause"),
                               f"clause {exclusion.clause} is excluded, but it is outside clause 8")

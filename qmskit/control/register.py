"""Document control (ISO 9001 7.5) from Git history: revisions, who approved them, when review is due.

Pure: takes the model and a `History`, returns judgements and register rows.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from qmskit.model import Document, Manual, Person
from qmskit.vcs.history import Approval, FileHistory, History, Identity, Revision
from qmskit.wording import article

APPROVING = ("approved", "released")  # meanings that make a revision effective; "reviewed" does not
DUE_SOON_DAYS = 30


@dataclass(frozen=True, slots=True)
class Verdict:
    approval: Approval
    person: Person | None
    problem: str  # "" when the approval counts

    @property
    def counts(self) -> bool:
        return not self.problem and self.approval.meaning in APPROVING


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One controlled document: its effective (last approved) revision, and apart from it what is pending."""

    id: str
    title: str
    type: str
    owner: str
    revision: int  # the effective revision: the last approved one (0 = none approved yet)
    effective: str  # the day it became effective: its approval, never before its commit ("" = none)
    approved_by: tuple[str, ...]  # who approved the effective revision
    next_review: str
    status: str
    path: str
    evidence: tuple[str, ...] = ()  # what the approvals of the effective revision rest on, e.g. "note, signed"
    pending: str = ""  # a newer revision (or uncommitted change) waiting for approval: never the effective text
    commit: str = ""  # the commit of the effective revision

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "type": self.type, "owner": self.owner,
                "revision": self.revision, "effective": self.effective, "approved_by": list(self.approved_by),
                "evidence": list(self.evidence), "pending": self.pending, "next_review": self.next_review,
                "status": self.status, "path": self.path, "commit": self.commit}


def evidence_label(approval: Approval) -> str:
    """What an approval rests on, in words shown wherever approvals are shown."""
    return f"{approval.source}, signed" if approval.signed else approval.source


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def day_of(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def moment(iso: str) -> datetime:
    """An ISO date or date-time as an aware datetime (a bare date means the end of that day, UTC)."""
    if len(iso) == 10:
        return datetime.combine(date.fromisoformat(iso), datetime.max.time(), UTC)
    parsed = datetime.fromisoformat(iso)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def current_revisions(manual: Manual, history: History) -> dict[str, int]:
    """Each document's current revision number (0: never committed; empty without usable history)."""
    if not history.usable:
        return {}
    return {d.id: (f.latest.number if (f := history.of(d.origin.path)) and f.latest else 0) for d in manual.documents}


class DocumentControl:
    """Judges the approval evidence of a manual's documents against its people, roles and qms.yaml."""

    def __init__(self, manual: Manual, history: History,
                 signatures: Mapping[tuple[str, str], bool | None] | None = None,
                 baseline_commits: frozenset[str] | None = None) -> None:
        self.manual = manual
        self.history = history
        # the commits a baseline pinned to a commit releases (its ancestry, read from Git by the caller)
        self.baseline_commits = baseline_commits or frozenset()
        # (payload, signature) -> verified? (None: no allowed-signers file to verify against)
        self.signatures = signatures or {}
        self._people = {p.id: p for p in manual.people}
        self._by_email = {e.lower(): p for p in manual.people for e in p.emails}
        self._by_login = {p.github.lower(): p for p in manual.people if p.github}

    def person(self, who: Identity) -> Person | None:
        if who.email and who.email in self._by_email:
            return self._by_email[who.email]
        return self._by_login.get(who.login.lower()) if who.login else None

    def approver_roles(self, document: Document) -> tuple[str, ...]:
        doc_type = self.manual.config.document_types.get(document.type)
        return doc_type.approvers if doc_type else ()

    def evidence(self, document: Document, revision: Revision) -> list[Approval]:
        """Approvals recorded for the revision, plus the baseline release where qms.yaml declares one."""
        found = revision.approvals_for(document.id)
        baseline = self.manual.config.baseline
        if baseline is not None and self._in_baseline(baseline.until, revision):
            allowed = set(self.approver_roles(document))
            for person_id in baseline.approved_by:
                person = self._people.get(person_id)
                if person is not None and not allowed & set(person.roles):
                    continue  # the baseline names who released the set; each document needs its own authority
                email = person.emails[0].lower() if person and person.emails else ""
                found.append(Approval(Identity(person.name if person else person_id, email), "released",
                                      revision.date, "baseline", revision.commit.sha))
        return found

    def _in_baseline(self, until: str, revision: Revision) -> bool:
        """Judged by ancestry, never by date: a committer date is whatever the committer chose. A date in
        `until` releases nothing (the schema refuses it, with a hint)."""
        if until == "first-commit":
            return revision.commit.sha == self.history.first
        return revision.commit.sha in self.baseline_commits

    def judge(self, document: Document, revision: Revision, approval: Approval) -> Verdict:
        """Whether one piece of approval evidence counts for this revision of this document (DESIGN 3)."""
        person = self.person(approval.who)
        if person is None:
            return Verdict(approval, None, f"{approval.who} is not a known person (no matching e-mail or login "
                                           "in organisation/people.yaml)")
        if approval.signed and self.signatures.get((approval.payload, approval.signature)) is False:
            return Verdict(approval, person, f"the signature of {person.name}'s approval does not verify")
        # A baseline is a declaration about the past, not a review of a Git change, so authorship cannot apply.
        if approval.source != "baseline" and {e.lower() for e in person.emails} & revision.authors:
            return Verdict(approval, person, f"{person.name} is an author of the change")
        allowed = self.approver_roles(document)
        if not set(person.roles) & set(allowed):
            return Verdict(approval, person, f"{person.name} holds no role that may approve {article(document.type)} "
                                             f"({', '.join(allowed) or 'none named in qms.yaml'})")
        return Verdict(approval, person, "")

    def verdicts(self, document: Document, revision: Revision) -> list[Verdict]:
        return [self.judge(document, revision, a) for a in self.evidence(document, revision)]

    def approvers(self, document: Document, revision: Revision) -> list[Person]:
        found: dict[str, Person] = {}
        for verdict in self.verdicts(document, revision):
            if verdict.counts and verdict.person is not None:
                found.setdefault(verdict.person.id, verdict.person)
        return list(found.values())

    def last_approved(self, document: Document, file: FileHistory) -> Revision | None:
        for revision in reversed(file.revisions):
            if self.approvers(document, revision):
                return revision
        return None

    def review_interval(self, document: Document) -> int:
        doc_type = self.manual.config.document_types.get(document.type)
        return (document.review_every or (doc_type.review_every if doc_type else None)
                or self.manual.config.review_every)

    def next_review(self, document: Document, file: FileHistory) -> date | None:
        approved = self.last_approved(document, file)
        if approved is None:
            return None
        return add_months(day_of(approved.date), self.review_interval(document))

    def register(self) -> list[RegisterRow]:
        """The master list of documents: what is controlled, at which revision, approved by whom."""
        return [self.row(d) for d in sorted(self.manual.documents, key=lambda d: d.id)]

    def row(self, document: Document) -> RegisterRow:
        """The register's line for a document: what was last approved is what is effective; a newer revision,
        or an uncommitted change, is shown apart as pending approval."""
        path = document.origin.path
        file = self.history.of(path) if self.history.usable else None
        latest = file.latest if file else None
        status = document.status
        if latest is None and self.history.usable:
            status = f"{status}, never committed"
        elif path in self.history.uncommitted:
            status = f"{status}, uncommitted changes"
        approved = self.last_approved(document, file) if file else None
        counted = [v for v in self.verdicts(document, approved) if v.counts] if approved else []
        names = tuple(dict.fromkeys(v.person.name for v in counted if v.person is not None))
        review = self.next_review(document, file) if file else None
        return RegisterRow(document.id, document.title, document.type, document.owner,
                           approved.number if approved else 0, self.effective_day(approved, counted), names,
                           review.isoformat() if review else "", status, path,
                           tuple(dict.fromkeys(evidence_label(v.approval) for v in counted)),
                           self.pending(path, latest, approved), approved.commit.sha if approved else "")

    def pending(self, path: str, latest: Revision | None, approved: Revision | None) -> str:
        parts = []
        if latest is not None and latest is not approved:
            parts.append(f"revision {latest.number} ({latest.date[:10]}, {latest.commit.sha[:10]})")
        elif latest is None and self.history.usable:
            parts.append("never committed")
        if latest is not None and path in self.history.uncommitted:
            parts.append("uncommitted changes")
        return f"pending approval: {' and '.join(parts)}" if parts else ""

    @staticmethod
    def effective_day(approved: Revision | None, counted: list[Verdict]) -> str:
        """A revision is effective from its first counting approval, never before it reached the main line."""
        if approved is None:
            return ""
        days = sorted(v.approval.date[:10] for v in counted if len(v.approval.date) >= 10)
        return max(approved.date[:10], days[0]) if days else approved.date[:10]

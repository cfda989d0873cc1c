"""Document control (ISO 9001 7.5) from Git history: revisions, who approved them, when review is due.

Pure: takes the model and a `History`, returns judgements and register rows.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from qmskit.control.policy import Policy, of_manual
from qmskit.i18n import N_
from qmskit.messages import Article, Day, Join, Message, Word, say
from qmskit.model import Document, Manual, Person
from qmskit.vcs.history import Approval, Commit, FileHistory, History, Identity, Revision

APPROVING = ("approved", "released")  # meanings that make a revision effective; "reviewed" does not
DUE_SOON_DAYS = 30
LEVEL_LABELS = {"forge": N_("forge review"), "signed": N_("signed"), "asserted": N_("asserted, not verified"),
                "baseline": N_("baseline")}
MEANINGS = (N_("approved"), N_("released"), N_("reviewed"))  # what an approval says it is
SOURCES = (N_("trailer"), N_("note"))  # where approval evidence was recorded, in Git's words
FORGES = ("github", "gitlab")


def pending_revision(number: int, day: str, sha: str) -> Message:
    """A newer revision waiting for approval: "revision 2 (2026-11-27, 1a2b3c4d5e)"."""
    return say("revision {number} ({day}, {commit})", number=number, day=Day(day[:10]), commit=sha[:10])


def pending_approval(parts: list[Message]) -> Message | None:
    """A register row's pending column: its English is what JSON and CSV carry, its text what people read."""
    return say("pending approval: {changes}", changes=Join(tuple(parts), "and")) if parts else None


def level_label(approval: Approval) -> str:
    return LEVEL_LABELS.get(approval.level, approval.level)


@dataclass(frozen=True, slots=True)
class Verdict:
    approval: Approval
    person: Person | None
    problem: str  # "" when the approval counts
    # why it does not count: unknown | evidence | forged | self | authority | other-documents (the approver
    # approves other documents of the same change, so this is no finding)
    kind: str = ""
    said: Message | None = field(default=None, compare=False)  # the problem as a template, for people

    @classmethod
    def refused(cls, approval: Approval, person: Person | None, problem: Message, kind: str) -> Verdict:
        return cls(approval, person, problem.english(), kind, problem)

    def problem_message(self) -> Message | str:
        return self.said if self.said is not None else self.problem

    def description(self) -> Message:
        """`describe()` as a message: the meaning and the evidence's strength are qmskit's words."""
        source = self.approval.source
        where: Word | str = (Word(source) if source in SOURCES else source) if source != self.label else ""
        label = Word(LEVEL_LABELS[self.approval.level]) if self.approval.level in LEVEL_LABELS else self.label
        meaning = Word(self.approval.meaning) if self.approval.meaning in MEANINGS else self.approval.meaning
        if where:
            return say("{who} ({meaning}, {source}, {strength})", who=self._who(), meaning=meaning, source=where,
                       strength=label)
        return say("{who} ({meaning}, {strength})", who=self._who(), meaning=meaning, strength=label)

    def _who(self) -> str:
        return self.person.name if self.person else str(self.approval.who)

    @property
    def counts(self) -> bool:
        return not self.problem and self.approval.meaning in APPROVING

    @property
    def label(self) -> str:
        return level_label(self.approval)

    def describe(self) -> str:
        """Who, meaning, where it was recorded and how strong the evidence is: "Mikko Heinonen (approved,
        trailer, asserted, not verified)"."""
        who = self.person.name if self.person else str(self.approval.who)
        where = "" if self.approval.source == self.label else f"{self.approval.source}, "
        return f"{who} ({self.approval.meaning}, {where}{self.label})"


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One controlled document: its effective (last approved) revision, and apart from it what is pending."""

    id: str
    title: str
    type: str
    owner: str
    revision: int  # the effective revision: the last approved one (0 = none approved yet)
    effective: str  # the day it became effective, from the evidence that counts ("" = none)
    approved_by: tuple[str, ...]  # who approved the effective revision
    next_review: str
    status: str
    path: str
    evidence: tuple[str, ...] = ()  # per approver: how strong the evidence is ("signed", "forge review", ...)
    pending: str = ""  # a newer revision (or uncommitted change) waiting for approval: never the effective text
    commit: str = ""  # the commit of the effective revision
    pending_said: Message | None = field(default=None, compare=False)  # `pending` as a template, for people

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "type": self.type, "owner": self.owner,
                "revision": self.revision, "effective": self.effective, "approved_by": list(self.approved_by),
                "evidence": list(self.evidence), "pending": self.pending, "next_review": self.next_review,
                "status": self.status, "path": self.path, "commit": self.commit}


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
    """Judges the approval evidence of a manual's documents against the trusted policy (people, roles and
    qms.yaml as of the trusted base, DESIGN 0016)."""

    def __init__(self, manual: Manual, history: History,
                 signatures: Mapping[tuple[str, str], bool | None] | None = None, *,
                 policy: Policy | None = None, forge: Mapping[str, tuple[Approval, ...]] | None = None,
                 baseline_commits: frozenset[str] | None = None) -> None:
        self.manual = manual
        self.history = history
        # the commits a baseline pinned to a commit releases (its ancestry, read from Git by the caller)
        self.baseline_commits = baseline_commits or frozenset()
        self.policy = policy or of_manual(manual)
        self.config = self.policy.config
        # (payload, signature) -> verified against the trusted allowed signers? (None: nothing to verify against)
        self.signatures = signatures or {}
        self.forge = forge or {}  # commit -> approving reviews read from the forge's API for it
        people = self.policy.people
        self._people = {p.id: p for p in people}
        self._by_email = {e.lower(): p for p in people for e in p.emails}
        self._by_login = {(forge_name, login.lower()): p for p in people
                          for forge_name, login in (("github", p.github), ("gitlab", p.gitlab)) if login}
        self._documents_of: dict[str, list[Document]] | None = None
        self._verdicts: dict[tuple[str, str, str, str], list[Verdict]] = {}

    def person(self, who: Identity, source: str = "") -> Person | None:
        if who.email and who.email in self._by_email:
            return self._by_email[who.email]
        if who.login:
            forge_name = source if source in FORGES else "github"  # notes of the old import name no forge
            return self._by_login.get((forge_name, who.login.lower()))
        return None

    def approver_roles(self, document: Document) -> tuple[str, ...]:
        doc_type = self.config.document_types.get(document.type)
        return doc_type.approvers if doc_type else ()

    def evidence(self, document: Document, revision: Revision) -> list[Approval]:
        """Approvals recorded for the revision, reviews the forge reports for its commit, and the baseline
        release where the trusted qms.yaml declares one."""
        found = revision.approvals_for(document.id) + list(self.forge.get(revision.commit.sha, ()))
        baseline = self.config.baseline
        if baseline is not None and self._in_baseline(baseline.until, revision):
            allowed = set(self.approver_roles(document))
            for person_id in baseline.approved_by:
                person = self._people.get(person_id)
                if person is not None and not allowed & set(person.roles):
                    continue  # the baseline names who released the set; each document needs its own authority
                email = person.emails[0].lower() if person and person.emails else ""
                found.append(Approval(Identity(person.name if person else person_id, email), "released",
                                      revision.date, "baseline", revision.commit.sha, level="baseline"))
        return found

    def _in_baseline(self, until: str, revision: Revision) -> bool:
        """Judged by ancestry, never by date: a committer date is whatever the committer chose. A date in
        `until` releases nothing (the schema refuses it, with a hint)."""
        if until == "first-commit":
            return revision.commit.sha == self.history.first
        return revision.commit.sha in self.baseline_commits

    def evidence_problem(self, approval: Approval, carrier: Commit) -> tuple[Message | None, str]:
        """(problem, kind) when the evidence itself does not count under the trusted policy, else (None, "")."""
        rules = self.policy.approvals
        level = approval.level
        if level == "baseline":
            return None, ""
        if level == "signed":
            verified = self.signatures.get((approval.payload, approval.signature))
            if verified is False:
                return (say("the signature does not verify against the allowed signers of {where}",
                            where=self.policy.where), "forged")
            if verified is None and "signed" in rules.evidence:
                return (say("the signature cannot be verified: {where} has no allowed-signers file "
                            "(approvals.signers)", where=self.policy.where), "evidence")
            if verified is None:
                level = "asserted"  # nothing to verify against, and the manual does not ask for signatures
        if level not in rules.evidence:
            accepted = ", ".join(rules.evidence)
            if level == "asserted":
                what: Word | str = Word(N_("asserted, not verified: a trailer or unsigned note anyone can write"))
            else:
                what = Word(LEVEL_LABELS[level]) if level in LEVEL_LABELS else level
            counted = (say("it is {what}; this manual counts {accepted} evidence (approvals.evidence)", what=what,
                           accepted=accepted) if accepted
                       else say("it is {what}; this manual counts none evidence (approvals.evidence)", what=what))
            return counted, "evidence"
        if level == "asserted" and rules.declared:
            writers = ({carrier.committer.email} if approval.source == "trailer"
                       else set(self.history.note_writers.get(approval.commit, frozenset())))
            strangers = sorted(w for w in writers if w not in rules.merge_identities)
            if strangers or not writers:
                written = (say("it is asserted, and its commit was written by {writers}, not by a merge identity "
                               "(approvals.merge_identities)", writers=", ".join(strangers)) if strangers
                           else say("it is asserted, and its commit was written by nobody known, not by a merge "
                                    "identity (approvals.merge_identities)"))
                return written, "evidence"
        return None, ""

    def judge(self, document: Document, revision: Revision, approval: Approval) -> Verdict:
        """Whether one piece of approval evidence counts for this revision of this document (DESIGN 3, 0016)."""
        allowed = self.approver_roles(document)
        what = (say("{document_type} ({roles})", document_type=Article(document.type), roles=", ".join(allowed))
                if allowed else say("{document_type} (none named in qms.yaml)", document_type=Article(document.type)))
        verdict = self._judge(revision, approval, allowed, what)
        if verdict.kind == "authority" and approval.document == "*" and verdict.person is not None \
                and self._approves_another(verdict.person, document, revision):
            return Verdict.refused(approval, verdict.person, say("{person} approved other documents of this change",
                                                                 person=verdict.person.name), "other-documents")
        return verdict

    def _judge(self, revision: Revision, approval: Approval, allowed: tuple[str, ...], what: Message) -> Verdict:
        person = self.person(approval.who, approval.source)
        problem, kind = self.evidence_problem(approval, revision.commit)
        if problem is not None:
            return Verdict.refused(approval, person, problem, kind)
        if person is None:
            return Verdict.refused(approval, None, say("{who} is not a known person (no matching e-mail or login in "
                                                       "organisation/people.yaml of {where})", who=str(approval.who),
                                                       where=self.policy.where), "unknown")
        # A baseline is a declaration about the past, not a review of a Git change, so authorship cannot apply.
        if approval.level != "baseline" and {e.lower() for e in person.emails} & revision.writers:
            return Verdict.refused(approval, person, say("{person} is an author or committer of the change",
                                                         person=person.name), "self")
        if not set(person.roles) & set(allowed):
            return Verdict.refused(approval, person, say("{person} holds no role that may approve {what}",
                                                         person=person.name, what=what), "authority")
        return Verdict(approval, person, "")

    def _approves_another(self, person: Person, document: Document, revision: Revision) -> bool:
        """Whether the person may approve some other document this commit changes: one merge, several
        approvers, each for their own documents (no warning for the documents that are not theirs)."""
        if self._documents_of is None:
            self._documents_of = {}
            for doc in self.manual.documents:
                file = self.history.of(doc.origin.path)
                for rev in file.revisions if file else ():
                    self._documents_of.setdefault(rev.commit.sha, []).append(doc)
        return any(other.id != document.id and set(person.roles) & set(self.approver_roles(other))
                   for other in self._documents_of.get(revision.commit.sha, []))

    def verdicts(self, document: Document, revision: Revision) -> list[Verdict]:
        key = (document.id, document.type, revision.commit.sha, revision.path)
        found = self._verdicts.get(key)
        if found is None:  # judged once: rules, register and review dates all ask about the same revisions
            found = self._verdicts[key] = [self.judge(document, revision, a) for a in self.evidence(document, revision)]
        return list(found)

    def policy_verdicts(self, revision: Revision) -> list[Verdict]:
        """The approvals of a commit that changes the policy files, judged against the policy approvers."""
        allowed = self.policy.policy_approvers()
        what = (say("a change of the policy files ({roles})", roles=", ".join(allowed)) if allowed
                else say("a change of the policy files (no approvals.policy_approvers in qms.yaml)"))
        approvals = [*revision.commit.approvals, *self.forge.get(revision.commit.sha, ())]
        return [self._judge(revision, a, allowed, what) for a in approvals]

    def unknown_writers(self, revision: Revision) -> list[str]:
        """E-mails that wrote or committed the change and are neither a person nor an allowed bot."""
        if not self.policy.approvals.declared:
            return []
        bots = set(self.policy.approvals.bots)
        return sorted(e for e in revision.writers if e and e not in self._by_email and e not in bots)

    def released_by_baseline(self, document: Document, revision: Revision) -> bool:
        return any(v.counts and v.approval.level == "baseline" for v in self.verdicts(document, revision))

    def approvers(self, document: Document, revision: Revision) -> list[Person]:
        found: dict[str, Person] = {}
        for verdict in self.verdicts(document, revision):
            if verdict.counts and verdict.person is not None:
                found.setdefault(verdict.person.id, verdict.person)
        return list(found.values())

    def approved_at(self, document: Document, revision: Revision) -> str:
        """When the revision took effect: the earliest time evidence that counts gives (review submitted and
        merged, signature made, the merge identity's commit), never a date the author chose."""
        times = []
        for verdict in self.verdicts(document, revision):
            if verdict.counts:
                try:
                    times.append((moment(verdict.approval.date), verdict.approval.date))
                except ValueError:
                    continue  # an unreadable date in a note: the approval still counts, its time does not
        return min(times)[1] if times else revision.date

    def last_approved(self, document: Document, file: FileHistory) -> Revision | None:
        for revision in reversed(file.revisions):
            if self.approvers(document, revision):
                return revision
        return None

    def review_interval(self, document: Document) -> int:
        doc_type = self.config.document_types.get(document.type)
        return (document.review_every or (doc_type.review_every if doc_type else None)
                or self.config.review_every)

    def next_review(self, document: Document, file: FileHistory) -> date | None:
        approved = self.last_approved(document, file)
        if approved is None:
            return None
        return add_months(day_of(self.approved_at(document, approved)), self.review_interval(document))

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
        counted = self.counted(document, approved) if approved else []
        review = self.next_review(document, file) if file else None
        waiting = self.pending(path, latest, approved)
        return RegisterRow(document.id, document.title, document.type, document.owner,
                           approved.number if approved else 0, self.effective_day(approved, counted),
                           tuple(v.person.name for v in counted if v.person is not None),
                           review.isoformat() if review else "", status, path,
                           tuple(v.label for v in counted), waiting.english() if waiting else "",
                           approved.commit.sha if approved else "", waiting)

    def counted(self, document: Document, revision: Revision) -> list[Verdict]:
        """The approvals that count for the revision, one per person."""
        found: dict[str, Verdict] = {}
        for verdict in self.verdicts(document, revision):
            if verdict.counts and verdict.person is not None:
                found.setdefault(verdict.person.id, verdict)
        return list(found.values())

    def pending(self, path: str, latest: Revision | None, approved: Revision | None) -> Message | None:
        parts: list[Message] = []
        if latest is not None and latest is not approved:
            parts.append(pending_revision(latest.number, latest.date, latest.commit.sha))
        elif latest is None and self.history.usable:
            parts.append(say("never committed"))
        if latest is not None and path in self.history.uncommitted:
            parts.append(say("uncommitted changes"))
        return pending_approval(parts)

    @staticmethod
    def effective_day(approved: Revision | None, counted: list[Verdict]) -> str:
        """A revision is effective from the earliest time the evidence that counts gives (review given and
        merged, signature made, the merge identity's commit), never from a date the author chose."""
        if approved is None:
            return ""
        times = []
        for verdict in counted:
            try:
                times.append((moment(verdict.approval.date), verdict.approval.date))
            except ValueError:
                continue  # an unreadable date in a note: the approval still counts, its time does not
        return (min(times)[1] if times else approved.date)[:10]

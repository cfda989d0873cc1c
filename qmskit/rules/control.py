"""Document control rules (ISO 9001 7.5.2, 7.5.3): approved changes, review cycles, no use of obsolete documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from qmskit.control.register import DUE_SOON_DAYS, DocumentControl, moment
from qmskit.control.translations import as_document, translated
from qmskit.diagnostics import Diagnostic, Location
from qmskit.messages import Count, Day, Join, Message, Value, say
from qmskit.model import Document, Origin
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

UNAPPROVED, SELF, AUTHORITY, OVERDUE, DUE_SOON, OBSOLETE, ID_CHANGED, STALE, FORGED = (
    rule(f"QMS-CTRL-00{n}") for n in range(1, 10)
)
POLICY_CHANGE, STRANGER, NOT_ACCEPTED, UNCHECKABLE, ASSERTED_ONLY = (rule(f"QMS-CTRL-0{n}") for n in range(20, 25))
SHALLOW, NO_GIT = rule("QMS-GIT-001"), rule("QMS-GIT-002")
BASELINE = rule("QMS-CTRL-010")
KIND_RULES = {"self": SELF, "forged": FORGED, "evidence": NOT_ACCEPTED}


def check_repository(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.available:
        yield NO_GIT.at(ctx.at(ctx.manual.config.origin),
                        say("revisions and approvals are not available: {reason}", reason=ctx.history.reason))
    elif ctx.history.shallow:
        yield SHALLOW.at(ctx.at(ctx.manual.config.origin), say("the repository is a shallow clone, so revision "
                                                               "numbers and approvals would be wrong; history-based "
                                                               "checks were skipped"))


def _control(ctx: Context) -> DocumentControl:
    return ctx.control or DocumentControl(ctx.manual, ctx.history)


def _active(ctx: Context) -> Iterator[Document]:
    yield from (d for d in ctx.manual.documents if d.status == "active")


def check_approvals(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.usable:
        return
    # a translation is approved like the document it translates, revision by revision of its own file
    translations = (as_document(d, t) for d, t in translated(ctx.manual) if d.status == "active")
    for document in (*_active(ctx), *translations):
        file = ctx.history.of(document.origin.path)
        latest = file.latest if file else None
        if latest is None:
            continue  # never committed: still a draft as far as Git knows
        control = _control(ctx)
        verdicts = control.verdicts(document, latest)
        where = ctx.at(document.origin, "id")
        commit = _commit(latest.commit.sha, latest.date)
        for verdict in verdicts:
            if verdict.problem and verdict.kind != "other-documents":
                yield KIND_RULES.get(verdict.kind, AUTHORITY).at(
                    where, say("approval of {document} revision {revision} ({commit}) by {approver} does not count: "
                               "{problem}", document=document.id, revision=latest.number, commit=commit,
                               approver=verdict.description(), problem=verdict.problem_message()))
        if not control.released_by_baseline(document, latest) and (strangers := control.unknown_writers(latest)):
            yield STRANGER.at(where, say("{document} revision {revision} ({commit}) was written or committed by "
                                         "{writers}, who is no person in organisation/people.yaml of {where} and no "
                                         "bot in approvals.bots", document=document.id, revision=latest.number,
                                         commit=commit, writers=", ".join(strangers), where=control.policy.where))
        if not any(v.counts for v in verdicts):
            effective = _control(ctx).last_approved(document, file) if file else None
            values: dict[str, Value] = {"document": document.id, "revision": latest.number, "commit": commit,
                                        "subject": latest.commit.subject}
            yield UNAPPROVED.at(where, say("{document} revision {revision} ({commit}, \"{subject}\") has no valid "
                                           "approval; revision {effective} is the last approved one",
                                           effective=effective.number, **values) if effective else
                                say("{document} revision {revision} ({commit}, \"{subject}\") has no valid approval",
                                    **values))


def _commit(sha: str, iso: str) -> Message:
    """A commit as findings name it: its short hash and its day."""
    return say("{commit} of {day}", commit=sha[:10], day=Day(iso[:10]))


def check_reviews(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.usable:
        return
    for document in _active(ctx):
        file = ctx.history.of(document.origin.path)
        due = _control(ctx).next_review(document, file) if file else None
        if due is None:
            continue
        months = _control(ctx).review_interval(document)
        where = ctx.at(document.origin, "id")
        if due < ctx.today:
            yield OVERDUE.at(where, say("{document} was due for review on {day} (every {interval}); {late} overdue",
                                        document=document.id, day=Day(str(due)), interval=Count(months, "month"),
                                        late=Count((ctx.today - due).days, "day")))
        elif due <= ctx.today + timedelta(days=DUE_SOON_DAYS):
            yield DUE_SOON.at(where, say("{document} is due for review on {day}", document=document.id,
                                         day=Day(str(due))))


def check_obsolete_references(ctx: Context) -> Iterator[Diagnostic]:
    for document in _active(ctx):
        for index, ref in enumerate(document.references):
            target = ctx.document(ref)
            if target is not None and target.status == "obsolete":
                yield OBSOLETE.at(ctx.at(document.origin, "references", index),
                                  say("{document} refers to {reference} '{title}', which is obsolete",
                                      document=document.id, reference=ref, title=target.title))
    for process in ctx.manual.processes:
        for index, ref in enumerate(process.documents):
            target = ctx.document(ref)
            if target is not None and target.status == "obsolete":
                yield OBSOLETE.at(ctx.at(process.origin, "documents", index),
                                  say("process '{process}' uses {reference} '{title}', which is obsolete",
                                      process=process.id, reference=ref, title=target.title))


def check_identity(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.usable:
        return
    for document in ctx.manual.documents:
        where = ctx.at(document.origin, "id")
        first = ctx.first_ids.get(document.origin.path)
        if first and first != document.id:
            yield ID_CHANGED.at(where, say("this document was created as {first} and is now {document}", first=first,
                                           document=document.id))
        gone = ctx.deleted_ids.get(document.id)
        if gone and gone != document.origin.path:
            yield ID_CHANGED.at(where, say("{document} was the id of a deleted document ({path})",
                                           document=document.id, path=gone))


def check_dependencies(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.usable:
        return
    processes = {p.id: p for p in ctx.manual.processes}
    for document in _active(ctx):
        own = ctx.history.of(document.origin.path)
        approved = _control(ctx).last_approved(document, own) if own else None
        if approved is None:
            continue
        depends: list[tuple[Message | str, str]] = [
            (ref, d.origin.path) for ref in document.references if (d := ctx.document(ref))]
        depends += [(say("process '{process}'", process=p), processes[p].origin.path)
                    for p in document.processes if p in processes]
        approved_at = _control(ctx).approved_at(document, approved)
        for name, path in depends:
            other = ctx.history.of(path)
            if other and other.latest and _later(other.latest.date, approved_at):
                yield STALE.at(ctx.at(document.origin, "id"),
                               say("{name} changed in {commit} ({changed}), after {document} was last approved "
                                   "({approved})", name=name, commit=other.latest.commit.sha[:10],
                                   changed=_when(other.latest.date), document=document.id,
                                   approved=_when(approved_at)))


def _later(first: str, second: str) -> bool:
    try:
        return moment(first) > moment(second)
    except ValueError:
        return first > second


def check_trust(ctx: Context) -> Iterator[Diagnostic]:
    """The trust model itself (DESIGN 0016): unapproved policy changes, evidence that cannot be checked, and
    manuals that still count asserted evidence from anyone."""
    trust = ctx.trust
    if trust is None or not ctx.history.usable:
        return
    config = ctx.manual.config.origin
    rules = trust.policy.approvals
    if not rules.declared:
        yield ASSERTED_ONLY.at(ctx.at(config), say("{where} declares no `approvals:`, so Approved-by trailers and "
                                                   "notes count from anyone: approvals are asserted, not verified",
                                                   where=trust.policy.where))
    if "signed" in rules.evidence and trust.policy.signers is None:
        named: Message | str = (f"'{rules.signers}'" if rules.signers
                                else say("no file (approvals.signers is not set)"))
        yield UNCHECKABLE.at(ctx.at(config), say("signed approvals cannot be verified: {where} has {file} as its "
                                                 "allowed-signers file (a path from the repository root)",
                                                 where=trust.policy.where, file=named))
    for problem in trust.problems:
        yield UNCHECKABLE.at(ctx.at(config), problem)
    if trust.strangers is not None:
        change, emails = trust.strangers
        for path in change.paths:
            origin = config if path == config.path else Origin(path)
            yield STRANGER.at(ctx.at(origin), say("{path} changed in {commit} was written or committed by {writers}, "
                                                  "who is no person in organisation/people.yaml and no bot in "
                                                  "approvals.bots", path=path, commit=change.revision.commit.sha[:10],
                                                  writers=", ".join(emails)))
    for change in trust.unapproved:
        commit = change.revision.commit
        refused = [say("{approver}: {problem}", approver=v.description(), problem=v.problem_message())
                   for v in change.verdicts if v.problem]
        approvers: Message | str = ", ".join(trust.policy.policy_approvers()) or say("none named")
        for path in change.paths:
            origin = config if path == config.path else Origin(path)
            values: dict[str, Value] = {"path": path, "commit": commit.sha[:10], "subject": commit.subject,
                                        "approvers": approvers, "where": trust.policy.where}
            yield POLICY_CHANGE.at(ctx.at(origin), say(
                "{path} changed in {commit} (\"{subject}\") without approval by the policy approvers ({approvers}); "
                "{where} still applies (not counted: {refused})", refused=Join(tuple(refused), separator="; "),
                **values) if refused else say(
                "{path} changed in {commit} (\"{subject}\") without approval by the policy approvers ({approvers}); "
                "{where} still applies", **values))


def _when(iso: str) -> Message | Day:
    """A moment as findings name it: its day and, when known, the time of day."""
    if not iso[11:16].strip():
        return Day(iso[:10])
    return say("{day} {time}", day=Day(iso[:10]), time=iso[11:16])


def check_withdrawals(ctx: Context) -> Iterator[Diagnostic]:
    """Deleting a document that was active, or moving it to obsolete or draft, needs approval like any change."""
    if not ctx.history.usable:
        return
    for withdrawal in ctx.withdrawals:
        document, revision = withdrawal.document, withdrawal.revision
        if withdrawal.kind == "deleted":
            where = Location(withdrawal.path)  # the file is gone: point at its path as a whole
            what = say("the deletion of {document} ({commit})", document=document.id,
                       commit=_commit(revision.commit.sha, revision.date))
        else:
            where = ctx.at(document.origin, "status")
            what = say("the withdrawal of {document} to {status} in revision {revision} ({commit})",
                       document=document.id, status=withdrawal.kind, revision=revision.number,
                       commit=_commit(revision.commit.sha, revision.date))
        verdicts = _control(ctx).verdicts(document, revision)
        for verdict in verdicts:
            if verdict.problem and verdict.kind != "other-documents":
                yield KIND_RULES.get(verdict.kind, AUTHORITY).at(
                    where, say("approval of {change} by {approver} does not count: {problem}", change=what,
                               approver=verdict.description(), problem=verdict.problem_message()))
        if not any(v.counts for v in verdicts):
            yield UNAPPROVED.at(where, say("{change}, \"{subject}\", has no valid approval; a withdrawn document "
                                           "needs approval like any other change", change=what,
                                           subject=revision.commit.subject))


def check_baseline(ctx: Context) -> Iterator[Diagnostic]:
    """A baseline pinned to a commit must name a commit in the history of HEAD (a date is refused by the
    schema); otherwise it releases nothing, and says so."""
    baseline = (ctx.trust.policy.config if ctx.trust else ctx.manual.config).baseline  # the trusted one
    if baseline is None or not ctx.history.usable or ctx.baseline_commits is not None:
        return
    if len(baseline.until) not in (40, 64):
        return  # not a commit hash: the schema reports it
    yield BASELINE.at(ctx.at(ctx.manual.config.origin, "baseline", "until"),
                      say("baseline commit {commit} is not a commit in the history of HEAD, so the baseline "
                          "releases nothing", commit=baseline.until[:10]))

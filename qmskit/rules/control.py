"""Document control rules (ISO 9001 7.5.2, 7.5.3): approved changes, review cycles, no use of obsolete documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from qmskit.control.register import DUE_SOON_DAYS, DocumentControl
from qmskit.diagnostics import Diagnostic, Location
from qmskit.model import Document
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context
from qmskit.wording import quantity

UNAPPROVED, SELF, AUTHORITY, OVERDUE, DUE_SOON, OBSOLETE, ID_CHANGED, STALE, FORGED = (
    rule(f"QMS-CTRL-00{n}") for n in range(1, 10)
)
SHALLOW, NO_GIT = rule("QMS-GIT-001"), rule("QMS-GIT-002")
BASELINE = rule("QMS-CTRL-010")


def check_repository(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.available:
        yield NO_GIT.at(ctx.at(ctx.manual.config.origin),
                        f"revisions and approvals are not available: {ctx.history.reason}")
    elif ctx.history.shallow:
        yield SHALLOW.at(ctx.at(ctx.manual.config.origin), "the repository is a shallow clone, so revision numbers "
                                                            "and approvals would be wrong; history-based checks were "
                                                            "skipped")


def _control(ctx: Context) -> DocumentControl:
    return ctx.control or DocumentControl(ctx.manual, ctx.history)


def _active(ctx: Context) -> Iterator[Document]:
    yield from (d for d in ctx.manual.documents if d.status == "active")


def check_approvals(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.usable:
        return
    for document in _active(ctx):
        file = ctx.history.of(document.origin.path)
        latest = file.latest if file else None
        if latest is None:
            continue  # never committed: still a draft as far as Git knows
        verdicts = _control(ctx).verdicts(document, latest)
        where = ctx.at(document.origin, "id")
        commit = f"{latest.commit.sha[:10]} of {latest.date[:10]}"
        for verdict in verdicts:
            if verdict.problem:
                kind = (SELF if "is an author" in verdict.problem else FORGED if "does not verify" in verdict.problem
                        else AUTHORITY)
                yield kind.at(where, f"approval of {document.id} revision {latest.number} ({commit}) does not "
                                     f"count: {verdict.problem}")
        if not any(v.counts for v in verdicts):
            effective = _control(ctx).last_approved(document, file) if file else None
            still = f"; revision {effective.number} is the last approved one" if effective else ""
            yield UNAPPROVED.at(where, f"{document.id} revision {latest.number} ({commit}, "
                                       f"\"{latest.commit.subject}\") has no valid approval{still}")


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
            yield OVERDUE.at(where, f"{document.id} was due for review on {due} (every {quantity(months, 'month')}); "
                                    f"{quantity((ctx.today - due).days, 'day')} overdue")
        elif due <= ctx.today + timedelta(days=DUE_SOON_DAYS):
            yield DUE_SOON.at(where, f"{document.id} is due for review on {due}")


def check_obsolete_references(ctx: Context) -> Iterator[Diagnostic]:
    for document in _active(ctx):
        for index, ref in enumerate(document.references):
            target = ctx.document(ref)
            if target is not None and target.status == "obsolete":
                yield OBSOLETE.at(ctx.at(document.origin, "references", index),
                                  f"{document.id} refers to {ref} '{target.title}', which is obsolete")
    for process in ctx.manual.processes:
        for index, ref in enumerate(process.documents):
            target = ctx.document(ref)
            if target is not None and target.status == "obsolete":
                yield OBSOLETE.at(ctx.at(process.origin, "documents", index),
                                  f"process '{process.id}' uses {ref} '{target.title}', which is obsolete")


def check_identity(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.usable:
        return
    for document in ctx.manual.documents:
        where = ctx.at(document.origin, "id")
        first = ctx.first_ids.get(document.origin.path)
        if first and first != document.id:
            yield ID_CHANGED.at(where, f"this document was created as {first} and is now {document.id}")
        gone = ctx.deleted_ids.get(document.id)
        if gone and gone != document.origin.path:
            yield ID_CHANGED.at(where, f"{document.id} was the id of a deleted document ({gone})")


def check_dependencies(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.history.usable:
        return
    processes = {p.id: p for p in ctx.manual.processes}
    for document in _active(ctx):
        own = ctx.history.of(document.origin.path)
        approved = _control(ctx).last_approved(document, own) if own else None
        if approved is None:
            continue
        depends = [(ref, d.origin.path) for ref in document.references if (d := ctx.document(ref))]
        depends += [(f"process '{p}'", processes[p].origin.path) for p in document.processes if p in processes]
        for name, path in depends:
            other = ctx.history.of(path)
            if other and other.latest and other.latest.date > approved.date:
                yield STALE.at(ctx.at(document.origin, "id"),
                               f"{name} changed in {other.latest.commit.sha[:10]} ({_when(other.latest.date)}), after "
                               f"{document.id} was last approved ({_when(approved.date)})")


def _when(iso: str) -> str:
    return f"{iso[:10]} {iso[11:16]}".strip()


def check_withdrawals(ctx: Context) -> Iterator[Diagnostic]:
    """Deleting a document that was active, or moving it to obsolete or draft, needs approval like any change."""
    if not ctx.history.usable:
        return
    for withdrawal in ctx.withdrawals:
        document, revision = withdrawal.document, withdrawal.revision
        if withdrawal.kind == "deleted":
            where = Location(withdrawal.path)  # the file is gone: point at its path as a whole
            what = f"the deletion of {document.id} ({revision.commit.sha[:10]} of {revision.date[:10]})"
        else:
            where = ctx.at(document.origin, "status")
            what = (f"the withdrawal of {document.id} to {withdrawal.kind} in revision {revision.number} "
                    f"({revision.commit.sha[:10]} of {revision.date[:10]})")
        verdicts = _control(ctx).verdicts(document, revision)
        for verdict in verdicts:
            if verdict.problem:
                kind = (SELF if "is an author" in verdict.problem else FORGED if "does not verify" in verdict.problem
                        else AUTHORITY)
                yield kind.at(where, f"approval of {what} does not count: {verdict.problem}")
        if not any(v.counts for v in verdicts):
            yield UNAPPROVED.at(where, f"{what}, \"{revision.commit.subject}\", has no valid approval; a withdrawn "
                                       "document needs approval like any other change")


def check_baseline(ctx: Context) -> Iterator[Diagnostic]:
    """A baseline pinned to a commit must name a commit in the history of HEAD (a date is refused by the
    schema); otherwise it releases nothing, and says so."""
    baseline = ctx.manual.config.baseline
    if baseline is None or not ctx.history.usable or ctx.baseline_commits is not None:
        return
    if len(baseline.until) not in (40, 64):
        return  # not a commit hash: the schema reports it
    yield BASELINE.at(ctx.at(ctx.manual.config.origin, "baseline", "until"),
                      f"baseline commit {baseline.until[:10]} is not a commit in the history of HEAD, so the "
                      "baseline releases nothing")

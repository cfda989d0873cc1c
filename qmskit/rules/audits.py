"""The audit programme (ISO 9001 9.2): every process audited within the cycle, every finding acted on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from qmskit.control.register import add_months
from qmskit.diagnostics import Diagnostic
from qmskit.messages import Count, Day, say
from qmskit.records.meaning import Meanings, day_of
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

NOT_AUDITED, NO_ACTION = rule("QMS-AUD-001"), rule("QMS-AUD-002")


def check_programme(ctx: Context) -> Iterator[Diagnostic]:
    meaning = Meanings(ctx.manual)
    if not meaning.forms_for("audit"):
        return  # no audit form: coverage rules report the missing audit records (9.2.2)
    audits = meaning.records("audit")
    since = add_months(ctx.today, -ctx.manual.config.audit_cycle_months)
    last: dict[str, str] = {}
    for audit in audits:
        audited, day = str(meaning.value(audit, "process") or ""), meaning.event_day(audit)
        if day is not None:
            # an audit of a process covers its sub-processes; one of a sub-process does not cover the parent
            for process_id in ctx.subtree.get(audited, (audited,)):
                last[process_id] = max(last.get(process_id, ""), day.isoformat())
    for process in ctx.manual.processes:
        if process.id in last:
            if last[process.id] < since.isoformat():
                yield NOT_AUDITED.at(ctx.at(process.origin, "id"),
                                     say("process '{process}' was last audited on {day}, more than {months} ago",
                                         process=process.id, day=Day(str(last[process.id])),
                                         months=Count(ctx.manual.config.audit_cycle_months, "month")))
        elif (introduced := _introduced(ctx, process.origin.path)) is not None and introduced < since:
            yield NOT_AUDITED.at(ctx.at(process.origin, "id"),
                                 say("process '{process}' has never been audited since it was introduced on {day}",
                                     process=process.id, day=Day(str(introduced))))
    for audit in audits:
        count, counted = meaning.number(audit, "nonconformities"), meaning.field(audit, "nonconformities")
        if counted and count and count > 0 and meaning.field(audit, "actions") \
                and not meaning.value(audit, "actions"):
            found = int(count)
            yield NO_ACTION.at(ctx.at(audit.origin, "values", counted),
                               say("{audit} found {found} but names no corrective action", audit=audit.id,
                                   found=Count(found, "nonconformity")))


def _introduced(ctx: Context, path: str) -> date | None:
    """When the process entered the manual (its first commit): a new process is not yet due for audit, and
    without history its age is unknown."""
    file = ctx.history.of(path) if ctx.history.usable else None
    return day_of(file.revisions[0].date) if file and file.revisions else None

"""The audit programme (ISO 9001 9.2): every process audited within the cycle, every finding acted on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from qmskit.analysis.measures import day_of
from qmskit.control.register import add_months
from qmskit.diagnostics import Diagnostic
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context
from qmskit.wording import quantity

NOT_AUDITED, NO_ACTION = rule("QMS-AUD-001"), rule("QMS-AUD-002")
AUDIT_FORM = "internal-audit"


def check_programme(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.form(AUDIT_FORM):
        return  # no audit form: coverage rules report the missing audit records (9.2.2)
    audits = [r for r in ctx.manual.records if r.form == AUDIT_FORM]
    since = add_months(ctx.today, -ctx.manual.config.audit_cycle_months)
    last: dict[str, str] = {}
    for audit in audits:
        audited, day = str(audit.values.get("process", "")), day_of(audit.values.get("date"))
        if day is not None:
            # an audit of a process covers its sub-processes; one of a sub-process does not cover the parent
            for process_id in ctx.subtree.get(audited, (audited,)):
                last[process_id] = max(last.get(process_id, ""), day.isoformat())
    for process in ctx.manual.processes:
        if process.id in last:
            if last[process.id] < since.isoformat():
                yield NOT_AUDITED.at(ctx.at(process.origin, "id"),
                                     f"process '{process.id}' was last audited on {last[process.id]}, more than "
                                     f"{quantity(ctx.manual.config.audit_cycle_months, 'month')} ago")
        elif (introduced := _introduced(ctx, process.origin.path)) is not None and introduced < since:
            yield NOT_AUDITED.at(ctx.at(process.origin, "id"),
                                 f"process '{process.id}' has never been audited since it was introduced on "
                                 f"{introduced}")
    for audit in audits:
        count = audit.values.get("nonconformities")
        if isinstance(count, int) and count > 0 and not audit.values.get("actions"):
            yield NO_ACTION.at(ctx.at(audit.origin, "values", "nonconformities"),
                               f"{audit.id} found {count} nonconformit{'y' if count == 1 else 'ies'} but names no "
                               "corrective action")


def _introduced(ctx: Context, path: str) -> date | None:
    """When the process entered the manual (its first commit): a new process is not yet due for audit, and
    without history its age is unknown."""
    file = ctx.history.of(path) if ctx.history.usable else None
    return day_of(file.revisions[0].date) if file and file.revisions else None

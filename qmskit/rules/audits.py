"""The audit programme (ISO 9001 9.2): every process audited within the cycle, every finding acted on."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit.analysis import day_of
from qmskit.control import add_months
from qmskit.diagnostics import Diagnostic
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

NOT_AUDITED, NO_ACTION = rule("QMS-AUD-001"), rule("QMS-AUD-002")
AUDIT_FORM = "internal-audit"


def check_programme(ctx: Context) -> Iterator[Diagnostic]:
    audits = [r for r in ctx.manual.records if r.form == AUDIT_FORM]
    if not ctx.form(AUDIT_FORM):
        return  # no audit form: coverage rules report the missing audit records (9.2.2)
    since = add_months(ctx.today, -ctx.manual.config.audit_cycle_months)
    last: dict[str, str] = {}
    for audit in audits:
        audited, day = str(audit.values.get("process", "")), day_of(audit.values.get("date"))
        if day is not None:
            # an audit of a process covers its sub-processes; one of a sub-process does not cover the parent
            for process_id in ctx.subtree.get(audited, (audited,)):
                last[process_id] = max(last.get(process_id, ""), day.isoformat())
    for process in ctx.manual.processes:
        if last.get(process.id, "") < since.isoformat():
            when = f"last on {last[process.id]}" if process.id in last else "never"
            yield NOT_AUDITED.at(ctx.at(process.origin, "id"),
                                 f"process '{process.id}' was not audited in the last "
                                 f"{ctx.manual.config.audit_cycle_months} months ({when})")
    for audit in audits:
        count = audit.values.get("nonconformities")
        if isinstance(count, int) and count > 0 and not audit.values.get("actions"):
            yield NO_ACTION.at(ctx.at(audit.origin, "values", "nonconformities"),
                               f"{audit.id} found {count} nonconformit{'y' if count == 1 else 'ies'} but names no "
                               "corrective action")

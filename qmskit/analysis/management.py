"""The management reports as data and Markdown: KPIs, customers, order flow, management review, to-do lists.
Pure: everything comes from the model, the history and an explicit period and day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from qmskit.analysis import measures
from qmskit.analysis.competence import EXPIRED, Competences, expiring, gaps, unread
from qmskit.analysis.customer_report import life_markdown
from qmskit.analysis.customers import customer_life, mentions
from qmskit.analysis.digests import assignee
from qmskit.analysis.measures import Period
from qmskit.analysis.processmap import ProcessMap
from qmskit.control.register import DocumentControl
from qmskit.escape import markdown_text as _md  # every manual value in these Markdown reports
from qmskit.model import Manual, Person, Record
from qmskit.records.forms import workflow
from qmskit.records.meaning import Meanings, Notice
from qmskit.tables import TableData
from qmskit.vcs.history import History
from qmskit.wording import quantity


def _fmt(value: float | None, unit: str = "") -> str:
    return "no data" if value is None else f"{value:g}{unit}"


def kpi_table(manual: Manual, span: Period) -> TableData:
    rows = [{"process": v.process, "kpi": v.kpi.id, "name": v.kpi.name, "value": v.value, "target": v.kpi.target,
             "status": v.status, "records": v.count, "trend": [(name, value) for name, value in v.trend],
             "trend_text": " → ".join(_fmt(value) for _, value in v.trend)}
            for v in measures.kpi_report(manual, span)]
    return TableData.of(f"KPIs, {span.name}", ("Process", "KPI", "Value", "Target", "Status", "Records",
                                                 "Trend (quarters)"), rows,
                        ("process", "name", "value", "target", "status", "records", "trend_text"))


def unbound_lines(unbound: tuple[Notice, ...] | list[Notice]) -> list[str]:
    """Warnings in Markdown, where a report could not find what it reads."""
    return [f"> **Warning:** {u.message}. {u.hint}" for u in unbound]


def _who(names: dict[str, str], customer: str) -> str:
    return f"{names.get(customer, customer)}, " if customer else ""


def customers_markdown(report: measures.CustomerReport, names: dict[str, str]) -> str:
    detractors = {record_id: (customer, score) for record_id, customer, score in report.detractors}
    lines = [f"## Customer experience, {report.period.name}", "", *unbound_lines(report.unbound),
             *([""] if report.unbound else []),
             f"- Net Promoter Score: **{_fmt(report.nps)}** from {report.responses} answers "
             f"(trend by quarter: {', '.join(f'{n} {_fmt(v)}' for n, v in report.nps_trend)})",
             f"- Average satisfaction: **{_fmt(report.satisfaction)}**",
             f"- Complaints: **{report.complaints}**, still open {report.complaints_open}, "
             f"average days to answer {_fmt(report.days_to_answer)}, to close {_fmt(report.days_to_close)}",
             f"- Development ideas: **{report.ideas}** ({report.customer_ideas} from customers), taken into "
             f"development {report.ideas_taken}",
             "- Negative feedback without follow-up: " + (", ".join(
                 f"{_md(r.id)} ({_md(_who(names, detractors[r.id][0]))}score {_md(detractors[r.id][1])})"
                 for r in report.without_follow_up) or "none"),
             f"- Customers who stopped ordering (nothing recorded in the last {report.churn_quarters} quarters): "
             + (", ".join(_md(names.get(c, c)) for c in report.churned) or "none"),
             "", "| Customer | NPS | Answers |", "|---|---|---|"]
    lines += [f"| {_md(names.get(c, c))} | {_fmt(v)} | {n} |" for c, v, n in report.per_customer]
    return "\n".join(lines) + "\n"


def customers_data(report: measures.CustomerReport) -> dict[str, Any]:
    return {"period": report.period.name, "responses": report.responses, "nps": report.nps,
            "satisfaction": report.satisfaction, "nps_trend": dict(report.nps_trend),
            "complaints": report.complaints, "complaints_open": report.complaints_open,
            "days_to_answer": report.days_to_answer, "days_to_close": report.days_to_close,
            "ideas": report.ideas, "customer_ideas": report.customer_ideas, "ideas_taken": report.ideas_taken,
            "without_follow_up": [r.id for r in report.without_follow_up], "churned": list(report.churned),
            "churn_quarters": report.churn_quarters,
            "per_customer": [{"customer": c, "nps": v, "answers": n} for c, v, n in report.per_customer],
            "warnings": [{"message": u.message, "hint": u.hint} for u in report.unbound]}


@dataclass(frozen=True, slots=True)
class FlowReport:
    chain: list[tuple[str, float, float]]  # planned critical path: process, start day, end day
    orders: list[measures.OrderFlow]
    bottlenecks: list[tuple[str, int]]
    complaints: list[tuple[str, int, float]]
    unbound: tuple[Notice, ...] = ()

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * sum(o.on_time for o in self.orders) / len(self.orders), 1) if self.orders else None


def flow_report(manual: Manual, span: Period | None = None) -> FlowReport:
    """The order flow; with a period, only the orders delivered in it (or due then, when not yet delivered)."""
    steps = ProcessMap(manual).value_chain()
    chain = [s.process.id for s in steps]
    meaning = Meanings(manual)
    orders = [o for o in measures.order_flows(manual, chain, meaning) if span is None or span.contains(_delivery(o))]
    return FlowReport([(s.process.id, s.start_day, s.end_day) for s in steps], orders,
                      measures.delay_by_process(orders), measures.internal_complaints(manual, meaning),
                      tuple(meaning.unbound("flow", "order-flow", "internal-complaint")))


def _delivery(order: measures.OrderFlow) -> date:
    last = order.steps[-1]
    return last.actual_finish or last.planned_finish


def flow_markdown(report: FlowReport) -> str:
    total = report.chain[-1][2] if report.chain else 0
    lines = ["## Order flow and delays", "", *unbound_lines(report.unbound), *([""] if report.unbound else []),
             f"Planned critical path ({quantity(float(total), 'day')}): " + " → ".join(f"{_md(p)} ({end - start:g} d)"
                                                                        for p, start, end in report.chain), "",
             f"On-time delivery: **{_fmt(report.on_time_percent, ' %')}** of {quantity(len(report.orders), 'order')}; "
             f"penalties {sum(o.penalty for o in report.orders):g}.", "",
             "| Order | Customer | Late at delivery (days) | Penalty | Delay added by |", "|---|---|---|---|---|"]
    for order in report.orders:
        causes = ", ".join(f"{_md(p)} +{d}" for p, d in order.added if d > 0) or "-"
        lines.append(f"| {_md(order.order)} | {_md(order.customer)} | {order.late_days} | {order.penalty:g} | "
                     f"{causes} |")
    lines += ["", "Delay added per process (the bottleneck first): "
              + ", ".join(f"{_md(p)} {d} d" for p, d in report.bottlenecks if d > 0), "",
              "Internal complaints per supplying process: "
              + ", ".join(f"{_md(p)} {n} ({quantity(days, 'day')} late)" for p, n, days in report.complaints)]
    return "\n".join(lines) + "\n"


def _without_warnings(section: str, keep_title: bool = False) -> str:
    """A report's section inside the review pack, whose own warnings are already at the top."""
    lines = [line for line in section.split("\n") if not line.startswith("> **Warning:**")]
    return "\n".join(lines if keep_title else lines[2:])


def _idea_source(meaning: Meanings, record: Any) -> str:
    return "customer" if measures.from_customer(meaning, record) else _md(meaning.value(record, "source") or "-")


def review_markdown(manual: Manual, history: History, span: Period, today: date,
                    control: DocumentControl | None = None, *, held: Record | None = None) -> str:
    """The management review pack: the inputs ISO 9001 9.3.2 lists, assembled from the manual's data. With `held`
    (the record of a review that took place on `today`), the pack of that review: earlier reviews are the ones
    before it, and its decisions are its record's."""
    names = {p.id: p.name for p in manual.parties}
    meaning = Meanings(manual)
    in_period = {r.id for r in manual.records if (d := meaning.event_day(r)) and span.contains(d)}

    def order(record: Record) -> tuple[date, str]:
        return meaning.event_day(record) or date.min, record.id

    earlier = sorted((r for r in meaning.records("management-review") if (d := meaning.event_day(r)) and d <= today
                      and (held is None or order(r) < order(held))), key=order)
    ncs = [*meaning.records("nonconformity"), *meaning.records("corrective-action")]
    # nothing reported after the day of the pack (a held review's pack is rebuilt later, from today's statuses)
    open_ncs = [r for r in ncs if meaning.is_open(r) and (meaning.event_day(r) or date.min) <= today]
    audits = [r for r in meaning.records("audit") if r.id in in_period]
    suppliers = [r for r in meaning.records("supplier-evaluation") if r.id in in_period]
    kpis = measures.kpi_report(manual, span)
    # `control` judged by the trusted policy (check.control_of); the work tree's own policy only without one
    register = (control or DocumentControl(manual, history)).register()
    missing = meaning.unbound("review", "customer-feedback", "complaint", "idea", "order-flow", "internal-complaint",
                              "nonconformity", "audit", "supplier-evaluation", "management-review", "sale",
                              "acquisition", "reputation")
    life = customer_life(manual, span)
    lines = [f"# Management review {span.name}", "", f"Prepared on {today} from the quality manual of "
             f"{_md(manual.config.organisation)}.", "", *unbound_lines(missing), *([""] if missing else []),
             "## a) Status of actions from previous reviews", ""]
    if earlier:
        last = earlier[-1]
        lines += [f"Last review {_md(meaning.event_day(last))} ({_md(last.id)}). Decisions:", "",
                  f"> {_md(meaning.value(last, 'decisions') or '')}", ""]
    else:
        lines += ["No earlier review recorded.", ""]
    lines += ["## b) Changes in external and internal issues", "",
              f"{sum(1 for r in register if r.effective and span.contains(measures.day_of(r.effective) or date.min))} "
              "documents changed in the period; risks and opportunities below.", "",
              "## c) Performance and effectiveness", "", "### Customer satisfaction and feedback", "",
              _without_warnings(customers_markdown(measures.customer_report(manual, span), names)),
              life_markdown(life, names, "####"),
              "### Quality objectives and process performance", "",
              "| Process | KPI | Value | Target | Status |", "|---|---|---|---|---|"]
    lines += [f"| {_md(v.process)} | {_md(v.kpi.name)} | {_fmt(v.value)} | {_md(v.kpi.target)} | {_md(v.status)} |"
              for v in kpis]
    lines += ["", "### Nonconformities and corrective actions", "",
              f"{sum(1 for r in ncs if r.id in in_period)} nonconformities reported in the period; {len(open_ncs)} "
              f"still open ({', '.join(f'{_md(r.id)} {_md(r.status)}' for r in open_ncs) or 'none'}).", "",
              "### Audit results", ""]
    lines += [f"- {_md(r.id)} {_md(meaning.value(r, 'process'))}: {_md(meaning.value(r, 'conclusion') or '-')} — "
              f"{_md(meaning.value(r, 'findings') or '-')}" for r in audits] or ["- No audits in the period."]
    lines += ["", "### Performance of external providers", ""]
    lines += [f"- {_md(names.get(str(s), str(s)))}: on time {_fmt(meaning.number(r, 'on-time'), ' %')}, quality "
              f"{_fmt(meaning.number(r, 'quality'))}, {_md(meaning.value(r, 'decision') or '-')}"
              for r in suppliers if (s := meaning.value(r, "supplier"))] or ["- No supplier evaluations."]
    lines += ["", _without_warnings(flow_markdown(flow_report(manual, span)), keep_title=True),
              "## d) Adequacy of resources", "",
              f"{quantity(len(list(gaps(Competences(manual, today)))), 'competence gap')}; "
              f"{quantity(len(expiring(Competences(manual, today), 90)), 'qualification')} expiring within 90 days.",
              "",
              "## e) Effectiveness of actions on risks and opportunities", ""]
    lines += [f"- {_md(r.id)} {_md(r.title)} ({_md(r.kind)}): {_md('; '.join(r.actions))}" for r in manual.risks]
    ideas = [r for r in meaning.records("idea") if r.id in in_period]
    lines += ["", "## f) Opportunities for improvement", ""]
    lines += [f"- {_md(r.id)} ({_idea_source(meaning, r)}): {_md(meaning.value(r, 'idea') or '-')} — "
              f"{_md(meaning.value(r, 'decision') or 'open')}" for r in ideas] or ["- None recorded."]
    minutes = meaning.forms_for("management-review")
    lines += ["", "## Decisions and actions", ""]
    lines += ([f"Recorded in the minutes {_md(held.id)}."] if held else
              ["*To be recorded in the management review minutes"
               + (f" (`qms record new {minutes[0].id}`).*" if minutes else ".*")])
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Todo:
    person: Person
    kind: str
    item: str
    detail: str
    due: str = ""
    overdue: bool = False


def todo(manual: Manual, history: History, today: date, revisions: dict[str, int],  # noqa: PLR0912 - one branch per kind of item
         control: DocumentControl | None = None) -> list[Todo]:
    """What each person owes: reviews, approvals, corrective actions, training, renewals, reading. Who may
    approve comes from `control` (judged by the trusted policy); the work tree's policy only without one."""
    items: list[Todo] = []
    control = control or DocumentControl(manual, history)
    register = control.register()
    documents = {d.id: d for d in manual.documents}
    soon = today + timedelta(days=30)
    flows = {f.id: fl for f in manual.forms if (fl := workflow(f))}
    forms = {f.id: f for f in manual.forms}
    due_fields = {f.id: str(f.workflow.get("due_field", "")) for f in manual.forms}
    meaning = Meanings(manual)
    competences = Competences(manual, today)
    expiring_cells = expiring(competences, manual.config.expiry_warning_days)
    for person in sorted(manual.people, key=lambda p: p.name):
        roles = set(person.roles)
        for row in register:
            document = documents[row.id]
            if document.owner in roles and row.next_review and row.next_review <= soon.isoformat():
                items.append(Todo(person, "review", row.id, f"review {row.title}", row.next_review,
                                  row.next_review < today.isoformat()))
            latest = file.latest if (file := history.of(document.origin.path)) and history.usable else None
            if (document.status == "active" and latest is not None and latest.number != row.revision
                    and roles & set(control.approver_roles(document))):
                items.append(Todo(person, "approve", row.id, f"approve revision {latest.number} of {row.title}"))
        for record in manual.records:
            flow = flows.get(record.form)
            # every open workflow record lands with the person it names to act (unassigned ones: digests.py)
            if flow and record.status != flow.final and assignee(forms[record.form], record) == person.id:
                day = meaning.day(record, "due") or measures.day_of(record.values.get(due_fields[record.form]))
                # (`due_field` is the workflow's own older way to name the due date)
                due = day.isoformat() if day else ""
                items.append(Todo(person, "action", record.id, str(meaning.value(record, "action") or record.status),
                                  due, record.status in flow.open_states and day is not None and day < today))
        for training in manual.training:
            if training.person == person.id and training.status == "planned":
                items.append(Todo(person, "training", training.id, f"{training.competence} ({training.provider})",
                                  training.planned, training.planned < today.isoformat()))
        for cell in competences.cells(person).values():
            if cell.status == EXPIRED and cell.required_level:
                items.append(Todo(person, "renew", cell.competence, "expired qualification", str(cell.until), True))
        for cell in expiring_cells:
            if cell.person.id == person.id:
                items.append(Todo(person, "renew", cell.competence, "qualification expires", str(cell.until)))
    items += public_feedback_owed(manual, meaning, today)
    for owed in unread(manual, revisions):
        items.append(Todo(owed.person, "read", owed.document.id, f"read revision {owed.revision} of "
                                                                 f"{owed.document.title} (qms ack)"))
    return items


def public_feedback_owed(manual: Manual, meaning: Meanings, today: date) -> list[Todo]:
    """Negative public feedback nobody has answered: with the person the record names to answer it, else with
    whoever holds the owner role of the form's first process (negative public feedback is where churn starts)."""
    people = {p.id: p for p in manual.people}
    forms = {f.id: f for f in manual.forms}
    owners = {p.id: p.owner for p in manual.processes}
    items = []
    for mention in mentions(meaning):
        if mention.sentiment != "negative" or mention.answered is not None or mention.day > today:
            continue
        form = forms[mention.form]
        role = owners.get(form.processes[0], "") if form.processes else ""
        who = [people[mention.responsible]] if mention.responsible in people else \
            sorted((p for p in manual.people if role and role in p.roles), key=lambda p: p.name)
        detail = f"answer negative public feedback on {mention.source}" + (f" ({mention.customer})"
                                                                           if mention.customer else "")
        items += [Todo(person, "answer", mention.record, detail, str(mention.day), True) for person in who]
    return items


def todo_markdown(items: list[Todo], today: date) -> str:
    lines: list[str] = []
    for person in sorted({i.person.id: i.person for i in items}.values(), key=lambda p: p.name):
        mine = [i for i in items if i.person.id == person.id]
        lines += [f"### {_md(person.name)}: {quantity(len(mine), 'open item')} on {today}", ""]
        for item in sorted(mine, key=lambda i: (not i.overdue, i.kind, i.due, i.item)):
            due = f" (due {_md(item.due)}{', OVERDUE' if item.overdue else ''})" if item.due else ""
            lines.append(f"- [ ] **{item.kind}** {_md(item.item)}: {_md(item.detail)}{due}")
        lines.append("")
    return "\n".join(lines) or f"Nothing owed on {today}.\n"

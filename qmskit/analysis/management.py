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
from qmskit.analysis.digests import assignee, due_text, kind_text
from qmskit.analysis.measures import Period
from qmskit.analysis.processmap import ProcessMap
from qmskit.control.register import DocumentControl
from qmskit.escape import markdown_text as _md  # every manual value in these Markdown reports
from qmskit.i18n import N_, _, days, format_currency, format_date, format_number, format_percent, ngettext
from qmskit.model import Manual, Person, Record
from qmskit.records.forms import workflow
from qmskit.records.meaning import Meanings, Notice, day_of
from qmskit.tables import TableData
from qmskit.vcs.history import History


def _fmt(value: float | None) -> str:
    return _("no data") if value is None else format_number(value)


def _money(amount: float, currency: str) -> str:
    """An amount in the manual's currency (qms.yaml `currency`, ISO 4217), in the language's form."""
    return format_currency(amount, currency)


def _pct(value: float | None) -> str:
    """A percentage the records hold as a number (87.5) in the language's form (87.5%, 87,5 %)."""
    return _("no data") if value is None else format_percent(value / 100, 0 if float(value).is_integer() else 1)


# A KPI's status as the reports read it (JSON keeps the English word: a stable value)
STATUS = {"met": N_("met"), "missed": N_("missed"), "no data": N_("no data"), "no source": N_("no source"),
          "no target": N_("no target")}


RISK_KINDS = {"risk": N_("risk"), "opportunity": N_("opportunity")}


def status_text(status: str) -> str:
    return _(STATUS[status]) if status in STATUS else status


def kpi_table(manual: Manual, span: Period) -> TableData:
    rows = [{"process": v.process, "kpi": v.kpi.id, "name": v.kpi.name, "value": v.value, "target": v.kpi.target,
             "status": v.status, "records": v.count, "trend": [(name, value) for name, value in v.trend],
             "trend_text": " → ".join(_fmt(value) for _quarter, value in v.trend), "value_text": _fmt(v.value),
             "status_text": status_text(v.status)}
            for v in measures.kpi_report(manual, span)]
    return TableData.of(_("KPIs, {period}").format(period=span.name), (
        N_("Process"), N_("KPI"), N_("Value"), N_("Target"), N_("Status"), N_("Records"), N_("Trend (quarters)")),
        rows, ("process", "name", "value_text", "target", "status_text", "records", "trend_text"))


def unbound_lines(unbound: tuple[Notice, ...] | list[Notice]) -> list[str]:
    """Warnings in Markdown, where a report could not find what it reads."""
    return [f"> {_warning()} {u.message}. {u.hint}" for u in unbound]


def _warning() -> str:
    return "**" + _("Warning:") + "**"


def _who(names: dict[str, str], customer: str) -> str:
    """The customer's name (escaped) and a comma before what follows; nothing without a customer."""
    return f"{_md(names.get(customer, customer))}, " if customer else ""


def customers_markdown(report: measures.CustomerReport, names: dict[str, str]) -> str:
    detractors = {record_id: (customer, score) for record_id, customer, score in report.detractors}
    trend = ", ".join(f"{n} {_fmt(v)}" for n, v in report.nps_trend)
    lines = [_("## Customer experience, {period}").format(period=report.period.name), "",
             *unbound_lines(report.unbound), *([""] if report.unbound else []),
             ngettext("- Net Promoter Score: **{nps}** from {count} answer (trend by quarter: {trend})",
                      "- Net Promoter Score: **{nps}** from {count} answers (trend by quarter: {trend})",
                      report.responses).format(nps=_fmt(report.nps), count=format_number(report.responses),
                                               trend=trend),
             _("- Average satisfaction: **{value}**").format(value=_fmt(report.satisfaction)),
             _("- Complaints: **{count}**, still open {open}, average days to answer {answer}, to close {close}")
             .format(count=format_number(report.complaints), open=format_number(report.complaints_open),
                 answer=_fmt(report.days_to_answer), close=_fmt(report.days_to_close)),
             _("- Development ideas: **{count}** ({customers} from customers), taken into development {taken}").format(
                 count=format_number(report.ideas), customers=format_number(report.customer_ideas),
                 taken=format_number(report.ideas_taken)),
             _("- Negative feedback without follow-up: {records}").format(records=", ".join(
                 _("{record} ({customer}score {score})").format(
                     record=_md(r.id), customer=_who(names, detractors[r.id][0]), score=_md(detractors[r.id][1]))
                 for r in report.without_follow_up) or _("none")),
             ngettext("- Customers who stopped ordering (nothing recorded in the last quarter): {customers}",
                      "- Customers who stopped ordering (nothing recorded in the last {count} quarters): {customers}",
                      report.churn_quarters).format(
                 count=format_number(report.churn_quarters),
                 customers=", ".join(_md(names.get(c, c)) for c in report.churned) or _("none")),
             "", "| {} | {} | {} |".format(_("Customer"), _("NPS"), _("Answers")), "|---|---|---|"]
    lines += [f"| {_md(names.get(c, c))} | {_fmt(v)} | {format_number(n)} |" for c, v, n in report.per_customer]
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
    currency: str = "EUR"  # of the penalties: the manual's (qms.yaml `currency`)

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
                      tuple(meaning.unbound("flow", "order-flow", "internal-complaint")), manual.config.currency)


def _delivery(order: measures.OrderFlow) -> date:
    last = order.steps[-1]
    return last.actual_finish or last.planned_finish


def flow_markdown(report: FlowReport) -> str:
    total = report.chain[-1][2] if report.chain else 0
    day_short = _("{n} d")  # Translators: a number of days, abbreviated
    lines = [_("## Order flow and delays"), "", *unbound_lines(report.unbound), *([""] if report.unbound else []),
             _("Planned critical path ({days}): {steps}").format(days=days(float(total)), steps=" → ".join(
                 f"{_md(p)} ({day_short.format(n=format_number(end - start))})" for p, start, end in report.chain)),
             "",
             ngettext("On-time delivery: **{share}** of {count} order; penalties {penalties}.",
                      "On-time delivery: **{share}** of {count} orders; penalties {penalties}.",
                      len(report.orders)).format(share=_pct(report.on_time_percent),
                                                 count=format_number(len(report.orders)),
                                                 penalties=_money(sum(o.penalty for o in report.orders),
                                                                  report.currency)),
             "", "| {} | {} | {} | {} | {} |".format(_("Order"), _("Customer"), _("Late at delivery (days)"),
                                                     _("Penalty"), _("Delay added by")), "|---|---|---|---|---|"]
    for order in report.orders:
        causes = ", ".join(f"{_md(p)} +{format_number(d)}" for p, d in order.added if d > 0) or "-"
        lines.append(f"| {_md(order.order)} | {_md(order.customer)} | {format_number(order.late_days)} | "
                     f"{_money(order.penalty, report.currency)} | {causes} |")
    lines += ["", _("Delay added per process (the bottleneck first): {processes}").format(processes=", ".join(
                  f"{_md(p)} {day_short.format(n=format_number(d))}" for p, d in report.bottlenecks if d > 0)), "",
              _("Internal complaints per supplying process: {processes}").format(processes=", ".join(
                  _("{process} {count} ({days} late)").format(process=_md(p), count=format_number(n), days=days(late))
                  for p, n, late in report.complaints))]
    return "\n".join(lines) + "\n"


def _without_warnings(section: str, keep_title: bool = False) -> str:
    """A report's section inside the review pack, whose own warnings are already at the top."""
    lines = [line for line in section.split("\n") if not line.startswith(f"> {_warning()}")]
    return "\n".join(lines if keep_title else lines[2:])


def _idea_source(meaning: Meanings, record: Any) -> str:
    return _("customer") if measures.from_customer(meaning, record) else _md(meaning.value(record, "source") or "-")


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
    lines = [_("# Management review {period}").format(period=span.name), "",
             _("Prepared on {day} from the quality manual of {organisation}.").format(
                 day=format_date(today), organisation=_md(manual.config.organisation)), "",
             *unbound_lines(missing), *([""] if missing else []),
             _("## a) Status of actions from previous reviews"), ""]
    if earlier:
        last = earlier[-1]
        last_day = meaning.event_day(last)
        lines += [_("Last review {day} ({record}). Decisions:").format(
                      day=format_date(last_day) if last_day else "-", record=_md(last.id)), "",
                  f"> {_md(meaning.value(last, 'decisions') or '')}", ""]
    else:
        lines += [_("No earlier review recorded."), ""]
    changed = sum(1 for r in register if r.effective and span.contains(day_of(r.effective) or date.min))
    in_period_ncs = sum(1 for r in ncs if r.id in in_period)
    lines += [_("## b) Changes in external and internal issues"), "",
              ngettext("{count} document changed in the period; risks and opportunities below.",
                       "{count} documents changed in the period; risks and opportunities below.",
                       changed).format(count=format_number(changed)), "",
              _("## c) Performance and effectiveness"), "", _("### Customer satisfaction and feedback"), "",
              _without_warnings(customers_markdown(measures.customer_report(manual, span), names)),
              life_markdown(life, names, "####"),
              _("### Quality objectives and process performance"), "",
              "| {} | {} | {} | {} | {} |".format(_("Process"), _("KPI"), _("Value"), _("Target"), _("Status")),
              "|---|---|---|---|---|"]
    lines += [f"| {_md(v.process)} | {_md(v.kpi.name)} | {_fmt(v.value)} | {_md(v.kpi.target)} | "
              f"{_md(status_text(v.status))} |" for v in kpis]
    lines += ["", _("### Nonconformities and corrective actions"), "",
              ngettext("{count} nonconformity reported in the period; {open} still open ({records}).",
                       "{count} nonconformities reported in the period; {open} still open ({records}).",
                       in_period_ncs).format(
                  count=format_number(in_period_ncs), open=format_number(len(open_ncs)),
                  records=", ".join(f"{_md(r.id)} {_md(r.status)}" for r in open_ncs) or _("none")), "",
              _("### Audit results"), ""]
    lines += [f"- {_md(r.id)} {_md(meaning.value(r, 'process'))}: {_md(meaning.value(r, 'conclusion') or '-')} — "
              f"{_md(meaning.value(r, 'findings') or '-')}" for r in audits] or [_("- No audits in the period.")]
    lines += ["", _("### Performance of external providers"), ""]
    lines += [_("- {supplier}: on time {on_time}, quality {quality}, {decision}").format(
                  supplier=_md(names.get(str(s), str(s))), on_time=_pct(meaning.number(r, "on-time")),
                  quality=_fmt(meaning.number(r, "quality")), decision=_md(meaning.value(r, "decision") or "-"))
              for r in suppliers if (s := meaning.value(r, "supplier"))] or [_("- No supplier evaluations.")]
    competence_gaps = len(list(gaps(Competences(manual, today))))
    expiring_soon = len(expiring(Competences(manual, today), 90))
    lines += ["", _without_warnings(flow_markdown(flow_report(manual, span)), keep_title=True),
              _("## d) Adequacy of resources"), "",
              ngettext("{count} competence gap", "{count} competence gaps", competence_gaps).format(
                  count=format_number(competence_gaps)) + "; " +
              ngettext("{count} qualification expiring within {days} days.",
                       "{count} qualifications expiring within {days} days.", expiring_soon).format(
                  count=format_number(expiring_soon), days=format_number(90)),
              "",
              _("## e) Effectiveness of actions on risks and opportunities"), ""]
    lines += [f"- {_md(r.id)} {_md(r.title)} ({_md(_(RISK_KINDS[r.kind]) if r.kind in RISK_KINDS else r.kind)}): "
              f"{_md('; '.join(r.actions))}" for r in manual.risks]
    ideas = [r for r in meaning.records("idea") if r.id in in_period]
    lines += ["", _("## f) Opportunities for improvement"), ""]
    lines += [f"- {_md(r.id)} ({_idea_source(meaning, r)}): {_md(meaning.value(r, 'idea') or '-')} — "
              f"{_md(meaning.value(r, 'decision') or _('open'))}" for r in ideas] or [_("- None recorded.")]
    minutes = meaning.forms_for("management-review")
    lines += ["", _("## Decisions and actions"), ""]
    lines += ([_("Recorded in the minutes {record}.").format(record=_md(held.id))] if held else
              [_("*To be recorded in the management review minutes (`qms record new {form}`).*").format(
                  form=minutes[0].id) if minutes else _("*To be recorded in the management review minutes.*")])
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
                items.append(Todo(person, "review", row.id, _("review {title}").format(title=row.title),
                                  row.next_review, row.next_review < today.isoformat()))
            latest = file.latest if (file := history.of(document.origin.path)) and history.usable else None
            if (document.status == "active" and latest is not None and latest.number != row.revision
                    and roles & set(control.approver_roles(document))):
                items.append(Todo(person, "approve", row.id, _("approve revision {revision} of {title}").format(
                    revision=latest.number, title=row.title)))
        for record in manual.records:
            flow = flows.get(record.form)
            # every open workflow record lands with the person it names to act (unassigned ones: digests.py)
            if flow and record.status != flow.final and assignee(forms[record.form], record) == person.id:
                day = meaning.day(record, "due") or day_of(record.values.get(due_fields[record.form]))
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
                items.append(Todo(person, "renew", cell.competence, _("expired qualification"), str(cell.until),
                                  True))
        for cell in expiring_cells:
            if cell.person.id == person.id:
                items.append(Todo(person, "renew", cell.competence, _("qualification expires"), str(cell.until)))
    items += public_feedback_owed(manual, meaning, today)
    for owed in unread(manual, revisions):
        items.append(Todo(owed.person, "read", owed.document.id, _("read revision {revision} of {title} (qms ack)")
                          .format(revision=owed.revision, title=owed.document.title)))
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
        detail = (_("answer negative public feedback on {source} ({customer})") if mention.customer else
                  _("answer negative public feedback on {source}")).format(source=mention.source,
                                                                          customer=mention.customer)
        items += [Todo(person, "answer", mention.record, detail, str(mention.day), True) for person in who]
    return items


def todo_markdown(items: list[Todo], today: date) -> str:
    lines: list[str] = []
    for person in sorted({i.person.id: i.person for i in items}.values(), key=lambda p: p.name):
        mine = [i for i in items if i.person.id == person.id]
        lines += [ngettext("### {name}: {count} open item on {day}", "### {name}: {count} open items on {day}",
                           len(mine)).format(name=_md(person.name), count=format_number(len(mine)),
                                             day=format_date(today)), ""]
        for item in sorted(mine, key=lambda i: (not i.overdue, i.kind, i.due, i.item)):
            lines.append(f"- [ ] **{kind_text(item.kind)}** {_md(item.item)}: {_md(item.detail)}"
                         f"{due_text(item.due, item.overdue, _md)}")
        lines.append("")
    return "\n".join(lines) or _("Nothing owed on {day}.").format(day=format_date(today)) + "\n"


"""`qms report kpi|customers|flow|review|chart` and `qms todo`: information for management decisions."""

from __future__ import annotations

import json
from datetime import date
from html import escape as escape_html
from pathlib import Path
from typing import Annotated

import markdown
import typer

from qmskit.analysis import charts, measures
from qmskit.analysis.customer_report import life_data, life_markdown, life_table
from qmskit.analysis.customers import GRAINS, customer_life
from qmskit.analysis.management import (
    Todo,
    customers_data,
    customers_markdown,
    flow_markdown,
    flow_report,
    kpi_table,
    review_markdown,
    todo,
    todo_markdown,
)
from qmskit.atomic import write_text
from qmskit.check import control_of
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    OutputOption,
    QmsTyper,
    TodayOption,
    acting_person,
    app,
    check_choice,
    check_output_file,
    complete_choices,
    emit,
    escape,
    parse_day,
    resolve_manual,
    speak,
    stderr,
    stdout,
)
from qmskit.cli.tables import show
from qmskit.control.register import current_revisions
from qmskit.errors import ConfigError
from qmskit.escape import sanitize_html
from qmskit.i18n import N_, _, current, format_number
from qmskit.loading.load import load_manual
from qmskit.model import Manual
from qmskit.outfolder import check_output_folder, mark_output_folder
from qmskit.records.meaning import Meanings, Notice
from qmskit.safepaths import check_id, inside
from qmskit.tables import TABLE_FORMATS, TableData
from qmskit.vcs import gitrepo

report_app = QmsTyper(help="Reports for management: KPIs, customers, order flow, management review, charts.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")

PeriodOption = Annotated[str | None, typer.Option("--period", help="2026, 2026-Q3, 2026-07, 2026-07-15 or a "
                                                                  "span 2026-01..2026-05. Default: the year of "
                                                                  "--today.")]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="text, json, csv or markdown.",
                                           autocompletion=complete_choices(TABLE_FORMATS))]


FIRST_YEAR, LAST_YEAR = 1000, 9000


def _warn(unbound: tuple[Notice, ...]) -> None:
    """A report without a form to read says so (on standard error, so machine output stays clean)."""
    console = stderr()
    for item in unbound:
        warning, hint = _("warning:"), _("hint:")
        console.print(f"{escape(warning)} {escape(item.message)}\n  {escape(hint)} {escape(item.hint)}")


def _setup(path: Path | None, manual_dir: Path | None, period: str | None,
           today: str | None) -> tuple[Path, Manual, measures.Period, date]:
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    day = manual.config.judged_day(parse_day(today) or date.today())
    try:
        span = measures.period(period or str(day.year))
    except ValueError as exc:
        raise ConfigError(str(exc), _("e.g. --period 2026-Q3")) from exc
    if not FIRST_YEAR <= span.start.year <= LAST_YEAR:  # reports look back and ahead: keep inside the calendar
        raise ConfigError(_("--period {period} is outside {first}-{last}").format(
            period=span.name, first=FIRST_YEAR, last=LAST_YEAR), _("e.g. --period 2026-Q3"))
    speak(manual, documents=True)
    return root, manual, span, day


@report_app.command("kpi")
def report_kpi(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    period: PeriodOption = None,
    output_format: FormatOption = "text",
    output: OutputOption = None,
    today: TodayOption = None,
) -> None:
    """Each KPI computed from records: value, target, status (met, missed, no data) and trend by quarter."""
    check_choice(output_format, TABLE_FORMATS, "format")
    _root, manual, span, _day = _setup(path, manual_dir, period, today)
    show(kpi_table(manual, span), output_format, output)


@report_app.command("customers")
def report_customers(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    period: PeriodOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                               help="text, markdown, json or csv (one row per customer).",
                                               autocompletion=complete_choices(TABLE_FORMATS))] = "text",
    cohorts: Annotated[str, typer.Option("--cohorts", help="Group customers by the year or quarter they were won.",
                                         autocompletion=complete_choices(GRAINS))] = "year",
    output: OutputOption = None,
    today: TodayOption = None,
) -> None:
    """Customer experience and the customer's whole life with the company: NPS and satisfaction with their trend,
    complaints, ideas, silent detractors; value per customer and its trend, share and margin, additional sales;
    retention by the period won and the customers lost with what preceded it; new customers by source,
    referrals and cost per new customer; public feedback and its trend."""
    check_choice(output_format, TABLE_FORMATS, "format")
    check_choice(cohorts, GRAINS, "cohorts")
    _root, manual, span, _day = _setup(path, manual_dir, period, today)
    report = measures.customer_report(manual, span)
    life = customer_life(manual, span, cohorts)
    _warn((*report.unbound, *life.notices))
    names = {p.id: p.name for p in manual.parties}
    if output_format == "json":
        data = customers_data(report)
        warnings = data.pop("warnings") + [{"message": u.message, "hint": u.hint} for u in life.notices]
        emit(json.dumps({**data, **life_data(life), "warnings": warnings}, indent=2, ensure_ascii=False) + "\n",
             output)
    elif output_format == "csv":
        show(life_table(life, names), "csv", output)
    else:
        emit(customers_markdown(report, names) + "\n" + life_markdown(life, names), output)


@report_app.command("flow")
def report_flow(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    period: PeriodOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                               help="text, markdown, csv or json.")] = "text",
    output: OutputOption = None,
    today: TodayOption = None,
) -> None:
    """Delays along the order chain for the orders delivered in the period: where each order's delay arose,
    lateness and penalty at delivery, the bottleneck process, the planned critical path, and internal complaints
    per supplying process."""
    check_choice(output_format, ("text", "markdown", "csv", "json"), "format")
    _root, manual, span, _day = _setup(path, manual_dir, period, today)
    report = flow_report(manual, span)
    _warn(report.unbound)
    if output_format == "json":
        data = {"warnings": [{"message": u.message, "hint": u.hint} for u in report.unbound],
                "critical_path": [{"process": p, "start": s, "end": e} for p, s, e in report.chain],
                "on_time_percent": report.on_time_percent, "currency": report.currency,
                "bottlenecks": dict(report.bottlenecks),
                "internal_complaints": [{"process": p, "count": n, "delay_days": d} for p, n, d in report.complaints],
                "orders": [{"order": o.order, "customer": o.customer, "late_days": o.late_days, "penalty": o.penalty,
                            "added": dict(o.added)} for o in report.orders]}
        emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    elif output_format == "csv":
        rows = [{"order": o.order, "customer": o.customer, "late": o.late_days, "penalty": o.penalty,
                 **dict(o.added)} for o in report.orders]
        steps = [p for p, _, _ in report.chain]
        show(TableData.of(_("Orders"), [N_("Order"), N_("Customer"), N_("Late days"), N_("Penalty"), *steps], rows,
                          ["order", "customer", "late", "penalty", *steps]), "csv", output)
    else:
        emit(flow_markdown(report), output)


@report_app.command("review")
def report_review(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    period: PeriodOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                               help="markdown or html.")] = "markdown",
    output: OutputOption = None,
    today: TodayOption = None,
) -> None:
    """The management review pack (ISO 9001 9.3.2 inputs) as one Markdown or HTML document."""
    check_choice(output_format, ("markdown", "html"), "format")
    root, manual, span, day = _setup(path, manual_dir, period, today)
    history = gitrepo.read_history(root)
    text = review_markdown(manual, history, span, day, control_of(root, manual, history))
    if output_format == "html":
        body = sanitize_html(markdown.markdown(text, extensions=["tables"]))  # the pack quotes manual values
        title = escape_html(_("Management review {period}").format(period=span.name))
        text = (f'<!doctype html><html lang="{current()}"><head><meta charset="utf-8"><title>{title}</title>'
                f"</head><body>{body}</body></html>\n")
    emit(text, output)


CHARTS = ("nps", "kpi", "complaints", "delay")


@report_app.command("chart")
def report_chart(
    which: Annotated[str, typer.Argument(metavar="CHART", help=f"One of: {', '.join(CHARTS)}.",
                                         autocompletion=complete_choices(CHARTS))],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The SVG file to write.")] = Path("chart.svg"),
    kpi: Annotated[str | None, typer.Option("--kpi", help="PROCESS/KPI for `kpi`, e.g. delivery/on-time-delivery.")]
    = None,
    order: Annotated[str | None, typer.Option("--order", help="The order for `delay`.")] = None,
    period: PeriodOption = None,
    today: TodayOption = None,
) -> None:
    """A chart as SVG: NPS by quarter, a KPI's trend, internal complaints per process, an order's delays."""
    check_choice(which, CHARTS, "chart")
    _root, manual, span, _day = _setup(path, manual_dir, period, today)
    if which == "nps":
        report = measures.customer_report(manual, span)
        svg = charts.line_chart(_("Net Promoter Score by quarter, {period}").format(period=span.name),
                                list(report.nps_trend))
    elif which == "kpi":
        process_id, _slash, kpi_id = (kpi or "").partition("/")
        found = next((v for v in measures.kpi_report(manual, span) if v.process == process_id and v.kpi.id == kpi_id),
                     None)
        if found is None:
            raise ConfigError(_("no KPI '{kpi}'").format(kpi=kpi),
                              _("Name it PROCESS/KPI, e.g. delivery/on-time-delivery."))
        target = measures.parse_target(found.kpi.target)
        svg = charts.line_chart(_("{kpi} by quarter").format(kpi=found.kpi.name), list(found.trend),
                                target.value if target else None)
    elif which == "complaints":
        counts = [(p, float(n)) for p, n, _ in measures.internal_complaints(manual)]
        svg = charts.bar_chart(_("Internal complaints per supplying process"), counts, counts=True)
    else:
        flows = {o.order: o for o in flow_report(manual, None if order else span).orders}
        if order and order not in flows:
            raise ConfigError(_("no order '{order}' with step records").format(order=order),
                              _("Orders: {orders}.").format(orders=", ".join(sorted(flows)[:12]) or _("none recorded")))
        chosen = flows[order] if order else max(flows.values(), key=lambda o: o.late_days, default=None)
        if chosen is None:
            raise ConfigError(_("no order with step records in {period}").format(period=span.name),
                              _("Choose another --period, or record the steps of orders in a form that declares "
                                "`purpose: order-flow` (see docs/forms.md)."))
        svg = charts.waterfall(_("Days of delay per step, order {order}").format(order=chosen.order),
                               [(p, float(d)) for p, d in chosen.added])
    write_text(check_output_file(output), svg)


@app.command("todo")
def todo_command(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person.")] = None,
    me: Annotated[bool, typer.Option("--me", help="Only me (the git user).")] = False,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, markdown, json, or with "
                                                                      "--all-people markdown or html.")] = "text",
    output: OutputOption = None,
    all_people: Annotated[bool, typer.Option("--all-people", help="One digest per person into the folder given "
                                                                  "by -o, plus the items nobody is assigned "
                                                                  "to.")] = False,
    today: TodayOption = None,
) -> None:
    """What each person owes: document reviews, approvals, corrective actions, training, renewals, reading,
    communication that is due. `--format markdown` is ready to send by e-mail or chat."""
    check_choice(output_format, ("text", "markdown", "json", "html"), "format")
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual, documents=True)
    history = gitrepo.read_history(root)
    day = manual.config.judged_day(parse_day(today) or date.today())
    revisions = current_revisions(manual, history)
    items = todo(manual, history, day, revisions, control_of(root, manual, history))
    _warn(tuple(Meanings(manual).unassigned("todo")))
    if all_people:
        _digests(root, manual, items, day, output, "html" if output_format == "html" else "markdown")
        return
    wanted = acting_person(root, manual, None) if me else person
    if wanted is not None:
        if wanted not in {p.id for p in manual.people}:
            raise ConfigError(_("no person '{person}'").format(person=wanted),
                              _("Use an id from organisation/people.yaml."))
        items = [i for i in items if i.person.id == wanted]
    if output_format == "json":
        emit(json.dumps([{"person": i.person.id, "kind": i.kind, "item": i.item, "detail": i.detail, "due": i.due,
                          "overdue": i.overdue} for i in items], indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit(todo_markdown(items, day), output)


def _digests(root: Path, manual: Manual, items: list[Todo], day: date, folder: Path | None, kind: str) -> None:
    """One file per person who owes something, and one of open items nobody is assigned to."""
    from qmskit.analysis import digests  # noqa: PLC0415

    if folder is None:
        raise ConfigError(_("--all-people writes one file per person"), _("Name the folder with -o DIR."))
    # one file per person id: the folder is guarded like a build's, and each name checked (ids come from a file)
    check_output_folder(folder, root, gitrepo.enclosing_work_tree(root), "--output")
    mark_output_folder(folder, "qms todo --all-people")
    lines: dict[str, list[digests.Line]] = {}
    for item in items:
        lines.setdefault(item.person.id, []).append(digests.Line(item.kind, item.item, item.detail, item.due,
                                                                 item.overdue))
    for person_id, more in digests.communication_lines(manual, day).items():
        lines.setdefault(person_id, []).extend(more)
    people = {p.id: p for p in manual.people}
    suffix = ".html" if kind == "html" else ".md"
    written = 0
    for person_id, mine in sorted(lines.items()):
        page = digests.html_page if kind == "html" else digests.markdown
        write_text(inside(folder, f"{check_id(person_id, 'person id')}{suffix}"), page(people[person_id], mine, day))
        written += 1
    open_items = digests.unassigned(manual)
    listing = (digests.unassigned_html(open_items, day) if kind == "html"
               else digests.unassigned_markdown(open_items, day))
    write_text(inside(folder, f"{digests.UNASSIGNED}{suffix}"), listing)
    stdout().print(escape(_("Wrote {count} digests and the unassigned list ({unassigned}) into {folder}").format(
        count=format_number(written), unassigned=format_number(len(open_items)), folder=folder)))

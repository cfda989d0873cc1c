"""The customer feedback summary page (ISO 9001 9.1.2): satisfaction, NPS with its trend, complaints and the
time to answer them, ideas from customers, detractors nobody called back. Everything is read through declared
meanings (`customer-feedback`, `complaint`, `idea`), the figures from `measures.customer_report`, the same as
`qms report customers`.

A page of its own, in a module of its own, so that the customer dashboard and ledger (issue 17) can grow it
without touching the other evidence pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from qmskit.analysis import charts, measures
from qmskit.model import Record
from qmskit.site.markup import cell, chart, dated, link, md, yamlstr

if TYPE_CHECKING:
    from qmskit.site.generate import SiteBuilder

PAGE = "registers/customer-feedback.md"
MOST_ROWS = 100  # detractors listed on the page; every one of them is in the records register


def complaints(site: SiteBuilder) -> list[Record]:
    """Customer complaints received this year, oldest first: the list behind the home page's tile."""
    year = measures.period(str(site.site.today.year))
    meaning = site.meaning
    return sorted((r for r in meaning.records("complaint") if (day := meaning.event_day(r)) and year.contains(day)),
                  key=lambda r: (meaning.event_day(r), r.id))


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def feedback_page(site: SiteBuilder) -> str:
    t, meaning = site.t, site.meaning
    year = measures.period(str(site.site.today.year))
    report = measures.customer_report(site.manual, year)
    names = site.party_names
    lines = [f"# {md(t['feedback'])}", "", md(t["feedback_intro"].format(year=year.name)), "",
             *site.notices(list(report.unbound)),
             f"| {md(t['figure'])} | {md(year.name)} |", "|---|---|",
             f"| {md(t['nps'])} | {cell(_number(report.nps))} ({md(t['answers'].format(count=report.responses))}) |",
             f"| {md(t['satisfaction'])} | {cell(_number(report.satisfaction))} |",
             f"| {md(t['customer_complaints'])} | {cell(report.complaints)} ({md(t['still_open'])}: "
             f"{cell(report.complaints_open)}) |",
             f"| {md(t['days_to_answer'])} | {cell(_number(report.days_to_answer))} |",
             f"| {md(t['days_to_close'])} | {cell(_number(report.days_to_close))} |",
             f"| {md(t['ideas'])} | {cell(report.ideas)} ({md(t['from_customers'])}: {cell(report.customer_ideas)}; "
             f"{md(t['ideas_taken'])}: {cell(report.ideas_taken)}) |", "",
             f"## {md(t['nps_trend'])} {{#trend}}", "",
             chart(charts.line_chart(f"{t['nps']}, {year.name}", list(report.nps_trend))),
             f"| {md(t['quarter'])} | {md(t['nps'])} |", "|---|---|",
             *(f"| {cell(name)} | {cell(_number(value))} |" for name, value in report.nps_trend), ""]
    if report.per_customer:
        lines += [f"| {md(t['customer'])} | {md(t['nps'])} | {md(t['answers_column'])} |", "|---|---|---|",
                  *(f"| {cell(names.get(c, c))} | {cell(_number(v))} | {cell(n)} |" for c, v, n in report.per_customer),
                  ""]
    received = complaints(site)
    lines += [f"## {md(t['customer_complaints'])} ({len(received)}) {{#complaints}}", ""]
    rows = []
    for record in received:
        day, answered = meaning.event_day(record), meaning.day(record, "answered")
        closed = meaning.closed_day(record)
        rows.append([site._record_link(record.id, PAGE), cell(names.get(c, c) if (c := _text(meaning.value(
            record, "customer"))) else ""), dated(day), dated(answered),
            cell((answered - day).days if answered and day else ""), cell(record.status),
            dated(closed)])
    lines += _table([t["id"], t["customer"], t["received"], t["answered"], t["days_to_answer"], t["status"],
                     t["closed"]], rows, t["none"])
    ideas = [r for r in meaning.records("idea") if (day := meaning.event_day(r)) and year.contains(day)
             and measures.from_customer(meaning, r)]
    lines += [f"## {md(t['customer_ideas'])} ({len(ideas)}) {{#ideas}}", ""]
    lines += _table([t["id"], t["customer"], t["idea"], t["decision"]],
                    [[site._record_link(r.id, PAGE), cell(names.get(c, c) if (c := _text(meaning.value(r, "customer")))
                                                          else ""),
                      cell(_text(meaning.value(r, "idea"))), cell(_text(meaning.value(r, "decision")))]
                     for r in sorted(ideas, key=lambda r: r.id)], t["none"])
    quiet = sorted(report.without_follow_up, key=lambda r: (meaning.event_day(r) or date.min, r.id), reverse=True)
    lines += [f"## {md(t['without_follow_up'])} ({len(quiet)}) {{#detractors}}", ""]
    if len(quiet) > MOST_ROWS:  # a survey tool's export can bring thousands: the latest, and where the rest are
        lines += [md(t["latest_of"].format(shown=MOST_ROWS, count=len(quiet))) + " "
                  + link(t["records"], "../records/index.md"), ""]
    lines += _table([t["id"], t["customer"], t["score"]],
                    [[site._record_link(r.id, PAGE), cell(names.get(c, c) if (c := _text(meaning.value(r, "customer")))
                                                          else ""), cell(_text(meaning.value(r, "score")))]
                     for r in quiet[:MOST_ROWS]], t["none"])
    return "---\ntitle: " + str(yamlstr(t["feedback"])) + "\n---\n" + "\n".join(lines) + "\n"


def _table(columns: list[str], rows: Sequence[Sequence[str]], empty: str) -> list[str]:
    if not rows:
        return [md(empty), ""]
    return ["| " + " | ".join(md(c) for c in columns) + " |", "|" + "---|" * len(columns),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def _text(value: object) -> str:
    return "" if value is None else str(value)

"""Measuring (ISO 9001 9.1): periods, KPIs computed from records, customer experience, and how delays travel
along the order chain to the paying customer. Pure; `today` and periods are always explicit."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qmskit.model import Form, Kpi, Manual, Record
from qmskit.records.meaning import CUSTOMER_SOURCE, LATE_PROBLEM, TAKEN_DECISIONS, Meanings, Notice, day_of, event_day

# --- periods --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    name: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period(text: str) -> Period:
    """2026 (a year), 2026-Q3 (a quarter), 2026-07 (a month), 2026-07-15 (a day), or a span of them,
    2026-01..2026-05 or 2025-06-13..2026-06-12 (a review looks back over the time since the last one, which need
    not be a calendar period)."""
    first, dots, last = text.partition("..")
    if dots:
        start, end = _single_period(first.strip()), _single_period(last.strip())
        if end.end < start.start:
            raise ValueError(f"'{text}' ends before it starts: write the earlier period first")
        return Period(start.start, end.end, text)
    return _single_period(text)


def _single_period(text: str) -> Period:
    if match := re.fullmatch(r"(\d{4})", text):
        year = int(match[1])
        return Period(date(year, 1, 1), date(year, 12, 31), text)
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(match[1]), int(match[2])
        start = date(year, 3 * quarter - 2, 1)
        return Period(start, _month_end(year, 3 * quarter), text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(text)
            return Period(day, day, text)
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(date(year, month, 1), _month_end(year, month), text)
    raise ValueError(f"'{text}' is not a period: write 2026, 2026-Q3, 2026-07, 2026-07-15 or a span "
                     "2026-01..2026-05")


def _month_end(year: int, month: int) -> date:
    return date.fromordinal(date(year + month // 12, month % 12 + 1, 1).toordinal() - 1)


def quarter_of(day: date) -> Period:
    return period(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")


def previous_quarters(last: Period, count: int) -> list[Period]:
    """`count` quarters ending with the one that holds `last.end`, oldest first."""
    quarters, current = [], quarter_of(last.end)
    for _ in range(count):
        quarters.append(current)
        current = quarter_of(date.fromordinal(current.start.toordinal() - 1))
    return quarters[::-1]


# --- targets and KPIs -------------------------------------------------------------------------------------------

_TARGET = re.compile(r"^\s*(>=|<=|>|<|=|≥|≤)?\s*(-?\d+(?:[.,]\d+)?)\s*(%)?\s*$")


@dataclass(frozen=True, slots=True)
class Target:
    op: str
    value: float

    def met(self, actual: float) -> bool:
        return {">=": actual >= self.value, "<=": actual <= self.value, ">": actual > self.value,
                "<": actual < self.value, "=": math.isclose(actual, self.value)}[self.op]


def parse_target(text: str) -> Target | None:
    """">= 95 %", "<= 1.0 %", ">= 40", "0" (zero wanted), "100 %"."""
    match = _TARGET.match(text)
    if match is None:
        return None
    op = {"≥": ">=", "≤": "<="}.get(match[1] or "", match[1] or "")
    value = float(match[2].replace(",", "."))
    if not op:
        op = "<=" if value == 0 else ">="  # "0" nonconformities, "100 %" of audits: at most / at least
    return Target(op, value)


def matches(record: Record, where: Mapping[str, Any]) -> bool:
    for name, wanted in where.items():
        actual = record.status if name == "status" else record.values.get(name)
        options = wanted if isinstance(wanted, list) else [wanted]
        if actual not in options:
            return False
    return True


def record_day(record: Record, date_field: str, form: Form | None = None) -> date | None:
    """The day a record counts on: the named date field, else the event date its form declares."""
    return day_of(record.values.get(date_field)) if date_field else event_day(record, form)


def compare(record: Record, rule: Mapping[str, Any]) -> bool | None:
    """A two-field comparison of a record (e.g. actual-finish <= planned-finish); None when a value is missing."""
    left, right = record.values.get(str(rule.get("left"))), record.values.get(str(rule.get("right")))
    if left is None or right is None:
        return None
    try:
        outcome = {"<=": left <= right, "<": left < right, ">=": left >= right, ">": left > right,
                   "=": left == right}[str(rule.get("op", "<="))]
    except (TypeError, KeyError):
        return None
    return bool(outcome)


def nps(scores: Iterable[int]) -> float | None:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6); None without answers."""
    values = list(scores)
    if not values:
        return None
    promoters = sum(1 for s in values if s >= 9)
    detractors = sum(1 for s in values if s <= 6)
    return round(100 * (promoters - detractors) / len(values), 1)


@dataclass(frozen=True, slots=True)
class KpiValue:
    process: str
    kpi: Kpi
    period: Period
    value: float | None
    count: int  # records (or hand-entered values) the value is computed from
    status: str  # met | missed | no data | no source
    trend: tuple[tuple[str, float | None], ...] = ()


def kpi_value(kpi: Kpi, records: Iterable[Record], span: Period, forms: Mapping[str, Form] | None = None
              ) -> tuple[float | None, int]:
    """A KPI's value over a period from its `source`: count, sum, average, percentile, ratio or nps; or, for a
    KPI entered by hand, from its dated `entered` values."""
    entered = kpi.spec.get("entered")
    if isinstance(entered, dict):
        return entered_value(entered, span)
    source = kpi.spec.get("source")
    if not isinstance(source, dict):
        return None, 0
    where: Mapping[str, Any] = source["where"] if isinstance(source.get("where"), dict) else {}
    date_field = str(source.get("date", ""))
    form = (forms or {}).get(str(source.get("form")))
    chosen = [r for r in records if r.form == source.get("form") and matches(r, where)
              and (day := record_day(r, date_field, form)) is not None and span.contains(day)]
    name = str(source.get("field", ""))
    numbers = [v for r in chosen if isinstance(v := r.values.get(name), int | float) and not isinstance(v, bool)]
    measure = str(source.get("measure", "count"))
    if measure == "ratio":
        condition: Mapping[str, Any] = source["condition"] if isinstance(source.get("condition"), dict) else {}
        judged = [c for r in chosen if (c := _condition(r, condition)) is not None]
        return (round(100 * sum(judged) / len(judged), 1) if judged else None), len(judged)
    if measure in ("count", "sum"):
        return (float(len(chosen)) if measure == "count" else float(sum(numbers))), len(chosen)
    calculations = {
        "average": lambda: round(sum(numbers) / len(numbers), 2) if numbers else None,
        "percentile": lambda: _percentile(numbers, float(source.get("percentile", 50))),
        "nps": lambda: nps(int(n) for n in numbers),
    }
    calculate = calculations.get(measure)
    return (calculate() if calculate else None), len(numbers)


def entered_value(entered: Mapping[str, Any], span: Period) -> tuple[float | None, int]:
    """A hand-entered KPI over a period: its entries dated in the period, averaged (default), summed, or the
    latest one (`measure: last`, for a figure that is itself cumulative)."""
    entries = entered.get("entries")
    dated = sorted((day, float(value)) for entry in (entries if isinstance(entries, list) else [])
                   if isinstance(entry, dict) and (day := day_of(str(entry.get("date", "")))) is not None
                   and span.contains(day) and isinstance(value := entry.get("value"), int | float)
                   and not isinstance(value, bool))
    if not dated:
        return None, 0
    numbers = [value for _, value in dated]
    measure = str(entered.get("measure", "average"))
    combined = {"sum": sum(numbers), "last": numbers[-1]}.get(measure, sum(numbers) / len(numbers))
    return round(combined, 2), len(numbers)


def _condition(record: Record, condition: Mapping[str, Any]) -> bool | None:
    if "left" in condition:
        return compare(record, condition)
    return matches(record, condition)


def _percentile(numbers: list[float], p: float) -> float | None:
    if not numbers:
        return None
    ordered = sorted(numbers)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 2)


def kpi_report(manual: Manual, span: Period, quarters: int = 4) -> list[KpiValue]:
    results = []
    forms = {f.id: f for f in manual.forms}
    for process in sorted(manual.processes, key=lambda p: p.id):
        for kpi in process.kpis:
            value, count = kpi_value(kpi, manual.records, span, forms)
            target = parse_target(kpi.target)
            if not isinstance(kpi.spec.get("source"), dict) and not isinstance(kpi.spec.get("entered"), dict):
                status = "no source"
            elif value is None:
                status = "no data"
            elif target is None:
                status = "no target"
            else:
                status = "met" if target.met(value) else "missed"
            trend = tuple((q.name, kpi_value(kpi, manual.records, q, forms)[0])
                          for q in previous_quarters(span, quarters))
            results.append(KpiValue(process.id, kpi, span, value, count, status, trend))
    return results


# --- customers ----------------------------------------------------------------------------------------------------

CHURN_QUARTERS = 2  # default window: a customer silent for this many quarters has stopped ordering


@dataclass(frozen=True, slots=True)
class CustomerReport:
    period: Period
    responses: int
    nps: float | None
    satisfaction: float | None
    nps_trend: tuple[tuple[str, float | None], ...]
    complaints: int
    complaints_open: int
    days_to_close: float | None  # average, of complaints closed in the period, from the day received
    ideas: int
    ideas_taken: int  # accepted or implemented
    without_follow_up: tuple[Record, ...]  # detractors nobody called back
    churned: tuple[str, ...]  # customers with records before the window but none in it
    per_customer: tuple[tuple[str, float | None, int], ...] = field(default=())
    customer_ideas: int = 0
    days_to_answer: float | None = None  # average, of complaints received in the period and answered
    churn_quarters: int = CHURN_QUARTERS
    unbound: tuple[Notice, ...] = ()
    detractors: tuple[tuple[str, str, int], ...] = ()  # (record id, customer, score) of every detractor answer


def customer_report(manual: Manual, span: Period, churn_quarters: int | None = None) -> CustomerReport:
    """Customer experience from the forms that declare it: feedback scores, complaints, ideas, churn."""
    meaning = Meanings(manual)

    def in_span(purpose: str) -> list[Record]:
        return [r for r in meaning.records(purpose) if (d := meaning.event_day(r)) is not None and span.contains(d)]

    every_score = [(r, day, int(v)) for r in meaning.records("customer-feedback")
                   if (day := meaning.event_day(r)) is not None and (v := meaning.number(r, "score")) is not None]
    feedback = in_span("customer-feedback")
    scored = [(r, score) for r, day, score in every_score if span.contains(day)]
    satisfaction = [v for r in feedback if (v := meaning.number(r, "satisfaction")) is not None]
    complaints = in_span("complaint")
    closed_days = [(closed - received).days for r in meaning.records("complaint")
                   if (closed := meaning.closed_day(r)) is not None and span.contains(closed)
                   and (received := meaning.event_day(r)) is not None]
    answer_days = [(answered - received).days for r in complaints
                   if (answered := meaning.day(r, "answered")) and (received := meaning.event_day(r))]
    ideas = in_span("idea")
    quiet = tuple(r for r, score in scored if score <= 6 and meaning.field(r, "follow-up")
                  and not meaning.value(r, "follow-up"))
    trend = tuple((q.name, nps(score for _, day, score in every_score if q.contains(day)))
                  for q in previous_quarters(span, 4))
    by_customer: dict[str, list[int]] = {}
    for record, score in scored:
        if customer := meaning.value(record, "customer"):
            by_customer.setdefault(str(customer), []).append(score)
    per_customer = tuple((c, nps(scores), len(scores)) for c, scores in sorted(by_customer.items()))
    window = churn_quarters or manual.config.churn_quarters or CHURN_QUARTERS
    return CustomerReport(
        span, len(scored), nps(s for _, s in scored),
        round(sum(satisfaction) / len(satisfaction), 2) if satisfaction else None,
        trend, len(complaints), sum(1 for r in complaints if meaning.is_open(r)),
        round(sum(closed_days) / len(closed_days), 1) if closed_days else None, len(ideas),
        sum(1 for r in ideas if meaning.value(r, "decision") in TAKEN_DECISIONS), quiet,
        churned(meaning, span, window), per_customer,
        sum(1 for r in ideas if from_customer(meaning, r)),
        round(sum(answer_days) / len(answer_days), 1) if answer_days else None, window,
        (*meaning.unbound("customers", "customer-feedback", "complaint", "idea"),
         *meaning.lacking("customers", "customer-feedback", "follow-up",
                          "detractors nobody called back cannot be found")),
        tuple((r.id, str(meaning.value(r, "customer") or ""), s) for r, s in scored if s <= 6))


def from_customer(meaning: Meanings, record: Record) -> bool:
    """An idea is the customer's when its source says so or it names a customer."""
    return meaning.value(record, "source") == CUSTOMER_SOURCE or bool(meaning.value(record, "customer"))


def churned(meaning: Meanings, span: Period, window_quarters: int = CHURN_QUARTERS) -> tuple[str, ...]:
    """Customers named by any record (orders, service jobs, feedback, complaints: every form that binds
    `customer`) before the last `window_quarters` quarters of the period, but by none within them."""
    recent = previous_quarters(span, window_quarters)
    days: dict[str, list[date]] = {}
    for record in meaning.binding("customer"):
        customer, day = meaning.value(record, "customer"), meaning.event_day(record)
        if isinstance(customer, str) and customer and day is not None and day <= span.end:
            days.setdefault(customer, []).append(day)
    lost = [c for c, seen in days.items() if any(d < recent[0].start for d in seen)
            and not any(recent[0].start <= d <= recent[-1].end for d in seen)]
    return tuple(sorted(lost))


# --- delays along the order chain -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Step:
    process: str
    planned_start: date
    planned_finish: date
    actual_start: date | None
    actual_finish: date | None

    @property
    def lateness(self) -> int | None:
        """Days the step finished after its planned finish (negative: early)."""
        return (self.actual_finish - self.planned_finish).days if self.actual_finish else None


@dataclass(frozen=True, slots=True)
class OrderFlow:
    order: str
    customer: str
    value: float | None
    steps: tuple[Step, ...]  # in chain order
    added: tuple[tuple[str, int], ...]  # (process, days of delay it added)
    late_days: int  # at delivery to the customer (0 = on time or early)
    penalty: float  # in the order's currency, from the customer's agreement

    @property
    def on_time(self) -> bool:
        return self.late_days <= 0


def order_flows(manual: Manual, chain: list[str], meaning: Meanings | None = None) -> list[OrderFlow]:
    """Per order: each step's lateness, the delay each step added, lateness at delivery and the penalty. Reads
    every form that declares `purpose: order-flow`."""
    meaning = meaning or Meanings(manual)
    by_order: dict[str, list[Record]] = {}
    for record in meaning.records("order-flow"):
        order = meaning.value(record, "order")
        if isinstance(order, str | int) and not isinstance(order, bool):
            by_order.setdefault(str(order), []).append(record)
    agreements = {p.id: p for p in manual.parties}
    flows = []
    for order, records in sorted(by_order.items()):
        steps = []
        for record in sorted(records, key=lambda r: chain.index(s) if (s := meaning.value(r, "step")) in chain
                             else len(chain)):
            planned_start, planned_finish = meaning.day(record, "planned-start"), meaning.day(record,
                                                                                              "planned-finish")
            if planned_finish:
                actual = (meaning.day(record, "actual-start"), meaning.day(record, "actual-finish"))
                steps.append(Step(str(meaning.value(record, "step")), planned_start or planned_finish,
                                  planned_finish, *actual))
        if not steps:
            continue
        added, before = [], 0
        for step in steps:
            late = step.lateness if step.lateness is not None else before
            added.append((step.process, late - before))
            before = late
        customer = next((str(c) for r in records if (c := meaning.value(r, "customer"))), "")
        value = next((v for r in records if (v := meaning.number(r, "value")) is not None), None)
        late_days = max(before, 0)
        flows.append(OrderFlow(order, customer, value, tuple(steps), tuple(added), late_days,
                               penalty(agreements[customer].agreement if customer in agreements else {}, value,
                                       late_days)))
    return flows


def penalty(agreement: Mapping[str, Any], value: float | None, late_days: int) -> float:
    """Late-delivery penalty: a percentage of the order value per started week late, up to a cap."""
    rate = agreement.get("late_penalty_percent_per_week")
    if not isinstance(rate, int | float) or value is None or late_days <= 0:
        return 0.0
    weeks = math.ceil(late_days / 7)
    percent = weeks * float(rate)
    cap = agreement.get("late_penalty_cap_percent")
    if isinstance(cap, int | float):
        percent = min(percent, float(cap))
    return round(value * percent / 100, 2)


def delay_by_process(flows: Iterable[OrderFlow]) -> list[tuple[str, int]]:
    """Total delay each process added across orders, largest first (the bottleneck first)."""
    totals: dict[str, int] = {}
    for flow in flows:
        for process, days in flow.added:
            totals[process] = totals.get(process, 0) + max(days, 0)
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def internal_complaints(manual: Manual, meaning: Meanings | None = None) -> list[tuple[str, int, float]]:
    """Internal complaints per supplying process: how many, and the days of delay they report."""
    meaning = meaning or Meanings(manual)
    counts: dict[str, list[float]] = {}
    for record in meaning.records("internal-complaint"):
        supplier = str(meaning.value(record, "supplying-process") or "")
        delay = meaning.number(record, "delay")
        late = meaning.value(record, "problem") in (None, LATE_PROBLEM)
        counts.setdefault(supplier, []).append(delay if delay is not None and late else 0.0)
    return sorted(((p, len(d), sum(d)) for p, d in counts.items()), key=lambda x: (-x[1], x[0]))

"""The customer's whole life with the company (issue 17): value per customer from orders and invoices, retention
by the period a customer was won, churn and what preceded it, how customers were won and at what cost, and what
is said in public. Every figure comes from forms by declared meaning (records/meaning.py). Pure: the period and
the day are always explicit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from qmskit.analysis.measures import CHURN_QUARTERS, Period, churned, period, quarter_of
from qmskit.model import Manual, Record
from qmskit.records.meaning import REFERRAL_SOURCE, Meanings, Notice

GRAINS = ("year", "quarter")  # the periods customers are grouped by the day they were won
MOST_PERIODS = 8  # retention columns and curve points shown: the latest periods, however long the history
PROMOTER, DETRACTOR = 9, 6  # NPS: 9-10 promoters, 0-6 detractors


@dataclass(frozen=True, slots=True)
class Sale:
    """One order or invoice of a customer: a record of a form that binds customer, date and value."""

    record: str
    customer: str
    day: date
    value: float
    cost: float | None
    line: str


@dataclass(frozen=True, slots=True)
class Account:
    """One customer's figures for the period."""

    customer: str
    won: date | None  # the day of its acquisition record, else its first order
    first_order: date | None
    last_order: date | None
    tenure_years: float | None  # from the day it was won to its last order
    orders: int  # in the period
    value: float  # in the period
    previous_value: float  # in the period just before, as long
    by_quarter: tuple[tuple[str, int, float], ...]  # (quarter, orders, value) for each quarter of the period
    share: float | None  # % of the period's total value
    margin: float | None  # % of value left after cost, of the period's orders whose cost is recorded
    lines: tuple[str, ...]  # every product or service line bought up to the period's end
    additional: tuple[tuple[str, date, str], ...]  # (line, first day, record): lines new to an existing customer

    @property
    def trend(self) -> float | None:
        """Change of value against the period before, in %; None without value then."""
        return round(100 * (self.value - self.previous_value) / self.previous_value, 1) if self.previous_value \
            else None


@dataclass(frozen=True, slots=True)
class Cohort:
    name: str  # the period the customers were won in
    customers: tuple[str, ...]
    retained: tuple[tuple[str, int, float], ...]  # (later period, customers who ordered in it, % of the cohort)


@dataclass(frozen=True, slots=True)
class Signal:
    """Something a customer told us before leaving: a score, a complaint."""

    record: str
    day: date
    kind: str  # detractor score | passive score | promoter score | unanswered complaint | answered complaint
    detail: str

    @property
    def warning(self) -> bool:
        return self.kind in ("detractor score", "unanswered complaint")


@dataclass(frozen=True, slots=True)
class Lost:
    customer: str
    last_order: Sale | None
    last_feedback: Signal | None  # the last score it gave
    signals: tuple[Signal, ...]  # detractor scores and unanswered complaints, oldest first

    @property
    def first_warning(self) -> Signal | None:
        return self.signals[0] if self.signals else None


@dataclass(frozen=True, slots=True)
class Won:
    record: str
    customer: str
    day: date
    source: str
    referred_by: str  # "" unless another customer referred it


@dataclass(frozen=True, slots=True)
class Referrer:
    customer: str
    referred: tuple[str, ...]
    score: int | None  # its last score before its first referral
    promoter: bool


@dataclass(frozen=True, slots=True)
class Channel:
    source: str
    cost: float
    won: int

    @property
    def per_customer(self) -> float | None:
        return round(self.cost / self.won, 2) if self.won else None


@dataclass(frozen=True, slots=True)
class Mention:
    record: str
    day: date
    source: str
    sentiment: str
    customer: str
    answered: date | None
    form: str = ""
    responsible: str = ""  # who is to answer it, when the form names someone


@dataclass(frozen=True, slots=True)
class CustomerLife:
    period: Period
    grain: str
    accounts: tuple[Account, ...]  # by value in the period, largest first
    total_value: float
    previous_total: float
    cohorts: tuple[Cohort, ...]
    curve: tuple[tuple[str, float | None], ...]  # retained % one, two, ... periods after being won
    lost: tuple[Lost, ...]
    won: tuple[Won, ...]  # in the period
    won_by_quarter: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (quarter, ((source, count), ...))
    referrers: tuple[Referrer, ...]
    channels: tuple[Channel, ...]
    mentions: tuple[Mention, ...]  # in the period
    mention_trend: tuple[tuple[str, float | None], ...]  # net sentiment by quarter
    unanswered: tuple[Mention, ...]  # negative public feedback nobody has answered, up to the period's end
    notices: tuple[Notice, ...] = ()
    currency: str = "EUR"  # of the values and costs: the manual's (qms.yaml `currency`, ISO 4217)

    @property
    def trend(self) -> float | None:
        return round(100 * (self.total_value - self.previous_total) / self.previous_total, 1) \
            if self.previous_total else None

    @property
    def referral_share(self) -> float | None:
        """% of the customers won in the period whom another customer referred."""
        return round(100 * sum(1 for w in self.won if w.referred_by) / len(self.won), 1) if self.won else None

    @property
    def net_sentiment(self) -> float | None:
        return net_sentiment(m.sentiment for m in self.mentions)


def net_sentiment(sentiments: Iterable[str]) -> float | None:
    """% positive minus % negative public feedback (like NPS); None without any."""
    values = list(sentiments)
    if not values:
        return None
    return round(100 * (values.count("positive") - values.count("negative")) / len(values), 1)


def previous(span: Period) -> Period:
    """The period just before, as long: the year, quarter or month before."""
    before = date.fromordinal(span.start.toordinal() - 1)
    if len(span.name) == 4:
        return period(f"{before.year:04d}")
    if "-Q" in span.name:
        return quarter_of(before)
    return period(f"{before.year:04d}-{before.month:02d}")


def quarters_in(span: Period) -> list[Period]:
    found, day = [], span.start
    while day <= span.end:
        found.append(quarter_of(day))
        day = date.fromordinal(found[-1].end.toordinal() + 1)
    return found


def period_of(day: date, grain: str) -> Period:
    return period(f"{day.year:04d}") if grain == "year" else quarter_of(day)


def _next(current: Period) -> Period:
    return period_of(date.fromordinal(current.end.toordinal() + 1), "year" if len(current.name) == 4 else "quarter")


def sales(meaning: Meanings) -> list[Sale]:
    """Every order or invoice, in day order: the records of forms that declare `purpose: sale`; a manual without
    such records has its ledger from any form that binds customer, date and value (an order-flow form's steps
    count once per order). Never both: an invoice and the steps of its order would count the same money twice. Records
    without a customer, a day or a number are left out (qms validate reports them)."""
    records = meaning.records("sale") or meaning.binding("customer", "date", "value")
    found, orders = [], set()
    for record in sorted(records, key=lambda r: (meaning.day(r, "date") or date.max, r.id)):
        customer, day, value = meaning.value(record, "customer"), meaning.day(record, "date"), \
            meaning.number(record, "value")
        if not isinstance(customer, str) or not customer or day is None or value is None:
            continue
        order = meaning.value(record, "order")
        if order is not None:
            if (record.form, str(order)) in orders:
                continue
            orders.add((record.form, str(order)))
        line = meaning.value(record, "line")
        found.append(Sale(record.id, customer, day, value, meaning.number(record, "cost"),
                          str(line) if line not in (None, "") else ""))
    return sorted(found, key=lambda s: (s.day, s.record))


def acquisitions(meaning: Meanings) -> list[Won]:
    """How each customer was won, from acquisition records; a customer's earliest record counts."""
    found: dict[str, Won] = {}
    for record in sorted(meaning.records("acquisition"), key=lambda r: (meaning.event_day(r) or date.max, r.id)):
        customer, day = meaning.value(record, "customer"), meaning.event_day(record)
        if not isinstance(customer, str) or not customer or day is None or customer in found:
            continue
        referrer = meaning.value(record, "referred-by")
        source = str(meaning.value(record, "source") or "")
        by = str(referrer) if isinstance(referrer, str) and referrer and referrer != customer else ""
        found[customer] = Won(record.id, customer, day, REFERRAL_SOURCE if by and not source else source, by)
    return sorted(found.values(), key=lambda w: (w.day, w.customer))


def customer_life(manual: Manual, span: Period, grain: str = "year", churn_quarters: int | None = None
                  ) -> CustomerLife:
    meaning = Meanings(manual)
    every_sale = [s for s in sales(meaning) if s.day <= span.end]
    won = {w.customer: w for w in acquisitions(meaning) if w.day <= span.end}
    unshared = _accounts(every_sale, won, span)
    total = sum(a.value for a in unshared)
    before = previous(span)
    previous_total = sum(s.value for s in every_sale if before.contains(s.day))
    accounts = tuple(sorted(
        (_with_share(a, total) for a in unshared), key=lambda a: (-a.value, a.customer)))
    cohorts = _cohorts(every_sale, won, span, grain)
    window = churn_quarters or manual.config.churn_quarters or CHURN_QUARTERS
    signals = _signals(meaning, span)
    orders = _by_customer(every_sale)
    lost = tuple(_lost(c, orders.get(c, []), signals.get(c, [])) for c in churned(meaning, span, window))
    won_now = tuple(w for w in won.values() if span.contains(w.day))
    mentions_all = mentions(meaning)
    public = tuple(m for m in mentions_all if span.contains(m.day))
    return CustomerLife(
        span, grain, accounts, round(total, 2), round(previous_total, 2), cohorts,
        _curve(every_sale, won, span, grain), lost, won_now,
        tuple((q.name, _count_sources(w for w in won_now if q.contains(w.day))) for q in quarters_in(span)),
        _referrers(won_now, signals), _channels(meaning, won_now, span), public,
        tuple((q.name, net_sentiment(m.sentiment for m in mentions_all if q.contains(m.day)))
              for q in quarters_in(span)),
        tuple(m for m in mentions_all if m.day <= span.end and m.sentiment == "negative" and m.answered is None),
        (*(() if meaning.forms_for("sale") or any({"customer", "date", "value"} <= set(f.binds) for f in manual.forms)
           else meaning.unbound("customers", "sale")),
         *meaning.unbound("customers", "acquisition", "reputation"),
         *meaning.lacking("customers", "sale", "cost", "margin cannot be shown"),
         *meaning.lacking("customers", "sale", "line", "additional sales cannot be shown"),
         *meaning.lacking("customers", "reputation", "answered", "every negative public feedback counts as "
                                                                 "unanswered")),
        manual.config.currency)


def _accounts(every_sale: list[Sale], won: dict[str, Won], span: Period) -> list[Account]:
    before = previous(span)
    accounts = []
    for customer, mine in _by_customer(every_sale).items():
        now = [s for s in mine if span.contains(s.day)]
        first, last = mine[0].day, mine[-1].day
        start = won[customer].day if customer in won else first
        costed = [s for s in now if s.cost is not None]
        costed_value = sum(s.value for s in costed)
        first_of_line: dict[str, Sale] = {}
        for sale in mine:
            if sale.line:
                first_of_line.setdefault(sale.line, sale)
        additional = tuple((line, s.day, s.record) for line, s in first_of_line.items()
                           if s.day > first and span.contains(s.day))
        accounts.append(Account(
            customer, won[customer].day if customer in won else first, first, last,
            round((last - start).days / 365.25, 1) if last >= start else 0.0, len(now),
            round(sum(s.value for s in now), 2), round(sum(s.value for s in mine if before.contains(s.day)), 2),
            tuple((q.name, sum(1 for s in now if q.contains(s.day)), round(sum(s.value for s in now if q.contains(
                s.day)), 2)) for q in quarters_in(span)), None,
            round(100 * (costed_value - sum(s.cost or 0.0 for s in costed)) / costed_value, 1) if costed_value
            else None, tuple(sorted(first_of_line)), additional))
    return accounts


def _by_customer(every_sale: list[Sale]) -> dict[str, list[Sale]]:
    found: dict[str, list[Sale]] = {}
    for sale in every_sale:
        found.setdefault(sale.customer, []).append(sale)
    return found


def _with_share(account: Account, total: float) -> Account:
    return replace(account, share=round(100 * account.value / total, 1) if total else None)


def _coverage(every_sale: list[Sale], span: Period, grain: str) -> list[Period]:
    """The periods the ledger can judge: from the first recorded order to the period's end, the latest few."""
    if not every_sale:
        return []
    periods, current = [], period_of(every_sale[0].day, grain)
    while current.start <= span.end:
        periods.append(current)
        current = _next(current)
    return periods[-MOST_PERIODS:]


def _cohorts(every_sale: list[Sale], won: dict[str, Won], span: Period, grain: str) -> tuple[Cohort, ...]:
    """Customers by the period they were won in (their acquisition record, else their first order), and the
    share of each cohort still ordering in each later period the ledger covers (an order then or later)."""
    started = _won_days(every_sale, won)
    covered = _coverage(every_sale, span, grain)
    groups: dict[str, list[str]] = {}
    for customer, day in sorted(started.items(), key=lambda item: (item[1], item[0])):
        groups.setdefault(period_of(day, grain).name, []).append(customer)
    ordering = _ordering(every_sale)
    cohorts = []
    for name, members in sorted(groups.items()):
        later = [p for p in covered if p.start > period_of(started[members[0]], grain).end]
        retained = tuple((p.name, n, round(100 * n / len(members), 1)) for p in later
                         for n in [sum(1 for c in members if _stayed(ordering.get(c, []), p))])
        cohorts.append(Cohort(name, tuple(members), retained))
    return tuple(cohorts[-MOST_PERIODS:])


def _won_days(every_sale: list[Sale], won: dict[str, Won]) -> dict[str, date]:
    started = {w.customer: w.day for w in won.values()}
    for sale in every_sale:
        started.setdefault(sale.customer, sale.day)
    return started


def _stayed(days: list[date], later: Period) -> bool:
    """Still a customer in a period: it ordered in it or after it (a customer who orders once a year has not
    left in the quarters between)."""
    return any(d >= later.start for d in days)


def _ordering(every_sale: list[Sale]) -> dict[str, list[date]]:
    days: dict[str, list[date]] = {}
    for sale in every_sale:
        days.setdefault(sale.customer, []).append(sale.day)
    return days


def _curve(every_sale: list[Sale], won: dict[str, Won], span: Period, grain: str
           ) -> tuple[tuple[str, float | None], ...]:
    """Of the customers won, the share still ordering 1, 2, ... periods later (pooled over cohorts, counting
    only periods the ledger covers)."""
    covered = {p.name: p for p in _coverage(every_sale, span, grain)}
    ordering = _ordering(every_sale)
    points, started = [], _won_days(every_sale, won)
    for step in range(1, MOST_PERIODS + 1):
        members = retained = 0
        for customer, day in started.items():
            current = period_of(day, grain)
            for _ in range(step):
                current = _next(current)
            if current.name in covered:
                members += 1
                retained += _stayed(ordering.get(customer, []), current)
        points.append((f"{grain} {step}",
                       round(100 * retained / members, 1) if members else None))
    while points and points[-1][1] is None:
        points.pop()
    return tuple(points)


def _signals(meaning: Meanings, span: Period) -> dict[str, list[Signal]]:
    """What each customer told us up to the period's end, oldest first: scores, and complaints with whether they
    were answered by then. Read once for every customer (lost ones, referrers)."""
    found: dict[str, list[Signal]] = {}
    for record in meaning.records("customer-feedback"):
        customer, score, day = meaning.value(record, "customer"), meaning.number(record, "score"), \
            meaning.event_day(record)
        if isinstance(customer, str) and score is not None and day and day <= span.end:
            kind = "promoter" if score >= PROMOTER else "detractor" if score <= DETRACTOR else "passive"
            found.setdefault(customer, []).append(Signal(record.id, day, f"{kind} score", f"{score:g}"))
    for record in meaning.records("complaint"):
        customer, day = meaning.value(record, "customer"), meaning.event_day(record)
        if isinstance(customer, str) and day and day <= span.end:
            answered = meaning.day(record, "answered")
            kind = "answered complaint" if answered and answered <= span.end else "unanswered complaint"
            found.setdefault(customer, []).append(Signal(record.id, day, kind, str(answered or record.status)))
    for signals in found.values():
        signals.sort(key=lambda s: (s.day, s.record))
    return found


def _lost(customer: str, orders: list[Sale], signals: list[Signal]) -> Lost:
    """A churned customer's last order and what it told us before: scores, and complaints nobody answered."""
    scores = [s for s in signals if s.kind.endswith("score")]
    return Lost(customer, orders[-1] if orders else None, scores[-1] if scores else None,
                tuple(s for s in signals if s.warning))


def _count_sources(won: Iterable[Won]) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for item in won:
        counts[item.source or "-"] = counts.get(item.source or "-", 0) + 1
    return tuple(sorted(counts.items()))


def _referrers(won: tuple[Won, ...], signals: dict[str, list[Signal]]) -> tuple[Referrer, ...]:
    """Customers who referred new ones, with their last score before their first referral."""
    by: dict[str, list[Won]] = {}
    for item in won:
        if item.referred_by:
            by.setdefault(item.referred_by, []).append(item)
    found = []
    for customer, items in sorted(by.items()):
        first = min(w.day for w in items)
        scores = [s for s in signals.get(customer, []) if s.kind.endswith("score") and s.day <= first]
        score = int(float(scores[-1].detail)) if scores else None
        found.append(Referrer(customer, tuple(w.customer for w in items), score,
                              score is not None and score >= PROMOTER))
    return tuple(found)


def cost_period(meaning: Meanings, record: Record) -> Period | None:
    """The period an acquisition cost was spent in: its `period` (2026, 2026-Q3, 2026-07), else its date's
    month; None when it has neither (qms validate: QMS-CUST-002)."""
    text = meaning.value(record, "period")
    if isinstance(text, str | int) and not isinstance(text, bool) and str(text).strip():
        try:
            return period(str(text).strip())
        except ValueError:
            return None
    day = meaning.day(record, "date")
    return period(f"{day.year:04d}-{day.month:02d}") if day else None


def _channels(meaning: Meanings, won: tuple[Won, ...], span: Period) -> tuple[Channel, ...]:
    """Acquisition cost per channel spent within the period, and the customers that channel won in it."""
    costs: dict[str, float] = {}
    for record in meaning.records("acquisition-cost"):
        spent, cost = cost_period(meaning, record), meaning.number(record, "cost")
        if spent is not None and cost is not None and span.start <= spent.start and spent.end <= span.end:
            source = str(meaning.value(record, "source") or "-")
            costs[source] = costs.get(source, 0.0) + cost
    return tuple(Channel(s, round(c, 2), sum(1 for w in won if w.source == s)) for s, c in sorted(costs.items()))


def mentions(meaning: Meanings) -> list[Mention]:
    """Public feedback from every form that declares `purpose: reputation`, oldest first."""
    found = []
    for record in meaning.records("reputation"):
        day, sentiment = meaning.event_day(record), meaning.value(record, "sentiment")
        if day is None or not isinstance(sentiment, str):
            continue
        customer = meaning.value(record, "customer")
        responsible = meaning.value(record, "responsible")
        found.append(Mention(record.id, day, str(meaning.value(record, "source") or "-"), sentiment,
                             str(customer) if isinstance(customer, str) else "", meaning.day(record, "answered"),
                             record.form, responsible if isinstance(responsible, str) else ""))
    return sorted(found, key=lambda m: (m.day, m.record))

"""The customer's life with the company (analysis/customers.py) as Markdown, JSON-ready data and table rows: for
`qms report customers`, the management review pack and the site. Pure; every manual value is escaped here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from qmskit.analysis.customers import CustomerLife, Lost, Mention
from qmskit.escape import markdown_text as _md
from qmskit.i18n import N_, _, format_currency, format_date, format_number, format_percent, ngettext
from qmskit.tables import TableData


def _fmt(value: float | None, percent: bool = False) -> str:
    """A figure in the language's form; `percent`: the value is a percentage (87.5 -> 87.5%, 87,5 %)."""
    if value is None:
        return _("no data")
    if percent:
        return format_percent(value / 100, 0 if value == int(value) else 1)
    return format_number(value, 0 if value == int(value) else 1)


def _money(value: float | None, currency: str) -> str:
    """An amount in the manual's currency (qms.yaml `currency`) in the language's form: 1 368,00 €, SEK 1,368.00."""
    return "-" if value is None else format_currency(value, currency)


def _signed(value: float | None) -> str:
    if value is None:
        return _("no data")
    shown = _fmt(value, percent=True)
    return ("+" + shown) if value > 0 else shown


def _day(value: object) -> str:
    return format_date(value) if isinstance(value, date) else "-" if value is None else _md(value)


def _name(names: dict[str, str], customer: str) -> str:
    return _md(names.get(customer, customer))


def lost_text(item: Lost, names: dict[str, str]) -> str:
    """"Saimaan Venttiili Oy: last order 5.11.2025 (INV-...); last score 3 on ...; first warning: ..." """
    order = _("last order {day} ({record})").format(day=_day(item.last_order.day), record=_md(
        item.last_order.record)) if item.last_order else _("no order recorded")
    score = _("last score {score} on {day} ({record})").format(
        score=_md(item.last_feedback.detail), day=_day(item.last_feedback.day),
        record=_md(item.last_feedback.record)) if item.last_feedback else _("no score recorded")
    first = item.first_warning
    warned = _("first warning: {kind} {record} on {day}").format(
        kind=_md(_(WARNINGS.get(first.kind, first.kind))), record=_md(first.record), day=_day(first.day)) if first \
        else _("no detractor score or unanswered complaint before")
    return f"{_name(names, item.customer)}: {order}; {score}; {warned}"


def mention_text(item: Mention, names: dict[str, str]) -> str:
    who = f", {_name(names, item.customer)}" if item.customer else ""
    return f"{_md(item.record)} ({_day(item.day)}, {_md(item.source)}{who})"


def life_markdown(life: CustomerLife, names: dict[str, str], heading: str = "###") -> str:
    """Value, retention, acquisition and reputation: the page a managing director reads before the review."""
    yearly = life.grain == "year"
    orders = sum(a.orders for a in life.accounts)
    buyers = sum(1 for a in life.accounts if a.orders)
    lines = [heading + " " + _("Customer value, {period}").format(period=life.period.name), "",
             _("Total **{total}** from {orders} of {customers} ({trend} against {previous} the period before).").format(
                 total=_money(life.total_value, life.currency),
                 orders=ngettext("{n} order", "{n} orders", orders).format(n=format_number(orders)),
                 customers=ngettext("{n} customer", "{n} customers", buyers).format(n=format_number(buyers)),
                 trend=_signed(life.trend), previous=_money(life.previous_total, life.currency)), ""]
    if life.accounts:
        headings = (_("Customer"), _("Orders"), _("Value"), _("Trend"), _("Share"), _("Margin"), _("Won"),
                    _("Last order"), _("Tenure (years)"), _("Lines"))
        lines += ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
        lines += [f"| {_name(names, a.customer)} | {format_number(a.orders)} | {_money(a.value, life.currency)} | "
                  f"{_signed(a.trend)} | "
                  f"{_fmt(a.share, True)} | {_fmt(a.margin, True)} | {_day(a.won)} | {_day(a.last_order)} | "
                  f"{_fmt(a.tenure_years)} | {_md(', '.join(a.lines)) or '-'} |" for a in life.accounts]
        lines.append("")
    additional = [(a.customer, line, day, record) for a in life.accounts for line, day, record in a.additional]
    lines.append(_("- Additional sales (a line bought for the first time by an existing customer): {sales}").format(
        sales=", ".join(_("{customer} {line} from {day} ({record})").format(
            customer=_name(names, c), line=_md(line), day=_day(day), record=_md(r)) for c, line, day, r in additional)
        or _("none")))
    lines += ["", heading + " " + (_("Retention by the year customers were won") if yearly
                                   else _("Retention by the quarter customers were won")), ""]
    if life.cohorts:
        lines += ["| {} | {} | {} |".format(_("Won in"), _("Customers"), _(
            "Still ordering in a later year (an order then or later)") if yearly else _(
            "Still ordering in a later quarter (an order then or later)")), "|---|---|---|"]
        lines += [f"| {_md(c.name)} | {format_number(len(c.customers))} | "
                  + (", ".join(f"{_md(p)}: {format_number(n)} ({_fmt(share, True)})" for p, n, share in c.retained)
                     or "-") + " |" for c in life.cohorts]
        lines.append("")
    curve = ", ".join(_curve_point(k, v) for k, v in life.curve if v is not None) or _("no data")
    lines.append((_("- Retention curve (share still ordering, years after being won): {curve}") if yearly else
                  _("- Retention curve (share still ordering, quarters after being won): {curve}")).format(curve=curve))
    lines.append(_("- Customers lost: {customers}").format(
        customers="; ".join(lost_text(item, names) for item in life.lost) or _("none")))
    won = ", ".join((_("{customer} by {source} from {referrer}") if w.referred_by else _("{customer} by {source}"))
                    .format(customer=_name(names, w.customer), source=_md(w.source),
                            referrer=_name(names, w.referred_by)) for w in life.won)
    referrers = ", ".join((_("{customer} ({referred}; last score {score}, a promoter)") if r.promoter else
                           _("{customer} ({referred}; last score {score})")).format(
        customer=_name(names, r.customer), referred=", ".join(_name(names, c) for c in r.referred),
        score="-" if r.score is None else format_number(r.score)) for r in life.referrers)
    by_source = "; ".join(f"{_md(q)} " + ", ".join(f"{_md(source)} {format_number(n)}" for source, n in counts)
                          for q, counts in life.won_by_quarter if counts)
    channels = ", ".join(
        _("{channel} {per_customer} ({cost} / {won})").format(
            channel=_md(c.source), per_customer=_money(c.per_customer, life.currency),
            cost=_money(c.cost, life.currency), won=format_number(c.won))
        if c.won else _("{channel} {cost} spent, no customer won").format(channel=_md(c.source),
                                                                         cost=_money(c.cost, life.currency))
        for c in life.channels)
    lines += ["", heading + " " + _("New customers and how they were won"), "",
              _("- New customers: **{count}**").format(count=format_number(len(life.won)))
              + (f" ({won})" if life.won else ""),
              _("- Won through referrals: **{share}**").format(share=_fmt(life.referral_share, True)),
              _("- Customers who referred others: {customers}").format(customers=referrers or _("none")),
              _("- New customers by source and quarter: {counts}").format(counts=by_source or _("none")),
              _("- Cost per new customer by channel: {channels}").format(channels=channels or
                                                                         _("no costs recorded")),
              "", heading + " " + _("Reputation: what is said about us in public"), "",
              _("- Public feedback: **{count}** ({sentiments}), net sentiment **{net}** (trend by quarter: {trend})")
              .format(count=format_number(len(life.mentions)), sentiments=life_counts(life),
                      net=_signed(life.net_sentiment),
                      trend=", ".join(f"{_md(q)} {_signed(v)}" for q, v in life.mention_trend)),
              _("- Negative public feedback nobody has answered: {mentions}").format(
                  mentions=", ".join(mention_text(m, names) for m in life.unanswered) or _("none"))]
    return "\n".join(lines) + "\n"


# A sentiment and a warning as the reports name them (JSON keeps the English keys)
SENTIMENTS = {"positive": N_("positive"), "neutral": N_("neutral"), "negative": N_("negative")}
WARNINGS = {"promoter score": N_("promoter score"), "detractor score": N_("detractor score"),
            "passive score": N_("passive score"), "answered complaint": N_("answered complaint"),
            "unanswered complaint": N_("unanswered complaint")}


# "2 positive" takes the partitive in Finnish (2 myönteistä), so each count is a message with plural forms
SENTIMENT_COUNTS: dict[str, Callable[[int], str]] = {
    "positive": lambda n: ngettext("{n} positive", "{n} positive", n),
    "neutral": lambda n: ngettext("{n} neutral", "{n} neutral", n),
    "negative": lambda n: ngettext("{n} negative", "{n} negative", n),
}
# A retention curve's point ("year 2" in the JSON) for people: the period's word and its number
CURVE_POINTS = {"year": N_("year {n} {share}"), "quarter": N_("quarter {n} {share}")}


def life_counts(life: CustomerLife) -> str:
    sentiments = [m.sentiment for m in life.mentions]
    return ", ".join(SENTIMENT_COUNTS[s](sentiments.count(s)).format(n=format_number(sentiments.count(s)))
                     for s in SENTIMENTS)


def _curve_point(key: str, share: float) -> str:
    grain, _space, step = key.rpartition(" ")
    if grain in CURVE_POINTS and step.isdigit():
        return _(CURVE_POINTS[grain]).format(n=format_number(int(step)), share=_fmt(share, True))
    return f"{_md(key)} {_fmt(share, True)}"


def life_data(life: CustomerLife) -> dict[str, Any]:
    return {
        "grain": life.grain, "currency": life.currency, "total_value": life.total_value,
        "previous_total": life.previous_total,
        "value_trend_percent": life.trend,
        "accounts": [{"customer": a.customer, "orders": a.orders, "value": a.value, "previous_value": a.previous_value,
                      "trend_percent": a.trend, "share_percent": a.share, "margin_percent": a.margin,
                      "won": _iso(a.won), "first_order": _iso(a.first_order), "last_order": _iso(a.last_order),
                      "tenure_years": a.tenure_years,
                      "by_quarter": [{"quarter": q, "orders": n, "value": v} for q, n, v in a.by_quarter],
                      "lines": list(a.lines),
                      "additional_sales": [{"line": line, "from": str(day), "record": record}
                                           for line, day, record in a.additional]} for a in life.accounts],
        "cohorts": [{"won_in": c.name, "customers": list(c.customers),
                     "retained": [{"period": p, "customers": n, "percent": s} for p, n, s in c.retained]}
                    for c in life.cohorts],
        "retention_curve": dict(life.curve),
        "lost": [{"customer": item.customer,
                  "last_order": _iso(item.last_order.day if item.last_order else None),
                  "last_order_record": item.last_order.record if item.last_order else None,
                  "last_score": item.last_feedback.detail if item.last_feedback else None,
                  "last_score_record": item.last_feedback.record if item.last_feedback else None,
                  "warnings": [{"record": s.record, "day": str(s.day), "kind": s.kind, "detail": s.detail}
                               for s in item.signals],
                  "first_warning": item.first_warning.kind if item.first_warning else None} for item in life.lost],
        "won": [{"customer": w.customer, "day": str(w.day), "source": w.source, "referred_by": w.referred_by or None,
                 "record": w.record} for w in life.won],
        "won_by_quarter": {q: dict(counts) for q, counts in life.won_by_quarter},
        "referral_share_percent": life.referral_share,
        "referrers": [{"customer": r.customer, "referred": list(r.referred), "last_score": r.score,
                       "promoter": r.promoter} for r in life.referrers],
        "acquisition_cost": [{"channel": c.source, "cost": c.cost, "won": c.won, "per_customer": c.per_customer}
                             for c in life.channels],
        "reputation": {"mentions": len(life.mentions), "net_sentiment": life.net_sentiment,
                       "by_sentiment": {s: sum(1 for m in life.mentions if m.sentiment == s)
                                        for s in ("positive", "neutral", "negative")},
                       "trend": dict(life.mention_trend),
                       "unanswered_negative": [{"record": m.record, "day": str(m.day), "source": m.source,
                                                "customer": m.customer or None} for m in life.unanswered]},
    }


def _iso(value: object) -> str | None:
    return None if value is None else str(value)


def life_table(life: CustomerLife, names: dict[str, str]) -> TableData:
    """One row per customer: the ledger for a spreadsheet (`--format csv`), with its value in each quarter."""
    lost = {item.customer for item in life.lost}
    quarters = [q for q, _, _ in life.accounts[0].by_quarter] if life.accounts else []
    rows = [{"customer": a.customer, "name": names.get(a.customer, a.customer), "orders": a.orders,
             "value": a.value, "previous": a.previous_value, "trend": a.trend, "share": a.share, "margin": a.margin,
             "won": a.won, "first": a.first_order, "last": a.last_order, "tenure": a.tenure_years,
             "lines": list(a.lines), "additional": [line for line, _, _ in a.additional], "lost": a.customer in lost,
             **{q: v for q, _, v in a.by_quarter}} for a in life.accounts]
    return TableData.of(f"Customers, {life.period.name}",
                        ("Customer", "Name", "Orders", "Value", "Value the period before", "Trend %", "Share %",
                         "Margin %", "Won", "First order", "Last order", "Tenure (years)", "Lines",
                         "Additional sales", "Lost", *(f"Value {q}" for q in quarters)), rows,
                        ("customer", "name", "orders", "value", "previous", "trend", "share", "margin", "won",
                         "first", "last", "tenure", "lines", "additional", "lost", *quarters))

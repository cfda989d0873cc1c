"""The customer's life with the company (analysis/customers.py) as Markdown, JSON-ready data and table rows: for
`qms report customers`, the management review pack and the site. Pure; every manual value is escaped here."""

from __future__ import annotations

from typing import Any

from qmskit.analysis.customers import CustomerLife, Lost, Mention
from qmskit.escape import markdown_text as _md
from qmskit.tables import TableData
from qmskit.wording import quantity


def _fmt(value: float | None, unit: str = "") -> str:
    return "no data" if value is None else f"{value:,.{0 if value == int(value) else 1}f}{unit}"


def _signed(value: float | None) -> str:
    return "no data" if value is None else f"{value:+g} %" if value else "0 %"


def _name(names: dict[str, str], customer: str) -> str:
    return _md(names.get(customer, customer))


def lost_text(item: Lost, names: dict[str, str]) -> str:
    """"Saimaan Venttiili Oy: last order 2025-11-05 (INV-...); last score 3 on ...; first warning: ..." """
    order = f"last order {item.last_order.day} ({_md(item.last_order.record)})" if item.last_order \
        else "no order recorded"
    score = f"last score {_md(item.last_feedback.detail)} on {item.last_feedback.day} " \
            f"({_md(item.last_feedback.record)})" if item.last_feedback else "no score recorded"
    first = item.first_warning
    warned = f"first warning: {_md(first.kind)} {_md(first.record)} on {first.day}" if first \
        else "no detractor score or unanswered complaint before"
    return f"{_name(names, item.customer)}: {order}; {score}; {warned}"


def mention_text(item: Mention, names: dict[str, str]) -> str:
    who = f", {_name(names, item.customer)}" if item.customer else ""
    return f"{_md(item.record)} ({item.day}, {_md(item.source)}{who})"


def life_markdown(life: CustomerLife, names: dict[str, str], heading: str = "###") -> str:
    """Value, retention, acquisition and reputation: the page a managing director reads before the review."""
    unit = "years" if life.grain == "year" else "quarters"
    lines = [f"{heading} Customer value, {life.period.name}", "",
             f"Total **{_fmt(life.total_value)}** from {quantity(sum(a.orders for a in life.accounts), 'order')} of "
             f"{quantity(sum(1 for a in life.accounts if a.orders), 'customer')} ({_signed(life.trend)} against "
             f"{_fmt(life.previous_total)} the period before).", ""]
    if life.accounts:
        lines += ["| Customer | Orders | Value | Trend | Share | Margin | Won | Last order | Tenure (years) | "
                  "Lines |", "|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {_name(names, a.customer)} | {a.orders} | {_fmt(a.value)} | {_signed(a.trend)} | "
                  f"{_fmt(a.share, ' %')} | {_fmt(a.margin, ' %')} | {a.won or '-'} | {a.last_order or '-'} | "
                  f"{_fmt(a.tenure_years)} | {_md(', '.join(a.lines)) or '-'} |" for a in life.accounts]
        lines.append("")
    additional = [(a.customer, line, day, record) for a in life.accounts for line, day, record in a.additional]
    lines.append("- Additional sales (a line bought for the first time by an existing customer): "
                 + (", ".join(f"{_name(names, c)} {_md(line)} from {day} ({_md(r)})" for c, line, day, r in additional)
                    or "none"))
    lines += ["", f"{heading} Retention by the {life.grain} customers were won", ""]
    if life.cohorts:
        lines += [f"| Won in | Customers | Still ordering in a later {life.grain} (an order then or later) |",
                  "|---|---|---|"]
        lines += [f"| {_md(c.name)} | {len(c.customers)} | "
                  + (", ".join(f"{_md(p)}: {n} ({_fmt(s, ' %')})" for p, n, s in c.retained) or "-") + " |"
                  for c in life.cohorts]
        lines.append("")
    lines.append(f"- Retention curve (share still ordering, {unit} after being won): "
                 + (", ".join(f"{_md(k)} {_fmt(v, ' %')}" for k, v in life.curve if v is not None) or "no data"))
    lines.append("- Customers lost: " + ("; ".join(lost_text(item, names) for item in life.lost) or "none"))
    lines += ["", f"{heading} New customers and how they were won", "",
              f"- New customers: **{len(life.won)}**"
              + (" (" + ", ".join(f"{_name(names, w.customer)} by {_md(w.source)}"
                                  + (f" from {_name(names, w.referred_by)}" if w.referred_by else "")
                                  for w in life.won) + ")" if life.won else ""),
              f"- Won through referrals: **{_fmt(life.referral_share, ' %')}**",
              "- Customers who referred others: " + (", ".join(
                  f"{_name(names, r.customer)} ({', '.join(_name(names, c) for c in r.referred)}; last score "
                  f"{'-' if r.score is None else r.score}{', a promoter' if r.promoter else ''})"
                  for r in life.referrers) or "none"),
              "- New customers by source and quarter: " + ("; ".join(
                  f"{_md(q)} " + ", ".join(f"{_md(s)} {n}" for s, n in counts) for q, counts in life.won_by_quarter
                  if counts) or "none"),
              "- Cost per new customer by channel: " + (", ".join(
                  f"{_md(c.source)} {_fmt(c.per_customer)} ({_fmt(c.cost)} / {c.won})" if c.won
                  else f"{_md(c.source)} {_fmt(c.cost)} spent, no customer won" for c in life.channels)
                  or "no costs recorded"),
              "", f"{heading} Reputation: what is said about us in public", "",
              f"- Public feedback: **{len(life.mentions)}** ({life_counts(life)}), net sentiment "
              f"**{_signed(life.net_sentiment)}** (trend by quarter: "
              + ", ".join(f"{_md(q)} {_signed(v)}" for q, v in life.mention_trend) + ")",
              "- Negative public feedback nobody has answered: "
              + (", ".join(mention_text(m, names) for m in life.unanswered) or "none")]
    return "\n".join(lines) + "\n"


def life_counts(life: CustomerLife) -> str:
    sentiments = [m.sentiment for m in life.mentions]
    return ", ".join(f"{sentiments.count(s)} {s}" for s in ("positive", "neutral", "negative"))


def life_data(life: CustomerLife) -> dict[str, Any]:
    return {
        "grain": life.grain, "total_value": life.total_value, "previous_total": life.previous_total,
        "value_trend_percent": life.trend,
        "accounts": [{"customer": a.customer, "orders": a.orders, "value": a.value, "previous_value": a.previous_value,
                      "trend_percent": a.trend, "share_percent": a.share, "margin_percent": a.margin,
                      "won": _day(a.won), "first_order": _day(a.first_order), "last_order": _day(a.last_order),
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
                  "last_order": _day(item.last_order.day if item.last_order else None),
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


def _day(value: object) -> str | None:
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

"""The customer's whole life with the company (issue 17): value per customer, retention, churn and what preceded
it, acquisition by source and its cost, reputation. Every figure is computed by hand in the comments, on the
example and on the second manual (tests/data/manuals/itservices: other form ids, other field names); today is
2026-11-27 (QMS_TODAY), the period 2026."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qmskit.analysis.customers import customer_life, previous
from qmskit.analysis.measures import period
from qmskit.loading.load import load_manual
from tests.conftest import EXAMPLE, ITSERVICES, Result, edit, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]


def _report(qms: Qms, manual: Path, *extra: str) -> dict[str, Any]:
    result = qms("report", "customers", manual, "--period", "2026", "-f", "json", *extra)
    assert result.code == 0, result.err
    data: dict[str, Any] = result.json()
    return data


def _account(data: dict[str, Any], customer: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in data["accounts"] if a["customer"] == customer)
    return found


# --- the second manual: billing-entry, lead-origin, campaign-spend, online-mention --------------------------------

def test_value_per_customer_on_the_second_manual(qms: Qms) -> None:
    data = _report(qms, ITSERVICES)
    assert data["warnings"] == []  # every purpose is declared: nothing missing
    # billed in 2026: Harbor 36,000 + 12,000 + 6,000 = 54,000; Lumo 18,000; Fjord 15,000; Aalto 9,000 + 3,000;
    # Pine 7,000; Nordic 4,000: 110,000. In 2025: 30 + 12 + 20 + 10 + 6 + 4 = 82,000 -> +34.1 %
    assert (data["total_value"], data["previous_total"], data["value_trend_percent"]) == (110000, 82000, 34.1)
    harbor = _account(data, "harbor-bank")
    # 2025: 30,000 + 10,000 = 40,000 -> (54 - 40) / 40 = +35 %; share 54 / 110 = 49.1 %
    assert (harbor["orders"], harbor["value"], harbor["previous_value"]) == (3, 54000, 40000)
    assert (harbor["trend_percent"], harbor["share_percent"]) == (35.0, 49.1)
    # cost 25,000 + 7,000 + 3,000 = 35,000: (54,000 - 35,000) / 54,000 = 35.2 %
    assert harbor["margin_percent"] == 35.2
    assert (harbor["won"], harbor["first_order"], harbor["last_order"]) == ("2019-02-01", "2025-03-31", "2026-10-31")
    # won 2019-02-01 (lead-origin, backfilled), last billed 2026-10-31: 2829 days / 365.25 = 7.7 years
    assert harbor["tenure_years"] == 7.7
    assert [q["value"] for q in harbor["by_quarter"]] == [36000, 12000, 0, 6000]
    # Harbor bought development and hosting in 2025; support is new to it in October 2026: an additional sale
    assert harbor["lines"] == ["development", "hosting", "support"]
    assert harbor["additional_sales"] == [{"line": "support", "from": "2026-10-31", "record": "BE-2026-0008"}]
    # Fjord's bill has no cost: no margin rather than a margin of 100 %
    assert _account(data, "fjord-logistics")["margin_percent"] is None
    assert [a["customer"] for a in data["accounts"]][:2] == ["harbor-bank", "lumo-retail"]  # largest first


def test_retention_and_churn_on_the_second_manual(qms: Qms) -> None:
    data = _report(qms, ITSERVICES)
    cohorts = {c["won_in"]: c for c in data["cohorts"]}
    # won 2025: Pine Clinic (signed 2025-08-15), billed again in 2026 -> 1 of 1 retained
    assert cohorts["2025"]["customers"] == ["pine-clinic"]
    assert cohorts["2025"]["retained"] == [{"period": "2026", "customers": 1, "percent": 100.0}]
    assert cohorts["2026"] == {"won_in": "2026", "customers": ["aalto-games", "fjord-logistics"], "retained": []}
    # Nordic Freight stopped (nothing since Q1): last billed 2026-01-31; its last survey answer was a 3, and the
    # first warning sign was that detractor score (its escalation ET-2026-0001 was answered in two days)
    lost = data["lost"]
    assert [item["customer"] for item in lost] == ["nordic-freight"] == data["churned"]
    assert (lost[0]["last_order"], lost[0]["last_order_record"]) == ("2026-01-31", "BE-2026-0001")
    assert (lost[0]["last_score"], lost[0]["last_score_record"]) == ("3", "SR-2026-0001")
    assert lost[0]["first_warning"] == "detractor score"


def test_quarter_cohorts_on_the_second_manual(qms: Qms) -> None:
    data = _report(qms, ITSERVICES, "--cohorts", "quarter")
    cohorts = {c["won_in"]: c for c in data["cohorts"]}
    # Aalto Games won 2026-Q1, billed in Q2 (May) and Q4 (November): still a customer in Q3 (it ordered later)
    assert cohorts["2026-Q1"]["retained"] == [{"period": p, "customers": 1, "percent": 100.0}
                                              for p in ("2026-Q2", "2026-Q3", "2026-Q4")]
    # Pine Clinic won 2025-Q3, last billed 2026-08-31: still a customer from 2025-Q4 to 2026-Q3, not in Q4
    assert [r["customers"] for r in cohorts["2025-Q3"]["retained"]] == [1, 1, 1, 1, 0]
    # one quarter after being won: Pine (won 2025-Q3, billed Q4: yes), Nordic (2024-Q3 -> 2024-Q4, before the
    # ledger: not counted), Aalto (Q2: yes), Fjord (2026-Q2 -> Q3: yes) -> 3 of 3
    assert data["retention_curve"]["quarter 1"] == 100.0


def test_acquisition_on_the_second_manual(qms: Qms) -> None:
    data = _report(qms, ITSERVICES)
    # won in 2026: Aalto Games by search, Fjord Logistics recommended by Harbor Bank -> 1 of 2 by referral
    assert [(w["customer"], w["source"], w["referred_by"]) for w in data["won"]] == [
        ("aalto-games", "search", None), ("fjord-logistics", "referral", "harbor-bank")]
    assert data["referral_share_percent"] == 50.0
    assert data["won_by_quarter"] == {"2026-Q1": {"search": 1}, "2026-Q2": {"referral": 1}, "2026-Q3": {},
                                      "2026-Q4": {}}
    # Harbor Bank's last answer before 2026-06-15 was a 10 (SR-2026-0003, 20 May): a promoter who referred
    assert data["referrers"] == [{"customer": "harbor-bank", "referred": ["fjord-logistics"], "last_score": 10,
                                  "promoter": True}]
    # spent in 2026: search 3,000 (Q1) for 1 customer, referral 500 (Q2) for 1, event 4,000 for none; the 2025
    # search spend does not count
    assert data["acquisition_cost"] == [
        {"channel": "event", "cost": 4000.0, "won": 0, "per_customer": None},
        {"channel": "referral", "cost": 500.0, "won": 1, "per_customer": 500.0},
        {"channel": "search", "cost": 3000.0, "won": 1, "per_customer": 3000.0}]


def test_reputation_on_the_second_manual(qms: Qms, itservices: Path) -> None:
    data = _report(qms, ITSERVICES)["reputation"]
    # 2026: negative (Feb, replied), negative (Sep, not replied), positive (Oct), positive (Nov): (2 - 2) / 4 = 0
    assert (data["mentions"], data["net_sentiment"]) == (4, 0.0)
    assert data["trend"] == {"2026-Q1": -100.0, "2026-Q2": None, "2026-Q3": -100.0, "2026-Q4": 100.0}
    assert [m["record"] for m in data["unanswered_negative"]] == ["OM-2026-0003"]
    # its handler (bound to `responsible`) owes the answer
    owed = qms("todo", itservices, "-f", "json").json()
    assert [(i["person"], i["item"]) for i in owed if i["kind"] == "answer"] == [("mika-aalto", "OM-2026-0003")]
    edit(itservices / "records" / "online-mention" / "OM-2026-0003.yaml", "  handler: mika-aalto\n",
         "  replied: '2026-09-06'\n  handler: mika-aalto\n")
    assert not [i for i in qms("todo", itservices, "-f", "json").json() if i["kind"] == "answer"]


# --- the example: sales-invoice, customer-acquisition, sales-cost, public-feedback ---------------------------------

def test_example_customer_story(qms: Qms) -> None:
    data = _report(qms, EXAMPLE)
    assert data["warnings"] == []
    baltic = _account(data, "baltic-marine")
    # 2026: flanges 5 x 16,000 + field service 6,500 + 3,500 = 90,000; 2025: 6 x 15,000 = 90,000 -> no change
    assert (baltic["orders"], baltic["value"], baltic["previous_value"], baltic["trend_percent"]) == (
        7, 90000, 90000, 0.0)
    # cost 5 x 11,500 + 4,000 + 2,200 = 63,700: (90,000 - 63,700) / 90,000 = 29.2 %
    assert baltic["margin_percent"] == 29.2
    # Baltic Marine started buying field service as well as machining
    assert baltic["additional_sales"] == [{"line": "field-service", "from": "2026-09-15", "record": "INV-2026-0019"}]
    # Hämeen Traktori: 11 x 45,000 = 495,000 of 738,500 = 67.0 %; 2025: 12 x 42,000 = 504,000 -> -1.8 %
    hameen = _account(data, "hameen-traktori")
    assert (hameen["value"], hameen["share_percent"], hameen["trend_percent"]) == (495000, 67.0, -1.8)
    # won in 2025: Saimaan Venttiili (lost) and Savon Pumppu (ordered again in 2026): half retained
    cohort = next(c for c in data["cohorts"] if c["won_in"] == "2025")
    assert cohort["retained"] == [{"period": "2026", "customers": 1, "percent": 50.0}]
    # lost after an unanswered complaint: the complaint (15 Sep 2025) came before the detractor score (20 Oct)
    lost = data["lost"]
    assert [item["customer"] for item in lost] == ["saimaa-valves"]
    assert (lost[0]["last_order"], lost[0]["last_score"], lost[0]["first_warning"]) == (
        "2025-11-05", "3", "unanswered complaint")
    assert [w["record"] for w in lost[0]["warnings"]] == ["CC-2025-0001", "CF-2025-0001"]
    # won in 2026: Lapin Metsäkone (web), Kallion Nosturi (from Baltic Marine), Pohjolan Kaivoskone (from Järvi
    # Paper): 2 of 3 = 66.7 %, both referrers promoters when they referred (10 on 7 Aug, 9 on 11 Nov)
    assert data["referral_share_percent"] == 66.7
    assert [(r["customer"], r["last_score"], r["promoter"]) for r in data["referrers"]] == [
        ("baltic-marine", 10, True), ("jarvi-paper", 9, True)]
    # cost per new customer in 2026: web 2,400 / 1, referral gifts 600 / 2 = 300, fair 8,400 for nobody
    costs = {c["channel"]: c["per_customer"] for c in data["acquisition_cost"]}
    assert costs == {"fair": None, "referral": 300.0, "web": 2400.0}
    # public feedback in 2026: 2 positive, 1 neutral, 2 negative; the lost customer's review is unanswered
    assert data["reputation"]["by_sentiment"] == {"positive": 2, "neutral": 1, "negative": 2}
    assert [m["record"] for m in data["reputation"]["unanswered_negative"]] == ["PUB-2026-0001"]


def test_example_review_pack_and_todo_carry_the_customer_life(qms: Qms, example: Path) -> None:
    pack = qms("report", "review", EXAMPLE, "--period", "2026").out
    for heading in ("#### Customer value, 2026", "#### Retention by the year customers were won",
                    "#### New customers and how they were won", "#### Reputation: what is said about us in public"):
        assert heading in pack
    assert "Negative public feedback nobody has answered: PUB-2026-0001 (2026-01-20, review-site, Saimaan " \
           "Venttiili Oy)" in pack
    assert "Saimaan Venttiili Oy: last order 2025-11-05" in pack
    # the form names nobody to answer: the sales manager role (owner of its process) owes it
    owed = [(i["person"], i["item"]) for i in qms("todo", example, "-f", "json").json() if i["kind"] == "answer"]
    assert owed == [("paula-ojala", "PUB-2026-0001"), ("sanna-virtanen", "PUB-2026-0001")]


def test_customers_csv_is_one_neutralised_row_per_customer(qms: Qms, itservices: Path) -> None:
    edit(itservices / "organisation" / "parties.yaml", "name: Harbor Bank Oyj", 'name: "=HYPERLINK(\\"x\\")"')
    result = qms("report", "customers", itservices, "--period", "2026", "-f", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 6  # Harbor, Lumo, Fjord, Aalto, Pine, Nordic: billed in 2025 or 2026
    harbor = next(r for r in rows if r["Customer"] == "harbor-bank")
    assert harbor["Name"] == "'=HYPERLINK(\"x\")"  # a spreadsheet shows it as text, never runs it
    assert (harbor["Value"], harbor["Margin %"], harbor["Additional sales"]) == ("54000.0", "35.2", "support")
    assert [harbor[f"Value 2026-Q{n}"] for n in range(1, 5)] == ["36000.0", "12000.0", "0", "6000.0"]
    assert next(r for r in rows if r["Customer"] == "nordic-freight")["Lost"] == "yes"


def test_without_sale_forms_the_ledger_reads_any_form_binding_customer_date_and_value(itservices: Path) -> None:
    # no invoices: the change-request steps carry the fee of each change request (one per request, not per step)
    for path in (itservices / "records" / "billing-entry").iterdir():
        path.unlink()
    life = customer_life(load_manual(itservices).manual, period("2026"))
    assert life.notices == ()  # the order-flow form binds customer, date and value: a ledger exists
    # CR-101 20,000 (harbor-bank), CR-102 and CR-103: the fees recorded on their steps
    requests = {a.customer: (a.orders, a.value) for a in life.accounts}
    assert requests["harbor-bank"][0] >= 1
    assert sum(n for n, _ in requests.values()) == len({r.values["cr"] for r in load_manual(itservices).manual
                                                        .records if r.form == "change-request-step"
                                                        and r.values.get("fee") is not None})


def test_a_manual_without_the_forms_is_told_what_is_missing(qms: Qms, itservices: Path) -> None:
    for form in ("billing-entry", "lead-origin", "online-mention"):
        edit(itservices / "forms" / f"{form}.yaml", "purpose: ", "# purpose: ")
    result = qms("report", "customers", itservices, "--period", "2026", "-f", "json")
    assert "`purpose: sale`" not in result.err  # billing entries and change requests still bind customer, date, value
    edit(itservices / "forms" / "change-request-step.yaml", "value: fee, ", "")
    edit(itservices / "forms" / "billing-entry.yaml", "value: net-eur, ", "")
    result = qms("report", "customers", itservices, "--period", "2026", "-f", "json")
    for purpose in ("sale", "acquisition", "reputation"):
        assert f"warning: customers: no form declares `purpose: {purpose}`" in result.err


def test_previous_period_is_as_long() -> None:
    assert [previous(period(p)).name for p in ("2026", "2026-Q1", "2026-01")] == ["2025", "2025-Q4", "2025-12"]


# --- bad input: located findings from qms validate ----------------------------------------------------------------

def test_a_value_that_is_not_a_number(itservices: Path, findings: Findings) -> None:
    path = itservices / "records" / "billing-entry" / "BE-2026-0002.yaml"
    edit(path, "net-eur: 36000", "net-eur: 36 000 EUR")
    assert ("QMS-REC-001", "records/billing-entry/BE-2026-0002.yaml", line_of(path, "net-eur")) in \
        findings(itservices)


def test_a_referral_naming_an_unknown_customer(itservices: Path, findings: Findings) -> None:
    path = itservices / "records" / "lead-origin" / "LO-2026-0006.yaml"
    edit(path, "recommender: harbor-bank", "recommender: harbour-bank")
    assert ("QMS-REC-003", "records/lead-origin/LO-2026-0006.yaml", line_of(path, "recommender")) in \
        findings(itservices)


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("recommender: harbor-bank", "recommender: cloudhost", "recommender"),  # a supplier, not a customer
    ("recommender: harbor-bank", "recommender: fjord-logistics", "recommender"),  # itself
    ("  recommender: harbor-bank\n", "", "came-via"),  # nobody
])
def test_a_referral_must_name_another_customer(itservices: Path, findings: Findings, old: str, new: str,
                                               needle: str) -> None:
    path = itservices / "records" / "lead-origin" / "LO-2026-0006.yaml"
    edit(path, old, new)
    assert ("QMS-CUST-001", "records/lead-origin/LO-2026-0006.yaml", line_of(path, needle)) in findings(itservices)


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("  quarter: '2026-Q1'\n", "", "spent"),  # no period at all
    ("quarter: '2026-Q1'", "quarter: Q1/2026", "quarter"),  # not a period
])
def test_a_cost_without_a_period(itservices: Path, findings: Findings, old: str, new: str, needle: str) -> None:
    path = itservices / "records" / "campaign-spend" / "CMP-2026-0001.yaml"
    edit(path, old, new)
    assert ("QMS-CUST-002", "records/campaign-spend/CMP-2026-0001.yaml", line_of(path, needle)) in \
        findings(itservices)


def test_sentiment_must_be_positive_neutral_or_negative(itservices: Path, findings: Findings) -> None:
    path = itservices / "forms" / "online-mention.yaml"
    edit(path, "options: [positive, neutral, negative]", "options: [good, bad]")
    assert ("QMS-FORM-004", "forms/online-mention.yaml", line_of(path, "binds:")) in findings(itservices)


def test_the_starter_records_public_feedback(starter: Path, qms: Qms) -> None:
    assert qms("validate", starter, "--strict").code == 0
    result = qms("record", "new", "public-feedback", "-C", starter, "--on", "2026-11-20", "--set", "where=review-site",
                 "--set", "tone=negative", "--set", "what=Late again.")
    assert result.code == 0, result.err
    data = qms("report", "customers", starter, "--period", "2026", "-f", "json").json()
    assert data["reputation"]["unanswered_negative"][0]["day"] == "2026-11-20"
    assert "no form declares `purpose: reputation`" not in str(data["warnings"])
    assert [i["kind"] for i in qms("todo", starter, "-f", "json").json()].count("answer") >= 1


def test_dates_at_the_ends_of_the_calendar_are_figures_not_tracebacks(itservices: Path, qms: Qms) -> None:
    edit(itservices / "records" / "lead-origin" / "LO-2026-0001.yaml", "signed-on: '2019-02-01'",
         "signed-on: '0001-01-01'")
    edit(itservices / "records" / "billing-entry" / "BE-2026-0009.yaml", "billed-on: '2026-11-15'",
         "billed-on: '9999-12-31'")
    data = _report(qms, itservices, "--cohorts", "quarter")
    assert _account(data, "harbor-bank")["won"] == "0001-01-01"
    assert _account(data, "aalto-games")["value"] == 9000  # the bill of year 9999 is not in 2026
    assert "is outside 1000-9000" in qms("report", "customers", itservices, "--period", "0001").err
    for bad in ("0001", "9500", "9999-Q4"):  # a usage error, never a traceback
        assert qms("report", "customers", itservices, "--period", bad).code == 2

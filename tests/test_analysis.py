"""Measuring and improving: hand-computed NPS, a three-step chain with a known delay and penalty, KPI ratios over
a period boundary, reports, charts, to-do lists and the audit programme."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from qmskit.analysis import charts, measures
from qmskit.analysis.measures import nps, order_flows, penalty, period
from qmskit.model import Catalogue, Config, Form, Kpi, Manual, Origin, Party, Record
from tests.conftest import EXAMPLE, Result, edit, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
ORIGIN = Origin("x")


@pytest.mark.parametrize(("scores", "expected"), [
    ([10, 9, 9, 10], 100.0),  # all promoters
    ([0, 3, 6, 6], -100.0),  # all detractors
    ([7, 8, 8], 0.0),  # all passives
    ([10, 9, 8, 7, 6, 0], 0.0),  # 2 promoters, 2 detractors of 6
    ([10, 9, 9, 8, 2], 40.0),  # 3 of 5 promote, 1 of 5 detracts: 60 - 20
    ([], None),  # nobody answered
])
def test_nps(scores: list[int], expected: float | None) -> None:
    assert nps(scores) == expected


def test_periods() -> None:
    assert period("2026-Q1") == measures.Period(date(2026, 1, 1), date(2026, 3, 31), "2026-Q1")
    assert period("2024-02").end == date(2024, 2, 29)
    assert period("2026").end == date(2026, 12, 31)
    assert [p.name for p in measures.previous_quarters(period("2026-Q1"), 3)] == ["2025-Q3", "2025-Q4", "2026-Q1"]
    with pytest.raises(ValueError, match="not a period"):
        period("2026-Q5")
    # a span of periods: what a review looks back over, from the month after the last review
    assert period("2025-12..2026-05") == measures.Period(date(2025, 12, 1), date(2026, 5, 31), "2025-12..2026-05")
    assert period("2026-Q2..2026-Q3").start == date(2026, 4, 1)
    assert period("2025-06-13..2026-06-12") == measures.Period(date(2025, 6, 13), date(2026, 6, 12),
                                                               "2025-06-13..2026-06-12")
    with pytest.raises(ValueError, match="not a period"):
        period("2026-02-30")
    with pytest.raises(ValueError, match="ends before it starts"):
        period("2026-05..2026-01")
    with pytest.raises(ValueError, match="not a period"):
        period("2026-01..")


def _log(order: str, step: str, planned: tuple[str, str], actual: tuple[str, str], value: float = 10000) -> Record:
    record_id = f"PL-2026-{abs(hash((order, step))) % 9000 + 1000}"
    return Record(record_id, "production-log", ORIGIN, values={
        "order": order, "step": step, "customer": "acme", "order-value": value, "planned-start": planned[0],
        "planned-finish": planned[1], "actual-start": actual[0], "actual-finish": actual[1]})


ORDER_FLOW = Form("production-log", "Production log", ORIGIN, purpose="order-flow", binds={
    "order": "order", "step": "step", "customer": "customer", "value": "order-value", "date": "planned-start",
    "planned-start": "planned-start", "planned-finish": "planned-finish", "actual-start": "actual-start",
    "actual-finish": "actual-finish"})


def _manual(*records: Record) -> Manual:
    terms = {"late_penalty_percent_per_week": 2, "late_penalty_cap_percent": 10}
    acme = Party("acme", "Acme", "customer", ORIGIN, terms)
    return Manual(Config("Test"), (Catalogue("iso9001:2015", ()),), records=records, parties=(acme,),
                  forms=(ORDER_FLOW,))


def test_an_upstream_delay_reaches_the_customer_with_a_known_penalty() -> None:
    """Three steps: planning 2 days, machining 5, delivery 2. Planning finishes 2 days late and the rest keep
    their lead times: delivery is 2 days late, which starts one week of a 2 %/week penalty on 10,000."""
    manual = _manual(
        _log("SO-1", "planning", ("2026-03-02", "2026-03-04"), ("2026-03-02", "2026-03-06")),
        _log("SO-1", "machining", ("2026-03-04", "2026-03-09"), ("2026-03-06", "2026-03-11")),
        _log("SO-1", "delivery", ("2026-03-09", "2026-03-11"), ("2026-03-11", "2026-03-13")),
    )
    [flow] = order_flows(manual, ["planning", "machining", "delivery"])
    assert flow.added == (("planning", 2), ("machining", 0), ("delivery", 0))
    assert (flow.late_days, flow.on_time, flow.penalty) == (2, False, 200.0)
    assert measures.delay_by_process([flow]) == [("planning", 2), ("delivery", 0), ("machining", 0)]


def test_a_step_can_win_back_time() -> None:
    manual = _manual(
        _log("SO-2", "planning", ("2026-03-02", "2026-03-04"), ("2026-03-02", "2026-03-07")),
        _log("SO-2", "machining", ("2026-03-04", "2026-03-09"), ("2026-03-07", "2026-03-09")),
    )
    [flow] = order_flows(manual, ["planning", "machining"])
    assert flow.added == (("planning", 3), ("machining", -3))
    assert (flow.late_days, flow.on_time, flow.penalty) == (0, True, 0.0)


@pytest.mark.parametrize(("late", "expected"), [(0, 0.0), (1, 200.0), (7, 200.0), (8, 400.0), (60, 1000.0)])
def test_penalty_per_started_week_with_a_cap(late: int, expected: float) -> None:
    agreement = {"late_penalty_percent_per_week": 2, "late_penalty_cap_percent": 10}
    assert penalty(agreement, 10000, late) == expected


def test_kpi_ratio_counts_each_record_in_its_own_period() -> None:
    """On-time ratio with the period boundary between two records: 31 March is Q1, 1 April is Q2."""
    kpi = Kpi("on-time", "On time", ">= 95 %", ORIGIN, {"source": {
        "form": "production-log", "where": {"step": "delivery"}, "date": "actual-finish", "measure": "ratio",
        "condition": {"left": "actual-finish", "op": "<=", "right": "planned-finish"}}})
    records = [_log("A", "delivery", ("2026-03-30", "2026-03-31"), ("2026-03-30", "2026-03-31")),  # Q1, on time
               _log("B", "delivery", ("2026-03-30", "2026-03-31"), ("2026-03-30", "2026-04-01")),  # Q2, late
               _log("C", "delivery", ("2026-04-01", "2026-04-02"), ("2026-04-01", "2026-04-02")),  # Q2, on time
               _log("D", "machining", ("2026-04-01", "2026-04-02"), ("2026-04-01", "2026-04-09"))]  # not delivery
    assert measures.kpi_value(kpi, records, period("2026-Q1")) == (100.0, 1)
    assert measures.kpi_value(kpi, records, period("2026-Q2")) == (50.0, 2)
    assert measures.kpi_value(kpi, records, period("2026-Q3")) == (None, 0)
    target = measures.parse_target(kpi.target)
    assert target is not None and not target.met(50.0) and target.met(95.0)


@pytest.mark.parametrize(("measure", "q1", "year"), [
    (None, 91.0, 92.0),  # average: (90 + 92) / 2 in Q1; (90 + 92 + 94) / 3 over the year
    ("sum", 182.0, 276.0),
    ("last", 92.0, 94.0),  # the entry of 31 March, then of 30 June
])
def test_kpi_entered_by_hand_combines_the_entries_dated_in_the_period(measure: str | None, q1: float,
                                                                      year: float) -> None:
    entered: dict[str, object] = {"entries": [{"date": "2026-06-30", "value": 94},  # out of order on purpose
                                              {"date": "2026-01-31", "value": 90},
                                              {"date": "2026-03-31", "value": 92.0, "note": "from the CMMS"}]}
    if measure:
        entered["measure"] = measure
    kpi = Kpi("availability", "Machine availability", ">= 92 %", ORIGIN, {"entered": entered})
    assert measures.kpi_value(kpi, [], period("2026-Q1")) == (q1, 2)
    assert measures.kpi_value(kpi, [], period("2026")) == (year, 3)
    assert measures.kpi_value(kpi, [], period("2026-Q3")) == (None, 0)


def test_a_kpi_entered_by_hand_is_reported_with_its_status(itservices: Path, qms: Qms, findings: Findings) -> None:
    """Not the example: a manual of its own gets a KPI entered by hand, shown like any other with its trend."""
    path = itservices / "processes" / "service-desk.yaml"
    edit(path, "kpis:\n", "kpis:\n  - id: phone-answer\n    name: Calls answered within 60 s\n    target: \">= 80 %\"\n"
         "    entered:\n      entries:\n        - {date: \"2026-03-31\", value: 78}\n"
         "        - {date: \"2026-06-30\", value: 84}\n")
    rows = {r["kpi"]: r for r in qms("report", "kpi", itservices, "--period", "2026-Q2", "-f", "json").json()}
    assert (rows["phone-answer"]["value"], rows["phone-answer"]["status"]) == (84.0, "met")
    assert dict(rows["phone-answer"]["trend"])["2026-Q1"] == 78.0
    assert [f for f in findings(itservices) if f[0].startswith(("QMS-SCHEMA", "QMS-PROC"))] == []
    # a KPI with both a source and entries is refused where the second one is
    edit(path, "    entered:\n", "    source: {form: incident-report, measure: count}\n    entered:\n")
    assert ("QMS-PROC-006", "processes/service-desk.yaml", line_of(path, "entered:")) in findings(itservices)


@pytest.mark.parametrize(("text", "value", "met"), [(">= 95 %", 95, True), ("<= 1.0 %", 1.5, False), ("0", 0, True),
                                                     ("100 %", 99, False), ("≥ 40", 41, True)])
def test_targets(text: str, value: float, met: bool) -> None:
    target = measures.parse_target(text)
    assert target is not None and target.met(value) is met


def test_example_reports_are_interesting(qms: Qms) -> None:
    kpis = {r["kpi"]: r for r in qms("report", "kpi", EXAMPLE, "-f", "json").json()}
    assert {kpis["nps"]["status"], kpis["supplier-otd"]["status"]} == {"missed", "met"}
    nps_trend = [value for _, value in kpis["nps"]["trend"]]
    assert nps_trend == sorted(nps_trend)  # NPS rises through the year
    customers = qms("report", "customers", EXAMPLE, "-f", "json").json()
    assert customers["without_follow_up"] == ["CF-2026-0005"]
    flow = qms("report", "flow", EXAMPLE, "-f", "json").json()
    assert next(iter(flow["bottlenecks"])) == "production.machining"
    assert flow["on_time_percent"] == 25.0
    assert flow["internal_complaints"][0] == {"process": "purchasing", "count": 3, "delay_days": 5.0}


def test_review_pack_has_every_input_of_9_3_2(qms: Qms, tmp_path: Path) -> None:
    text = qms("report", "review", EXAMPLE, "--period", "2026").out
    for heading in ("## a) Status of actions", "## b) Changes", "## c) Performance", "### Customer satisfaction",
                    "### Nonconformities", "### Audit results", "### Performance of external providers",
                    "## d) Adequacy of resources", "## e) Effectiveness of actions on risks",
                    "## f) Opportunities for improvement"):
        assert heading in text
    assert qms("report", "review", EXAMPLE, "-f", "html", "-o", tmp_path / "r.html").code == 0
    assert "<h1>Management review 2026</h1>" in (tmp_path / "r.html").read_text()


@pytest.mark.parametrize("args", [("nps",), ("kpi", "--kpi", "delivery/on-time-delivery"), ("complaints",),
                                  ("delay",)])
def test_charts_are_valid_svg(qms: Qms, tmp_path: Path, args: tuple[str, ...]) -> None:
    target = tmp_path / "chart.svg"
    assert qms("report", "chart", args[0], EXAMPLE, *args[1:], "-o", target).code == 0
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_chart_labels_are_escaped() -> None:
    svg = charts.bar_chart("<b>x</b>", [("<script>", 1.0), ("a & b", 2.0)])
    ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_todo_lists_what_each_person_owes(qms: Qms) -> None:
    items = qms("todo", EXAMPLE, "-f", "json").json()
    kinds = {(i["person"], i["kind"]) for i in items}
    assert {("petri-nieminen", "action"), ("kalle-ahonen", "action")} <= kinds  # the two open corrective actions
    assert ("timo-laine", "training") in kinds and ("timo-laine", "renew") in kinds
    markdown = qms("todo", EXAMPLE, "--person", "timo-laine", "-f", "markdown").out
    assert markdown.startswith("### Timo Laine:") and "- [ ] **training** TR-2026-12" in markdown


def test_every_process_is_audited_in_the_cycle(example: Path, findings: Findings) -> None:
    assert findings(example, "--select", "QMS-AUD") == []
    found = findings(example, "--select", "QMS-AUD", "--today", "2027-12-01")  # leadership's audit is too old
    leadership = example / "processes/leadership.yaml"
    assert ("QMS-AUD-001", "processes/leadership.yaml", line_of(leadership, "id: leadership")) in found


def test_a_process_never_audited_is_due_one_cycle_after_it_was_introduced(example: Path, findings: Findings) -> None:
    # the example's processes entered Git on 2026-01-15 (the fixture's commit date); leadership was audited
    for path in (example / "records/internal-audit").glob("*.yaml"):
        if "process: leadership" in path.read_text():
            path.unlink()
    assert findings(example, "--select", "QMS-AUD-001") == []  # introduced this year: not yet due
    leadership = example / "processes/leadership.yaml"
    later = findings(example, "--select", "QMS-AUD-001", "--today", "2029-02-01")  # three years on
    assert ("QMS-AUD-001", "processes/leadership.yaml", line_of(leadership, "id: leadership")) in later


def test_audit_nonconformity_needs_an_action(example: Path, findings: Findings) -> None:
    record = next(p for p in (example / "records/internal-audit").glob("*.yaml") if "actions: NC-2026-0004"
                  in p.read_text())
    edit(record, "actions: NC-2026-0004", "# no action yet")
    rel = record.relative_to(example).as_posix()
    assert findings(example, "--select", "QMS-AUD") == [("QMS-AUD-002", rel, line_of(record, "nonconformities:"))]

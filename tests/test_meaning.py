"""Reports bind to forms by declared meaning (issue 13.1-13.4), proven on a second manual that shares no form id
and no field name with the example: a 60-person software and IT-services company (tests/data/manuals/itservices).
Every figure below is computed by hand in the comments; today is 2026-11-27 (QMS_TODAY), the period 2026."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qmskit.loading.load import load_manual
from tests.conftest import EXAMPLE, ITSERVICES, REPO, Result, edit, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]


def test_the_second_manual_shares_no_form_id_or_field_name_with_the_example() -> None:
    ours, theirs = load_manual(ITSERVICES).manual, load_manual(EXAMPLE).manual
    assert {f.id for f in ours.forms} & {f.id for f in theirs.forms} == set()
    bound = {name for f in ours.forms for name in f.binds.values()}
    example_fields = {x.id for f in theirs.forms for x in f.fields}
    assert bound & example_fields == set()


def test_the_second_manual_validates_clean(itservices: Path, qms: Qms) -> None:
    # in a repository of its own: inside this one, its history would be qmskit's development history
    result = qms("validate", itservices, "--strict")
    assert result.code == 0, result.out


# --- 13.1 every report reads through the declarations -------------------------------------------------------------

def test_customer_report_on_the_second_manual(qms: Qms) -> None:
    result = qms("report", "customers", ITSERVICES, "--period", "2026", "-f", "json")
    assert result.code == 0, result.err
    assert result.err == ""  # every purpose the report needs is declared: no warning
    data = result.json()
    # survey answers dated (answered-on) in 2026: 3, 9, 10, 6, 8, 9, 5 -> 7 answers. SR-2026-0008 was entered in
    # January 2026 but answered in December 2025: it counts in 2025, not here.
    assert data["responses"] == 7
    # promoters (9-10): 9, 10, 9 = 3; detractors (0-6): 3, 6, 5 = 3; NPS = 100 * (3 - 3) / 7 = 0
    assert data["nps"] == 0.0
    # satisfaction (csat, 1-7): (2 + 6 + 7 + 4 + 5 + 6 + 3) / 7 = 33 / 7 = 4.71
    assert data["satisfaction"] == 4.71
    # Q1: 3, 9 -> 1 - 1 = 0; Q2: 10, 6 -> 0; Q3: 8, 9 -> 1 promoter of 2 = 50; Q4: 5 -> -100
    assert data["nps_trend"] == {"2026-Q1": 0.0, "2026-Q2": 0.0, "2026-Q3": 50.0, "2026-Q4": -100.0}
    # escalations opened in 2026: ET-1 (20 Jan), ET-2 (3 Jun), ET-3 (2 Nov) and ET-4 (12 Oct, entered 20 Nov)
    assert (data["complaints"], data["complaints_open"]) == (4, 2)  # ET-2 replied, ET-3 open
    # replied: ET-1 20 Jan -> 22 Jan = 2, ET-2 3 Jun -> 5 Jun = 2, ET-4 12 Oct -> 16 Oct = 4: 8 / 3 = 2.7
    assert data["days_to_answer"] == 2.7
    # resolved: ET-1 20 Jan -> 3 Feb = 14, ET-4 12 Oct -> 30 Oct = 18 (not 0: it was entered later): 32 / 2 = 16
    assert data["days_to_close"] == 16.0
    # proposals: 4, two raised by customers, two accepted or implemented
    assert (data["ideas"], data["customer_ideas"], data["ideas_taken"]) == (4, 2, 2)
    # detractors: SR-1 (call-back agreed), SR-4 (none), SR-7 (visit agreed)
    assert data["without_follow_up"] == ["SR-2026-0004"]
    # every form that names a customer counts: Nordic Freight's last survey and escalation were in Q1
    assert (data["churned"], data["churn_quarters"]) == (["nordic-freight"], 2)
    # Harbor Bank 9, 10, 5: 2 promoters, 1 detractor of 3 = 33.3
    assert data["per_customer"][0] == {"customer": "harbor-bank", "nps": 33.3, "answers": 3}


def test_flow_report_on_the_second_manual(qms: Qms) -> None:
    result = qms("report", "flow", ITSERVICES, "-f", "json")
    assert result.code == 0, result.err
    data = result.json()
    # intake 2 + build 5 + test 2 + deploy 1 = 10 days
    assert [(p["process"], p["end"]) for p in data["critical_path"]][-1] == ("service-delivery.deploy", 10)
    orders = {o["order"]: o for o in data["orders"]}
    # CR-101: build finished 3 days late, test kept it, deploy added 1 -> 4 days late: 1 started week of 5 % of
    # 20,000 = 1,000. CR-103: build +9, test +2, deploy +1 = 12 days: 2 weeks, 10 % of 50,000 = 5,000 (cap 15 %).
    assert (orders["CR-101"]["late_days"], orders["CR-101"]["penalty"]) == (4, 1000.0)
    assert (orders["CR-103"]["late_days"], orders["CR-103"]["penalty"]) == (12, 5000.0)
    assert orders["CR-103"]["added"] == {"service-delivery.intake": 0, "service-delivery.build": 9,
                                         "service-delivery.test": 2, "service-delivery.deploy": 1}
    # CR-102: intake +2 won back by build (-2): on time; CR-104: build +1, test -1: on time -> 2 of 4 = 50 %
    assert (orders["CR-102"]["late_days"], orders["CR-104"]["late_days"]) == (0, 0)
    assert data["on_time_percent"] == 50.0
    # build: 3 + 0 + 9 + 1 = 13; intake: 2 (CR-102); test: 2 (CR-103); deploy: 1 + 1 = 2
    assert data["bottlenecks"] == {"service-delivery.build": 13, "service-delivery.deploy": 2,
                                   "service-delivery.intake": 2, "service-delivery.test": 2}
    # handover issues: build 2 (3 + 2 days lost), test 1 (broken, no days)
    assert data["internal_complaints"] == [
        {"process": "service-delivery.build", "count": 2, "delay_days": 5.0},
        {"process": "service-delivery.test", "count": 1, "delay_days": 0.0}]


def test_kpi_report_on_the_second_manual(qms: Qms) -> None:
    result = qms("report", "kpi", ITSERVICES, "--period", "2026", "-f", "json")
    assert result.code == 0, result.err
    kpis = {row["kpi"]: row for row in result.json()}
    # deploy steps: CR-101 late, CR-102 on time, CR-103 late, CR-104 on time: 2 of 4 = 50 % (target 90: missed)
    assert (kpis["on-time-release"]["value"], kpis["on-time-release"]["records"]) == (50.0, 4)
    assert kpis["on-time-release"]["status"] == "missed"
    # NPS over the survey answers dated in 2026 (the source names no date: the form's event date): 0 of 7 answers;
    # by entry date the December 2025 answer (2) would join and make it 3 - 4 of 8 = -12.5
    assert (kpis["survey-nps"]["value"], kpis["survey-nps"]["records"]) == (0.0, 7)
    # escalations by the day they were opened: 4 in 2026, target <= 6: met
    assert (kpis["escalations"]["value"], kpis["escalations"]["status"]) == (4.0, "met")
    # the 2025 answer counts in 2025: one detractor of one answer
    earlier = qms("report", "kpi", ITSERVICES, "--period", "2025", "-f", "json").json()
    assert {r["kpi"]: r["value"] for r in earlier}["survey-nps"] == -100.0


def test_review_pack_on_the_second_manual(qms: Qms) -> None:
    result = qms("report", "review", ITSERVICES, "--period", "2026")
    assert result.code == 0, result.err
    text = result.out
    assert "Last review 2026-01-28 (MRM-2026-0001)" in text
    assert "> Hire a second tester; survey every client after each release." in text
    # incidents that occurred in 2026: IR-1 (March, closed), IR-2 (August, fixing); IR-3 occurred in 2025
    assert "2 nonconformities reported in the period; 1 still open (IR-2026-0002 fixing)." in text
    # an empty conclusion is written as "-", escaped so that Markdown cannot read it as a list marker
    assert "- SA-2026-0001 service-delivery: &#45; — Audit of service-delivery." in text
    assert "- CloudHost Ltd: on time 97%, quality 4, approved" in text  # English percentages: 97%
    assert "- IP-2026-0001 (customer): Proposal of 2026-02-01. — accepted" in text
    assert "- IP-2026-0002 (staff): Proposal of 2026-04-10. — implemented" in text
    assert "On-time delivery: **50%** of 4 orders; penalties €6,000.00." in text
    assert "(`qms record new mgmt-review-minutes`)" in text


def test_todo_reads_responsible_due_and_action_by_meaning(qms: Qms) -> None:
    result = qms("todo", ITSERVICES, "-f", "json")
    assert result.code == 0, result.err
    actions = [i for i in result.json() if i["kind"] == "action"]
    assert actions == [{"person": "mika-aalto", "kind": "action", "item": "IR-2026-0002",
                        "detail": "Quarantine flaky tests and fix them within a sprint.", "due": "2026-12-15",
                        "overdue": False}]


def test_audit_programme_reads_the_audit_form_by_meaning(itservices: Path, findings: Findings) -> None:
    path = itservices / "records" / "service-audit" / "SA-2026-0001.yaml"
    edit(path, "  follow-ups: IR-2026-0002\n", "")
    assert ("QMS-AUD-002", "records/service-audit/SA-2026-0001.yaml", line_of(path, "nc-count")) in findings(
        itservices)


def test_a_report_without_a_bound_form_says_so(itservices: Path, qms: Qms) -> None:
    edit(itservices / "forms" / "survey-response.yaml", "purpose: customer-feedback\n", "")
    edit(itservices / "forms" / "change-request-step.yaml", "purpose: order-flow\n", "")
    result = qms("report", "customers", itservices, "-f", "json")
    assert result.code == 0
    assert "warning: customers: no form declares `purpose: customer-feedback`" in result.err
    assert "hint: Add `purpose: customer-feedback` and `binds:`" in result.err
    assert result.json()["warnings"][0]["message"] == "customers: no form declares `purpose: customer-feedback`"
    flow = qms("report", "flow", itservices)
    assert "no form declares `purpose: order-flow`" in flow.err
    assert "> **Warning:** flow: no form declares `purpose: order-flow`" in flow.out


def test_churn_window_is_configurable(itservices: Path, qms: Qms) -> None:
    # one quarter (Q4): Lumo Retail's last records are from September (survey, proposal), Nordic's from Q1
    edit(itservices / "qms.yaml", "review_every: 24\n", "review_every: 24\nreports: {churn_quarters: 1}\n")
    data = qms("report", "customers", itservices, "-f", "json").json()
    assert (data["churned"], data["churn_quarters"]) == (["lumo-retail", "nordic-freight"], 1)


def test_declarations_are_checked(itservices: Path, findings: Findings) -> None:
    form = itservices / "forms" / "survey-response.yaml"
    edit(form, "score: likelihood", "score: remarks")  # a score must be a number
    edit(form, "comment: remarks", "comment: notes")  # no such field
    other = itservices / "forms" / "handover-issue.yaml"
    edit(other, "purpose: internal-complaint", "purpose: internal-complaints")
    found = findings(itservices)
    assert ("QMS-FORM-004", "forms/survey-response.yaml", line_of(form, "binds:")) in found
    assert sum(1 for f in found if f[0] == "QMS-FORM-004" and f[1] == "forms/survey-response.yaml") == 2
    assert ("QMS-FORM-004", "forms/handover-issue.yaml", line_of(other, "purpose:")) in found


def test_a_purpose_needs_its_required_meanings(itservices: Path, qms: Qms) -> None:
    edit(itservices / "forms" / "change-request-step.yaml", "step: phase, ", "")
    result = qms("validate", itservices, "--format", "json")
    messages = [d["message"] for d in result.json()["diagnostics"] if d["rule"] == "QMS-FORM-004"]
    assert messages == ["form change-request-step: a order-flow form must bind 'step' to one of its fields (binds:)"]


def test_the_example_and_qms_init_forms_declare_their_meanings() -> None:
    example = load_manual(EXAMPLE).manual
    purposes = {f.purpose for f in example.forms}
    assert {"order-flow", "customer-feedback", "complaint", "internal-complaint", "nonconformity", "audit", "idea",
            "management-review", "supplier-evaluation"} <= purposes
    template = load_manual(REPO / "templates" / "manual").manual
    assert {f.purpose for f in template.forms} >= {"audit", "management-review", "nonconformity"}
    assert all(f.binds.get("date") for f in template.forms if f.id != "acknowledgement")


_EXAMPLE_FORMS = ("production-log", "customer-complaint", "internal-audit", "development-idea")


@pytest.mark.parametrize("module", ["analysis/measures.py", "analysis/management.py", "rules/audits.py",
                                    "site/generate.py", "analysis/programme.py", "analysis/handovers.py",
                                    "analysis/reviews.py", "site/evidence.py", "site/feedback.py"])
def test_reports_name_no_form_or_field_of_the_example(module: str) -> None:
    """Reports never read a record value by a field name they know, nor look for a form by its id."""
    tree = ast.parse((REPO / "qmskit" / module).read_text(encoding="utf-8"))
    by_name = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and ast.unparse(node.func.value).endswith("values") and isinstance(node.args[0], ast.Constant):
            by_name.append(ast.unparse(node))
        if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("values") \
                and isinstance(node.slice, ast.Constant):
            by_name.append(ast.unparse(node))
        if isinstance(node, ast.Constant) and node.value in _EXAMPLE_FORMS:
            by_name.append(str(node.value))
    assert by_name == []


# --- the schemas describe every key the product reads --------------------------------------------------------------

_READERS = {"text", "texts", "integer", "number", "mapping", "mappings", "items"}
# every module of the layers that read the manual's data; the load cache and the JSON Schema machinery read
# their own files and schemas, not the manual
_MODULES = sorted(p for folder in ("loading", "analysis", "rules", "records")
                  for p in (REPO / "qmskit" / folder).glob("*.py")
                  if p.name not in ("cache.py", "fastcheck.py", "schemas.py"))


def _keys_read(path: Path) -> Iterator[tuple[str, str]]:
    """(key, code) for every literal key the module reads from manual data: `text(data, "key")` and
    `something.get("key")`, except record values (their keys are a form's field ids, not the product's)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func, args = node.func, node.args
        if isinstance(func, ast.Name) and func.id in _READERS and len(args) >= 2 \
                and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
            yield args[1].value, ast.unparse(node)
        elif isinstance(func, ast.Attribute) and func.attr == "get" and args and isinstance(args[0], ast.Constant) \
                and isinstance(args[0].value, str) and not ast.unparse(func.value).endswith("values") \
                and not ast.unparse(func.value).startswith("self.ids"):  # the index of ids by kind
            yield args[0].value, ast.unparse(node)


def _schema_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                yield from value
            if key == "propertyNames" and isinstance(value, dict):
                yield from value.get("enum", [])
            yield from _schema_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _schema_names(item)


def test_the_schemas_describe_every_key_the_product_reads() -> None:
    described = {name for path in (REPO / "schemas").glob("*.schema.json")
                 for name in _schema_names(json.loads(path.read_text(encoding="utf-8")))}
    read = {(key, code) for module in _MODULES for key, code in _keys_read(module)}
    assert {key for key, _ in read} >= {"source", "agreement", "late_penalty_percent_per_week", "purpose", "binds"}
    assert sorted((key, code) for key, code in read if key not in described) == []


# --- 13.2 event dates -------------------------------------------------------------------------------------------

def test_backfilled_records_count_on_the_day_of_the_event(itservices: Path, qms: Qms) -> None:
    """A paper complaint from March entered today: received 2 March, answered 4 March, resolved on the 9th."""
    result = qms("record", "new", "ticket-escalation", itservices, "--on", "2026-03-02", "--set", "client=pine-clinic",
                 "--set", "ticket=T-004001", "--set", "summary=Login loop", "--no-input")
    assert result.code == 0, result.out + result.err
    new_id = re.search(r"Recorded (\S+)", result.out)[1]  # type: ignore[index]
    assert qms("record", "update", new_id, "--to", "replied", itservices, "--set", "replied-on=2026-03-04",
               "--on", "2026-03-04").code == 0
    closed = qms("record", "update", new_id, "--to", "resolved", itservices, "--set", "resolved-on=2026-03-09",
                 "--on", "2026-03-09")
    assert closed.code == 0, closed.err
    text = (itservices / "records" / "ticket-escalation" / f"{new_id}.yaml").read_text(encoding="utf-8")
    # the event on its day, the entry at the time it was typed in
    assert "opened: '2026-03-02'" in text and "created_at: '2026-03-02" not in text
    assert "at: '2026-03-02T00:00:00" in text and "at: '2026-03-09T00:00:00" in text and "recorded_at:" in text
    data = qms("report", "customers", itservices, "--period", "2026-Q1", "-f", "json").json()
    # Q1 escalations: ET-1 (14 days to close) and the new one, 2 -> 9 March = 7 days: (14 + 7) / 2 = 10.5
    assert (data["complaints"], data["days_to_close"]) == (2, 10.5)
    assert qms("validate", itservices).code == 0


@pytest.mark.parametrize(("args", "message"), [
    (("--on", "2026-12-24"), "is in the future"),
    (("--set", "opened=2027-01-02"), "is in the future"),
])
def test_an_event_cannot_lie_in_the_future(itservices: Path, qms: Qms, args: tuple[str, ...], message: str) -> None:
    result = qms("record", "new", "ticket-escalation", itservices, "--set", "client=pine-clinic", "--set",
                 "ticket=T-004001", "--set", "summary=Login loop", *args, "--no-input")
    assert result.code == 2 and message in result.err


def test_a_step_cannot_be_dated_before_the_last_one(itservices: Path, qms: Qms) -> None:
    result = qms("record", "update", "ET-2026-0002", "--to", "resolved", itservices, "--set",
                 "resolved-on=2026-06-01", "--on", "2026-06-01")
    assert result.code == 2 and "before the record's last step (2026-06-05)" in result.err


# --- 13.3 record new checks before it writes --------------------------------------------------------------------

def _escalation(qms: Qms, root: Path, *settings: str) -> Result:
    return qms("record", "new", "ticket-escalation", root, "--set", "opened=2026-11-20", "--set", "summary=Slow",
               *settings, "--no-input")


def test_record_new_refuses_an_unknown_customer(itservices: Path, qms: Qms) -> None:
    before = sorted((itservices / "records" / "ticket-escalation").iterdir())
    result = _escalation(qms, itservices, "--set", "client=acme", "--set", "ticket=T-000001")
    assert result.code == 2
    assert "client 'acme' is not a known customer" in result.err
    assert "harbor-bank" in result.err  # the hint lists the valid ids
    assert sorted((itservices / "records" / "ticket-escalation").iterdir()) == before  # nothing written


def test_a_pattern_mismatch_shows_an_example_not_a_regex(itservices: Path, qms: Qms) -> None:
    result = _escalation(qms, itservices, "--set", "client=harbor-bank", "--set", "ticket=4211")
    assert result.code == 2
    assert "e.g. T-004211" in result.err and "[0-9]" not in result.err


def test_interactive_prompts_list_the_valid_choices(itservices: Path, qms: Qms,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys
    # client: first an unknown id (asked again), then a known one; then ticket, opened, summary, optional fields
    answers = ["acme", "lumo-retail", "T-004999", "2026-11-20", "Reports are slow", "", ""]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(answers) + "\n"))
    result = qms("record", "new", "ticket-escalation", itservices, "--interactive")
    assert result.code == 0, result.out + result.err
    assert "harbor-bank  Harbor Bank Oyj" in result.out and "cloudhost" not in result.out  # customers only
    assert "client 'acme' is not a known customer" in result.out


def test_internal_complaints_must_be_about_a_flow(itservices: Path, qms: Qms, findings: Findings) -> None:
    base = ["--set", "raised-on=2026-11-20", "--set", "kind=late", "--no-input"]
    # deploy receives nothing from intake
    wrong = qms("record", "new", "handover-issue", itservices, "--set", "from-team=service-delivery.deploy",
                "--set", "to-team=service-delivery.intake", "--set", "artefact=Release candidates", *base)
    assert wrong.code == 2 and "receives no input from service-delivery.intake" in wrong.err
    # test receives release candidates from build, not coffee
    coffee = qms("record", "new", "handover-issue", itservices, "--set", "from-team=service-delivery.test",
                 "--set", "to-team=service-delivery.build", "--set", "artefact=Coffee", *base)
    assert coffee.code == 2 and "'Coffee' is not an input service-delivery.test receives" in coffee.err
    assert "Release candidates" in coffee.err
    right = qms("record", "new", "handover-issue", itservices, "--set", "from-team=service-delivery.test",
                "--set", "to-team=service-delivery.build", "--set", "artefact=release candidates", *base)
    assert right.code == 0, right.err
    path = itservices / "records" / "handover-issue" / "HI-2026-0001.yaml"
    edit(path, "artefact: Release candidates", "artefact: Coffee")
    assert ("QMS-REC-008", "records/handover-issue/HI-2026-0001.yaml", line_of(path, "Coffee")) in findings(
        itservices)


def test_internal_complaints_have_a_status_and_closure(itservices: Path, qms: Qms) -> None:
    path = next((itservices / "records" / "handover-issue").glob("HI-2026-0003.yaml"))
    assert "status: raised" in path.read_text(encoding="utf-8")
    refused = qms("record", "update", "HI-2026-0003", "--to", "replied", itservices)
    assert refused.code == 2 and "needs values for: reply" in refused.err
    assert qms("record", "update", "HI-2026-0003", "--to", "replied", itservices, "--set", "reply=Fixed").code == 0
    assert qms("record", "update", "HI-2026-0003", "--to", "closed", itservices).code == 0


# --- 13.4 workflows ask only for the states a record passed through ------------------------------------------------

def test_a_record_may_skip_a_state_the_form_lets_it_skip(itservices: Path, qms: Qms, findings: Findings) -> None:
    # IR-2026-0001 went logged -> analysed -> closed without `fixing`: no fix, owner or due date needed
    assert [f for f in findings(itservices) if f[0] == "QMS-REC-004"] == []
    result = qms("record", "new", "incident-report", itservices, "--set", "occurred=2026-11-26", "--set",
                 "service=service-desk", "--set", "what=Mail queue stuck", "--no-input")
    assert result.code == 0, result.err
    assert qms("record", "update", "IR-2026-0004", "--to", "analysed", itservices, "--set", "cause=Disk full").code == 0
    closed = qms("record", "update", "IR-2026-0004", "--to", "closed", itservices)
    assert closed.code == 0, closed.err


def test_the_states_a_record_passed_through_still_need_their_fields(itservices: Path, findings: Findings) -> None:
    # IR-2026-0003 went through `fixing`, so its owner stays required after closing
    path = itservices / "records" / "incident-report" / "IR-2026-0003.yaml"
    edit(path, "  owner: mika-aalto\n", "")
    assert ("QMS-REC-004", "records/incident-report/IR-2026-0003.yaml", line_of(path, "status:")) in findings(
        itservices)


def test_the_example_corrective_action_can_close_after_analysis(example: Path, qms: Qms) -> None:
    result = qms("record", "new", "nonconformity", example, "--set", "detected=2026-11-02", "--set",
                 "source=production", "--set", "process=production.machining", "--set", "description=Burr",
                 "--by", "timo-laine", "--no-input")
    assert result.code == 0, result.err
    new_id = re.search(r"Recorded (\S+)", result.out)[1]  # type: ignore[index]
    assert qms("record", "update", new_id, "--to", "analysed", example, "--set", "disposition=rework", "--set",
               "root-cause=Worn deburring tool", "--by", "timo-laine").code == 0
    closed = qms("record", "update", new_id, "--to", "closed", example, "--by", "timo-laine")
    assert closed.code == 0, closed.err


def test_site_dashboards_read_by_meaning_and_say_what_is_missing(itservices: Path) -> None:
    from datetime import date

    from qmskit.site.generate import SiteInput, build_pages
    from qmskit.vcs.history import History

    def dashboards(root: Path) -> str:
        manual = load_manual(root).manual
        pages, _ = build_pages(SiteInput(manual, History(available=False), date(2026, 11, 27)))
        return next(p.content for p in pages if "dashboard" in p.path)

    page = dashboards(itservices)
    assert "!!! warning" not in page
    assert "CR-103: 12 days late" in page  # the worst order of the second manual, read by meaning
    edit(itservices / "forms" / "change-request-step.yaml", "purpose: order-flow\n", "")
    assert '!!! warning "flow: no form declares \\`purpose: order-flow\\`"' in dashboards(itservices)


def test_records_list_the_day_of_the_event_beside_the_day_of_entry(qms: Qms) -> None:
    rows = qms("records", "survey-response", "-C", ITSERVICES, "-f", "json").json()
    paper = next(r for r in rows if r["id"] == "SR-2026-0008")
    assert (paper["date"], paper["created_at"][:10]) == ("2025-12-15", "2026-01-20")


def test_a_figure_whose_meaning_is_not_bound_is_said_to_be_missing(itservices: Path, qms: Qms) -> None:
    edit(itservices / "forms" / "survey-response.yaml", ", follow-up: callback", "")
    result = qms("report", "customers", itservices, "-f", "json")
    assert "form survey-response binds no `follow-up`, so detractors nobody called back cannot be found" in result.err
    assert result.json()["without_follow_up"] == []

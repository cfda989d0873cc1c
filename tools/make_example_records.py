"""Write the example manual's records: a year of a small machine shop's quality work, reproducibly.

    python tools/make_example_records.py [example_manual]

Deterministic (fixed seed). Existing records are removed first; run it only to rebuild the example.
Records name the form revision they were made with, read from this repository's history.
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from qmskit.analysis.competence import concerned_roles
from qmskit.loading.load import load_manual
from qmskit.records.store import render
from qmskit.vcs.gitrepo import read_history

TZ = "+02:00"
rng = random.Random(2026)
CUSTOMERS = ["hameen-traktori", "jarvi-paper", "baltic-marine"]


def stamp(day: date, hour: int = 9, minute: int = 0) -> str:
    summer = "+03:00" if 4 <= day.month <= 10 else TZ
    return datetime(day.year, day.month, day.day, hour, minute).isoformat() + summer


class Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        manual = load_manual(root).manual
        history = read_history(root)
        self.manual, self.history = manual, history
        self.forms = {f.id: f for f in manual.forms}
        self.revisions = {}
        for form in manual.forms:
            file = history.of(form.origin.path)
            self.revisions[form.id] = file.latest.number if file and file.latest else 0
        self.counters: dict[tuple[str, int], int] = {}
        self.written: list[str] = []

    def write(self, form_id: str, day: date, by: str, values: dict[str, Any],
              steps: list[tuple[str, date, str]] | None = None) -> str:
        form = self.forms[form_id]
        key = (form.record_prefix, day.year)
        self.counters[key] = self.counters.get(key, 0) + 1
        record_id = f"{form.record_prefix}-{day.year}-{self.counters[key]:04d}"
        created = stamp(day, 8 + len(self.written) % 8, (len(self.written) * 7) % 60)
        document: dict[str, Any] = {"id": record_id, "form": form_id, "form_revision": self.revisions[form_id],
                                    "created_at": created, "created_by": by}
        if steps is not None:
            document["status"] = steps[-1][0]
            document["history"] = [{"state": s, "at": stamp(d, 14), "by": who} for s, d, who in steps]
            document["history"][0]["at"] = document["created_at"]
        document["values"] = {k: v for k, v in values.items() if v is not None}
        path = self.root / "records" / form_id / f"{record_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(document), encoding="utf-8")
        self.written.append(record_id)
        return record_id


FEEDBACK_COMMENTS = {
    "low": ["Two deliveries this quarter came a week late and nobody called us.",
            "The parts were fine but we had to chase the order confirmation twice.",
            "Surface finish on the last batch of flanges was not what we agreed."],
    "mid": ["Good quality, delivery times could be shorter.", "Fine overall. The new order portal would help us.",
            "Service technician was competent; the report came three days late."],
    "high": ["Very reliable partner, quick answers from sales.", "Excellent work on the urgent shaft order.",
             "The hydraulic overhaul was done in one shift, great job.", "Parts right first time, every time."],
}


def feedback(w: Writer) -> None:
    # NPS improves through the year: more promoters after the capacity-check change in Q2
    months = [1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10, 11, 11]
    for index, month in enumerate(months):
        day = date(2026, month, 5 + (index * 3) % 20)
        quarter = (month - 1) // 3
        score = min(10, max(0, int(rng.gauss([6.2, 7.4, 8.3, 8.8][quarter], 1.6))))
        band = "low" if score <= 6 else "mid" if score <= 8 else "high"
        customer = CUSTOMERS[index % 3]
        order = f"SO-{24100 + index * 7}" if customer != "jarvi-paper" else f"SJ-{5100 + index * 3:05d}"
        follow_up = None
        if score <= 6 and index != 4:  # CF-2026-0005 has no follow-up yet: the report shows it
            follow_up = "Called back by Sanna Virtanen; agreed weekly order status e-mails."
        w.write("customer-feedback", day, "sanna-virtanen" if index % 2 else "paula-ojala", {
            "customer": customer, "order": order, "received": day.isoformat(), "recommend": score,
            "satisfaction": max(1, min(5, round(score / 2))), "quality": max(1, min(5, round(score / 2 + 0.5))),
            "delivery": max(1, min(5, round(score / 2 - 0.5))), "comment": rng.choice(FEEDBACK_COMMENTS[band]),
            "follow-up": follow_up})


NC_CASES = [
    ("production", "production.machining", "Bore diameter 0.02 mm over tolerance on 12 housings.", 12, "rework",
     "Boring bar insert worn; tool life not tracked on machine 4.", "Tool life counters on all boring operations."),
    ("inspection", "production.inspection", "Thread gauge out of calibration used on one batch.", 40, "use-as-is",
     "Gauge missed from the calibration register after it was bought.", "Register checked against inventory."),
    ("customer", "delivery", "Flanges arrived with corrosion spots (complaint CC-2026-0001).", 30, "rework",
     "Corrosion protection skipped when the packing area was busy.", "Packing checklist signed per box."),
    ("supplier", "purchasing", "Steel bar delivered without EN 10204 3.1 certificate.", 1, "return-to-supplier",
     "Supplier's new dispatcher unaware of our certificate requirement.", "Requirement printed on every PO."),
    ("audit", "document-control", "Two work instructions printed and outdated at machine 2.", None, "scrap",
     "Printed copies not withdrawn when instructions changed.", "Only the tablet at each machine shows WI."),
    ("field-service", "field-service", "Hydraulic hose fitting leaked after repair at Järvi Paper.", 1, "rework",
     "Wrong crimp die used for 1/2\" hose.", "Crimp dies labelled by hose size; check in service report."),
    ("production", "production.machining", "Wrong material (S355 instead of 42CrMo4) used on 5 shafts.", 5,
     "scrap", "Bar stock not labelled after cutting.", "Cut bars marked with heat number and grade."),
    ("production", "production.planning", "Order started with superseded drawing revision B.", 20, "rework",
     "ERP not updated when the customer sent revision C.", "Drawing revision checked at order handling."),
    ("customer", "sales.order-handling", "Order confirmed with wrong delivery address.", None, None,
     None, None),
    ("inspection", "production.inspection", "Surface roughness Ra 1.6 required, measured Ra 2.4.", 8, "rework",
     "Feed rate increased to catch up on a late order.", "Feed changes need production manager approval."),
    ("production", "production.machining", "Burrs left on cross holes of valve blocks.", 16, None, None, None),
    ("supplier", "purchasing", "Anodising subcontractor returned parts 5 days late.", None, "use-as-is",
     "Subcontractor capacity shortage in August.", "Second anodising supplier approved."),
]
STATES = ["reported", "analysed", "action-planned", "implemented", "verified", "closed"]
RESPONSIBLE = ["jari-koskinen", "mikko-heinonen", "petri-nieminen", "eero-lindholm", "kalle-ahonen"]


def nonconformities(w: Writer) -> list[str]:
    ids = []
    # final states: several closed, one at each open state, so every state appears
    finals = ["closed", "closed", "closed", "closed", "closed", "verified", "closed", "implemented",
              "reported", "action-planned", "reported", "analysed"]
    for index, (source, process, text, qty, disposition, cause, action) in enumerate(NC_CASES):
        day = date(2026, 1 + index * 10 // 12, 3 + index * 2)
        final = finals[index]
        steps = STATES[: STATES.index(final) + 1]
        who = "timo-laine" if source == "production" else "mikko-heinonen"
        history = [(state, day + timedelta(days=4 * n), who if n == 0 else "mikko-heinonen")
                   for n, state in enumerate(steps)]
        due = (day + timedelta(days=45)) if STATES.index(final) >= 2 else None
        if final in ("action-planned", "implemented"):
            due = date(2027, 1, 15) + timedelta(days=index)
        values = {"detected": day.isoformat(), "source": source, "process": process, "description": text,
                  "quantity": qty,
                  "disposition": disposition if STATES.index(final) >= 1 else None,
                  "root-cause": cause if STATES.index(final) >= 1 else None,
                  "action": action if STATES.index(final) >= 2 else None,
                  "responsible": RESPONSIBLE[index % len(RESPONSIBLE)] if STATES.index(final) >= 2 else None,
                  "due": due.isoformat() if due else None,
                  "effective": True if STATES.index(final) >= 4 else None,
                  "cost": [480, 120, 900, 0, 60, 350, 2100, 1500, 0, 640, 0, 0][index] if final == "closed" else None}
        ids.append(w.write("nonconformity", day, who, values, [(s, d, b) for s, d, b in history]))
    return ids


def complaints(w: Writer, ncs: list[str]) -> None:
    cases = [("baltic-marine", "SO-24121", "Corrosion spots on 30 flanges.", "major", ncs[2], "closed"),
             ("hameen-traktori", "SO-24163", "Delivery one week late; assembly line waited two days.", "major",
              None, "closed"),
             ("jarvi-paper", "SJ-05142", "Hose fitting leaked the day after the repair.", "critical", ncs[5],
              "closed"),
             ("hameen-traktori", "SO-24212", "Shafts of wrong material found at incoming inspection.", "critical",
              ncs[6], "answered"),
             ("baltic-marine", "SO-24277", "Order confirmation had the wrong delivery address.", "minor", ncs[8],
              "received")]
    for index, (customer, order, text, severity, nc, final) in enumerate(cases):
        day = date(2026, 2 + index * 2, 10 + index)
        states = ["received", "answered", "closed"][: ["received", "answered", "closed"].index(final) + 1]
        steps = [(s, day + timedelta(days=2 * n), "sanna-virtanen") for n, s in enumerate(states)]
        w.write("customer-complaint", day, "sanna-virtanen", {
            "customer": customer, "order": order, "received": day.isoformat(), "description": text,
            "quantity": [30, None, 1, 5, None][index], "severity": severity, "nonconformity": nc,
            "answered": (day + timedelta(days=2)).isoformat() if final != "received" else None}, steps)


def internal_complaints(w: Writer, ncs: list[str]) -> None:
    cases = [("production", "purchasing", "Raw material and tooling", "late", 3, "42CrMo4 bar arrived 3 days late."),
             ("production", "purchasing", "Raw material and tooling", "late", 2,
              "Inserts for the 5-axis not in stock."),
             ("delivery", "production", "Inspected and released parts", "late", 2, "Batch released Friday 15:30."),
             ("production", "sales", "Confirmed production orders", "incomplete", None,
              "Order without drawing revision; planning had to ask."),
             ("production.machining", "production.planning", "Work orders and schedule", "faulty", None,
              "Schedule put two 5-axis jobs on the same shift."),
             ("production", "purchasing", "Raw material and tooling", "faulty", None,
              "Bar delivered without certificate (see NC).")]
    for index, (complainer, supplier, item, problem, delay, text) in enumerate(cases):
        day = date(2026, 3 + index, 8 + index)
        w.write("internal-complaint", day, "jari-koskinen" if complainer != "delivery" else "eero-lindholm", {
            "complaining-process": complainer, "supplying-process": supplier, "input": item, "problem": problem,
            "delay-days": delay, "description": text, "corrective-action": ncs[3] if index == 5 else None})


def audits(w: Writer) -> None:
    plan = [("leadership", "2024-11-20", "mikko-heinonen", "aino-lahtinen", 0, 1, "effective",
             "Context review and objectives documented; risk register reviewed at the strategy day."),
            ("management-review", "2025-01-15", "mikko-heinonen", "aino-lahtinen", 0, 0, "effective",
             "Both 2024 reviews held with all inputs of 9.3.2."),
            ("internal-audit", "2025-03-05", "jari-koskinen", "mikko-heinonen", 0, 1, "effective",
             "Audited by the production manager: programme followed, auditors independent of the areas."),
            ("infrastructure", "2025-09-24", "petri-nieminen", "jari-koskinen", 0, 1, "effective",
             "Calibration register complete; temperature log of the measuring room kept."),
            ("sales", "2026-02-18", "petri-nieminen", "sanna-virtanen", 1, 2, "effective-with-findings",
             "Contract reviews done for large orders; two small orders confirmed without capacity check."),
            ("purchasing", "2026-03-11", "jari-koskinen", "petri-nieminen", 1, 1, "effective-with-findings",
             "Supplier evaluations complete; certificate requirement missing from PO template."),
            ("production", "2026-04-22", "mikko-heinonen", "jari-koskinen", 1, 3, "effective-with-findings",
             "First-off inspections recorded; printed work instructions outdated at machine 2."),
            ("document-control", "2026-05-13", "petri-nieminen", "mikko-heinonen", 0, 1, "effective",
             "All changes approved in pull requests; review dates met."),
            ("field-service", "2026-06-17", "mikko-heinonen", "kalle-ahonen", 0, 2, "effective",
             "Service reports complete; pressure-safety qualifications valid."),
            ("competence", "2026-08-26", "jari-koskinen", "hanna-salonen", 0, 1, "effective",
             "Training plan followed; one effectiveness evaluation late."),
            ("improvement", "2026-09-16", "petri-nieminen", "mikko-heinonen", 1, 0, "effective-with-findings",
             "One corrective action closed without checking its effectiveness."),
            ("delivery", "2026-10-14", "mikko-heinonen", "eero-lindholm", 0, 1, "effective",
             "Packing checklist in use since the corrosion complaint.")]
    actions = {"sales": "NC-2026-0008", "purchasing": "NC-2026-0004", "production": "NC-2026-0005",
               "improvement": "NC-2026-0011"}
    for process, day, auditor, auditee, ncs, obs, conclusion, findings in plan:
        w.write("internal-audit", date.fromisoformat(day), auditor, {
            "process": process, "date": day, "auditor": auditor, "auditee": auditee,
            "findings": findings, "nonconformities": ncs, "observations": obs, "conclusion": conclusion,
            "actions": actions.get(process) if ncs else None})


def reviews(w: Writer) -> None:
    w.write("management-review", date(2026, 6, 12), "mikko-heinonen", {
        "date": "2026-06-12", "participants": "Aino Lahtinen, Mikko Heinonen, Sanna Virtanen, Jari Koskinen, "
                                              "Petri Nieminen",
        "previous-actions": "4 of 5 actions from December 2025 done; the order portal study moved to Q3.",
        "changes": "Hämeen Traktori raised its forecast by 15 %; steel prices stable.",
        "performance": "On-time delivery 92 % (target 95 %); NPS rose from 10 to 36; 7 nonconformities, 2 "
                       "customer complaints; audits of sales, purchasing and production with 3 findings; steel "
                       "supplier on time 90 %.",
        "resources": "One more machinist needed for the second shift.",
        "risks": "Safety stock of bar reduced material delays; the 5-axis machine remains a single point of failure.",
        "decisions": "Hire a machinist by September; approve a second anodising supplier; planner confirms capacity "
                     "for every quotation over 20 hours."})


def ideas(w: Writer) -> None:
    items = [("customer", "hameen-traktori", "A web page where we can see the status of our open orders.",
              "sales", "accepted"),
             ("customer", "baltic-marine", "Ship flanges in returnable plastic crates instead of cardboard.",
              "delivery", "implemented"),
             ("employee", None, "Tool life counters on every boring operation.", "production.machining",
              "implemented"),
             ("customer", "jarvi-paper", "Offer a yearly hydraulic hose inspection as a package.", "field-service",
              "open"),
             ("employee", None, "Put the packing checklist on a tablet at the packing table.", "delivery",
              "rejected"),
             ("supplier", None, "Order bar stock in cut lengths to reduce saw time.", "purchasing", "accepted")]
    for index, (origin, customer, idea, process, decision) in enumerate(items):
        day = date(2026, 2 + index, 20)
        w.write("development-idea", day, "sanna-virtanen" if origin == "customer" else "timo-laine", {
            "from": origin, "customer": customer, "idea": idea, "process": process, "decision": decision})


CHAIN = [("sales.quotation", 3), ("sales.order-handling", 1), ("production.planning", 2),
         ("production.machining", 7), ("production.inspection", 1), ("delivery", 2)]
PARTS = [("HT-4410 rev C transmission housing", 40, 18400), ("HT-2275 rev B output shaft", 120, 9600),
         ("BM-118 rev A crane flange", 30, 7200), ("HT-4410 rev C transmission housing", 60, 27600),
         ("BM-220 rev D slewing bushing", 16, 5100), ("HT-3302 rev A pump bracket", 200, 12800),
         ("BM-118 rev A crane flange", 45, 10800), ("HT-2275 rev B output shaft", 80, 6400)]
# extra working days of delay per step, per order: machining and supplier material cause most of it
DELAYS = [[0, 0, 0, 2, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1], [1, 0, 0, 3, 1, 0],
          [0, 0, 0, 0, 0, 0], [0, 1, 0, 2, 0, 0], [0, 0, 2, 1, 0, 0], [0, 0, 0, 0, 0, 0]]


def production_logs(w: Writer) -> None:
    for number, (part, quantity, value) in enumerate(PARTS):
        order = f"SO-{24300 + number * 11}"
        customer = "baltic-marine" if part.startswith("BM") else "hameen-traktori"
        start = date(2026, 3, 2) + timedelta(weeks=3 * number)
        planned, actual = start, start
        for step_index, (step, days) in enumerate(CHAIN):
            delay = DELAYS[number][step_index]
            planned_finish = planned + timedelta(days=days)
            actual_finish = actual + timedelta(days=days + delay)
            who = {"sales": "sanna-virtanen", "production": "laura-makela", "delivery": "eero-lindholm"}
            by = who.get(step.split(".")[0], "laura-makela")
            if step == "production.machining":
                by = "timo-laine"
            w.write("production-log", actual_finish, by, {
                "order": order, "step": step, "customer": customer, "order-value": value, "part": part,
                "quantity": quantity, "material-heat": f"H{41200 + number * 17}" if step_index >= 3 else None,
                "planned-start": planned.isoformat(), "actual-start": actual.isoformat(),
                "planned-finish": planned_finish.isoformat(), "actual-finish": actual_finish.isoformat(),
                "rejected": [0, 2, 0, 5, 0, 1, 0, 0][number] if step == "production.inspection" else None,
                "released-by": "ville-hamalainen" if step == "production.inspection" else None})
            planned, actual = planned_finish, actual_finish


def supporting(w: Writer) -> None:
    for index, (instrument, result) in enumerate([("MIC-0-25-03", "pass"), ("CMM-ZEISS-01", "adjusted"),
                                                  ("THREAD-M12-07", "pass"), ("HEIGHT-600-02", "pass")]):
        day = date(2026, 2 + index * 2, 16)
        w.write("calibration-record", day, "ville-hamalainen", {
            "instrument": instrument, "date": day.isoformat(), "by": "calibration-lab" if index != 2 else "in-house",
            "result": result, "certificate": f"KM-{day.year}-{3100 + index}" if index != 2 else None,
            "next-due": day.replace(year=day.year + 1).isoformat()})
    for index, (supplier, on_time, quality, decision) in enumerate([
            ("steel-supplier", 90, 4, "approved"), ("calibration-lab", 100, 5, "approved"),
            ("carrier", 86, 3, "approved-with-conditions")]):
        day = date(2026, 1, 20 + index)
        w.write("supplier-evaluation", day, "petri-nieminen", {
            "supplier": supplier, "date": day.isoformat(), "on-time": on_time, "quality": quality,
            "decision": decision})
    for person, competence, day, provider, effect in [
            ("juha-lehtonen", "drawing-reading", "2026-03-12", "Tampere Vocational College",
             "First-off inspections checked by the team leader for a month: no errors."),
            ("eero-lindholm", "adr-transport", "2026-04-15", "Logistics Academy", "Passed the ADR exam."),
            ("tuomas-savolainen", "safety-card", "2026-01-28", "TTK", "Card renewed; no evaluation needed."),
            ("emilia-jokinen", "cmm-measurement", "2026-05-20", "Zeiss Academy", None)]:
        w.write("training-record", date.fromisoformat(day), "hanna-salonen", {
            "person": person, "competence": competence, "date": day, "provider": provider,
            "effectiveness": effect})
    for index, (customer, request, ok, decision, notes) in enumerate([
            ("hameen-traktori", "RFQ-2026-014", True, "accept", None),
            ("baltic-marine", "RFQ-2026-021", True, "accept-with-changes", "Delivery two weeks later than asked."),
            ("hameen-traktori", "RFQ-2026-030", False, "decline", "Part needs gear grinding, which we do not do."),
            ("jarvi-paper", "RFQ-2026-033", True, "accept", None),
            ("baltic-marine", "RFQ-2026-047", True, "accept", None)]):
        day = date(2026, 2 + index * 2, 3)
        w.write("contract-review", day, "sanna-virtanen", {
            "customer": customer, "request": request, "requirements-clear": True, "capability": ok,
            "capacity": index != 1, "decision": decision, "notes": notes})


def acknowledgements(w: Writer) -> None:
    """Most people have read the current revision of what concerns them; a few have not yet (qms competence
    --unread shows them)."""
    count = 0
    for document in sorted(w.manual.documents, key=lambda d: d.id):
        file = w.history.of(document.origin.path)
        if document.status != "active" or file is None or file.latest is None:
            continue
        roles = concerned_roles(w.manual, document)
        for person in sorted(w.manual.people, key=lambda p: p.id):
            if not roles & set(person.roles):
                continue
            count += 1
            if count % 9 == 0:
                continue  # not read yet
            day = date(2026, 11, 27) if file.latest.number > 1 else date(2026, 2, 2 + count % 20)
            w.write("acknowledgement", day, person.id, {"document": document.id, "revision": file.latest.number,
                                                        "person": person.id})


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "example_manual")
    if (root / "records").exists():
        shutil.rmtree(root / "records")
    writer = Writer(root)
    feedback(writer)
    ncs = nonconformities(writer)
    complaints(writer, ncs)
    internal_complaints(writer, ncs)
    audits(writer)
    reviews(writer)
    ideas(writer)
    production_logs(writer)
    supporting(writer)
    acknowledgements(writer)
    print(f"wrote {len(writer.written)} records")


if __name__ == "__main__":
    main()

"""Internal communication (ISO 9001 7.4): the communication plan, its due dates, reminders in `qms todo`, and a
digest per person in which every open item lands exactly once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from qmskit.analysis.communication import next_due
from qmskit.loading.load import load_manual
from qmskit.model import Communication, Origin
from qmskit.records.forms import workflow
from tests.conftest import EXAMPLE, Result, edit, line_of

Qms = Callable[..., Result]
TODAY = date(2026, 11, 27)


def item(when: str, *held: str) -> Communication:
    return Communication("x", "What", Origin("communication.yaml"), ("everyone",), "How", "quality-manager", when,
                         held)


@pytest.mark.parametrize(("when", "held", "due"), [
    ("weekly", ("2026-11-23",), date(2026, 11, 30)),
    ("monthly", ("2026-10-05", "2026-11-02"), date(2026, 12, 2)),  # the latest day counts, in any order
    ("monthly", ("2026-01-31",), date(2026, 2, 28)),  # no 31 February
    ("quarterly", ("2026-10-15",), date(2027, 1, 15)),
    ("yearly", ("2024-02-29",), date(2025, 2, 28)),
    ("monthly", (), TODAY),  # never held: due now
    ("on-event", ("2026-01-01",), None),
])
def test_next_due(when: str, held: tuple[str, ...], due: date | None) -> None:
    assert next_due(item(when, *held), TODAY) == due


def test_the_example_plan_is_valid(qms: Qms) -> None:
    assert not [d for d in qms("validate", EXAMPLE, "-f", "json").json()["diagnostics"]
                if d["rule"].startswith("QMS-COMM")]
    assert len(load_manual(EXAMPLE).manual.communication) == 5


@pytest.mark.parametrize(("old", "new", "needle", "rule"), [
    ("who: production-manager", "who: production-boss", "who: production-boss", "QMS-COMM-001"),
    ("with: [hameen-traktori, jarvi-paper]", "with: [hameen-traktori, nobody-oy]", "with: [hameen", "QMS-COMM-001"),
    ('held: ["2026-11-23"]', 'held: ["2026-11-02"]', 'held: ["2026-11-02"]', "QMS-COMM-002"),  # weekly, 3 weeks ago
])
def test_plan_rules_point_at_the_line(example: Path, qms: Qms, old: str, new: str, needle: str, rule: str) -> None:
    path = example / "communication.yaml"
    edit(path, old, new)
    found = [d for d in qms("validate", example, "-f", "json").json()["diagnostics"] if d["rule"] == rule]
    assert [(d["path"], d["line"]) for d in found] == [("communication.yaml", line_of(path, needle))]


def test_every_open_item_of_the_example_lands_in_exactly_one_digest(qms: Qms, tmp_path: Path) -> None:
    out = tmp_path / "digests"
    result = qms("todo", EXAMPLE, "--all-people", "-o", out)
    assert result.code == 0, result.err
    manual = load_manual(EXAMPLE).manual
    flows = {f.id: workflow(f) for f in manual.forms}
    open_ids = {r.id for r in manual.records if (flow := flows.get(r.form)) and r.status != flow.final}
    assert len(open_ids) == 11  # 6 nonconformities, 3 complaints (one never answered: a lost customer), 2 internal
    seen: dict[str, list[str]] = {}
    for digest in out.glob("*.md"):
        for record_id in re.findall(r"\b[A-Z]{2,6}-\d{4}-\d{4}\b", digest.read_text()):
            if record_id in open_ids:
                seen.setdefault(record_id, []).append(digest.stem)
    assert {k: len(v) for k, v in seen.items()} == dict.fromkeys(open_ids, 1)
    # the unassigned ones name who should assign them: the owner of the process they concern
    unassigned = (out / "_unassigned.md").read_text()
    assert "NC-2026-0012" in unassigned and "Petri Nieminen" in unassigned
    # communication due within two weeks reaches whoever communicates it
    production_manager = next(p for p in manual.people if "production-manager" in p.roles)
    assert "production-week" in (out / f"{production_manager.id}.md").read_text()


def test_html_digests_escape_what_they_show(example: Path, qms: Qms, tmp_path: Path) -> None:
    edit(example / "communication.yaml", "what: The week's production plan",
         "what: <script>alert(1)</script> The week's production plan")
    out = tmp_path / "html"
    assert qms("todo", example, "--all-people", "-o", out, "-f", "html").code == 0
    pages = "".join(p.read_text() for p in out.glob("*.html"))
    assert "<script>" not in pages and "&lt;script&gt;alert(1)&lt;/script&gt;" in pages


def test_all_people_needs_a_folder(qms: Qms) -> None:
    result = qms("todo", EXAMPLE, "--all-people")
    assert result.code == 2 and "-o DIR" in result.err


def test_a_person_whose_id_is_unassigned_keeps_a_digest_of_their_own(example: Path, qms: Qms,
                                                                       tmp_path: Path) -> None:
    """The list of items nobody is assigned to never takes the file of a person's digest."""
    with (example / "organisation" / "people.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  - {id: unassigned, name: Una Ssigned, emails: [una@tarkkuustyo.example], roles: [machinist]}\n")
    with (example / "organisation" / "training.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  - {id: TR-2026-99, person: unassigned, competence: first-aid, planned: \"2026-12-20\", "
                     "status: planned, provider: Finnish Red Cross, cost: 180}\n")
    out = tmp_path / "digests"
    assert qms("todo", example, "--all-people", "-o", out, "--today", "2026-11-27").code == 0
    assert "TR-2026-99" in (out / "unassigned.md").read_text()
    assert "TR-2026-99" not in (out / "_unassigned.md").read_text()
    assert "NC-2026-0012" in (out / "_unassigned.md").read_text()

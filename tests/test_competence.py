"""Competence: dates at every boundary, the matrix, gaps, expiry, owners, training, read and understood."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from qmskit.analysis.competence import EXPIRED, EXPIRING, VALID, Competences, expiring, status, valid_until
from qmskit.loading.load import load_manual
from qmskit.model import Competence, Origin, Qualification
from tests.conftest import EXAMPLE, Result, commit_all, edit, git, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(("until", "expected"), [
    (date(2026, 5, 31), EXPIRED),  # yesterday
    (date(2026, 6, 1), EXPIRING),  # today: still valid today, and about to expire
    (date(2026, 6, 2), EXPIRING),  # tomorrow
    (date(2026, 7, 31), EXPIRING),  # the window's last day (60 days)
    (date(2026, 8, 1), VALID),  # just outside the window
    (None, VALID),  # does not expire
])
def test_status_at_each_boundary(until: date | None, expected: str) -> None:
    assert status(until, TODAY, 60) == expected


@pytest.mark.parametrize(("gained", "months", "until"), [
    ("2024-02-29", 12, date(2025, 2, 28)),  # leap day + a year: the last day of February
    ("2024-02-29", 48, date(2028, 2, 29)),  # and back on a leap year
    ("2026-01-31", 1, date(2026, 2, 28)),
    ("2023-06-01", 36, date(2026, 6, 1)),
])
def test_validity_from_the_date_gained(gained: str, months: int, until: date) -> None:
    competence = Competence("first-aid", "First aid", Origin("x"), valid_months=months)
    assert valid_until(Qualification("first-aid", 1, Origin("x"), gained=gained), competence) == until


def test_written_valid_until_wins() -> None:
    competence = Competence("c", "C", Origin("x"), valid_months=12)
    qualification = Qualification("c", 1, Origin("x"), gained="2020-01-01", valid_until="2026-06-01")
    assert valid_until(qualification, competence) == date(2026, 6, 1)


def test_expiring_within_90_days_of_1_june_2026(qms: Qms) -> None:
    rows = qms("competence", EXAMPLE, "--expiring", "--within", "90d", "--today", "2026-06-01", "-f", "json").json()
    assert [(r["person"], r["competence"], r["valid_until"]) for r in rows] == [
        ("hanna-salonen", "first-aid", "2026-06-20"),
        ("timo-laine", "first-aid", "2026-07-05"),
        ("jari-koskinen", "forklift", "2026-08-16"),
    ]


def test_expiring_includes_today_and_excludes_yesterday() -> None:
    index = Competences(load_manual(EXAMPLE).manual, date(2026, 6, 20))
    found = {(c.person.id, c.competence) for c in expiring(index, 0)}
    assert found == {("hanna-salonen", "first-aid")}  # valid through 20 June, the day itself
    index = Competences(load_manual(EXAMPLE).manual, date(2026, 6, 21))
    assert ("hanna-salonen", "first-aid") not in {(c.person.id, c.competence) for c in expiring(index, 30)}


def test_gaps_say_whether_training_is_planned(qms: Qms) -> None:
    rows = qms("competence", EXAMPLE, "--gaps", "--today", "2026-11-27", "-f", "json").json()
    by = {(r["person"], r["competence"]): r for r in rows}
    assert by[("juha-lehtonen", "first-aid")]["training"] == "TR-2026-02 on 2026-12-15"
    assert by[("niko-peltonen", "hot-work")] | {} == {
        "person": "niko-peltonen", "name": "Niko Peltonen", "role": "service-technician", "competence": "hot-work",
        "required": 1, "held": 0, "problem": "missing", "training": ""}
    assert by[("emilia-jokinen", "cmm-measurement")]["problem"] == "level too low"
    assert by[("antti-korhonen", "first-aid")]["problem"] == "expired"


def test_matrix_formats(qms: Qms) -> None:
    data = qms("competence", EXAMPLE, "--today", "2026-11-27", "-f", "json").json()
    assert len(data["people"]) == 25
    timo = next(p for p in data["people"] if p["id"] == "timo-laine")
    assert timo["cells"]["first-aid"] == {"level": 1, "required": 1, "status": "expired",
                                         "valid_until": "2026-07-05"}
    csv_out = qms("competence", EXAMPLE, "--today", "2026-11-27", "-f", "csv", "--role", "inspector").out
    assert csv_out.splitlines()[0].startswith("Person,")
    assert len(csv_out.splitlines()) == 3  # the two inspectors
    markdown = qms("competence", EXAMPLE, "--person", "juha-lehtonen", "-f", "markdown").out
    assert "| Juha Lehtonen |" in markdown
    text = qms("competence", EXAMPLE, "--today", "2026-11-27").out
    assert "Competence matrix on 2026-11-27" in text


def test_usage_errors(qms: Qms) -> None:
    assert qms("competence", EXAMPLE, "--person", "nobody").code == 2
    assert qms("competence", EXAMPLE, "--expiring", "--within", "soon").code == 2
    assert qms("competence", EXAMPLE, "--today", "2026-02-30").code == 2


def test_example_has_warnings_but_no_errors_on_its_day(example: Path, findings: Findings) -> None:
    found = findings(example, "--today", "2026-11-27", "--select", "QMS-COMP")
    assert {rule for rule, _, _ in found} == {"QMS-COMP-001", "QMS-COMP-002", "QMS-COMP-003", "QMS-COMP-005",
                                              "QMS-COMP-006"}


PEOPLE = "organisation/people.yaml"


def test_critical_expired_qualification_is_an_error(example: Path, qms: Qms) -> None:
    edit(example / PEOPLE, 'gained: "2026-06-25", valid_until: "2031-06-25"', 'gained: "2021-06-25", '
                                                                             'valid_until: "2026-06-25"')
    result = qms("validate", example, "--today", "2026-11-27", "--format", "json", "--select", "QMS-COMP-002")
    errors = [d for d in result.json()["diagnostics"] if d["severity"] == "error"]
    assert [(d["rule"], d["line"]) for d in errors] == [
        ("QMS-COMP-002", line_of(example / PEOPLE, 'valid_until: "2026-06-25"'))]
    assert "Eero Lindholm's forklift qualification has expired" in errors[0]["message"]
    assert result.code == 1


def test_owner_role_without_a_competent_holder(example: Path, findings: Findings) -> None:
    edit(example / PEOPLE, "{competence: cmm-measurement, level: 4, gained: \"2016-03-01\"}",
         "{competence: cmm-measurement, level: 2, gained: \"2016-03-01\"}")
    found = findings(example, "--select", "QMS-COMP-004")
    path = "processes/production.inspection.yaml"
    assert found == [("QMS-COMP-004", path, line_of(example / path, "owner:"))]


def test_training_overdue_and_not_evaluated(example: Path, findings: Findings) -> None:
    found = findings(example, "--today", "2026-11-27", "--select", "QMS-COMP-005", "--select", "QMS-COMP-006")
    training = example / "organisation/training.yaml"
    assert found == [("QMS-COMP-005", "organisation/training.yaml", line_of(training, "TR-2026-03")),
                     ("QMS-COMP-006", "organisation/training.yaml", line_of(training, "TR-2026-07"))]


def test_gap_without_training(example: Path, findings: Findings) -> None:
    found = findings(example, "--select", "QMS-COMP-001")
    assert ("QMS-COMP-001", PEOPLE, line_of(example / PEOPLE, "id: niko-peltonen") + 4) in found


def test_read_and_understood(example: Path, qms: Qms) -> None:
    # Timo is a machinist: WI-001 names that role, so he owes an acknowledgement of its current revision
    for path in (example / "records" / "acknowledgement").glob("*.yaml"):
        if "person: timo-laine" in path.read_text() and "document: WI-001" in path.read_text():
            path.unlink()
    # out of the example's only commit, not deleted by a later one (deleting a record is QMS-REC-009)
    git(example, "add", "-A")
    git(example, "commit", "-q", "--amend", "--no-edit")
    owed = {(r["person"], r["document"], r["revision"]) for r in
            qms("competence", example, "--unread", "-f", "json").json()}
    assert ("timo-laine", "WI-001", 1) in owed
    assert ("aino-lahtinen", "WI-001", 1) not in owed  # not a role WI-001 concerns
    git(example, "config", "user.email", "timo.laine@tarkkuustyo.example")
    result = qms("ack", "WI-001", example, "--commit")
    assert result.code == 0, result.err
    assert "timo-laine has read WI-001 revision 1" in result.out
    again = {(r["person"], r["document"]) for r in qms("competence", example, "--unread", "-f", "json").json()}
    assert ("timo-laine", "WI-001") not in again
    assert qms("validate", example, "--ignore", "QMS-COMP").code == 0
    # a new revision makes the acknowledgement due again
    edit(example / "documents/instructions/WI-001-first-off-inspection.md", "## Steps",
         "## Steps\n\n0. Read the order.")
    commit_all(example, "New step", "Approved-by: Mikko Heinonen <mikko.heinonen@tarkkuustyo.example>")
    latest = {(r["person"], r["document"], r["revision"]) for r in
              qms("competence", example, "--unread", "-f", "json").json()}
    assert ("timo-laine", "WI-001", 2) in latest


def test_read_and_understood_through_a_form_of_another_name(itservices: Path, qms: Qms) -> None:
    """`qms ack` and the unread list find the form by `purpose: acknowledgement` and its fields by `binds:`."""
    owed = {(r["person"], r["document"]) for r in qms("competence", itservices, "--unread", "-f", "json").json()}
    assert ("mika-aalto", "PRO-002") in owed
    result = qms("ack", "PRO-002", itservices, "--by", "mika-aalto")
    assert result.code == 0, result.err
    written = next((itservices / "records" / "read-confirmation").glob("READ-*.yaml")).read_text()
    assert "doc: PRO-002" in written and "rev: 1" in written and "reader: mika-aalto" in written
    again = {(r["person"], r["document"]) for r in qms("competence", itservices, "--unread", "-f", "json").json()}
    assert ("mika-aalto", "PRO-002") not in again
    assert len(again) == len(owed) - 1


def test_ack_without_an_acknowledgement_form_says_how_to_add_one(itservices: Path, qms: Qms) -> None:
    edit(itservices / "forms" / "read-confirmation.yaml", "purpose: acknowledgement\n", "purpose: other\n")
    edit(itservices / "forms" / "read-confirmation.yaml", "binds: {document: doc, revision: rev, person: reader}\n",
         "")
    result = qms("ack", "PRO-002", itservices, "--by", "mika-aalto")
    assert result.code == 2 and "purpose: acknowledgement" in result.err

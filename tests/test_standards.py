"""Standards as data: several standards on one manual, coverage per standard, editions and their transition.

Tested on an integrated management system (quality, environment, safety) built from `qms init`'s template, not on
the example manual.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qmskit.analysis.coverage import coverage, resolve
from qmskit.loading.load import catalogue, catalogue_files, load_manual
from qmskit.site.generate import SiteInput, build_pages
from qmskit.vcs.history import History
from tests.conftest import Result, edit, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
THREE = "standards: [iso9001:2015+amd1:2024, iso14001:2015+amd1:2024, iso45001:2018+amd1:2024]"

# The environmental and safety work of a small Finnish machine shop: the clauses only ISO 14001 and ISO 45001 have,
# named with their standard; a sub-process of management, so its interfaces are its parent's.
ENVIRONMENT_SAFETY = """\
id: environment-safety
name: Environment, health and safety
category: management
parent: management
owner: quality-manager
purpose: Know our environmental aspects and our hazards, meet our obligations, and prepare for emergencies.
customer: operations
inputs:
  - {name: Customer needs and feedback, from: customer}
outputs:
  - {name: "Policy, objectives and corrective actions", to: operations}
clauses: ["iso14001 6.1", "iso14001 6.2", "iso14001 8.2", "iso14001 9.1",
          "iso45001 5.4", "iso45001 6.1", "iso45001 6.2", "iso45001 8.2", "iso45001 9.1"]
"""


def _integrated(template: Path) -> Path:
    """The template manual declaring quality, environment and safety, with the clauses each standard adds."""
    edit(template / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", THREE)
    # Harmonized-structure clauses named once count for all three standards.
    edit(template / "processes/management.yaml", '"4.4.1", ', '"4.4", "4.4.1", "5.1", "5.2", "7.1", "9.3", "10.2", ')
    (template / "processes/environment-safety.yaml").write_text(ENVIRONMENT_SAFETY, encoding="utf-8")
    return template


def _json(qms: Qms, *args: str | Path) -> Any:
    result = qms(*args)
    assert result.code in (0, 1), result.err
    return result.json()


def test_three_standards_report_their_own_gaps_at_their_own_entry(template: Path, qms: Qms) -> None:
    edit(template / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", THREE)
    report = _json(qms, "validate", template, "--format", "json")
    gaps = {(d["message"].split(" clause ")[0], d["message"].split(" clause ")[1].split()[0], d["column"])
            for d in report["diagnostics"] if d["rule"] == "QMS-COV-001"}
    line = (template / "qms.yaml").read_text(encoding="utf-8").splitlines()[line_of(template / "qms.yaml",
                                                                                    "standards:") - 1]
    column_14001, column_45001 = line.index("iso14001") + 1, line.index("iso45001") + 1
    assert ("ISO 14001:2015 + Amd 1:2024", "6.1.2", column_14001) in gaps  # environmental aspects
    assert ("ISO 14001:2015 + Amd 1:2024", "9.1.2", column_14001) in gaps  # evaluation of compliance
    assert ("ISO 45001:2018 + Amd 1:2024", "5.4", column_45001) in gaps  # consultation of workers
    assert ("ISO 45001:2018 + Amd 1:2024", "6.1.2.1", column_45001) in gaps  # hazard identification
    # the template addresses 9.2.1 and 7.4, harmonized-structure clauses: they count for all three standards
    numbers = {number for _, number, _ in gaps}
    assert not numbers & {"9.2.1", "7.4.1", "7.4.2", "7.4.3", "4.1", "4.2", "10.3"}
    assert not any(label.startswith("ISO 9001") for label, _, _ in gaps)  # the template covers ISO 9001


def test_an_integrated_system_validates_clean(template: Path, qms: Qms) -> None:
    manual = _integrated(template)
    report = _json(qms, "validate", manual, "--format", "json")
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert errors == []
    table = _json(qms, "coverage", manual, "--format", "json")
    rows = table
    assert {r["standard"] for r in rows} == {
        "iso9001:2015+amd1:2024", "iso14001:2015+amd1:2024", "iso45001:2018+amd1:2024"}
    assert not [r for r in rows if r["status"] == "not addressed"]
    by_key = {(r["standard"], r["clause"]): r for r in rows}
    assert by_key["iso45001:2018+amd1:2024", "6.1.2.1"]["addressed_by"] == ["environment-safety"]
    assert by_key["iso14001:2015+amd1:2024", "9.2.1"]["addressed_by"] == ["management"]
    # 6.1.2 means different requirements: the quality standard's is not addressed by the environmental process
    assert "environment-safety" not in by_key["iso9001:2015+amd1:2024", "6.1.2"]["addressed_by"]


def test_climate_change_is_asked_once_per_standard(template: Path, findings: Findings) -> None:
    manual = _integrated(template)
    edit(manual / "processes/management.yaml", "topics: [climate-change]\n", "")
    found = findings(manual)
    line = line_of(manual / "qms.yaml", "standards:")
    assert sorted(f for f in found if f[0] == "QMS-COV-005") == [("QMS-COV-005", "qms.yaml", line)] * 3
    # 4.2 is a note: parties can answer it, and the template's parties do not
    assert [f[0] for f in found if f[0] == "QMS-COV-006"] == ["QMS-COV-006"] * 3


def test_a_party_with_climate_requirements_answers_4_2(template: Path, findings: Findings) -> None:
    edit(template / "processes/management.yaml", "topics: [climate-change]\n", "")
    edit(template / "organisation/parties.yaml", "description: The people and companies who pay for what we deliver.",
         "description: The people and companies who pay for what we deliver., topics: [climate-change]")
    rules = {f[0] for f in findings(template)}
    assert "QMS-COV-005" in rules  # 4.1 asks the organisation itself
    assert "QMS-COV-006" not in rules


@pytest.mark.parametrize(("reference", "message"), [
    ("5.4", "'5.4' is not a clause of ISO 9001:2015 + Amd 1:2024; for iso45001's clause write 'iso45001 5.4'"),
    ("iso27001 6.1", "'iso27001 6.1' names iso27001, which is not among the standards in qms.yaml"),
    ("iso14001 6.1.9", "'iso14001 6.1.9': 6.1.9 is not a clause of ISO 14001:2015 + Amd 1:2024"),
])
def test_clause_references_that_mean_nothing_say_why(template: Path, qms: Qms, reference: str,
                                                     message: str) -> None:
    manual = _integrated(template)
    edit(manual / "processes/environment-safety.yaml", '"iso45001 5.4"', f'"{reference}"')
    report = _json(qms, "validate", manual, "--format", "json")
    found = [(d["rule"], d["path"], d["line"], d["message"]) for d in report["diagnostics"]
             if d["rule"] == "QMS-REF-003"]
    assert found == [("QMS-REF-003", "processes/environment-safety.yaml", 13, message)]


def test_unqualified_numbers_mean_the_primary_standard_and_shared_clauses() -> None:
    quality, environment, safety = (catalogue(s) for s in ("iso9001:2015+amd1:2024", "iso14001:2015+amd1:2024",
                                                           "iso45001:2018+amd1:2024"))
    assert quality and environment and safety
    three = (quality, environment, safety)
    assert resolve("9.2", three) == ((quality, "9.2"), (environment, "9.2"), (safety, "9.2"))
    assert resolve("6.1.2", three) == ((quality, "6.1.2"),)  # different requirements in each standard
    assert resolve("iso45001 6.1.2", three) == ((safety, "6.1.2"),)
    assert resolve("8.2", (environment, quality)) == ((environment, "8.2"),)  # the primary is the first declared


def test_every_bundled_catalogue_is_complete_and_amendments_add_climate_change() -> None:
    assert set(catalogue_files()) == {"iso9001:2015", "iso9001:2015+amd1:2024", "iso14001:2015",
                                      "iso14001:2015+amd1:2024", "iso45001:2018", "iso45001:2018+amd1:2024"}
    for standard in catalogue_files():
        found = catalogue(standard)
        assert found is not None and found.standard == standard
        numbers = [c.number for c in found.clauses]
        assert len(numbers) == len(set(numbers)) and numbers[0] == "4" and numbers[-1] == "10.3"
        assert all(c.parent == "" or found.get(c.parent) for c in found.clauses)
        topics = {t.id for c in found.clauses for t in c.topics}
        assert topics == ({"climate-change"} if "+amd1:2024" in standard else set())
        if "+amd1:2024" in standard:
            asks = {c.number: [(t.required, t.parties) for t in c.topics] for c in found.clauses if c.topics}
            assert asks == {"4.1": [(True, False)], "4.2": [(False, True)]}
    # the harmonized structure's clauses carry the same numbers in each standard
    shared = [{c.number for c in catalogue(s).clauses if c.hs} for s in ("iso9001:2015", "iso14001:2015",
                                                                         "iso45001:2018")]
    assert shared[0] == shared[1] == shared[2]


def test_the_older_standard_key_still_reads_and_asks_to_move_to_the_amendment(template: Path,
                                                                              findings: Findings) -> None:
    edit(template / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", "standard: iso9001:2015")
    found = findings(template)
    assert [f for f in found if f[0].startswith(("QMS-STD", "QMS-COV", "QMS-REF"))] == [
        ("QMS-STD-002", "qms.yaml", line_of(template / "qms.yaml", "standard:"))]


def test_transition_report_lists_what_the_next_edition_changes(template: Path, qms: Qms) -> None:
    edit(template / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", "standards: [iso9001:2015]")
    table = _json(qms, "coverage", template, "--transition", "iso9001:2015+amd1:2024", "--format", "json")
    rows = table
    assert [(r["clause"], r["change"], r["addressed_by"]) for r in rows] == [
        ("4.1", "topics", ["management"]), ("4.2", "topics", ["management"])]
    assert "climate change is a relevant issue" in rows[0]["asks"]


def test_an_edition_without_a_catalogue_is_a_usage_error_that_says_why(template: Path, qms: Qms) -> None:
    result = qms("coverage", template, "--transition", "iso9001:2026")
    assert result.code == 2
    assert "no clause catalogue for 'iso9001:2026'" in result.err
    assert "public sources" in result.err


def test_site_coverage_matrix_has_one_column_per_standard(template: Path) -> None:
    manual = load_manual(_integrated(template)).manual
    pages, _ = build_pages(SiteInput(manual, History(available=False), date(2026, 11, 27)))
    page = next(p.content for p in pages if p.path == "coverage.md")
    header = next(line for line in page.splitlines() if line.startswith("| Clause"))
    assert [c.strip() for c in header.strip().strip("|").split("|")] == [
        "Clause", "Title", "ISO 9001:2015 \\+ Amd 1:2024", "ISO 14001:2015 \\+ Amd 1:2024",
        "ISO 45001:2018 \\+ Amd 1:2024"]
    # a clause number at the start of a cell is escaped (&#53;.4) so Markdown cannot take it for a list
    lines = [html.unescape(line) for line in page.splitlines()]
    row = next(line for line in lines if line.startswith("| 5.4 |"))
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    assert cells[2:4] == ["—", "—"]  # neither ISO 9001 nor ISO 14001 has a clause 5.4
    assert cells[1:] == ["Consultation and participation of workers", "—", "—",
                         "[Environment, health and safety](processes/environment-safety.md)"]
    # 6.1.2: where a standard's clause differs from the title column, its cell names it
    row = next(line for line in lines if line.startswith("| 6.1.2 |"))
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    assert "environment-safety" not in cells[2]
    assert cells[3] == "*Environmental aspects*: [Environment, health and safety](processes/environment-safety.md)"
    assert len(coverage(manual)) == 3


def test_qms_build_publishes_the_matrix(template: Path, tmp_path: Path) -> None:
    manual = _integrated(template)
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "qmskit", "build", str(manual), "-o", str(out), "--today",
                           "2026-11-27"], capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    html = (out / "coverage" / "index.html").read_text(encoding="utf-8")
    for label in ("ISO 9001:2015 + Amd 1:2024", "ISO 14001:2015 + Amd 1:2024", "ISO 45001:2018 + Amd 1:2024"):
        assert f"<th>{label}</th>" in html


def test_two_editions_of_one_standard_are_refused(template: Path, findings: Findings) -> None:
    edit(template / "qms.yaml", "standards: [iso9001:2015+amd1:2024]",
         "standards: [iso9001:2015+amd1:2024, iso9001:2015]")
    line = line_of(template / "qms.yaml", "standards:")
    assert [f for f in findings(template) if f[0].startswith("QMS-STD")] == [("QMS-STD-001", "qms.yaml", line)]

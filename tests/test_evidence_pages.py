"""The site's pages for 9.1.2, 9.2, 9.3 and 10.2 (management reviews, audit programme, internal complaints,
customer feedback) and the home tiles that count them, generated in-process from two manuals that share no form
id or field name: the example and the IT-services manual."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from qmskit.loading.load import load_manual
from qmskit.site.build import generate
from qmskit.site.generate import SiteInput, build_pages
from qmskit.vcs.history import History
from tests.conftest import EXAMPLE, ITSERVICES, edit

TODAY = date(2026, 11, 27)
TILE = re.compile(r'<a class="qms-tile" href="([^"]+)"><span class="qms-value">(\d+)</span>'
                  r'<span class="qms-label">([^<]+)</span>')


def pages_of(root: Path, today: date = TODAY) -> dict[str, str]:
    manual = load_manual(root).manual
    pages, _ = build_pages(SiteInput(manual, History(available=False), today))
    return {p.path: p.content for p in pages}


def table_after(page: str, anchor: str) -> list[str]:
    """The body rows of the first table after the heading with `{#anchor}` (up to the next heading)."""
    lines = page.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and f"{{#{anchor}}}" in line)
    rows: list[str] = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            break
    return rows[2:]  # without the header and its separator


def first_table(page: str) -> list[str]:
    """The body rows of the first table on a page."""
    lines = page.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return lines[start + 2:end]


def tiles(pages: dict[str, str]) -> dict[str, tuple[int, str]]:
    return {label: (int(count), href) for href, count, label in TILE.findall(pages["index.md"])}


def page_of(href: str) -> tuple[str, str]:
    """A tile's link (directory URL) -> the generated page and the anchor."""
    path, _, anchor = href.partition("#")
    path = path.rstrip("/")
    return (f"{path}.md" if path else "index.md"), anchor


@pytest.mark.parametrize("root", [EXAMPLE, ITSERVICES], ids=["example", "itservices"])
def test_every_tile_counts_the_rows_of_the_list_it_links_to(root: Path) -> None:
    pages = pages_of(root)
    found = tiles(pages)
    assert len(found) == 11
    for label, (count, href) in found.items():
        path, anchor = page_of(href)
        if path not in pages:
            path = path.removesuffix(".md") + "/index.md"
        page = pages[path]
        rows = table_after(page, anchor) if anchor else first_table(page)  # else the page's own table
        assert len(rows) == count, (label, href, count, len(rows))


def test_documents_tiles_agree_with_the_register_when_some_are_drafts_or_overdue(example: Path,
                                                                                  tmp_path: Path) -> None:
    """Before: the tile counted active documents only while the register lists drafts too, and the overdue tile
    linked to the whole register. Generated with the manual's Git history, which gives the review dates."""
    document = next(p for p in sorted((example / "documents").rglob("*.md")) if "status: active" in p.read_text())
    edit(document, "status: active", "status: draft")
    folder = tmp_path / "site"
    generate(example, folder, "internal", date(2031, 1, 1))  # every review is overdue by then
    pages = {p.relative_to(folder / "docs").as_posix(): p.read_text(encoding="utf-8")
             for p in (folder / "docs").rglob("*.md")}
    found = tiles(pages)
    count, _ = found["Controlled documents"]
    assert count == len(first_table(pages["documents/index.md"]))
    overdue, href = found["Reviews overdue"]
    assert href == "documents/#overdue" and overdue > 0
    assert len(table_after(pages["documents/index.md"], "overdue")) == overdue


def test_each_management_review_has_its_pack_for_the_period_it_covered(itservices: Path) -> None:
    second = itservices / "records" / "mgmt-review-minutes" / "MRM-2026-0002.yaml"
    second.write_text("id: MRM-2026-0002\nform: mgmt-review-minutes\nform_revision: 1\n"
                      "created_at: '2026-07-02T09:00:00+03:00'\ncreated_by: aino-salo\n"
                      "values:\n  held: '2026-07-01'\n  outcome: Automate the release checklist.\n")
    pages = pages_of(itservices)
    index = pages["registers/reviews/index.md"]
    assert [row.split("|")[1].strip() for row in first_table(index)] == \
        ["[2026-07-01](mrm-2026-0002.md)", "[2026-01-28](mrm-2026-0001.md)"]  # the latest first
    latest = pages["registers/reviews/mrm-2026-0002.md"]
    # the period it covered runs from the day after the review before it
    assert "**Period covered:** 2026-01-29 \u2013 2026-07-01" in latest
    assert "[MRM-2026-0001](mrm-2026-0001.md)" in latest
    # its own record (outputs, 9.3.3) with the form's labels, then the inputs of 9.3.2 for that period
    outputs = table_after(latest, "outputs")
    assert "| Decisions | Automate the release checklist. |" in outputs
    inputs = latest[latest.index("{#inputs}"):]
    assert "Last review 2026-01-28 (MRM-2026-0001). Decisions:" in inputs
    assert "Recorded in the minutes MRM-2026-0002." in inputs
    for heading in ("a) Status of actions", "c) Performance and effectiveness", "f) Opportunities for improvement"):
        assert f"### {heading}" in inputs
    # the incident of 2026-08-21 came after this review: not in its pack
    assert "IR-2026-0002" not in inputs
    first = pages["registers/reviews/mrm-2026-0001.md"]
    assert "No earlier review recorded." in first and "MRM-2026-0002" not in first
    assert "**Period covered:** 2025-01-29 \u2013 2026-01-28" in first


def test_review_packs_are_rebuilt_for_one_certification_cycle_only(itservices: Path) -> None:
    """Each pack reads every record of the manual: older reviews show their record and say why there is no pack."""
    old = itservices / "records" / "mgmt-review-minutes" / "MRM-2022-0001.yaml"
    old.write_text("id: MRM-2022-0001\nform: mgmt-review-minutes\nform_revision: 1\n"
                   "created_at: '2022-05-02T09:00:00+03:00'\ncreated_by: aino-salo\n"
                   "values:\n  held: '2022-05-02'\n  outcome: Start measuring releases.\n")
    pages = pages_of(itservices)
    older = pages["registers/reviews/mrm-2022-0001.md"]
    assert "| Decisions | Start measuring releases. |" in older
    assert "rebuilt for the latest 12 reviews of the last 3 years only" in older and "### a)" not in older
    assert "### a) Status of actions" in pages["registers/reviews/mrm-2026-0001.md"]
    assert "Last review 2022-05-02 (MRM-2022-0001)" in pages["registers/reviews/mrm-2026-0001.md"]


def test_audit_programme_links_findings_to_the_records_they_raised(itservices: Path) -> None:
    edit(itservices / "forms" / "incident-report.yaml", "workflow:\n",
         "  - {id: found-in, label: Found in, type: reference, of: record}\nworkflow:\n")
    edit(itservices / "records" / "incident-report" / "IR-2026-0003.yaml", "values:\n",
         "values:\n  found-in: SA-2026-0002\n")
    page = pages_of(itservices)["registers/audits.md"]
    audits = table_after(page, "audits")
    assert [row.split("|")[2].strip()[1:13] for row in audits] == \
        ["SA-2026-0004", "SA-2026-0003", "SA-2026-0002", "SA-2026-0001"]  # the latest first
    first = next(row for row in audits if "[SA-2026-0001]" in row)
    assert "Audit of service-delivery." in first  # findings in full
    assert "[IR-2026-0002](../records/incident-report/2026.md#ir-2026-0002) (fixing)" in first  # named in its text
    second = next(row for row in audits if "[SA-2026-0002]" in row)
    assert "[IR-2026-0003](../records/incident-report/" in second  # names the audit
    programme = {row.split("|")[1].strip(): row for row in table_after(page, "programme")}
    # an audit of a process covers its sub-processes
    assert "SA-2026-0001" in programme["[Test](../processes/service-delivery.test.md)"]
    assert "| done |" in programme["[Test](../processes/service-delivery.test.md)"]
    clauses = table_after(page, "clauses")
    assert any("Governance and improvement" in row and "SA-2026-0003" in row for row in clauses)


def test_audit_programme_says_when_a_process_was_never_audited_or_is_overdue(itservices: Path) -> None:
    (itservices / "records" / "service-audit" / "SA-2026-0004.yaml").unlink()
    pages = pages_of(itservices, date(2029, 5, 1))
    programme = {row.split("|")[1].strip(): row for row in table_after(pages["registers/audits.md"], "programme")}
    assert "**never audited**" in programme["[People, tools and hosting](../processes/people-and-tools.md)"]
    assert "**overdue**" in programme["[Service delivery](../processes/service-delivery.md)"]  # 2026-04-15 + 36 mo


def test_internal_complaints_per_pair_and_per_process(itservices: Path) -> None:
    page = pages_of(itservices)["registers/internal-complaints.md"]
    pairs = table_after(page, "pairs")
    assert pairs[0].split("|")[1:8] == [" [Test](../processes/service-delivery.test.md) ",
                                        " [Build](../processes/service-delivery.build.md) ", " 2 ", " 2 ", " 0 ",
                                        " 5 ", " 1 "]
    build = page[page.index("{#process-service-delivery.build}"):]
    build = build[:build.index("\n### ")]
    assert "Complaints received about its outputs: 2" in build and "HI-2026-0001" in build
    assert "HI-2026-0003" in build and "late \\(2 days\\)" in build
    assert len(table_after(page, "complaints")) == 3


def test_customer_feedback_summary_reads_by_meaning(itservices: Path) -> None:
    page = pages_of(itservices)["registers/customer-feedback.md"]
    assert "| Net Promoter Score |" in page and "<svg" in page  # the figure and its trend
    complaints = table_after(page, "complaints")
    assert complaints and all("ticket-escalation" in row for row in complaints)
    assert "!!! warning" not in page


def test_a_long_list_of_detractors_shows_the_latest_and_where_the_rest_are(itservices: Path) -> None:
    folder = itservices / "records" / "survey-response"
    for n in range(1, 131):
        (folder / f"SR-2026-{1000 + n}.yaml").write_text(
            f"id: SR-2026-{1000 + n}\nform: survey-response\nform_revision: 1\n"
            "created_at: '2026-03-01T09:00:00+02:00'\ncreated_by: leena-maki\n"
            f"values:\n  client: harbor-bank\n  answered-on: '2026-03-{1 + n % 28:02d}'\n  likelihood: 3\n")
    page = pages_of(itservices)["registers/customer-feedback.md"]
    detractors = page[page.index("{#detractors}"):]
    total = int(re.search(r"Negative feedback without follow-up \((\d+)\)", page)[1])  # type: ignore[index]
    assert total >= 130
    assert f"The latest 100 of {total} are listed here; every one is in the register: " \
           "[Records](../records/index.md)" in detractors
    assert len(table_after(page, "detractors")) == 100


def test_pages_say_what_is_missing_when_no_form_declares_the_purpose(itservices: Path) -> None:
    edit(itservices / "forms" / "service-audit.yaml", "purpose: audit\n", "")
    edit(itservices / "forms" / "mgmt-review-minutes.yaml", "purpose: management-review\n", "")
    edit(itservices / "forms" / "handover-issue.yaml", "purpose: internal-complaint\n", "")
    pages = pages_of(itservices)
    assert '!!! warning "audits: no form declares \\`purpose: audit\\`"' in pages["registers/audits.md"]
    assert "purpose: management-review" in pages["registers/reviews/index.md"]
    assert "purpose: internal-complaint" in pages["registers/internal-complaints.md"]
    found = tiles(pages)
    assert found["Internal audits"][0] == found["Management reviews"][0] == found["Internal complaints"][0] == 0


def test_finnish_labels_on_the_new_pages(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "manual"
    shutil.copytree(ITSERVICES, root)
    config = root / "qms.yaml"
    text = config.read_text()
    config.write_text(text.replace("language: en\n", "language: fi\n"))
    pages = pages_of(root)
    assert "# Sisäisten auditointien ohjelma" in pages["registers/audits.md"]
    assert "# Johdon katselmukset" in pages["registers/reviews/index.md"]
    assert "# Sisäiset reklamaatiot" in pages["registers/internal-complaints.md"]
    assert "# Asiakaspalaute" in pages["registers/customer-feedback.md"]
    assert "Sisäisiä auditointeja" in pages["index.md"]

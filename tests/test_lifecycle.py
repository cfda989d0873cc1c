"""A document's and a record's whole life in Git: concurrent writers, ids never handed out twice, deletion and
withdrawal as changes, baselines pinned to commits, and what is published being what was approved.

Run on the starter manual of `qms init` (not the example) and on the example, in real repositories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from qmskit.vcs import gitrepo
from tests.conftest import FIRST_PERSON as FIRST
from tests.conftest import Result, commit_all, edit, git, line_of, site_server

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
REVIEW = ["--set", "date=2026-03-01", "--set", "inputs=Audit results", "--set", "decisions=Keep going", "--no-input",
          "--by", "first-person"]


def _records(root: Path, form: str) -> set[str]:
    folder = root / "records" / form
    return {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()


def _status(root: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all")


# --- concurrent writers (issue 12 item 5) ---------------------------------------------------------------------


def test_twenty_concurrent_committing_writers_all_succeed(starter: Path) -> None:
    command = [sys.executable, "-m", "qmskit", "record", "new", "management-review", str(starter), *REVIEW,
               "--commit"]

    def run(_: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ, timeout=300)

    with ThreadPoolExecutor(max_workers=20) as pool:
        done = list(pool.map(run, range(20)))
    failures = [d.stderr for d in done if d.returncode != 0]
    assert failures == []
    ids = _records(starter, "management-review")
    assert len(ids) == 20
    committed = git(starter, "ls-tree", "-r", "--name-only", "HEAD", "records/management-review").split()
    assert {Path(p).stem for p in committed} == ids
    assert git(starter, "rev-list", "--count", "HEAD").strip() == "21"
    assert _status(starter) == ""


def test_a_failed_commit_leaves_no_record_behind(starter: Path, qms: Qms) -> None:
    hook = starter / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'refused by policy' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    result = qms("record", "new", "management-review", starter, *REVIEW, "--commit")
    assert result.code == 2
    assert "was not recorded" in result.err
    assert _records(starter, "management-review") == set()
    assert _status(starter) == ""  # nothing written, nothing staged
    hook.unlink()
    assert qms("record", "new", "management-review", starter, *REVIEW, "--commit").code == 0
    assert _records(starter, "management-review") == {"MR-2026-0001"}


def test_a_held_index_lock_fails_before_the_record_is_written(starter: Path, qms: Qms,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitrepo, "LOCK_WAIT_SECONDS", 0.3)
    (starter / ".git" / "index.lock").write_text("", encoding="utf-8")
    result = qms("record", "new", "management-review", starter, *REVIEW, "--commit")
    assert result.code == 2
    assert "index is locked" in result.err and "Nothing was written" in result.err
    assert _records(starter, "management-review") == set()


# --- withdrawal and deletion are changes (issue 11 item 5) ---------------------------------------------------

SECOND = ("Second Approver", "second.approver@example.com")
SECOND_PERSON = """  - id: second-approver
    name: Second Approver
    emails: [second.approver@example.com]
    roles: [quality-manager, top-management]
"""
BY_SECOND = f"Approved-by: {SECOND[0]} <{SECOND[1]}>"
PRO_002 = "documents/PRO-002-operations.md"


@pytest.fixture
def two_people(starter: Path) -> Path:
    """The starter manual with a second person who may approve procedures (so nobody approves their own).

    Both are in the first commit, because people are policy, read as of the trusted first commit (DESIGN 0016).
    The lifecycle is judged on the evidence any manual may have: without `approvals:` in qms.yaml, trailers and
    notes count as asserted evidence from anyone (and QMS-CTRL-024 says so)."""
    people = starter / "organisation" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + SECOND_PERSON, encoding="utf-8")
    config = starter / "qms.yaml"
    text = config.read_text(encoding="utf-8")
    start, bots = text.index("# Which approval evidence counts."), text.index("  # bots:")
    config.write_text(text[:start] + text[text.index("\n", bots) + 1:], encoding="utf-8")
    git(starter, "add", "-A")
    git(starter, "commit", "-q", "--amend", "--no-edit")
    return starter


def _unapproved(manual: Path, findings: Findings) -> list[tuple[str, str, int]]:
    return [f for f in findings(manual) if f[0].startswith("QMS-CTRL") and f[0] != "QMS-CTRL-024"]


def test_deleting_a_document_needs_approval(two_people: Path, findings: Findings, qms: Qms) -> None:
    (two_people / PRO_002).unlink()
    (two_people / "processes" / "operations.yaml").write_text(
        (two_people / "processes" / "operations.yaml").read_text(encoding="utf-8").replace("documents: [PRO-002]",
                                                                                         "documents: []"),
        encoding="utf-8")
    deleting = commit_all(two_people, "Operations need no procedure", who=FIRST)
    assert _unapproved(two_people, findings) == [("QMS-CTRL-001", PRO_002, 0)]
    message = qms("validate", two_people).out
    assert "deletion of PRO-002" in message and deleting[:10] in message
    # the approver approves the deletion afterwards, by id, from inside the manual without naming it
    approver = ["-c", f"user.name={SECOND[0]}", "-c", f"user.email={SECOND[1]}"]
    git(two_people, *approver, "config", "user.email", SECOND[1])
    result = qms("approve", "PRO-002", cwd=two_people / "documents")
    assert result.code == 0, result.err
    assert _unapproved(two_people, findings) == []


def test_a_deletion_approved_on_its_commit_passes_and_self_approval_does_not(two_people: Path,
                                                                             findings: Findings) -> None:
    (two_people / "documents" / "QM-002-scope.md").unlink()
    commit_all(two_people, "Scope moves into the manual", f"Approved-by: {FIRST[0]} <{FIRST[1]}>", who=FIRST)
    got = _unapproved(two_people, findings)
    assert ("QMS-CTRL-002", "documents/QM-002-scope.md", 0) in got
    assert ("QMS-CTRL-001", "documents/QM-002-scope.md", 0) in got
    (two_people / "documents" / "PLN-001-quality-objectives.md").unlink()
    commit_all(two_people, "Objectives live in objectives.yaml", BY_SECOND, who=FIRST)
    assert not any(path.startswith("documents/PLN-001") for _, path, _ in _unapproved(two_people, findings))


@pytest.mark.parametrize("status", ["obsolete", "draft"])
def test_moving_an_active_document_out_of_use_needs_approval(two_people: Path, findings: Findings,
                                                            status: str) -> None:
    document = two_people / PRO_002
    edit(document, "status: active", f"status: {status}")
    commit_all(two_people, f"PRO-002 is {status}", who=FIRST)
    line = line_of(document, "status:")
    assert ("QMS-CTRL-001", PRO_002, line) in _unapproved(two_people, findings)
    edit(document, "## Purpose", "## Purpose (withdrawn)")  # a later edit does not hide the withdrawal
    commit_all(two_people, "Mark the heading", who=FIRST)
    assert ("QMS-CTRL-001", PRO_002, line) in _unapproved(two_people, findings)


def test_an_approved_withdrawal_passes(two_people: Path, findings: Findings) -> None:
    edit(two_people / PRO_002, "status: active", "status: obsolete")
    edit(two_people / "processes" / "operations.yaml", "documents: [PRO-002]", "documents: []")
    commit_all(two_people, "PRO-002 is obsolete", BY_SECOND, who=FIRST)
    assert _unapproved(two_people, findings) == []


def test_deleting_a_document_of_the_example_needs_approval(example: Path, findings: Findings) -> None:
    doc = next((example / "documents").rglob("WI-*.md"))
    rel = doc.relative_to(example).as_posix()
    doc.unlink()
    commit_all(example, "Remove an instruction")
    assert ("QMS-CTRL-001", rel, 0) in findings(example)


def test_approve_takes_the_manual_by_option_only(two_people: Path, qms: Qms) -> None:
    wrong = qms("approve", "PRO-002", two_people)
    assert wrong.code == 2 and "--manual" in wrong.err
    edit(two_people / PRO_002, "## Purpose", "## Purpose of operations")
    edit(two_people / "documents" / "PRO-001-documented-information.md", "## Purpose", "## Purpose of control")
    commit_all(two_people, "Clearer headings", who=FIRST)
    git(two_people, "config", "user.email", SECOND[1])
    result = qms("approve", "PRO-002", "PRO-001", "--manual", two_people)
    assert result.code == 0, result.err
    assert "PRO-002" in result.out and "PRO-001" in result.out


# --- what is published is what was approved (issue 11 item 6) -----------------------------------------------


def _register(qms: Qms, manual: Path) -> dict[str, dict[str, object]]:
    result = qms("register", manual, "--format", "json")
    assert result.code == 0, result.err
    return {row["id"]: row for row in result.json()}


def test_register_shows_the_last_approved_revision_and_what_is_pending_apart(two_people: Path, qms: Qms) -> None:
    first = git(two_people, "rev-parse", "HEAD").strip()  # the starter commit, released by the baseline
    edit(two_people / PRO_002, "## Purpose", "## Purpose of operations")
    pending = commit_all(two_people, "Unapproved wording", who=FIRST)
    edit(two_people / "documents" / "PRO-001-documented-information.md", "## Purpose", "## Purpose of control")
    rows = _register(qms, two_people)
    assert {k: rows["PRO-002"][k] for k in ("revision", "effective", "approved_by", "evidence", "commit")} == {
        "revision": 1, "effective": "2026-01-15", "approved_by": ["First Person"], "evidence": ["baseline"],
        "commit": first}
    assert rows["PRO-002"]["pending"] == f"pending approval: revision 2 (2026-01-15, {pending[:10]})"
    assert rows["PRO-001"]["pending"] == "pending approval: uncommitted changes"
    assert rows["POL-001"]["pending"] == ""
    text = qms("register", two_people).out
    assert "Pending approval" in text and "Evidence" in text


def test_an_approval_made_later_makes_the_revision_effective_from_its_date(two_people: Path, qms: Qms) -> None:
    edit(two_people / PRO_002, "## Purpose", "## Purpose of operations")
    commit_all(two_people, "Wording", who=FIRST)
    git(two_people, "config", "user.email", SECOND[1])
    assert qms("approve", "PRO-002", "--meaning", "approved", "--manual", two_people).code == 0
    note = json.loads(git(two_people, "notes", "--ref=refs/notes/qms", "show", "HEAD"))
    row = _register(qms, two_people)["PRO-002"]
    assert (row["revision"], row["approved_by"], row["evidence"], row["pending"]) == (
        2, ["Second Approver"], ["asserted, not verified"], "")
    assert row["effective"] == max("2026-01-15", note["date"][:10])


def test_the_site_publishes_the_approved_text_and_marks_a_pending_revision(two_people: Path, qms: Qms,
                                                                         tmp_path: Path) -> None:
    edit(two_people / PRO_002, "Deliver products and services", "UNAPPROVED WORDING for products and services")
    commit_all(two_people, "Unapproved wording", who=FIRST)
    policy = two_people / "documents" / "POL-001-quality-policy.md"  # unchanged: published as it is
    draft = two_people / "documents" / "POL-002-new-policy.md"
    draft.write_text(policy.read_text(encoding="utf-8").replace("POL-001", "POL-002"), encoding="utf-8")
    commit_all(two_people, "A policy nobody approved", who=FIRST)
    edit(two_people / "documents" / "PRO-001-documented-information.md", "Keep documents identified",
         "UNCOMMITTED WORDING keeps documents identified")
    for audience in ("internal", "external"):
        result = qms("build", two_people, "-o", tmp_path / audience, "--audience", audience)
        assert result.code == 0, result.err
    operations = (tmp_path / "internal" / "documents" / "pro-002" / "index.html").read_text(encoding="utf-8")
    assert "Deliver products and services" in operations and "UNAPPROVED WORDING" not in operations
    assert "Pending approval" in operations and "revision 2" in operations
    control = (tmp_path / "internal" / "documents" / "pro-001" / "index.html").read_text(encoding="utf-8")
    assert "Keep documents identified" in control and "UNCOMMITTED WORDING" not in control
    assert "uncommitted changes" in control
    unapproved = (tmp_path / "internal" / "documents" / "pol-002" / "index.html").read_text(encoding="utf-8")
    assert "is not in effect" in unapproved
    external = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "external").rglob("*.html"))
    assert "POL-001" in external and "POL-002" not in external


def test_register_at_a_past_day_shows_what_was_approved_by_then(two_people: Path, qms: Qms) -> None:
    edit(two_people / PRO_002, "## Purpose", "## Purpose of operations")
    commit_all(two_people, "Wording", who=FIRST, date="2026-03-01T10:00:00+02:00")
    git(two_people, "config", "user.email", SECOND[1])
    assert qms("approve", "PRO-002", "--manual", two_people).code == 0  # approved today, not on 15 March

    def row_at(day: str) -> dict[str, object]:
        result = qms("register", two_people, "--at", day, "--format", "json")
        assert result.code == 0, result.err
        return next(r for r in result.json() if r["id"] == "PRO-002")

    march = row_at("2026-03-15")
    assert (march["revision"], march["approved_by"], march["evidence"]) == (1, ["First Person"], ["baseline"])
    assert str(march["pending"]).startswith("pending approval: revision 2 (2026-03-01, ")
    later = row_at("2099-01-01")
    assert (later["revision"], later["approved_by"], later["pending"]) == (2, ["Second Approver"], "")


@pytest.mark.browser
def test_a_reader_sees_the_approved_text_and_the_pending_notice_in_chromium(two_people: Path, qms: Qms,
                                                                           tmp_path: Path, browser: Any) -> None:
    edit(two_people / PRO_002, "Deliver products and services", "UNAPPROVED WORDING for products and services")
    commit_all(two_people, "Unapproved wording", who=FIRST)
    assert qms("build", two_people, "-o", tmp_path / "site").code == 0
    context = browser.new_context()
    try:
        page = context.new_page()
        with site_server(tmp_path / "site") as url:
            page.goto(url + "/documents/pro-002/")
            content = page.locator("article").inner_text()
        assert "Deliver products and services" in content and "UNAPPROVED WORDING" not in content
        notice = page.locator(".admonition.warning")
        assert notice.count() == 1 and "Pending approval" in notice.inner_text()
        assert "Revision\t1" in page.locator("table.qms-header").inner_text()
    finally:
        context.close()

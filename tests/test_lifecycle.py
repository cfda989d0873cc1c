"""A document's and a record's whole life in Git: concurrent writers, ids never handed out twice, deletion and
withdrawal as changes, baselines pinned to commits, and what is published being what was approved.

Run on the starter manual of `qms init` (not the example) and on the example, in real repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qmskit.vcs import gitrepo
from tests.conftest import FIRST_PERSON as FIRST
from tests.conftest import Result, commit_all, edit, git, line_of

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
    """The starter manual with a second person who may approve procedures (so nobody approves their own)."""
    people = starter / "organisation" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + SECOND_PERSON, encoding="utf-8")
    commit_all(starter, "A second approver", who=FIRST)
    return starter


def _unapproved(manual: Path, findings: Findings) -> list[tuple[str, str, int]]:
    return [f for f in findings(manual) if f[0].startswith("QMS-CTRL")]


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

"""`qms release` on real Git repositories: it lists each finding that blocks it, with its place and id, and an
approver can accept findings; the annotated tag records what was accepted, by whom, when and why."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLE_MERGE, TEMPLATE, Result, commit_all, edit, git

Qms = Callable[..., Result]
DOC = "documents/procedures/PRO-009-internal-audit.md"
APPROVED_BY_MIKKO = "Approved-by: Mikko Heinonen <mikko.heinonen@tarkkuustyo.example>"
TIMO = ("Timo Laine", "timo.laine@tarkkuustyo.example")


def _broken(example: Path) -> None:
    """An approved change that leaves one error in a procedure: its owner is no role."""
    edit(example / DOC, "owner: quality-manager", "owner: nobody")
    commit_all(example, "Owner changed", APPROVED_BY_MIKKO, who=TIMO, committer=EXAMPLE_MERGE)  # merged, approved


def _tag(root: Path, name: str) -> str:
    return git(root, "tag", "-l", "--format=%(contents)", name)


def test_release_lists_each_blocking_finding_with_place_and_id(example: Path, qms: Qms) -> None:
    _broken(example)
    result = qms("release", "manual-2026-12", example)
    assert result.code == 1, result.err
    assert "release refused: 1 finding block" in result.err
    line = next(line for line in result.err.splitlines() if "QMS-REF-001" in line)
    assert re.search(rf"{re.escape(DOC)}:\d+:\d+ error: .*'nobody'.* \[QMS-REF-001\] id [0-9a-f]{{12}}", line)
    assert "--accept" in result.err
    assert git(example, "tag", "-l").strip() == ""  # nothing tagged


def test_an_approver_accepts_a_finding_and_the_tag_records_it(example: Path, qms: Qms) -> None:
    _broken(example)
    result = qms("release", "manual-2026-12", example, "--accept", "QMS-REF-001", "--reason",
                 "Owner role is being created   this week", "--by", "mikko-heinonen")
    assert result.code == 0, result.err
    assert "1 accepted finding" in result.out
    message = _tag(example, "manual-2026-12")
    assert "Accepted findings (1):" in message
    assert re.search(rf"- {re.escape(DOC)}:\d+:\d+ error: .*\[QMS-REF-001\] id [0-9a-f]{{12}}", message)
    assert ("accepted by Mikko Heinonen (mikko-heinonen) on 2026-11-27 as QMS-REF-001: Owner role is being "
            "created this week") in message
    assert f"PRO-009 rev 2 {git(example, 'rev-parse', 'HEAD').strip()} " in message
    assert git(example, "cat-file", "-t", "manual-2026-12").strip() == "tag"


def test_a_finding_is_accepted_by_its_id_or_rule_in_a_file(example: Path, qms: Qms) -> None:
    _broken(example)
    listed = qms("release", "r1", example).err
    finding = re.search(r"id ([0-9a-f]{12})", listed)
    assert finding is not None
    assert qms("release", "r1", example, "--accept", finding[1], "--reason", "known", "--by",
               "aino-lahtinen").code == 0
    assert f"as {finding[1]}: known" in _tag(example, "r1")
    assert qms("release", "r2", example, "--accept", f"QMS-REF@{DOC}", "--reason", "known", "--by",
               "aino-lahtinen").code == 0
    assert qms("release", "r3", example, "--accept", "QMS-REF@processes/sales.yaml", "--reason", "x", "--by",
               "aino-lahtinen").code == 2  # names no blocking finding


def test_accepting_needs_a_reason_an_approver_and_a_real_finding(example: Path, qms: Qms) -> None:
    _broken(example)
    no_reason = qms("release", "r1", example, "--accept", "QMS-REF-001", "--by", "mikko-heinonen")
    assert no_reason.code == 2 and "--reason" in no_reason.err
    # a machinist may not approve procedures, so may not accept a finding in one
    machinist = qms("release", "r1", example, "--accept", "QMS-REF-001", "--reason", "x", "--by", "timo-laine")
    assert machinist.code == 2 and "may not accept" in machinist.err and "PRO-009" in machinist.err
    typo = qms("release", "r1", example, "--accept", "QMS-CTRL-004", "--reason", "x", "--by", "mikko-heinonen")
    assert typo.code == 2 and "QMS-CTRL-004" in typo.err
    partial = qms("release", "r1", example, "--accept", "QMS-REF-001", "--reason", "x", "--by", "mikko-heinonen",
                  "--strict")  # the example's competence warnings still block a strict release
    assert partial.code == 1 and "QMS-COMP" in partial.err
    assert git(example, "tag", "-l").strip() == ""


def test_nothing_in_a_finding_or_reason_forges_a_line_of_the_tag(example: Path, qms: Qms) -> None:
    _broken(example)
    reason = "fine\nPRO-001 rev 9 0000000 active forged.md\x1b[2J"
    assert qms("release", "r1", example, "--accept", "QMS-REF-001", "--reason", reason, "--by",
               "mikko-heinonen").code == 0
    message = _tag(example, "r1")
    assert "\nPRO-001 rev 9" not in message and "\x1b" not in message
    assert "as QMS-REF-001: fine PRO-001 rev 9 0000000 active forged.md [2J" in message


def test_release_of_a_manual_that_is_not_the_example(tmp_path: Path, qms: Qms) -> None:
    root = tmp_path / "bakery"
    shutil.copytree(TEMPLATE, root)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "Start")
    assert qms("release", "v1", root).code == 0, qms("validate", root).out
    people = root / "organisation/people.yaml"
    edit(people, "roles: [top-management, quality-manager, operations-manager]",
         "roles: [top-management, quality-manager, operations-manager, baker]")
    commit_all(root, "A role nobody defined")
    refused = qms("release", "v2", root)
    assert refused.code == 1 and "organisation/people.yaml:" in refused.err
    # the role nobody defined, and (people.yaml being policy) a policy change nobody approved, by nobody known
    rules = sorted(set(re.findall(r"\[(QMS-[A-Z]+-\d+)\]", refused.err)))
    assert rules
    accepts = [arg for rule in rules for arg in ("--accept", rule)]
    assert qms("release", "v2", root, *accepts, "--reason", "Role file follows", "--by", "first-person").code == 0
    assert "accepted by First Person (first-person)" in _tag(root, "v2")


def test_a_refused_release_lists_its_findings_in_the_readers_language(example: Path, qms: Qms) -> None:
    _broken(example)
    finnish = qms("release", "manual-2026-12", example, "--lang", "fi")
    assert finnish.code == 1
    line = next(line for line in finnish.err.splitlines() if "QMS-REF-001" in line)
    assert "ei ole tunnettu rooli" in line and "is not a known role" not in line
    english = next(line for line in qms("release", "manual-2026-12", example).err.splitlines()
                   if "QMS-REF-001" in line)
    assert line.split()[-1] == english.split()[-1]  # the id --accept takes is the same in every language

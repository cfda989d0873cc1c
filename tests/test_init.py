"""`qms init`: a new manual that validates clean, in a fresh Git repository, never overwriting a file."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

from qmskit.site.build import generate
from tests.conftest import Result

Qms = Callable[..., Result]


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


def test_init_makes_a_clean_manual_with_a_first_commit(tmp_path: Path, qms: Qms) -> None:
    target = tmp_path / "qm"
    assert qms("init", target).code == 0
    assert qms("validate", target).code == 0
    assert _git(target, "status", "--porcelain") == ""
    assert _git(target, "log", "--format=%s").strip() == "Start the quality manual with qms init"
    assert "qms.yaml" in _git(target, "ls-files")


def test_init_example_tells_a_year_of_dated_history(tmp_path: Path, qms: Qms) -> None:
    """The example's story file becomes real commits at their own dates: documents revised and approved by
    someone else, records on their days, the company's own merge identity, a dated release tag."""
    target = tmp_path / "qm"
    result = qms("init", target, "--example")
    assert result.code == 0, result.err
    assert "released as manual-2026-11" in result.out
    assert _git(target, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (target / ".qms" / "story.yaml").exists()  # how the history was told is not part of the manual
    log = [line.split("|") for line in _git(target, "log", "--format=%aI|%cI|%ae|%ce|%s").splitlines()]
    assert len(log) > 100
    # every commit by the merge identity the new repository's own qms.yaml names (not this machine's git user)
    assert {committer for *_, committer, _ in log} == {"merge-bot@tarkkuustyo.example"}
    assert "merge_identities: [merge-bot@tarkkuustyo.example" in (target / "qms.yaml").read_text(encoding="utf-8")
    assert len({author for _, _, author, _, _ in log}) > 10
    assert (log[-1][1][:10], log[0][1][:10]) == ("2025-12-01", "2026-11-27")
    # a record arrives when it reached its state: NC-2026-0001 was closed on 23 January
    assert _git(target, "log", "--format=%cI", "--", "records/nonconformity/NC-2026-0001.yaml")[:10] == "2026-01-23"
    # a document revised at its own date, approved by another person, a day after it was written
    history = qms("history", "WI-001", target, "--format", "json").json()
    assert [(r["revision"], r["date"], r["approved_at"], r["authors"]) for r in history] == [
        (2, "2026-01-28", "2026-01-28", ["jari.koskinen@tarkkuustyo.example"]),
        (1, "2025-12-01", "2025-12-01", ["mikko.heinonen@tarkkuustyo.example"])]
    assert history[0]["approved_by"] == ["Mikko Heinonen (approved, trailer, asserted, not verified)"]
    # the auditor's question: what was in force on a day
    march = {r["id"]: r for r in qms("register", target, "--at", "2026-03-15", "--format", "json").json()}
    july = {r["id"]: r for r in qms("register", target, "--at", "2026-07-01", "--format", "json").json()}
    assert (march["WI-001"]["revision"], march["PRO-005"]["revision"], march["PRO-005"]["effective"]) == (
        2, 1, "2025-12-01")
    assert (july["PRO-005"]["revision"], july["PRO-005"]["effective"], july["PRO-005"]["next_review"]) == (
        2, "2026-06-23", "2028-06-23")
    assert march["PLN-001"]["next_review"] == "2026-12-01"  # a 12-month plan, released with the baseline
    # a policy change approved at its date: the new machinist is judged as a person from then on
    people_log = _git(target, "log", "--format=%cI %(trailers:key=Approved-by,valueonly)", "--",
                      "organisation/people.yaml")
    assert people_log.startswith("2026-08-17T12:45:00+03:00 Aino Lahtinen <aino.lahtinen@tarkkuustyo.example>")
    # the release: an annotated tag, dated, by the quality manager, listing the effective revisions
    tag = _git(target, "for-each-ref", "refs/tags/manual-2026-11",
               "--format=%(objecttype) %(taggeremail) %(taggerdate:iso-strict)")
    assert tag.strip() == "tag <mikko.heinonen@tarkkuustyo.example> 2026-11-27T16:00:00+02:00"
    listed = _git(target, "tag", "-l", "-n99", "manual-2026-11")
    assert "WI-001 rev 2" in listed and "PRO-005 rev 2" in listed and "PRO-008 rev 1" in listed
    for day in ("2026-11-27", "2027-06-01", "2028-01-01"):
        diagnostics = qms("validate", target, "--today", day, "--format", "json").json()["diagnostics"]
        assert [d for d in diagnostics if d["severity"] == "error"] == [], day
    # the site's revision history shows both revisions with their dates and approvers
    generate(target, tmp_path / "site", "internal", date(2026, 11, 27))
    page = (tmp_path / "site" / "docs" / "documents" / "wi-001.md").read_text(encoding="utf-8")
    assert "| 2 | 2026-01-28 | WI-001: check every tenth part" in page
    assert "| 1 | 2025-12-01 | Move the quality manual to Git" in page


def test_init_refuses_a_non_empty_folder(tmp_path: Path, qms: Qms) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = qms("init", tmp_path)
    assert result.code == 2
    assert "--force" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_force_adds_missing_files_but_never_overwrites(tmp_path: Path, qms: Qms) -> None:
    (tmp_path / "qms.yaml").write_text("# my own configuration\n")
    result = qms("init", tmp_path, "--force", "--no-git")
    assert result.code == 0
    assert "kept existing qms.yaml" in result.out
    assert (tmp_path / "qms.yaml").read_text() == "# my own configuration\n"
    assert (tmp_path / "processes" / "operations.yaml").is_file()
    assert not (tmp_path / ".git").exists()


def test_init_inside_a_work_tree_makes_no_nested_repository(tmp_path: Path, qms: Qms) -> None:
    _git(tmp_path, "init", "-q")
    result = qms("init", tmp_path / "quality")
    assert result.code == 0
    assert not (tmp_path / "quality" / ".git").exists()
    assert "inside the Git work tree" in result.out
    assert "approvals.signers: quality/organisation/allowed_signers" in result.out


def test_init_onto_a_file_is_a_usage_error(tmp_path: Path, qms: Qms) -> None:
    (tmp_path / "file").write_text("x")
    assert qms("init", tmp_path / "file").code == 2

"""A document's and a record's whole life in Git: concurrent writers, ids never handed out twice, deletion and
withdrawal as changes, baselines pinned to commits, and what is published being what was approved.

Run on the starter manual of `qms init` (not the example) and on the example, in real repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qmskit.vcs import gitrepo
from tests.conftest import TEMPLATE, Result, commit_all, git

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
FIRST = ("First Person", "first.person@example.com")
REVIEW = ["--set", "date=2026-03-01", "--set", "inputs=Audit results", "--set", "decisions=Keep going", "--no-input",
          "--by", "first-person"]


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    """The manual `qms init` writes, committed by its first person (released by its baseline)."""
    target = tmp_path / "starter"
    shutil.copytree(TEMPLATE, target)
    git(target, "init", "-q", "-b", "main")
    git(target, "config", "user.name", FIRST[0])
    git(target, "config", "user.email", FIRST[1])
    commit_all(target, "Starter manual", who=FIRST)
    return target


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

"""`qms init`: a new manual that validates clean, in a fresh Git repository, never overwriting a file."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

Qms = Callable[..., Result]


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("example", [False, True], ids=["minimal", "example"])
def test_init_makes_a_clean_manual_with_a_first_commit(tmp_path: Path, qms: Qms, example: bool) -> None:
    target = tmp_path / "qm"
    args = ["init", target, "--example"] if example else ["init", target]
    assert qms(*args).code == 0
    assert qms("validate", target).code == 0
    assert _git(target, "status", "--porcelain") == ""
    assert _git(target, "log", "--format=%s").strip() == "Start the quality manual with qms init"
    assert "qms.yaml" in _git(target, "ls-files")


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

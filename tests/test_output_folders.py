"""Folders qms fills with output are guarded: never the manual or its repository, never a folder of other files
(issue 12.2). Refusals happen before anything is written, so every file is still there afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from qmskit.outfolder import MARKER
from tests.conftest import Result, commit_all, git

Qms = Callable[..., Result]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}


@pytest.mark.parametrize("option", ["-o", "--pages"])
def test_build_refuses_the_manual_itself_and_leaves_every_file(example: Path, qms: Qms, option: str,
                                                               tmp_path: Path) -> None:
    before = _snapshot(example)
    args = ("-o", str(tmp_path / "site")) if option == "--pages" else ()
    result = qms("build", *args, option, ".", cwd=example)
    assert result.code == 2, result.err
    assert "manual" in result.err and "Traceback" not in result.err
    assert _snapshot(example) == before
    assert not (example / MARKER).exists()


@pytest.mark.parametrize("inside", ["documents", "documents/new-folder"])
def test_build_refuses_a_folder_inside_the_manual(example: Path, qms: Qms, inside: str) -> None:
    before = _snapshot(example)
    assert qms("build", example, "-o", example / inside).code == 2
    assert _snapshot(example) == before


def test_build_refuses_the_repository_root_and_folders_holding_the_manual(tmp_path: Path, qms: Qms) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(Path(__file__).resolve().parent.parent / "example_manual", repo / "quality" / "manual")
    (repo / "README.md").write_text("The company's repository\n")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "Everything")
    before = _snapshot(repo)
    manual = repo / "quality" / "manual"
    for folder in (repo, repo / "quality", tmp_path):
        result = qms("build", manual, "-o", folder)
        assert result.code == 2, (folder, result.err)
    assert _snapshot(repo) == before


def test_build_refuses_a_non_empty_folder_it_did_not_make(example: Path, qms: Qms, tmp_path: Path) -> None:
    target = tmp_path / "holiday-photos"
    (target / "2026").mkdir(parents=True)
    (target / "2026" / "beach.jpg").write_bytes(b"\xff\xd8 not really a photo")
    (target / "notes.txt").write_text("keep me\n")
    before = _snapshot(target)
    for option in ("-o", "--pages"):
        other = ("-o", str(tmp_path / "site")) if option == "--pages" else ()
        result = qms("build", example, *other, option, target)
        assert result.code == 2
        assert "not empty" in result.err and MARKER in result.err
    assert _snapshot(target) == before
    assert not (target / MARKER).exists()


def test_build_refuses_a_file_and_overlapping_output_and_pages(example: Path, qms: Qms, tmp_path: Path) -> None:
    file = tmp_path / "site"
    file.write_text("a file\n")
    assert qms("build", example, "-o", file).code == 2
    assert file.read_text() == "a file\n"
    assert qms("build", example, "-o", tmp_path / "out", "--pages", tmp_path / "out" / "pages").code == 2
    assert not (tmp_path / "out").exists()


def test_diagram_all_writes_into_a_marked_folder_again_and_refuses_others(example: Path, qms: Qms,
                                                                           tmp_path: Path) -> None:
    out = tmp_path / "diagrams"
    assert qms("diagram", example, "--all", "-o", out, "-f", "dot").code == 0
    assert (out / MARKER).is_file() and (out / "map.dot").is_file()
    assert qms("diagram", example, "--all", "-o", out, "-f", "dot").code == 0  # an earlier qms output: fine
    before = _snapshot(example)
    assert qms("diagram", example, "--all", "-o", example, "-f", "dot").code == 2
    assert qms("diagram", example, "--all", "-o", example / "processes", "-f", "dot").code == 2
    assert _snapshot(example) == before
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "map.dot").write_text("mine\n")
    assert qms("diagram", example, "--all", "-o", foreign, "-f", "dot").code == 2
    assert (foreign / "map.dot").read_text() == "mine\n"


@pytest.mark.parametrize("target", ["qms.yaml", "organisation/people.yaml", "records/nonconformity/NC-2026-0001.yaml",
                                    "documents/report.md", "processes/new.yaml"])
def test_single_file_output_never_lands_on_the_manuals_own_files(example: Path, qms: Qms, target: str) -> None:
    before = _snapshot(example)
    for command in (("validate", "-f", "json"), ("validate",), ("register", "-f", "csv"), ("register",),
                    ("diagram", "-f", "dot")):
        result = qms(command[0], example, *command[1:], "-o", example / target)
        assert result.code == 2, (command, result.out, result.err)
        assert "manual's own file" in result.err
    assert qms("report", "chart", "nps", example, "-o", example / target).code == 2
    assert _snapshot(example) == before


def test_single_file_output_beside_the_manual_and_not_into_a_folder(example: Path, qms: Qms) -> None:
    assert qms("validate", example, "-f", "sarif", "-o", example / "qms.sarif").code == 0  # the README's CI recipe
    assert (example / "qms.sarif").is_file()
    assert qms("validate", example, "-f", "sarif", "-o", example / "qms.sarif").code == 0  # its own earlier output
    result = qms("validate", example, "-f", "json", "-o", example / "documents")
    assert result.code == 2 and "is a folder" in result.err


def test_build_replaces_its_own_earlier_output(template: Path, qms: Qms, tmp_path: Path) -> None:
    """The marker survives mkdocs' cleaning of the folder (it keeps hidden files), so a second build is allowed
    and replaces the first; a page that no longer exists is gone."""
    site, pages = tmp_path / "site", tmp_path / "pages"
    assert qms("build", template, "-o", site, "--pages", pages).code == 0
    assert (site / MARKER).is_file() and (pages / MARKER).is_file() and (site / "index.html").is_file()
    (site / "stale.html").write_text("from the first build\n")
    result = qms("build", template, "-o", site, "--pages", pages)
    assert result.code == 0, result.err
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    assert not (site / "stale.html").exists()


def test_todo_digests_folder_is_guarded_like_a_build(example: Path, qms: Qms, tmp_path: Path) -> None:
    before = _snapshot(example)
    for folder in (example, example / "organisation", tmp_path):
        result = qms("todo", example, "--all-people", "-o", folder)
        assert result.code == 2, (folder, result.err)
    assert _snapshot(example) == before
    out = tmp_path / "digests"
    assert qms("todo", example, "--all-people", "-o", out).code == 0
    assert (out / MARKER).is_file() and (out / "_unassigned.md").is_file()
    assert qms("todo", example, "--all-people", "-o", out).code == 0  # its own earlier output

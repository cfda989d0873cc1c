"""A site in several languages (`qms build --lang fi,en`) is put in place as a site in one language is (decision
0035): built beside the previous one, which survives any failure or interruption of any language, and whose
folder keeps its hidden entries (a deployment's .git, the qms marker) on success too. The same for --pages."""

from __future__ import annotations

import dataclasses
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qmskit.site import build
from qmskit.site.generate import Page
from tests.conftest import ITSERVICES, Result, commit_all, git

# qmskit.cli.site is patched by name, never imported here: importing it before any command ran would bind
# `qmskit.cli.app` to the module, where other test files' `from qmskit.cli import app` means the typer app
Qms = Callable[..., Result]
TODAY = "2026-11-27"
BROKEN = "[broken](missing-page.md)\n"  # mkdocs --strict fails on a link to a page that does not exist


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones included, by path: what a byte-for-byte comparison compares."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The IT-services manual (not the example) in a repository of its own, and the site and pages an earlier
    `qms build --lang fi,en` left, with what a deployment adds beside them: a .git and a .nojekyll."""
    base = tmp_path_factory.mktemp("languages")
    manual = base / "itservices"
    shutil.copytree(ITSERVICES, manual)
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "IT-services manual")
    site, pages = base / "site", base / "pages"
    done = subprocess.run([str(Path(sys.executable).parent / "qms"), "build", str(manual), "-o", str(site),
                           "--pages", str(pages), "--lang", "fi,en", "--today", TODAY],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for folder in (site, pages):
        (folder / ".git").mkdir()
        (folder / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
        (folder / ".nojekyll").write_text("", encoding="utf-8")
    return manual, site, pages


@pytest.fixture
def previous(built: tuple[Path, Path, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    """A private copy of the earlier site and pages (the manual is only read)."""
    manual, site, pages = built
    shutil.copytree(site, tmp_path / "site", symlinks=True)
    shutil.copytree(pages, tmp_path / "pages", symlinks=True)
    return manual, tmp_path / "site", tmp_path / "pages"


def _broken(generated: build.Generated) -> build.Generated:
    """The generated pages with a link to a missing page on the home page, kept in memory or written."""
    if generated.contents:
        return dataclasses.replace(generated, contents=tuple(
            Page(page.path, BROKEN if page.path == "index.md" else page.content) for page in generated.contents))
    (generated.folder / "docs" / "index.md").write_text(BROKEN, encoding="utf-8")
    return generated


def _untouched(folder: Path, before: dict[str, bytes]) -> None:
    assert _files(folder) == before
    assert not [entry.name for entry in folder.iterdir() if entry.name.startswith(build.BUILDING)]


@pytest.mark.parametrize("with_pages", [False, True])  # pages kept in memory; pages written into --pages
def test_a_failing_second_language_leaves_the_previous_site_and_pages(
        with_pages: bool, previous: tuple[Path, Path, Path], qms: Qms, monkeypatch: pytest.MonkeyPatch) -> None:
    manual, site, pages = previous
    before_site, before_pages = _files(site), _files(pages)
    real = build.mkdocs_build

    def english_broken(generated: build.Generated, output: Path, strict: bool = True,
                       shares: int | None = None) -> None:
        # the second language only: Finnish builds and is complete when English fails in mkdocs itself
        real(_broken(generated) if output.name == "en" else generated, output, strict, shares)

    monkeypatch.setattr("qmskit.cli.site.mkdocs_build", english_broken)
    result = qms("build", manual, "-o", site, *(["--pages", pages] if with_pages else []), "--lang", "fi,en",
                 "--today", TODAY)
    assert result.code == 2 and "missing-page.md" in result.err, result.err
    _untouched(site, before_site)
    _untouched(pages, before_pages)


def test_an_interrupted_second_language_leaves_the_previous_site_and_pages(
        previous: tuple[Path, Path, Path], qms: Qms, monkeypatch: pytest.MonkeyPatch) -> None:
    manual, site, pages = previous
    before_site, before_pages = _files(site), _files(pages)
    real = build.generate
    written: list[str] = []

    def interrupted_in_english(root: Path, folder: Path, audience: str, today: date, progress: Any = None,
                               **options: Any) -> build.Generated:
        def ctrl_c(page: str, done: int, total: int) -> None:
            written.append(page)
            if done == 10:  # Ctrl-C while the pages are being written, the body worker running
                raise KeyboardInterrupt

        return real(root, folder, audience, today, ctrl_c if options.get("language") == "en" else progress,
                    **options)

    monkeypatch.setattr("qmskit.cli.site.generate", interrupted_in_english)
    result = qms("build", manual, "-o", site, "--pages", pages, "--lang", "fi,en", "--today", TODAY)
    assert result.code == 130, result.err
    assert len(written) == 10  # the interruption came where the test put it
    _untouched(site, before_site)
    _untouched(pages, before_pages)


def test_a_rebuild_replaces_every_language_and_keeps_hidden_entries(previous: tuple[Path, Path, Path],
                                                                     qms: Qms) -> None:
    manual, site, pages = previous
    for folder in (site, pages):
        (folder / "gone.html").write_text("a page the manual no longer has", encoding="utf-8")
        (folder / "fi" / "gone.html").write_text("a page the manual no longer has", encoding="utf-8")
    result = qms("build", manual, "-o", site, "--pages", pages, "--lang", "en,fi", "--today", TODAY)
    assert result.code == 0, result.err
    for folder in (site, pages):
        after = _files(folder)
        assert after[".git/HEAD"] == b"ref: refs/heads/gh-pages\n" and after[".nojekyll"] == b""
        assert after[".qms-output"].startswith(b"This folder holds output of qms")
        assert "gone.html" not in after and "fi/gone.html" not in after
        assert sorted(name for name in after if name.startswith(".")) == [".git/HEAD", ".nojekyll", ".qms-output"]
    assert sorted(entry.name for entry in site.iterdir()) == [".git", ".nojekyll", ".qms-output", "en", "fi",
                                                              "index.html"]
    assert sorted(entry.name for entry in pages.iterdir()) == [".git", ".nojekyll", ".qms-output", "en", "fi"]
    assert 'href="en/"' in (site / "index.html").read_text(encoding="utf-8")  # the chooser follows the new order
    assert (site / "en" / "index.html").read_text(encoding="utf-8").count('<html lang="en"') == 1
    assert (pages / "fi" / "mkdocs.yml").is_file() and (pages / "fi" / "docs" / "index.md").is_file()


def test_ctrl_c_while_the_new_site_is_put_in_place_moves_the_old_one_back(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pages" / "docs").mkdir(parents=True)
    (tmp_path / "pages" / "docs" / "index.md").write_text("# New\n", encoding="utf-8")
    (tmp_path / "pages" / "mkdocs.yml").write_text("site_name: New\ntheme: {name: material}\n", encoding="utf-8")
    site = tmp_path / "site"
    for name in ("a.html", "b/index.html", "c.html", ".git/HEAD"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"old {name}", encoding="utf-8")
    before = _files(site)
    real = pathlib.Path.rename
    renamed: list[Path] = []

    def rename(self: Path, target: Any) -> Path:
        if self.parent == site:
            renamed.append(self)
            if len(renamed) == 3:  # two old entries moved aside, the third not yet
                raise KeyboardInterrupt
        return real(self, target)

    monkeypatch.setattr(pathlib.Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build.mkdocs_build(build.Generated(tmp_path / "pages", 1, False), site, shares=1)
    assert len(renamed) == 3
    _untouched(site, before)


SIGTERM_IN_ENGLISH = """
import os, signal, sys
from qmskit.cli import main, site

real = site.generate

def generate(root, folder, audience, today, progress=None, **options):
    def cancel(page, done, total):
        if done == 10:  # a CI runner cancels the job while the second language's pages are written
            os.kill(os.getpid(), signal.SIGTERM)
    return real(root, folder, audience, today, cancel if options.get("language") == "en" else progress, **options)

site.generate = generate
sys.argv = ["qms", *sys.argv[1:]]
main()
"""


def test_sigterm_in_the_second_language_leaves_the_previous_site_and_no_build_folder(
        previous: tuple[Path, Path, Path]) -> None:
    manual, site, pages = previous
    before_site, before_pages = _files(site), _files(pages)
    done = subprocess.run([sys.executable, "-c", SIGTERM_IN_ENGLISH, "build", str(manual), "-o", str(site),
                           "--pages", str(pages), "--lang", "fi,en", "--today", TODAY],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 130, done.stderr  # taken as Ctrl-C, not the end of qms at once
    _untouched(site, before_site)  # and no hidden build folder, with a whole Finnish site in it, left behind
    _untouched(pages, before_pages)

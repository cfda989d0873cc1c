"""Shared fixtures: copies of real manuals in tmp_path, the `qms` command run in-process, and git pinned down."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from qmskit.cli import main
from qmskit.loading import editorschemas

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example_manual"
TEMPLATE = REPO / "templates" / "manual"
ITSERVICES = REPO / "tests" / "data" / "manuals" / "itservices"  # a second manual: other forms, other field names


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@contextlib.contextmanager
def local_server(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on a free loopback port for the duration of the block; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _pinned_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Git sees no user or system configuration, a fixed identity and fixed dates, so hashes are stable."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test Person")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test.person@example.com")
        monkeypatch.setenv(f"GIT_{who}_DATE", "2026-01-15T12:00:00+02:00")
    monkeypatch.setenv("NO_COLOR", "1")
    # Judging dates against the real clock would make results change as time passes.
    monkeypatch.setenv("QMS_TODAY", "2026-11-27")  # the example manual's story date
    monkeypatch.setenv("QMS_CACHE_DIR", str(tmp_path / "qms-cache"))
    monkeypatch.setenv("COLUMNS", "200")
    # Messages follow --lang, QMS_LANG, the manual or the terminal's locale: none of the machine's may decide.
    monkeypatch.delenv("QMS_LANG", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def qms(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `qms ARGS...` in this process, as the console script would, and capture what it prints."""

    def run(*args: str | Path, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["qms", *map(str, args)])
        capsys.readouterr()
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        else:
            code = 0
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


def git_as(folder: Path, who: tuple[str, str], *args: str, date: str = "",
           committer: tuple[str, str] | None = None) -> str:
    """Run git with another author and committer (name, e-mail; the committer defaults to the author),
    optionally at another date."""
    by = committer or who
    env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_COMMITTER_NAME": by[0],
           "GIT_COMMITTER_EMAIL": by[1]}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True,
                          env=env).stdout


def commit_all(folder: Path, message: str, *trailers: str, who: tuple[str, str] | None = None,
               date: str = "", committer: tuple[str, str] | None = None) -> str:
    """Commit everything in the work tree (as `who`, committed by `committer`, at `date`); returns the hash."""
    git(folder, "add", "-A")
    body = "\n\n" + "\n".join(trailers) if trailers else ""
    git_as(folder, who or ("Test Person", "test.person@example.com"), "commit", "-q", "--allow-empty", "-m",
           message + body, date=date, committer=committer)
    return git(folder, "rev-parse", "HEAD").strip()


# The identity the example manual's history is merged with (its qms.yaml: approvals.merge_identities): asserted
# approvals (Approved-by trailers) count only on commits it made.
EXAMPLE_MERGE = ("Seed 2c654014 maintainers", "maintainers@users.noreply.r-seed-2c654014.example")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example manual, in a Git repository of its own with one commit (which the
    manual's baseline counts as released). Tests break it in the work tree. Without the example's `as_of` day,
    so that tests judge it on any day they choose (test_story.py keeps it)."""
    target = tmp_path / "manual"
    shutil.copytree(EXAMPLE, target)
    config = target / "qms.yaml"
    config.write_text(re.sub(r"(?m)^as_of: .*\n", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    git(target, "init", "-q", "-b", "main")
    commit_all(target, "Example manual")
    return target


FIRST_PERSON = ("First Person", "first.person@example.com")


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    """The manual `qms init` writes (not the example), in a Git repository of its own, committed by its first
    person, who is also the git user (the baseline releases that first commit)."""
    target = tmp_path / "starter"
    shutil.copytree(TEMPLATE, target)
    editorschemas.sync(target)  # as `qms init` does
    git(target, "init", "-q", "-b", "main")
    git(target, "config", "user.name", FIRST_PERSON[0])
    git(target, "config", "user.email", FIRST_PERSON[1])
    commit_all(target, "Starter manual", who=FIRST_PERSON)
    return target


@pytest.fixture
def itservices(tmp_path: Path) -> Path:
    """A private copy of the IT-services manual in a Git repository of its own with one commit."""
    target = tmp_path / "itservices"
    shutil.copytree(ITSERVICES, target)
    editorschemas.sync(target)  # as `qms init` does
    git(target, "init", "-q", "-b", "main")
    git(target, "config", "user.email", "leena.maki@kestrel.example")  # who `qms record new` says records
    commit_all(target, "IT-services manual")
    return target


@pytest.fixture
def loose_example(tmp_path: Path) -> Path:
    """A copy of the example manual outside any Git repository."""
    target = tmp_path / "loose"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """The minimal manual as `qms init` leaves it (without Git): the template and the editors' schema copy."""
    target = tmp_path / "manual"
    shutil.copytree(TEMPLATE, target)
    editorschemas.sync(target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text that must be there (a test whose edit silently did nothing would prove nothing)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line where `needle` first appears."""
    for number, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def findings(qms: Callable[..., Result]) -> Callable[..., list[tuple[str, str, int]]]:
    """(rule, path, line) of every finding `qms validate --format json` reports for a manual."""

    def collect(manual: Path, *extra: str) -> list[tuple[str, str, int]]:
        # The example's organisation has competence warnings by design (its story); other tests look past them.
        if not any("COMP" in arg for arg in extra):
            extra = (*extra, "--ignore", "QMS-COMP")
        result = qms("validate", manual, "--format", "json", *extra)
        assert result.code in (0, 1), result.err
        return [(d["rule"], d["path"], d["line"]) for d in result.json()["diagnostics"]]

    return collect


CHROMIUM = "/usr/bin/chromium"


class QuietFiles(SimpleHTTPRequestHandler):
    """Serves a built site without logging every request."""

    def log_message(self, *args: object) -> None:
        pass



def build_with_plugin(folder: Path, today: str) -> Path:
    """A company's own mkdocs.yml next to `folder/manual`, with `plugins: [search, qms]` and a Finnish theme, built by
    mkdocs itself (the plugin route, not `qms build`): the built site's folder."""
    config = folder / "mkdocs.yml"
    (folder / "docs").mkdir()  # mkdocs checks that its docs_dir exists before the plugin replaces it
    config.write_text("site_name: Laatukäsikirja\ntheme: {name: material, language: fi}\nmarkdown_extensions: "
                      "[admonition, attr_list, md_in_html, tables]\nplugins:\n  - search\n  - qms: {manual: manual, "
                      "language: fi}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d",
                           str(folder / "site")], capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "QMS_TODAY": today})
    assert done.returncode == 0, done.stderr
    return folder / "site"

@contextlib.contextmanager
def site_server(folder: Path) -> Iterator[str]:
    """A built site served on a free loopback port; yields its base URL."""
    with local_server(functools.partial(QuietFiles, directory=str(folder))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (its own browser download does not work here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab at a desktop size (1400x1000) in a context of its own; a test module may define its own."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()

"""The documents in time on the published site: every revision with who approved it, when, on what evidence and
the days it was in effect; what was in effect on any day; the register at each release tag.

Run on a manual that is not the example (the `qms init` starter with its own people and policy), in a real Git
repository with dated commits, approvals its qms.yaml accepts and two release tags made by `qms release`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qmskit.control import asof
from qmskit.control.register import DocumentControl
from qmskit.loading import editorschemas
from qmskit.loading.load import load_manual
from qmskit.vcs import gitrepo
from tests.conftest import FIRST_PERSON, TEMPLATE, Result, commit_all, edit, git, site_server
from tests.test_site import _shot, assert_no_serious_violations

Qms = Callable[..., Result]

FIRST = ("First Person", "first.person@example.com")
SECOND = ("Second Approver", "second.approver@example.com")
MERGE = ("Forge merge", "merge@forge.example")  # the identity pull requests are merged with
SECOND_PERSON = """  - id: second-approver
    name: Second Approver
    emails: [second.approver@example.com]
    roles: [quality-manager]
"""
BY_SECOND = f"Approved-by: {SECOND[0]} <{SECOND[1]}>"
PRO_002 = "documents/PRO-002-operations.md"
PRO_001 = "documents/PRO-001-documented-information.md"
PLN_001 = "documents/PLN-001-quality-objectives.md"


def merged(root: Path, message: str, day: str, *trailers: str, author: tuple[str, str] = FIRST) -> str:
    """Commit the work tree as a forge merges a change on `day`: written by `author`, committed by the merge
    identity (whose commits carry the asserted approvals this manual counts)."""
    git(root, "add", "-A")
    body = "\n\n" + "\n".join(trailers) if trailers else ""
    when = f"{day}T10:00:00+02:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
           "GIT_COMMITTER_NAME": MERGE[0], "GIT_COMMITTER_EMAIL": MERGE[1], "GIT_AUTHOR_DATE": when,
           "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), "commit", "-q", "--allow-empty", "-m", message + body], check=True,
                   env=env, capture_output=True)
    return git(root, "rev-parse", "HEAD").strip()


def release(qms: Qms, root: Path, tag: str, day: str, monkeypatch: pytest.MonkeyPatch, *extra: str) -> None:
    """`qms release` on `day` (git dates the tag by the committer date it is given)."""
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+02:00")
    result = qms("release", tag, root, "--today", day, *extra)
    assert result.code == 0, result.err


def make_history(root: Path, qms: Qms, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The starter manual's year: released on 15 January, PRO-002 revised and approved twice, a release in
    between, and a change to PRO-001 nobody approved yet. Returns the commits by name."""
    people = root / "organisation" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + SECOND_PERSON, encoding="utf-8")
    edit(root / "qms.yaml", "  evidence: [forge, signed]",
         f"  evidence: [asserted]\n  merge_identities: [{MERGE[1]}]\n  bots: [{MERGE[1]}]")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--amend", "--no-edit")  # people and policy are in the trusted first commit
    commits = {"first": git(root, "rev-parse", "HEAD").strip()}
    edit(root / PRO_002, "under controlled conditions.", "under controlled conditions, checked at delivery.")
    commits["pro-002 r2"] = merged(root, "Operations: purpose", "2026-02-10", BY_SECOND)
    release(qms, root, "manual-2026-02", "2026-02-20", monkeypatch)
    edit(root / PRO_002, "title: Operations\n", "title: Operations and delivery\n")
    commits["pro-002 r3"] = merged(root, "Operations: delivery", "2026-03-20", BY_SECOND)
    edit(root / PRO_001, "and records retained.", "and records retained for ten years.")
    commits["pro-001 r2"] = merged(root, "Document control: wording", "2026-04-01")  # nobody approved it
    release(qms, root, "manual-2026-04", "2026-04-05", monkeypatch, "--accept", f"QMS-CTRL-001@{PRO_001}",
            "--reason", "Wording only; approval booked", "--by", "second-approver")
    git(root, "rm", "-q", PLN_001)  # withdrawn: a plan only top management may approve
    commits["pln-001 deleted"] = merged(root, "Objectives move to the review", "2026-06-01",
                                        f"Approved-by: {FIRST[0]} <{FIRST[1]}>", author=SECOND)
    return commits


@pytest.fixture
def year(starter: Path, qms: Qms, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_history(starter, qms, monkeypatch)
    return starter


def _timelines(root: Path) -> tuple[list[asof.Timeline], DocumentControl, Any]:
    from qmskit.check import control_of

    manual = load_manual(root).manual
    history = gitrepo.read_history(root)
    control = control_of(root, manual, history)
    return asof.read_timelines(root, history, control), control, history


def test_every_revision_has_its_days_in_effect(year: Path) -> None:
    timelines, _, _ = _timelines(year)
    operations = next(line for line in timelines if line.file.path == PRO_002)
    days = [(s.revision.number, s.approved, s.start, s.end) for s in operations.steps]
    assert days == [(1, "2026-01-15", "2026-01-15", "2026-02-09"), (2, "2026-02-10", "2026-02-10", "2026-03-19"),
                    (3, "2026-03-20", "2026-03-20", "")]
    assert [v.person.name for v in operations.steps[1].counted if v.person] == ["Second Approver"]
    assert [v.label for v in operations.steps[1].counted] == ["asserted, not verified"]
    control = next(line for line in timelines if line.file.path == PRO_001)
    assert [s.revision.number for s in control.pending] == [2]
    assert (control.steps[0].start, control.steps[0].end) == ("2026-01-15", "")
    objectives = next(line for line in timelines if line.file.path == PLN_001)
    assert objectives.withdrawn == "2026-06-01"
    assert (objectives.steps[0].start, objectives.steps[0].end) == ("2026-01-15", "2026-05-31")


def test_the_site_answers_agree_with_register_at_on_every_day(year: Path, qms: Qms) -> None:
    """The table on the site and `qms register --at` are one computation: on each day around every change they
    name the same revision of every document."""
    timelines, _, _ = _timelines(year)
    for day in ("2026-01-14", "2026-01-15", "2026-02-09", "2026-02-10", "2026-03-15", "2026-03-19", "2026-03-20",
                "2026-04-02", "2026-05-31", "2026-06-01", "2026-12-31"):
        result = qms("register", year, "--at", day, "--format", "json")
        assert result.code == 0, result.err
        by_cli = {row["id"]: row["revision"] for row in result.json()}
        by_table = {}
        for line in timelines:
            for step in line.steps:
                if step.start and step.start <= day and (not step.end or day <= step.end) and step.document:
                    by_table[step.document.id] = step.revision.number
        assert {k: v for k, v in by_cli.items() if v} == by_table, day


def test_the_register_at_each_release_is_told_from_git(year: Path) -> None:
    timelines, control, history = _timelines(year)
    found = asof.releases(gitrepo.annotated_tags(year), history)
    assert [(r.tag.name, r.day) for r in found] == [("manual-2026-04", "2026-04-05"),
                                                     ("manual-2026-02", "2026-02-20")]
    february = {r.id: r for r in asof.register_at_release(timelines, control, found[1])}
    assert (february["PRO-002"].revision, february["PRO-002"].title) == (2, "Operations")
    assert february["PRO-002"].approved_by == ("Second Approver",)
    april = {r.id: r for r in asof.register_at_release(timelines, control, found[0])}
    assert (april["PRO-002"].revision, april["PRO-002"].title) == (3, "Operations and delivery")
    assert april["PRO-001"].revision == 1 and april["PRO-001"].pending.startswith("pending approval: revision 2")


def test_other_annotated_tags_are_no_releases(year: Path) -> None:
    git(year, "tag", "-a", "v1.0", "-m", "Software version 1.0")
    git(year, "tag", "lightweight")
    history = gitrepo.read_history(year)
    assert [r.tag.name for r in asof.releases(gitrepo.annotated_tags(year), history)] == [
        "manual-2026-04", "manual-2026-02"]


def test_a_hundred_releases_read_the_history_once(year: Path, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    """Bounded work: the git processes a build starts do not grow with the number of release tags."""
    from qmskit.site import build

    def processes(tags: int) -> list[str]:
        for number in range(tags):
            git(year, "tag", "-a", f"manual-2026-05-{number:03d}", "-m",
                f"Release manual-2026-05-{number:03d} of the quality manual of Example Company Ltd")
        started: list[str] = []
        real_run, real_popen = subprocess.run, subprocess.Popen

        def run(command: Any, *args: Any, **kwargs: Any) -> Any:
            started.append(" ".join(map(str, command[:4])))
            return real_run(command, *args, **kwargs)

        class Popen(real_popen):  # type: ignore[misc, valid-type]
            def __init__(self, command: Any, *args: Any, **kwargs: Any) -> None:
                started.append(" ".join(map(str, command[:4])))
                super().__init__(command, *args, **kwargs)

        monkeypatch.setattr(subprocess, "run", run)
        monkeypatch.setattr(subprocess, "Popen", Popen)
        try:
            generated = build.generate(year, tmp_path / f"pages-{tags}", "internal", __import__("datetime").date(
                2026, 11, 27))
        finally:
            monkeypatch.setattr(subprocess, "run", real_run)
            monkeypatch.setattr(subprocess, "Popen", real_popen)
        release_pages = list((generated.folder / "docs" / "asof").glob("*.md"))
        assert len(release_pages) == tags + 2 + 1  # every release has its page, plus the "effective on" page
        return [c for c in started if "git" in c]

    few = processes(0)
    many = processes(100)
    assert len(many) == len(few), (few, many)






def test_release_pages_have_distinct_short_names() -> None:
    from qmskit.site.generate import release_paths

    def made(name: str) -> asof.Release:
        return asof.Release(gitrepo.Tag(name, "0" * 40, "2026-06-01T12:00:00+02:00", "Someone", f"Release {name}"),
                            None)

    names = ["Manual-2026", "manual-2026", "index", "x" * 300, "r1<svg/onload=alert(1)>", "..-"]
    paths = [path for _, path in release_paths([made(n) for n in names])]
    assert paths[:3] == ["asof/manual-2026.md", "asof/manual-2026-2.md", "asof/index-2.md"]
    assert len(set(paths)) == len(paths) and all(len(p) <= len("asof/.md") + 80 for p in paths)
    assert paths[4] == "asof/r1-svg-onload-alert-1.md" and paths[5] == "asof/release.md"

# --- in Chromium: the auditor's questions, from the home page -------------------------------------------------

PINNED = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "QMS_TODAY": "2026-11-27",
          "GIT_AUTHOR_NAME": "Test Person", "GIT_AUTHOR_EMAIL": "test.person@example.com",
          "GIT_COMMITTER_NAME": "Test Person", "GIT_COMMITTER_EMAIL": "test.person@example.com",
          "GIT_AUTHOR_DATE": "2026-01-15T12:00:00+02:00", "GIT_COMMITTER_DATE": "2026-01-15T12:00:00+02:00"}


def _qms_process(*args: str | Path) -> Result:
    done = subprocess.run([sys.executable, "-m", "qmskit", *map(str, args)], capture_output=True, text=True,
                          check=False)
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def year_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The year's manual (the starter, as the `starter` fixture makes it) built once and served."""
    base = tmp_path_factory.mktemp("asof-site")
    manual = base / "manual"
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**PINNED, "QMS_CACHE_DIR": str(base / "cache")}.items():
            patch.setenv(key, value)
        shutil.copytree(TEMPLATE, manual)
        editorschemas.sync(manual)
        git(manual, "init", "-q", "-b", "main")
        git(manual, "config", "user.name", FIRST_PERSON[0])
        git(manual, "config", "user.email", FIRST_PERSON[1])
        commit_all(manual, "Starter manual", who=FIRST_PERSON)
        make_history(manual, _qms_process, patch)
        done = _qms_process("build", manual, "-o", base / "site")
        assert done.code == 0, done.err
    with site_server(base / "site") as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_who_approved_pro_002_revision_2_and_when_in_two_clicks(page: Any, year_site: str) -> None:
    page.goto(year_site + "/")
    page.click("nav.md-tabs >> text=Documents")  # 1
    page.wait_for_url("**/documents/")
    page.locator(".md-content table a", has_text="PRO-002").click()  # 2
    page.wait_for_url("**/documents/pro-002/")
    table = page.locator("xpath=//h2[@id='revision-history']/following-sibling::*[.//table][1]").locator("table")
    headers = table.locator("thead th").all_inner_texts()
    row = table.locator("tbody tr").filter(has=page.locator("td:first-child", has_text="2"))
    assert row.count() == 1
    cells = dict(zip(headers, row.locator("td").all_inner_texts(), strict=True))
    assert cells["Approved by"] == "Second Approver (asserted, not verified)"
    assert (cells["Approved on"], cells["Effective from"], cells["Effective to"]) == (
        "2026-02-10", "2026-02-10", "2026-03-19")
    # the effective revision heads the page; a revision nobody approved yet would be listed apart
    assert "Revision\t3" in page.locator("table.qms-header").inner_text()
    page.locator("#revision-history").scroll_into_view_if_needed()
    _shot(page, "revision-history")


@pytest.mark.browser
def test_what_was_effective_on_a_day_in_two_clicks(page: Any, year_site: str) -> None:
    page.goto(year_site + "/")
    page.click("nav.md-tabs >> text=Documents")  # 1
    page.wait_for_url("**/documents/")
    page.locator(".md-content a", has_text="Effective on a date").first.click()  # 2
    page.wait_for_url("**/asof/")
    page.get_by_label("Show what was in effect on").fill("2026-03-15")
    visible = page.locator(".qms-dated tbody tr:visible")
    shown = {tuple(visible.nth(i).locator("td").all_inner_texts()[:3]) for i in range(visible.count())}
    assert ("PRO-002", "Operations", "2") in shown
    assert not any(doc == "PRO-002" and number != "2" for doc, _, number in shown)
    assert len(shown) == 6  # one revision of each of the six documents (one of them withdrawn since)
    _shot(page, "effective-on")
    page.get_by_label("Show what was in effect on").fill("2026-06-01")  # the plan was withdrawn that day
    assert page.locator(".qms-dated tbody tr:visible").count() == 5
    assert page.locator(".qms-dated tbody tr:visible", has_text="PLN-001").count() == 0
    page.get_by_label("Show what was in effect on").fill("2026-01-14")  # before the manual existed
    assert page.locator(".qms-dated tbody tr:visible").count() == 0


@pytest.mark.browser
def test_the_register_at_a_release_in_two_clicks(page: Any, year_site: str) -> None:
    page.goto(year_site + "/")
    page.click("nav.md-tabs >> text=Documents")  # 1
    page.locator(".md-content a", has_text="manual-2026-02").click()  # 2
    page.wait_for_url("**/asof/manual-2026-02/")
    row = page.locator(".md-content table tbody tr", has_text="PRO-002")
    assert "\tOperations\t" in row.inner_text() and "\t2\t2026-02-10\t" in row.inner_text()
    page.goto(year_site + "/asof/manual-2026-04/")
    assert "Wording only; approval booked" in page.locator(".md-content pre").inner_text()
    pending = page.locator(".md-content table tbody tr", has_text="PRO-001").inner_text()
    assert "revision 2 (2026-04-01" in pending


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/asof/", "/asof/manual-2026-04/", "/documents/pro-002/"])
def test_the_new_pages_pass_axe(page: Any, year_site: str, path: str) -> None:
    page.goto(year_site + path)
    page.wait_for_load_state("networkidle")
    assert_no_serious_violations(page, path)


def test_finnish_labels_for_the_documents_in_time(year: Path, tmp_path: Path) -> None:
    from datetime import date

    from qmskit.site.build import generate

    edit(year / "qms.yaml", "language: en", "language: fi")
    docs = generate(year, tmp_path / "pages", "internal", date(2026, 11, 27)).folder / "docs"
    assert "Voimassa päivänä" in (docs / "asof" / "index.md").read_text(encoding="utf-8")
    assert "Rekisteri julkaisussa manual-2026-02" in (docs / "asof" / "manual-2026-02.md").read_text(encoding="utf-8")
    operations = (docs / "documents" / "pro-002.md").read_text(encoding="utf-8")
    assert "| Voimassa alkaen | Voimassa asti |" in operations and "| voimassa |" in operations
    assert "Second Approver \\(ilmoitettu, ei varmennettu\\)" in operations  # the evidence level too

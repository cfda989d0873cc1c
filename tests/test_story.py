"""The example tells one coherent, measured story (issue 13 item 9): every KPI has a value, the management
review states what the records say, complaints lead to nonconformities opened after them, the example validates
on any day, and a starter's story file becomes a dated Git history (also for a manual that is not the example)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from qmskit.analysis.measures import period as span_of
from qmskit.analysis.reviews import held_reviews
from qmskit.errors import ConfigError
from qmskit.loading.load import load_manual
from qmskit.loading.story import STORY_FILE, Identity, fast_import, parse_story, plan
from qmskit.records.meaning import Meanings
from qmskit.site.generate import SiteInput, build_pages
from qmskit.vcs.gitrepo import init_with_history, read_history
from tests.conftest import EXAMPLE, ITSERVICES, Result, commit_all, git

Qms = Callable[..., Result]
TODAY = "2026-11-27"


@pytest.fixture
def as_told(tmp_path: Path) -> Path:
    """The example as it ships, `as_of` included, in a repository of its own (the `example` fixture drops
    `as_of` so that other tests can judge it on any day)."""
    target = tmp_path / "told"
    shutil.copytree(EXAMPLE, target)
    git(target, "init", "-q", "-b", "main")
    commit_all(target, "Example manual")
    return target


# --- 1. every KPI computed from its records, or entered by hand with dated entries ------------------------------

def test_every_kpi_of_the_example_has_a_value_in_the_report_and_on_the_site(qms: Qms) -> None:
    rows = qms("report", "kpi", EXAMPLE, "-f", "json").json()
    assert len(rows) >= 18
    assert [(r["process"], r["kpi"], r["status"]) for r in rows if r["status"] not in ("met", "missed")] == []
    manual = load_manual(EXAMPLE).manual
    kinds = {k.id: ("source" in k.spec, "entered" in k.spec) for p in manual.processes for k in p.kpis}
    assert all(source != entered for source, entered in kinds.values())  # one or the other, never both
    assert sum(source for source, _ in kinds.values()) >= 7  # most from records
    pages, _ = build_pages(SiteInput(manual, read_history(EXAMPLE), date.fromisoformat(TODAY)))
    process_pages = [p for p in pages if p.path.startswith("processes/") and "| KPI | Target |" in p.content]
    assert len(process_pages) >= 12
    for page in process_pages:
        assert "no source" not in page.content and "no data" not in page.content, page.path


# --- 2. the management review's figures are what the reports compute for the period it names -------------------

def _number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in the review record: {text}"
    return float(match[1])


def test_the_management_review_states_what_the_records_say(qms: Qms) -> None:
    """Recompute every figure the review minutes state from the records, for the period the minutes name, which
    is the period the site's review page derives (from the day after the review before, or a year back)."""
    manual = load_manual(EXAMPLE).manual
    meaning = Meanings(manual)
    held = held_reviews(manual, date.fromisoformat(TODAY), meaning)
    assert held
    for review in held:
        text = " ".join(str(review.record.values.get(name, "")) for name in ("performance", "previous-actions"))
        text = re.sub(r"\s+", " ", text)
        span = re.search(r"--period (\S+?)\)", text)
        assert span, f"{review.record.id} names no period"
        period = span[1]
        assert (span_of(period).start, span_of(period).end) == (review.span.start, review.span.end)
        flow = qms("report", "flow", EXAMPLE, "--period", period, "-f", "json").json()
        customers = qms("report", "customers", EXAMPLE, "--period", period, "-f", "json").json()
        kpis = {r["kpi"]: r for r in qms("report", "kpi", EXAMPLE, "--period", period, "-f", "json").json()}
        pack = qms("report", "review", EXAMPLE, "--period", period, "--today", str(review.day)).out
        assert _number(r"On-time delivery (-?[\d.]+) %", text) == flow["on_time_percent"]
        assert _number(r"On-time delivery [\d.]+ % of (\d+) orders", text) == kpis["on-time-delivery"]["records"]
        assert re.search(r"(\S+) adding most of the delay", text)[1] == next(iter(flow["bottlenecks"]))  # type: ignore[index]
        assert _number(r"NPS (-?[\d.]+) from", text) == customers["nps"]
        assert _number(r"NPS -?[\d.]+ from (\d+) answers", text) == customers["responses"]
        assert _number(r"(\d+) nonconformities,", text) == _number(r"(\d+) nonconformities reported in the period",
                                                                     pack)
        assert _number(r"(\d+) customer complaints", text) == customers["complaints"]
        audits = [r for r in meaning.records("audit") if (d := meaning.event_day(r)) and span_of(period).contains(d)]
        assert _number(r"(\d+) audits", text) == len(audits)
        named = re.search(r"audits \(([^)]*)\)", text)[1].replace(",", " ").split()  # type: ignore[index]
        assert sorted(named) == sorted(str(meaning.value(r, "process")) for r in audits)
        assert _number(r"audits \([^)]*\) with (\d+) nonconformities", text) == sum(
            meaning.number(r, "nonconformities") or 0 for r in audits)
        assert _number(r"suppliers on time (\d+) % on average", text) == kpis["supplier-otd"]["value"]
        steel = int(_number(r"steel supplier (\d+) %", text))
        assert re.match(rf" Nieminen Oy: on time {steel}\s?%", pack.split("Teräsvarasto")[1])  # the language's form
        done, planned = re.search(r"(\d+) of (\d+) actions", text).groups()  # type: ignore[union-attr]
        # the share of the previous review's actions done, entered by hand on the day of this review
        actions = {r["kpi"]: r for r in qms("report", "kpi", EXAMPLE, "--period", str(review.day), "-f",
                                             "json").json()}["review-actions-closed"]
        assert actions["value"] == round(100 * int(done) / int(planned), 1)


def test_complaints_point_to_nonconformities_opened_on_or_after_them() -> None:
    manual = load_manual(EXAMPLE).manual
    meaning = Meanings(manual)
    records = {r.id: r for r in manual.records}
    linked = 0
    for complaint in meaning.records("complaint"):
        target = meaning.value(complaint, "nonconformity")
        if not target:
            continue
        linked += 1
        nonconformity = records[str(target)]
        assert meaning.event_day(nonconformity) >= meaning.event_day(complaint), complaint.id  # type: ignore[operator]
        assert datetime.fromisoformat(nonconformity.created_at) >= datetime.fromisoformat(complaint.created_at), \
            complaint.id
    assert linked >= 4


# --- 4. the example validates on any day: its story is told as of its `as_of` day --------------------------------

@pytest.mark.parametrize("day", ["2026-11-27", "2027-06-01", "2028-01-01", "2031-12-31"])
def test_the_example_validates_without_errors_on_any_day(as_told: Path, qms: Qms, day: str) -> None:
    diagnostics = qms("validate", as_told, "--today", day, "--format", "json").json()["diagnostics"]
    assert [(d["rule"], d["path"], d["message"]) for d in diagnostics if d["severity"] == "error"] == []
    judged_later = [d for d in diagnostics if d["rule"] == "QMS-CTRL-025"]
    assert len(judged_later) == (0 if day == TODAY else 1)


def test_reports_of_a_snapshot_default_to_its_year(as_told: Path, qms: Qms) -> None:
    rows = qms("report", "kpi", as_told, "--today", "2028-03-01", "-f", "json").json()
    assert {r["status"] for r in rows} <= {"met", "missed"}  # 2026, the story's year, not 2028


# --- 3. a story file, on a manual that is not the example -------------------------------------------------------

STORY = """\
identity: {name: Kestrel merge bot, email: merge@kestrel.example}
start: {at: "2026-01-05T09:00:00+02:00", by: leena-maki, message: Manual moves to Git}
changes:
  - at: "2026-03-02T10:00:00+02:00"
    approved: "2026-03-04T15:00:00+02:00"
    by: WRITER
    approved_by: [leena-maki]
    message: Handover checklist tightened
    edits:
      - {file: FILE, was: "OLD", now: "NEW"}
release: {tag: handbook-2026, at: "2026-11-30T12:00:00+02:00", by: leena-maki}
"""


def _itservices_story(tmp_path: Path) -> tuple[Path, str, dict[str, Identity]]:
    """A copy of the IT-services manual and a story for it: one document revised in March."""
    target = tmp_path / "kestrel"
    shutil.copytree(ITSERVICES, target)
    manual = load_manual(target).manual
    people = {p.id: Identity(p.name, p.emails[0]) for p in manual.people if p.emails}
    document = next(d for d in manual.documents if d.status == "active")
    text = (target / document.origin.path).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if len(ln) > 30 and text.count(ln) == 1 and '"' not in ln)
    writer = next(p for p in people if p != "leena-maki")
    story = STORY.replace("WRITER", writer).replace("FILE", document.origin.path).replace(
        '"OLD"', '"' + line[:-5] + '"').replace('"NEW"', '"' + line + '"')
    return target, story, people


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts}


def test_a_story_becomes_dated_commits_for_any_manual(tmp_path: Path) -> None:
    target, text, people = _itservices_story(tmp_path)
    story = parse_story(text)
    commits = plan(story, _files(target), people)
    assert commits[0].committed.isoformat() == "2026-01-05T09:00:00+02:00"
    revised = next(c for c in commits if c.message.startswith("Handover checklist tightened"))
    assert (revised.authored.day, revised.committed.day) == (2, 4)
    assert revised.message.endswith(f"Approved-by: {people['leena-maki']}")
    head = init_with_history(target, lambda ref: fast_import(commits, story.identity, ref))
    assert git(target, "rev-parse", "HEAD").strip() == head
    assert git(target, "status", "--porcelain") == ""
    (path, written), = revised.writes.items()
    first = git(target, "show", f"{git(target, 'rev-list', '--max-parents=0', 'HEAD').strip()}:{path}")
    assert written == (target / path).read_text(encoding="utf-8") != first  # the text before it, then its own
    dates = git(target, "log", "--format=%aI %cI %ce", "-1", "--", path).split()
    assert dates == ["2026-03-02T10:00:00+02:00", "2026-03-04T15:00:00+02:00", "merge@kestrel.example"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.replace("approved_by: [leena-maki]", "approved_by: [nobody-here]"), "not in organisation"),
    (lambda s: s.replace('approved: "2026-03-04T15:00:00+02:00"', 'approved: "2026-03-01T15:00:00+02:00"'),
     "approved before it was written"),
    (lambda s: s.replace("+02:00\"\n    approved", "\"\n    approved"), "line 4: changes/0/at: .* does not match"),
    (lambda s: s.replace('at: "2026-11-30T12:00:00+02:00"', 'at: "2026-02-01T12:00:00+02:00"'),
     "release is dated before the last commit"),
    (lambda s: s.replace("email: merge@kestrel.example", "email: merge>@kestrel.example"), "identity/email"),
    (lambda s: s.replace("approved_by:", "approved-by:"), "approved-by"),  # a misspelt key is no silent default
    (lambda s: s.replace("file: ", "file: records/"), "cannot be edited"),
])
def test_a_story_that_does_not_fit_is_refused_before_anything_is_written(tmp_path: Path,
                                                                          change: Callable[[str], str],
                                                                          message: str) -> None:
    target, text, people = _itservices_story(tmp_path)
    with pytest.raises(ConfigError, match=message):
        plan(parse_story(change(text)), _files(target), people)
    assert not (target / ".git").exists()


def test_a_story_whose_text_is_gone_is_refused(tmp_path: Path) -> None:
    """The starter changed but its story did not: `now` must be in the file exactly once."""
    target, text, people = _itservices_story(tmp_path)
    story = parse_story(text.replace('now: "', 'now: "not in the file '))
    with pytest.raises(ConfigError, match="exactly once"):
        plan(story, _files(target), people)


def test_the_example_ships_its_story_and_it_fits() -> None:
    story = parse_story((EXAMPLE / STORY_FILE).read_text(encoding="utf-8"))
    manual = load_manual(EXAMPLE).manual
    assert story.identity.email in manual.config.approvals.merge_identities
    assert story.identity.email in manual.config.approvals.bots
    people = {p.id: Identity(p.name, p.emails[0]) for p in manual.people if p.emails}
    files = {p.relative_to(EXAMPLE).as_posix(): p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.rglob("*"))
             if p.is_file() and p.relative_to(EXAMPLE).as_posix() != STORY_FILE}
    commits = plan(story, files, people)
    assert len({c.committed.date().isoformat()[:7] for c in commits}) >= 12  # a year, month by month

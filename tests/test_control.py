"""Document control from real Git repositories: revisions, approvals, reviews, register, history, releases."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from qmskit.vcs.gitrepo import read_history
from tests.conftest import EXAMPLE, Result, commit_all, edit, git, git_as, line_of, local_server

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]

AINO = ("Aino Lahtinen", "aino.lahtinen@tarkkuustyo.example")
MIKKO = ("Mikko Heinonen", "mikko.heinonen@tarkkuustyo.example")
TIMO = ("Timo Laine", "timo.laine@tarkkuustyo.example")
# The identity the example's history is merged with (its qms.yaml: approvals.merge_identities)
MERGE = ("Seed 2c654014 maintainers", "maintainers@users.noreply.r-seed-2c654014.example")
APPROVED_BY_MIKKO = "Approved-by: Mikko Heinonen <mikko.heinonen@tarkkuustyo.example>"
DOC = "documents/procedures/PRO-009-internal-audit.md"
ASSERTED = "asserted, not verified"


def merged(root: Path, message: str, *trailers: str, author: tuple[str, str] = TIMO, date: str = "",
           committer: tuple[str, str] = MERGE) -> str:
    """Commit everything as the forge merges a change: written by `author`, committed by the merge identity."""
    git(root, "add", "-A")
    body = "\n\n" + "\n".join(trailers) if trailers else ""
    env = {**os.environ, "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
           "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1]}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), "commit", "-q", "--allow-empty", "-m", message + body], check=True,
                   env=env, capture_output=True)
    return git(root, "rev-parse", "HEAD").strip()


def change(root: Path, path: str = DOC, text: str = "\nAudits follow ISO 19011.\n") -> None:
    with (root / path).open("a", encoding="utf-8") as stream:
        stream.write(text)


def control_findings(findings: Findings, root: Path, *extra: str) -> list[tuple[str, str, int]]:
    return [f for f in findings(root, *extra) if f[0].startswith(("QMS-CTRL", "QMS-GIT"))]


def register_rows(qms: Qms, root: Path, *extra: str) -> dict[str, dict[str, object]]:
    result = qms("register", root, "--format", "json", *extra)
    assert result.code == 0, result.err
    return {row["id"]: row for row in result.json()}


def test_first_commit_is_released_by_the_baseline(example: Path, findings: Findings, qms: Qms) -> None:
    assert findings(example) == []
    row = register_rows(qms, example)["PRO-009"]
    first = git(example, "rev-parse", "HEAD").strip()
    assert row == {"id": "PRO-009", "title": "Internal audit", "type": "procedure", "owner": "quality-manager",
                   "revision": 1, "effective": "2026-01-15", "approved_by": ["Aino Lahtinen", "Mikko Heinonen"],
                   "evidence": ["baseline", "baseline"], "pending": "", "next_review": "2028-01-15",
                   "status": "active", "path": DOC, "commit": first}


def test_unapproved_change_is_an_error(example: Path, qms: Qms, findings: Findings) -> None:
    change(example)
    merged(example, "Say which standard audits follow")
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2)]
    out = qms("validate", example).out
    assert "PRO-009 revision 2" in out and "revision 1 is the last approved one" in out
    row = register_rows(qms, example)["PRO-009"]  # revision 1 stays effective; revision 2 waits apart
    assert (row["revision"], row["approved_by"]) == (1, ["Aino Lahtinen", "Mikko Heinonen"])
    assert str(row["pending"]).startswith("pending approval: revision 2 (2026-01-15, ")


def test_approved_by_trailer_counts(example: Path, qms: Qms, findings: Findings) -> None:
    change(example)
    merged(example, "Say which standard audits follow", APPROVED_BY_MIKKO)
    assert control_findings(findings, example) == []
    row = register_rows(qms, example)["PRO-009"]
    assert (row["revision"], row["approved_by"], row["evidence"]) == (2, ["Mikko Heinonen"], [ASSERTED])


def test_approval_by_the_author_does_not_count(example: Path, findings: Findings) -> None:
    change(example)
    merged(example, "My own change", APPROVED_BY_MIKKO, author=MIKKO)
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-002", DOC, 2)]


@pytest.mark.parametrize("trailer", ["Approved-by: Timo Laine <timo.laine@tarkkuustyo.example>",
                                     "Approved-by: Nobody <nobody@example.com>"], ids=["no-authority", "unknown"])
def test_approval_without_authority_does_not_count(example: Path, findings: Findings, trailer: str) -> None:
    change(example)
    merged(example, "Change", trailer, author=AINO)
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-003", DOC, 2)]


def test_reviewed_by_is_not_an_approval(example: Path, findings: Findings) -> None:
    change(example)
    merged(example, "Change", "Reviewed-by: Mikko Heinonen <mikko.heinonen@tarkkuustyo.example>")
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2)]


def _branch_and_merge(root: Path, side_author: tuple[str, str], *trailers: str) -> str:
    git(root, "switch", "-q", "-c", "audit-cycle")
    change(root)
    commit_all(root, "Audit cycle, part 1", who=side_author)
    change(root, text="\nEvery process is audited at least every three years.\n")
    commit_all(root, "Audit cycle, part 2", who=side_author)
    git(root, "switch", "-q", "main")
    message = "Merge branch 'audit-cycle'" + ("\n\n" + "\n".join(trailers) if trailers else "")
    git_as(root, MERGE, "merge", "-q", "--no-ff", "-m", message, "audit-cycle")
    return git(root, "rev-parse", "HEAD").strip()


def test_merge_commit_is_one_revision_written_by_the_side_branch(example: Path, qms: Qms, findings: Findings) -> None:
    _branch_and_merge(example, TIMO, APPROVED_BY_MIKKO)
    assert control_findings(findings, example) == []
    [latest] = qms("history", "PRO-009", example, "-f", "json").json()[:1]
    assert (latest["revision"], latest["authors"]) == (2, ["timo.laine@tarkkuustyo.example"])
    assert latest["committers"] == sorted([MERGE[1], TIMO[1]])
    assert latest["approved_by"] == [f"Mikko Heinonen (approved, trailer, {ASSERTED})"]


def test_merge_approved_by_an_author_of_the_branch(example: Path, findings: Findings) -> None:
    _branch_and_merge(example, MIKKO, APPROVED_BY_MIKKO)
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-002", DOC, 2)]


def test_squash_merge_is_one_revision(example: Path, qms: Qms, findings: Findings) -> None:
    git(example, "switch", "-q", "-c", "topic")
    change(example)
    commit_all(example, "Part 1", who=TIMO)
    change(example, text="\nMore.\n")
    commit_all(example, "Part 2", who=TIMO)
    git(example, "switch", "-q", "main")
    git(example, "merge", "-q", "--squash", "topic")
    merged(example, "Audit cycle (#12)", APPROVED_BY_MIKKO)
    assert control_findings(findings, example) == []
    assert register_rows(qms, example)["PRO-009"]["revision"] == 2


def test_renames_are_followed_and_a_pure_rename_is_no_revision(example: Path, qms: Qms) -> None:
    new = "documents/procedures/PRO-009-audits.md"
    git(example, "mv", DOC, new)
    commit_all(example, "Shorter file name")
    history = read_history(example)
    assert history.of(new) is not None
    assert [r.number for r in history.of(new).revisions] == [1]  # type: ignore[union-attr]
    assert history.of(new).previous_paths == (DOC,)  # type: ignore[union-attr]
    change(example, new)
    merged(example, "Change after rename", APPROVED_BY_MIKKO)
    rows = register_rows(qms, example)
    assert (rows["PRO-009"]["revision"], rows["PRO-009"]["path"]) == (2, new)


def test_qms_approve_records_a_note_that_counts_only_as_asserted(example: Path, qms: Qms, findings: Findings,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    change(example)
    merged(example, "Change")
    for who in ("AUTHOR", "COMMITTER"):  # notes are commits too: Mikko writes this one
        monkeypatch.setenv(f"GIT_{who}_NAME", MIKKO[0])
        monkeypatch.setenv(f"GIT_{who}_EMAIL", MIKKO[1])
    git(example, "config", "user.name", MIKKO[0])
    git(example, "config", "user.email", MIKKO[1])
    result = qms("approve", "PRO-009", "-C", example)
    assert result.code == 0, result.err
    assert "Approved PRO-009 revision 2" in result.out
    note = git(example, "notes", "--ref=qms", "show", "HEAD")
    assert json.loads(note)["email"] == MIKKO[1]
    # an unsigned note is asserted: anyone who can push refs/notes/qms could have written it
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-022", DOC, 2)]
    [latest] = qms("history", "PRO-009", example, "-f", "json").json()[:1]
    assert latest["not_counted"] == [f"Mikko Heinonen (approved, qms approve, {ASSERTED}): it is asserted, and its "
                                     f"commit was written by {MIKKO[1]}, not by a merge identity "
                                     "(approvals.merge_identities)"]


def test_a_mistyped_id_approves_nothing_and_is_named_before_the_git_user_is_asked(example: Path, qms: Qms) -> None:
    change(example)
    merged(example, "Change")  # the example's repository has no user.email of its own: git does not know who
    result = qms("approve", "PRO-009", "NO-SUCH-1", "-C", example)
    assert result.code == 2
    assert "no document 'NO-SUCH-1'" in result.err and "who you are" not in result.err
    assert git(example, "notes", "--ref=qms", "list").strip() == ""  # PRO-009 was not approved before the error


def test_approving_your_own_change_warns(example: Path, qms: Qms) -> None:
    change(example)
    merged(example, "Change", author=MIKKO)
    git(example, "config", "user.email", MIKKO[1])
    result = qms("approve", "PRO-009", "-C", example)
    assert result.code == 0
    assert "will not count" in result.err


def test_revision_numbers_are_deterministic(example: Path) -> None:
    change(example)
    merged(example, "Change 1", APPROVED_BY_MIKKO)
    change(example, "documents/procedures/PRO-010-management-review.md")
    merged(example, "Another document", APPROVED_BY_MIKKO)
    first, second = read_history(example), read_history(example)
    assert first == second
    assert [r.number for r in first.of(DOC).revisions] == [1, 2]  # type: ignore[union-attr]
    other = first.of("documents/procedures/PRO-008-nonconformity.md")
    assert [r.number for r in other.revisions] == [1]  # type: ignore[union-attr]


def test_review_overdue_and_due_soon(example: Path, findings: Findings) -> None:
    overdue = control_findings(findings, example, "--today", "2028-02-01")
    assert ("QMS-CTRL-004", DOC, 2) in overdue
    assert ("QMS-CTRL-004", "documents/plans/PLN-001-quality-objectives.md", 2) in overdue  # 12-month plans
    soon = control_findings(findings, example, "--today", "2027-12-20")
    assert ("QMS-CTRL-005", DOC, 2) in soon
    assert ("QMS-CTRL-004", "documents/plans/PLN-001-quality-objectives.md", 2) in soon
    assert control_findings(findings, example, "--today", "2026-06-01") == []


def test_a_snapshot_manual_is_judged_as_of_its_day(tmp_path: Path, findings: Findings) -> None:
    """The example keeps its `as_of` day here (the fixture drops it): later days are judged as that day, and say so;
    earlier days are judged as they are."""
    manual = tmp_path / "snapshot"
    shutil.copytree(EXAMPLE, manual)
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "Example manual")
    later = control_findings(findings, manual, "--today", "2028-02-01")  # PRO-009's review fell due in 2027
    assert later == [("QMS-CTRL-025", "qms.yaml", line_of(manual / "qms.yaml", "as_of:"))]
    assert control_findings(findings, manual, "--today", "2026-06-01") == []


def test_a_change_cannot_stop_its_own_clock(example: Path, findings: Findings) -> None:
    """`as_of` is policy: added by a change nobody approved, it stops nothing, and the change is reported."""
    edit(example / "qms.yaml", "language: en\n", 'language: en\nas_of: "2026-11-27"\n')
    commit_all(example, "Freeze the manual")
    found = control_findings(findings, example, "--today", "2028-02-01")
    assert ("QMS-CTRL-004", DOC, 2) in found and "QMS-CTRL-020" in {f[0] for f in found}
    assert "QMS-CTRL-025" not in {f[0] for f in found}


def test_obsolete_document_referenced_by_an_active_one(example: Path, findings: Findings) -> None:
    edit(example / "documents/procedures/PRO-006-production.md", "status: active", "status: obsolete")
    found = control_findings(findings, example)
    pro005 = example / "documents/procedures/PRO-005-sales.md"
    assert ("QMS-CTRL-006", "documents/procedures/PRO-005-sales.md", line_of(pro005, "references:")) in found
    assert ("QMS-CTRL-006", "processes/production.yaml", line_of(example / "processes/production.yaml",
                                                                  "documents:")) in found


def test_document_id_changed_across_history(example: Path, findings: Findings) -> None:
    edit(example / DOC, "id: PRO-009", "id: PRO-099")
    change(example)
    edit(example / "processes/internal-audit.yaml", "documents: [PRO-009]", "documents: [PRO-099]")
    merged(example, "Renumber", APPROVED_BY_MIKKO)
    assert control_findings(findings, example) == [("QMS-CTRL-007", DOC, 2)]


def test_document_id_reused(example: Path, findings: Findings) -> None:
    old = "documents/instructions/WI-003-packing.md"
    text = (example / old).read_text()
    git(example, "rm", "-q", old)
    edit(example / "processes/delivery.yaml", "documents: [WI-003]", "documents: []")
    edit(example / "documents/procedures/PRO-006-production.md", "WI-003, ", "")
    merged(example, "Withdraw packing instruction", APPROVED_BY_MIKKO)
    new = "documents/instructions/WI-003-labels.md"
    (example / new).write_text(text.replace("Packing and labelling", "Labels"))
    merged(example, "A new instruction with an old id",
           "Approved-by: Jari Koskinen <jari.koskinen@tarkkuustyo.example>")
    assert ("QMS-CTRL-007", new, 2) in control_findings(findings, example)


def test_dependency_changed_after_approval(example: Path, findings: Findings) -> None:
    edit(example / "processes/internal-audit.yaml", "resources: [", "resources: [Audit checklist, ")
    merged(example, "Audit checklist", date="2026-02-01T10:00:00+02:00")
    assert control_findings(findings, example) == [("QMS-CTRL-008", DOC, 2)]


def test_shallow_clone_says_so_and_judges_nothing(example: Path, tmp_path: Path, findings: Findings,
                                                   qms: Qms) -> None:
    change(example)
    merged(example, "Unapproved change")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{example}", str(clone))
    assert control_findings(findings, clone) == [("QMS-GIT-001", "qms.yaml", 3)]
    result = qms("register", clone)
    assert result.code == 2
    assert "fetch-depth: 0" in result.err


def test_outside_git_the_rest_still_works(loose_example: Path, findings: Findings, qms: Qms) -> None:
    assert findings(loose_example) == [("QMS-GIT-002", "qms.yaml", 3)]
    assert qms("validate", loose_example).code == 0
    assert qms("register", loose_example).code == 2


def test_manual_in_a_subfolder_of_a_larger_repository(tmp_path: Path, qms: Qms, findings: Findings) -> None:
    outer = tmp_path / "company"
    (outer / "src").mkdir(parents=True)
    (outer / "src" / "main.c").write_text("int main(void) { return 0; }\n")
    shutil.copytree(EXAMPLE, outer / "quality")
    git(outer, "init", "-q", "-b", "main")
    commit_all(outer, "Everything")
    (outer / "src" / "main.c").write_text("int main(void) { return 1; }\n")
    commit_all(outer, "Code change, not the manual")
    change(outer / "quality")
    merged(outer, "Manual change")
    manual = outer / "quality"
    assert control_findings(findings, manual) == [("QMS-CTRL-001", DOC, 2)]
    assert register_rows(qms, manual)["PRO-009"]["revision"] == 1  # the unapproved revision 2 is pending
    assert "revision 2" in str(register_rows(qms, manual)["PRO-009"]["pending"])
    assert register_rows(qms, manual)["PRO-001"]["revision"] == 1


def test_detached_head(example: Path, qms: Qms, findings: Findings) -> None:
    change(example)
    merged(example, "Change", APPROVED_BY_MIKKO)
    git(example, "checkout", "-q", "--detach", "HEAD")
    assert control_findings(findings, example) == []
    assert register_rows(qms, example)["PRO-009"]["revision"] == 2


def test_uncommitted_and_never_committed_documents(example: Path, qms: Qms) -> None:
    change(example)
    new = example / "documents/instructions/WI-004-draft.md"
    new.write_text((example / "documents/instructions/WI-003-packing.md").read_text().replace("WI-003", "WI-004"))
    rows = register_rows(qms, example)
    assert rows["PRO-009"]["status"] == "active, uncommitted changes"
    assert (rows["WI-004"]["revision"], rows["WI-004"]["status"]) == (0, "active, never committed")


def test_register_at_a_past_date(example: Path, qms: Qms) -> None:
    edit(example / DOC, "title: Internal audit", "title: Internal audit programme")
    merged(example, "Retitle", APPROVED_BY_MIKKO, date="2026-03-01T10:00:00+02:00")
    git(example, "rm", "-q", "documents/instructions/WI-002-cmm-measurement.md")
    merged(example, "Withdraw WI-002", "Approved-by: Jari Koskinen <jari.koskinen@tarkkuustyo.example>",
           date="2026-04-01T10:00:00+02:00")
    assert register_rows(qms, example, "--at", "2025-12-31") == {}
    february = register_rows(qms, example, "--at", "2026-02-01")
    assert (february["PRO-009"]["title"], february["PRO-009"]["revision"]) == ("Internal audit", 1)
    assert "WI-002" in february
    march = register_rows(qms, example, "--at", "2026-03-15")
    assert (march["PRO-009"]["title"], march["PRO-009"]["revision"]) == ("Internal audit programme", 2)
    assert march["PRO-009"]["approved_by"] == ["Mikko Heinonen"]
    assert "WI-002" not in register_rows(qms, example, "--at", "2026-05-01")


@pytest.mark.parametrize("fmt", ["text", "csv", "markdown"])
def test_register_formats(example: Path, qms: Qms, fmt: str) -> None:
    out = qms("register", example, "--format", fmt).out
    assert "PRO-009" in out and "Internal audit" in out


def test_changes_for_a_pull_request(example: Path, qms: Qms) -> None:
    git(example, "switch", "-q", "-c", "topic")
    change(example)
    edit(example / "processes/internal-audit.yaml", "resources: [", "resources: [Audit checklist, ")
    commit_all(example, "Audit checklist")
    out = qms("changes", "--base", "main", example, "--format", "markdown").out
    assert "| changed | **PRO-009** Internal audit | document | 1 → 2 | `" + DOC + "` |" in out
    assert "| changed | **internal-audit** Internal audit | process | 1 → 2 |" in out
    assert "+Audits follow ISO 19011." in out
    items = qms("changes", "--base", "main", example, "--format", "json").json()
    assert {i["path"] for i in items} == {DOC, "processes/internal-audit.yaml"}


def test_validate_base_reports_only_what_the_branch_touches(example: Path, findings: Findings) -> None:
    edit(example / "documents/procedures/PRO-013-field-service.md", "owner: service-manager", "owner: ghost")
    commit_all(example, "Broken on main already", "Approved-by: Aino Lahtinen <aino.lahtinen@tarkkuustyo.example>")
    git(example, "switch", "-q", "-c", "topic")
    edit(example / DOC, "owner: quality-manager", "owner: nobody")
    everything = {path for _, path, _ in findings(example)}
    assert {DOC, "documents/procedures/PRO-013-field-service.md"} <= everything
    mine = {path for _, path, _ in findings(example, "--base", "main")}
    assert DOC in mine and "documents/procedures/PRO-013-field-service.md" not in mine


def test_release_records_every_revision_in_an_annotated_tag(example: Path, qms: Qms) -> None:
    change(example)
    merged(example, "Change", APPROVED_BY_MIKKO)
    result = qms("release", "manual-2026-01", example)
    assert result.code == 0, result.err
    message = git(example, "tag", "-l", "--format=%(contents)", "manual-2026-01")
    head = git(example, "rev-parse", "HEAD").strip()
    assert f"PRO-009 rev 2 {head} active {DOC}" in message
    assert git(example, "cat-file", "-t", "manual-2026-01").strip() == "tag"
    assert qms("release", "manual-2026-01", example).code == 2  # never replaced
    change(example)
    assert qms("release", "manual-2026-02", example).code == 2  # uncommitted changes


class _GitHub(BaseHTTPRequestHandler):
    """Serves the recorded API answers in tests/data/github."""

    merge_commit = ""
    head = ""
    data = Path(__file__).parent / "data" / "github"
    seen_tokens: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        page = int(parse_qs(url.query).get("page", ["1"])[0])
        self.seen_tokens.append(self.headers.get("Authorization", ""))
        name = {"/repos/acme/qm/pulls": "pulls.json", "/repos/acme/qm/pulls/7/reviews": "reviews-7.json",
                "/repos/acme/qm/pulls/5/reviews": "reviews-5.json"}.get(url.path)
        if name is None:
            self.send_error(404)
            return
        body = (self.data / name).read_text().replace("MERGE_COMMIT_SHA", self.merge_commit)
        body = body.replace("HEAD_SHA", self.head) if page == 1 else "[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def github() -> Iterator[str]:
    with local_server(_GitHub) as url:
        yield url


def test_github_reviews_are_imported_as_asserted_notes(example: Path, qms: Qms, findings: Findings, github: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    edit(example / "organisation/people.yaml", "title: Quality Manager\n",
         "title: Quality Manager\n    github: mheinonen\n")
    merged(example, "GitHub logins", "Approved-by: Aino Lahtinen <aino.lahtinen@tarkkuustyo.example>")
    _GitHub.merge_commit = _branch_and_merge(example, TIMO)
    _GitHub.head = git(example, "rev-parse", "audit-cycle").strip()
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2)]
    monkeypatch.setenv("GITHUB_TOKEN", "secret-token")
    result = qms("approvals", "import", "github", "--repo", "acme/qm", example, "--api", github)
    assert result.code == 0, result.err
    assert "Imported 2 approvals" in result.out  # mheinonen and someone-else on #7; #5 is not in this history
    assert "Bearer secret-token" in _GitHub.seen_tokens
    # a note is a copy anyone who can push refs/notes/qms could write: asserted, and not by the merge identity
    found = control_findings(findings, example)
    assert ("QMS-CTRL-001", DOC, 2) in found and ("QMS-CTRL-022", DOC, 2) in found
    [latest] = qms("history", "PRO-009", example, "-f", "json").json()[:1]
    assert any(line.startswith(f"Mikko Heinonen (approved, github, {ASSERTED})") for line in latest["not_counted"])
    again = qms("approvals", "import", "github", "--repo", "acme/qm", example, "--api", github)
    assert "Imported 0 approvals" in again.out


def test_github_errors_are_diagnostics(example: Path, qms: Qms, github: str) -> None:
    result = qms("approvals", "import", "github", "--repo", "acme/other", example, "--api", github)
    assert result.code == 2
    assert "GitHub answered 404" in result.err
    assert qms("approvals", "import", "github", "--repo", "no-slash", example, "--api", github).code == 2
    insecure = qms("approvals", "import", "github", "--repo", "acme/qm", example, "--api", "http://example.com")
    assert insecure.code == 2 and "not HTTPS" in insecure.err


def trust_signers(root: Path, *keys: tuple[str, Path], evidence: str = "[asserted, signed]") -> str:
    """A policy change approved by the policy approvers: allowed signers kept in the repository, and the
    evidence the manual accepts. Returns the commit."""
    lines = "".join(f"{email} {Path(str(key) + '.pub').read_text()}" for email, key in keys)
    (root / "organisation" / "allowed_signers").write_text(lines)
    edit(root / "qms.yaml", "  policy_approvers:", "  signers: organisation/allowed_signers\n  policy_approvers:")
    edit(root / "qms.yaml", "  evidence: [asserted]", f"  evidence: {evidence}")
    return merged(root, "Approvals are signed", "Approved-by: Aino Lahtinen <aino.lahtinen@tarkkuustyo.example>",
                  author=MIKKO)


def new_key(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


def sign_as(root: Path, who: tuple[str, str], key: Path) -> None:
    """Configure git as an approver who signs with `key` would (no allowed-signers file in git's config)."""
    for name, value in [("user.name", who[0]), ("user.email", who[1]), ("gpg.format", "ssh"),
                        ("user.signingkey", str(key))]:
        git(root, "config", name, value)


@pytest.fixture
def signing_key(example: Path, tmp_path: Path) -> Path:
    """Mikko's SSH signing key, in the allowed signers of the manual's policy and configured for git."""
    key = new_key(tmp_path, "mikko_ed25519")
    trust_signers(example, (MIKKO[1], key))
    sign_as(example, MIKKO, key)
    return key


def test_signed_approval_counts_and_a_tampered_one_does_not(example: Path, signing_key: Path, qms: Qms,
                                                            findings: Findings) -> None:
    change(example)
    merged(example, "Change")
    assert qms("approve", "PRO-009", "-C", example, "--sign").code == 0
    assert control_findings(findings, example) == []
    [latest] = qms("history", "PRO-009", example, "-f", "json").json()[:1]
    assert latest["approved_by"] == ["Mikko Heinonen (approved, qms approve, signed)"]
    assert register_rows(qms, example)["PRO-009"]["evidence"] == ["signed"]
    # someone edits the note: it still names Mikko, but now claims a different meaning
    note = git(example, "notes", "--ref=qms", "show", "HEAD")
    tampered = note.replace('"meaning": "approved"', '"meaning": "released"')
    assert tampered != note
    git(example, "notes", "--ref=qms", "add", "-f", "-m", tampered.strip(), "HEAD")
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-009", DOC, 2)]


def test_signing_needs_a_key(example: Path, qms: Qms) -> None:
    change(example)
    merged(example, "Change")
    git(example, "config", "user.email", MIKKO[1])
    result = qms("approve", "PRO-009", "-C", example, "--sign")
    assert result.code == 2 and "gpg.format ssh" in result.err


# --- a baseline is pinned to a commit, judged by ancestry (issue 11 item 4) ----------------------------------

# The baseline is policy (DESIGN 0016): pinning it is a change the policy approvers approve, as in these tests.
PRO_001 = "documents/procedures/PRO-001-documented-information.md"
PRO_002 = "documents/procedures/PRO-002-risks-and-opportunities.md"
APPROVED_BY_AINO = f"Approved-by: {AINO[0]} <{AINO[1]}>"


def _pin(manual: Path, until: str) -> None:
    edit(manual / "qms.yaml", "until: first-commit", f"until: {until}")


def _ctrl(findings: Findings, manual: Path) -> list[tuple[str, str, int]]:
    return sorted(f for f in findings(manual) if f[0].startswith(("QMS-CTRL", "QMS-SCHEMA")))


def test_a_baseline_pinned_to_a_commit_releases_its_ancestry_only(example: Path, findings: Findings) -> None:
    edit(example / PRO_001, "## Purpose", "## Purpose of control")
    released = merged(example, "Paper revision 2 of PRO-001")
    _pin(example, released)
    merged(example, "Pin the baseline to the last paper release", APPROVED_BY_AINO)
    assert _ctrl(findings, example) == []
    # a later change is not released, even when its date is set to before the pinned commit
    edit(example / PRO_002, "## Purpose", "## Purpose of operations")
    merged(example, "Backdated change", date="2025-06-01T12:00:00+02:00")
    assert _ctrl(findings, example) == [("QMS-CTRL-001", PRO_002, 2)]


def test_a_baseline_by_date_is_refused_with_a_hint(example: Path, findings: Findings, qms: Qms) -> None:
    _pin(example, '"2099-12-31"')
    merged(example, "Baseline by date", APPROVED_BY_AINO)
    edit(example / PRO_002, "## Purpose", "## Purpose of operations")
    merged(example, "A change the date would have released")
    line = line_of(example / "qms.yaml", "until:")
    assert _ctrl(findings, example) == [("QMS-SCHEMA-001", "qms.yaml", line)]  # a broken qms.yaml fails the run
    found = [d for d in qms("validate", example, "--format", "json").json()["diagnostics"]
             if d["rule"] == "QMS-SCHEMA-001"]
    assert "pinned to a commit" in found[0]["hint"] and "never a date" in found[0]["hint"]
    # and the date releases nothing: the change stands unapproved in the register, the first commit too
    rows = register_rows(qms, example)
    assert rows["PRO-002"]["approved_by"] == [] and rows["PRO-001"]["approved_by"] == []
    assert "revision 2" in str(rows["PRO-002"]["pending"])


def test_a_baseline_pinned_to_a_commit_outside_the_history_releases_nothing(example: Path,
                                                                            findings: Findings) -> None:
    git(example, "checkout", "-q", "-b", "elsewhere")
    edit(example / PRO_002, "## Purpose", "## Purpose of operations")
    elsewhere = merged(example, "On a branch that is never merged")
    git(example, "checkout", "-q", "main")
    git(example, "checkout", "-q", "elsewhere", "--", PRO_002)
    merged(example, "The same change")
    _pin(example, elsewhere)
    merged(example, "The change released by pointing at the other branch", APPROVED_BY_AINO)
    line = line_of(example / "qms.yaml", "until:")
    found = _ctrl(findings, example)
    assert ("QMS-CTRL-010", "qms.yaml", line) in found
    assert ("QMS-CTRL-001", PRO_002, 2) in found
    assert ("QMS-CTRL-001", PRO_001, 2) in found  # nothing is released, not even the first commit
    edit(example / "qms.yaml", elsewhere, "\"" + "0" * 40 + "\"")
    merged(example, "No such commit", APPROVED_BY_AINO)
    assert ("QMS-CTRL-010", "qms.yaml", line) in _ctrl(findings, example)

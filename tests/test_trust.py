"""The trust model (DESIGN 0016) attacked as an ordinary employee would, in real repositories with real ssh-keygen:
every forgery fails `qms validate` with a located finding, and the honest paths pass."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import commit_all, edit, git, git_as, line_of, local_server
from tests.test_control import (
    APPROVED_BY_MIKKO,
    ASSERTED,
    DOC,
    MERGE,
    MIKKO,
    TIMO,
    Findings,
    Qms,
    change,
    control_findings,
    merged,
    new_key,
    register_rows,
    sign_as,
    trust_signers,
)

APPROVED_BY_AINO = "Approved-by: Aino Lahtinen <aino.lahtinen@tarkkuustyo.example>"
JARI = ("Jari Koskinen", "jari.koskinen@tarkkuustyo.example")
WI = "documents/instructions/WI-001-first-off-inspection.md"


def qms_line(root: Path, needle: str) -> int:
    return line_of(root / "qms.yaml", needle)


# --- asserted evidence: trailers and notes ----------------------------------------------------------------


@pytest.mark.parametrize("email", [MIKKO[1], MIKKO[1].upper()], ids=["as-written", "other-case"])
def test_trailer_written_by_the_author_into_their_own_commit(example: Path, findings: Findings, email: str) -> None:
    change(example)
    commit_all(example, "Audit cycle", f"Approved-by: Mikko Heinonen <{email}>", who=TIMO)
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-022", DOC, 2)]


def test_trailer_on_a_branch_judged_against_the_base(example: Path, findings: Findings, qms: Qms) -> None:
    git(example, "switch", "-q", "-c", "topic")
    change(example)
    commit_all(example, "Audit cycle", APPROVED_BY_MIKKO, who=TIMO)
    assert control_findings(findings, example, "--base", "main") == [("QMS-CTRL-001", DOC, 2),
                                                                     ("QMS-CTRL-022", DOC, 2)]
    sarif = qms("validate", example, "--base", "main", "--format", "sarif").json()
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "QMS-CTRL-022"]
    assert messages and f"(approved, trailer, {ASSERTED})" in messages[0]


def test_note_written_by_the_author(example: Path, findings: Findings) -> None:
    change(example)
    merged(example, "Audit cycle")
    note = json.dumps({"qms": 1, "document": "PRO-009", "meaning": "approved", "name": MIKKO[0],
                       "email": MIKKO[1], "date": "2026-01-16T09:00:00+02:00", "source": "qms approve"})
    git_as(example, TIMO, "notes", "--ref=qms", "add", "-m", note, "HEAD")
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-022", DOC, 2)]


def test_note_written_by_the_merge_identity_counts_where_asserted_is_allowed(example: Path, findings: Findings,
                                                                            qms: Qms) -> None:
    change(example)
    merged(example, "Audit cycle")
    note = json.dumps({"qms": 1, "document": "PRO-009", "meaning": "approved", "name": MIKKO[0],
                       "email": MIKKO[1], "date": "2026-01-16T09:00:00+02:00", "source": "github"})
    git_as(example, MERGE, "notes", "--ref=qms", "add", "-m", note, "HEAD")
    assert control_findings(findings, example) == []
    assert register_rows(qms, example)["PRO-009"]["evidence"] == [ASSERTED]


def test_approver_committing_their_own_change_under_an_unknown_email(example: Path, findings: Findings) -> None:
    change(example)
    merged(example, "Audit cycle", APPROVED_BY_MIKKO, author=("Mikko Heinonen", "mikko@home.example"))
    assert control_findings(findings, example) == [("QMS-CTRL-021", DOC, 2)]
    assert findings(example, "--select", "QMS-CTRL-021") == [("QMS-CTRL-021", DOC, 2)]


def test_bots_may_write_changes_but_never_approve(example: Path, findings: Findings) -> None:
    change(example)
    merged(example, "Audit cycle", f"Approved-by: Merge Bot <{MERGE[1]}>", author=MERGE)
    found = control_findings(findings, example)
    assert ("QMS-CTRL-021", DOC, 2) not in found  # the merge identity is listed under approvals.bots
    assert found == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-003", DOC, 2)]  # and is no person who may approve


# --- the policy cannot be changed by the change it judges ---------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    ("site:\n", "rules: {ignore: [QMS-CTRL-001, QMS-CTRL-020, QMS-CTRL-022]}\nsite:\n"),
    ("site:\n", "rules: {severity: {QMS-CTRL-001: info, QMS-CTRL-020: info}}\nsite:\n"),
], ids=["ignore-ctrl", "lower-severity"])
def test_one_commit_edits_a_procedure_and_the_policy(example: Path, findings: Findings, qms: Qms, old: str,
                                                     new: str) -> None:
    change(example)
    edit(example / "qms.yaml", old, new)
    merged(example, "Audit cycle, and a small configuration change")
    found = control_findings(findings, example)
    assert ("QMS-CTRL-001", DOC, 2) in found
    assert ("QMS-CTRL-020", "qms.yaml", qms_line(example, "organisation:")) in found
    result = qms("validate", example)
    assert result.code == 1 and "the manual's first commit" in result.out


def test_baseline_moved_over_the_change_itself(example: Path, findings: Findings, qms: Qms) -> None:
    """The issue's `baseline.until: "2099-12-31"`: a date is refused now, and pinning the baseline to the
    change's own commit is a policy change the trusted policy did not approve, so the old baseline applies."""
    change(example)
    edit(example / "qms.yaml", "  until: first-commit", '  until: "2099-12-31"')
    merged(example, "Audit cycle, and the baseline moved")
    result = qms("validate", example)
    assert result.code == 1 and "until" in result.out  # the date form is refused, with a hint
    edit(example / "qms.yaml", '  until: "2099-12-31"', "  until: first-commit")
    unapproved = merged(example, "The baseline as it was")
    edit(example / "qms.yaml", "  until: first-commit", f"  until: {unapproved}")
    merged(example, "Baseline pinned to the audit cycle change")
    found = control_findings(findings, example)
    assert ("QMS-CTRL-001", DOC, 2) in found
    assert ("QMS-CTRL-020", "qms.yaml", qms_line(example, "organisation:")) in found


def test_new_approver_role_for_a_colleague_who_then_approves(example: Path, findings: Findings) -> None:
    change(example)
    edit(example / "qms.yaml", "approvers: [quality-manager, managing-director]",
         "approvers: [quality-manager, managing-director, production-manager]")
    merged(example, "Audit cycle", f"Approved-by: {JARI[0]} <{JARI[1]}>")
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-003", DOC, 2),
                                                   ("QMS-CTRL-020", "qms.yaml", qms_line(example, "organisation:"))]


def test_new_person_added_by_the_change_cannot_approve_it(example: Path, findings: Findings) -> None:
    change(example)
    with (example / "organisation/people.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  - {id: pekka-friend, name: Pekka Friend, emails: [pekka@friend.example], "
                     "roles: [quality-manager]}\n")
    merged(example, "Audit cycle", "Approved-by: Pekka Friend <pekka@friend.example>")
    found = control_findings(findings, example)
    assert ("QMS-CTRL-001", DOC, 2) in found and ("QMS-CTRL-003", DOC, 2) in found
    assert "organisation/people.yaml" in {path for rule, path, _ in found if rule == "QMS-CTRL-020"}


def test_policy_change_approved_by_the_policy_approvers(example: Path, findings: Findings, qms: Qms) -> None:
    edit(example / "qms.yaml", "approvers: [production-manager, quality-manager]",
         "approvers: [production-manager, quality-manager, managing-director]")
    merged(example, "The managing director may approve instructions", APPROVED_BY_AINO, author=MIKKO)
    change(example, WI)
    merged(example, "First-off inspection, clearer", APPROVED_BY_AINO)
    assert control_findings(findings, example) == []
    assert register_rows(qms, example)["WI-001"]["approved_by"] == ["Aino Lahtinen"]


def test_policy_change_by_an_unknown_identity(example: Path, findings: Findings) -> None:
    edit(example / "qms.yaml", "review_every: 24", "review_every: 36")
    merged(example, "Review every three years", APPROVED_BY_AINO, author=("Someone", "someone@else.example"))
    assert control_findings(findings, example) == [("QMS-CTRL-021", "qms.yaml", qms_line(example, "organisation:"))]


def test_policy_change_approved_by_someone_else_is_not_enough(example: Path, findings: Findings) -> None:
    edit(example / "qms.yaml", "review_every: 24", "review_every: 36")
    merged(example, "Review every three years", f"Approved-by: {JARI[0]} <{JARI[1]}>", author=MIKKO)
    assert control_findings(findings, example) == [("QMS-CTRL-020", "qms.yaml", qms_line(example, "organisation:"))]


def test_validate_base_reads_the_policy_of_the_base(example: Path, findings: Findings) -> None:
    git(example, "switch", "-q", "-c", "topic")
    edit(example / "qms.yaml", "  evidence: [asserted]", "  evidence: [asserted]\n  bots: [test.person@example.com]")
    edit(example / "qms.yaml", "  bots: [merge-bot", "  # bots: [merge-bot")
    change(example)
    commit_all(example, "Let me in")
    found = control_findings(findings, example, "--base", "main")
    assert ("QMS-CTRL-021", DOC, 2) in found and ("QMS-CTRL-020", "qms.yaml", 3) in found


def test_legacy_manual_is_told_its_approvals_are_asserted(example: Path, findings: Findings) -> None:
    shutil.rmtree(example / ".git")
    start = (example / "qms.yaml").read_text().index("approvals:\n")
    end = (example / "qms.yaml").read_text().index("site:\n")
    text = (example / "qms.yaml").read_text()
    (example / "qms.yaml").write_text(text[:start] + text[end:])
    git(example, "init", "-q", "-b", "main")
    commit_all(example, "Example manual without a trust policy")
    change(example)
    commit_all(example, "Change", APPROVED_BY_MIKKO, who=TIMO)
    assert control_findings(findings, example) == [("QMS-CTRL-024", "qms.yaml", 3)]


# --- signed evidence -----------------------------------------------------------------------------------------


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    return {"mikko": new_key(tmp_path, "mikko_ed25519"), "timo": new_key(tmp_path, "timo_ed25519")}


def test_signed_approval_with_pinned_signers_counts_from_a_subfolder(example: Path, keys: dict[str, Path],
                                                                     qms: Qms, findings: Findings) -> None:
    trust_signers(example, (MIKKO[1], keys["mikko"]), evidence="[signed]")
    change(example)
    merged(example, "Audit cycle")
    sign_as(example, MIKKO, keys["mikko"])
    assert qms("approve", "PRO-009", "-C", example, "--sign").code == 0
    assert control_findings(findings, example) == []
    # the signers file is found from the repository's root, not from where qms runs
    result = qms("validate", "--select", "QMS-CTRL", "--format", "json", cwd=example / "documents" / "procedures")
    assert result.code == 0, result.out


def test_stripped_signature_is_an_unsigned_approval(example: Path, keys: dict[str, Path], findings: Findings,
                                                    qms: Qms) -> None:
    trust_signers(example, (MIKKO[1], keys["mikko"]), evidence="[signed]")
    change(example)
    merged(example, "Audit cycle")
    sign_as(example, MIKKO, keys["mikko"])
    assert qms("approve", "PRO-009", "-C", example, "--sign").code == 0
    note = json.loads(git(example, "notes", "--ref=qms", "show", "HEAD"))
    del note["signature"]
    git(example, "notes", "--ref=qms", "add", "-f", "-m", json.dumps(note), "HEAD")
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-022", DOC, 2)]


def test_signature_by_the_wrong_key_in_a_clone_without_git_signers(example: Path, keys: dict[str, Path],
                                                                   tmp_path: Path, qms: Qms,
                                                                   findings: Findings) -> None:
    trust_signers(example, (MIKKO[1], keys["mikko"]), evidence="[signed]")
    change(example)
    merged(example, "Audit cycle")
    sign_as(example, MIKKO, keys["timo"])  # Timo signs in Mikko's name with his own key
    assert qms("approve", "PRO-009", "-C", example, "--sign").code == 0
    clone = tmp_path / "ci-clone"
    git(tmp_path, "clone", "-q", f"file://{example}", str(clone))
    git(clone, "fetch", "-q", "origin", "refs/notes/qms:refs/notes/qms")
    assert control_findings(findings, clone) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-009", DOC, 2)]


def test_signers_file_edited_in_the_same_change(example: Path, keys: dict[str, Path], qms: Qms,
                                                findings: Findings) -> None:
    trust_signers(example, (MIKKO[1], keys["mikko"]), evidence="[signed]")
    change(example)
    signers = example / "organisation" / "allowed_signers"
    signers.write_text(signers.read_text() + f"{MIKKO[1]} {Path(str(keys['timo']) + '.pub').read_text()}")
    merged(example, "Audit cycle")
    sign_as(example, MIKKO, keys["timo"])
    assert qms("approve", "PRO-009", "-C", example, "--sign").code == 0
    found = control_findings(findings, example)
    assert ("QMS-CTRL-009", DOC, 2) in found and ("QMS-CTRL-001", DOC, 2) in found
    assert ("QMS-CTRL-020", "organisation/allowed_signers", 1) in found  # a file the loader does not read


def test_missing_signers_file_is_an_error(example: Path, findings: Findings) -> None:
    edit(example / "qms.yaml", "  policy_approvers:", "  signers: organisation/no_such_file\n  policy_approvers:")
    edit(example / "qms.yaml", "  evidence: [asserted]", "  evidence: [asserted, signed]")
    merged(example, "Approvals are signed", APPROVED_BY_AINO, author=MIKKO)
    assert control_findings(findings, example) == [("QMS-CTRL-023", "qms.yaml", 3)]


def test_signer_who_committed_the_change_does_not_count(example: Path, keys: dict[str, Path],
                                                        findings: Findings, qms: Qms) -> None:
    trust_signers(example, (MIKKO[1], keys["mikko"]), evidence="[signed]")
    change(example)
    merged(example, "Audit cycle", committer=MIKKO)  # Timo wrote it, Mikko committed it to the main line
    sign_as(example, MIKKO, keys["mikko"])
    assert qms("approve", "PRO-009", "-C", example, "--sign").code == 0
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2), ("QMS-CTRL-002", DOC, 2)]


# --- forge evidence --------------------------------------------------------------------------------------------


class _Forge(BaseHTTPRequestHandler):
    """Serves recorded GitHub and GitLab answers (tests/data/github, tests/data/gitlab)."""

    merge_commit = ""
    head = ""
    stale = False  # every review given on an earlier push than the merged head
    resets = True  # GitLab: approvals are removed when commits are pushed
    unmerged = False  # no request has been merged yet
    data = Path(__file__).parent / "data"
    routes: ClassVar[dict[str, str]] = {
        "/repos/acme/qm/pulls": "github/pulls.json", "/repos/acme/qm/pulls/7/reviews": "github/reviews-7.json",
        "/repos/acme/qm/pulls/5/reviews": "github/reviews-5.json", "/repos/acme/qm/pulls/7": "github/pull-7.json",
        "/api/v4/projects/acme%2Fqm/merge_requests/3": "gitlab/merge_request-3.json",
        "/api/v4/projects/acme%2Fqm/merge_requests": "gitlab/merge_requests.json",
        "/api/v4/projects/acme%2Fqm/merge_requests/3/approvals": "gitlab/approvals-3.json",
        "/api/v4/projects/acme%2Fqm/merge_requests/1/approvals": "gitlab/approvals-1.json",
        "/api/v4/projects/acme%2Fqm/approvals": "gitlab/project-approvals.json",
    }

    def do_GET(self) -> None:
        url = urlparse(self.path)
        name = self.routes.get(url.path)
        if name is None:
            self.send_error(404)
            return
        body = (self.data / name).read_text().replace("MERGE_COMMIT_SHA", self.merge_commit)
        body = body.replace("HEAD_SHA", "4" * 40 if self.stale and "reviews" in name else self.head)
        if not self.resets:
            body = body.replace('"reset_approvals_on_push": true', '"reset_approvals_on_push": false')
        listing = name in ("github/pulls.json", "gitlab/merge_requests.json")
        if int(parse_qs(url.query).get("page", ["1"])[0]) > 1 or (self.unmerged and listing):
            body = "[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def forge() -> Iterator[str]:
    _Forge.stale, _Forge.resets, _Forge.unmerged = False, True, False
    with local_server(_Forge) as url:
        yield url


def _use_forge(root: Path, kind: str, api: str) -> None:
    """A policy change approved by the policy approvers: Mikko's forge login, and forge evidence."""
    edit(root / "organisation/people.yaml", "title: Quality Manager\n",
         f"title: Quality Manager\n    {kind}: mheinonen\n")
    edit(root / "qms.yaml", "  evidence: [asserted]",
         f"  evidence: [forge, asserted]\n  forge: {{type: {kind}, repository: acme/qm, api: '{api}'}}")
    merged(root, f"Approvals are read from {kind}", APPROVED_BY_AINO, author=MIKKO)


def _pull_request(root: Path, date: str = "") -> None:
    git(root, "switch", "-q", "-c", "audit-cycle")
    change(root)
    merged(root, "Audit cycle", date=date)  # as pushed (the branch's head)
    _Forge.head = git(root, "rev-parse", "HEAD").strip()
    git(root, "switch", "-q", "main")
    git_as(root, MERGE, "merge", "-q", "--no-ff", "-m", "Merge pull request #7 from acme/audit-cycle",
           "audit-cycle", date=date)
    _Forge.merge_commit = git(root, "rev-parse", "HEAD").strip()


def test_github_review_on_the_merged_head_counts(example: Path, forge: str, qms: Qms, findings: Findings,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ci-token")
    _use_forge(example, "github", f"{forge}")
    _pull_request(example, date="2025-06-01T10:00:00+03:00")  # backdated: the date must come from the forge
    assert control_findings(findings, example) == [("QMS-CTRL-003", DOC, 2)]  # someone-else: no known person
    row = register_rows(qms, example)["PRO-009"]
    assert (row["approved_by"], row["evidence"]) == (["Mikko Heinonen"], ["forge review"])
    assert (row["effective"], row["next_review"]) == ("2026-02-10", "2028-02-10")  # merged 2026-02-10 09:12Z
    [latest] = qms("history", "PRO-009", example, "-f", "json").json()[:1]
    assert latest["approved_by"] == ["Mikko Heinonen (approved, github, forge review)"]
    assert latest["approved_at"] == "2026-02-10" and latest["date"] == "2025-06-01"


def test_github_review_of_an_earlier_push_does_not_count(example: Path, forge: str, findings: Findings) -> None:
    _Forge.stale = True
    _use_forge(example, "github", forge)
    _pull_request(example)
    assert control_findings(findings, example) == [("QMS-CTRL-001", DOC, 2)]


def test_forge_that_cannot_be_read_is_an_error(example: Path, findings: Findings) -> None:
    _use_forge(example, "github", "http://127.0.0.1:9")  # nothing listens on the discard port
    _pull_request(example)
    found = control_findings(findings, example)
    assert ("QMS-CTRL-023", "qms.yaml", 3) in found and ("QMS-CTRL-001", DOC, 2) in found


def test_gitlab_approval_on_the_merged_head_counts(example: Path, forge: str, qms: Qms, findings: Findings,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", "ci-token")
    _use_forge(example, "gitlab", f"{forge}/api/v4")
    _pull_request(example)
    assert control_findings(findings, example) == []
    row = register_rows(qms, example)["PRO-009"]
    assert (row["approved_by"], row["evidence"], row["effective"]) == (["Mikko Heinonen"], ["forge review"],
                                                                       "2026-03-04")
    imported = qms("approvals", "import", "gitlab", "--repo", "acme/qm", example, "--api", f"{forge}/api/v4")
    assert imported.code == 0 and "Imported 1 approval " in imported.out


def test_gitlab_that_keeps_approvals_on_push_is_not_forge_evidence(example: Path, forge: str,
                                                                    findings: Findings) -> None:
    _Forge.resets = False
    _use_forge(example, "gitlab", f"{forge}/api/v4")
    _pull_request(example)
    found = control_findings(findings, example)
    assert ("QMS-CTRL-023", "qms.yaml", 3) in found and ("QMS-CTRL-001", DOC, 2) in found


@pytest.mark.parametrize(("kind", "api", "request_env", "unknown"), [
    ("github", "", ("GITHUB_REF", "refs/pull/7/merge"), [("QMS-CTRL-003", DOC, 2)]),  # someone-else
    ("gitlab", "/api/v4", ("CI_MERGE_REQUEST_IID", "3"), [])])
def test_open_request_judged_by_reviews_of_its_head(example: Path, forge: str, findings: Findings,
                                                    monkeypatch: pytest.MonkeyPatch, kind: str, api: str,
                                                    request_env: tuple[str, str],
                                                    unknown: list[tuple[str, str, int]]) -> None:
    _use_forge(example, kind, forge + api)
    _Forge.unmerged = True
    git(example, "switch", "-q", "-c", "audit-cycle")
    change(example)
    commit_all(example, "Audit cycle", who=TIMO)
    _Forge.head = git(example, "rev-parse", "HEAD").strip()
    assert control_findings(findings, example, "--base", "main") == [("QMS-CTRL-001", DOC, 2)]
    monkeypatch.setenv(*request_env)  # the CI job of the request
    assert control_findings(findings, example, "--base", "main") == unknown
    change(example, text="\nPushed after the review.\n")
    commit_all(example, "After the review", who=TIMO)  # the review approved the head before this one
    found = control_findings(findings, example, "--base", "main")
    assert ("QMS-CTRL-001", DOC, 2) in found and ("QMS-CTRL-023", "qms.yaml", 3) in found


# --- authority per document, and the starting manual ------------------------------------------------------------


def test_several_approvers_on_one_merge_each_for_their_own_documents(example: Path, findings: Findings) -> None:
    change(example)
    change(example, WI, "\nMeasure the first part twice.\n")
    merged(example, "Audit cycle and first-off inspection", APPROVED_BY_AINO, f"Approved-by: {JARI[0]} <{JARI[1]}>")
    assert control_findings(findings, example) == []


def test_qms_init_manual_declares_forge_and_signed(tmp_path: Path, qms: Qms, findings: Findings) -> None:
    manual = tmp_path / "fresh"
    assert qms("init", manual).code == 0
    assert "evidence: [forge, signed]" in (manual / "qms.yaml").read_text()
    assert (manual / "organisation" / "allowed_signers").exists()
    assert control_findings(findings, manual) == []


# --- reports read the trusted policy too ------------------------------------------------------------------


def test_an_unapproved_policy_change_makes_nobody_an_approver_in_todo(example: Path, qms: Qms) -> None:
    """Timo gives machinists the approval of procedures in the same unapproved change that edits one: `qms todo`
    judges with the policy before it, as `qms validate` does."""
    change(example)
    edit(example / "qms.yaml", "    approvers: [quality-manager, managing-director]",
         "    approvers: [quality-manager, managing-director, machinist]")
    merged(example, "Audit cycle, and machinists approve procedures now")
    todo = qms("todo", example, "--today", "2026-11-27", "--format", "json").json()
    approvers = {item["person"] for item in todo if item["kind"] == "approve" and item["item"] == "PRO-009"}
    assert approvers and "timo-laine" not in approvers
    assert {"aino-lahtinen", "mikko-heinonen"} <= approvers


def test_an_unapproved_policy_change_cannot_make_its_own_revision_effective_in_the_review_pack(
        example: Path, qms: Qms) -> None:
    """Timo lists himself as a merge identity, so that his own trailer would count as asserted evidence: the
    review pack counts the documents that changed in the year by the trusted policy, where nothing changed."""
    git_as(example, MIKKO, "commit", "-q", "--amend", "--no-edit", date="2025-06-01T10:00:00+03:00")
    change(example)
    edit(example / "qms.yaml", "  merge_identities: [", f"  merge_identities: [{TIMO[1]}, ")
    commit_all(example, "Audit cycle", APPROVED_BY_MIKKO, who=TIMO, date="2026-03-01T10:00:00+02:00")
    pack = qms("report", "review", example, "--period", "2026", "--today", "2026-11-27").out
    assert "\n0 documents changed in the period" in pack

"""Forms and records: filling in forms interactively and not, ids that never collide, workflow, rules."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qmskit.loading.load import load_manual
from qmskit.records.workflow import RECORD_ID, next_number
from tests.conftest import EXAMPLE, Result, commit_all, edit, git, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
NC_SETTINGS = ["--set", "detected=2026-03-02", "--set", "source=production", "--set", "process=production.machining",
               "--set", "description=Bore 0.02 mm oversize", "--set", "quantity=12"]


def new_record(qms: Qms, root: Path, form: str, *args: str | Path) -> Path:
    """Run `qms record new` and return the path of the record it wrote."""
    result = qms("record", "new", form, root, *args)
    assert result.code == 0, result.out + result.err
    match = re.search(r"Recorded (\S+) in (\S+)", result.out)
    assert match, result.out
    return root / match[2]


def _ids(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.yaml")}


@pytest.fixture
def as_timo(example: Path) -> Path:
    git(example, "config", "user.name", "Timo Laine")
    git(example, "config", "user.email", "timo.laine@tarkkuustyo.example")
    return example


def test_example_has_many_valid_records_in_every_state() -> None:
    manual = load_manual(EXAMPLE).manual
    assert len(manual.records) >= 60
    assert len({r.form for r in manual.records}) >= 10
    states = {r.status for r in manual.records if r.form == "nonconformity"}
    assert states == {"reported", "analysed", "action-planned", "implemented", "verified", "closed"}
    scores = [r.values["recommend"] for r in manual.records if r.form == "customer-feedback"]
    assert min(scores) <= 6 and max(scores) >= 9


def test_next_number_never_reuses() -> None:
    taken = ["NC-2026-0001", "NC-2026-0007", "NC-2025-0099", "CC-2026-0050", "junk"]
    assert next_number("NC", 2026, taken) == 8
    assert next_number("NC", 2027, taken) == 1


def test_record_new_non_interactive(as_timo: Path, qms: Qms) -> None:
    before = _ids(as_timo / "records" / "nonconformity")
    path = new_record(qms, as_timo, "nonconformity", *NC_SETTINGS, "--no-input")
    match = RECORD_ID.match(path.stem)
    assert match and match["prefix"] == "NC"
    year_numbers = [int(i[-4:]) for i in before if i[3:7] == match["year"]]
    assert int(match["number"]) == max(year_numbers, default=0) + 1
    text = path.read_text()
    assert "status: reported" in text and "created_by: timo-laine" in text and "form_revision: 1" in text
    assert "detected: '2026-03-02'" in text and "quantity: 12" in text
    assert qms("validate", as_timo).code == 0


def test_record_new_from_a_file(as_timo: Path, qms: Qms, tmp_path: Path) -> None:
    source = tmp_path / "feedback.json"
    source.write_text('{"customer": "jarvi-paper", "received": "2026-05-02", "recommend": 9, "satisfaction": 5}')
    result = qms("record", "new", "customer-feedback", as_timo, "--from", source, "--set", "comment=Quick fix",
                 "--no-input")
    assert result.code == 0, result.err
    assert qms("records", "customer-feedback", "-C", as_timo, "--where", "comment=Quick fix", "-f",
               "json").json()[0]["values"]["recommend"] == 9


@pytest.mark.parametrize(("settings", "message"), [
    (["--set", "recommend=11"], "11 is greater than the maximum of 10"),
    (["--set", "recommend=many"], "enter a whole number"),
    (["--set", "colour=red"], "has no field 'colour'"),
    (["--set", "received"], "is not FIELD=VALUE"),
    ([], "required fields missing: customer, received, recommend, satisfaction"),
])
def test_record_new_refuses_bad_values(as_timo: Path, qms: Qms, settings: list[str], message: str) -> None:
    before = _ids(as_timo / "records" / "customer-feedback")
    result = qms("record", "new", "customer-feedback", as_timo, *settings, "--no-input")
    assert result.code == 2
    assert message in result.err
    assert _ids(as_timo / "records" / "customer-feedback") == before


def test_record_new_interactively(as_timo: Path, qms: Qms, monkeypatch: pytest.MonkeyPatch) -> None:
    # every required answer, one wrong answer re-asked, optional ones skipped with Enter
    answers = ["2", "2026-05-02", "12", "9", "5", "", "", "Friendly service", ""]
    answers[2:3] = ["12", "10"]  # 12 is out of range for the 0-10 question: asked again
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(["jarvi-paper", "", *answers]) + "\n"))
    result = qms("record", "new", "customer-feedback", as_timo, "--interactive")
    assert result.code == 0, result.out + result.err
    assert "greater than the maximum of 10" in result.out
    records = qms("records", "customer-feedback", "-C", as_timo, "--where", "recommend=10", "-f", "json").json()
    assert records and records[0]["values"]["comment"] == "Friendly service"


def test_record_new_in_a_terminal(as_timo: Path) -> None:
    """Driven through a real pseudo-terminal, as a person would type."""
    pid, fd = pty.fork()
    if pid == 0:  # the child runs qms with the terminal as its stdin and stdout
        os.chdir(as_timo)
        os.environ["COLUMNS"] = "120"
        os.execv(sys.executable, [sys.executable, "-m", "qmskit", "record", "new", "development-idea"])
    output = b""

    def wait_for(text: bytes, timeout: float = 20) -> None:
        nonlocal output
        end = time.monotonic() + timeout
        while text not in output and time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    output += os.read(fd, 4096)
                except OSError:
                    break
        assert text in output, output.decode(errors="replace")

    for prompt, answer in [(b"Who suggested it", b"1"), (b"Customer", b"baltic-marine"),
                           (b"The idea", b"Returnable crates"), (b"Process it concerns", b"delivery"),
                           (b"Decision", b"1")]:
        wait_for(prompt)
        os.write(fd, answer + b"\r")
    before = _ids(as_timo / "records" / "development-idea")
    wait_for(b"Recorded DI-")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    [new] = _ids(as_timo / "records" / "development-idea") - before
    path = as_timo / "records" / "development-idea" / f"{new}.yaml"
    assert "from: customer" in path.read_text() and "idea: Returnable crates" in path.read_text()


def test_concurrent_writers_never_share_an_id(as_timo: Path) -> None:
    command = [sys.executable, "-m", "qmskit", "record", "new", "nonconformity", str(as_timo), *NC_SETTINGS,
               "--no-input"]

    def run(_: int) -> int:
        return subprocess.run(command, capture_output=True, check=False).returncode

    folder = as_timo / "records" / "nonconformity"
    before = _ids(folder)
    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(run, range(6)))
    assert codes == [0] * 6
    assert len(_ids(folder) - before) == 6  # six records, six different ids


def test_a_failing_write_leaves_nothing(as_timo: Path, qms: Qms, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_link(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "link", broken_link)
    folder = as_timo / "records" / "nonconformity"
    before = sorted(p.name for p in folder.iterdir())
    result = qms("record", "new", "nonconformity", as_timo, *NC_SETTINGS, "--no-input")
    assert result.code == 2
    assert "No space left on device" in result.err and "Nothing was written" in result.err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_killed_writer_leaves_no_partial_record(as_timo: Path) -> None:
    """Kill qms while it writes (SIGKILL during fsync): the record is whole or absent, never half."""
    script = (
        "import os, signal, sys\n"
        "real_fsync = os.fsync\n"
        "def dying_fsync(fd):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = dying_fsync\n"
        "from qmskit.cli import main\n"
        f"sys.argv = ['qms', 'record', 'new', 'nonconformity', {str(as_timo)!r}, *{NC_SETTINGS!r}, '--no-input']\n"
        "main()\n"
    )
    folder = as_timo / "records" / "nonconformity"
    before = _ids(folder)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert done.returncode == -9
    assert _ids(folder) == before  # no record appeared, none was lost
    # at most a hidden temporary file is left, which the loader never reads
    assert all(p.name.startswith(".") for p in folder.iterdir() if p.stem not in before)
    assert load_manual(as_timo).diagnostics == []


def test_workflow_moves_and_checks(as_timo: Path, qms: Qms, findings: Findings) -> None:
    path = new_record(qms, as_timo, "nonconformity", *NC_SETTINGS, "--no-input")
    nc = path.stem
    skip = qms("record", "update", nc, "--to", "action-planned", as_timo)
    assert skip.code == 2 and "cannot move from 'reported' to 'action-planned'" in skip.err
    missing = qms("record", "update", nc, "--to", "analysed", as_timo)
    assert missing.code == 2 and "needs values for: disposition, root-cause" in missing.err
    ok = qms("record", "update", nc, "--to", "analysed", as_timo, "--set", "disposition=rework", "--set",
             "root-cause=Worn insert", "--note", "5 Whys with the team")
    assert ok.code == 0, ok.err
    planned = qms("record", "update", nc, "--to", "action-planned", as_timo, "--set", "action=Tool life counter",
                  "--set", "responsible=jari-koskinen", "--set", "due=2026-04-30")
    assert planned.code == 0, planned.err
    assert "status: action-planned" in path.read_text()
    assert "note: 5 Whys with the team" in path.read_text()
    assert findings(as_timo, "--today", "2026-04-01") == []
    line = line_of(path, "due:")
    assert findings(as_timo, "--today", "2026-05-15") == [("QMS-REC-005", path.relative_to(as_timo).as_posix(), line)]


def test_records_list_filters(qms: Qms) -> None:
    rows = qms("records", "nonconformity", "-C", EXAMPLE, "--where", "status=closed", "-f", "json").json()
    assert rows and all(r["status"] == "closed" and r["form"] == "nonconformity" for r in rows)
    since = qms("records", "-C", EXAMPLE, "--since", "2026-10-01", "-f", "json").json()
    assert since and all(r["created_at"][:10] >= "2026-10-01" for r in since)
    csv_out = qms("records", "internal-complaint", "-C", EXAMPLE, "-f", "csv").out
    assert csv_out.splitlines()[0] == "ID,Form,Date,Created,By,Status,Summary"
    assert qms("records", "nonexistent", "-C", EXAMPLE).code == 2


def test_form_render_is_a_readable_blank_form(qms: Qms) -> None:
    out = qms("form", "render", "nonconformity", EXAMPLE).out
    assert out.startswith("# Nonconformity and corrective action\n")
    assert "## Report" in out and "## Progress" in out
    assert "☐ rework" in out and "**Date detected** \\*" in out


def test_form_render_escapes_hostile_labels(example: Path, qms: Qms) -> None:
    edit(example / "forms/development-idea.yaml", "label: The idea", 'label: "<script>x</script> *bold* [link](y)"')
    out = qms("form", "render", "development-idea", example).out
    assert "<script>" not in out and "&lt;script&gt;" in out and "\\*bold\\*" in out


def test_form_schema(qms: Qms) -> None:
    schema = qms("form", "schema", "internal-complaint", EXAMPLE).json()
    assert schema["properties"]["problem"]["enum"] == ["late", "faulty", "incomplete"]
    assert "complaining-process" in schema["required"]


RECORD = "records/nonconformity/NC-2026-0001.yaml"


@pytest.mark.parametrize(("rule", "old", "new", "needle"), [
    ("QMS-REC-001", "quantity: 12", "quantity: -3", "quantity: -3"),
    ("QMS-REC-001", "source: production", "source: gossip", "source: gossip"),
    ("QMS-REC-002", "id: NC-2026-0001", "id: NC-2025-0001", "id: NC-2025-0001"),
    ("QMS-REC-003", "process: production.machining", "process: production.milling", "process: production.m"),
    ("QMS-REC-004", "status: closed", "status: verified", "status: verified"),
    ("QMS-REC-007", "id: NC-2026-0001", "id: NC-2026-NEW-0a1b2c3d", "id: NC-2026-NEW"),  # from a site form
])
def test_record_rules(example: Path, findings: Findings, rule: str, old: str, new: str, needle: str) -> None:
    edit(example / RECORD, old, new)
    assert set(findings(example)) == {(rule, RECORD, line_of(example / RECORD, needle))}


def test_internal_complaint_about_no_flow(example: Path, findings: Findings) -> None:
    record = "records/internal-complaint/IC-2026-0003.yaml"
    edit(example / record, "input: Inspected and released parts", "input: Coffee")
    assert set(findings(example)) == {("QMS-REC-008", record, line_of(example / record, "Coffee"))}


@pytest.mark.parametrize(("rule", "path", "old", "new", "needle"), [
    ("QMS-FORM-001", "forms/training-record.yaml", "{id: provider, label: Provider, type: text}",
     "{id: provider, label: Provider, type: choice}", "id: provider"),
    ("QMS-FORM-003", "forms/training-record.yaml", "record_prefix: TRN", "record_prefix: NC", "record_prefix"),
    ("QMS-FORM-004", "forms/customer-feedback.yaml", "score: recommend", "score: comment", "binds:"),
])
def test_form_rules(example: Path, findings: Findings, rule: str, path: str, old: str, new: str,
                    needle: str) -> None:
    edit(example / path, old, new)
    found = findings(example)
    assert (rule, path, line_of(example / path, needle)) in found
    # a shared prefix also misnames records; a field no record can satisfy refuses the existing ones
    assert {r for r, _, _ in found} <= {rule, "QMS-REC-002", "QMS-FORM-002"}


def test_records_are_checked_against_their_form_revision(example: Path, findings: Findings) -> None:
    """A new required field: old records stay valid (their revision), the change is reported on the form."""
    for path in (example / "records" / "supplier-evaluation").glob("*.yaml"):
        edit(path, "form_revision: ", "form_revision: 1\n#", 1)
    commit_all(example, "Pin supplier evaluations to revision 1")
    edit(example / "forms/supplier-evaluation.yaml", "  - {id: decision,",
         "  - {id: auditor, label: Auditor, type: reference, of: person, required: true}\n  - {id: decision,")
    commit_all(example, "Supplier evaluations name the auditor")
    found = findings(example)
    assert found == [("QMS-FORM-002", "forms/supplier-evaluation.yaml", 2)]


def test_closed_record_edited_later(example: Path, findings: Findings) -> None:
    edit(example / RECORD, "Bore diameter 0.02 mm", "Bore diameter 0.03 mm")
    commit_all(example, "Tidy the record", date="2026-12-01T10:00:00+02:00")
    assert findings(example) == [("QMS-REC-006", RECORD, 2)]


# --- records leave the manual only as findings; ids are never handed out twice -------------------------------

STARTER_NC = ["--set", "detected=2026-03-02", "--set", "description=Wrong label", "--no-input",
              "--by", "first-person"]
TWO_STATES = "workflow:\n  states: [open, closed]\n  transitions: {open: [closed]}\n"


def _with_workflow(starter: Path) -> Path:
    """The starter manual's nonconformity form with a workflow (open -> closed), committed."""
    form = starter / "forms" / "nonconformity.yaml"
    form.write_text(form.read_text(encoding="utf-8") + TWO_STATES, encoding="utf-8")
    commit_all(starter, "Nonconformities are opened and closed", "Approved-by: First Person <first.person@example.com>")
    return starter


def test_an_id_deleted_but_not_committed_is_not_handed_out_again(starter: Path, qms: Qms) -> None:
    first = new_record(qms, starter, "nonconformity", *STARTER_NC, "--commit")
    assert first.stem == "NC-2026-0001"
    first.unlink()  # deleted in the working tree, not committed
    assert new_record(qms, starter, "nonconformity", *STARTER_NC).stem == "NC-2026-0002"


def test_an_id_deleted_long_ago_elsewhere_is_not_handed_out_again(starter: Path, qms: Qms) -> None:
    first = new_record(qms, starter, "nonconformity", *STARTER_NC, "--commit")
    moved = starter / "records" / "old-nonconformities" / first.name
    moved.parent.mkdir()
    first.rename(moved)  # moved to another folder, then deleted: the id still existed
    commit_all(starter, "Move")
    moved.unlink()
    commit_all(starter, "Delete")
    assert new_record(qms, starter, "nonconformity", *STARTER_NC).stem == "NC-2026-0002"


def test_deleting_a_record_is_a_finding(starter: Path, qms: Qms, findings: Findings) -> None:
    kept = new_record(qms, starter, "nonconformity", *STARTER_NC, "--commit")
    gone = new_record(qms, starter, "nonconformity", *STARTER_NC, "--commit")
    assert findings(starter) == []
    gone.unlink()
    rel = gone.relative_to(starter).as_posix()
    assert ("QMS-REC-009", rel, 0) in findings(starter)  # deleted in the working tree
    deleting = commit_all(starter, "Remove a duplicate")
    result = qms("validate", starter, "--format", "json")
    found = [d for d in result.json()["diagnostics"] if d["rule"] == "QMS-REC-009"]
    assert [(d["path"], d["severity"]) for d in found] == [(rel, "error")]
    assert deleting[:10] in found[0]["message"] and "Remove a duplicate" in found[0]["message"]
    git(starter, "checkout", f"{deleting}^", "--", rel)  # restoring it is the fix
    commit_all(starter, "Restore a record: records are never deleted")
    assert findings(starter) == []
    assert kept.exists()


def test_a_closed_record_deleted_and_added_again_changed_is_caught(starter: Path, qms: Qms,
                                                                   findings: Findings) -> None:
    record = new_record(qms, _with_workflow(starter), "nonconformity", *STARTER_NC, "--commit")
    assert qms("record", "update", record.stem, starter, "--to", "closed", "--by", "first-person",
               "--commit").code == 0
    closed = record.read_text(encoding="utf-8")
    record.unlink()
    commit_all(starter, "Remove")
    record.write_text(closed.replace("Wrong label", "Nothing wrong"), encoding="utf-8")
    commit_all(starter, "Add it again")
    rel = record.relative_to(starter).as_posix()
    assert ("QMS-REC-006", rel, line_of(record, "id:")) in findings(starter)
    assert not any(rule == "QMS-REC-009" for rule, _, _ in findings(starter))


def test_a_closed_record_restored_unchanged_is_not_a_change(starter: Path, qms: Qms, findings: Findings) -> None:
    record = new_record(qms, _with_workflow(starter), "nonconformity", *STARTER_NC, "--commit")
    assert qms("record", "update", record.stem, starter, "--to", "closed", "--by", "first-person",
               "--commit").code == 0
    closed = record.read_text(encoding="utf-8")
    record.unlink()
    commit_all(starter, "Remove")
    record.write_text(closed, encoding="utf-8")
    commit_all(starter, "Restore")
    assert findings(starter) == []


def test_a_committed_provisional_record_giving_way_to_its_numbered_one_is_no_deletion(
        starter: Path, qms: Qms, findings: Findings) -> None:
    made = new_record(qms, starter, "nonconformity", *STARTER_NC)
    proposed = made.with_name("NC-2026-NEW-0a1b2c3d.yaml")
    proposed.write_text(made.read_text(encoding="utf-8").replace(made.stem, proposed.stem), encoding="utf-8")
    made.unlink()
    commit_all(starter, "Proposed from the site")
    result = qms("records", "add", proposed, "-C", starter, "--commit")
    assert result.code == 0, result.out + result.err
    assert not proposed.exists()
    assert not [f for f in findings(starter) if f[0] == "QMS-REC-009"]

"""`qms new`: the next free id, the sections a type requires, never over a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result, commit_all, edit

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]


def test_new_document_takes_the_next_id_and_required_sections(template: Path, qms: Qms) -> None:
    result = qms("new", "document", template, "--type", "procedure", "--title", "Maintenance <of> machines",
                 "--owner", "operations-manager")
    assert result.code == 0, result.err
    [path] = template.glob("documents/procedures/PRO-003-*.md")
    text = path.read_text()
    assert "id: PRO-003" in text and "status: draft" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Purpose", "## Scope", "## Responsibilities", "## Procedure", "## Records"]
    again = qms("new", "document", template, "--type", "procedure", "--title", "Maintenance <of> machines",
                "--owner", "operations-manager")
    assert again.code == 0 and len(list(template.glob("documents/procedures/PRO-00*.md"))) == 2  # PRO-004


def test_new_items_validate_or_say_what_is_missing(template: Path, qms: Qms, findings: Findings) -> None:
    assert qms("new", "process", template, "--id", "maintenance", "--name", "Maintenance", "--category", "support",
               "--owner", "operations-manager").code == 0
    assert qms("new", "form", template, "--id", "maintenance-log", "--title", "Maintenance log",
               "--prefix", "ML").code == 0
    rules = {rule for rule, path, _ in findings(template) if rule != "QMS-GIT-002"}
    assert rules == {"QMS-PROC-001", "QMS-PROC-004"}  # lacks input, output and customer; connected to nothing


def test_new_never_overwrites_and_checks_its_input(template: Path, qms: Qms) -> None:
    assert qms("new", "process", template, "--id", "operations", "--name", "X", "--category", "core",
               "--owner", "operations-manager").code == 2
    assert qms("new", "form", template, "--id", "x", "--title", "X", "--prefix", "NC").code == 2  # prefix taken
    assert qms("new", "document", template, "--type", "memo", "--title", "X", "--owner", "x").code == 2
    assert qms("new", "process", template, "--id", "p", "--name", "P", "--category", "other",
               "--owner", "operations-manager").code == 2


def test_new_never_hands_out_an_id_that_existed_in_git(starter: Path, qms: Qms, findings: Findings) -> None:
    new_doc = ["new", "document", starter, "--type", "procedure", "--title", "Placeholder", "--owner",
               "operations-manager"]
    assert qms(*new_doc).code == 0
    [placeholder] = starter.glob("documents/procedures/PRO-003-*.md")
    commit_all(starter, "A placeholder")
    placeholder.unlink()
    commit_all(starter, "Not needed after all")
    assert qms(*new_doc).code == 0
    [again] = starter.glob("documents/procedures/PRO-*.md")
    assert again.name.startswith("PRO-004-")
    commit_all(starter, "The real procedure")
    # an id a document had in the middle of its life counts too
    edit(again, "id: PRO-004", "id: PRO-017")
    commit_all(starter, "Renumbered")
    edit(again, "id: PRO-017", "id: PRO-004")
    commit_all(starter, "Numbered back")
    assert qms(*new_doc).code == 0
    assert list(starter.glob("documents/procedures/PRO-018-*.md"))
    assert not [f for f in findings(starter) if f[0] == "QMS-CTRL-007"]


def test_new_process_and_form_refuse_ids_and_prefixes_deleted_earlier(starter: Path, qms: Qms) -> None:
    assert qms("new", "process", starter, "--id", "maintenance", "--name", "Maintenance", "--category", "support",
               "--owner", "operations-manager").code == 0
    assert qms("new", "form", starter, "--id", "maintenance-log", "--title", "Log", "--prefix", "ML").code == 0
    commit_all(starter, "Maintenance")
    (starter / "processes" / "maintenance.yaml").unlink()
    (starter / "forms" / "maintenance-log.yaml").unlink()
    commit_all(starter, "No maintenance after all")
    process = qms("new", "process", starter, "--id", "maintenance", "--name", "M", "--category", "support",
                  "--owner", "operations-manager")
    assert process.code == 2 and "existed earlier" in process.err
    form = qms("new", "form", starter, "--id", "maintenance-log", "--title", "Log", "--prefix", "MX")
    assert form.code == 2 and "existed earlier" in form.err
    prefix = qms("new", "form", starter, "--id", "upkeep-log", "--title", "Log", "--prefix", "ML")
    assert prefix.code == 2 and "prefix 'ML'" in prefix.err
    assert not (starter / "processes" / "maintenance.yaml").exists()

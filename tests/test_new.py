"""`qms new`: the next free id, the sections a type requires, never over a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result

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

"""The command line as a user meets it: finding the manual, exit codes, rule selection and configuration."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from qmskit import __version__
from qmskit.cli import app
from qmskit.rules.catalog import RULES
from tests.conftest import Result, edit, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]


def test_version(qms: Qms) -> None:
    result = qms("--version")
    assert (result.code, result.out.strip()) == (0, f"qms {__version__}")


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_the_commands_are_there() -> None:
    assert {"validate", "init", "rules"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, qms: Qms) -> None:
    result = qms(command, "--help")
    assert result.code == 0
    assert "Usage" in result.out


def test_console_script_runs_as_a_module(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "qmskit", "validate", str(tmp_path)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2
    assert "no qms.yaml" in done.stderr


def test_manual_is_found_by_walking_up(example: Path, qms: Qms) -> None:
    result = qms("validate", "--ignore", "QMS-COMP", cwd=example / "documents" / "procedures")
    assert result.code == 0
    assert "no findings" in result.out


def test_qms_yaml_itself_may_be_passed(example: Path, qms: Qms) -> None:
    assert qms("validate", example / "qms.yaml").code == 0


def _warning_only(example: Path) -> None:
    edit(example / "processes/delivery.yaml", "customer: customer", "customer: baltic-marine")


def test_warnings_pass_unless_strict(example: Path, qms: Qms) -> None:
    _warning_only(example)
    assert qms("validate", example).code == 0
    assert qms("validate", example, "--strict").code == 1


def test_select_and_ignore_by_id_and_family(example: Path, findings: Findings) -> None:
    _warning_only(example)
    edit(example / "processes/production.yaml", "owner: production-manager", "owner: nobody")
    assert {r for r, _, _ in findings(example)} == {"QMS-PROC-005", "QMS-REF-001"}
    assert {r for r, _, _ in findings(example, "--select", "QMS-PROC")} == {"QMS-PROC-005"}
    assert {r for r, _, _ in findings(example, "--ignore", "QMS-REF-001")} == {"QMS-PROC-005"}
    assert findings(example, "--select", "QMS-REF", "--ignore", "QMS-REF-001") == []


def test_unknown_rule_or_format_is_a_usage_error(example: Path, qms: Qms) -> None:
    assert qms("validate", example, "--select", "QMS-NOPE").code == 2
    result = qms("validate", example, "--format", "xml")
    assert result.code == 2
    assert "sarif" in result.err


def test_rule_configuration_in_qms_yaml(example: Path, qms: Qms) -> None:
    _warning_only(example)
    edit(example / "qms.yaml", "\nsite:", "\nrules:\n  severity: {QMS-PROC-005: error}\nsite:")
    assert qms("validate", example).code == 1
    edit(example / "qms.yaml", "rules:\n", "rules:\n  ignore: [QMS-PROC-005]\n")
    assert qms("validate", example).code == 0


def test_bad_rule_configuration_is_a_schema_finding(example: Path, findings: Findings) -> None:
    edit(example / "qms.yaml", "\nsite:", "\nrules:\n  severity: {QMS-PROC-005: fatal}\nsite:")
    assert findings(example) == [("QMS-SCHEMA-001", "qms.yaml", line_of(example / "qms.yaml", "fatal"))]


def test_rules_lists_every_rule(qms: Qms) -> None:
    out = qms("rules").out
    assert all(rule_id in out for rule_id in RULES)


def test_no_arguments_shows_help(qms: Qms) -> None:
    result = qms()
    assert "validate" in result.out + result.err
    assert result.code in (0, 2)


def test_unknown_option_is_a_usage_error(qms: Qms) -> None:
    result = qms("validate", "--bogus")
    assert result.code == 2
    assert "No such option" in result.err

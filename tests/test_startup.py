"""Start-up: a command imports only what it uses (timing itself is measured in benchmarks/bench_startup.py)."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from qmskit.cli import load_commands
from qmskit.cli.commands import COMMANDS, MODULES, modules_for
from tests.conftest import git

NC_SETTINGS = ["--set", "detected=2026-03-02", "--set", "source=production", "--set", "process=production.machining",
               "--set", "description=Bore 0.02 mm oversize", "--set", "quantity=12"]
HEAVY = ("jsonschema", "referencing", "git", "rich", "mkdocs", "jinja2", "graphviz", "markdown", "yaml", "typer")

# Run qms in a fresh interpreter and report which of the heavy packages it imported.
_PROBE = """
import json, sys
sys.argv = ["qms", *sys.argv[1:]]
from qmskit.cli import main
try:
    main()
except SystemExit as done:
    code = done.code
print(json.dumps([code, sorted(h for h in {heavy!r} if h in sys.modules)]), file=sys.stderr)
"""


def _imported(*args: str | Path, cwd: Path | None = None) -> tuple[int, set[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), *map(str, args)], capture_output=True,
                          text=True, check=False, cwd=cwd)
    code, loaded = json.loads(done.stderr.strip().splitlines()[-1])
    return code, set(loaded)


def test_version_imports_nothing_heavy() -> None:
    assert _imported("--version") == (0, set())


def test_help_lists_every_command_with_typer_alone() -> None:
    assert _imported("--help") == (0, {"typer"})


def test_validate_of_a_valid_manual_needs_no_jsonschema_site_or_diagram_libraries(example: Path) -> None:
    code, loaded = _imported("validate", example, "--no-cache")
    assert code in (0, 1)
    assert not loaded & {"jsonschema", "referencing", "mkdocs", "jinja2", "graphviz", "markdown"}


def test_record_new_without_commit_needs_no_git_or_jsonschema(example: Path) -> None:
    git(example, "config", "user.email", "timo.laine@tarkkuustyo.example")
    code, loaded = _imported("record", "new", "nonconformity", example, *NC_SETTINGS, "--no-input",
                             "--by", "timo-laine")
    assert code == 0
    assert not loaded & {"jsonschema", "referencing", "mkdocs", "jinja2", "graphviz", "markdown"}


def test_an_invalid_file_still_gets_jsonschema_messages(example: Path) -> None:
    (example / "processes" / "delivery.yaml").write_text("id: delivery\nname: 5\n", encoding="utf-8")
    code, loaded = _imported("validate", example, "--no-cache")
    assert code == 1
    assert "jsonschema" in loaded


def test_the_command_table_matches_the_commands() -> None:
    """cli/commands.py lists every command with the first paragraph of its help, and the module that registers
    it: importing that module alone (in a fresh interpreter) makes the command exist."""
    group = typer.main.get_command(load_commands())
    helps = {name: inspect.cleandoc(group.get_command(None, name).help or "").split("\n\n")[0]  # type: ignore[attr-defined]
             for name in group.list_commands(None)}  # type: ignore[attr-defined]
    assert helps == {name: text for name, (_, text) in COMMANDS.items()}
    for module in MODULES:
        done = subprocess.run([sys.executable, "-c", _REGISTERS, module], capture_output=True, text=True, check=True)
        assert {n for n, (m, _) in COMMANDS.items() if m == module} <= set(json.loads(done.stdout)), module


_REGISTERS = """
import json, sys, typer
from qmskit.cli import load_commands
print(json.dumps(sorted(typer.main.get_command(load_commands((sys.argv[1],))).commands)))
"""


@pytest.mark.parametrize(("argv", "modules"), [
    ([], ()), (["--help"], ()), (["validate", "x"], ("validate",)),
    (["record", "new", "nc"], ("records",)), (["nosuch"], tuple(dict.fromkeys(m for m, _ in COMMANDS.values()))),
])
def test_a_command_line_imports_only_its_command_module(argv: list[str], modules: tuple[str, ...]) -> None:
    assert modules_for(argv) == modules


@pytest.mark.parametrize("args", [("rules",), ("validate", "--help"), ("coverage", "--help")])
def test_listing_rules_and_help_of_a_command_load_no_manual_machinery(args: tuple[str, ...]) -> None:
    code, loaded = _imported(*args)
    assert code == 0
    assert not loaded & {"yaml", "git", "jsonschema", "referencing", "mkdocs", "jinja2", "graphviz", "markdown"}


def test_every_module_that_registers_commands_is_in_the_table() -> None:
    """A command module missing from cli/commands.py would never be imported, so its commands would not exist."""
    registering = {path.stem for path in (Path(__file__).parent.parent / "qmskit" / "cli").glob("*.py")
                   if "@app.command" in (text := path.read_text(encoding="utf-8")) or "app.add_typer(" in text}
    assert registering <= set(MODULES)

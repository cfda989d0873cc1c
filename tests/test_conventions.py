"""One convention for every command, walked over the whole command tree: the manual is found by walking up or given
by -C/--manual, reports take --today and --period, flags are flags, words agree with their numbers, booleans read
yes/no, matrix headings never collide, shell completion works, and every imported package is declared."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import pytest
import typer

from qmskit.cli import app
from qmskit.tables import TableData, to_csv
from qmskit.wording import abbreviate, article, quantity
from tests.conftest import EXAMPLE, REPO, TEMPLATE, Result

Qms = Callable[..., Result]
NO_MANUAL = {"init", "rules"}  # init makes a manual; rules lists the catalogue
# Values for required parameters that a command checks before it looks for the manual.
GOOD_VALUES = {"forge": "github", "which": "nps", "category": "core", "doc_type": "procedure",
               "to": "github-issue-form"}


def _commands(command: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    command = command or typer.main.get_command(app)
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command
        return
    for name, sub in sorted(subcommands.items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands())
NAMES = [" ".join(path) for path, _ in COMMANDS]


def _options(command: Any) -> dict[str, Any]:
    return {opt: p for p in command.params if p.param_type_name == "option" for opt in [*p.opts, *p.secondary_opts]}


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=NAMES)
def test_every_command_follows_the_convention(path: tuple[str, ...], command: Any) -> None:
    options = _options(command)
    if path[-1] not in NO_MANUAL:
        manual = options.get("--manual")
        assert manual is not None and "-C" in manual.opts, f"qms {' '.join(path)} has no -C/--manual"
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        for argument in arguments:  # a positional manual is the same argument everywhere
            if argument.name == "path":
                assert argument.metavar == "MANUAL" and not argument.required
                # after a variadic argument an optional manual would take the last value given to it
                assert all(a.nargs == 1 for a in arguments), f"qms {' '.join(path)}: MANUAL after a list"
    if path[0] == "report":
        assert {"--today", "--period"} <= set(options), f"qms {' '.join(path)} lacks --today or --period"
    for param in command.params:
        if param.param_type_name == "option" and isinstance(param.default, bool):
            assert param.is_flag, f"{param.opts} takes a value"


@pytest.mark.parametrize("name", NAMES)
def test_help_shows_flags_as_flags_and_values_by_name(name: str, qms: Qms) -> None:
    result = qms(*name.split(), "--help")
    assert result.code == 0, result.err
    assert "<bool>" not in result.out, result.out
    options = [line for line in result.out.splitlines() if re.match(r"^\W*--", line)]
    assert options and not [line for line in options if re.search(r"<[a-z\[\]]+>", line)], result.out
    if name.rsplit(maxsplit=1)[-1] not in NO_MANUAL:
        assert "--manual" in result.out and "-C" in result.out


def _required(command: Any) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if param.required and param.name != "path":
            value = GOOD_VALUES.get(param.name, "x")
            args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return args


@pytest.mark.parametrize(("path", "command"), [c for c in COMMANDS if c[0][-1] not in NO_MANUAL],
                         ids=[n for n in NAMES if n.split()[-1] not in NO_MANUAL])
def test_every_command_looks_for_the_manual_upwards_or_where_told(path: tuple[str, ...], command: Any,
                                                                 tmp_path: Path, qms: Qms) -> None:
    nowhere = tmp_path / "not-a-manual" / "deeper"
    nowhere.mkdir(parents=True)
    walked = qms(*path, *_required(command), cwd=nowhere)
    assert walked.code == 2 and f"no qms.yaml in {nowhere} or any folder above it" in walked.err, walked.err
    told = qms(*path, *_required(command), "-C", tmp_path / "not-a-manual")
    assert told.code == 2 and f"no qms.yaml in {tmp_path / 'not-a-manual'}" in told.err, told.err


def test_the_manual_is_found_from_a_subfolder_by_any_command(example: Path, qms: Qms) -> None:
    inside = example / "records"
    assert qms("records", "customer-feedback", "-f", "json", cwd=inside).json()
    assert qms("report", "flow", "-f", "json", cwd=inside).json()["orders"]
    assert qms("register", "-f", "json", cwd=inside).json()


def test_records_takes_the_manual_like_every_other_command(qms: Qms) -> None:
    by_option = qms("records", "customer-feedback", "-C", EXAMPLE, "-f", "json").json()
    assert by_option == qms("records", "customer-feedback", "--manual", EXAMPLE, "-f", "json").json()
    assert qms("records", "customer-feedback", "-C", EXAMPLE, "-f", "table").code == 0  # the old format name
    both = qms("validate", EXAMPLE, "-C", TEMPLATE)
    assert both.code == 2 and "two manuals" in both.err


def test_a_flag_given_a_value_says_so(qms: Qms, example: Path) -> None:
    for flag in ("--strict", "--no-cache"):
        result = qms("validate", flag, "true", cwd=example)
        assert result.code == 2
        assert f"{flag} is a flag and takes no value" in result.err and "not a folder" not in result.err
    assert qms("validate", "--strict=yes", cwd=example).code == 2
    assert qms("--version", "yes").code == 2


def test_report_flow_takes_a_period_and_today(qms: Qms, tmp_path: Path) -> None:
    everything = qms("report", "flow", EXAMPLE, "--period", "2026", "-f", "json").json()["orders"]
    assert everything
    assert qms("report", "flow", EXAMPLE, "--today", "2026-06-01", "-f", "json").json()["orders"] == everything
    assert qms("report", "flow", EXAMPLE, "--period", "2025", "-f", "json").json()["orders"] == []
    quarters = [qms("report", "flow", EXAMPLE, "--period", f"2026-Q{q}", "-f", "json").json()["orders"]
                for q in range(1, 5)]
    assert sorted(o["order"] for q in quarters for o in q) == sorted(o["order"] for o in everything)
    assert qms("report", "flow", EXAMPLE, "--period", "autumn").code == 2
    assert "in 2025" in qms("report", "chart", "delay", EXAMPLE, "--period", "2025", "-o", tmp_path / "x.svg").err
    unknown = qms("report", "chart", "delay", EXAMPLE, "--order", "NOPE", "-o", tmp_path / "x.svg")
    assert unknown.code == 2 and "no order 'NOPE'" in unknown.err


def test_words_agree_with_their_numbers() -> None:
    assert [quantity(n, "day") for n in (0, 1, 2, -1)] == ["0 days", "1 day", "2 days", "-1 day"]
    assert quantity(1.0, "day") == "1 day" and quantity(2.5, "day") == "2.5 days"
    assert quantity(3, "nonconformity", "nonconformities") == "3 nonconformities"
    assert [article(w) for w in ("instruction", "procedure", "user guide", "hour", "manual", "one-pager")] == [
        "an instruction", "a procedure", "a user guide", "an hour", "a manual", "a one-pager"]
    assert [article(w) for w in ("SOP", "QM", "ISO-audit", "Instruction")] == [
        "an SOP", "a QM", "an ISO-audit", "an Instruction"]


def test_booleans_read_yes_or_no_in_tables(qms: Qms) -> None:
    table = TableData.of("t", ["Name", "Required"], [{"name": "a", "required": True},
                                                      {"name": "b", "required": False}], ["name", "required"])
    assert to_csv(table) == "Name,Required\na,yes\nb,no\n"
    out = qms("competence", EXAMPLE, "--expiring", "--within", "400d").out
    assert "True" not in out and "False" not in out and re.search(r"\byes\b", out)


def test_matrix_headings_never_collide(tmp_path: Path, qms: Qms) -> None:
    names = ["food-hygiene-basic", "food-hygiene-advanced", "food-hygien", "forklift"]
    short = abbreviate(names, 11)
    assert len(set(short)) == len(short) and all(len(s) <= 11 for s in short) and short[3] == "forklift"
    assert len(set(abbreviate([f"x{'y' * 20}{n}" for n in range(30)], 5))) == 30

    root = tmp_path / "bakery"
    shutil.copytree(TEMPLATE, root)
    competences = root / "organisation/competences.yaml"
    competences.write_text(competences.read_text(encoding="utf-8") + "".join(
        f"  - {{id: {c}, name: {c}}}\n" for c in names[:2]), encoding="utf-8")
    people = root / "organisation/people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "".join(
        f'      - {{competence: {c}, level: 2, gained: "2026-01-01"}}\n' for c in names[:2]), encoding="utf-8")
    out = qms("competence", root).out
    header = out.splitlines()[1].split()
    assert len(header) == len(set(header)) >= 3, out
    assert "food-hygiene-basic" in out.splitlines()[-1]  # the key names each shortened column


def _complete(shell: str, words: str, monkeypatch: pytest.MonkeyPatch, qms: Qms) -> str:
    monkeypatch.setenv("_QMS_COMPLETE", f"complete_{shell}")
    if shell == "bash":
        monkeypatch.setenv("COMP_WORDS", words)
        monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    else:
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", words)
        monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    out = qms().out
    monkeypatch.delenv("_QMS_COMPLETE")
    return out


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o default -F _qms_completion qms"),
                                               ("zsh", "compdef _qms_completion qms"),
                                               ("fish", "complete --command qms")])
def test_shell_completion_for_each_shell(shell: str, marker: str, qms: Qms, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")  # name the shell instead of detecting
    script = qms("--show-completion", shell)
    assert script.code == 0 and marker in script.out and f"_QMS_COMPLETE=complete_{shell}" in script.out
    monkeypatch.delenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION")
    assert "validate" in _complete(shell, "qms val", monkeypatch, qms)
    assert "kpi" in _complete(shell, "qms report ", monkeypatch, qms)
    assert "--strict" in _complete(shell, "qms validate --st", monkeypatch, qms)
    assert "sarif" in _complete(shell, "qms validate --format s", monkeypatch, qms)  # choices complete too
    assert "complaints" in _complete(shell, "qms report chart co", monkeypatch, qms)


def test_install_completion_writes_the_script_for_the_shell(qms: Qms, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    assert qms("--install-completion", "bash").code == 0
    assert "_qms_completion" in (tmp_path / ".bash_completions" / "qms.sh").read_text(encoding="utf-8")
    assert ".bash_completions/qms.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_bash_completes_through_the_generated_script(qms: Qms, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    script = tmp_path / "qms.bash"
    script.write_text(qms("--show-completion", "bash").out, encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", None)
    done = subprocess.run(["bash", "--norc", "-c", f'source "{script}"; COMP_WORDS=(qms report ch); COMP_CWORD=2; '
                           '_qms_completion qms; printf "%s\\n" "${COMPREPLY[@]}"'],
                          capture_output=True, text=True, check=True, env=env, timeout=60)
    assert done.stdout.split() == ["chart"], done


def test_every_imported_package_is_declared() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}

    runtime = names(project["dependencies"])
    for_tests = runtime | names(project["optional-dependencies"]["test"])
    owners = packages_distributions()
    for folder, declared in (("qmskit", runtime), ("tests", for_tests), ("benchmarks", for_tests),
                             ("tools", for_tests)):
        for file in sorted((REPO / folder).rglob("*.py")):
            for module in _imports(file):
                if module in sys.stdlib_module_names or module in ("qmskit", "tests", "benchmarks", "tools"):
                    continue
                distributions = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
                assert distributions & declared, f"{file.relative_to(REPO)} imports {module}, not declared"


def _imports(file: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found

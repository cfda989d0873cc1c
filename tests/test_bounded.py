"""Bounded work for any input (issue 12.4): patterns on a linear-time engine, hierarchies and value chains of any
depth without recursion, parallel flows drawn as one edge. Nothing here is timed (benchmarks/ measures speed):
the tests check what is computed, and a child process with a generous timeout stands in for "does not hang"."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import deep_chain, many_flows
from qmskit.diagram import views
from qmskit.diagram.style import node_name
from qmskit.loading import schemas
from qmskit.loading.fastcheck import compile_schema
from qmskit.loading.load import load_manual
from qmskit.patterns import matches, pattern_problem
from tests.conftest import Result, edit, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
EVIL = "^(a+)+$"
VALUE = "a" * 35 + "!"  # Python's backtracking re needs about 2^35 steps to give up on this one
QMS = str(Path(sys.executable).parent / "qms")


def test_jsonschema_pattern_keyword_runs_on_the_linear_engine() -> None:
    schema: dict[str, Any] = {"type": "string", "pattern": EVIL}
    checker = schemas.compiled(schema)
    assert [p.message for p in schemas.problems(checker, VALUE)] == [f"{VALUE!r} does not match {EVIL!r}"]
    assert list(schemas.problems(checker, "a" * 35)) == []
    assert not checker.validator.is_valid(VALUE)  # jsonschema itself, without the fast checker in front
    quick = compile_schema(schema)
    assert quick is not None and quick(VALUE) is False and quick("aaa") is True


def test_patterns_search_like_json_schema_and_refuse_what_re2_lacks() -> None:
    assert matches("SO-[0-9]{5}", "order SO-24017 shipped") is True  # a search, as JSON Schema says
    assert matches("^SO-[0-9]{5}$", "SO-2401") is False
    for refused in ("(a)\\1", "(?=a)a", "(?<!x)y", "a++", "x" * 1001, "(a{1000}){1000}"):
        assert pattern_problem(refused), refused
        assert matches(refused, "aa") is None
    # a pattern that is not run checks nothing (its form has a finding instead of every record failing)
    assert list(schemas.problems(schemas.compiled({"pattern": "(?=a)b"}), "zzz")) == []


def test_validate_with_a_catastrophic_pattern_returns(template: Path) -> None:
    form = template / "forms" / "management-review.yaml"
    edit(form, "{id: inputs, label: Inputs reviewed, type: longtext, required: true}",
         f'{{id: inputs, label: Inputs reviewed, type: longtext, required: true, pattern: "{EVIL}"}}')
    record = template / "records" / "management-review" / "MR-2026-0001.yaml"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("id: MR-2026-0001\nform: management-review\nform_revision: 1\n"
                      "created_at: '2026-03-02T10:00:00+02:00'\ncreated_by: first-person\n"
                      f"values: {{date: '2026-03-02', inputs: '{VALUE}', decisions: None}}\n")
    done = subprocess.run([QMS, "validate", str(template), "--format", "json"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert "does not match" in done.stdout and "MR-2026-0001" in done.stdout


def test_record_new_checks_a_value_against_a_catastrophic_pattern(template: Path, qms: Qms) -> None:
    edit(template / "forms" / "management-review.yaml", "type: longtext, required: true}",
         f'type: longtext, required: true, pattern: "{EVIL}"}}')
    result = qms("record", "new", "management-review", template, "--no-input", "--by", "first-person",
                 "--set", "date=2026-03-02", "--set", f"inputs={VALUE}", "--set", "decisions=None")
    assert result.code == 2 and "does not have the expected form" in result.err  # at once, and without the regex
    assert not list((template / "records").rglob("MR-*.yaml"))


def test_a_pattern_re2_cannot_take_is_a_located_finding(template: Path, findings: Findings) -> None:
    form = template / "forms" / "management-review.yaml"
    edit(form, "{id: inputs, label: Inputs reviewed, type: longtext, required: true}",
         '{id: inputs, label: Inputs reviewed, type: longtext, required: true, pattern: "^(\\\\w)\\\\1$"}')
    assert ("QMS-FORM-005", "forms/management-review.yaml", line_of(form, "id: inputs")) in findings(template)


@pytest.fixture(scope="module")
def deep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return deep_chain(tmp_path_factory.mktemp("deep") / "manual", 500)


def test_a_500_deep_hierarchy_is_drawn_at_every_depth(deep: Path) -> None:
    manual = load_manual(deep).manual
    for depth in (3, 9):  # operations is level 1, deep-0000 level 2, ...: the deepest drawn is deep-(depth-2)
        source = views.interaction_map(manual, depth).source
        assert node_name("p", f"deep-{depth - 2:04d}") in source, depth
        assert node_name("p", f"deep-{depth - 1:04d}") not in source, depth
    card = views.process_card(manual, "deep-0001", 9).source
    assert node_name("p", "deep-0010") in card  # nine levels below deep-0001
    assert node_name("p", "deep-0011") not in card


def test_a_500_deep_hierarchy_through_the_command_line(deep: Path, qms: Qms) -> None:
    assert qms("validate", deep, "--ignore", "QMS-PROC-004").code in (0, 1)
    for args in (["--depth", "3"], ["--view", "process", "--process", "deep-0000", "--depth", "9"],
                 ["--view", "chain"]):
        result = qms("diagram", deep, "-f", "dot", *args)
        assert result.code == 0, (args, result.err)
        assert result.out.startswith("digraph")


def test_a_value_chain_of_1500_steps_is_found_without_recursion(tmp_path: Path) -> None:
    manual = load_manual(deep_chain(tmp_path / "long", 1500, nested=False)).manual
    source = views.value_chain(manual).source
    assert "1500 steps" not in source  # the title gives days, not steps
    assert all(node_name("p", f"deep-{index:04d}") in source for index in (0, 749, 1499))


def test_a_loop_in_a_deep_hierarchy_is_reported_once_and_still_drawn(deep: Path, tmp_path: Path,
                                                                     findings: Findings) -> None:
    loop = tmp_path / "loop"
    subprocess.run(["cp", "-r", str(deep), str(loop)], check=True)
    first = loop / "processes" / "deep" / "deep-0000.yaml"
    edit(first, "parent: operations", "parent: deep-0499")
    cycles = [f for f in findings(loop) if f[0] == "QMS-PROC-003"]
    assert len(cycles) == 1
    manual = load_manual(loop).manual
    assert node_name("p", "deep-0000") in views.interaction_map(manual, 1).source


def test_parallel_flows_share_one_edge_with_a_count(tmp_path: Path) -> None:
    manual = load_manual(many_flows(tmp_path / "wide", 40)).manual
    hub, spoke = node_name("p", "hub"), node_name("p", "spoke")
    for source in (views.interaction_map(manual, 1).source, views.process_card(manual, "hub").source):
        assert "+ 35 more (40 flows)" in source
        assert "Part 00000" in source and "Part 00039" not in source
    card = views.process_card(manual, "spoke").source
    assert card.count(" -> ") == 2  # one edge from hub (40 flows), one to the customer
    drawn = [line for line in views.interaction_map(manual, 1).source.splitlines()
             if f"{hub} -> {spoke}" in line and "invis" not in line]  # not the edge that orders the row
    assert len(drawn) == 1

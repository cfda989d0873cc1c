"""YAML the way a QMS needs it: YAML 1.2 meanings, positions of every value, duplicates and bombs caught."""

from __future__ import annotations

import time

import pytest

from qmskit.loading.yamlsource import MAX_EXPANDED_NODES, parse_yaml


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: no", "no"), ("v: on", "on"), ("v: yes", "yes"), ("v: off", "off"), ("v: y", "y"),
        ("v: 2026-13-01", "2026-13-01"), ("v: 2026-01-31", "2026-01-31"), ("v: 12:30", "12:30"),
        ("v: true", True), ("v: False", False), ("v: ~", None), ("v:", None), ("v: null", None),
        ("v: 42", 42), ("v: -7", -7), ("v: 0x1f", 31), ("v: 0o17", 15), ("v: 8.5", 8.5), ("v: 1e3", 1000.0),
        ("v: '8.5'", "8.5"), ('v: "true"', "true"), ("v: 8.5.1", "8.5.1"), ("v: 010", 10),
    ],
)
def test_scalars_have_yaml_1_2_core_meanings(text: str, expected: object) -> None:
    doc = parse_yaml(text, "f.yaml")
    assert doc.diagnostics == []
    assert doc.data == {"v": expected}
    assert type(doc.data["v"]) is type(expected)


def test_positions_of_values_and_keys_are_recorded() -> None:
    doc = parse_yaml("a: 1\nlist:\n  - x\n  - {k: v}\n", "f.yaml", line_offset=10)
    assert str(doc.source.value(("list", 1, "k"))) == "f.yaml:14:9"
    assert str(doc.source.key(("list", 1, "k"))) == "f.yaml:14:6"
    assert str(doc.source.value(("a",))) == "f.yaml:11:4"
    # an unknown path falls back to its nearest known parent
    assert str(doc.source.value(("list", 0, "missing"))) == "f.yaml:13:5"


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    doc = parse_yaml("id: a\nname: x\nid: b\n", "f.yaml")
    [finding] = doc.diagnostics
    assert (finding.rule, finding.location.line, finding.location.column) == ("QMS-YAML-002", 3, 1)
    assert "first defined on line 1" in finding.message
    assert doc.data == {"id": "a", "name": "x"}


def test_tab_indentation_gets_a_tab_hint() -> None:
    [finding] = parse_yaml("a:\n\tb: 1\n", "f.yaml").diagnostics
    assert finding.rule == "QMS-YAML-001"
    assert finding.location.line == 2
    assert "tab" in finding.hint


def test_truncated_yaml_is_a_syntax_error_not_an_exception() -> None:
    doc = parse_yaml('title: "unterminated\nowner: x\n', "f.yaml")
    assert doc.data is None
    assert [d.rule for d in doc.diagnostics] == ["QMS-YAML-001"]


def test_alias_bomb_is_refused_quickly() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    started = time.perf_counter()
    doc = parse_yaml("\n".join(levels) + "\n", "bomb.yaml")
    elapsed = time.perf_counter() - started
    assert doc.data is None
    assert [d.rule for d in doc.diagnostics] == ["QMS-YAML-005"]
    assert f"{MAX_EXPANDED_NODES:,}" in doc.diagnostics[0].message
    assert elapsed < 5  # a generous bound: expanding 10^9 nodes would take hours, the budget stops it early


def test_small_aliases_are_expanded() -> None:
    doc = parse_yaml("base: &b {x: 1}\ncopy: *b\n", "f.yaml")
    assert doc.data == {"base": {"x": 1}, "copy": {"x": 1}}
    assert doc.diagnostics == []


def test_recursive_alias_is_reported() -> None:
    doc = parse_yaml("a: &a [1, *a]\n", "f.yaml")
    assert [d.rule for d in doc.diagnostics] == ["QMS-YAML-005"]


@pytest.mark.parametrize(("depth", "rule"), [(100, "QMS-YAML-005"), (50_000, "QMS-YAML-001")])
def test_deep_nesting_is_reported_not_a_recursion_error(depth: int, rule: str) -> None:
    # beyond 1,000 levels libyaml itself refuses the input as a syntax error
    doc = parse_yaml("a: " + "[" * depth + "]" * depth + "\n", "f.yaml")
    assert [d.rule for d in doc.diagnostics] == [rule]


def test_several_documents_in_one_file_are_an_error() -> None:
    doc = parse_yaml("a: 1\n---\nb: 2\n", "f.yaml")
    assert [d.rule for d in doc.diagnostics] == ["QMS-YAML-001"]


def test_unknown_tags_are_reported_but_python_tags_never_run() -> None:
    doc = parse_yaml("a: !!python/object/apply:os.system ['echo owned']\nb: !custom {x: 1}\n", "f.yaml")
    assert [(d.rule, d.location.line) for d in doc.diagnostics] == [("QMS-YAML-004", 1), ("QMS-YAML-004", 2)]
    assert doc.data == {"a": ["echo owned"], "b": {"x": 1}}  # plain data: nothing was constructed or run

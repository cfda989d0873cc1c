"""The fast predicate never accepts what jsonschema refuses (and agrees with it on real files)."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest

from qmskit.loading import schemas
from qmskit.loading.fastcheck import compile_schema
from qmskit.loading.load import load_manual
from qmskit.loading.yamlsource import parse_yaml
from qmskit.records.forms import record_values_schema
from tests.conftest import EXAMPLE

KIND_OF = {"processes": "process", "forms": "form", "records": "record", "roles.yaml": "roles",
           "people.yaml": "people", "competences.yaml": "competences", "training.yaml": "training",
           "parties.yaml": "parties", "objectives.yaml": "objectives", "risks.yaml": "risks", "qms.yaml": "qms"}


def _files() -> Iterator[tuple[str, Any]]:
    for path in sorted(EXAMPLE.rglob("*.yaml")):
        rel = path.relative_to(EXAMPLE)
        kind = KIND_OF.get(rel.parts[0]) or KIND_OF.get(rel.name)
        if kind:
            yield kind, parse_yaml(path.read_text(), str(rel)).data


def _mutations(data: Any, rng: random.Random, count: int) -> Iterator[Any]:
    paths: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((node, key))
                walk(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                paths.append((node, index))
                walk(value)

    for _ in range(count):
        copied = copy.deepcopy(data)
        paths.clear()
        walk(copied)
        if not paths:
            return
        parent, key = rng.choice(paths)
        choice = rng.randrange(6)
        if choice == 0 and isinstance(parent, dict):
            del parent[key]
        elif choice == 1 and isinstance(parent, dict):
            parent["unexpected-" + str(key)] = 1
        else:
            parent[key] = rng.choice([None, True, 12, -1, 3.5, "", "x y", "2026-13-40", [], {}, ["a", "a"],
                                      "2026-02-01T10:00:00+02:00", "NC-2026-0001", "x" * 100])
        yield copied


def _assert_agree(kind: str, data: Any) -> None:
    quick = compile_schema(schemas.validator(kind).schema)
    assert quick is not None, kind
    valid = not list(schemas.validator(kind).iter_errors(data))
    assert quick(data) == valid, (kind, data)


@pytest.mark.parametrize(("kind", "data"), list(_files()), ids=lambda v: v if isinstance(v, str) else "")
def test_agrees_on_every_example_file(kind: str, data: Any) -> None:
    _assert_agree(kind, data)


def test_never_accepts_what_jsonschema_refuses() -> None:
    rng = random.Random(1)
    tried = 0
    for kind, data in _files():
        for mutated in _mutations(data, rng, 12):
            _assert_agree(kind, mutated)
            tried += 1
    assert tried > 1000


def test_form_schemas_agree_on_records_and_broken_records() -> None:
    manual = load_manual(EXAMPLE).manual
    forms = {f.id: f for f in manual.forms}
    rng = random.Random(2)
    for record in manual.records:
        compiled = schemas.compiled(record_values_schema(forms[record.form]))
        assert compiled.quick is not None
        for values in [dict(record.values), *_mutations(dict(record.values), rng, 6)]:
            valid = not list(compiled.validator.iter_errors(values))
            assert compiled.quick(values) == valid, (record.id, values)


def test_unknown_keywords_make_it_step_aside() -> None:
    assert compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}}) is None
    assert compile_schema({"type": "string", "format": "ipv4"}) is None


def test_max_items_is_checked_as_jsonschema_does() -> None:
    """A bounded list (hand-entered KPI values, story edits) keeps the quick path."""
    quick = compile_schema({"maxItems": 2})
    assert quick is not None and quick([1, 2]) and not quick([1, 2, 3]) and quick("not a list")

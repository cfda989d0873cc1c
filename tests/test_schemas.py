"""The bundled schemas and the ISO 9001 clause catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from qmskit.loading import schemas
from qmskit.loading.load import catalogue
from qmskit.resources import schemas_dir
from tests.conftest import EXAMPLE, TEMPLATE

SCHEMA_FILES = sorted(schemas_dir().glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[p.name for p in SCHEMA_FILES])
def test_schema_is_valid_draft_2020_12_with_an_id(path: Path) -> None:
    schema = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # relative ids and refs: the set works offline from wherever it is read (package, .qms/schemas/, an editor)
    assert schema["$id"] == path.name
    refs = re.findall(r'"\$ref": "([^"]+)"', path.read_text())
    assert all(not ref.startswith(("http:", "https:", "/")) for ref in refs), refs


def test_every_kind_has_a_schema_that_compiles() -> None:
    for kind in schemas.KINDS:
        assert schemas.validator(kind).schema["$id"] == f"{kind}.schema.json"


def test_cross_file_references_resolve_offline() -> None:
    problems = list(schemas.check("people", {"people": [{"id": "a b", "name": "A", "roles": [],
                                                          "qualifications": [{"competence": "x", "level": 9}]}]}))
    assert {p.pointer for p in problems} == {("people", 0, "id"), ("people", 0, "qualifications", 0, "level")}


def test_formats_are_checked() -> None:
    problems = list(schemas.check("objectives", {"objectives": [
        {"id": "O", "title": "t", "target": "x", "owner": "r", "due": "2026-02-30"}]}))
    assert [p.pointer for p in problems] == [("objectives", 0, "due")]


def test_catalogue_has_every_clause_from_4_1_to_10_3() -> None:
    cat = catalogue()
    numbers = [c.number for c in cat.clauses]
    assert len(numbers) == len(set(numbers)) == 91
    assert numbers[0] == "4" and numbers[-1] == "10.3"
    for expected in ("4.4.2", "5.1.2", "7.1.5.2", "7.5.3.2", "8.2.3.2", "8.3.6", "8.5.6", "8.7.2", "9.3.3", "10.2.2"):
        assert cat.get(expected) is not None, expected
    for clause in cat.clauses:
        assert clause.parent == "" or cat.get(clause.parent) is not None
    maintain = {c.number for c in cat.clauses if c.maintain}
    assert maintain == {"4.3", "4.4.2", "5.2.2", "6.2.1", "8.1", "8.5.1"}
    assert {"7.2", "9.2.2", "9.3.3", "10.2.2", "8.7.2"} <= {c.number for c in cat.clauses if c.retain}


def test_catalogue_file_matches_its_schema() -> None:
    data = json.loads((schemas_dir() / "iso9001-2015.clauses.json").read_text())
    assert list(schemas.check("clauses", data)) == []


@pytest.mark.parametrize("manual", [EXAMPLE, TEMPLATE], ids=["example", "template"])
def test_every_yaml_file_names_the_manuals_own_schema_copy(manual: Path) -> None:
    """Each YAML file's modeline reaches .qms/schemas/ of its own manual, never a URL or a path outside."""
    pattern = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)
    seen = 0
    for path in manual.rglob("*.yaml"):
        match = pattern.search(path.read_text())
        assert match is not None, f"{path} has no modeline"
        seen += 1
        target = (path.parent / match.group(1)).resolve()
        assert target.parent == (manual / ".qms" / "schemas").resolve(), path
        assert (schemas_dir() / target.name).is_file(), path
    assert seen >= 10

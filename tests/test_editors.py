"""Editors check a user's manual offline: the modelines qms writes reach the manual's own schema copy, and the real
yaml-language-server (driven over LSP) and ajv use the shipped schemas without a network."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from qmskit.loading import editorschemas, modelines
from qmskit.resources import schemas_dir
from tests.conftest import EXAMPLE, ITSERVICES, Result, commit_all, edit, git, line_of
from tests.node_tools import diagnostics_of, node_bin, yaml_language_server

Qms = Callable[..., Result]
SCHEMAS = sorted(p.name for p in schemas_dir().glob("*.schema.json"))


def _modeline_target(path: Path) -> Path:
    target = modelines.modeline_target(path.read_text(encoding="utf-8"))
    assert target is not None, f"{path} has no modeline"
    return (path.parent / target).resolve()


def _assert_modelines_resolve_inside(manual: Path) -> int:
    copy = (manual / modelines.SCHEMAS_FOLDER).resolve()
    files = [p for p in manual.rglob("*.yaml") if ".qms" not in p.parts]
    for path in files:
        target = _modeline_target(path)
        assert target.parent == copy and target.is_file(), path
    return len(files)


@pytest.mark.parametrize("example", [False, True], ids=["minimal", "example"])
def test_init_puts_the_schemas_where_every_modeline_reaches_them(tmp_path: Path, qms: Qms, example: bool) -> None:
    target = tmp_path / "qm"
    assert qms("init", target, *(["--example"] if example else [])).code == 0
    assert sorted(p.name for p in (target / ".qms" / "schemas").iterdir()) == SCHEMAS
    assert editorschemas.stale(target) == []
    assert _assert_modelines_resolve_inside(target) >= (150 if example else 10)
    assert ".qms/schemas/process.schema.json" in git(target, "ls-files")  # committed: every clone has them


@pytest.mark.parametrize("manual", [EXAMPLE, ITSERVICES], ids=["example", "itservices"])
def test_bundled_manuals_carry_a_current_schema_copy(manual: Path) -> None:
    assert editorschemas.stale(manual) == [], f"run `qms schemas sync {manual}`"


def test_everything_qms_writes_names_the_schema_copy(template: Path, qms: Qms) -> None:
    git(template, "init", "-q", "-b", "main")
    commit_all(template, "Start")
    assert qms("new", "process", "--id", "maintenance", "--name", "Maintenance", "--category", "support",
               "--owner", "quality-manager", template).code == 0
    assert qms("new", "form", "--id", "maintenance-log", "--title", "Maintenance log", "--prefix", "ML",
               template).code == 0
    created = qms("record", "new", "maintenance-log", template, "--set", "date=2026-03-02", "--by",
                  _someone(template), "--no-input")
    assert created.code == 0, created.err
    written = [template / "processes/maintenance.yaml", template / "forms/maintenance-log.yaml",
               *(template / "records/maintenance-log").glob("*.yaml")]
    assert len(written) == 3
    for path in written:
        assert _modeline_target(path) == (template / ".qms/schemas" / _kind(path)).resolve()


def _someone(manual: Path) -> str:
    text = (manual / "organisation/people.yaml").read_text()
    return text.split("- id: ", 1)[1].split()[0].strip("'\"")


def _kind(path: Path) -> str:
    folder = path.relative_to(path.parents[len(path.parents) - 1]).parts
    for part, kind in (("processes", "process"), ("forms", "form"), ("records", "record")):
        if part in folder:
            return f"{kind}.schema.json"
    raise AssertionError(path)


def test_validate_reports_a_missing_or_stale_copy_and_sync_fixes_it(template: Path, qms: Qms,
                                                                     findings: Callable[..., list]) -> None:
    copy = template / ".qms" / "schemas"
    (copy / "process.schema.json").write_text("{}\n")
    (copy / "mine.json").write_text("{}\n")  # not ours: sync leaves it alone
    assert ("QMS-SCHEMA-002", ".qms/schemas/process.schema.json", 0) in findings(template)
    synced = qms("schemas", "sync", template)
    assert synced.code == 0 and "Updated 1 schema in" in synced.out
    assert "QMS-SCHEMA-002" not in {rule for rule, _, _ in findings(template)}
    assert (copy / "mine.json").read_text() == "{}\n"
    assert "are current" in qms("schemas", "sync", template).out

    for path in copy.iterdir():
        path.unlink()
    copy.rmdir()
    assert ("QMS-SCHEMA-002", "qms.yaml", 0) in findings(template)


def test_sync_never_writes_through_a_symbolic_link(template: Path, qms: Qms, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for path in (template / ".qms" / "schemas").iterdir():
        path.unlink()
    (template / ".qms" / "schemas").rmdir()
    (template / ".qms" / "schemas").symlink_to(elsewhere)
    result = qms("schemas", "sync", template)
    assert result.code == 2 and "link" in result.err
    assert list(elsewhere.iterdir()) == []


def test_yaml_language_server_reports_a_broken_field_at_its_line(tmp_path: Path, qms: Qms) -> None:
    """The real editor back end, offline: a manual made by `qms init`, two broken fields (one checked through a
    `$ref` into common.schema.json), diagnostics at their lines; the unbroken file has none."""
    manual = tmp_path / "qm"
    assert qms("init", manual, "--no-git").code == 0
    broken = manual / "processes" / "operations.yaml"
    edit(broken, "category: core", "category: sideways")
    edit(broken, "owner: ", "owner: Not An Id ", 1)
    with yaml_language_server(manual) as server:
        found = diagnostics_of(server, broken)
        clean = diagnostics_of(server, manual / "processes" / "support.yaml")
    lines = {d["range"]["start"]["line"] + 1: d["message"] for d in found}
    assert line_of(broken, "category: sideways") in lines
    assert "management" in lines[line_of(broken, "category: sideways")]  # the allowed values, from the schema
    assert line_of(broken, "owner: Not An Id") in lines
    assert not any("Unable to load schema" in d["message"] for d in found)
    assert clean == []


def test_yaml_language_server_checks_a_record_qms_wrote(example: Path, qms: Qms) -> None:
    record = sorted((example / "records" / "nonconformity").glob("*.yaml"))[0]
    edit(record, "form_revision: ", "form_revision: first-", 1)
    with yaml_language_server(example) as server:
        found = diagnostics_of(server, record)
    assert [d["range"]["start"]["line"] + 1 for d in found] == [line_of(record, "form_revision: first-")]


@pytest.mark.parametrize("kind", [n.removesuffix(".schema.json") for n in SCHEMAS])
def test_ajv_strict_draft_2020_compiles_every_shipped_schema_offline(kind: str) -> None:
    ajv = node_bin("ajv")
    common = [] if kind == "common" else ["-r=common.schema.json"]
    done = subprocess.run([str(ajv), "compile", "--spec=draft2020", "--strict=true", "-c", "ajv-formats",
                           f"-s={kind}.schema.json", *common], cwd=schemas_dir(), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ajv_accepts_the_example_against_the_copied_schemas() -> None:
    ajv = node_bin("ajv")
    copy = EXAMPLE / ".qms" / "schemas"
    for kind, files in (("process", "processes/*.yaml"), ("form", "forms/*.yaml"), ("qms", "qms.yaml")):
        done = subprocess.run([str(ajv), "validate", "--spec=draft2020", "--strict=true", "-c", "ajv-formats",
                               f"-s={copy / f'{kind}.schema.json'}", f"-r={copy / 'common.schema.json'}",
                               f"-d={EXAMPLE / files}"], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "invalid" not in done.stdout + done.stderr


@pytest.mark.parametrize("path", sorted(set(schemas_dir().glob("*.json")) - set(schemas_dir().glob("*.schema.json"))),
                         ids=lambda p: p.name)
def test_bundled_data_files_name_their_schema_relatively(path: Path) -> None:
    """Clause catalogues name their schema by a relative path editors resolve next to them, never a URL."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (schemas_dir() / data["$schema"]).is_file(), data["$schema"]


@pytest.mark.parametrize("target", ["https://qmskit.dev/schemas/v1/process.schema.json",
                                    "../../schemas/process.schema.json", "../.qms/schemas/form.schema.json",
                                    "/abs/.qms/schemas/process.schema.json", ""])
def test_a_modeline_editors_cannot_use_is_reported_with_the_line_to_write(target: str) -> None:
    text = f"# first comment\n# yaml-language-server: $schema={target}\nid: x\n"
    [found] = modelines.check("process", "processes/x.yaml", text)
    assert (found.rule, found.location.line, found.location.column) == ("QMS-SCHEMA-003", 2, 33)
    assert "$schema=../.qms/schemas/process.schema.json`" in found.hint


def test_modelines_qms_writes_pass_its_own_check() -> None:
    for kind, rel in (("qms", "qms.yaml"), ("record", "records/nonconformity/NC-2026-0001.yaml"),
                      ("people", "organisation/people.yaml"), ("process", "processes/a.b.yaml")):
        assert list(modelines.check(kind, rel, modelines.modeline(kind, rel) + "id: x\n")) == []
    assert list(modelines.check("process", "processes/a.yaml", "id: x\n")) == []  # no modeline: the user's choice


def test_a_modeline_that_only_starts_right_is_still_checked() -> None:
    text = modelines.modeline("process", "processes/x.yaml").rstrip("\n") + ".bak\nid: x\n"
    assert [d.rule for d in modelines.check("process", "processes/x.yaml", text)] == ["QMS-SCHEMA-003"]

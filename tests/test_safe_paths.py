"""Ids that become file names are checked when loaded and again where the path is made (issue 12.3): nothing a
file or an option says can make qms write outside the folder it means."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qmskit.safepaths import UnsafePathError, check_id, inside
from tests.conftest import Result, edit, line_of

Qms = Callable[..., Result]
Findings = Callable[..., list[tuple[str, str, int]]]
HOSTILE_IDS = ["../x", "../../x", "/tmp/x", "a/b", "a\\b", ".hidden", "..", "", "x\0y", "-x", "a" * 81]


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if ".git" not in p.parts}


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_check_id_refuses_what_could_leave_a_folder(value: str) -> None:
    with pytest.raises(UnsafePathError):
        check_id(value, "form id")


def test_check_id_accepts_the_ids_manuals_use() -> None:
    for value in ("nonconformity", "PRO-008", "gen-0001", "a.b_c-d", "A" * 80):
        assert check_id(value, "id") == value


def test_inside_refuses_dot_dot_absolute_parts_and_links_out(tmp_path: Path) -> None:
    base = tmp_path / "manual"
    base.mkdir()
    assert inside(base, "forms", "x.yaml") == (base / "forms" / "x.yaml").resolve()
    for parts in (("..", "x"), ("forms", "..", "..", "x"), ("/etc/passwd",), ("",), (".",)):
        with pytest.raises(UnsafePathError):
            inside(base, *parts)
    (tmp_path / "elsewhere").mkdir()
    (base / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePathError):
        inside(base, "link", "x.yaml")


@pytest.mark.parametrize("kind", ["form", "process"])
@pytest.mark.parametrize("bad", ["../x", "../../outside", "/tmp/qms-abs", "sub/x"])
def test_new_refuses_ids_that_are_paths(template: Path, qms: Qms, tmp_path: Path, kind: str, bad: str) -> None:
    before = _files(tmp_path)
    extra = (["--title", "X", "--prefix", "XY"] if kind == "form" else
             ["--name", "X", "--category", "support", "--owner", "operations-manager"])
    result = qms("new", kind, template, "--id", bad, *extra)
    assert result.code == 2, result.out + result.err
    assert f"{kind} id" in result.err and "not a safe id" in result.err and "Traceback" not in result.err
    assert _files(tmp_path) - before <= {p for p in _files(tmp_path) if p.startswith("qms-cache")}
    assert not Path("/tmp/qms-abs.yaml").exists()


@pytest.mark.parametrize(("field", "value"), [("id", "../escaped"), ("record_prefix", "../../ESC")])
def test_a_form_with_a_path_for_an_id_is_a_finding_and_writes_nothing_outside(
        template: Path, qms: Qms, findings: Findings, tmp_path: Path, field: str, value: str) -> None:
    form = template / "forms" / "management-review.yaml"
    old = "id: management-review" if field == "id" else "record_prefix: MR"
    edit(form, old, f'{field}: "{value}"')
    assert ("QMS-SCHEMA-001", "forms/management-review.yaml", line_of(form, value)) in findings(template)
    before = _files(tmp_path)
    form_id = value if field == "id" else "management-review"
    result = qms("record", "new", form_id, template, "--no-input", "--by", "first-person", "--set", "date=2026-03-02",
                 "--set", "inputs=Audit results", "--set", "decisions=None")
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err
    created = {p for p in _files(tmp_path) - before if not p.startswith("qms-cache")}
    assert created == set()


def test_records_import_refuses_a_form_whose_id_is_a_path(tmp_path: Path, qms: Qms) -> None:
    from tests.test_import import MAPPING, ROWS, SURVEY_FORM, export

    root = tmp_path / "elintarvike"
    assert qms("init", root).code == 0
    (root / "forms" / "asiakaskysely.yaml").write_text(SURVEY_FORM.replace("id: asiakaskysely",
                                                                           'id: "../../escaped"'))
    (root / "imports").mkdir()
    (root / "imports" / "kysely.yaml").write_text(MAPPING.replace("form: asiakaskysely", 'form: "../../escaped"'))
    source = export(tmp_path, ROWS)
    before = _files(tmp_path)
    result = qms("records", "import", "kysely", source, root, "--by", "first-person")
    assert result.code in (1, 2), result.out + result.err
    assert "Traceback" not in result.err
    assert {p for p in _files(tmp_path) - before if not p.startswith("qms-cache")} == set()

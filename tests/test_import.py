"""`qms records import`: survey-tool exports (CSV, Excel) become records, checked row by row, idempotently.

On a manual that is not the example: a food producer made with `qms init`, with its own survey form and field
names, and an export whose columns are in Finnish.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from qmskit.loading.yamlsource import parse_yaml
from tests.conftest import Result, commit_all, git

Qms = Callable[..., Result]

SURVEY_FORM = """\
id: asiakaskysely
title: Asiakaskysely (customer survey)
record_prefix: AK
fields:
  - {id: asiakas, label: Customer, type: reference, of: customer, required: true}
  - {id: suositus, label: Would recommend (0-10), type: scale, min: 0, max: 10, required: true}
  - {id: tyytyvaisyys, label: Satisfaction (1-10), type: scale, min: 1, max: 10}
  - {id: vastattu, label: Answered on, type: date, required: true}
  - {id: kanava, label: Channel, type: choice, options: [survey, phone, visit], required: true}
  - {id: palaute, label: Comment, type: longtext}
  - {id: luomu, label: Buys organic, type: boolean}
"""

MAPPING = """\
form: asiakaskysely
response_id: Vastaustunnus
date_format: "%d.%m.%Y"
fields:
  asiakas:
    column: Yritys
    map: {"Leipomo Laine Oy": leipomo-laine, "Kahvila Kulma": kahvila-kulma}
  suositus: {column: Suosittelisitko meitä?}
  tyytyvaisyys: {column: Tyytyväisyys (1-5), scale: {from: [1, 5], to: [1, 10]}}
  vastattu: {column: Vastattu}
  kanava: {value: survey}
  palaute: {column: Vapaa palaute}
  luomu: {column: Luomu, map: {Kyllä: "yes", Ei: "no"}}
"""

HEADER = "Vastaustunnus;Yritys;Suosittelisitko meitä?;Tyytyväisyys (1-5);Vastattu;Vapaa palaute;Luomu"
ROWS = [
    "R-101;Leipomo Laine Oy;9;5;12.10.2026;Toimitukset ajallaan;Kyllä",
    'R-102;Kahvila Kulma;6;3;13.10.2026;"Hinta nousi; laatu ennallaan";Ei',
    "R-103;Leipomo Laine Oy;10;4;14.10.2026;;",
]


@pytest.fixture
def manual(tmp_path: Path, qms: Qms) -> Path:
    root = tmp_path / "elintarvike"
    assert qms("init", root).code == 0
    (root / "forms" / "asiakaskysely.yaml").write_text(SURVEY_FORM)
    parties = root / "organisation" / "parties.yaml"
    parties.write_text(parties.read_text() + "  - {id: leipomo-laine, name: Leipomo Laine Oy, kind: customer}\n"
                       "  - {id: kahvila-kulma, name: Kahvila Kulma, kind: customer}\n")
    (root / "imports").mkdir()
    (root / "imports" / "kysely.yaml").write_text(MAPPING)
    commit_all(root, "Customer survey form and its import mapping")
    return root


def export(folder: Path, rows: list[str], *, bom: bool = True, header: str = HEADER) -> Path:
    path = folder / "vastaukset.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + "\r\n".join([header, *rows, ""]).encode("utf-8"))
    return path


def records(root: Path) -> dict[str, dict[str, object]]:
    """Record id -> the record as written."""
    found = {}
    for path in sorted((root / "records" / "asiakaskysely").glob("*.yaml")):
        data = parse_yaml(path.read_text(), path.name).data
        found[data["id"]] = data
    return found


def test_a_semicolon_csv_with_bom_finnish_dates_labels_and_a_scale_becomes_valid_records(
        manual: Path, tmp_path: Path, qms: Qms) -> None:
    result = qms("records", "import", "kysely", export(tmp_path, ROWS), manual, "--by", "first-person")
    assert result.code == 0, result.out + result.err
    written = records(manual)
    assert sorted(written) == ["AK-2026-0001", "AK-2026-0002", "AK-2026-0003"]
    first, second, third = (written[k] for k in sorted(written))
    assert first["values"] == {"asiakas": "leipomo-laine", "suositus": 9, "tyytyvaisyys": 10,
                               "vastattu": "2026-10-12", "kanava": "survey", "palaute": "Toimitukset ajallaan",
                               "luomu": True}
    # 3 on the export's 1-5 scale is 1 + (3 - 1) * 9 / 4 = 5.5 on 1-10, rounded half to even: 6
    assert second["values"]["tyytyvaisyys"] == 6
    assert second["values"]["palaute"] == "Hinta nousi; laatu ennallaan"  # quoted delimiter kept
    assert second["values"]["luomu"] is False
    assert "palaute" not in third["values"] and "luomu" not in third["values"]  # empty cells are not values
    assert [r["source"] for r in (first, second, third)] == [
        {"kind": "import", "name": "kysely", "id": f"R-10{i}"} for i in (1, 2, 3)]
    assert first["created_by"] == "first-person"
    assert qms("validate", manual).code == 0


def test_importing_the_same_export_twice_adds_nothing(manual: Path, tmp_path: Path, qms: Qms) -> None:
    source = export(tmp_path, ROWS)
    assert qms("records", "import", "kysely", source, manual, "--by", "first-person", "--commit").code == 0
    again = qms("records", "import", "kysely", source, manual, "--by", "first-person")
    assert again.code == 0
    assert "0 new, 3 imported before" in again.out
    assert len(records(manual)) == 3
    # next month's export repeats old answers and adds one: only the new one is imported
    later = export(tmp_path, [*ROWS, "R-104;Kahvila Kulma;8;4;2.11.2026;Hyvä;Ei"])
    assert qms("records", "import", "kysely", later, manual, "--by", "first-person").code == 0
    assert len(records(manual)) == 4
    assert records(manual)["AK-2026-0004"]["source"]["id"] == "R-104"


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named(manual: Path, tmp_path: Path, qms: Qms) -> None:
    rows = [*ROWS,
            "R-104;Tuntematon Oy;8;4;2.11.2026;;",  # line 5: a customer nobody has mapped
            "R-105;Kahvila Kulma;11;4;2.11.2026;;",  # line 6: 11 on a 0-10 scale
            "R-106;Kahvila Kulma;7;4;2026/11/02;;",  # line 7: a date in another format
            "R-101;Kahvila Kulma;7;4;3.11.2026;;"]  # line 8: a response id seen on line 2
    result = qms("records", "import", "kysely", export(tmp_path, rows), manual, "--by", "first-person")
    assert result.code == 1
    assert not (manual / "records" / "asiakaskysely").exists()
    out = result.out
    assert "line 5, column 'Yritys': 'Tuntematon Oy' is not a known customer id" in out
    assert "line 6, column 'Suosittelisitko meitä?'" in out and "11" in out
    assert "line 7, column 'Vastattu': '2026/11/02' is not a date in the format %d.%m.%Y" in out
    assert "line 8, column 'Vastaustunnus': response id 'R-101' also on line 2" in out
    assert "Nothing imported: 4 of 7 are invalid" in result.err


def test_skip_invalid_writes_the_good_rows_and_reports_the_rest(manual: Path, tmp_path: Path, qms: Qms) -> None:
    rows = [*ROWS, "R-105;Kahvila Kulma;11;4;2.11.2026;;"]
    result = qms("records", "import", "kysely", export(tmp_path, rows), manual, "--by", "first-person",
                 "--skip-invalid")
    assert result.code == 1  # some rows were not imported: a script must notice
    assert "3 new, 0 imported before, 1 invalid" in result.out
    assert len(records(manual)) == 3


def test_an_excel_export_imports_like_the_csv(manual: Path, tmp_path: Path, qms: Qms) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append([101, "Leipomo Laine Oy", 9, 5, datetime(2026, 10, 12), "Toimitukset ajallaan", "Kyllä"])
    sheet.append([102.0, "Kahvila Kulma", 6.0, 3, "13.10.2026", None, "Ei"])
    path = tmp_path / "vastaukset.xlsx"
    book.save(path)
    result = qms("records", "import", "kysely", path, manual, "--by", "first-person")
    assert result.code == 0, result.out + result.err
    first, second = (records(manual)[k] for k in sorted(records(manual)))
    assert first["values"]["vastattu"] == "2026-10-12"  # an Excel date cell
    assert second["values"]["vastattu"] == "2026-10-13"  # a date typed as text
    assert [first["source"]["id"], second["source"]["id"]] == ["101", "102"]  # Excel's 102.0 is response 102
    assert second["values"]["suositus"] == 6


def test_a_comma_csv_without_bom_and_iso_dates(manual: Path, tmp_path: Path, qms: Qms) -> None:
    mapping = manual / "imports" / "kysely.yaml"
    mapping.write_text(mapping.read_text().replace('date_format: "%d.%m.%Y"\n', ""))
    header = HEADER.replace(";", ",")
    source = export(tmp_path, ["R-1,Kahvila Kulma,8,4,2026-10-01,Ok,"], bom=False, header=header)
    assert qms("records", "import", "kysely", source, manual, "--by", "first-person").code == 0
    assert next(iter(records(manual).values()))["values"]["vastattu"] == "2026-10-01"


def test_commit_makes_one_commit_with_every_new_record(manual: Path, tmp_path: Path, qms: Qms) -> None:
    before = int(git(manual, "rev-list", "--count", "HEAD"))
    result = qms("records", "import", "kysely", export(tmp_path, ROWS), manual, "--by", "first-person", "--commit")
    assert result.code == 0
    assert int(git(manual, "rev-list", "--count", "HEAD")) == before + 1
    assert git(manual, "log", "-1", "--format=%s").startswith("Import 3 Asiakaskysely")
    assert git(manual, "show", "--name-only", "--format=", "HEAD").split() == [
        f"records/asiakaskysely/AK-2026-000{i}.yaml" for i in (1, 2, 3)]
    assert git(manual, "status", "--porcelain") == ""


def test_dry_run_checks_and_writes_nothing(manual: Path, tmp_path: Path, qms: Qms) -> None:
    result = qms("records", "import", "kysely", export(tmp_path, ROWS), manual, "--dry-run")
    assert result.code == 0
    assert "Checked: 3 new" in result.out
    assert not (manual / "records" / "asiakaskysely").exists()


def test_a_mapping_that_does_not_fit_the_export_or_its_schema_is_a_clear_usage_error(
        manual: Path, tmp_path: Path, qms: Qms) -> None:
    source = export(tmp_path, ROWS, header=HEADER.replace("Vastattu", "Päivä"))
    result = qms("records", "import", "kysely", source, manual)
    assert result.code == 2
    assert "column 'Vastattu' is not in the export" in result.err
    mapping = manual / "imports" / "kysely.yaml"
    mapping.write_text(mapping.read_text().replace("  kanava: {value: survey}\n", "  kanava: {valeu: survey}\n"))
    result = qms("records", "import", "kysely", export(tmp_path, ROWS), manual)
    assert result.code == 2
    assert "imports/kysely.yaml:11:12: error: unknown property 'valeu'" in result.err  # located in the mapping


@pytest.mark.parametrize("name", ["../kysely", "/etc/passwd", ".hidden", "a\\b"])
def test_a_mapping_name_is_never_a_path(manual: Path, tmp_path: Path, qms: Qms, name: str) -> None:
    result = qms("records", "import", name, export(tmp_path, ROWS), manual)
    assert result.code == 2
    assert "is not a mapping name" in result.err


def test_a_file_in_another_encoding_is_named_with_a_hint(manual: Path, tmp_path: Path, qms: Qms) -> None:
    source = tmp_path / "latin.csv"
    source.write_bytes("\r\n".join([HEADER, *ROWS]).encode("cp1252"))
    result = qms("records", "import", "kysely", source, manual)
    assert result.code == 2
    assert "is not utf-8" in result.err and "encoding:" in result.err
    mapping = manual / "imports" / "kysely.yaml"
    mapping.write_text(mapping.read_text() + "encoding: cp1252\n")
    assert qms("records", "import", "kysely", source, manual, "--by", "first-person").code == 0
    assert len(records(manual)) == 3


def test_records_still_lists_by_default(manual: Path, tmp_path: Path, qms: Qms) -> None:
    assert qms("records", "import", "kysely", export(tmp_path, ROWS), manual, "--by", "first-person").code == 0
    listed = qms("records", "asiakaskysely", "-C", manual, "-f", "json").json()
    assert [r["id"] for r in listed] == ["AK-2026-0003", "AK-2026-0002", "AK-2026-0001"]
    assert qms("records", "list", "asiakaskysely", "-C", manual, "-f", "json").json() == listed


def test_the_installed_command_imports_too(manual: Path, tmp_path: Path) -> None:
    """The console script, not only the in-process runner: the records group resolves `import` for real."""
    import sys

    qms_bin = Path(sys.executable).parent / "qms"
    done = subprocess.run([str(qms_bin), "records", "import", "kysely", str(export(tmp_path, ROWS)), str(manual),
                           "--by", "first-person"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(records(manual)) == 3


@pytest.mark.parametrize(("change", "line", "message"), [
    (("form: asiakaskysely", "form: kysely-lomake"), 1, "no form 'kysely-lomake' to import into"),
    (("  suositus: {column", "  suosittelu: {column"), 8, "form asiakaskysely has no field 'suosittelu'"),
    (("  kanava: {value: survey}", "  kanava: {value: survey, column: Kanava}"), 11,
     "field 'kanava' needs either `column:` or `value:`"),
    (("scale: {from: [1, 5]", "scale: {from: [5, 1]"), 9, "the scale's `from` needs a low and a higher high"),
    (("date_format:", "created_by: nobody\ndate_format:"), 3, "created_by 'nobody' is not a person"),
])
def test_validate_checks_every_import_mapping_against_its_form(
        manual: Path, qms: Qms, change: tuple[str, str], line: int, message: str) -> None:
    """QMS-IMP-001: a mapping that no longer fits its form is found by `qms validate`, before next month's import."""
    mapping = manual / "imports" / "kysely.yaml"
    assert change[0] in mapping.read_text()
    mapping.write_text(mapping.read_text().replace(change[0], change[1]))
    found = [d for d in qms("validate", manual, "-f", "json").json()["diagnostics"] if d["rule"] == "QMS-IMP-001"]
    assert [(d["path"], d["line"]) for d in found] == [("imports/kysely.yaml", line)]
    assert message in found[0]["message"]

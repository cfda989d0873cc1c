"""CI's own readers accept what qms writes: GitHub code scanning's SARIF rules (Microsoft's SARIF multitool), the
strict Jenkins JUnit schema, and RFC 3339 date-times as other JSON Schema tools read them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
import xmlschema

from qmskit.findings.machine import sarif_uri
from qmskit.loading import schemas
from qmskit.loading.fastcheck import compile_schema
from qmskit.project import RULES_PAGE, RULES_PAGE_PATH
from qmskit.rules.catalog import RULES
from qmskit.rules.page import rules_page
from tests.conftest import REPO, Result
from tests.node_tools import CACHE, node_bin

Qms = Callable[..., Result]
ODD_NAMES = ("a b", "100%", "x,y", "c:d", "työohje", "#1?")
JUNIT_SCHEMA = Path(__file__).parent / "data" / "junit-10.xsd"


@pytest.fixture
def odd_manual(template: Path) -> Path:
    """A manual with findings in files whose names need escaping in every format."""
    folder = template / "documents" / "odd"
    folder.mkdir(parents=True)
    for name in ODD_NAMES:
        (folder / f"{name}.md").write_text("no front matter\n", encoding="utf-8")
    return template


def _multitool() -> Path:
    node_bin("sarif-multitool")  # installs the tool set when missing
    # the npm wrapper runs the binary through a shell, where `;` in "Gh;Sarif" would end the command: call it
    binary = "Sarif.Multitool.exe" if sys.platform == "win32" else "Sarif.Multitool"
    return CACHE / "node_modules" / "@microsoft" / f"sarif-multitool-{sys.platform}" / binary


def _multitool_findings(sarif: Path, tmp_path: Path) -> list[tuple[str, str]]:
    """`Sarif.Multitool validate --rule-kind Gh;Sarif`: its errors and warnings (notes are style advice)."""
    out = tmp_path / "multitool.sarif"
    done = subprocess.run([str(_multitool()), "validate", str(sarif), "--rule-kind", "Gh;Sarif",
                           "--level", "Error;Warning", "-o", str(out), "--log", "ForceOverwrite"],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={"DOTNET_CLI_TELEMETRY_OPTOUT": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                               "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    return [(r["ruleId"], json.dumps(r["message"])) for r in
            json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0]["results"]]


def test_github_accepts_sarif_with_odd_file_names(odd_manual: Path, qms: Qms, tmp_path: Path) -> None:
    log = tmp_path / "qms.sarif"
    assert qms("validate", odd_manual, "--format", "sarif", "-o", log).code == 1
    assert _multitool_findings(log, tmp_path) == []


def test_github_accepts_sarif_of_the_example(example: Path, qms: Qms, tmp_path: Path) -> None:
    log = tmp_path / "qms.sarif"
    qms("validate", example, "--format", "sarif", "-o", log)
    assert _multitool_findings(log, tmp_path) == []


def test_every_rule_has_a_full_description_and_a_help_page(example: Path, qms: Qms) -> None:
    rules = qms("validate", example, "--format", "sarif").json()["runs"][0]["tool"]["driver"]["rules"]
    page = (REPO / RULES_PAGE_PATH).read_text(encoding="utf-8")
    assert len(rules) == len(RULES)
    for rule in rules:
        assert rule["fullDescription"]["text"].startswith(RULES[rule["id"]].title)
        assert rule["helpUri"] == f"{RULES_PAGE}#{rule['id'].lower()}"
        assert f"\n## {rule['id']}\n" in page  # GitHub's anchor for this heading is the id in lower case
        assert rule["name"].isidentifier() and rule["name"][0].isupper()


def test_rules_page_is_current() -> None:
    assert (REPO / RULES_PAGE_PATH).read_text(encoding="utf-8") == rules_page(), \
        "run `python tools/make_rules_page.py`"


def test_artifact_uris_are_percent_encoded_for_any_file_name(odd_manual: Path, qms: Qms) -> None:
    sarif = qms("validate", odd_manual, "--format", "sarif").json()
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    wanted = {f"documents/odd/{name}.md" for name in ODD_NAMES}
    assert {unquote(uri) for uri in uris} >= wanted
    assert all(" " not in uri and "," not in uri and ":" not in uri and uri.isascii() for uri in uris)
    assert sarif_uri("a b/100%/x,y:z/ä#?.md") == "a%20b/100%25/x%2Cy%3Az/%C3%A4%23%3F.md"


def test_junit_passes_the_strict_jenkins_schema(odd_manual: Path, qms: Qms, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    assert qms("validate", odd_manual, "--format", "junit", "-o", report).code == 1
    xmlschema.XMLSchema(JUNIT_SCHEMA).validate(report)
    text = report.read_text(encoding="utf-8")
    assert "documents/odd/x,y.md" in text and "<failure" in text


def _both_checkers(value: str) -> tuple[bool, bool]:
    """(jsonschema with qmskit's format checker, the compiled fast path) on a date-time field."""
    schema = {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}
    quick = compile_schema(schema)
    assert quick is not None
    slow = not list(schemas.problems(schemas.compiled(schema), {"at": value}))
    return slow, quick({"at": value})


@pytest.mark.parametrize("value", ["2026-01-22T08:00:00+02:00", "2026-01-22T06:00:00Z", "2026-01-22t06:00:00z",
                                   "2026-01-22T08:00:00.5+02:00", "2026-01-22T08:00:00.123456789-05:30",
                                   "2024-02-29T00:00:00Z"])
def test_rfc_3339_date_times_pass_both_checkers(value: str) -> None:
    assert _both_checkers(value) == (True, True)


@pytest.mark.parametrize("value", ["20260122T080000+0200", "2026-W10-1T10:15:00Z", "2026-01-22T08:00:00",
                                   "2026-01-22 08:00:00+02:00", "2026-01-22T08:00+02:00", "2026-022T08:00:00Z",
                                   "2026-01-22T08:00:00+0200", "2026-02-30T08:00:00Z", "2026-01-22T24:00:00Z",
                                   "2026-01-22T08:00:60Z", "2026-01-22T08:00:00.Z",
                                   "\uff12\uff10\uff12\uff16-01-22T08:00:00Z"])  # full-width digits
def test_other_iso_8601_forms_fail_both_checkers(value: str) -> None:
    assert _both_checkers(value) == (False, False)


@pytest.mark.parametrize("value", ["2026-W10-1", "20260122", "2026-022", "2026-02-30"])
def test_dates_are_full_dates_in_both_checkers(value: str) -> None:
    schema = {"type": "string", "format": "date"}
    quick = compile_schema(schema)
    assert quick is not None and not quick(value)
    assert list(schemas.problems(schemas.compiled(schema), value))


def test_a_record_with_a_basic_format_time_stamp_is_reported(example: Path, qms: Qms) -> None:
    record = sorted((example / "records" / "nonconformity").glob("*.yaml"))[0]
    text = record.read_text(encoding="utf-8")
    stamp = text.split("created_at: ", 1)[1].split("\n", 1)[0]
    record.write_text(text.replace(f"created_at: {stamp}", "created_at: '20260122T080000+0200'", 1),
                      encoding="utf-8")
    found = qms("validate", example, "--format", "json").json()["diagnostics"]
    assert any(d["path"] == record.relative_to(example).as_posix() and "created_at" in d["message"]
               for d in found), found

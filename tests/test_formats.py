"""Every output format is well formed, and carries the findings with their places."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from qmskit.diagnostics import Diagnostic, Location, Severity
from qmskit.findings import ReportInput
from qmskit.findings.machine import render_github
from qmskit.rules.catalog import RULES
from tests.conftest import Result, edit

Qms = Callable[..., Result]
QUIET = ("--ignore", "QMS-COMP")  # the example's competence story is not what these tests look at
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def broken(tmp_path: Path, loose_example: Path) -> Path:
    """The example manual with one error and one warning, inside a Git work tree one folder up."""
    example = loose_example
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "manual"], check=True)
    edit(example / "processes/production.yaml", "owner: production-manager", "owner: nobody")
    edit(example / "processes/delivery.yaml", "customer: customer", "customer: baltic-marine")
    return example


def test_json_round_trips(broken: Path, qms: Qms) -> None:
    result = qms("validate", broken, *QUIET, "--format", "json")
    data = result.json()
    assert result.code == 1
    assert data["summary"]["errors"] == 1
    assert data["summary"]["warnings"] == 1
    assert json.loads(json.dumps(data)) == data
    [error] = [d for d in data["diagnostics"] if d["severity"] == "error"]
    assert (error["rule"], error["path"], error["line"], error["column"]) == (
        "QMS-REF-001", "processes/production.yaml", 5, 8)


def test_sarif_is_valid_against_the_official_schema(broken: Path, qms: Qms) -> None:
    sarif = qms("validate", broken, *QUIET, "--format", "sarif").json()
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    run = sarif["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == set(RULES)
    results = {r["ruleId"]: r for r in run["results"]}
    location = results["QMS-REF-001"]["locations"][0]["physicalLocation"]
    # repository-relative: the manual sits in the `manual/` folder of the work tree
    assert location["artifactLocation"]["uri"] == "loose/processes/production.yaml"
    assert location["region"] == {"startLine": 5, "startColumn": 8}
    assert results["QMS-PROC-005"]["level"] == "warning"
    rules = run["tool"]["driver"]["rules"]
    assert rules[results["QMS-REF-001"]["ruleIndex"]]["id"] == "QMS-REF-001"
    assert all(r["partialFingerprints"]["qmsFinding/v1"] for r in run["results"])


def test_sarif_of_a_clean_manual_is_valid(example: Path, qms: Qms) -> None:
    sarif = qms("validate", example, *QUIET, "--format", "sarif").json()
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    assert sarif["runs"][0]["results"] == []


def test_fingerprints_survive_moving_lines(broken: Path, qms: Qms) -> None:
    def prints() -> set[str]:
        run = qms("validate", broken, *QUIET, "--format", "sarif").json()["runs"][0]
        return {r["partialFingerprints"]["qmsFinding/v1"] for r in run["results"]}

    before = prints()
    edit(broken / "processes/production.yaml", "id: production", "# a comment that moves every line\nid: production")
    assert prints() == before


def test_junit_parses_with_a_testcase_per_file(broken: Path, qms: Qms) -> None:
    out = qms("validate", broken, *QUIET, "--format", "junit").out
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "0")) == len(cases) > 50
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["loose/processes/production.yaml"]
    assert suite.get("failures") == "1"
    failure = failed[0].find("failure")
    assert failure is not None and failure.get("type") == "QMS-REF-001"


def test_gitlab_code_quality(broken: Path, qms: Qms) -> None:
    issues = qms("validate", broken, *QUIET, "--format", "gitlab").json()
    assert {(i["check_name"], i["severity"], i["location"]["path"]) for i in issues} == {
        ("QMS-REF-001", "major", "loose/processes/production.yaml"),
        ("QMS-PROC-005", "minor", "loose/processes/delivery.yaml"),
    }
    assert len({i["fingerprint"] for i in issues}) == 2


def test_github_annotations(broken: Path, qms: Qms) -> None:
    lines = qms("validate", broken, *QUIET, "--format", "github").out.splitlines()
    assert lines[0].startswith("::warning file=loose/processes/delivery.yaml,line=")
    assert lines[1].startswith("::error file=loose/processes/production.yaml,line=5,col=8,title=QMS-REF-001::")


def test_github_escapes_newlines_commas_and_percent() -> None:
    finding = Diagnostic(Location("a,b:c.yaml", 1, 1), "QMS-REF-001", Severity.ERROR, "50% bad\n::error::x", "")
    out = render_github(ReportInput([finding], ("a,b:c.yaml",), Path(), "", "0"))
    assert out == "::error file=a%2Cb%3Ac.yaml,line=1,col=1,title=QMS-REF-001::50%25 bad%0A::error::x\n"


def test_output_file_is_written(broken: Path, qms: Qms, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "qms.sarif"
    result = qms("validate", broken, *QUIET, "--format", "sarif", "-o", target)
    assert result.code == 1
    assert result.out == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_text_groups_by_file_and_shows_the_source_line(broken: Path, qms: Qms) -> None:
    out = qms("validate", broken, *QUIET).out
    assert "loose/processes/production.yaml\n" in out
    assert "      5 | owner: nobody" in out
    assert "1 error, 1 warning in 2 files" in out

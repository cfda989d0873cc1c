"""Machine-readable findings: JSON, SARIF 2.1.0, JUnit XML, GitHub workflow commands, GitLab Code Quality.

JSON, SARIF and JUnit are English whatever language the run speaks (tools read them, and their ids and
fingerprints rest on the English message); the texts the forges show people beside the code (GitHub annotations,
GitLab Code Quality descriptions) are in the run's language, with the same fingerprints (decision 0028)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote
from xml.etree import ElementTree as ET

from qmskit.diagnostics import Diagnostic, Severity, finding_id
from qmskit.findings import ReportInput
from qmskit.project import REPOSITORY, rule_help
from qmskit.rules.catalog import RULES

fingerprint = finding_id


def render_json(report: ReportInput) -> str:
    payload = {
        "version": 1,
        "tool": {"name": "qmskit", "version": report.version},
        "summary": {"files": len(report.files), "errors": report.count(Severity.ERROR),
                    "warnings": report.count(Severity.WARNING), "infos": report.count(Severity.INFO)},
        "diagnostics": [
            {"path": d.location.path, "line": d.location.line, "column": d.location.column, "rule": d.rule,
             "severity": d.severity.label, "message": d.message, "hint": d.hint}
            for d in report.diagnostics
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(report: ReportInput) -> str:
    rules = sorted(RULES.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for d in report.diagnostics:
        region = {"startLine": d.location.line, "startColumn": max(d.location.column, 1)} if d.location.line else None
        physical: dict[str, object] = {"artifactLocation": {"uri": sarif_uri(report.repo_path(d.location.path)),
                                                            "uriBaseId": "SRCROOT"}}
        if region:
            physical["region"] = region
        result: dict[str, object] = {
            "ruleId": d.rule, "level": _SARIF_LEVEL[d.severity],
            "message": {"text": f"{d.message}. {d.hint}" if d.hint else d.message},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {"qmsFinding/v1": fingerprint(d)},
        }
        if d.rule in index:
            result["ruleIndex"] = index[d.rule]
        results.append(result)
    driver = {
        "name": "qmskit", "version": report.version, "informationUri": REPOSITORY,
        "rules": [{"id": r.id, "name": _pascal(r.title), "shortDescription": {"text": _sentence(r.title)},
                   "fullDescription": {"text": _sentence(r.description)}, "help": {"text": _sentence(r.hint)},
                   "helpUri": rule_help(r.id),
                   "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]}} for r in rules],
    }
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results,
                  "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The repository root."}}}}],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def sarif_uri(path: str) -> str:
    """A relative path as a URI reference (RFC 3986): every byte but unreserved characters and `/`
    percent-encoded, so spaces, `%`, `,`, `:` and non-ASCII letters in file names survive (SARIF 3.10.2)."""
    return quote(path, safe="/")


def _pascal(title: str) -> str:
    """A rule's friendly name as SARIF recommends: one Pascal-case identifier ("ReferenceDoesNotResolve")."""
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def render_junit(report: ReportInput) -> str:
    """One test case per checked file (and per finding-bearing path that was not read), failing with its findings."""
    by_file: dict[str, list[Diagnostic]] = {path: [] for path in report.files}
    for d in report.diagnostics:
        by_file.setdefault(d.location.path, []).append(d)
    failing = sum(1 for found in by_file.values() if any(d.severity is Severity.ERROR for d in found))
    suites = ET.Element("testsuites", name="qms validate", tests=str(len(by_file)), failures=str(failing))
    suite = ET.SubElement(suites, "testsuite", name="qms validate", tests=str(len(by_file)),
                          failures=str(failing), errors="0", skipped="0")
    for path in sorted(by_file):
        # the path is the case's name: the strict junit-10 schema has no `file` attribute on a testcase
        case = ET.SubElement(suite, "testcase", classname="qms.validate", name=report.repo_path(path))
        errors = [d for d in by_file[path] if d.severity is Severity.ERROR]
        others = [d for d in by_file[path] if d.severity is not Severity.ERROR]
        if errors:
            failure = ET.SubElement(case, "failure", type=errors[0].rule,
                                    message=f"{len(errors)} error(s): {errors[0].message}")
            failure.text = "\n".join(_line(d) for d in errors)
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_line(d) for d in others)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _line(d: Diagnostic) -> str:
    return f"{d}\n  hint: {d.hint}" if d.hint else str(d)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(report: ReportInput) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff."""
    lines = []
    for d in report.diagnostics:
        props = [f"file={_escape_property(report.repo_path(d.location.path))}"]
        if d.location.line:
            props += [f"line={d.location.line}", f"col={max(d.location.column, 1)}"]
        props.append(f"title={_escape_property(d.rule)}")
        # annotations are read by people on the pull request: in the run's language (ids stay in `title`)
        text = f"{d.text()}. {d.hint_text()}" if d.hint else d.text()
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {','.join(props)}::{_escape_data(text)}")
    return "".join(line + "\n" for line in lines)


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render_gitlab(report: ReportInput) -> str:
    """A GitLab Code Quality report (a JSON array of issues in the Code Climate subset GitLab reads)."""
    issues = [
        {"description": f"{d.text()} [{d.rule}]", "check_name": d.rule, "fingerprint": fingerprint(d),
         "severity": _GITLAB_SEVERITY[d.severity],
         "location": {"path": report.repo_path(d.location.path), "lines": {"begin": max(d.location.line, 1)}}}
        for d in report.diagnostics
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[ReportInput], str]] = {
    "json": render_json, "sarif": render_sarif, "junit": render_junit, "github": render_github,
    "gitlab": render_gitlab,
}

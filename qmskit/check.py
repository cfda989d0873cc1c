"""Load a manual, run the rules, apply the rule configuration: the whole of `qms validate` without any output."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from qmskit.diagnostics import Diagnostic, Severity, sorted_diagnostics
from qmskit.load import LoadResult, load_manual
from qmskit.model import RuleSettings
from qmskit.rules import run_rules
from qmskit.rules.context import Context


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rules to report: `select` keeps only matching ids, `ignore` drops them. Prefixes match families
    (`QMS-COV` selects every coverage rule)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, rule_id: str) -> bool:
        if self.select and not _matches(rule_id, self.select):
            return False
        return not _matches(rule_id, self.ignore)


def _matches(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(rule_id == p or rule_id.startswith(p.rstrip("-") + "-") for p in patterns)


@dataclass(frozen=True, slots=True)
class CheckResult:
    loaded: LoadResult
    diagnostics: list[Diagnostic]

    def failed(self, strict: bool) -> bool:
        threshold = Severity.WARNING if strict else Severity.ERROR
        return any(d.severity >= threshold for d in self.diagnostics)


def apply_settings(diagnostics: list[Diagnostic], settings: RuleSettings, selection: Selection) -> list[Diagnostic]:
    kept = []
    for finding in diagnostics:
        if not selection.wants(finding.rule) or _matches(finding.rule, settings.ignore):
            continue
        severity = settings.severity.get(finding.rule)
        kept.append(replace(finding, severity=severity) if severity else finding)
    return sorted_diagnostics(kept)


def check_manual(root: Path, selection: Selection = Selection()) -> CheckResult:
    loaded = load_manual(root)
    findings = list(loaded.diagnostics)
    if loaded.config_ok:
        findings += run_rules(Context.of(loaded.manual))
    return CheckResult(loaded, apply_settings(findings, loaded.manual.config.rules, selection))

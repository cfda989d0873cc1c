"""The rules of `qms validate`: pure functions from the manual to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from qmskit.diagnostics import Diagnostic
from qmskit.rules import (
    audits,
    communication,
    competence,
    control,
    coverage,
    customers,
    documents,
    imports,
    processes,
    records,
    references,
    translations,
)
from qmskit.rules.context import Context

RuleFunction = Callable[[Context], Iterator[Diagnostic]]

RULE_FUNCTIONS: tuple[RuleFunction, ...] = (
    references.check_unique,
    references.check_references,
    references.check_clauses,
    processes.check_complete,
    processes.check_interfaces,
    processes.check_hierarchy,
    processes.check_connected,
    processes.check_customer,
    processes.check_kpi_sources,
    coverage.check_coverage,
    documents.check_sections,
    documents.check_prefix,
    translations.check_translations,
    control.check_repository,
    control.check_approvals,
    control.check_withdrawals,
    control.check_baseline,
    control.check_reviews,
    control.check_obsolete_references,
    control.check_identity,
    control.check_dependencies,
    control.check_trust,
    records.check_forms,
    records.check_records,
    records.check_deleted,
    customers.check_referrals,
    customers.check_cost_periods,
    imports.check_imports,
    communication.check_communication,
    competence.check_people,
    competence.check_owners,
    competence.check_training,
    audits.check_programme,
)


def run_rules(ctx: Context) -> list[Diagnostic]:
    return [finding for function in RULE_FUNCTIONS for finding in function(ctx)]

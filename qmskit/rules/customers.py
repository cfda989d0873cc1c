"""The customer ledger's inputs (issue 17): a referral names a customer, an acquisition cost has a period. Values
that are not numbers are QMS-REC-001 (the form's field types) and referrals to nobody QMS-REC-003."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit.analysis.customers import cost_period
from qmskit.diagnostics import Diagnostic
from qmskit.messages import say
from qmskit.records.meaning import REFERRAL_SOURCE, Meanings
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

REFERRAL, COST_PERIOD = rule("QMS-CUST-001"), rule("QMS-CUST-002")


def check_referrals(ctx: Context) -> Iterator[Diagnostic]:
    """A customer won by referral names the customer who referred it: another one, and a customer."""
    meaning = Meanings(ctx.manual)
    customers = {p.id for p in ctx.manual.parties if p.kind == "customer"}
    for record in meaning.records("acquisition"):
        source_field, by_field = meaning.field(record, "source"), meaning.field(record, "referred-by")
        by, customer = meaning.value(record, "referred-by"), meaning.value(record, "customer")
        if meaning.value(record, "source") == REFERRAL_SOURCE and not by:
            yield REFERRAL.at(ctx.at(record.origin, "values", str(source_field)),
                              say("{record}: won by referral, but names no customer who referred it",
                                  record=record.id))
        elif isinstance(by, str) and by and by_field:
            # positions cost a parse of the file (cached files have none): only ask when reporting
            if by == customer:
                yield REFERRAL.at(ctx.at(record.origin, "values", by_field),
                                  say("{record}: {customer} cannot have referred itself", record=record.id,
                                      customer=by))
            elif ctx.has("party", by) and by not in customers and not ctx.manual.incomplete & {"party"}:
                yield REFERRAL.at(ctx.at(record.origin, "values", by_field),
                                  say("{record}: referred by '{party}', which is not a customer", record=record.id,
                                      party=by))


def check_cost_periods(ctx: Context) -> Iterator[Diagnostic]:
    """An acquisition cost counts against the customers won in its period: without one it counts nowhere."""
    meaning = Meanings(ctx.manual)
    for record in meaning.records("acquisition-cost"):
        if cost_period(meaning, record) is not None:
            continue
        named = meaning.field(record, "period")
        given = meaning.value(record, "period")
        if named and given not in (None, ""):
            yield COST_PERIOD.at(ctx.at(record.origin, "values", named),
                                 say("{record}: '{given}' is not a period (write 2026, 2026-Q3 or 2026-07)",
                                     record=record.id, given=str(given)))
        else:  # point at the cost that cannot be placed in time
            yield COST_PERIOD.at(ctx.at(record.origin, "values", str(meaning.field(record, "cost"))),
                                 say("{record}: acquisition cost without a period ({field} is empty)",
                                     record=record.id, field=named) if named else
                                 say("{record}: acquisition cost without a period", record=record.id))

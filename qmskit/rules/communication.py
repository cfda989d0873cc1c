"""The communication plan (ISO 9001 7.4): every line names who communicates and with whom, and periodic
communication happens when it is due."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit.analysis.communication import EVERYONE, next_due
from qmskit.diagnostics import Diagnostic
from qmskit.messages import Day, say
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

UNKNOWN, OVERDUE = rule("QMS-COMM-001"), rule("QMS-COMM-002")


def check_communication(ctx: Context) -> Iterator[Diagnostic]:
    manual = ctx.manual
    people, roles = {p.id for p in manual.people}, {r.id for r in manual.roles}
    parties, processes = {p.id for p in manual.parties}, {p.id for p in manual.processes}
    for item in manual.communication:
        if item.who not in people | roles and not {"person", "role"} & manual.incomplete:
            yield UNKNOWN.at(ctx.at(item.origin, "who"), say("'{who}' who communicates {item} is neither a role nor "
                                                             "a person", who=item.who, item=item.id))
        for index, whom in enumerate(item.with_):
            if whom != EVERYONE and whom not in people | roles | parties:
                yield UNKNOWN.at(ctx.at(item.origin, "with", index),
                                 say("'{whom}' in {item}'s `with` is not a role, person or party (or `everyone`)",
                                     whom=whom, item=item.id))
        if item.process and item.process not in processes and "process" not in manual.incomplete:
            yield UNKNOWN.at(ctx.at(item.origin, "process"), say("{item} names an unknown process '{process}'",
                                                                 item=item.id, process=item.process))
        due = next_due(item, ctx.today)
        if due is not None and due < ctx.today and item.held:
            yield OVERDUE.at(ctx.at(item.origin, "held"), say("{item} ({when}) was due on {due}: it was last held "
                                                              "on {held}", item=item.id, when=item.when,
                                                              due=Day(str(due)), held=Day(str(max(item.held)))))

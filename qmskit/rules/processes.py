"""The process model (ISO 9001 4.4): owners, interfaces that agree on both ends, a sound hierarchy."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit.diagnostics import Diagnostic
from qmskit.i18n import N_
from qmskit.messages import Join, Word, say
from qmskit.model import Process
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

INCOMPLETE, DISAGREE, CYCLE, ISOLATED, CUSTOMER, TWO_SOURCES = (
    rule(f"QMS-PROC-00{n}") for n in range(1, 7)
)


def check_complete(ctx: Context) -> Iterator[Diagnostic]:
    for proc in ctx.manual.processes:
        missing = [Word(name) for name, present in ((N_("an owner"), proc.owner), (N_("an input"), proc.inputs),
                                                    (N_("an output"), proc.outputs),
                                                    (N_("a customer"), proc.customer))
                   if not present]
        if missing:
            yield INCOMPLETE.at(ctx.at(proc.origin, "id"), say("process '{process}' lacks {missing}", process=proc.id,
                                                               missing=Join(tuple(missing), "and", serial=True)))


def check_interfaces(ctx: Context) -> Iterator[Diagnostic]:
    """An output from A to process B must appear as an input of B (or of a parent of B) from A, and vice versa.

    Parents count on both ends so that a sub-process may receive what is delivered to its parent. Answers are
    kept per pair of processes: ten thousand parallel flows between two processes ask the same question.
    """
    receives: dict[tuple[str, str], bool] = {}
    delivers: dict[tuple[str, str], bool] = {}
    for proc in ctx.manual.processes:
        for flow in proc.outputs:
            receiver = ctx.process(flow.party)
            if receiver is None:
                continue
            pair = (receiver.id, proc.id)
            if pair not in receives:
                receives[pair] = _receives(ctx, receiver, proc.id)
            if not receives[pair]:
                yield DISAGREE.at(ctx.at(flow.origin, "to"),
                                  say("'{process}' delivers '{flow}' to '{receiver}', but '{receiver}' lists no "
                                      "input from '{process}'", process=proc.id, flow=flow.name,
                                      receiver=receiver.id))
        for flow in proc.inputs:
            supplier = ctx.process(flow.party)
            if supplier is None:
                continue
            pair = (supplier.id, proc.id)
            if pair not in delivers:
                delivers[pair] = _delivers(ctx, supplier, proc.id)
            if not delivers[pair]:
                yield DISAGREE.at(ctx.at(flow.origin, "from"),
                                  say("'{process}' receives '{flow}' from '{supplier}', but '{supplier}' lists no "
                                      "output to '{process}'", process=proc.id, flow=flow.name,
                                      supplier=supplier.id))


def _related(ctx: Context, a: str, b: str) -> bool:
    """True when a and b are the same process or one is an ancestor of the other."""
    return a in ctx.lineage.get(b, (b,)) or b in ctx.lineage.get(a, (a,))


def _receives(ctx: Context, receiver: Process, supplier_id: str) -> bool:
    candidates = (ctx.process(p) for p in ctx.subtree.get(receiver.id, (receiver.id,)))
    return any(_related(ctx, f.party, supplier_id) for c in candidates if c for f in c.inputs)


def _delivers(ctx: Context, supplier: Process, receiver_id: str) -> bool:
    candidates = (ctx.process(p) for p in ctx.subtree.get(supplier.id, (supplier.id,)))
    return any(_related(ctx, f.party, receiver_id) for c in candidates if c for f in c.outputs)


def check_hierarchy(ctx: Context) -> Iterator[Diagnostic]:
    """Each loop of parent links once. Every process is walked up only until a process seen before: linear in
    the number of processes however deep the hierarchy."""
    done: set[str] = set()  # processes whose way up has been followed to its end
    for proc in ctx.manual.processes:
        chain: dict[str, int] = {}  # process id -> position on this walk
        current: Process | None = proc
        while current is not None and current.id not in done:
            if current.id in chain:
                cycle = [*list(chain)[chain[current.id]:], current.id]
                closing = ctx.process(cycle[-2]) or proc  # its parent points back into the loop
                yield CYCLE.at(ctx.at(closing.origin, "parent"),
                               say("process hierarchy loops: {cycle}", cycle=" -> ".join(cycle)))
                break
            chain[current.id] = len(chain)
            current = ctx.process(current.parent) if current.parent else None
        done.update(chain)


def check_connected(ctx: Context) -> Iterator[Diagnostic]:
    """Every process should exchange something with another process (or be part of one that does)."""
    linked: set[str] = set()
    for proc in ctx.manual.processes:
        for flow in (*proc.inputs, *proc.outputs):
            if ctx.process(flow.party) is not None:
                linked.update((proc.id, flow.party))
    if len(ctx.manual.processes) < 2 or "process" in ctx.manual.incomplete:
        return
    for proc in ctx.manual.processes:
        family = {*ctx.lineage.get(proc.id, ()), *ctx.subtree.get(proc.id, ())}
        if not family & linked:
            yield ISOLATED.at(ctx.at(proc.origin, "id"),
                              say("process '{process}' exchanges nothing with any other process", process=proc.id))


def check_customer(ctx: Context) -> Iterator[Diagnostic]:
    for proc in ctx.manual.processes:
        if proc.customer and proc.outputs and not any(_related(ctx, f.party, proc.customer) for f in proc.outputs):
            yield CUSTOMER.at(ctx.at(proc.origin, "customer"),
                              say("customer '{customer}' of process '{process}' receives none of its outputs",
                                  customer=proc.customer, process=proc.id))


def check_kpi_sources(ctx: Context) -> Iterator[Diagnostic]:
    """A KPI is computed from records or entered by hand: with both, nobody could tell which figure is shown."""
    for proc in ctx.manual.processes:
        for kpi in proc.kpis:
            if "source" in kpi.spec and "entered" in kpi.spec:
                yield TWO_SOURCES.at(ctx.at(kpi.origin, "entered", key=True),
                                     say("KPI '{kpi}' of process '{process}' has both `source` and `entered`",
                                         kpi=kpi.id, process=proc.id))

"""Clause coverage per declared standard: every clause addressed, the mandatory documented information present,
and what the context must consider (climate change since Amd 1:2024) considered (DESIGN 3, decision 0011)."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit import clausetexts
from qmskit.analysis.coverage import StandardCoverage, counting_owners, coverage, covers, declared
from qmskit.diagnostics import Diagnostic, Location
from qmskit.messages import Phrase, say
from qmskit.model import Catalogue, Clause, Topic, standard_pointer
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context


def _documented(what: str) -> Phrase:
    """The documented information a bundled clause asks for, in the reader's language when the finding is shown."""
    return Phrase(clausetexts.DOCUMENTED, what)


UNCOVERED, NO_DOCUMENT, NO_RECORDS, EXCLUSION, TOPIC, PARTY_TOPIC = (rule(f"QMS-COV-00{n}") for n in range(1, 7))
AMENDED = rule("QMS-STD-002")


def check_coverage(ctx: Context) -> Iterator[Diagnostic]:
    m = ctx.manual
    if m.incomplete & {"document", "process", "form"}:
        return  # coverage cannot be judged while files that declare clauses are unreadable
    for standard in coverage(m):
        yield from _standard(ctx, standard)
    for exclusion in m.config.exclusions:
        if not exclusion.clause.rpartition(" ")[2].startswith("8."):
            yield EXCLUSION.at(ctx.at(exclusion.origin, "clause"),
                               say("clause {clause} is excluded, but it is outside clause 8",
                                   clause=exclusion.clause))


def _where(ctx: Context, catalogue: Catalogue) -> Location:
    """The standard's entry in qms.yaml (only when reporting: qms.yaml's positions may need a parse)."""
    config = ctx.manual.config
    index = next((i for i, s in enumerate(config.standards) if s == catalogue.standard), 0)
    return ctx.at(config.origin, *standard_pointer(config, index))


def _standard(ctx: Context, standard: StandardCoverage) -> Iterator[Diagnostic]:
    m, catalogue = ctx.manual, standard.catalogue
    by_documents = declared([d for d in m.documents if d.status == "active"], catalogue, m.catalogues)
    by_forms = declared(m.forms, catalogue, m.catalogues)
    leaves = {r.clause.number for r in standard.leaves}
    for row in standard.rows:
        clause = row.clause
        if row.excluded:
            continue
        label = say("{standard} clause {number} {title}", standard=catalogue.label, number=clause.number,
                    title=Phrase(clausetexts.TITLE, clause.title))
        if clause.number in leaves and not row.addressed_by:
            yield UNCOVERED.at(_where(ctx, catalogue), say("{clause} is not addressed by any document, process or "
                                                           "form", clause=label))
        if clause.maintain and not any(covers(n, clause.number) for n in by_documents):
            yield NO_DOCUMENT.at(_where(ctx, catalogue), say("{clause} asks to maintain documented information "
                                                             "({what}), but no active document addresses it",
                                                             clause=label, what=_documented(clause.maintain)))
        if clause.retain and not any(covers(n, clause.number) for n in by_forms):
            yield NO_RECORDS.at(_where(ctx, catalogue), say("{clause} asks to retain documented information "
                                                            "({what}), but no form keeps such records",
                                                            clause=label, what=_documented(clause.retain)))
        for topic in clause.topics:
            if not _considered(ctx, catalogue, clause, topic):
                finding = TOPIC if topic.required else PARTY_TOPIC
                yield finding.at(_where(ctx, catalogue),
                                 say("{clause} asks {asks}, but nothing that addresses {number} names '{topic}' "
                                     "under `topics:`", clause=label, asks=Phrase(clausetexts.TOPIC, topic.asks),
                                     number=clause.number,
                                     topic=topic.id))
    if catalogue.amended_by and catalogue.amended_by not in m.config.standards:
        yield AMENDED.at(_where(ctx, catalogue), say("{standard} has been amended: {amended} applies to "
                                                     "certification audits", standard=catalogue.label,
                                                     amended=catalogue.amended_by),
                         say("Write {amended} under `standards:` in qms.yaml and run `qms coverage --transition "
                             "{amended}` to see what changes.", amended=catalogue.amended_by))


def _considered(ctx: Context, catalogue: Catalogue, clause: Clause, topic: Topic) -> bool:
    """Something that addresses the clause names the topic (or, where the clause allows, an interested party)."""
    m = ctx.manual
    addressing = declared(counting_owners(m), catalogue, m.catalogues)
    for number, owners in addressing.items():
        if covers(number, clause.number) and any(topic.id in getattr(o, "topics", ()) for o in owners):
            return True
    return topic.parties and any(topic.id in p.topics for p in m.parties)

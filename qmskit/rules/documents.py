"""Document identity and structure: ids carry their type's prefix, required sections are present."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit.diagnostics import Diagnostic, Location
from qmskit.loading.markdown import section_name
from qmskit.messages import say
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

MISSING_SECTION, PREFIX = rule("QMS-DOC-001"), rule("QMS-DOC-003")


def check_sections(ctx: Context) -> Iterator[Diagnostic]:
    types = ctx.manual.config.document_types
    for doc in ctx.manual.documents:
        doc_type = types.get(doc.type)
        if doc_type is None or doc.status == "obsolete":
            continue
        present = {section_name(h.text) for h in doc.headings}
        for section in doc_type.required_sections:
            if section_name(section) not in present:
                yield MISSING_SECTION.at(Location(doc.origin.path, doc.body_line, 1),
                                         say("{type} '{document}' has no '{section}' section", type=doc.type,
                                             document=doc.id, section=section),
                                         say("Add a heading '## {section}'; every {type} needs: {sections}.",
                                             section=section, type=doc.type,
                                             sections=', '.join(doc_type.required_sections)))


def check_prefix(ctx: Context) -> Iterator[Diagnostic]:
    types = ctx.manual.config.document_types
    for doc in ctx.manual.documents:
        doc_type = types.get(doc.type)
        if doc_type is not None and doc_type.prefix and not doc.id.startswith(doc_type.prefix + "-"):
            yield PREFIX.at(ctx.at(doc.origin, "id"),
                            say("document id '{document}' does not start with '{prefix}-', the prefix of type "
                                "'{type}'", document=doc.id, prefix=doc_type.prefix, type=doc.type))

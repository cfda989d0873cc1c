"""Translations of documents: each belongs to a document beside it, in a language other than the manual's."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit import i18n
from qmskit.control.translations import BEHIND, translation_states
from qmskit.diagnostics import Diagnostic, Location
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

ORPHAN, FRONT_MATTER, SAME_LANGUAGE, UNPUBLISHABLE, OUTDATED = (rule(f"QMS-TRN-00{n}") for n in range(1, 6))


def check_translations(ctx: Context) -> Iterator[Diagnostic]:
    documents = {d.origin.path: d for d in ctx.manual.documents}
    own = i18n.supported(ctx.manual.config.language) or ctx.manual.config.language.lower()[:2]
    for translation in sorted(ctx.manual.translations, key=lambda t: t.origin.path):
        where = Location(translation.origin.path, 1, 1)
        document = documents.get(translation.source)
        if document is None:
            if "document" not in ctx.manual.incomplete:  # the document may be a file that could not be read
                yield ORPHAN.at(where, f"{translation.origin.path} translates {translation.source}, which is no "
                                       "document of the manual")
            continue
        if translation.id and translation.id != document.id:
            yield FRONT_MATTER.at(ctx.at(translation.origin, "id"),
                                  f"the translation says id '{translation.id}', but it translates '{document.id}'",
                                  f"Write `id: {document.id}`, or leave the id out: the file name says which "
                                  "document it translates.")
        if translation.language == own:
            yield SAME_LANGUAGE.at(where, f"{translation.origin.path} is in {translation.language}, the manual's own "
                                          f"language: the text of {document.id} is {translation.source}")
        elif translation.language not in i18n.LANGUAGES:
            yield UNPUBLISHABLE.at(where, f"qms build cannot publish a site in '{translation.language}' yet; "
                                          f"{translation.origin.path} is not shown")
    yield from _behind(ctx, own)


def _behind(ctx: Context, own: str) -> Iterator[Diagnostic]:
    """A published translation whose document has been revised since: readers of that language read an older
    text than the one in effect (judged from Git, control/translations.py)."""
    if ctx.control is None or not ctx.history.usable:
        return
    for found in translation_states(ctx.manual, ctx.history, ctx.control):
        language = found.translation.language
        if found.state != BEHIND or language == own or language not in i18n.LANGUAGES:
            continue
        yield OUTDATED.at(Location(found.translation.origin.path, 1, 1),
                          f"{found.translation.origin.path} (revision {found.revision}) translates revision "
                          f"{found.translates} of {found.document.id}; revision {found.source_revision} is in effect "
                          f"since {found.source_effective}")

"""Translations of documents: each belongs to a document beside it, in a language other than the manual's."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit import i18n
from qmskit.control.translations import BEHIND, translation_states
from qmskit.diagnostics import Diagnostic, Location
from qmskit.messages import Day, say
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
                yield ORPHAN.at(where, say("{path} translates {source}, which is no document of the manual",
                                           path=translation.origin.path, source=translation.source))
            continue
        if translation.id and translation.id != document.id:
            yield FRONT_MATTER.at(ctx.at(translation.origin, "id"),
                                  say("the translation says id '{id}', but it translates '{document}'",
                                      id=translation.id, document=document.id),
                                  say("Write `id: {document}`, or leave the id out: the file name says which "
                                      "document it translates.", document=document.id))
        if translation.language == own:
            yield SAME_LANGUAGE.at(where, say("{path} is in {language}, the manual's own language: the text of "
                                              "{document} is {source}", path=translation.origin.path,
                                              language=translation.language, document=document.id,
                                              source=translation.source))
        elif translation.language not in i18n.LANGUAGES:
            yield UNPUBLISHABLE.at(where, say("qms build cannot publish a site in '{language}' yet; {path} is not "
                                              "shown", language=translation.language, path=translation.origin.path))
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
                          say("{path} (revision {revision}) translates revision {translates} of {document}; revision "
                              "{current} is in effect since {day}", path=found.translation.origin.path,
                              revision=found.revision, translates=found.translates, document=found.document.id,
                              current=found.source_revision, day=Day(str(found.source_effective))))

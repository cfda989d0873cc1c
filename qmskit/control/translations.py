"""Documents in more than one language. A translation is a file of its own beside the document
(`PRO-006-planning.fi.md` beside `PRO-006-planning.md`): its Git history is its revisions, and each revision is
approved like any revision of the document, by the same people, with the same evidence (decision 0026). Pure."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qmskit.i18n import NP_, SOURCE_LANGUAGE, _, pgettext, use
from qmskit.loading.markdown import headings, split_front_matter
from qmskit.model import Document, Manual, Translation

if TYPE_CHECKING:
    from qmskit.control.register import DocumentControl
    from qmskit.vcs.history import History


def as_document(document: Document, translation: Translation) -> Document:
    """The document as its translation reads: the translation's title, text and file, the document's id, type,
    owner and status, so that document control judges the translation's revisions by the document's rules."""
    return dataclasses.replace(document, title=translation.title, origin=translation.origin,
                               headings=translation.headings, body=translation.body, body_line=translation.body_line)


def translated(manual: Manual) -> list[tuple[Document, Translation]]:
    """Every translation with the document it translates (translations of no document are left out: a rule
    reports them)."""
    by_path = {d.origin.path: d for d in manual.documents}
    return [(by_path[t.source], t) for t in sorted(manual.translations, key=lambda t: t.origin.path)
            if t.source in by_path]


def in_language(manual: Manual, language: str) -> dict[str, Document]:
    """Document id -> the document as its translation into `language` reads."""
    return {document.id: as_document(document, translation) for document, translation in translated(manual)
            if translation.language == language}


def languages_of(manual: Manual) -> dict[str, set[str]]:
    """Document id -> the languages it has a translation in."""
    found: dict[str, set[str]] = {}
    for document, translation in translated(manual):
        found.setdefault(document.id, set()).add(translation.language)
    return found


def past_translation(text: str, document: Document) -> Document | None:
    """The document as a past revision of its translation read (`text`, read from Git), or None when that
    revision had no usable title."""
    from qmskit.loading.yamlsource import parse_yaml  # noqa: PLC0415 - `qms rules` and --help load no YAML parser

    split = split_front_matter(text)
    data = parse_yaml(split.front_matter, document.origin.path, 1).data if split.front_matter is not None else None
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title.strip():
        return None
    return dataclasses.replace(document, title=title, headings=headings(split.body, split.body_line),
                               body=split.body, body_line=split.body_line)


# -- is a translation behind its document? ------------------------------------------------------------------------

CURRENT, BEHIND, UNAPPROVED, UNJUDGED = "current", "behind", "not approved", "not judged"
# the states that have no revision numbers to say, for the catalogue (shown by state_words)
_STATE_WORDS = (NP_("translation state", "not approved"), NP_("translation state", "not judged"))


@dataclass(frozen=True, slots=True)
class TranslationState:
    """Where a translation stands against its document (decision 0030): judged from Git, never from what the
    translation says about itself. `translates` is the document's revision that was in effect when the
    translation's last approved revision was approved: the revision it translates."""

    document: Document
    translation: Translation
    state: str  # CURRENT, BEHIND, UNAPPROVED, or UNJUDGED (no usable Git history)
    revision: int = 0  # the translation's last approved revision (0: none)
    translates: int = 0  # the document's revision it translates (0: none was in effect)
    source_revision: int = 0  # the document's last approved revision
    source_effective: str = ""  # when that revision took effect


def translation_states(manual: Manual, history: History, control: DocumentControl) -> list[TranslationState]:
    """Every translation of a document with its state. A translation is behind when its document has an approved
    revision later on the main line than the translation's last approved revision; a translation approved in the
    same commit as its document's revision translates that revision."""
    position = {commit.sha: index for index, commit in enumerate(history.commits)}
    found = []
    for document, translation in translated(manual):
        source_file = history.of(document.origin.path) if history.usable else None
        own_file = history.of(translation.origin.path) if history.usable else None
        if source_file is None or own_file is None:
            found.append(TranslationState(document, translation, UNJUDGED))
            continue
        approved_source = [r for r in source_file.revisions if control.approvers(document, r)]
        as_read = as_document(document, translation)
        own = control.last_approved(as_read, own_file)
        newest = approved_source[-1] if approved_source else None
        source_revision = newest.number if newest else 0
        effective = control.approved_at(document, newest)[:10] if newest else ""
        if own is None:
            found.append(TranslationState(document, translation, UNAPPROVED, 0, 0, source_revision, effective))
            continue
        at = position.get(own.commit.sha, -1)
        before = [r.number for r in approved_source if position.get(r.commit.sha, len(position)) <= at]
        translates = max(before, default=0)
        state = CURRENT if translates >= source_revision else BEHIND
        found.append(TranslationState(document, translation, state, own.number, translates, source_revision,
                                      effective))
    return found


def with_translations(rows: list[dict[str, Any]], states: list[TranslationState],
                      control: DocumentControl) -> list[dict[str, Any]]:
    """The register's rows (RegisterRow.as_dict) with a row for each translation after its document's: a
    translation is a controlled file with revisions and approvals of its own. Its id is the document's with the
    language (`PRO-006 (fi)`); `status` says its state for people, `translation_state` for tools."""
    by_document: dict[str, list[dict[str, Any]]] = {}
    for found in states:
        row = control.row(as_document(found.document, found.translation)).as_dict()
        language = found.translation.language
        row.update(id=f"{found.document.id} ({language})", type=f"translation ({language})",
                   status=state_text(found), translation_of=found.document.id, language=language,
                   translation_state=found.state, translates=found.translates,
                   source_revision=found.source_revision)
        by_document.setdefault(found.document.id, []).append(row)
    merged = []
    for row in rows:
        merged.append(row)
        merged += by_document.get(str(row["id"]), [])
    return merged


def state_text(found: TranslationState) -> str:
    """A translation's state in the register's status column: English like the documents' statuses beside it
    (`active`), so that JSON and CSV read the same in every language."""
    with use(SOURCE_LANGUAGE):
        return state_words(found)


def state_words(found: TranslationState) -> str:
    """The same, in the current language, for people."""
    if found.state == BEHIND:
        return _("behind: translates revision {translates} of {revision}").format(
            translates=found.translates, revision=found.source_revision)
    if found.state == CURRENT:
        return _("current: translates revision {revision}").format(revision=found.source_revision)
    return pgettext("translation state", found.state)

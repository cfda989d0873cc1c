"""Documents in more than one language. A translation is a file of its own beside the document
(`PRO-006-planning.fi.md` beside `PRO-006-planning.md`): its Git history is its revisions, and each revision is
approved like any revision of the document, by the same people, with the same evidence (decision 0026). Pure."""

from __future__ import annotations

import dataclasses

from qmskit.loading.markdown import headings, split_front_matter
from qmskit.model import Document, Manual, Translation


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

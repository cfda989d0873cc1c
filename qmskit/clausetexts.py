"""The bundled standards' clause texts in the reader's language: titles, the documented information a clause
asks for, and what a topic asks. The English texts in `schemas/*.clauses.json` are the message ids (extracted
from those files by `catalogues.py`, never copied into code); each kind has its own message context, so one
English word can take two Finnish ones. Text no catalogue knows (a company's own wording) comes back as written.
JSON, CSV and SARIF keep the English; call these only where people read the text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from qmskit.i18n import pgettext
from qmskit.model import Clause, Topic

TITLE = "clause title"
DOCUMENTED = "documented information"
TOPIC = "clause topic"


def title(clause: Clause) -> str:
    return pgettext(TITLE, clause.title) if clause.title else ""


def maintain(clause: Clause) -> str:
    return pgettext(DOCUMENTED, clause.maintain) if clause.maintain else ""


def retain(clause: Clause) -> str:
    return pgettext(DOCUMENTED, clause.retain) if clause.retain else ""


def asks(topic: Topic) -> str:
    return pgettext(TOPIC, topic.asks) if topic.asks else ""


def title_text(english: str) -> str:
    """A clause title given as text (a transition's old or new title)."""
    return pgettext(TITLE, english) if english else ""


def bundled_texts(folder: Path) -> Iterator[tuple[str, str, str]]:
    """Every text people read in the clause catalogues in `folder`: (context, English text, file name)."""
    for path in sorted(folder.glob("*.clauses.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        for clause in (*raw.get("clauses", ()), *raw.get("changes", ())):
            if clause.get("title"):
                yield TITLE, clause["title"], path.name
            for key in ("maintain", "retain"):
                if clause.get(key):
                    yield DOCUMENTED, clause[key], path.name
            for topic in clause.get("topics", ()):
                if topic.get("asks"):
                    yield TOPIC, topic["asks"], path.name

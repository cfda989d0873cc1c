"""Split a Markdown document into its YAML front matter and body, and find the body's headings. Pure text work."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qmskit.model import Heading

# `<stem>.<language>.md` under documents/ is the translation of the document in `<stem>.md` (decision 0026)
TRANSLATION_FILE = re.compile(r"(?P<stem>.+)\.(?P<language>[a-z]{2})\.md")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


@dataclass(frozen=True, slots=True)
class SplitDocument:
    front_matter: str | None  # None: the file has no front matter block
    body: str
    body_line: int  # 1-based line where the body starts
    unterminated: bool = False


def split_front_matter(text: str) -> SplitDocument:
    """Front matter is a block between a first line `---` and the next line `---` (or `...`)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return SplitDocument(None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return SplitDocument("\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1 :]), index + 2)
    return SplitDocument(None, text, 1, unterminated=True)


def _plain(text: str) -> str:
    return re.sub(r"[*_`]", "", text).strip()


def headings(body: str, first_line: int = 1) -> tuple[Heading, ...]:
    """ATX (`# Title`) and setext (underlined) headings outside fenced code blocks."""
    found: list[Heading] = []
    fence: str | None = None
    lines = body.split("\n")
    previous = ""
    for offset, line in enumerate(lines):
        marker = _FENCE.match(line)
        if marker:
            token = marker.group(1)
            if fence is None:
                fence = token[0] * 3
            elif token.startswith(fence):
                fence = None
            previous = ""
            continue
        if fence is not None:
            continue
        atx = _ATX.match(line)
        if atx:
            found.append(Heading(len(atx.group(1)), _plain(atx.group(2) or ""), first_line + offset))
        elif _SETEXT.match(line) and previous.strip() and not previous.startswith(("    ", "\t")):
            level = 1 if line.strip().startswith("=") else 2
            found.append(Heading(level, _plain(previous), first_line + offset - 1))
        previous = line
    return tuple(found)


def section_name(heading: str) -> str:
    """A heading reduced to its name: '2. Scope' and 'SCOPE' both become 'scope'."""
    return re.sub(r"^[0-9.]+\s*", "", heading).strip().casefold()

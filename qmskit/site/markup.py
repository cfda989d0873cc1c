"""Escaped Markdown and HTML fragments for the generated pages: every value from the manual goes through these
before it enters a page (decision 0016). Shared by the page modules of the site."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any

from markupsafe import Markup

from qmskit import i18n
from qmskit.escape import code_span, markdown_text, one_line, printable


def md(value: Any) -> Markup:
    """Text for Markdown: Markdown's special characters backslash-escaped, then HTML-escaped, so that neither
    syntax nor markup in a title can take effect. Markup (a fragment built here from escaped parts) passes as it
    is, so that autoescape does not escape it twice."""
    if isinstance(value, Markup):
        return value
    return Markup(markdown_text(printable(value)))  # noqa: S704 - escaped by markdown_text


cell = md  # a table cell: markdown_text escapes the pipe too


def code(value: Any) -> Markup:
    """Inline code (ids, branch names) that no backtick in the value can end."""
    return Markup(code_span(printable(value)))  # noqa: S704 - Markdown escapes the inside of a code span


def yamlstr(value: Any) -> Markup:
    """A page title for the front matter, quoted: HTML-escaped, because mkdocs and its themes insert titles into
    pages (`<title>`, navigation, search) without escaping them; then a JSON string, which is valid YAML."""
    text = html.escape(one_line(printable(value)).replace("\ufffe", "").replace("\uffff", ""), quote=False)
    return Markup(json.dumps(text, ensure_ascii=False))  # noqa: S704 - a quoted YAML scalar of escaped text


def label(value: str) -> str:
    """A navigation label or site name: mkdocs puts them into the HTML as they are, so escape them here."""
    return html.escape(one_line(printable(value)), quote=False)


_SAFE_PATH = re.compile(r"[a-z0-9._/-]+(#[a-z0-9._-]+)?")


def link(text: Any, path: str) -> Markup:
    """A Markdown link to a generated page. Paths are made of slugs, never of raw values: checked here."""
    if not _SAFE_PATH.fullmatch(path):
        raise ValueError(f"unsafe page path {path!r}")  # a bug in the generator, not bad input
    return Markup(f"[{md(text)}]({path})")  # noqa: S704 - text escaped, path checked


def dated(value: Any) -> Markup:
    """A day in a table cell, as the site's language writes it (27.11.2026), inside `<time datetime>` that holds
    the ISO day: the tables' script sorts and filters by that, never by the shown text. Anything that is no day
    (a word such as "in effect", an empty value) is an escaped cell."""
    text = str(value or "")
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return cell(text)
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), cell(i18n.format_date(day)))


def cells(*values: Any) -> list[Markup]:
    """A table row: each value escaped for a Markdown cell unless it is an escaped fragment already."""
    return [cell(value) for value in values]


def inline_svg(markup: str, prefix: str = "") -> Markup:
    """Inline SVG for a Markdown page: no XML prolog, no blank lines (they would end the HTML block). With a
    `prefix`, every id (and what refers to it) gets it, so two diagrams on one page never share an id."""
    start = markup.find("<svg")
    body = markup[start:] if start >= 0 else markup
    if prefix:
        body = re.sub(r'\b(id="|url\(#|href="#)', lambda m: f"{m.group(1)}{prefix}-", body)
    # dot and charts.py escape every label they are given
    return Markup("\n".join(line for line in body.splitlines() if line.strip()))  # noqa: S704


def chart(svg: str) -> Markup:
    return Markup('<div class="qms-diagram">\n') + inline_svg(svg) + Markup("\n</div>\n")
